import { describe, expect, test } from 'vitest';
import type { Verdict } from '../../domain.js';
import { makeRun, type CellSpec } from '../../../test/fixtures/runs/make.js';
import { buildHistory } from '../history.js';
import { changeOf } from './changes.js';

const REF = { node: '20.18.1', ort: '1.20.1' } as const;
const CELL = { node: '22.11.0', ort: '1.20.1' } as const;
const IDS = ['20261127T010000Z-aaaa', '20261127T020000Z-bbbb', '20261127T030000Z-cccc'];

/** Runs of a reference cell that passes and the cell under test with the given verdicts. */
function history(verdicts: Verdict[]) {
  const runs = verdicts.map((v, i) =>
    makeRun(
      [
        { ...REF, verdict: 'pass' },
        { ...CELL, verdict: v },
      ] as CellSpec[],
      { runId: IDS[i] },
    ),
  );
  const id = runs[0]!.cells.find((r) => r.cell.name.startsWith('node22'))!.cell.id;
  return { h: buildHistory(runs), id };
}

describe('changeOf: what changed since the previous run', () => {
  test.each([
    { before: ['pass'], now: 'fail', change: 'newly-failing' },
    { before: ['skipped'], now: 'crash', change: 'newly-failing' },
    { before: ['flaky'], now: 'timeout', change: 'newly-failing' },
    { before: ['fail'], now: 'pass', change: 'newly-passing' },
    { before: ['install-error'], now: 'flaky', change: 'newly-passing' },
    { before: ['pass'], now: 'drift', change: 'drift' },
    { before: ['fail'], now: 'drift', change: 'drift' },
    { before: ['fail'], now: 'fail', change: undefined },
    { before: ['fail'], now: 'crash', change: undefined },
    { before: ['drift'], now: 'drift', change: undefined },
    { before: ['pass'], now: 'flaky', change: undefined },
    { before: ['fail'], now: 'skipped', change: undefined },
    { before: ['skipped'], now: 'pass', change: undefined },
    // Only the run right before counts.
    { before: ['fail', 'pass'], now: 'pass', change: undefined },
    { before: [], now: 'fail', change: undefined },
  ] as { before: Verdict[]; now: Verdict; change: string | undefined }[])('$before → $now: $change', ({ before, now, change }) => {
    const { h, id } = history([...before, now]);
    const got = changeOf(h, IDS[before.length]!, id, now);
    expect(got?.change).toBe(change);
    if (got) expect(got.before).toMatchObject({ runId: IDS[before.length - 1], verdict: before.at(-1) });
  });

  test('a cell absent from the history (a page rendered without one) has no badge', () => {
    expect(changeOf({ runs: [], cells: [] }, IDS[0]!, 'deadbeef', 'fail')).toBeUndefined();
  });
});
