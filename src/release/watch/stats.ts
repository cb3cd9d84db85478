/**
 * The few statistics the watch needs, written out (each is a dozen lines and well known): a
 * normal tail, a nearest-rank quantile, a one-sided two-proportion z-test, Wilson's lower bound
 * and the Mann–Whitney U test with its effect size. Pure; ./analysis.ts decides with them.
 */

/** z of a one-sided 95% and 99% bound (Φ⁻¹(0.95), Φ⁻¹(0.99)). */
export const Z95 = 1.6448536;
export const Z99 = 2.3263479;

/** P(Z > z) for a standard normal: erfc by its Chebyshev fit (Numerical Recipes `erfcc`, relative error < 1.2e-7). */
export function normalUpper(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
  const erfc = t * Math.exp(-x * x + poly.reduceRight((acc, c) => c + t * acc, 0));
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** The nearest-rank quantile (the value below which q of the values lie, an observed value); 0 for no values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]!;
}

/**
 * One-sided test that proportion 1 is above proportion 2 (pooled z). No failures on either
 * side, or only failures, is no evidence: p = 1.
 */
export function twoProportion(k1: number, n1: number, k2: number, n2: number): { z: number; p: number } {
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { z: 0, p: 1 };
  const z = (k1 / n1 - k2 / n2) / se;
  return { z, p: normalUpper(z) };
}

/** Wilson's score lower bound of a proportion k/n at z (one-sided): stays sensible for small n and k = 0 or n. */
export function wilsonLower(k: number, n: number, z: number): number {
  if (n === 0) return 0;
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}

export interface RankTest {
  /** Vargha–Delaney A: P(x > y) + P(x = y) / 2, from U / (n1·n2). 0.5: no difference. */
  a: number;
  z: number;
  /** One-sided: x tends to be larger than y. */
  p: number;
}

/**
 * Mann–Whitney U of x against y, one-sided (x larger), by the normal approximation with mid-ranks
 * for ties, the tie correction of the variance and a continuity correction — as R's
 * `wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = TRUE)`. The approximation
 * needs a few dozen values a side; the analysis judges nothing below release.analysis.min-requests.
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): RankTest {
  const n1 = x.length;
  const n2 = y.length;
  // No values on a side, or all equal: no evidence either way.
  if (n1 === 0 || n2 === 0) return { a: 0.5, z: 0, p: 1 };
  const all = [...x.map((v) => ({ v, fromX: true })), ...y.map((v) => ({ v, fromX: false }))].sort((l, r) => l.v - r.v);
  const n = n1 + n2;
  let rankSumX = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1]!.v === all[i]!.v) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k]!.fromX) rankSumX += midRank;
    const t = j - i + 1;
    ties += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  const a = u / (n1 * n2);
  if (!(sd > 0)) return { a, z: 0, p: 1 };
  const z = (u - mean - 0.5) / sd;
  return { a, z, p: normalUpper(z) };
}
