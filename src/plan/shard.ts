/**
 * Deterministic, balanced shards: planned cells, in plan order, are dealt round-robin, so shard
 * sizes differ by at most one and every Node version is spread over the shards. Skipped cells
 * cost nothing and go to shard 1 only, so merged shards report each cell exactly once.
 */
import type { Cell } from '../domain.js';
import { UserError } from '../errors.js';

export interface ShardSpec {
  index: number;
  count: number;
}

export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count < 1 || index > count) throw new UserError(`--shard: expected i/n with 1 ≤ i ≤ n, found ${JSON.stringify(text)}`);
  return { index, count };
}

/** The cells of shard `index` (1-based) of `count`, in plan order. */
export function shard(cells: Cell[], index: number, count: number): Cell[] {
  let k = 0;
  const mine = new Set<Cell>();
  for (const cell of cells) {
    if (cell.status === 'skipped') {
      if (index === 1) mine.add(cell);
      continue;
    }
    if (k % count === index - 1) mine.add(cell);
    k++;
  }
  return cells.filter((c) => mine.has(c));
}

/** Which shard (1-based) of `count` a planned cell falls in; skipped cells: 1. */
export function shardOf(cells: Cell[], id: string, count: number): number {
  let k = 0;
  for (const cell of cells) {
    if (cell.status === 'skipped') {
      if (cell.id === id) return 1;
      continue;
    }
    if (cell.id === id) return (k % count) + 1;
    k++;
  }
  return 1;
}
