/**
 * A Marian encoder–decoder exported by Optimum: the encoder runs once per batch, then the merged
 * decoder (`decoder_model_merged.onnx`) runs step by step with its key/value cache.
 *
 * Input/output names are Optimum's: encoder `input_ids`, `attention_mask` → `last_hidden_state`;
 * decoder `input_ids`, `encoder_hidden_states`, `encoder_attention_mask`,
 * `past_key_values.{i}.{decoder,encoder}.{key,value}`, `use_cache_branch` → `logits`,
 * `present.{i}.…`. The first step passes zero-length past tensors and `use_cache_branch=false`;
 * later steps pass the decoder presents of the previous step and keep the cross-attention
 * (encoder) keys/values of the first step, because Optimum's cached branch returns placeholders
 * for them (transformers.js does the same).
 */
import { StartupError } from '../errors.js';
import type { OrtRuntime, OrtSession, OrtTensor } from '../runtime/ort.js';
import type { StepDecoder } from '../generate/types.js';
import type { MarianSettings } from './folder.js';

export interface EncodedBatch {
  rows: number;
  hidden: OrtTensor;
  mask: OrtTensor;
}

/** Past key/value tensors keyed by decoder input name, and the encoder rows they belong to. */
export interface KvCache {
  past: Map<string, OrtTensor>;
  encoded: EncodedBatch;
}

const PAST = /^past_key_values\.(\d+)\.(decoder|encoder)\.(key|value)$/;

export class MarianOnnx {
  /** Past inputs, each with the present output that feeds it at the next step. */
  private readonly past: { name: string; present: string; crossAttention: boolean }[];
  private readonly cacheBranch?: { first: OrtTensor; later: OrtTensor };

  private constructor(
    private readonly ort: OrtRuntime,
    private readonly encoder: OrtSession,
    private readonly decoder: OrtSession,
    readonly settings: MarianSettings,
  ) {
    this.past = decoder.inputNames
      .filter((n) => PAST.test(n))
      .map((name) => ({ name, present: name.replace('past_key_values.', 'present.'), crossAttention: name.includes('.encoder.') }));
    if (decoder.inputNames.includes('use_cache_branch')) {
      this.cacheBranch = { first: ort.tensor('bool', Uint8Array.of(0), [1]), later: ort.tensor('bool', Uint8Array.of(1), [1]) };
    }
  }

  static async load(ort: OrtRuntime, encoderPath: string, decoderPath: string, settings: MarianSettings): Promise<MarianOnnx> {
    const encoder = await ort.createSession(encoderPath);
    const decoder = await ort.createSession(decoderPath);
    const missing = (session: OrtSession, names: string[]) => names.filter((n) => !session.inputNames.includes(n));
    const encMissing = missing(encoder, ['input_ids', 'attention_mask']);
    const decMissing = missing(decoder, ['input_ids', 'encoder_hidden_states', 'encoder_attention_mask']);
    if (encMissing.length || decMissing.length || !decoder.outputNames.includes('logits')) {
      throw new StartupError(`the ONNX graphs do not have Optimum's input names (missing: ${[...encMissing, ...decMissing].join(', ') || 'logits'})`);
    }
    const layers = new Set(decoder.inputNames.map((n) => PAST.exec(n)?.[1]).filter((x) => x !== undefined));
    if (layers.size !== settings.decoderLayers) {
      throw new StartupError(
        `decoder_model_merged.onnx has key/value inputs for ${layers.size} layers, config.json says ${settings.decoderLayers}: not a merged decoder with past`,
      );
    }
    return new MarianOnnx(ort, encoder, decoder, settings);
  }

  async release(): Promise<void> {
    await this.encoder.release();
    await this.decoder.release();
  }

  /** Runs the encoder on right-padded rows of source ids. */
  async encode(batch: number[][]): Promise<EncodedBatch> {
    const rows = batch.length;
    const len = Math.max(1, ...batch.map((ids) => ids.length));
    const ids = new BigInt64Array(rows * len).fill(BigInt(this.settings.padTokenId));
    const mask = new BigInt64Array(rows * len);
    for (const [r, seq] of batch.entries()) {
      for (const [i, id] of seq.entries()) {
        ids[r * len + i] = BigInt(id);
        mask[r * len + i] = BigInt(1);
      }
    }
    const maskTensor = this.ort.tensor('int64', mask, [rows, len]);
    const out = await this.encoder.run({ input_ids: this.ort.tensor('int64', ids, [rows, len]), attention_mask: maskTensor });
    return { rows, hidden: out.last_hidden_state, mask: maskTensor };
  }

  /** The batch with every row repeated `times` times in place (row r → rows r*times … r*times+times-1). */
  repeatRows(encoded: EncodedBatch, times: number): EncodedBatch {
    if (times === 1) return encoded;
    return {
      rows: encoded.rows * times,
      hidden: this.ort.tensor('float32', repeat(encoded.hidden.data as Float32Array, encoded.rows, times), [
        encoded.rows * times,
        ...encoded.hidden.dims.slice(1),
      ]),
      mask: this.ort.tensor('int64', repeat(encoded.mask.data as BigInt64Array, encoded.rows, times), [encoded.rows * times, ...encoded.mask.dims.slice(1)]),
    };
  }

  /**
   * A step decoder bound to one encoded batch. Nothing is copied between steps: the presents of
   * one step are the next step's past as onnxruntime returned them, the constant inputs are built
   * once, and the logits are read in place (only a shrinking or reordered batch gathers rows).
   */
  decoderFor(encoded: EncodedBatch): StepDecoder<KvCache> {
    const heads = this.settings.decoderHeads;
    const headDim = this.settings.dModel / heads;
    const vocabSize = this.settings.vocabSize;
    const emptyPast = this.ort.tensor('float32', new Float32Array(0), [encoded.rows, heads, 0, headDim]);
    return {
      vocabSize,
      step: async (tokens, cache) => {
        const rows = tokens.length;
        const enc = cache?.encoded ?? encoded;
        const feeds: Record<string, OrtTensor> = {
          input_ids: this.ort.tensor(
            'int64',
            BigInt64Array.from(tokens, (t) => BigInt(t)),
            [rows, 1],
          ),
          encoder_hidden_states: enc.hidden,
          encoder_attention_mask: enc.mask,
        };
        for (const { name } of this.past) feeds[name] = cache?.past.get(name) ?? emptyPast;
        if (this.cacheBranch) feeds.use_cache_branch = cache ? this.cacheBranch.later : this.cacheBranch.first;
        const out = await this.decoder.run(feeds);
        const past = new Map<string, OrtTensor>();
        for (const { name, present, crossAttention } of this.past) {
          const keep = cache && crossAttention ? cache.past.get(name) : undefined;
          past.set(name, keep ?? out[present]);
        }
        return { logits: lastPosition(out.logits, rows, vocabSize), cache: { past, encoded: enc } };
      },
      // Beam search reorders hypotheses; greedy search drops finished rows so the batch shrinks.
      reorder: (cache, rows) => {
        if (rows.length === cache.encoded.rows && rows.every((r, i) => r === i)) return cache;
        const gather = (tensor: OrtTensor, type: 'float32' | 'int64') =>
          this.ort.tensor(type as 'float32', gatherRows(tensor.data as Float32Array, tensor.dims[0], rows) as Float32Array, [
            rows.length,
            ...tensor.dims.slice(1),
          ]);
        const past = new Map<string, OrtTensor>();
        for (const [name, tensor] of cache.past) past.set(name, gather(tensor, 'float32'));
        return { past, encoded: { rows: rows.length, hidden: gather(cache.encoded.hidden, 'float32'), mask: gather(cache.encoded.mask, 'int64') } };
      },
    };
  }
}

function repeat<T extends Float32Array | BigInt64Array>(data: T, rows: number, times: number): T {
  const size = data.length / rows;
  const out = new (data.constructor as { new (n: number): T })(data.length * times);
  for (let r = 0; r < rows; r++) {
    const src = data.subarray(r * size, (r + 1) * size);
    for (let t = 0; t < times; t++) out.set(src as never, (r * times + t) * size);
  }
  return out;
}

function gatherRows<T extends Float32Array | BigInt64Array>(data: T, rowCount: number, rows: number[]): T {
  const size = data.length / rowCount;
  const out = new (data.constructor as { new (n: number): T })(rows.length * size);
  for (const [i, r] of rows.entries()) out.set(data.subarray(r * size, (r + 1) * size) as never, i * size);
  return out;
}

/**
 * Logits of the last target position. onnxruntime-node hands every output over in a fresh buffer,
 * so with one target position (every step here) generation may edit it in place; otherwise the
 * last position of each row is copied out.
 */
function lastPosition(logits: OrtTensor, rows: number, vocab: number): Float32Array {
  const data = logits.data as Float32Array;
  const len = logits.dims[1] ?? 1;
  const width = logits.dims[2] ?? vocab;
  if (width !== vocab) throw new Error(`decoder logits have ${width} columns, config.json says vocab ${vocab}`);
  if (len === 1 && data.length === rows * vocab) return data;
  const out = new Float32Array(rows * vocab);
  for (let r = 0; r < rows; r++) out.set(data.subarray((r * len + len - 1) * vocab, (r * len + len) * vocab), r * vocab);
  return out;
}
