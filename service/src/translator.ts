/**
 * The in-process translator: model folder + onnxruntime-node + one tokenizer library. Sessions are
 * created once; `translate` splits every text into sentences (text/split.ts), tokenizes them,
 * batches the sentences of all its texts, shortest first, into shared encoder/decoder passes
 * (one sentence per pass when the model is not batch-invariant), searches (greedy by default,
 * beam with numBeams > 1), decodes, cleans and joins each text's sentences again.
 */
import { beamSearch } from './generate/beam.js';
import { greedySearch } from './generate/greedy.js';
import { capturingConsole, silentLogger, type Logger } from './log.js';
import { StartupError } from './errors.js';
import { opTypesIn } from './model/batch-invariance.js';
import { fileChunks, fileDigest, hashModelFolder, readModelFolder, type FileDigest } from './model/folder.js';
import { MarianOnnx } from './model/marian-onnx.js';
import { chooseOnnxFiles, ONNX_ROLES, type OnnxFiles } from './model/onnx-files.js';
import { findInstalled, serviceManifest, type InstalledPackage } from './packages.js';
import { loadOrt } from './runtime/ort.js';
import { cleanTranslation, DEFAULT_SPECIAL_TOKENS } from './text/clean.js';
import { joinPieces, splitClauses, splitSentences } from './text/split.js';
import { chooseTokenizer, loadTokenizer } from './tokenizers/index.js';

export interface TranslateOptions {
  /** 1 = greedy (default, what transformers.js does). */
  numBeams?: number;
  /** New tokens per sentence, the final eos included; default generation_config max_length - 1. */
  maxNewTokens?: number;
}

export interface TranslatorOptions {
  modelDir: string;
  /** npm name of the tokenizer library to force; default: what is installed. */
  tokenizer?: string;
  /** Use the `_quantized` ONNX twins (roles not in `files`). */
  quantized?: boolean;
  /** ONNX files to load, relative to modelDir; default the fp32 pair (or `quantized` twins). */
  files?: Partial<OnnxFiles>;
  /** Name of the loaded pair; default fp32 or int8, required for any other pair. */
  variant?: string;
  /** onnxruntime intra-op threads; default 1 (see runtime/ort.ts). */
  threads?: number;
  /**
   * Sentences per encoder/decoder pass; default 32. Measured on the bundled model (1 thread): a
   * decoder step costs 1.1 ms for 1 row, 2.0 ms for 8, 2.8 ms for 16, so rows share most of it.
   * Ignored (1) for a model whose ONNX files are not batch-invariant (model/batch-invariance.ts).
   */
  maxBatch?: number;
  /** Source tokens per sentence above which it is split into clauses (then cut hard). */
  maxSourceTokens?: number;
  log?: Logger;
  /** Told of each encoder/decoder pass and its sentence count (the service's metrics). */
  onPass?(sentences: number): void;
}

export interface TranslatorInfo {
  model: {
    id: string;
    dir: string;
    /** The whole folder (folder.ts hashModelFolder). */
    sha256: string;
    variant: string;
    /** The ONNX files loaded, encoder first. */
    files: FileDigest[];
    /** Sentences per encoder/decoder pass actually used. */
    batch: number;
    /** Why `batch` is 1 whatever maxBatch asked for; null when maxBatch is used. */
    batchReason: string | null;
  };
  runtime: {
    node: string;
    'onnxruntime-node': string;
    tokenizer: { package: string; version: string };
  };
  /** The copies of onnxruntime-node and the tokenizer library that were imported. */
  loaded: { runtime: InstalledPackage; tokenizer: InstalledPackage };
}

export interface Translator {
  readonly info: TranslatorInfo;
  translate(texts: readonly string[], options?: TranslateOptions): Promise<string[]>;
  close(): Promise<void>;
}

/** One sentence (or clause) of a text, tokenized. */
interface SourcePiece {
  ids: number[];
  separator: string;
}

interface Row {
  ids: number[];
  /** Index into the flat list of pieces of all texts. */
  piece: number;
}

function specialTokensOf(json: Record<string, unknown>): string[] {
  const added = (json.added_tokens as { content?: unknown; special?: unknown }[] | undefined) ?? [];
  const specials = added.filter((t) => t.special === true && typeof t.content === 'string').map((t) => t.content as string);
  return specials.length ? specials : [...DEFAULT_SPECIAL_TOKENS];
}

export async function createTranslator(options: TranslatorOptions): Promise<Translator> {
  const log = options.log ?? silentLogger;
  const onnx = chooseOnnxFiles({ files: options.files, quantized: options.quantized, variant: options.variant });
  if (onnx.variant === undefined)
    throw new StartupError(`${onnx.files.encoder} + ${onnx.files.decoder} is neither the fp32 nor the int8 pair: name its variant`);
  const folder = readModelFolder(options.modelDir, onnx.files);
  const settings = folder.settings;
  const ort = await loadOrt({ threads: options.threads });
  log('runtime_loaded', { package: ort.package.name, version: ort.version, dir: ort.package.dir });
  const model = await MarianOnnx.load(ort, folder.encoderPath, folder.decoderPath, settings);
  log('sessions_created', { encoder: folder.encoderPath, decoder: folder.decoderPath });

  const choice = chooseTokenizer(options.tokenizer, Object.keys(serviceManifest().dependencies), findInstalled);
  const files = { dir: folder.dir, path: folder.tokenizerPath, json: folder.tokenizerJson, config: folder.tokenizerConfig };
  const { tokenizer, notes } = await capturingConsole(log, choice.installed.name, () => loadTokenizer(choice, files, settings.eosTokenId));
  for (const note of notes) log('tokenizer_note', { message: note });
  log('tokenizer_loaded', { package: tokenizer.package, version: tokenizer.version, dir: choice.installed.dir });

  // Hashed at load, not lazily on the first /version: streaming the whole bundled folder (53 MB)
  // took 81–95 ms of a 246–268 ms start (2 cores, warm page cache), and the loaded ONNX files'
  // digests come out of that same pass.
  const hashed = await hashModelFolder(folder.dir);
  const onnxDigests = await Promise.all(ONNX_ROLES.map((role) => hashed.files.get(folder.onnx[role]) ?? fileDigest(folder.dir, folder.onnx[role])));
  const specialTokens = specialTokensOf(folder.tokenizerJson);
  // A sentence's translation must not depend on what else shares its pass.
  const batchDependent = ONNX_ROLES.flatMap((role) => {
    const ops = opTypesIn(fileChunks(role === 'encoder' ? folder.encoderPath : folder.decoderPath));
    return ops.length ? [`${folder.onnx[role]} has ${ops.join(', ')} nodes`] : [];
  });
  const batchReason = batchDependent.length
    ? `${batchDependent.join('; ')}: dynamic quantization scales a whole pass at once, so each sentence runs alone`
    : null;
  const maxBatch = batchReason ? 1 : Math.max(1, options.maxBatch ?? 32);
  const maxSourceTokens = Math.max(8, options.maxSourceTokens ?? Math.min(settings.maxLength, 256));
  const defaultMaxNew = Math.max(1, settings.maxLength - 1);

  const info: TranslatorInfo = {
    model: { id: folder.id, dir: folder.dir, sha256: hashed.sha256, variant: onnx.variant, files: onnxDigests, batch: maxBatch, batchReason },
    runtime: {
      node: process.versions.node,
      'onnxruntime-node': ort.version,
      tokenizer: { package: tokenizer.package, version: tokenizer.version },
    },
    loaded: { runtime: ort.package, tokenizer: choice.installed },
  };

  /** Source ids of a text's sentences; a sentence above maxSourceTokens by clause, then cut hard. */
  async function sourcePieces(text: string): Promise<SourcePiece[]> {
    const out: SourcePiece[] = [];
    for (const sentence of splitSentences(text)) {
      const ids = await tokenizer.encode(sentence.text);
      if (ids.length <= maxSourceTokens) {
        out.push({ ids, separator: sentence.separator });
        continue;
      }
      const clauses = splitClauses(sentence.text);
      for (const [i, clause] of clauses.entries()) {
        const separator = i === clauses.length - 1 ? sentence.separator : clause.separator;
        const clauseIds = await tokenizer.encode(clause.text);
        if (clauseIds.length <= maxSourceTokens) {
          out.push({ ids: clauseIds, separator });
          continue;
        }
        const body = clauseIds.slice(0, -1);
        for (let start = 0; start < body.length; start += maxSourceTokens - 1) {
          const last = start + maxSourceTokens - 1 >= body.length;
          out.push({ ids: [...body.slice(start, start + maxSourceTokens - 1), settings.eosTokenId], separator: last ? separator : ' ' });
        }
      }
    }
    return out;
  }

  async function run(rows: number[][], numBeams: number, maxNewTokens: number): Promise<number[][]> {
    const encoded = await model.encode(rows);
    const search = {
      decoderStartTokenId: settings.decoderStartTokenId,
      eosTokenId: settings.eosTokenId,
      padTokenId: settings.padTokenId,
      forcedEosTokenId: settings.forcedEosTokenId,
      badWordsIds: settings.badWordsIds,
      maxNewTokens,
    };
    if (numBeams <= 1) return greedySearch(model.decoderFor(encoded), rows.length, search);
    const decoder = model.decoderFor(model.repeatRows(encoded, numBeams));
    return beamSearch(decoder, rows.length, { ...search, numBeams, lengthPenalty: settings.lengthPenalty, earlyStopping: settings.earlyStopping });
  }

  return {
    info,
    async translate(texts, opts = {}) {
      const numBeams = Math.max(1, Math.floor(opts.numBeams ?? 1));
      const maxNewTokens = Math.max(1, Math.floor(opts.maxNewTokens ?? defaultMaxNew));
      const perText = await Promise.all(texts.map(sourcePieces));
      const rows: Row[] = [];
      for (const list of perText) for (const p of list) rows.push({ ids: p.ids, piece: rows.length });
      // Similar lengths in one pass keep padding (wasted work) small.
      const order = [...rows].sort((a, b) => a.ids.length - b.ids.length);
      const outputs: string[] = new Array(rows.length);
      // A pass holds maxBatch decoder rows: beam search gives each sentence numBeams of them.
      const perPass = Math.max(1, Math.floor(maxBatch / numBeams));
      for (let start = 0; start < order.length; start += perPass) {
        const group = order.slice(start, start + perPass);
        const generated = await run(
          group.map((r) => r.ids),
          numBeams,
          maxNewTokens,
        );
        options.onPass?.(group.length);
        for (const [i, row] of group.entries()) {
          // Some libraries refuse to decode an empty list (@huggingface/tokenizers 0.2).
          outputs[row.piece] = generated[i].length ? cleanTranslation(await tokenizer.decode(generated[i]), specialTokens) : '';
        }
      }
      let next = 0;
      return perText.map((list) => {
        const translated = list.map(() => outputs[next++]);
        return joinPieces(
          translated,
          list.map((p) => p.separator),
        );
      });
    },
    close: () => model.release(),
  };
}
