import { describe, expect, it } from 'vitest';
import { cellOf } from '../../../test/fixtures/runs/make.js';
import { shardOf } from '../../plan/shard.js';
import { renderGithub } from './render.js';

type Job = { shard: string; cells: string[]; cell?: string; name: string; axes?: Record<string, string> };
const NODES = ['18.20.8', '20.20.2', '22.23.5', '24.22.3'];
const ORTS = ['1.14.0', '1.17.3', '1.20.1', '1.22.0', '1.30.0'];
const cells = NODES.flatMap((node) => ORTS.flatMap((ort) => (['fp32', 'int8'] as const).map((model) => cellOf({ node, ort, model, verdict: 'pass' }))));
const skipped = { ...cells[0]!, status: 'skipped' as const, skipReason: 'excluded' };
const all = [skipped, ...cells.slice(1)];
const jobs = (max?: number) => (JSON.parse(renderGithub(all, max)) as { include: Job[] }).include;

describe('renderGithub', () => {
  it('gives each planned cell a job of its own while they fit, with its axes', () => {
    const include = jobs();
    expect(include).toHaveLength(39);
    expect(include.every((j) => j.cells.length === 1 && j.cell === j.cells[0] && j.axes)).toBe(true);
    expect(include.every((j) => j.shard.endsWith('/39'))).toBe(true);
  });
  it('groups the cells into at most --max-jobs balanced shards, each naming its cells', () => {
    const include = jobs(8);
    expect(include.map((j) => j.shard)).toEqual(Array.from({ length: 8 }, (_, i) => `${i + 1}/8`));
    const sizes = include.map((j) => j.cells.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const ids = include.flatMap((j) => j.cells);
    // Every planned cell exactly once, none skipped, and in the shard `matrix run --shard k/N` runs.
    expect([...ids].sort()).toEqual(
      all
        .filter((c) => c.status === 'planned')
        .map((c) => c.id)
        .sort(),
    );
    for (const j of include) for (const id of j.cells) expect(`${shardOf(all, id, 8)}/8`).toBe(j.shard);
    expect(include[0]!.name).toMatch(/^\d cells$/);
  });
});
