/**
 * Choosing the golden cell of a run. Only a cell that passed every check on the first attempt,
 * that shards did not disagree on, and whose npm lockfile was recorded can be golden (a flaky
 * cell is not a version set to build on; without a lockfile there is no tree to freeze).
 *
 * Policies, all in matrix.yaml's axis order, each axis compared by its kind (src/axes: versions
 * by semver; alternatives by package name, then version; model variants by name, and for
 * newest the variant listed first in matrix.yaml):
 * - newest: the highest values; each axis only breaks ties of the previous one.
 * - oldest: the lowest values, same order.
 * - current: the smallest change from the golden lock in place; per axis the kind's distance
 *   (another package or variant 4, major 3, minor 2, patch or prerelease 1); the smallest sum
 *   wins, then the fewest axes changed, ties go to newest. The lock's own cell, if it still
 *   passes, is at distance 0.
 */
import { axisChanges, compareCells, compareNewestOn, compareText, describeAxes } from '../axes/index.js';
import type { CellResult, RunReport } from '../domain.js';
import type { Policy } from './policies.js';
import type { GoldenLock } from './types.js';

export type Choice = { ok: true; result: CellResult; policy: Policy; explanation: string[] } | { ok: false; reasons: string[] };

/** Why a cell cannot be golden, or undefined when it can. */
function ineligibility(r: CellResult, report: RunReport): string | undefined {
  if (report.conflicts?.some((c) => c.cellId === r.cell.id)) return 'shards disagreed on its verdict';
  if (r.verdict === 'flaky') return `flaky: ${r.reason}`;
  if (r.verdict !== 'pass') return `${r.verdict}: ${r.reason}`;
  const failed = r.checks.find((c) => c.status === 'fail');
  if (failed) return `check ${failed.name} failed${failed.message ? `: ${failed.message}` : ''}`;
  if (r.lockfile === undefined) return 'no npm lockfile was recorded for it';
  return undefined;
}

/** Newest releases in axis order (the first tokenizer package and model variant); equal cells by id, so the order is total. */
const compareNewest = (a: CellResult, b: CellResult): number => compareNewestOn(Object.keys(a.cell.axes), a.cell, b.cell) || compareText(a.cell.id, b.cell.id);

/** Ascending in axis order: the order every report already uses. */
const compareOldest = (a: CellResult, b: CellResult): number => compareCells(a.cell, b.cell);

export interface Change {
  axis: string;
  from: string;
  to: string;
  weight: number;
}

/** The axis changes from a golden lock to a cell, in the lock's axis order. */
export function changesFrom(lock: Pick<GoldenLock, 'axes'>, r: CellResult): Change[] {
  return axisChanges(lock.axes, r.cell.axes).map((c) => ({ axis: c.axis, from: c.from, to: c.to, weight: c.distance }));
}

const distance = (changes: Change[]) => changes.reduce((sum, c) => sum + c.weight, 0);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "node, then onnxruntime-node, then tokenizer": the axes of the run, in order. */
const axisOrder = (report: RunReport) => Object.keys(report.cells[0]?.cell.axes ?? {}).join(', then ');

/**
 * `explanation` holds only what follows from the report and the policy, so freezing the same
 * report twice writes the same lock; `notes` (printed, not stored) add what depends on the lock
 * that was in place.
 */
export function chooseGolden(report: RunReport, policy: Policy, currentLock?: GoldenLock): Choice & { notes?: string[] } {
  const rejected = new Map<string, string>();
  const eligible: CellResult[] = [];
  for (const r of report.cells) {
    const why = ineligibility(r, report);
    if (why) rejected.set(r.cell.id, why);
    else eligible.push(r);
  }
  if (!eligible.length) {
    const reasons = report.cells.length
      ? [...report.cells].sort(compareNewest).map((r) => `${describeAxes(r.cell.axes)}: ${rejected.get(r.cell.id)}`)
      : ['the run has no cells'];
    return { ok: false, reasons };
  }

  const effective: Policy = policy === 'current' && !currentLock ? 'newest' : policy;
  const notes: string[] = [];
  let order: (a: CellResult, b: CellResult) => number;
  if (effective === 'current') {
    const lock = currentLock!;
    const changes = new Map(eligible.map((r) => [r, changesFrom(lock, r)]));
    order = (a, b) => distance(changes.get(a)!) - distance(changes.get(b)!) || changes.get(a)!.length - changes.get(b)!.length || compareNewest(a, b);
  } else {
    order = effective === 'newest' ? compareNewest : compareOldest;
  }
  const ranked = [...eligible].sort(order);
  const chosen = ranked[0]!;

  const count = `${plural(eligible.length, 'cell')} of ${report.cells.length} passed every check`;
  const explanation = [
    effective === 'current'
      ? `policy current: ${count}; chose the smallest change from the golden lock in place ` +
        '(another package or variant 4, major 3, minor 2, patch 1 per axis), ties to the newest'
      : `policy ${effective}: ${count}; chose the ${effective} by ${axisOrder(report)}`,
    `golden: ${describeAxes(chosen.cell.axes)} (cell ${chosen.cell.id})`,
  ];
  if (policy === 'current' && !currentLock) notes.push('no golden lock in place, so policy current fell back to newest');
  if (effective !== 'current') {
    // The cells the policy preferred but could not take, so "why not X?" has an answer.
    const all = [...report.cells].sort(effective === 'newest' ? compareNewest : compareOldest);
    for (const r of all) {
      if (r === chosen) break;
      explanation.push(`passed over ${describeAxes(r.cell.axes)}: ${rejected.get(r.cell.id) ?? 'ranked lower'}`);
    }
  } else {
    const changes = changesFrom(currentLock!, chosen);
    notes.push(
      changes.length
        ? `changes from the golden lock in place: ${changes.map((c) => `${c.axis} ${c.from} → ${c.to}`).join(', ')}`
        : 'same axis values as the golden lock in place',
    );
  }
  return { ok: true, result: chosen, policy: effective, explanation, notes };
}
