/**
 * `matrix run --repeat N`: one cell built once and run N times, each run one attempt (no
 * retries: a retry would hide the very failures the rate counts). Pure: the pass rate with its
 * 95% Wilson score interval, and the one result the N runs make:
 * - every run passed → `pass`;
 * - none passed → the verdict and reason of the first run that did not pass;
 * - some passed → `flaky`, `passed k of N runs (95% CI lo–hi %)` and the first failing run's reason.
 * A run the machine spoiled (infra-error) or an interrupt ends the repeat: that run is the result.
 */
import { PASSING, type CellResult, type Repeat, type Verdict } from '../domain.js';

/** The two-sided 95% quantile of the standard normal distribution. */
export const Z_95 = 1.959963984540054;

/**
 * The Wilson score interval of `passes` successes in `runs` trials: the rates p for which
 * |passes/runs − p| ≤ z·√(p(1 − p)/runs). Unlike the normal approximation it stays inside [0, 1]
 * and is not empty at 0/N or N/N, the common cases of a repeat.
 */
export function wilsonInterval(passes: number, runs: number, z = Z_95): [number, number] {
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(passes) || passes < 0 || passes > runs) {
    throw new RangeError(`wilsonInterval: expected 0 ≤ passes ≤ runs ≥ 1, got ${passes}/${runs}`);
  }
  const p = passes / runs;
  const z2 = z * z;
  const centre = (p + z2 / (2 * runs)) / (1 + z2 / runs);
  const half = (z / (1 + z2 / runs)) * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs));
  // At 0/N and N/N one bound is exactly 0 or 1; floating point would leave 1e-17 off it.
  return [passes === 0 ? 0 : Math.max(0, centre - half), passes === runs ? 1 : Math.min(1, centre + half)];
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function repeatOf(passes: number, runs: number, firstFailure?: Repeat['firstFailure']): Repeat {
  const [lo, hi] = wilsonInterval(passes, runs);
  return { runs, passes, rate: round4(passes / runs), interval: [round4(lo), round4(hi)], ...(firstFailure ? { firstFailure } : {}) };
}

/** 0.3968 → `39.7` */
export const percentText = (x: number) => String(Math.round(x * 1000) / 10);

/** `7/10` */
export const rateText = (r: Repeat) => `${r.passes}/${r.runs}`;
/** `95% CI 39.7–89.2 %` */
export const intervalText = (r: Repeat) => `95% CI ${percentText(r.interval[0])}–${percentText(r.interval[1])} %`;

/**
 * The verdict of a repeated cell whose shown run passed every check (./checks.ts
 * verdictOf asks here, so judging again across cells gives the same answer).
 */
export function repeatDecision(r: Repeat): { verdict: Verdict; reason: string } {
  const f = r.firstFailure;
  if (r.passes === r.runs || !f) return { verdict: 'pass', reason: `all checks passed in ${r.passes} of ${r.runs} runs (${intervalText(r)})` };
  if (r.passes === 0) return { verdict: f.verdict, reason: f.reason };
  return { verdict: 'flaky', reason: `passed ${r.passes} of ${r.runs} runs (${intervalText(r)}); run ${f.run} ended ${f.verdict}: ${f.reason}` };
}

/** Verdicts that say nothing about the cell: they end a repeat and are its result. */
export const UNCOUNTED: ReadonlySet<Verdict> = new Set(['infra-error', 'skipped']);

/**
 * The one result of a cell's runs, in run order. It shows the first passing run (its checks,
 * versions, scores and outputs, so drift and compare judge a run that passed), else the first
 * failing one; `timings` are summed over the runs.
 */
export function combineRuns(runs: CellResult[]): CellResult {
  if (!runs.length) throw new RangeError('combineRuns: no runs');
  const uncounted = runs.find((r) => UNCOUNTED.has(r.verdict));
  if (uncounted) return uncounted;
  const failing = runs.findIndex((r) => !PASSING.has(r.verdict));
  const passes = runs.filter((r) => PASSING.has(r.verdict)).length;
  const first = runs[failing];
  const repeat = repeatOf(passes, runs.length, first ? { run: failing + 1, verdict: first.verdict, reason: first.reason } : undefined);
  const shown = runs.find((r) => PASSING.has(r.verdict)) ?? first!;
  const timings: Record<string, number> = {};
  for (const r of runs) for (const [phase, ms] of Object.entries(r.timings)) timings[phase] = (timings[phase] ?? 0) + ms;
  return { ...shown, ...repeatDecision(repeat), timings, attempts: 1, repeat };
}
