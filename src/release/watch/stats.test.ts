import { describe, expect, it } from 'vitest';
import { mannWhitney, normalUpper, quantile, twoProportion, wilsonLower, Z95, Z99 } from './stats.js';

// Reference values from SciPy 1.17.1 (stats.norm.sf, stats.mannwhitneyu(method='asymptotic',
// use_continuity=True), stats.binomtest(k, n).proportion_ci(method='wilson')): another implementation.
describe('normalUpper', () => {
  it.each([
    [0, 0.5],
    [1, 0.15865525393145707],
    [Z95, 0.05],
    [Z99, 0.01],
    [-1, 0.8413447460685429],
    [3, 0.0013498980316300933],
    [5, 2.866515718791933e-7],
  ])('P(Z > %d) = %d', (z, p) => expect(normalUpper(z) / p).toBeCloseTo(1, 5));
});

describe('quantile (nearest rank)', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
  it.each([
    [[], 0.95, 0],
    [[7], 0.95, 7],
    [twenty, 0.95, 19],
    [twenty, 0.5, 10],
    [twenty, 1, 20],
    [twenty, 0, 1],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], 0.95, 100],
  ])('%j at %d → %d', (values, q, want) => expect(quantile(values, q)).toBe(want));
});

describe('twoProportion (one-sided, pooled)', () => {
  it.each([
    [12, 200, 24, 4800, 9.013971308679281, 9.936335419741131e-20],
    [10, 200, 2, 200, 2.3448415270421967, 0.009517584141045922],
    [3, 200, 0, 5000, 8.662753269497927, 2.3025219574662847e-18],
  ])('%d/%d against %d/%d', (k1, n1, k2, n2, z, p) => {
    const t = twoProportion(k1, n1, k2, n2);
    expect(t.z).toBeCloseTo(z, 6);
    expect(t.p / p).toBeCloseTo(1, 3);
  });
  it('lower on the first side is no evidence', () => expect(twoProportion(2, 200, 10, 200).p).toBeGreaterThan(0.9));
  it.each([
    [0, 200, 0, 5000],
    [200, 200, 50, 50],
  ])('no failures, or only failures: p = 1 (%d/%d, %d/%d)', (k1, n1, k2, n2) => expect(twoProportion(k1, n1, k2, n2)).toEqual({ z: 0, p: 1 }));
});

describe('wilsonLower', () => {
  it.each([
    [6, 20, Z99, 0.12686842460708392],
    [5, 20, Z99, 0.09644234403605748],
    [20, 20, Z99, 0.787033019291911],
    [0, 200, Z95, 0],
    [3, 200, Z95, 0.006010227842770135],
    [12, 200, Z95, 0.037814435315044054],
    [0, 0, Z95, 0],
  ])('%d of %d at z %d → %d', (k, n, z, want) => expect(wilsonLower(k, n, z)).toBeCloseTo(want, 6));
});

describe('mannWhitney (x larger than y, one-sided)', () => {
  const x = [12, 15, 15, 18, 20, 22, 22, 22, 30, 41];
  const y = [10, 11, 12, 15, 15, 16, 19, 20, 20, 21, 25];
  it.each([
    ['with ties', x, y, 76.5, 0.06837768003603012],
    ['shifted by 30', y.map((v) => v + 30), x, 108.5, 9.132458034913327e-5],
    ['the other way round', y, x, 33.5, 0.9404828019053442],
  ])('%s: U and p as SciPy', (_what, a, b, u, p) => {
    const t = mannWhitney(a, b);
    expect(t.a * a.length * b.length).toBeCloseTo(u, 9);
    expect(t.p / p).toBeCloseTo(1, 4);
  });
  it('A is P(x > y) + P(x = y) / 2', () => {
    expect(mannWhitney([2, 3], [1, 1]).a).toBe(1);
    expect(mannWhitney([1], [1]).a).toBe(0.5);
    expect(mannWhitney([1, 3], [2]).a).toBe(0.5);
  });
  it.each([
    [[], [1, 2]],
    [
      [5, 5, 5],
      [5, 5],
    ],
  ])('no evidence either way: %j against %j', (a, b) => expect(mannWhitney(a, b)).toMatchObject({ a: 0.5, p: 1 }));
});
