import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { UserError } from '../errors.js';
import { describeDrift, gatherService, planFreeze, readGoldenLock, verifyService, writeFrozen } from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'matrix-freeze-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The fixture's model folder, its files holding the text whose sha256 the fixture records (test/fixtures/runs/make.ts). */
async function writeModel(root: string) {
  for (const file of ['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']) {
    const at = path.join(root, 'service/model/zh-en', file);
    await mkdir(path.dirname(at), { recursive: true });
    await writeFile(at, `file ${file}`);
  }
}

async function freezeInto(root: string) {
  const lockPath = path.join(root, 'golden.lock.json');
  const serviceDir = path.join(root, 'service');
  const planned = planFreeze({ report: standardRun(), policy: 'newest', lockPath, serviceDir, tool: { name: 'matrix', version: '0.1.0' } });
  if (!planned.ok) throw new Error(planned.reasons.join('\n'));
  await writeFrozen(planned.plan.files);
  return { lockPath, serviceDir };
}

async function verifyAt(root: string) {
  const lock = (await readGoldenLock(path.join(root, 'golden.lock.json')))!;
  return verifyService(lock, await gatherService(lock, { serviceDir: path.join(root, 'service'), configDir: root })).map(describeDrift);
}

describe('freeze → verify on disk', () => {
  test('a five-axis lock round trip: what freeze wrote, with the model it froze, verifies clean', async () => {
    await writeModel(dir);
    const { lockPath } = await freezeInto(dir);
    const lock = (await readGoldenLock(lockPath))!;
    expect(Object.keys(lock.axes)).toEqual(['node', 'onnxruntime-node', 'tokenizer', 'express', 'model']);
    expect(await verifyAt(dir)).toEqual([]);
  });

  test('a model file edited without a new freeze fails with one line naming the file', async () => {
    await writeModel(dir);
    await freezeInto(dir);
    const encoder = path.join(dir, 'service/model/zh-en/onnx/encoder_model.onnx');
    await writeFile(encoder, 'retrained weights');
    const lines = await verifyAt(dir);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`${encoder}: `)).toBe(true);
    expect(lines[0]).toMatch(/: axes\.model\.files\.encoder: sha256 [0-9a-f]{12} \(golden\) ≠ [0-9a-f]{12} \(found\): changed since the freeze/);
    await rm(encoder);
    expect(await verifyAt(dir)).toEqual([expect.stringContaining(`${encoder}: axes.model.files.encoder: missing`)]);
  });

  test('the model files are looked for relative to the folder of matrix.yaml', async () => {
    const project = path.join(dir, 'project');
    await writeModel(project);
    const { lockPath, serviceDir } = await freezeInto(dir);
    const lock = (await readGoldenLock(lockPath))!;
    expect(verifyService(lock, await gatherService(lock, { serviceDir, configDir: project }))).toEqual([]);
    expect(verifyService(lock, await gatherService(lock, { serviceDir, configDir: dir })).map((d) => d.kind)).toEqual(['missing-file', 'missing-file']);
  });

  test('a version 1 lock is refused in one line naming the file', async () => {
    const file = path.join(dir, 'golden.lock.json');
    await writeFile(
      file,
      JSON.stringify({
        lockVersion: 1,
        node: '24.1.0',
        'onnxruntime-node': '1.20.1',
        tokenizer: { package: '@huggingface/tokenizers', version: '0.1.3', alias: 'hf-tokenizers' },
      }),
    );
    await expect(readGoldenLock(file)).rejects.toThrow(UserError);
    await expect(readGoldenLock(file)).rejects.toThrow(`${file}: lockVersion 1, expected 2; freeze again to rewrite it`);
  });
});
