import { constrain, logSoftmax } from './constraints.js';
import type { BeamSettings, StepDecoder } from './types.js';

interface Hypothesis {
  tokens: number[];
  score: number;
}

/** The `numBeams` best finished hypotheses of one sentence (transformers' BeamHypotheses). */
class FinishedHypotheses {
  readonly list: Hypothesis[] = [];
  constructor(
    private readonly size: number,
    private readonly lengthPenalty: number,
  ) {}

  worstScore(): number {
    return this.list.length < this.size ? -Infinity : Math.min(...this.list.map((h) => h.score));
  }

  add(tokens: number[], sumLogProbs: number): void {
    const score = sumLogProbs / Math.max(tokens.length, 1) ** this.lengthPenalty;
    if (this.list.length >= this.size && score <= this.worstScore()) return;
    this.list.push({ tokens, score });
    if (this.list.length > this.size) {
      let worst = 0;
      for (let i = 1; i < this.list.length; i++) if (this.list[i].score < this.list[worst].score) worst = i;
      this.list.splice(worst, 1);
    }
  }

  /** No alive beam can still beat the worst kept hypothesis (early_stopping false: heuristic of transformers). */
  isDone(bestAliveSum: number, generatedLength: number, earlyStopping: boolean): boolean {
    if (this.list.length < this.size) return false;
    if (earlyStopping) return true;
    return this.worstScore() >= bestAliveSum / Math.max(generatedLength, 1) ** this.lengthPenalty;
  }

  best(): Hypothesis | undefined {
    let best: Hypothesis | undefined;
    for (const h of this.list) if (!best || h.score > best.score) best = h;
    return best;
  }
}

interface Candidate {
  score: number;
  row: number;
  token: number;
}

/** The `count` best (score, row, token) over a sentence's beam rows, best first. */
function topCandidates(logProbs: Float32Array, vocab: number, rows: number[], beamScores: Float64Array, count: number): Candidate[] {
  const top: Candidate[] = [];
  for (const row of rows) {
    const base = beamScores[row];
    if (base === -Infinity) continue;
    const offset = row * vocab;
    for (let v = 0; v < vocab; v++) {
      const score = base + logProbs[offset + v];
      if (score === -Infinity || (top.length === count && score <= top[count - 1].score)) continue;
      let i = top.length;
      while (i > 0 && top[i - 1].score < score) i--;
      top.splice(i, 0, { score, row, token: v });
      if (top.length > count) top.pop();
    }
  }
  return top;
}

/**
 * Beam search over `sentences` inputs whose encoder rows were each repeated `numBeams` times
 * (row = sentence * numBeams + beam). Returns the best hypothesis of each sentence, without the start
 * token and the final eos. Scores are sums of log-probabilities divided by length^length_penalty.
 */
export async function beamSearch<Cache>(decoder: StepDecoder<Cache>, sentences: number, s: BeamSettings): Promise<number[][]> {
  const k = s.numBeams;
  const rows = sentences * k;
  const vocab = decoder.vocabSize;
  let sequences = Array.from({ length: rows }, () => [s.decoderStartTokenId]);
  let beamScores = new Float64Array(rows);
  // Only the first beam of each sentence is alive at the start, so the first step does not pick
  // the same token k times.
  for (let r = 0; r < rows; r++) beamScores[r] = r % k === 0 ? 0 : -Infinity;
  const finished = Array.from({ length: sentences }, () => new FinishedHypotheses(k, s.lengthPenalty));
  const done = new Array<boolean>(sentences).fill(false);
  let tokens = new Array<number>(rows).fill(s.decoderStartTokenId);
  let cache: Cache | null = null;

  for (let step = 0; step < s.maxNewTokens && done.some((d) => !d); step++) {
    const out: { logits: Float32Array; cache: Cache } = await decoder.step(tokens, cache);
    const logits = out.logits;
    for (let r = 0; r < rows; r++) {
      const row = logits.subarray(r * vocab, (r + 1) * vocab);
      logSoftmax(row);
      constrain(row, sequences[r], step, s);
    }
    const sourceRows: number[] = [];
    const nextTokens: number[] = [];
    const nextScores = new Float64Array(rows);
    const nextSequences: number[][] = [];
    for (let b = 0; b < sentences; b++) {
      const beamRows = Array.from({ length: k }, (_, j) => b * k + j);
      const chosen: Candidate[] = [];
      if (!done[b]) {
        const candidates = topCandidates(logits, vocab, beamRows, beamScores, 2 * k);
        for (let rank = 0; rank < candidates.length && chosen.length < k; rank++) {
          const c = candidates[rank];
          if (c.token === s.eosTokenId) {
            if (rank < k) finished[b].add(sequences[c.row].slice(1).concat(c.token), c.score);
          } else {
            chosen.push(c);
          }
        }
        const bestAlive = chosen.length ? chosen[0].score : -Infinity;
        if (chosen.length === 0 || finished[b].isDone(bestAlive, step + 1, s.earlyStopping)) done[b] = true;
      }
      for (let j = 0; j < k; j++) {
        const c = done[b] ? undefined : chosen[j];
        const source = c ? c.row : b * k + j;
        sourceRows.push(source);
        nextTokens.push(c ? c.token : s.padTokenId);
        nextScores[b * k + j] = c ? c.score : -Infinity;
        nextSequences.push(c ? sequences[source].concat(c.token) : sequences[source]);
      }
    }
    cache = decoder.reorder(out.cache, sourceRows);
    sequences = nextSequences;
    beamScores = nextScores;
    tokens = nextTokens;
  }
  for (let b = 0; b < sentences; b++) {
    if (done[b]) continue;
    for (let j = 0; j < k; j++) {
      const r = b * k + j;
      if (beamScores[r] !== -Infinity) finished[b].add(sequences[r].slice(1), beamScores[r]);
    }
  }
  return finished.map((f) => {
    const tokensOut = f.best()?.tokens ?? [];
    return tokensOut[tokensOut.length - 1] === s.eosTokenId ? tokensOut.slice(0, -1) : tokensOut;
  });
}
