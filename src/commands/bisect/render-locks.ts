/** Text and JSON forms of `matrix bisect --locks`: the changes, each subset tested, the culprit. */
import type { DdOutcome, DdResult, DdStep } from '../../bisect/ddmin.js';
import type { FixedAxes } from '../../bisect/index.js';
import { pinBack } from '../../bisect/locks.js';
import { changeLine, type PackageChange, type TreeDiff } from '../../bisect/tree-diff.js';
import type { CellResult } from '../../domain.js';
import { said } from './render.js';

export interface LocksView {
  good: string;
  bad: string;
  cell: string;
  fixed: FixedAxes;
  diff: TreeDiff;
}

type Result = DdResult<PackageChange, CellResult>;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderLocksStart(v: LocksView): string {
  const { changes } = v.diff;
  return [
    `bisect --locks: ${plural(changes.length, 'package change')} between ${v.good} (good) and ${v.bad} (bad), transitive ones included`,
    ...changes.map((c) => `  ${changeLine(c)}`),
    `cell: ${v.cell} (${Object.entries(v.fixed)
      .map(([a, f]) => `${a} ${f.value}`)
      .join(', ')})`,
  ].join('\n');
}

const subsetLine = (v: LocksView, subset: readonly PackageChange[]) =>
  subset.length === 0
    ? 'no change (the good tree)'
    : subset.length === v.diff.changes.length
      ? `every change (the bad tree)`
      : subset.map(changeLine).join(', ');

const verdictLine = (outcome: DdOutcome, r: CellResult) => (outcome === 'unresolved' ? `unresolvable (${said(r)})` : said(r));

export const renderLocksStep = (v: LocksView, step: DdStep<PackageChange, CellResult>, index: number) =>
  `step ${index}: ${subsetLine(v, step.subset)} → ${verdictLine(step.outcome, step.detail)}`;

/** The culprit and how to pin it back, the end that does not hold, or where the machine failed. */
export function renderLocksAnswer(v: LocksView, b: Result): string {
  if (b.kind === 'found') {
    const back = pinBack(b.culprit);
    const added = b.culprit.filter((c) => c.from === null).map((c) => c.package);
    return [
      `culprit: ${b.culprit.map(changeLine).join(', ')}`,
      ...(Object.keys(back).length ? [`pin it back: "overrides": ${JSON.stringify(back)}`] : []),
      ...(added.length ? [`not in the good tree, so no override can pin it back: ${added.join(', ')} (remove what pulls it in)`] : []),
      `${plural(b.steps.length, 'subset')} tested`,
    ].join('\n');
  }
  if (b.kind === 'ends') {
    const step = b.steps.at(-1)!;
    return b.end === 'good'
      ? `the ends do not hold: the good tree (${v.good}) does not pass: ${verdictLine(b.outcome, step.detail)}`
      : `the ends do not hold: the bad tree (${v.bad}, every change) does not fail: ${verdictLine(b.outcome, step.detail)}`;
  }
  return `bisect stopped at ${subsetLine(v, b.subset)}: ${said(b.detail)}`;
}

const change = (c: PackageChange) => ({ package: c.package, from: c.from, to: c.to });

export function renderLocksJson(v: LocksView, b: Result): string {
  const found = b.kind === 'found';
  return JSON.stringify(
    {
      good: v.good,
      bad: v.bad,
      cell: v.cell,
      fixed: Object.fromEntries(Object.entries(v.fixed).map(([a, f]) => [a, f.value])),
      changes: v.diff.changes.map(change),
      ...(v.diff.left.length ? { leftOut: v.diff.left } : {}),
      steps: b.steps.map((s) => ({
        subset: s.subset.map(change),
        outcome: s.outcome,
        verdict: s.detail.verdict,
        reason: s.detail.reason,
        cached: s.detail.cached,
      })),
      culprit: found ? b.culprit.map(change) : null,
      overrides: found ? pinBack(b.culprit) : null,
      ...(b.kind === 'ends' ? { endFailed: { end: b.end, outcome: b.outcome } } : {}),
      tested: b.steps.length,
    },
    null,
    2,
  );
}
