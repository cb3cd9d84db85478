/**
 * The decoder as generation sees it: one step takes the last token of every row and returns the
 * next-token logits of every row. The cache (key/value tensors) stays opaque, so greedy and beam
 * search are plain functions that unit tests drive with a fake decoder.
 */
export interface StepDecoder<Cache> {
  readonly vocabSize: number;
  /** `tokens[row]` is the newest token of each row; `cache` is null at the first step. */
  step(tokens: number[], cache: Cache | null): Promise<{ logits: Float32Array; cache: Cache }>;
  /** Cache whose row `i` is the old cache's row `rows[i]` (beam search reorders hypotheses). */
  reorder(cache: Cache, rows: number[]): Cache;
}

/** Token ids and limits that shape every search; Marian's values come from config.json. */
export interface SearchSettings {
  decoderStartTokenId: number;
  eosTokenId: number;
  padTokenId: number;
  /** transformers' forced_eos_token_id: the last allowed step must produce it. */
  forcedEosTokenId: number | null;
  badWordsIds: number[][];
  /** New tokens at most, the final eos included (transformers: max_length - 1). */
  maxNewTokens: number;
}

export interface BeamSettings extends SearchSettings {
  numBeams: number;
  lengthPenalty: number;
  earlyStopping: boolean;
}
