import { describe, expect, it } from 'vitest';
import { beamSearch } from './beam.js';
import { bannedTokens } from './constraints.js';
import { greedySearch } from './greedy.js';
import type { SearchSettings, StepDecoder } from './types.js';

// Vocabulary: 0 = eos, 1..3 = words, 4 = pad = decoder start.
const V = 5;
const settings: SearchSettings = { decoderStartTokenId: 4, eosTokenId: 0, padTokenId: 4, forcedEosTokenId: 0, badWordsIds: [[4]], maxNewTokens: 10 };

/** A decoder whose next-token probabilities are a table keyed by the sequence so far (start included). */
function scripted(
  table: Record<string, Partial<Record<number, number>>>,
  fallback: Partial<Record<number, number>> = { 0: 1 },
): StepDecoder<number[][]> & { steps: number } {
  const decoder = {
    vocabSize: V,
    steps: 0,
    async step(tokens: number[], cache: number[][] | null) {
      decoder.steps++;
      const seqs = cache ? cache.map((s, i) => [...s, tokens[i]]) : tokens.map((t) => [t]);
      const logits = new Float32Array(tokens.length * V).fill(-30);
      seqs.forEach((seq, r) => {
        for (const [token, p] of Object.entries(table[seq.join(',')] ?? fallback)) logits[r * V + Number(token)] = Math.log(p as number);
      });
      return { logits, cache: seqs };
    },
    reorder: (cache: number[][], rows: number[]) => rows.map((r) => cache[r]),
  };
  return decoder;
}

const table = {
  '4': { 1: 0.6, 2: 0.4 },
  '4,1': { 1: 0.5, 3: 0.5 },
  '4,1,1': { 0: 1 },
  '4,1,3': { 0: 1 },
  '4,2': { 3: 1 },
  '4,2,3': { 0: 1 },
};

describe('greedySearch', () => {
  it('takes the best token each step, the first on ties, and stops at eos', async () => {
    expect(await greedySearch(scripted(table), 1, settings)).toEqual([[1, 1]]);
  });

  it('never produces a banned token (the pad) even when it scores best', async () => {
    expect(await greedySearch(scripted({ '4': { 4: 0.9, 2: 0.1 }, '4,2': { 0: 1 } }), 1, settings)).toEqual([[2]]);
  });

  it('forces eos at the last allowed step', async () => {
    const loop = scripted({}, { 3: 1 });
    expect(await greedySearch(loop, 1, { ...settings, maxNewTokens: 4 })).toEqual([[3, 3, 3]]);
    expect(loop.steps).toBe(4);
  });

  it('runs rows of different lengths in one batch until all are done', async () => {
    const decoder = scripted({ '4': { 2: 1 }, '4,2': { 3: 1 }, '4,2,3': { 0: 1 } });
    expect(await greedySearch(decoder, 2, settings)).toEqual([
      [2, 3],
      [2, 3],
    ]);
    expect(decoder.steps).toBe(3);
  });
});

describe('greedySearch batches', () => {
  it('drops finished rows from the batch and keeps each row its own output', async () => {
    const decoder = scripted({}, { 0: 1 });
    const sizes: number[] = [];
    const inner = decoder.step.bind(decoder);
    // Row 0 ends at once; row 1 writes 3 twice, then ends.
    let call = 0;
    decoder.step = async (tokens, cache) => {
      sizes.push(tokens.length);
      const out = await inner(tokens, cache);
      out.logits.fill(-30);
      if (call === 0) {
        out.logits[0 * V + 0] = 0;
        out.logits[1 * V + 3] = 0;
      } else {
        out.logits[call < 2 ? 3 : 0] = 0;
      }
      call++;
      return out;
    };
    expect(await greedySearch(decoder, 2, settings)).toEqual([[], [3, 3]]);
    expect(sizes).toEqual([2, 1, 1]);
  });
});

describe('beamSearch', () => {
  it('finds the more probable sequence that greedy misses', async () => {
    expect(await beamSearch(scripted(table), 1, { ...settings, numBeams: 2, lengthPenalty: 1, earlyStopping: false })).toEqual([[2, 3]]);
  });

  it('equals greedy with one beam', async () => {
    expect(await beamSearch(scripted(table), 1, { ...settings, numBeams: 1, lengthPenalty: 1, earlyStopping: false })).toEqual([[1, 1]]);
  });

  it('keeps sentences of a batch apart', async () => {
    const out = await beamSearch(scripted(table), 2, { ...settings, numBeams: 3, lengthPenalty: 1, earlyStopping: false });
    expect(out).toEqual([
      [2, 3],
      [2, 3],
    ]);
  });

  it('stops at max new tokens with the best alive beam', async () => {
    const out = await beamSearch(scripted({}, { 3: 0.6, 1: 0.4 }), 1, { ...settings, maxNewTokens: 3, numBeams: 2, lengthPenalty: 1, earlyStopping: false });
    expect(out).toEqual([[3, 3]]);
  });
});

describe('bannedTokens', () => {
  it.each([
    [[4, 1], [[4]], [4]],
    [[4, 1, 2], [[2, 3]], [3]],
    [[4, 1, 2], [[1, 3]], []],
    [[4], [[1, 2, 3]], []],
  ])('after %j with %j → %j', (seq, bad, expected) => {
    expect(bannedTokens(seq, bad)).toEqual(expected);
  });
});
