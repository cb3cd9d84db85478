/**
 * Environment → service settings. Pure but for the injected `isFile` (does a MODEL_FILES entry
 * exist): returns the settings or the problems, each naming its variable.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseOnnxFiles, parseModelFiles, variantNameProblem, type OnnxFiles } from './model/onnx-files.js';

export interface ServiceConfig {
  port: number;
  /** Loopback unless the operator says otherwise. */
  host: string;
  modelDir: string;
  tokenizer?: string;
  /** GIT_REVISION (the matrix runner sets it in cells); unset, the service asks git (revision.ts). */
  revision?: string;
  /** Requests waiting behind the running batch before 503 queue_full. */
  maxQueue: number;
  /**
   * Sentences per encoder/decoder pass, and texts the queue merges into one translate call. The
   * translator still runs one sentence per pass for a model that is not batch-invariant.
   */
  maxBatch: number;
  threads?: number;
  /** ONNX files to load, relative to modelDir: MODEL_FILES, else the MODEL_QUANTIZED twins or fp32. */
  modelFiles: OnnxFiles;
  /** Their name in /version: MODEL_VARIANT, else fp32 or int8. */
  modelVariant: string;
  /** Grace period for in-flight requests after SIGTERM. */
  drainTimeoutMs: number;
  /** GET /metrics and the counting behind it; METRICS=off leaves both out (the benchmark compares). */
  metrics: boolean;
  /** MATRIX_RELEASE_VERSION, set by `matrix release`'s runtimes; empty elsewhere (a matrix cell). */
  releaseVersion: string;
}

/** The bundled model: service/model/zh-en, next to dist/ and src/. */
export const BUNDLED_MODEL_DIR = fileURLToPath(new URL('../model/zh-en', import.meta.url));

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${key}=${raw} is not an integer from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

function onOff(env: NodeJS.ProcessEnv, key: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  problems.push(`${key}=${raw} is not on or off`);
  return fallback;
}

const isFileOnDisk = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

/** MODEL_FILES / MODEL_QUANTIZED / MODEL_VARIANT → the files and their variant name. */
function onnxFiles(env: NodeJS.ProcessEnv, modelDir: string, isFile: (path: string) => boolean, problems: string[]): { files: OnnxFiles; variant: string } {
  const quantized = env.MODEL_QUANTIZED === '1' || env.MODEL_QUANTIZED === 'true';
  const variant = env.MODEL_VARIANT || undefined;
  const badName = variant === undefined ? undefined : variantNameProblem(variant);
  if (badName) problems.push(`MODEL_VARIANT=${variant} ${badName}`);
  let named: Partial<OnnxFiles> = {};
  if (env.MODEL_FILES) {
    const parsed = parseModelFiles(env.MODEL_FILES);
    const missing = Object.entries(parsed.files)
      .filter(([, path]) => !isFile(join(modelDir, path)))
      .map(([role, path]) => `${role}=${path} is not a file in ${modelDir}`);
    const found = [...parsed.problems, ...missing];
    if (found.length) problems.push(`MODEL_FILES=${env.MODEL_FILES}: ${found.join('; ')}`);
    else named = parsed.files;
  }
  const chosen = chooseOnnxFiles({ files: named, quantized, variant });
  if (chosen.variant === undefined) {
    problems.push(
      `MODEL_FILES=${env.MODEL_FILES}: ${chosen.files.encoder} + ${chosen.files.decoder} is neither the fp32 nor the int8 pair; name it with MODEL_VARIANT`,
    );
  }
  // 'unnamed' only goes with a problem, so the service never starts under it.
  return { files: chosen.files, variant: chosen.variant ?? 'unnamed' };
}

export function readConfig(env: NodeJS.ProcessEnv, isFile: (path: string) => boolean = isFileOnDisk): { config: ServiceConfig; problems: string[] } {
  const problems: string[] = [];
  const threads = integer(env, 'ORT_THREADS', 0, 0, 256, problems);
  const modelDir = env.MODEL_DIR || BUNDLED_MODEL_DIR;
  const onnx = onnxFiles(env, modelDir, isFile, problems);
  const config: ServiceConfig = {
    port: integer(env, 'PORT', 8080, 0, 65535, problems),
    host: env.HOST || '127.0.0.1',
    modelDir,
    tokenizer: env.TOKENIZER || undefined,
    revision: env.GIT_REVISION || undefined,
    maxQueue: integer(env, 'MAX_QUEUE', 32, 0, 100000, problems),
    maxBatch: integer(env, 'MAX_BATCH', 32, 1, 256, problems),
    threads: threads || undefined,
    modelFiles: onnx.files,
    modelVariant: onnx.variant,
    drainTimeoutMs: integer(env, 'DRAIN_TIMEOUT_MS', 30000, 0, 600000, problems),
    metrics: onOff(env, 'METRICS', true, problems),
    releaseVersion: env.MATRIX_RELEASE_VERSION ?? '',
  };
  return { config, problems };
}
