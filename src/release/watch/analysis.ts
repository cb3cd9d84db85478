/**
 * How a release is judged once it serves (docs/releasing.md, "How a release is judged once it
 * serves"): one canary interval, the new color against the old one serving the rest at the same
 * time; one interval of the observation window, the new release alone against absolute budgets
 * and the previous release's own figures; and the step machine that turns a step's judgements so
 * far into hold, advance or abort. Pure: Served in, decisions out; the loop in ../switch.ts acts.
 */
import type { Color } from '../state.js';
import { mannWhitney, quantile, twoProportion, wilsonLower, Z95, Z99 } from './stats.js';
import type { AnalysisSettings, ColorFigures, Decision, IntervalJudgement, Served } from './types.js';

/**
 * What counts against a color: a 5xx (nginx's own 502 and 504 included: the color refused, reset
 * or timed out) or a 499 (the client stopped waiting: a timeout as the client saw it).
 */
const failed = (status: number) => status >= 500 || status === 499;

/** One-sided significance of the error-rate comparison (a z-test; 95%, as the sample sizes in docs/releasing.md). */
const ERROR_ALPHA = 0.05;
/** One-sided significance of the rank test: Kayenta's 98% two-sided interval, 1% a side. */
const RANK_ALPHA = 0.01;

/** Requests, failures and the latency of the answers that did not fail (a fast 502 is not a fast answer). */
export function figures(served: readonly Served[]): ColorFigures {
  const errors = served.filter((s) => failed(s.status)).length;
  const ms = latencies(served);
  return { requests: served.length, errors, errorRate: served.length ? errors / served.length : 0, p50Ms: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95) };
}

const latencies = (served: readonly Served[]) =>
  served
    .filter((s) => !failed(s.status))
    .map((s) => s.ms)
    .sort((a, b) => a - b);

/** Judges one canary interval (or an extended one: several intervals' requests): `canary` against `baseline` over the same time. */
export function judgeCanary(served: readonly Served[], colors: { canary: Color; baseline: Color }, s: AnalysisSettings): IntervalJudgement {
  const mine = served.filter((x) => x.color === colors.canary);
  const theirs = served.filter((x) => x.color === colors.baseline);
  const canary = figures(mine);
  const baseline = figures(theirs);
  const judged = (decision: Decision, rule: string, reason: string): IntervalJudgement => ({ decision, rule, reason, canary, baseline });
  const names = { new: colors.canary, old: colors.baseline };

  const guard = guardrail(canary, colors.canary, s);
  if (guard) return judged('abort', 'guardrail', guard);
  if (canary.requests < s.minRequests || baseline.requests < s.minRequests) {
    return judged('inconclusive', 'min-requests', `${countOf(names.new, canary)}, ${countOf(names.old, baseline)}: fewer than ${s.minRequests} a color`);
  }
  const errors = errorRegression(canary, baseline, names, s);
  if (errors) return judged('fail', 'error-rate', errors);
  const p95 = p95Regression(canary, baseline, names, s);
  if (p95) return judged('fail', 'latency-p95', p95);
  const rank = rankRegression(latencies(mine), latencies(theirs), names, s);
  if (rank.fails) return judged('fail', 'rank-test', rank.reason);
  return judged('pass', 'no-regression', `${summary(names.new, canary)} against ${summary(names.old, baseline)}; ${rank.reason}`);
}

/**
 * Judges one interval of the observation window: the new release alone (all traffic is its own),
 * against the absolute budgets and, when known, the previous release's figures from its own watch.
 * Before and after is weaker evidence than a concurrent baseline (the load differs), so the
 * previous figures are compared with the same margins, and only when they had enough requests.
 */
export function judgeWatch(served: readonly Served[], color: Color, previous: ColorFigures | undefined, s: AnalysisSettings): IntervalJudgement {
  const canary = figures(served.filter((x) => x.color === color));
  const judged = (decision: Decision, rule: string, reason: string): IntervalJudgement => ({ decision, rule, reason, canary, baseline: previous });
  const names = { new: color, old: 'the previous release' };

  const guard = guardrail(canary, color, s);
  if (guard) return judged('abort', 'guardrail', guard);
  if (canary.requests < s.minRequests) return judged('inconclusive', 'min-requests', `${countOf(color, canary)}: fewer than ${s.minRequests}`);
  const lower = wilsonLower(canary.errors, canary.requests, Z95);
  if (lower > s.errorBudget) {
    return judged('fail', 'error-budget', `${summary(color, canary)}: at least ${pct(lower)} (95% bound), above the ${pct(s.errorBudget)} budget`);
  }
  const comparable = previous && previous.requests >= s.minRequests ? previous : undefined;
  const errors = comparable && errorRegression(canary, comparable, names, s);
  if (errors) return judged('fail', 'error-rate', errors);
  if (s.p95BudgetMs !== undefined && canary.p95Ms > s.p95BudgetMs) {
    return judged('fail', 'p95-budget', `${color} p95 ${canary.p95Ms} ms, above the ${s.p95BudgetMs} ms budget`);
  }
  const p95 = comparable && p95Regression(canary, comparable, names, s);
  if (p95) return judged('fail', 'latency-p95', p95);
  const against = comparable ? `; ${summary(names.old, comparable)}` : previous ? '; the previous release had too few requests to compare' : '';
  return judged('pass', 'within-budget', `${summary(color, canary)} within the ${pct(s.errorBudget)} budget${against}`);
}

/** An error rate far above budget with enough requests: no comparison needed, and no waiting for a second interval. */
function guardrail(f: ColorFigures, color: Color, s: AnalysisSettings): string | undefined {
  if (f.requests < s.guardrailMinRequests) return undefined;
  const lower = wilsonLower(f.errors, f.requests, Z99);
  if (lower <= s.guardrailErrorRate) return undefined;
  return `${summary(color, f)}: at least ${pct(lower)} (99% bound), above the ${pct(s.guardrailErrorRate)} guardrail`;
}

type Names = { new: string; old: string };

/** Worse than the baseline by more than the margin, and significantly so (one failure more is noise, not a regression). */
function errorRegression(c: ColorFigures, b: ColorFigures, n: Names, s: AnalysisSettings): string | undefined {
  const excess = c.errorRate - b.errorRate;
  const { p } = twoProportion(c.errors, c.requests, b.errors, b.requests);
  if (excess <= s.errorMargin || p >= ERROR_ALPHA) return undefined;
  const points = (excess * 100).toFixed(1);
  return `${summary(n.new, c)} against ${summary(n.old, b)}: +${points} points, above the ${pct(s.errorMargin)} margin (p ${fmtP(p)})`;
}

/** The tail: p95 above the baseline's by both the ratio and the margin (the estimate of one interval's p95 moves ~10%). */
function p95Regression(c: ColorFigures, b: ColorFigures, n: Names, s: AnalysisSettings): string | undefined {
  if (c.p95Ms <= b.p95Ms * s.p95Ratio || c.p95Ms - b.p95Ms <= s.p95MarginMs) return undefined;
  return `${n.new} p95 ${c.p95Ms} ms against ${n.old} ${b.p95Ms} ms: above ×${s.p95Ratio} and +${s.p95MarginMs} ms`;
}

/**
 * The whole distribution: the new color's answers tend to be slower (Mann–Whitney, one-sided) and
 * by enough to matter (A, the chance that one of its answers is slower than one of the old's).
 * With thousands of requests a 1 ms shift is significant; the effect floor keeps it from failing.
 */
function rankRegression(mine: number[], theirs: number[], n: Names, s: AnalysisSettings): { fails: boolean; reason: string } {
  const t = mannWhitney(mine, theirs);
  const reason = `P(${n.new} slower than ${n.old}) ${t.a.toFixed(2)}, p ${fmtP(t.p)}`;
  const fails = t.p < RANK_ALPHA && t.a >= s.rankEffect;
  return { fails, reason: fails ? `${reason}: at least ${s.rankEffect} and below ${RANK_ALPHA}` : reason };
}

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const fmtP = (p: number) => (p < 0.0001 ? '< 0.0001' : `= ${p.toPrecision(2)}`);
const countOf = (name: string, f: ColorFigures) => `${name} ${f.requests} requests`;
const summary = (name: string, f: ColorFigures) => `${name} ${pct(f.errorRate)} failed (${f.errors}/${f.requests}), p95 ${f.p95Ms} ms`;

type StepAction = 'hold' | 'advance' | 'abort';

export interface StepDecision {
  action: StepAction;
  /**
   * hold only: the next judgement also covers this interval's requests (it was inconclusive, so
   * the interval extends); otherwise the next interval starts afresh.
   */
  extend: boolean;
  /** The rule that decided, as docs/releasing.md names it. */
  rule: string;
  reason: string;
}

/**
 * Decides a step (a canary step, or the observation window) from its judgements so far, oldest
 * first. `timeUp`: the step has lasted as long as it must (a canary step: one interval, so always;
 * the observation window: release.observe). Inconclusive judgements are no evidence: they neither
 * break nor extend a run of failures.
 */
export function decideStep(judgements: readonly IntervalJudgement[], s: AnalysisSettings, timeUp = true): StepDecision {
  const last = judgements.at(-1);
  if (!last) return { action: 'hold', extend: false, rule: 'none', reason: 'no interval judged yet' };
  if (last.decision === 'abort') return { action: 'abort', extend: false, rule: last.rule, reason: last.reason };

  const conclusive = judgements.filter((j) => j.decision !== 'inconclusive');
  if (last.decision === 'fail') {
    const run = trailing(conclusive, 'fail');
    if (run >= s.failingIntervals) return { action: 'abort', extend: false, rule: last.rule, reason: `${run} failing intervals in a row: ${last.reason}` };
    return { action: 'hold', extend: false, rule: last.rule, reason: `failing interval ${run} of ${s.failingIntervals}: ${last.reason}` };
  }
  if (last.decision === 'pass') {
    if (timeUp) return { action: 'advance', extend: false, rule: last.rule, reason: last.reason };
    return { action: 'hold', extend: false, rule: last.rule, reason: `passed, watching on: ${last.reason}` };
  }

  // Inconclusive. After a pass (only the observation window goes on after one) the step may end on
  // time: the guardrail still saw these requests. Otherwise the interval extends, up to the cap.
  if (conclusive.at(-1)?.decision === 'pass') {
    const passed = conclusive.at(-1)!;
    if (timeUp) return { action: 'advance', extend: false, rule: passed.rule, reason: `last judged: ${passed.reason}; since then: ${last.reason}` };
    return { action: 'hold', extend: true, rule: last.rule, reason: last.reason };
  }
  const run = trailing(judgements, 'inconclusive');
  if (run > s.maxExtensions) {
    return { action: 'abort', extend: false, rule: 'inconclusive-limit', reason: `not enough traffic to judge: ${run} intervals, still ${last.reason}` };
  }
  return { action: 'hold', extend: true, rule: last.rule, reason: `extended ${run} of ${s.maxExtensions}: ${last.reason}` };
}

function trailing(judgements: readonly IntervalJudgement[], decision: Decision): number {
  let n = 0;
  for (let i = judgements.length - 1; i >= 0 && judgements[i]!.decision === decision; i--) n++;
  return n;
}
