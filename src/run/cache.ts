/**
 * Verdict cache: a finished cell's result stored under a key made of everything that can
 * change it, so an unchanged re-run answers in seconds. Only deterministic verdicts are kept:
 * a timeout, an infrastructure error, an interrupted cell or a flaky one (passed on a retry, or
 * in some of its `--repeat` runs) is always run again. An install-error because an install script
 * could not reach a host is kept with that host, and answers only while the host is still out of
 * reach (./reach.ts): a machine that reaches it gets a fresh verdict (docs/verdicts-and-cache.md).
 * An entry that does not parse (truncated, corrupt, an older shape) is a miss, never an error.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CellResult, type Verdict } from '../domain.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { sha256 } from '../fs/digests.js';
import { reaches } from './reach.js';

const CACHEABLE: ReadonlySet<Verdict> = new Set(['pass', 'fail', 'drift', 'install-error', 'build-error', 'start-error', 'crash']);

export interface CacheKeyInputs {
  /** The cell's axis values (model files' sha256 included) and install settings. */
  cell: { axes: unknown; install: unknown };
  backend: string;
  /** The base image (or runtime) the cell is built from, as prepare() resolves it. */
  baseId: string;
  /** sha256 of the cell's whole resolved dependency tree (src/cell/resolve.ts). */
  tree: string;
  hashes: Record<string, string>;
  smoke: unknown;
  tool: string;
  /** `--repeat N` when N > 1: N runs are not answered by one run's verdict, nor one by N. */
  repeat?: number;
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

/** What a stored verdict depended on besides its key. */
export interface Depends {
  /** A host an install script could not reach (`name` or `address:port`). */
  unreachable?: string;
}

export class VerdictCache {
  constructor(
    private readonly dir: string,
    /** Whether the machine reaches a host now; tests give a fake. */
    private readonly reachable: (host: string) => Promise<boolean> = reaches,
  ) {}

  async get(key: string): Promise<CellResult | undefined> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(this.dir, `${key}.json`), 'utf8'));
    } catch {
      return undefined;
    }
    const parsed = CellResult.safeParse(raw);
    if (!parsed.success) return undefined;
    const host = (raw as { depends?: Depends }).depends?.unreachable;
    if (typeof host === 'string' && (await this.reachable(host))) return undefined;
    return parsed.data;
  }

  async put(key: string, result: CellResult, depends: Depends = {}): Promise<void> {
    if (!CACHEABLE.has(result.verdict)) return;
    await mkdir(this.dir, { recursive: true });
    // Atomic, with a temp name of its own: concurrent runs storing one key never tear a file.
    const entry = depends.unreachable ? { ...result, depends } : result;
    await writeFileAtomic(path.join(this.dir, `${key}.json`), JSON.stringify(entry));
  }
}
