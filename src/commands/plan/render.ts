/** The renderers of `matrix plan`, one per --format, all fed the same Plan. Pure. */
import Table from 'cli-table3';
import type { Cell } from '../../domain.js';
import type { Plan } from '../../plan/plan.js';
import { shardOf } from '../../plan/shard.js';

export function renderTable(plan: Plan, cells: Cell[], color: boolean): string {
  const table = new Table({
    head: ['cell', 'name', 'node', 'onnxruntime-node', 'tokenizer', 'status'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
    wordWrap: true,
    colWidths: [10, null, null, null, null, 60] as unknown as number[],
  });
  for (const c of cells) {
    const status = c.status === 'skipped' ? `skipped: ${c.skipReason ?? ''}` : c.allowFailure ? `planned (may fail: ${c.allowFailureReason ?? 'allow-failure'})` : 'planned';
    table.push([c.id, c.name, c.node, c.ort, `${c.tokenizer.package} ${c.tokenizer.version}`, status]);
  }
  return `${table.toString()}\n${summary(plan, cells)}`;
}

export function summary(plan: Plan, cells: Cell[]): string {
  const planned = cells.filter((c) => c.status === 'planned').length;
  const allow = cells.filter((c) => c.status === 'planned' && c.allowFailure).length;
  const a = plan.axes;
  return (
    `${cells.length} cells: ${planned} planned${allow ? ` (${allow} allowed to fail)` : ''}, ${cells.length - planned} skipped` +
    ` — node ${a.node.join(', ')} × onnxruntime-node ${a['onnxruntime-node'].join(', ')} × ${a.tokenizer.map((t) => `${t.alias} ${t.versions.join(', ')}`).join(' + ')}`
  );
}

/** `{"include":[…]}` for a GitHub Actions strategy.matrix: one job per planned cell, each `matrix run --shard k/N` runs exactly it. */
export function renderGithub(cells: Cell[]): string {
  const planned = cells.filter((c) => c.status === 'planned');
  const include = planned.map((c) => ({
    cell: c.id,
    name: c.name,
    node: c.node,
    ort: c.ort,
    tokenizer: `${c.tokenizer.package}@${c.tokenizer.version}`,
    shard: `${shardOf(cells, c.id, planned.length)}/${planned.length}`,
  }));
  return JSON.stringify({ include });
}
