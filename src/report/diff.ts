/**
 * What changed between two runs, cell by cell (matched by cell id: the same resolved versions).
 * "Newly failing" is the regression a CI gate cares about: passed before, fails now.
 */
import type { CellResult, RunReport, Verdict } from '../domain.js';
import { byCell } from './order.js';
import { outcomeOf } from './outcome.js';

export interface CellChange {
  id: string;
  name: string;
  before?: { verdict: Verdict; reason: string };
  after?: { verdict: Verdict; reason: string };
}

export interface RunDiff {
  a: string;
  b: string;
  /** Passed in A, failed in B. */
  newlyFailing: CellChange[];
  /** Failed in A, passed in B. */
  newlyPassing: CellChange[];
  /** Any other change of verdict (fail → crash, pass → flaky, skipped ↔ anything). */
  changed: CellChange[];
  /** Only in B. */
  added: CellChange[];
  /** Only in A. */
  removed: CellChange[];
  unchanged: number;
}

const side = (r: CellResult) => ({ verdict: r.verdict, reason: r.reason });

export function diffRuns(a: RunReport, b: RunReport): RunDiff {
  const diff: RunDiff = { a: a.runId, b: b.runId, newlyFailing: [], newlyPassing: [], changed: [], added: [], removed: [], unchanged: 0 };
  const before = new Map(a.cells.map((r) => [r.cell.id, r]));
  const after = new Map(b.cells.map((r) => [r.cell.id, r]));
  for (const r of [...b.cells].sort(byCell)) {
    const old = before.get(r.cell.id);
    const change: CellChange = { id: r.cell.id, name: r.cell.name, after: side(r) };
    if (!old) {
      diff.added.push(change);
      continue;
    }
    change.before = side(old);
    const was = outcomeOf(old);
    const now = outcomeOf(r);
    if (was === 'passed' && now === 'failed') diff.newlyFailing.push(change);
    else if (was === 'failed' && now === 'passed') diff.newlyPassing.push(change);
    else if (old.verdict !== r.verdict) diff.changed.push(change);
    else diff.unchanged++;
  }
  for (const r of [...a.cells].sort(byCell)) {
    if (!after.has(r.cell.id)) diff.removed.push({ id: r.cell.id, name: r.cell.name, before: side(r) });
  }
  return diff;
}
