import { describe, expect, test } from 'vitest';
import { makeRun, type CellSpec } from '../../test/fixtures/runs/make.js';
import { buildHistory, historyJson, historyUntil, verdictsByRun, type RunHistory } from './history.js';
import { historyStrip, renderHistory } from './terminal/history.js';
import { renderHtml } from './html/index.js';

const A = { node: '20.18.1', ort: '1.20.1' } as const;
const B = { node: '22.11.0', ort: '1.20.1' } as const;
const C = { node: '24.1.0', ort: '1.20.1' } as const;
const spec = (cell: typeof A | typeof B | typeof C, verdict: CellSpec['verdict']): CellSpec => ({ ...cell, verdict });

// Given out of order: the history sorts by run id.
const RUNS = [
  makeRun([spec(A, 'pass'), spec(B, 'fail'), spec(C, 'pass')], { runId: '20261127T030000Z-cccc' }),
  makeRun([spec(A, 'pass'), spec(B, 'pass')], { runId: '20261127T010000Z-aaaa' }),
  makeRun([spec(A, 'skipped'), spec(B, 'pass')], { runId: '20261127T020000Z-bbbb' }),
  makeRun([spec(A, 'fail'), spec(B, 'flaky'), spec(C, 'skipped')], { runId: '20261127T040000Z-dddd' }),
];
const ids = ['20261127T010000Z-aaaa', '20261127T020000Z-bbbb', '20261127T030000Z-cccc', '20261127T040000Z-dddd'];
const cellAt = (h: RunHistory, node: string) => h.cells.find((c) => c.cell.name.startsWith(`node${node}-`))!;

describe('buildHistory', () => {
  const history = buildHistory(RUNS);

  test('orders the runs by id and the cells in axis order', () => {
    expect(history.runs).toEqual(ids);
    expect(history.cells.map((c) => c.cell.name.split('-')[0])).toEqual(['node20.18.1', 'node22.11.0', 'node24.1.0']);
  });

  test.each([
    // node, verdicts oldest first, passes/judged, pass rate, last change
    ['20.18.1', ['pass', 'skipped', 'pass', 'fail'], 2, 3, 0.6667, { runId: ids[3], from: 'pass', to: 'fail' }],
    ['22.11.0', ['pass', 'pass', 'fail', 'flaky'], 3, 4, 0.75, { runId: ids[3], from: 'fail', to: 'flaky' }],
    // Appears in the third run only, then skipped: judged once.
    ['24.1.0', ['pass', 'skipped'], 1, 1, 1, { runId: ids[3], from: 'pass', to: 'skipped' }],
  ] as const)('node %s: verdicts, pass rate over the runs not skipped, last change', (node, verdicts, passes, judged, rate, change) => {
    const c = cellAt(history, node);
    expect(c.verdicts.map((v) => v.verdict)).toEqual(verdicts);
    expect(c.verdicts.length).toBe(verdicts.length);
    expect([c.passes, c.judged, c.passRate]).toEqual([passes, judged, rate]);
    expect(c.lastChange).toEqual(change);
  });

  test('a cell that never changed has no last change; one only ever skipped has no pass rate', () => {
    const h = buildHistory([
      makeRun([spec(A, 'pass'), spec(C, 'skipped')], { runId: ids[0] }),
      makeRun([spec(A, 'pass'), spec(C, 'skipped')], { runId: ids[1] }),
    ]);
    expect(cellAt(h, '20.18.1').lastChange).toBeNull();
    expect(cellAt(h, '20.18.1').passRate).toBe(1);
    expect(cellAt(h, '24.1.0').passRate).toBeNull();
    expect(cellAt(h, '24.1.0').judged).toBe(0);
  });

  test('a late cell is absent from the runs before it', () => {
    expect(verdictsByRun(history, cellAt(history, '24.1.0')).map((v) => v?.verdict)).toEqual([undefined, undefined, 'pass', 'skipped']);
  });

  test('no runs, no cells', () => {
    expect(buildHistory([])).toEqual({ runs: [], cells: [] });
  });
});

describe('historyUntil', () => {
  test('takes the runs before the report and the report itself, newest `limit`', () => {
    const current = RUNS[0]!; // …030000Z
    expect(historyUntil(current, RUNS).runs).toEqual(ids.slice(0, 3));
    expect(historyUntil(current, RUNS, 2).runs).toEqual(ids.slice(1, 3));
    // The report from memory wins over a copy of it on disk, and alone it is a history of one.
    expect(historyUntil(current, []).runs).toEqual([ids[2]]);
  });
});

describe('renderers', () => {
  const history = buildHistory(RUNS);

  test('the strip has one mark per run, newest last, · where the cell was not in the run', () => {
    expect(history.cells.map((c) => historyStrip(history, c))).toEqual(['✔–✔✖', '✔✔✖!', '··✔–']);
  });

  test('the table: cell, runs, pass rate, last change, strip', () => {
    const text = renderHistory(history, { color: false });
    const row = text.split('\n').find((l) => l.includes('node20.18.1'))!;
    expect(
      row
        .split('│')
        .map((s) => s.trim())
        .filter(Boolean),
    ).toEqual([cellAt(history, '20.18.1').cell.name, '4', '66.7 % (2/3)', '20261127T040000Z-dddd: pass → fail', '✔–✔✖']);
    expect(text).toContain('3 cells over 4 runs (20261127T010000Z-aaaa … 20261127T040000Z-dddd), newest last');
    expect(text).not.toContain('\x1b[');
  });

  test('--json is versioned and lists each cell by id and name', () => {
    const json = JSON.parse(historyJson(history));
    expect(json.historyVersion).toBe(1);
    expect(json.runs).toEqual(ids);
    expect(json.cells[2]).toEqual({
      id: cellAt(history, '24.1.0').cell.id,
      name: cellAt(history, '24.1.0').cell.name,
      runs: 2,
      passes: 1,
      judged: 1,
      passRate: 1,
      lastChange: { runId: ids[3], from: 'pass', to: 'skipped' },
      verdicts: [
        { runId: ids[2], verdict: 'pass' },
        { runId: ids[3], verdict: 'skipped' },
      ],
    });
  });

  test('index.html: a strip per grid cell and in its details, the run alone without a history', () => {
    const latest = RUNS[3]!;
    const page = renderHtml(latest, historyUntil(latest, RUNS));
    const a = cellAt(history, '20.18.1').cell.id;
    const grid = page.match(new RegExp(`<td class="cell [a-z]+" data-cell="${a}">.*?</td>`))![0];
    expect([...grid.matchAll(/data-verdict="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['pass', 'skipped', 'pass', 'fail']);
    expect(page).toContain('<tr><th>last change</th><td>20261127T040000Z-dddd: pass → fail</td></tr>');
    const alone = renderHtml(latest);
    const strip = alone.match(new RegExp(`data-cell="${a}">.*?</td>`))![0];
    expect([...strip.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1])).toEqual([ids[3]]);
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});
