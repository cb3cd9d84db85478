/**
 * Corpus BLEU (Papineni et al., 2002) with sacreBLEU 2.x defaults: 13a
 * tokenization, mixed case, 4-grams, `exp` smoothing, no effective order, and
 * the brevity penalty taken from each segment's closest reference length.
 */
import { checkCorpus, formatSignature, type References } from './signature.js';
import { rstrip, splitWords } from './text.js';
import { tokenizers, type TokenizerName } from './tokenizers.js';

/**
 * - `exp`: mteval-v13a's NIST smoothing; each further order with no match gets half the previous credit.
 * - `floor`: a zero count becomes `smoothValue` (default 0.1).
 * - `add-k`: adds `smoothValue` (default 1) to counts and totals of orders ≥ 2.
 * - `none`: a zero precision makes the score 0.
 */
type SmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

const SMOOTH_DEFAULTS: Record<SmoothMethod, number | undefined> = { exp: undefined, floor: 0.1, 'add-k': 1, none: undefined };

export interface BleuOptions {
  lowercase?: boolean;
  tokenize?: TokenizerName;
  smoothMethod?: SmoothMethod;
  /** For `floor` and `add-k`; defaults to the method's own default. */
  smoothValue?: number;
  maxNgramOrder?: number;
  /** Average only over the orders the hypotheses reach; meant for sentence-level BLEU. */
  effectiveOrder?: boolean;
}

/** The sufficient statistics of BLEU, summed over segments. */
export interface BleuStats {
  /** Matched n-grams per order (clipped by the reference counts). */
  counts: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
  sysLen: number;
  /** Sum over segments of the reference length closest to the hypothesis length. */
  refLen: number;
}

export interface BleuScore extends BleuStats {
  /** 0–100. */
  score: number;
  /** Per order, 0–100, after smoothing. */
  precisions: number[];
  /** Brevity penalty, 0–1. */
  bp: number;
  /** e.g. `nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`. */
  signature: string;
}

type Resolved = Required<Omit<BleuOptions, 'smoothValue'>> & { smoothValue: number | undefined };

function resolve(opts: BleuOptions): Resolved {
  return {
    lowercase: opts.lowercase ?? false,
    tokenize: opts.tokenize ?? '13a',
    smoothMethod: opts.smoothMethod ?? 'exp',
    smoothValue: opts.smoothValue,
    maxNgramOrder: opts.maxNgramOrder ?? 4,
    effectiveOrder: opts.effectiveOrder ?? false,
  };
}

export function corpusBleu(hyps: readonly string[], refs: References, opts: BleuOptions = {}): BleuScore {
  checkCorpus('BLEU', hyps, refs);
  const o = resolve(opts);
  const tokenize = tokenizers[o.tokenize];
  const words = (s: string) => splitWords(tokenize(rstrip(o.lowercase ? s.toLowerCase() : s)));

  const stats: BleuStats = { counts: zeros(o.maxNgramOrder), totals: zeros(o.maxNgramOrder), sysLen: 0, refLen: 0 };
  hyps.forEach((hyp, i) => {
    const seg = segmentStats(words(hyp), refs[i]!.map(words), o.maxNgramOrder);
    stats.sysLen += seg.sysLen;
    stats.refLen += seg.refLen;
    for (let n = 0; n < o.maxNgramOrder; n++) {
      stats.counts[n]! += seg.counts[n]!;
      stats.totals[n]! += seg.totals[n]!;
    }
  });
  return { ...computeBleu(stats, o), signature: bleuSignature(refs, o) };
}

function segmentStats(hyp: string[], refs: string[][], maxOrder: number): BleuStats {
  // Clip each hypothesis n-gram by its highest count in any one reference.
  const clip = ngramCounts([], maxOrder);
  for (const ref of refs) {
    ngramCounts(ref, maxOrder).forEach((counts, n) => {
      for (const [g, c] of counts) clip[n]!.set(g, Math.max(clip[n]!.get(g) ?? 0, c));
    });
  }
  const counts = zeros(maxOrder);
  const totals = zeros(maxOrder);
  ngramCounts(hyp, maxOrder).forEach((grams, n) => {
    for (const [g, c] of grams) {
      totals[n]! += c;
      counts[n]! += Math.min(c, clip[n]!.get(g) ?? 0);
    }
  });
  return {
    counts,
    totals,
    sysLen: hyp.length,
    refLen: closestRefLength(
      hyp.length,
      refs.map((r) => r.length),
    ),
  };
}

/** Per order (index n-1), n-gram → count. Words hold no spaces, so a space joins them unambiguously. */
function ngramCounts(words: string[], maxOrder: number): Map<string, number>[] {
  const out = Array.from({ length: maxOrder }, () => new Map<string, number>());
  for (let n = 1; n <= maxOrder; n++) {
    const m = out[n - 1]!;
    for (let i = 0; i + n <= words.length; i++) {
      const g = words.slice(i, i + n).join(' ');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
  }
  return out;
}

/** The reference length closest to the hypothesis length; on a tie, the shorter. */
export function closestRefLength(hypLen: number, refLens: readonly number[]): number {
  let best = -1;
  let bestDiff = Infinity;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (diff < bestDiff || (diff === bestDiff && len < best)) {
      best = len;
      bestDiff = diff;
    }
  }
  return best;
}

/** sacreBLEU's `my_log`: log with log(0) floored so that exp() of the mean gives 0. */
const flooredLog = (x: number) => (x === 0 ? -9999999999 : Math.log(x));

/** BLEU from already summed statistics (sacreBLEU's `BLEU.compute_bleu`). */
export function computeBleu(stats: BleuStats, opts: BleuOptions = {}): Omit<BleuScore, 'signature'> {
  const o = resolve(opts);
  const smoothValue = o.smoothValue ?? SMOOTH_DEFAULTS[o.smoothMethod] ?? 0;
  const { sysLen, refLen } = stats;
  // sacreBLEU reports add-k's smoothed counts back to the caller; so do we.
  const counts = [...stats.counts];
  const totals = [...stats.totals];
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = zeros(o.maxNgramOrder);

  if (!counts.some((c) => c !== 0)) return { score: 0, counts, totals, precisions, bp, sysLen, refLen };

  let mtevalDivisor = 1;
  let effOrder = o.maxNgramOrder;
  for (let n = 0; n < o.maxNgramOrder; n++) {
    if (o.smoothMethod === 'add-k' && n > 0) {
      counts[n]! += smoothValue;
      totals[n]! += smoothValue;
    }
    const total = totals[n]!;
    if (total === 0) break;
    if (o.effectiveOrder) effOrder = n + 1;
    const count = counts[n]!;
    if (count === 0) {
      if (o.smoothMethod === 'exp') {
        mtevalDivisor *= 2;
        precisions[n] = 100 / (mtevalDivisor * total);
      } else if (o.smoothMethod === 'floor') {
        precisions[n] = (100 * smoothValue) / total;
      }
    } else {
      precisions[n] = (100 * count) / total;
    }
  }
  const logSum = precisions.slice(0, effOrder).reduce((sum, p) => sum + flooredLog(p), 0);
  return { score: bp * Math.exp(logSum / effOrder), counts, totals, precisions, bp, sysLen, refLen };
}

function bleuSignature(refs: References, o: Resolved): string {
  const def = SMOOTH_DEFAULTS[o.smoothMethod];
  const smooth = def === undefined ? o.smoothMethod : `${o.smoothMethod}[${(o.smoothValue ?? def).toFixed(2)}]`;
  return formatSignature(refs, { case: o.lowercase ? 'lc' : 'mixed', eff: o.effectiveOrder, tok: o.tokenize, smooth });
}

const zeros = (n: number) => new Array<number>(n).fill(0);
