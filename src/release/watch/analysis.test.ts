import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/parse.js';
import { releaseSettings } from '../settings.js';
import type { Color } from '../state.js';
import { decideStep, figures, judgeCanary, judgeWatch } from './analysis.js';
import type { AnalysisSettings, ColorFigures, Decision, IntervalJudgement, Served } from './types.js';

/** The defaults of release.analysis, as matrix.yaml gives them. */
const DEFAULTS = releaseSettings(parseConfig("axes:\n  node: {kind: runtime, versions: '20'}\n").config!, '/p').analysis;
const COLORS = { canary: 'green', baseline: 'blue' } as const;

/**
 * n attempts of one color: `errors` of them failed (502, spread evenly), the others answered in
 * base + an even spread over 0..100 ms (a fixed pattern, so every run judges the same data).
 */
function arm(color: Color, n: number, o: { errors?: number; base?: number; slow?: { every: number; ms: number } } = {}): Served[] {
  const errors = o.errors ?? 0;
  return Array.from({ length: n }, (_, i) => {
    const fails = errors > 0 && i % Math.floor(n / errors) === 0 && i / Math.floor(n / errors) < errors;
    const slow = o.slow && i % o.slow.every === 1 ? o.slow.ms : 0;
    return { at: 1_000_000 + i, color, status: fails ? 502 : 200, ms: (o.base ?? 50) + ((i * 37) % 101) + slow };
  });
}

describe('figures', () => {
  it('counts 5xx and 499 as failed, and leaves failed answers out of the latency', () => {
    const served: Served[] = [200, 200, 404, 499, 502, 504, 500].map((status, i) => ({ at: i, color: 'blue', status, ms: i < 3 ? 100 + i : 1 }));
    expect(figures(served)).toEqual({ requests: 7, errors: 4, errorRate: 4 / 7, p50Ms: 101, p95Ms: 102 });
  });
  it('no requests: zeros, not NaN (the state is JSON)', () => expect(figures([])).toEqual({ requests: 0, errors: 0, errorRate: 0, p50Ms: 0, p95Ms: 0 }));
});

describe('judgeCanary: the new color against the old one over the same interval', () => {
  // [what, canary's attempts, baseline's attempts, decision, rule]
  const CASES: [string, Served[], Served[], Decision, string][] = [
    ['healthy: same errors and latency', arm('green', 250, { errors: 1 }), arm('blue', 4750, { errors: 19 }), 'pass', 'no-regression'],
    ['too few for the new color', arm('green', 199), arm('blue', 4000), 'inconclusive', 'min-requests'],
    ['too few for the old color', arm('green', 400), arm('blue', 150), 'inconclusive', 'min-requests'],
    ['never fails on too little data, however bad it looks', arm('green', 19, { errors: 19 }), arm('blue', 4000), 'inconclusive', 'min-requests'],
    ['guardrail: 6 of 20 failed, at once, below min-requests', arm('green', 20, { errors: 6 }), arm('blue', 380), 'abort', 'guardrail'],
    ['5 of 20 is not yet past the guardrail (99% bound 9.6%)', arm('green', 20, { errors: 5 }), arm('blue', 380), 'inconclusive', 'min-requests'],
    ['6% against 0.5% errors', arm('green', 250, { errors: 15 }), arm('blue', 4750, { errors: 24 }), 'fail', 'error-rate'],
    ['1.5 points more of 200: above the margin, not significant', arm('green', 200, { errors: 4 }), arm('blue', 200, { errors: 1 }), 'pass', 'no-regression'],
    ['significant at 100,000 requests, below the margin', arm('green', 50_000, { errors: 400 }), arm('blue', 50_000, { errors: 100 }), 'pass', 'no-regression'],
    ['both fail alike (a shared dependency): not the release', arm('green', 500, { errors: 20 }), arm('blue', 9500, { errors: 380 }), 'pass', 'no-regression'],
    ['the slowest 10% wait 400 ms more: the p95', arm('green', 300, { slow: { every: 10, ms: 400 } }), arm('blue', 5700), 'fail', 'latency-p95'],
    ['every answer 25 ms slower: p95 within ×1.2, the rank test', arm('green', 300, { base: 75 }), arm('blue', 5700), 'fail', 'rank-test'],
    ['2 ms slower at 20,000 a side: significant, below the effect floor', arm('green', 20_000, { base: 52 }), arm('blue', 20_000), 'pass', 'no-regression'],
    ['faster is never a failure', arm('green', 300, { base: 10 }), arm('blue', 5700), 'pass', 'no-regression'],
  ];
  it.each(CASES)('%s', (_what, canary, baseline, decision, rule) => {
    const j = judgeCanary([...canary, ...baseline], COLORS, DEFAULTS);
    expect({ decision: j.decision, rule: j.rule }, j.reason).toEqual({ decision, rule });
    expect(j.canary.requests).toBe(canary.length);
    expect(j.baseline?.requests).toBe(baseline.length);
  });

  it('says the figures against the threshold in one line', () => {
    const j = judgeCanary([...arm('green', 250, { errors: 15 }), ...arm('blue', 4750, { errors: 24 })], COLORS, DEFAULTS);
    expect(j.reason).toMatch(/^green 6\.0% failed \(15\/250\), p95 \d+ ms against blue 0\.5% failed \(24\/4750\), p95 \d+ ms: /);
    expect(j.reason).toMatch(/: \+5\.5 points, above the 1\.0% margin \(p < 0\.0001\)$/);
    expect(j.reason).not.toContain('\n');
  });
});

describe('judgeWatch: the new release alone, against budgets and the previous release', () => {
  const previous = (f: Partial<ColorFigures>): ColorFigures => ({ requests: 5000, errors: 5, errorRate: 0.001, p50Ms: 100, p95Ms: 145, ...f });
  const loose: AnalysisSettings = { ...DEFAULTS, errorBudget: 0.05 };
  // [what, attempts, previous figures, settings, decision, rule]
  const CASES: [string, Served[], ColorFigures | undefined, AnalysisSettings, Decision, string][] = [
    ['healthy, nothing to compare with', arm('green', 600, { errors: 1 }), undefined, DEFAULTS, 'pass', 'within-budget'],
    ['too few requests', arm('green', 150), previous({}), DEFAULTS, 'inconclusive', 'min-requests'],
    ['2.5% failed: significantly above the 1% budget', arm('green', 200, { errors: 5 }), undefined, DEFAULTS, 'fail', 'error-budget'],
    ['1.5% failed over 200: not evidence of a breach', arm('green', 200, { errors: 3 }), undefined, DEFAULTS, 'pass', 'within-budget'],
    ['guardrail', arm('green', 200, { errors: 60 }), undefined, DEFAULTS, 'abort', 'guardrail'],
    ['within a loose budget, but 3 points worse than the previous release', arm('green', 1000, { errors: 40 }), previous({}), loose, 'fail', 'error-rate'],
    ['the previous release had too few requests to compare', arm('green', 1000, { errors: 40 }), previous({ requests: 50 }), loose, 'pass', 'within-budget'],
    ["p95 above the previous release's by ×1.2 and 20 ms", arm('green', 600, { base: 120 }), previous({}), DEFAULTS, 'fail', 'latency-p95'],
    ["p95 near the previous release's", arm('green', 600, { base: 55 }), previous({}), DEFAULTS, 'pass', 'within-budget'],
    ['above an absolute p95 budget', arm('green', 600), undefined, { ...DEFAULTS, p95BudgetMs: 120 }, 'fail', 'p95-budget'],
  ];
  it.each(CASES)('%s', (_what, served, prev, s, decision, rule) => {
    const j = judgeWatch([...served, ...arm('blue', 50)], 'green', prev, s);
    expect({ decision: j.decision, rule: j.rule }, j.reason).toEqual({ decision, rule });
    expect(j.canary.requests).toBe(served.length);
    expect(j.baseline).toEqual(prev);
  });
});

describe('decideStep: hold, advance or abort from the judgements of the step so far', () => {
  const j = (d: string): IntervalJudgement => {
    const decision = ({ p: 'pass', f: 'fail', i: 'inconclusive', a: 'abort' } as const)[d]!;
    const rule = ({ p: 'no-regression', f: 'error-rate', i: 'min-requests', a: 'guardrail' } as const)[d]!;
    return { decision, rule, reason: rule, canary: figures([]) };
  };
  const seq = (s: string) => s.split('').map(j);
  // [judgements, time up, action, extend, rule] — p pass, f fail, i inconclusive, a abort; defaults: 2 failing, 10 extensions
  const CASES: [string, boolean, string, boolean, string][] = [
    ['', true, 'hold', false, 'none'],
    ['p', true, 'advance', false, 'no-regression'],
    ['f', true, 'hold', false, 'error-rate'],
    ['ff', true, 'abort', false, 'error-rate'],
    ['fiiif', true, 'abort', false, 'error-rate'],
    ['fp', true, 'advance', false, 'no-regression'],
    ['a', true, 'abort', false, 'guardrail'],
    ['iia', true, 'abort', false, 'guardrail'],
    ['i', true, 'hold', true, 'min-requests'],
    ['iiiiiiiiii', true, 'hold', true, 'min-requests'],
    ['iiiiiiiiiii', true, 'abort', false, 'inconclusive-limit'],
    ['fiiiiiiiiiii', true, 'abort', false, 'inconclusive-limit'],
    ['iiiiiiiiiip', true, 'advance', false, 'no-regression'],
    // The observation window: it goes on after a pass until release.observe is up.
    ['p', false, 'hold', false, 'no-regression'],
    ['pp', false, 'hold', false, 'no-regression'],
    ['pi', false, 'hold', true, 'min-requests'],
    ['piiiiiiiiiiiiiii', false, 'hold', true, 'min-requests'],
    ['piii', true, 'advance', false, 'no-regression'],
    ['pf', true, 'hold', false, 'error-rate'],
    ['pfpf', false, 'hold', false, 'error-rate'],
    ['pff', false, 'abort', false, 'error-rate'],
    ['pfii', true, 'hold', true, 'min-requests'],
    ['iii', true, 'hold', true, 'min-requests'],
  ];
  it.each(CASES)('%j, time up %s → %s (extend %s, %s)', (judgements, timeUp, action, extend, rule) => {
    expect(decideStep(seq(judgements), DEFAULTS, timeUp)).toMatchObject({ action, extend, rule });
  });

  it('the limits are the settings', () => {
    expect(decideStep(seq('f'), { ...DEFAULTS, failingIntervals: 1 }).action).toBe('abort');
    expect(decideStep(seq('fff'), { ...DEFAULTS, failingIntervals: 4 }).action).toBe('hold');
    expect(decideStep(seq('i'), { ...DEFAULTS, maxExtensions: 0 })).toMatchObject({ action: 'abort', rule: 'inconclusive-limit' });
  });

  it('says why it aborts', () => {
    expect(decideStep(seq('ff'), DEFAULTS).reason).toBe('2 failing intervals in a row: error-rate');
    expect(decideStep(seq('iiiiiiiiiii'), DEFAULTS).reason).toBe('not enough traffic to judge: 11 intervals, still min-requests');
  });
});

/**
 * A canary step as the loop runs it: every interval's requests are judged, together with the
 * earlier intervals' when the step machine said extend; the step ends on advance or abort.
 */
function walk(intervals: Served[][], s: AnalysisSettings = DEFAULTS): { decision: ReturnType<typeof decideStep>; judged: number } {
  const judgements: IntervalJudgement[] = [];
  let pooled: Served[] = [];
  for (const interval of intervals) {
    pooled = [...pooled, ...interval];
    judgements.push(judgeCanary(pooled, COLORS, s));
    const decision = decideStep(judgements, s);
    if (decision.action !== 'hold') return { decision, judged: judgements.length };
    if (!decision.extend) pooled = [];
  }
  return { decision: decideStep(judgements, s), judged: judgements.length };
}

describe('a canary step, interval by interval', () => {
  const minute = (o: { canary: number; errors?: number; base?: number }) => [...arm('green', o.canary, o), ...arm('blue', o.canary * 19)];

  it('little traffic: 30 canary requests a minute extend the interval until 200 are judged together, then pass', () => {
    const { decision, judged } = walk(Array.from({ length: 12 }, () => minute({ canary: 30 })));
    expect(decision).toMatchObject({ action: 'advance', rule: 'no-regression' });
    expect(judged).toBe(7);
  });

  it('no traffic to speak of: inconclusive up to the cap, then an abort that says so — never a pass', () => {
    const { decision, judged } = walk(Array.from({ length: 20 }, () => minute({ canary: 5 })));
    expect(decision).toMatchObject({ action: 'abort', rule: 'inconclusive-limit' });
    expect(judged).toBe(DEFAULTS.maxExtensions + 1);
  });

  it('little traffic that fails: never judged on too little, aborted once enough is seen', () => {
    const { decision, judged } = walk(Array.from({ length: 20 }, () => minute({ canary: 30, errors: 3 })));
    expect(decision).toMatchObject({ action: 'abort', rule: 'error-rate' });
    // 7 intervals pooled to 210 requests: a failure; 7 more for the second one.
    expect(judged).toBe(14);
  });

  it('a latency regression fails two intervals in a row and aborts on latency, not errors', () => {
    const { decision, judged } = walk(Array.from({ length: 5 }, () => minute({ canary: 250, base: 300 })));
    expect(decision).toMatchObject({ action: 'abort', rule: 'latency-p95' });
    expect(judged).toBe(2);
  });

  it('a broken release aborts at the first interval by the guardrail', () => {
    const { decision, judged } = walk([minute({ canary: 40, errors: 20 })]);
    expect(decision).toMatchObject({ action: 'abort', rule: 'guardrail' });
    expect(judged).toBe(1);
  });
});
