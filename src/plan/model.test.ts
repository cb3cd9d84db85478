import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { modelKey } from '../axes/index.js';
import { parseConfig } from '../config/parse.js';
import type { MatrixConfig } from '../config/schema.js';
import { readModelFacts } from './model.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

// ir_version = ir; a 1000-byte graph; opset_import {version: opset}
const onnx = (ir: number, opset: number) => Buffer.from([0x08, ir, 0x3a, 0xe8, 0x07, ...new Array(1000).fill(1), 0x42, 0x02, 0x10, opset]);
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A project folder built from an object literal: path → file content. */
async function project(files: Record<string, Buffer | string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'matrix-model-'));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}
const config = (variants: string): MatrixConfig => {
  const { config, problems } = parseConfig(`axes:\n  node: {kind: runtime}\n  model:\n    kind: model\n    variants:\n${variants}`);
  if (!config) throw new Error(JSON.stringify(problems));
  return config;
};

const EXPORT = {
  'm/onnx/encoder_model.onnx': onnx(8, 17),
  'm/onnx/decoder_model_merged.onnx': onnx(9, 14),
  'm/onnx/encoder_model_quantized.onnx': onnx(8, 19),
  'm/onnx/decoder_model_merged_quantized.onnx': onnx(8, 19),
  'm/tokenizer.json': '{}',
};

describe('readModelFacts', () => {
  test('per variant and role: the file, its sha256, its IR version and ai.onnx opset; the folder hash', async () => {
    const root = await project(EXPORT);
    const { models, problems } = await readModelFacts(config('      fp32: {folder: m}\n      int8: {folder: m, quantized: true}\n'), root);
    expect(problems).toEqual([]);
    const fp32 = models[modelKey('m', { encoder: 'onnx/encoder_model.onnx', decoder: 'onnx/decoder_model_merged.onnx' })];
    const int8 = models[modelKey('m', { encoder: 'onnx/encoder_model_quantized.onnx', decoder: 'onnx/decoder_model_merged_quantized.onnx' })];
    expect(fp32?.files).toEqual({
      encoder: { path: 'onnx/encoder_model.onnx', sha256: sha(EXPORT['m/onnx/encoder_model.onnx']), irVersion: 8, opset: 17 },
      decoder: { path: 'onnx/decoder_model_merged.onnx', sha256: sha(EXPORT['m/onnx/decoder_model_merged.onnx']), irVersion: 9, opset: 14 },
    });
    expect(int8?.files.encoder).toEqual({
      path: 'onnx/encoder_model_quantized.onnx',
      sha256: sha(EXPORT['m/onnx/encoder_model_quantized.onnx']),
      irVersion: 8,
      opset: 19,
    });
    // One folder, one hash, whichever of its files a variant loads.
    expect(fp32?.folderSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(int8?.folderSha256).toBe(fp32?.folderSha256);
  });
  test('files named explicitly, in another folder', async () => {
    const root = await project({ 'other/enc.onnx': onnx(10, 21), 'other/dec.onnx': onnx(10, 20) });
    const { models, problems } = await readModelFacts(config('      own: {folder: other, files: {encoder: enc.onnx, decoder: dec.onnx}}\n'), root);
    expect(problems).toEqual([]);
    expect(Object.keys(models)).toEqual([modelKey('other', { encoder: 'enc.onnx', decoder: 'dec.onnx' })]);
  });
  test('the folder hash changes with any file of the folder', async () => {
    const c = config('      fp32: {folder: m}\n');
    const a = Object.values((await readModelFacts(c, await project(EXPORT))).models)[0]?.folderSha256;
    const b = Object.values((await readModelFacts(c, await project({ ...EXPORT, 'm/tokenizer.json': '{"v":2}' }))).models)[0]?.folderSha256;
    expect(a).not.toBe(b);
  });
  test('a matrix without a model axis reads nothing', async () => {
    const { config: c } = parseConfig('axes:\n  node: {kind: runtime}\n');
    expect(await readModelFacts(c!, '/nonexistent')).toEqual({ models: {}, problems: [] });
  });

  // [what, variants, files on disk, the problem's path, its message]
  const PROBLEMS: [string, string, Record<string, Buffer | string>, (string | number)[], string][] = [
    [
      'a default file missing: at the folder',
      '      int8: {folder: m, quantized: true}\n',
      { 'm/onnx/encoder_model.onnx': onnx(8, 17), 'm/onnx/decoder_model_merged_quantized.onnx': onnx(8, 17) },
      ['axes', 'model', 'variants', 'int8', 'folder'],
      'expected onnx/encoder_model_quantized.onnx in m to be an ONNX model, found no such file',
    ],
    [
      'a named file missing: at files',
      '      own: {folder: m, files: {encoder: onnx/encoder_model.onnx, decoder: dec.onnx}}\n',
      EXPORT,
      ['axes', 'model', 'variants', 'own', 'files'],
      'expected dec.onnx in m to be an ONNX model, found no such file',
    ],
    [
      'a Git LFS pointer instead of the model',
      '      fp32: {folder: m}\n',
      { ...EXPORT, 'm/onnx/decoder_model_merged.onnx': 'version https://git-lfs.github.com/spec/v1\n' },
      ['axes', 'model', 'variants', 'fp32', 'folder'],
      'expected onnx/decoder_model_merged.onnx in m to be an ONNX model, found not an ONNX model: wire type 6 at byte 1',
    ],
  ];
  test.each(PROBLEMS)('%s', async (_what, variants, files, at, message) => {
    const { models, problems } = await readModelFacts(config(variants), await project(files));
    expect(problems).toEqual([{ path: at, message }]);
    expect(models).toEqual({});
  });
});
