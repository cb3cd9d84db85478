/**
 * A local cell gets its own environment, never the shell's (src/backends/cell-env.ts): a shell that
 * exports what the service reads changes neither what /version reports nor the verdict.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { matrix, tempProject } from './helpers/project.js';

const report = (dir: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;

/** What the service reads (service/src/config.ts), each set to what the cell does not test. */
const SHELL = { TOKENIZER: '@lenml/tokenizers', MODEL_QUANTIZED: '1', ORT_THREADS: '1', MAX_BATCH: '1' };

it('a local cell run from a shell exporting TOKENIZER, MODEL_QUANTIZED, ORT_THREADS and MAX_BATCH reports what a clean shell does', async () => {
  const dir = tempProject(SMALL_MATRIX('', ['20.20.2']));
  const exported = await matrix(['run', '--backend', 'local', '--out', 'reports'], { cwd: dir, env: SHELL });
  expect(exported.exitCode, exported.all).toBe(0);
  const [dirty] = report(dir).cells;
  expect(dirty!.verdict, `${dirty!.reason}\n${dirty!.logTail}`).toBe('pass');
  expect(dirty!.actual).toEqual(dirty!.expected);

  // The exported run's verdict must not be what answers a clean shell: --no-cache judges it anew.
  const clean = await matrix(['run', '--backend', 'local', '--no-cache', '--out', 'reports'], { cwd: dir, env: {} });
  expect(clean.exitCode, clean.all).toBe(0);
  const [fresh] = report(dir).cells;
  expect(fresh!.cached).toBe(false);
  expect(fresh!.verdict).toBe(dirty!.verdict);
  expect(fresh!.actual).toEqual(dirty!.actual);
  expect(fresh!.expected).toEqual(dirty!.expected);
}, 300_000);
