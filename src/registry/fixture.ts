/** Registries without a network, for tests: recorded packuments on disk, or objects in memory. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PackageNotFound, trimPackument, type Packument, type Registry } from './types.js';

/** `@huggingface/tokenizers` → `huggingface__tokenizers.json` (test/fixtures/registry/). */
export const fixtureFileName = (name: string) => `${name.replace('@', '').replace('/', '__')}.json`;

export class FixtureRegistry implements Registry {
  constructor(readonly dir: string) {}
  async packument(name: string): Promise<Packument> {
    try {
      return trimPackument(JSON.parse(await readFile(path.join(this.dir, fixtureFileName(name)), 'utf8')));
    } catch {
      throw new PackageNotFound(name, `${this.dir} (no fixture ${fixtureFileName(name)})`);
    }
  }
}

export class MemoryRegistry implements Registry {
  readonly asked: string[] = [];
  constructor(private readonly docs: Record<string, Packument>) {}
  async packument(name: string): Promise<Packument> {
    this.asked.push(name);
    const doc = this.docs[name];
    if (!doc) throw new PackageNotFound(name, 'the test registry');
    return doc;
  }
}
