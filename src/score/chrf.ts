/**
 * Corpus chrF (Popović 2015) and chrF++ (word n-grams, Popović 2017) as in
 * sacreBLEU 2.x: character 6-grams, β = 2, whitespace removed before
 * extracting character n-grams, no lowercasing, and n-gram statistics summed
 * over the corpus before one F-score is taken. With several references, each
 * segment contributes the statistics of its best-scoring reference.
 */
import { checkCorpus, formatSignature, type References } from './signature.js';
import { codePoints, removeWhitespace, splitWords } from './text.js';

export interface ChrfOptions {
  charOrder?: number;
  /** 0 for chrF, 2 for chrF++. */
  wordOrder?: number;
  beta?: number;
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams. */
  whitespace?: boolean;
  /**
   * `false` (sacreBLEU's default): average precision and recall over the orders
   * that have n-grams on both sides. `true`: chrF++.py/NLTK/Moses style, every
   * order counts and an empty one scores ε.
   */
  epsSmoothing?: boolean;
}

export interface ChrfScore {
  /** 0–100. */
  score: number;
  charOrder: number;
  wordOrder: number;
  beta: number;
  /** Per order (characters first, then words): [hypothesis n-grams, reference n-grams, matches]. */
  stats: OrderStats[];
  /** e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`. */
  signature: string;
}

type Resolved = Required<ChrfOptions>;

/** One order's statistics: hypothesis n-grams, reference n-grams, matches. */
type OrderStats = [hyp: number, ref: number, match: number];

function resolve(opts: ChrfOptions): Resolved {
  return {
    charOrder: opts.charOrder ?? 6,
    wordOrder: opts.wordOrder ?? 0,
    beta: opts.beta ?? 2,
    lowercase: opts.lowercase ?? false,
    whitespace: opts.whitespace ?? false,
    epsSmoothing: opts.epsSmoothing ?? false,
  };
}

type Ngrams = Map<string, number>[];

export function corpusChrf(hyps: readonly string[], refs: References, opts: ChrfOptions = {}): ChrfScore {
  checkCorpus('chrF', hyps, refs);
  const o = resolve(opts);
  const order = o.charOrder + o.wordOrder;
  const totals: OrderStats[] = Array.from({ length: order }, (): OrderStats => [0, 0, 0]);

  hyps.forEach((hyp, i) => {
    const hypGrams = ngramsOf(hyp, o);
    let best: OrderStats[] = [];
    let bestF = -1;
    for (const ref of refs[i]!) {
      const refGrams = ngramsOf(ref, o);
      const stats = hypGrams.map((h, n) => matchStats(h, refGrams[n]!));
      const f = fScore(stats, o);
      // Strictly greater: on a tie the earlier reference is kept.
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    best.forEach(([h, r, m], n) => {
      const t = totals[n]!;
      t[0] += h;
      t[1] += r;
      t[2] += m;
    });
  });

  return {
    score: fScore(totals, o),
    charOrder: o.charOrder,
    wordOrder: o.wordOrder,
    beta: o.beta,
    stats: totals,
    signature: formatSignature(refs, {
      case: o.lowercase ? 'lc' : 'mixed',
      eff: !o.epsSmoothing,
      nc: o.charOrder,
      nw: o.wordOrder,
      space: o.whitespace,
    }),
  };
}

function ngramsOf(segment: string, o: Resolved): Ngrams {
  const s = o.lowercase ? segment.toLowerCase() : segment;
  const chars = codePoints(o.whitespace ? s : removeWhitespace(s));
  const out: Ngrams = [];
  for (let n = 1; n <= o.charOrder; n++) out.push(count(chars, n, ''));
  if (o.wordOrder > 0) {
    const words = splitPunctuation(s);
    for (let n = 1; n <= o.wordOrder; n++) out.push(count(words, n, ' '));
  }
  return out;
}

function count(units: string[], n: number, joiner: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= units.length; i++) {
    const g = units.slice(i, i + n).join(joiner);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

// Python's string.punctuation, the set chrF++'s word tokenizer strips.
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * chrF++'s word tokenization: one punctuation mark is split off the end of a
 * word, or else off its start ("(hi)" → "(hi", ")"; sacreBLEU issue #124).
 */
function splitPunctuation(s: string): string[] {
  const out: string[] = [];
  for (const w of splitWords(s)) {
    const cps = codePoints(w);
    if (cps.length === 1) out.push(w);
    else if (PUNCTUATION.has(cps.at(-1)!)) out.push(cps.slice(0, -1).join(''), cps.at(-1)!);
    else if (PUNCTUATION.has(cps[0]!)) out.push(cps[0]!, cps.slice(1).join(''));
    else out.push(w);
  }
  return out;
}

function matchStats(hyp: Map<string, number>, ref: Map<string, number>): OrderStats {
  let hypCount = 0;
  let matches = 0;
  for (const [g, c] of hyp) {
    hypCount += c;
    matches += Math.min(c, ref.get(g) ?? 0);
  }
  let refCount = 0;
  for (const c of ref.values()) refCount += c;
  // sacreBLEU counts no hypothesis n-grams of an order the reference lacks.
  return [ref.size > 0 ? hypCount : 0, refCount, matches];
}

function fScore(stats: readonly OrderStats[], o: Resolved): number {
  const eps = 1e-16;
  const factor = o.beta ** 2;
  let epsSum = 0;
  let avgPrec = 0;
  let avgRec = 0;
  let effOrder = 0;
  for (const [nHyp, nRef, nMatch] of stats) {
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    epsSum += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effOrder += 1;
    }
  }
  if (o.epsSmoothing) return (100 * epsSum) / stats.length;
  if (effOrder === 0) return 0;
  avgPrec /= effOrder;
  avgRec /= effOrder;
  if (avgPrec + avgRec === 0) return 0;
  return 100 * (((1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec));
}
