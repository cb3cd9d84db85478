/** Text and JSON forms of a bisect: the plan of the search, each step, the answer. */
import { maxTests, type Bisection, type FixedAxes, type Step } from '../../bisect/index.js';
import type { CellResult } from '../../domain.js';

export interface BisectView {
  axis: string;
  good: string;
  bad: string;
  pkg: string;
  path: string[];
  fixed: FixedAxes;
}

const between = (v: BisectView) => v.path.length - 2;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderStart(v: BisectView): string {
  const others = Object.entries(v.fixed).map(([a, f]) => `${a} ${f.value}`);
  return [
    `bisect ${v.axis}: ${plural(between(v), `release`)} of ${v.pkg} between ${v.good} (good) and ${v.bad} (bad); at most ${maxTests(between(v))} tests, one more per skipped release`,
    ...(others.length ? [`fixed: ${others.join(', ')}`] : []),
  ].join('\n');
}

export const said = (r: CellResult) => `${r.verdict}${r.verdict === 'pass' || !r.reason ? '' : `: ${r.reason}`}${r.cached ? ' (cached)' : ''}`;

export const renderStep = (v: BisectView, step: Step<CellResult>, index: number, most: number) =>
  `step ${index}/${most}: ${v.axis} ${step.version} → ${said(step.detail)}`;

/** The answer, one line: the boundary, the bound that does not hold, or where the machine failed. */
export function renderAnswer(v: BisectView, b: Bisection<CellResult>): string {
  if (b.kind === 'found') {
    if (!b.skipped.length) return `first bad: ${b.firstBad} (last good: ${b.lastGood})`;
    return `first bad: ${b.firstBad} or one of the skipped ${b.skipped.join(', ')} before it (last good: ${b.lastGood})`;
  }
  if (b.kind === 'bounds') {
    const step = b.steps.find((s) => s.version === b.version)!;
    return `the bounds do not hold: --${b.bound} ${b.version} is not ${b.bound} (${said(step.detail)})`;
  }
  return `bisect stopped at ${v.axis} ${b.version}: ${said(b.detail)}`;
}

export function renderJson(v: BisectView, b: Bisection<CellResult>): string {
  const found = b.kind === 'found';
  return JSON.stringify(
    {
      axis: v.axis,
      good: v.good,
      bad: v.bad,
      package: v.pkg,
      fixed: Object.fromEntries(Object.entries(v.fixed).map(([a, f]) => [a, f.value])),
      between: between(v),
      maxTested: maxTests(between(v)),
      steps: b.steps.map((s) => ({
        version: s.version,
        cell: s.detail.cell.name,
        verdict: s.detail.verdict,
        reason: s.detail.reason,
        cached: s.detail.cached,
      })),
      firstBad: found ? b.firstBad : null,
      lastGood: found ? b.lastGood : null,
      ...(found && b.skipped.length ? { skippedBetween: b.skipped } : {}),
      ...(b.kind === 'bounds' ? { boundFailed: { bound: b.bound, version: b.version, outcome: b.outcome } } : {}),
      tested: b.steps.length,
    },
    null,
    2,
  );
}
