import { describe, expect, it } from 'vitest';
import { cellOf } from '../../test/fixtures/runs/make.js';
import type { CellResult, Verdict } from '../domain.js';
import { verdictOf } from './checks.js';
import { combineRuns, intervalText, rateText, repeatDecision, repeatOf, wilsonInterval, Z_95 } from './repeat.js';
import { cellResult } from './result.js';

/**
 * The interval derived another way: the Wilson interval is every p the score test does not
 * reject, (k/n − p)² ≤ z²·p(1 − p)/n. The two roots of that quadratic, found by bisection on
 * [0, k/n] and [k/n, 1], must be the closed form's bounds.
 */
function scoreTestBounds(k: number, n: number): [number, number] {
  const phat = k / n;
  const f = (p: number) => (phat - p) ** 2 - (Z_95 * Z_95 * p * (1 - p)) / n;
  const root = (lo: number, hi: number, rising: boolean) => {
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (f(mid) > 0 === rising) hi = mid;
      else lo = mid;
    }
    return (lo + hi) / 2;
  };
  return [k === 0 ? 0 : root(0, phat, false), k === n ? 1 : root(phat, 1, true)];
}

describe('wilsonInterval', () => {
  it.each<[number, number, [number, number]]>([
    // Cases of a repeat, to 4 decimals.
    [0, 10, [0, 0.2775]],
    [5, 10, [0.2366, 0.7634]],
    [7, 10, [0.3968, 0.8922]],
    [10, 10, [0.7225, 1]],
    [1, 1, [0.2065, 1]],
    [0, 1, [0, 0.7935]],
    // Newcombe (1998), Statistics in Medicine 17:857–872, Table II, method 3 (score, no continuity correction).
    [81, 263, [0.2553, 0.3662]],
    [15, 148, [0.0624, 0.1605]],
    [0, 20, [0, 0.1611]],
    [1, 29, [0.0061, 0.1718]],
  ])('%i of %i runs → %j', (k, n, bounds) => {
    const [lo, hi] = wilsonInterval(k, n);
    expect(lo).toBeCloseTo(bounds[0], 4);
    expect(hi).toBeCloseTo(bounds[1], 4);
  });

  it('agrees with the score test solved by bisection for every k of n ≤ 30', () => {
    for (let n = 1; n <= 30; n++) {
      for (let k = 0; k <= n; k++) {
        const [lo, hi] = wilsonInterval(k, n);
        const [bLo, bHi] = scoreTestBounds(k, n);
        expect(lo, `${k}/${n}`).toBeCloseTo(bLo, 10);
        expect(hi, `${k}/${n}`).toBeCloseTo(bHi, 10);
        expect(lo <= k / n && k / n <= hi).toBe(true);
      }
    }
  });

  it('is exactly 0 or 1 at the ends, and refuses impossible counts', () => {
    expect(wilsonInterval(0, 7)[0]).toBe(0);
    expect(wilsonInterval(7, 7)[1]).toBe(1);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 3)).toThrow(RangeError);
  });
});

describe('repeatOf and its texts', () => {
  it('rounds the rate and the interval to 4 decimals', () => {
    expect(repeatOf(7, 10)).toEqual({ runs: 10, passes: 7, rate: 0.7, interval: [0.3968, 0.8922] });
    expect(repeatOf(1, 3)).toEqual({ runs: 3, passes: 1, rate: 0.3333, interval: [0.0615, 0.7923] });
  });
  it.each<[number, number, string, string]>([
    [7, 10, '7/10', '95% CI 39.7–89.2 %'],
    [0, 10, '0/10', '95% CI 0–27.8 %'],
    [3, 3, '3/3', '95% CI 43.9–100 %'],
  ])('%i/%i reads %s, %s', (k, n, rate, interval) => {
    expect(rateText(repeatOf(k, n))).toBe(rate);
    expect(intervalText(repeatOf(k, n))).toBe(interval);
  });
});

const planned = cellOf({ node: '20.20.2', ort: '1.20.1', verdict: 'pass' });
const run = (verdict: Verdict, reason: string, extra: Partial<CellResult> = {}) =>
  cellResult(planned, { verdict, reason }, { timings: { start: 100, smoke: 1000 }, ...extra });
const passed = (tag: string) => run('pass', 'all checks passed', { logTail: tag });
const failed = (reason = 'case:greeting: POST /translate answered 500: "boom"') => run('fail', reason, { logTail: 'failed' });

describe('combineRuns: the verdict of N runs', () => {
  it('every run passed → pass, showing the first run', () => {
    const r = combineRuns([passed('first'), passed('second'), passed('third')]);
    expect([r.verdict, r.reason, r.logTail]).toEqual(['pass', 'all checks passed in 3 of 3 runs (95% CI 43.9–100 %)', 'first']);
    expect(r.repeat).toEqual({ runs: 3, passes: 3, rate: 1, interval: [0.4385, 1] });
    expect(r.timings).toEqual({ start: 300, smoke: 3000 });
  });

  it('none passed → the first failing run’s verdict and reason', () => {
    const r = combineRuns([run('crash', 'service died with SIGSEGV during smoke checks'), failed(), failed()]);
    expect([r.verdict, r.reason]).toEqual(['crash', 'service died with SIGSEGV during smoke checks']);
    expect(r.repeat).toEqual({
      runs: 3,
      passes: 0,
      rate: 0,
      interval: [0, 0.5615],
      firstFailure: { run: 1, verdict: 'crash', reason: 'service died with SIGSEGV during smoke checks' },
    });
  });

  it('some passed → flaky, with the rate, the interval and the first failing run; it shows a passing run', () => {
    const runs = [
      passed('p1'),
      failed(),
      passed('p3'),
      passed('p4'),
      failed('second failure'),
      passed('p6'),
      passed('p7'),
      failed(),
      passed('p9'),
      passed('p10'),
    ];
    const r = combineRuns(runs);
    expect(r.verdict).toBe('flaky');
    expect(r.reason).toBe('passed 7 of 10 runs (95% CI 39.7–89.2 %); run 2 ended fail: case:greeting: POST /translate answered 500: "boom"');
    expect(r.repeat).toMatchObject({ runs: 10, passes: 7, rate: 0.7, interval: [0.3968, 0.8922], firstFailure: { run: 2, verdict: 'fail' } });
    expect([r.logTail, r.attempts]).toEqual(['p1', 1]);
    expect(combineRuns([failed(), passed('late')]).logTail).toBe('late');
  });

  it('a run the machine spoiled, or an interrupt, is the result: no rate', () => {
    const infra = run('infra-error', 'the backend stopped answering during smoke: ECONNREFUSED');
    expect(combineRuns([passed('p1'), infra])).toBe(infra);
    const interrupted = run('skipped', 'interrupted');
    expect(combineRuns([failed(), interrupted])).toBe(interrupted);
    expect(() => combineRuns([])).toThrow(RangeError);
  });

  it('judging the shown run’s checks again gives the same verdict (as drift and merge do)', () => {
    const checks = [{ name: 'version', status: 'pass' as const }];
    for (const runs of [
      [passed('a'), failed()],
      [passed('a'), passed('b')],
    ]) {
      const r = combineRuns(runs.map((x) => ({ ...x, checks })));
      expect(verdictOf(r.checks, { attempt: r.attempts, repeat: r.repeat })).toEqual({ verdict: r.verdict, reason: r.reason });
    }
    // A failing check still outranks the rate.
    expect(
      verdictOf([{ name: 'bleu', status: 'fail', expected: '≥ 20', actual: '3.0' }], { repeat: repeatOf(1, 2, { run: 2, verdict: 'fail', reason: 'x' }) })
        .verdict,
    ).toBe('fail');
    expect(repeatDecision(repeatOf(2, 2))).toEqual({ verdict: 'pass', reason: 'all checks passed in 2 of 2 runs (95% CI 34.2–100 %)' });
  });
});
