/**
 * Corpus-level MT metrics that reproduce sacreBLEU 2.6.0 (BLEU, chrF, TER) and
 * the loader of the benchmark set they are computed on. Every metric takes
 * `hyps[i]` with its references `refs[i]` (one or more per segment).
 */
import { corpusBleu } from './bleu.js';
import { corpusChrf } from './chrf.js';
import { corpusTer } from './ter.js';
export { corpusBleu, corpusChrf, corpusTer };
export { loadBenchmark, type BenchmarkSegment } from './benchmark.js';

/** BLEU, chrF and TER of one corpus, as a cell's smoke scores carry them. */
export const corpusScores = (hyps: string[], refs: string[][]) => ({
  bleu: corpusBleu(hyps, refs).score,
  chrf: corpusChrf(hyps, refs).score,
  ter: corpusTer(hyps, refs).score,
});
