import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { readModelInfo } from './model.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const tmp = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'matrix-model-'));
  dirs.push(d);
  return d;
};
// ir_version = ir; a 1000-byte graph; opset_import {version: opset}
const onnx = (ir: number, opset: number) => Buffer.from([0x08, ir, 0x3a, 0xe8, 0x07, ...new Array(1000).fill(1), 0x42, 0x02, 0x10, opset]);

test('the highest IR and ai.onnx opset over onnx/ and the folder itself', async () => {
  const dir = await tmp();
  await mkdir(path.join(dir, 'onnx'));
  await writeFile(path.join(dir, 'onnx', 'encoder_model.onnx'), onnx(8, 17));
  await writeFile(path.join(dir, 'onnx', 'decoder_model_merged.onnx'), onnx(9, 14));
  await writeFile(path.join(dir, 'tokenizer.json'), '{}');
  expect(await readModelInfo(dir)).toEqual({ dir, files: ['onnx/decoder_model_merged.onnx', 'onnx/encoder_model.onnx'], irVersion: 9, opset: 17 });
});
test('no ONNX file (a model still training): undefined, the prune is skipped', async () => expect(await readModelInfo(await tmp())).toBeUndefined());
test('a file that is not ONNX: one line naming it', async () => {
  const dir = await tmp();
  await writeFile(path.join(dir, 'broken.onnx'), 'version https://git-lfs.github.com/spec/v1\n');
  await expect(readModelInfo(dir)).rejects.toThrow(UserError);
});
