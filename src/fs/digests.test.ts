import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { Digests } from './digests.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
afterEach(() => vi.useRealTimers());

const sha = (...parts: string[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

async function folder(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'matrix-digests-'));
  dirs.push(root);
  await mkdir(path.join(root, 'model', 'onnx'), { recursive: true });
  await writeFile(path.join(root, 'model', 'config.json'), '{}');
  await writeFile(path.join(root, 'model', 'onnx', 'encoder.onnx'), 'weights-1');
  return root;
}

/** Reads as if `seconds` had passed since the files were written (a digest is kept only for settled files). */
function later(seconds: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + seconds * 1000);
}

describe('Digests', () => {
  test('a tree hashes its relative paths and contents in sorted order; a missing one is "absent"', async () => {
    const root = await folder();
    const digests = new Digests();
    expect(await digests.tree(path.join(root, 'model'))).toBe(sha('config.json\0', '{}', 'onnx/encoder.onnx\0', 'weights-1'));
    expect(await digests.file(path.join(root, 'model', 'onnx', 'encoder.onnx'))).toBe(sha('weights-1'));
    expect(await digests.tree(path.join(root, 'nothing'))).toBe('absent');
  });

  test('a kept digest is used while stat says the same, and not once a file is written again, even with its size and mtime put back', async () => {
    const root = await folder();
    const store = path.join(root, 'cache', 'digests.json');
    const model = path.join(root, 'model');
    const weights = path.join(model, 'onnx', 'encoder.onnx');
    const then = new Date('2026-01-01T00:00:00Z');
    await utimes(weights, then, then);
    later(5);
    const first = new Digests(store);
    await first.tree(model);
    await first.save();
    // A forged digest in the store shows that the next run answers from it without reading the files.
    const kept = JSON.parse(await readFile(store, 'utf8')) as Record<string, { sha256: string }>;
    kept[`tree:${model}`]!.sha256 = 'kept';
    await writeFile(store, JSON.stringify(kept));
    expect(await new Digests(store).tree(model)).toBe('kept');

    await writeFile(weights, 'weights-2');
    await utimes(weights, then, then);
    expect((await stat(weights, { bigint: true })).mtimeNs).toBe(BigInt(then.getTime()) * 1_000_000n);
    expect(await new Digests(store).tree(model)).toBe(sha('config.json\0', '{}', 'onnx/encoder.onnx\0', 'weights-2'));
  });

  test('a file changed less than a second before it is read is hashed but not kept', async () => {
    const root = await folder();
    const store = path.join(root, 'digests.json');
    const digests = new Digests(store);
    await digests.file(path.join(root, 'model', 'config.json'));
    await digests.save();
    await expect(readFile(store, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
