/** The renderers of `matrix plan`, one per --format, all fed the same Plan. Pure. */
import Table from 'cli-table3';
import { displayAxes, shownAxes } from '../../axes/index.js';
import type { Cell } from '../../domain.js';
import { cellJson } from '../../plan/json.js';
import type { Plan } from '../../plan/plan.js';
import { shard as shardCells, type ShardSpec } from '../../plan/shard.js';

const statusOf = (c: Cell) =>
  c.status === 'skipped' ? `skipped: ${c.skipReason ?? ''}` : c.allowFailure ? `planned (may fail: ${c.allowFailureReason ?? 'allow-failure'})` : 'planned';

export function renderTable(plan: Plan, cells: Cell[], color: boolean): string {
  const names = Object.keys(plan.axes);
  const table = new Table({
    head: ['cell', 'name', ...names, 'status'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    wordWrap: true,
    colWidths: [10, null, ...names.map(() => null), 50] as unknown as number[],
  });
  for (const c of cells) {
    const shown = displayAxes(c.axes);
    table.push([c.id, c.name, ...names.map((n) => shown[n] ?? ''), statusOf(c)]);
  }
  return `${table.toString()}\n${summary(plan, cells)}`;
}

function summary(plan: Plan, cells: Cell[]): string {
  const planned = cells.filter((c) => c.status === 'planned').length;
  const allow = cells.filter((c) => c.status === 'planned' && c.allowFailure).length;
  const axes = Object.entries(plan.axes)
    .map(([name, values]) => `${name} ${values.join(', ')}`)
    .join(' × ');
  return `${cells.length} cells: ${planned} planned${allow ? ` (${allow} allowed to fail)` : ''}, ${cells.length - planned} skipped — ${axes}`;
}

/** `{"cells":[{id, name, status, axes: {<axis>: <resolved value>}}…]}`: what scripts and CI steps read. */
export function renderJson(plan: Plan, cells: Cell[], shard?: ShardSpec): string {
  const out = {
    cells: cells.map(cellJson),
    axes: plan.axes,
    notes: plan.notes,
    ...(shard ? { shard } : {}),
  };
  return JSON.stringify(out, null, 2);
}

/** GitHub Actions runs at most 256 jobs from one matrix. */
export const GITHUB_MAX_JOBS = 256;

/**
 * `{"include":[…]}` for a GitHub Actions strategy.matrix. One job per planned cell while they fit
 * in `maxJobs` (its axes under `matrix.axes.<name>`); beyond that, the cells are grouped into
 * `maxJobs` balanced shards. Each job's `matrix run --shard k/N` runs exactly its `cells`.
 */
export function renderGithub(cells: Cell[], maxJobs = GITHUB_MAX_JOBS): string {
  const planned = cells.filter((c) => c.status === 'planned');
  const count = Math.min(planned.length, maxJobs);
  const include = Array.from({ length: count }, (_, i) => {
    const members = shardCells(cells, i + 1, count).filter((c) => c.status === 'planned');
    const one = members.length === 1 ? members[0]! : undefined;
    return {
      shard: `${i + 1}/${count}`,
      cells: members.map((c) => c.id),
      ...(one ? { cell: one.id, name: one.name, axes: shownAxes(one.axes) } : { name: `${members.length} cells` }),
    };
  });
  return JSON.stringify({ include });
}
