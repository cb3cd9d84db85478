/**
 * Verdict cache: a finished cell's result stored under a key made of everything that can
 * change it, so an unchanged re-run answers in seconds. Only deterministic verdicts are kept:
 * a timeout, an infrastructure error or an interrupted cell is always retried.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CellResult, type Verdict } from '../domain.js';
import { sha256 } from './hashes.js';

const CACHEABLE: ReadonlySet<Verdict> = new Set(['pass', 'fail', 'drift', 'install-error', 'build-error', 'start-error', 'crash']);

export interface CacheKeyInputs {
  cell: { node: string; ort: string; tokenizer: { package: string; version: string }; install: unknown };
  backend: string;
  baseId: string;
  hashes: Record<string, string>;
  smoke: unknown;
  tool: string;
}

/** Pure: canonical JSON of the inputs → key. */
export function cacheKey(inputs: CacheKeyInputs): string {
  return sha256(canonical(inputs));
}

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export class VerdictCache {
  constructor(private readonly dir: string) {}

  async get(key: string): Promise<CellResult | undefined> {
    try {
      const parsed = CellResult.safeParse(JSON.parse(await readFile(path.join(this.dir, `${key}.json`), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, result: CellResult): Promise<void> {
    if (!CACHEABLE.has(result.verdict)) return;
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(result));
    await rename(tmp, file);
  }
}
