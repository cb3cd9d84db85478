import { describe, expect, test } from 'vitest';
import type { RunReport } from '../domain.js';
import { makeRun, standardRun } from '../../test/fixtures/runs/make.js';
import { pivot } from './pivot.js';

/** Slot sizes, and the verdict of every one-result slot, row by row. */
const grid = (report: RunReport) => pivot(report).rows.map((r) => r.cells.map((rs) => rs.map((x) => x.verdict).join('+') || '·'));

/** The same run with its axes renamed and the runtime moved last: the layout goes by kind, not by name. */
function renamed(report: RunReport, names: Record<string, string>): RunReport {
  const rename = (axes: Record<string, unknown>) => {
    const entries = Object.entries(axes).map(([n, v]) => [names[n] ?? n, v] as const);
    return Object.fromEntries([...entries.slice(1), entries[0]!]);
  };
  return { ...report, layout: undefined, cells: report.cells.map((r) => ({ ...r, cell: { ...r.cell, axes: rename(r.cell.axes) as typeof r.cell.axes } })) };
}

describe('pivot', () => {
  test("the run's layout: a row per combination of the row axes, a column per Node, ascending", () => {
    const p = pivot(standardRun());
    expect(p.layout).toEqual({ rows: ['onnxruntime-node', 'tokenizer', 'express', 'model'], columns: ['node'] });
    expect(p.columns).toEqual([
      { label: 'node 20.18.1', values: { node: '20.18.1' } },
      { label: 'node 22.11.0', values: { node: '22.11.0' } },
      { label: 'node 24.1.0', values: { node: '24.1.0' } },
    ]);
    expect(p.rows.map((r) => r.label)).toEqual([
      'onnxruntime-node 1.19.2, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32',
      'onnxruntime-node 1.19.2, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32',
      'onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.1.3, express 5.1.0, model fp32',
      'onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32',
      'onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model int8',
    ]);
    expect(p.rows[4]!.values).toEqual({ 'onnxruntime-node': '1.20.1', tokenizer: 'hf-tokenizers 0.2.0', express: '5.1.0', model: 'int8' });
    expect(grid(standardRun())).toEqual([
      ['pass', 'pass', 'skipped'],
      ['pass', 'pass', 'install-error'],
      ['pass', 'fail', 'pass'],
      ['pass', 'pass', 'flaky'],
      ['pass', 'fail', '·'],
    ]);
  });

  test('without a layout, the runtime axis is the columns and every other axis a row, whatever their names', () => {
    const p = pivot(standardRun({ layout: undefined }));
    expect(p.layout).toEqual({ rows: ['onnxruntime-node', 'tokenizer', 'express', 'model'], columns: ['node'] });
    expect(grid(standardRun({ layout: undefined }))).toEqual(grid(standardRun()));

    const other = renamed(standardRun(), { node: 'nodejs', 'onnxruntime-node': 'ort' });
    const q = pivot(other);
    expect(q.layout).toEqual({ rows: ['ort', 'tokenizer', 'express', 'model'], columns: ['nodejs'] });
    expect(q.columns.map((c) => c.label)).toEqual(['nodejs 20.18.1', 'nodejs 22.11.0', 'nodejs 24.1.0']);
    expect(grid(other)).toEqual(grid(standardRun()));
  });

  test('rows: [model], columns: [node, tokenizer]; the axes named nowhere join the rows', () => {
    const run = standardRun({ layout: { rows: ['model'], columns: ['node', 'tokenizer'] } });
    const p = pivot(run);
    expect(p.layout).toEqual({ rows: ['model', 'onnxruntime-node', 'express'], columns: ['node', 'tokenizer'] });
    expect(p.columns.map((c) => c.label)).toEqual([
      'node 20.18.1 · tokenizer hf-tokenizers 0.1.3',
      'node 20.18.1 · tokenizer hf-tokenizers 0.2.0',
      'node 22.11.0 · tokenizer hf-tokenizers 0.1.3',
      'node 22.11.0 · tokenizer hf-tokenizers 0.2.0',
      'node 24.1.0 · tokenizer hf-tokenizers 0.1.3',
      'node 24.1.0 · tokenizer hf-tokenizers 0.2.0',
    ]);
    expect(p.columns[3]!.values).toEqual({ node: '22.11.0', tokenizer: 'hf-tokenizers 0.2.0' });
    expect(p.rows.map((r) => r.label)).toEqual([
      'model fp32, onnxruntime-node 1.19.2, express 5.1.0',
      'model fp32, onnxruntime-node 1.20.1, express 5.1.0',
      'model int8, onnxruntime-node 1.20.1, express 5.1.0',
    ]);
    expect(grid(run)).toEqual([
      ['pass', 'pass', 'pass', 'pass', 'skipped', 'install-error'],
      ['pass', 'pass', 'fail', 'pass', 'pass', 'flaky'],
      ['·', 'pass', '·', 'fail', '·', '·'],
    ]);
    // Every cell lands in the slot of its own values.
    for (const row of p.rows) {
      row.cells.forEach((rs, i) => {
        for (const r of rs) expect(r.cell.name).toContain(`node${p.columns[i]!.values.node}-`);
      });
    }
    expect(p.rows.flatMap((r) => r.cells.flat())).toHaveLength(run.cells.length);
  });

  test('a missing combination is an empty slot', () => {
    const p = pivot(
      makeRun([
        { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
        { node: '22.11.0', ort: '1.19.2', verdict: 'pass' },
      ]),
    );
    expect(p.rows.map((r) => r.cells.map((c) => c.length))).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  test('with every axis on rows there is one column, the verdict', () => {
    const p = pivot(standardRun({ layout: { rows: ['node', 'onnxruntime-node', 'tokenizer', 'express', 'model'], columns: [] } }));
    expect(p.columns).toEqual([{ label: 'verdict', values: {} }]);
    expect(p.rows).toHaveLength(14);
    expect(p.rows.every((r) => r.cells.length === 1 && r.cells[0]!.length === 1)).toBe(true);
  });
});
