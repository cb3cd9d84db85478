/**
 * The registry metadata cache: one JSON file per package under `.matrix-cache/registry/`,
 * written atomically, holding the trimmed packument and when it was fetched.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Packument } from './types.js';

export interface CachedPackument {
  fetchedAt: string;
  packument: Packument;
}

/** `@huggingface/tokenizers` → `@huggingface__tokenizers.json`: one flat, file-name-safe file. */
const cacheFileName = (name: string) => `${name.replace('/', '__')}.json`;

export class RegistryCache {
  constructor(readonly dir: string) {}

  async get(name: string): Promise<CachedPackument | undefined> {
    try {
      const data = JSON.parse(await readFile(path.join(this.dir, cacheFileName(name)), 'utf8')) as CachedPackument;
      return data?.packument?.versions && typeof data.fetchedAt === 'string' ? data : undefined;
    } catch {
      return undefined;
    }
  }

  async put(name: string, packument: Packument, fetchedAt: Date): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const entry: CachedPackument = { fetchedAt: fetchedAt.toISOString(), packument };
    await writeFileAtomic(path.join(this.dir, cacheFileName(name)), `${JSON.stringify(entry)}\n`);
  }
}
