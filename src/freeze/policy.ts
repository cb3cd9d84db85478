/**
 * Choosing the golden cell of a run. Only a cell that passed every check on the first attempt,
 * that shards did not disagree on, and whose npm lockfile was recorded can be golden (a flaky
 * cell is not a version set to build on; without a lockfile there is no tree to freeze).
 *
 * Policies, all comparing versions with semver in axis order (Node, then onnxruntime-node, then
 * the tokenizer package name and its version):
 * - newest: the highest versions; each axis only breaks ties of the previous one.
 * - oldest: the lowest versions, same order.
 * - current: the smallest change from the golden lock in place; per axis a change of package
 *   counts 4, major 3, minor 2, patch or prerelease 1; the smallest sum wins, ties go to newest.
 */
import semver from 'semver';
import type { CellResult, RunReport } from '../domain.js';
import { cellLabel, compareCells, compareVersions } from '../report/order.js';
import type { GoldenLock } from './golden-lock.js';

export const POLICIES = ['newest', 'oldest', 'current'] as const;
export type Policy = (typeof POLICIES)[number];

export type Choice =
  | { ok: true; result: CellResult; policy: Policy; explanation: string[] }
  | { ok: false; reasons: string[] };

/** Why a cell cannot be golden, or undefined when it can. */
export function ineligibility(r: CellResult, report: RunReport): string | undefined {
  if (report.conflicts?.some((c) => c.cellId === r.cell.id)) return 'shards disagreed on its verdict';
  if (r.verdict === 'flaky') return `flaky: ${r.reason}`;
  if (r.verdict !== 'pass') return `${r.verdict}: ${r.reason}`;
  const failed = r.checks.find((c) => c.status === 'fail');
  if (failed) return `check ${failed.name} failed${failed.message ? `: ${failed.message}` : ''}`;
  if (r.lockfile === undefined) return 'no npm lockfile was recorded for it';
  return undefined;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareNewest(a: CellResult, b: CellResult): number {
  return (
    compareVersions(b.cell.node, a.cell.node) ||
    compareVersions(b.cell.ort, a.cell.ort) ||
    byName(a.cell.tokenizer.package, b.cell.tokenizer.package) ||
    compareVersions(b.cell.tokenizer.version, a.cell.tokenizer.version) ||
    byName(a.cell.id, b.cell.id)
  );
}

/** Ascending in axis order: the order every report already uses. */
export const compareOldest = (a: CellResult, b: CellResult): number => compareCells(a.cell, b.cell);

const STEP: Record<string, number> = { major: 3, premajor: 3, minor: 2, preminor: 2, patch: 1, prepatch: 1, prerelease: 1 };

function step(from: string, to: string): number {
  if (from === to) return 0;
  const a = semver.valid(from) ?? semver.coerce(from)?.version;
  const b = semver.valid(to) ?? semver.coerce(to)?.version;
  const kind = a && b ? semver.diff(a, b) : 'major';
  return kind ? (STEP[kind] ?? 3) : 0;
}

export interface Change {
  axis: string;
  from: string;
  to: string;
  weight: number;
}

/** The axis changes from a golden lock to a cell, in axis order. */
export function changesFrom(lock: Pick<GoldenLock, 'node' | 'onnxruntime-node' | 'tokenizer'>, r: CellResult): Change[] {
  const changes: Change[] = [];
  const add = (axis: string, from: string, to: string, weight: number) => weight > 0 && changes.push({ axis, from, to, weight });
  add('node', lock.node, r.cell.node, step(lock.node, r.cell.node));
  add('onnxruntime-node', lock['onnxruntime-node'], r.cell.ort, step(lock['onnxruntime-node'], r.cell.ort));
  if (lock.tokenizer.package !== r.cell.tokenizer.package) {
    add('tokenizer', `${lock.tokenizer.package} ${lock.tokenizer.version}`, `${r.cell.tokenizer.package} ${r.cell.tokenizer.version}`, 4);
  } else {
    add(lock.tokenizer.package, lock.tokenizer.version, r.cell.tokenizer.version, step(lock.tokenizer.version, r.cell.tokenizer.version));
  }
  return changes;
}

const distance = (changes: Change[]) => changes.reduce((sum, c) => sum + c.weight, 0);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
      ? [...report.cells].sort(compareNewest).map((r) => `${cellLabel(r.cell)}: ${rejected.get(r.cell.id)}`)
      : ['the run has no cells'];
    return { ok: false, reasons };
  }

  const effective: Policy = policy === 'current' && !currentLock ? 'newest' : policy;
  const notes: string[] = [];
  let order: (a: CellResult, b: CellResult) => number;
  if (effective === 'current') {
    const lock = currentLock!;
    order = (a, b) => distance(changesFrom(lock, a)) - distance(changesFrom(lock, b)) || changesFrom(lock, a).length - changesFrom(lock, b).length || compareNewest(a, b);
  } else {
    order = effective === 'newest' ? compareNewest : compareOldest;
  }
  const ranked = [...eligible].sort(order);
  const chosen = ranked[0]!;

  const count = `${plural(eligible.length, 'cell')} of ${report.cells.length} passed every check`;
  const explanation = [
    effective === 'current'
      ? `policy current: ${count}; chose the smallest change from the golden lock in place (package 4, major 3, minor 2, patch 1 per axis), ties to the newest`
      : `policy ${effective}: ${count}; chose the ${effective} by Node, then onnxruntime-node, then tokenizer (semver)`,
    `golden: ${cellLabel(chosen.cell)} (cell ${chosen.cell.id})`,
  ];
  if (policy === 'current' && !currentLock) notes.push('no golden lock in place, so policy current fell back to newest');
  if (effective !== 'current') {
    // The cells the policy preferred but could not take, so "why not X?" has an answer.
    const all = [...report.cells].sort(effective === 'newest' ? compareNewest : compareOldest);
    for (const r of all) {
      if (r === chosen) break;
      explanation.push(`passed over ${cellLabel(r.cell)}: ${rejected.get(r.cell.id) ?? 'ranked lower'}`);
    }
  } else {
    const changes = changesFrom(currentLock!, chosen);
    notes.push(
      changes.length
        ? `changes from the golden lock in place: ${changes.map((c) => `${c.axis} ${c.from} → ${c.to}`).join(', ')}`
        : 'same versions as the golden lock in place',
    );
  }
  return { ok: true, result: chosen, policy: effective, explanation, notes };
}
