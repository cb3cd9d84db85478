import { describe, expect, test } from 'vitest';
import type { RunReport } from '../domain.js';
import { byCell } from '../report/order.js';
import { judgeAcrossCells } from '../verdict/drift.js';
import { cellName } from '../axes/index.js';
import { axesOf, HF_OLD } from '../../test/fixtures/runs/make.js';
import { makeRun, standardRun, STANDARD } from '../../test/fixtures/runs/make.js';
import { shard } from '../plan/shard.js';
import { mergeRuns, type ShardInput } from './index.js';

const META = { runId: '20261127T030000Z-0000', tool: { name: 'onnx-matrix', version: '0.1.0' } };

const SOURCES = ['你好', '谢谢', '再见'];

/** A full run with benchmark outputs, drift judged over all cells in axis order, as the runner does. */
function fullRun(preferred?: string): { raw: RunReport; judged: RunReport } {
  const raw = standardRun({ benchmarkSources: SOURCES, ...(preferred ? { referencePreferred: preferred } : {}) });
  raw.cells = raw.cells.sort(byCell).map((r) =>
    ['pass', 'flaky'].includes(r.verdict)
      ? {
          ...r,
          outputs:
            r.cell.name.startsWith('node24.1.0-') && r.cell.name.includes('-hf-tokenizers0.1.3-') ? ['Hi', 'Thanks', 'Bye'] : ['Hello', 'Thanks', 'Goodbye'],
        }
      : r,
  );
  const { results, references } = judgeAcrossCells(raw.cells, SOURCES, preferred);
  return { raw, judged: { ...raw, cells: results, references } };
}

/** What shard i/n of the same run would have written: its own cells, drift judged among them only. */
function shardRun(raw: RunReport, index: number, count: number): RunReport {
  // The cells `matrix run --shard i/n` runs (the planner's partition: skipped cells in shard 1), in plan order.
  const mine = new Set(
    shard(
      raw.cells.map((r) => r.cell),
      index,
      count,
    ).map((c) => c.id),
  );
  const cells = raw.cells.filter((r) => mine.has(r.cell.id));
  const { results, references } = judgeAcrossCells(cells, SOURCES, raw.referencePreferred);
  return { ...raw, runId: `20261127T01000${index}Z-000${index}`, shard: { index, count }, cells: results, references };
}

const verdicts = (r: RunReport) => Object.fromEntries(r.cells.map((c) => [c.cell.id, c.verdict]));

describe('mergeRuns', () => {
  test.each([1, 2, 3, 5])('all %i shards merged give the same verdicts as one full run', (count) => {
    const { raw, judged } = fullRun();
    expect(Object.values(verdicts(judged))).toContain('drift');
    expect(Object.values(verdicts(judged))).toContain('skipped');
    const inputs = Array.from({ length: count }, (_, k) => ({ source: `shard-${k + 1}`, report: shardRun(raw, k + 1, count) }));
    // The shards are a partition of the run: each cell in exactly one.
    expect(inputs.flatMap((i) => i.report.cells.map((r) => r.cell.id)).sort()).toEqual(raw.cells.map((r) => r.cell.id).sort());
    const merged = mergeRuns(inputs, META);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(verdicts(merged.report)).toEqual(verdicts(judged));
    expect(merged.report.cells).toEqual(judged.cells);
    expect(merged.report.references).toEqual(judged.references);
    expect(merged.conflicts).toEqual([]);
    expect(merged.warnings).toEqual([]);
    expect(merged.report.mergedFrom?.map((m) => m.shard?.index)).toEqual(Array.from({ length: count }, (_, k) => k + 1));
  });

  test.each([2, 3])('with a configured reference cell, %i shards still give the verdicts of the full run', (count) => {
    // The drifting cell as the reference: every other comparable cell now drifts from it.
    const { raw, judged } = fullRun(cellName(axesOf({ node: '24.1.0', ort: '1.20.1', tokenizer: HF_OLD })));
    expect(Object.values(verdicts(judged)).filter((v) => v === 'drift').length).toBeGreaterThan(1);
    const inputs = Array.from({ length: count }, (_, k) => ({ source: `shard-${k + 1}`, report: shardRun(raw, k + 1, count) }));
    const merged = mergeRuns(inputs, META);
    if (!merged.ok) throw new Error(merged.problems.join());
    expect(merged.report.cells).toEqual(judged.cells);
    expect(merged.report.references).toEqual(judged.references);
  });

  test('the same cell with different verdicts is a flagged conflict that keeps the failure', () => {
    const a = makeRun([
      { node: '22.11.0', ort: '1.20.1', verdict: 'pass' },
      { node: '20.18.1', ort: '1.20.1', verdict: 'pass' },
    ]);
    const b = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'timeout' }]);
    const merged = mergeRuns(
      [
        { source: 'a.json', report: a },
        { source: 'b.json', report: b },
      ],
      META,
    );
    if (!merged.ok) throw new Error(merged.problems.join());
    expect(merged.conflicts).toEqual([
      {
        cellId: a.cells[0]!.cell.id,
        name: cellName(axesOf({ node: '22.11.0', ort: '1.20.1' })),
        verdicts: [
          { source: 'a.json', verdict: 'pass', reason: 'all checks passed' },
          { source: 'b.json', verdict: 'timeout', reason: b.cells[0]!.reason },
        ],
      },
    ]);
    expect(merged.report.conflicts).toEqual(merged.conflicts);
    const cell = merged.report.cells.find((c) => c.cell.id === a.cells[0]!.cell.id)!;
    expect(cell.verdict).toBe('timeout');
    expect(cell.reason).toMatch(/^conflict between shards: pass in a\.json, timeout in b\.json/);
    expect(merged.report.cells).toHaveLength(2);
  });

  test('duplicates that agree are merged silently, keeping the copy with a lockfile', () => {
    const a = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass', withLockfile: false }]);
    const b = makeRun([{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }]);
    const merged = mergeRuns(
      [
        { source: 'a', report: a },
        { source: 'b', report: b },
      ],
      META,
    );
    expect(merged).toMatchObject({ ok: true, conflicts: [] });
    if (merged.ok) expect(merged.report.cells[0]!.lockfile).toBeDefined();
  });

  test.each<[string, (r: RunReport) => void, RegExp]>([
    ['config', (r) => (r.config.sha256 = 'd'.repeat(64)), /b: config sha256 "d+" differs from "c+" in a/],
    ['model hash', (r) => (r.hashes.model = 'x'), /b: model hash "x" differs/],
    ['cases hash', (r) => (r.hashes.cases = 'x'), /b: cases hash/],
    ['template hash', (r) => (r.hashes.template = 'x'), /b: template hash/],
    ['service hash', (r) => (r.hashes.service = 'x'), /b: service hash/],
    ['backend', (r) => (r.backend = 'local'), /b: backend "local" differs from "docker"/],
  ])('shards that judged different inputs (%s) are refused', (_name, change, message) => {
    const b = standardRun();
    change(b);
    const merged = mergeRuns(
      [
        { source: 'a', report: standardRun() },
        { source: 'b', report: b },
      ],
      META,
    );
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.problems.join('\n')).toMatch(message);
  });

  test('warns about missing shards, tool versions and interrupted runs', () => {
    const base = makeRun(STANDARD.slice(0, 2));
    const inputs: ShardInput[] = [
      { source: 's1', report: { ...base, shard: { index: 1, count: 3 } } },
      { source: 's3', report: { ...base, shard: { index: 3, count: 3 }, tool: { name: 'onnx-matrix', version: '0.2.0' }, interrupted: true } },
    ];
    const merged = mergeRuns(inputs, META);
    if (!merged.ok) throw new Error();
    expect(merged.warnings).toEqual([
      'shards were run by different tool versions: 0.1.0, 0.2.0',
      's3: the run was interrupted; its missing cells are missing here too',
      'missing shard 2/3: their cells are not in the merged run',
    ]);
    expect(merged.report.interrupted).toBe(true);
  });

  test('nothing to merge', () => {
    expect(mergeRuns([], META)).toEqual({ ok: false, problems: ['nothing to merge: give at least one matrix.json'] });
  });
});
