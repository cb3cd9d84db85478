/**
 * Environment → service settings. Pure: returns the settings or the problems, each naming its variable.
 */
import { fileURLToPath } from 'node:url';

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
  /** Sentences per encoder/decoder pass, and texts the queue merges into one translate call. */
  maxBatch: number;
  threads?: number;
  quantized: boolean;
  /** Grace period for in-flight requests after SIGTERM. */
  drainTimeoutMs: number;
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

export function readConfig(env: NodeJS.ProcessEnv): { config: ServiceConfig; problems: string[] } {
  const problems: string[] = [];
  const threads = integer(env, 'ORT_THREADS', 0, 0, 256, problems);
  const config: ServiceConfig = {
    port: integer(env, 'PORT', 8080, 0, 65535, problems),
    host: env.HOST || '127.0.0.1',
    modelDir: env.MODEL_DIR || BUNDLED_MODEL_DIR,
    tokenizer: env.TOKENIZER || undefined,
    revision: env.GIT_REVISION || undefined,
    maxQueue: integer(env, 'MAX_QUEUE', 32, 0, 100000, problems),
    maxBatch: integer(env, 'MAX_BATCH', 32, 1, 256, problems),
    threads: threads || undefined,
    quantized: env.MODEL_QUANTIZED === '1' || env.MODEL_QUANTIZED === 'true',
    drainTimeoutMs: integer(env, 'DRAIN_TIMEOUT_MS', 30000, 0, 600000, problems),
  };
  return { config, problems };
}
