/** The renderers of `matrix plan`, one per --format, all fed the same Plan. Pure. */
import Table from 'cli-table3';
import { displayAxes, shownAxes } from '../../axes/index.js';
import type { Cell } from '../../domain.js';
import { cellJson } from '../../plan/json.js';
import type { Plan } from '../../plan/plan.js';
import { shardOf, type ShardSpec } from '../../plan/shard.js';

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

export function summary(plan: Plan, cells: Cell[]): string {
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

/** `{"include":[…]}` for a GitHub Actions strategy.matrix: one job per planned cell (its axes under
 * `matrix.axes.<name>`), each `matrix run --shard k/N` runs exactly it. */
export function renderGithub(cells: Cell[]): string {
  const planned = cells.filter((c) => c.status === 'planned');
  const include = planned.map((c) => ({
    cell: c.id,
    name: c.name,
    axes: shownAxes(c.axes),
    shard: `${shardOf(cells, c.id, planned.length)}/${planned.length}`,
  }));
  return JSON.stringify({ include });
}
