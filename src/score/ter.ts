/**
 * Corpus TER (Snover et al., 2006) as sacreBLEU 2.x computes it with default
 * settings: case-insensitive, no Tercom normalization, punctuation kept, no
 * Asian-script splitting. Words are whitespace-separated.
 *
 * score = 100 × Σ(fewest edits over a segment's references) / Σ(mean reference
 * length of a segment); with no reference words at all it is 100 if anything
 * had to be edited and 0 otherwise.
 */
import { checkCorpus, formatSignature, type References } from './signature.js';
import { rstrip, splitWords } from './text.js';
import { translationEditRate } from './tercom.js';

export interface TerOptions {
  /** sacreBLEU's default is false: both sides are lowercased. */
  caseSensitive?: boolean;
}

export interface TerScore {
  /** 0–100 and beyond (a hypothesis can need more edits than the reference has words). */
  score: number;
  numEdits: number;
  /** Sum over segments of the mean reference length. */
  refLength: number;
  /** e.g. `nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0`. */
  signature: string;
}

export function corpusTer(hyps: readonly string[], refs: References, opts: TerOptions = {}): TerScore {
  checkCorpus('TER', hyps, refs);
  const caseSensitive = opts.caseSensitive ?? false;
  const words = (s: string) => splitWords(caseSensitive ? rstrip(s) : rstrip(s).toLowerCase());

  let numEdits = 0;
  let refLength = 0;
  hyps.forEach((hyp, i) => {
    const hypWords = words(hyp);
    const segmentRefs = refs[i]!;
    let fewest = Infinity;
    let lengths = 0;
    for (const ref of segmentRefs) {
      const { edits, refLength: len } = translationEditRate(hypWords, words(ref));
      fewest = Math.min(fewest, edits);
      lengths += len;
    }
    numEdits += fewest;
    refLength += lengths / segmentRefs.length;
  });

  const ratio = refLength > 0 ? numEdits / refLength : numEdits > 0 ? 1 : 0;
  return {
    score: 100 * ratio,
    numEdits,
    refLength,
    signature: formatSignature(refs, {
      case: caseSensitive ? 'mixed' : 'lc',
      tok: 'tercom',
      norm: false,
      punct: true,
      asian: false,
    }),
  };
}
