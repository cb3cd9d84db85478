import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { InfraError, UserError } from '../errors.js';
import { RegistryCache } from './cache.js';
import { CachingRegistry } from './cached.js';
import { MemoryRegistry } from './fixture.js';
import { PackageNotFound, RegistryUnreachable, type Packument, type Registry } from './types.js';

const ORT: Packument = {
  name: 'onnxruntime-node',
  'dist-tags': { latest: '1.20.1' },
  versions: { '1.20.1': { version: '1.20.1' } },
  time: { '1.20.1': '2024-11-21T00:00:00Z' },
};
const down: Registry = { packument: async (name) => Promise.reject(new RegistryUnreachable(name, 'ENOTFOUND')) };
const at = (iso: string) => () => new Date(iso);

let dir: string;
const fresh = async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'matrix-registry-')));
afterEach(async () => dir && rm(dir, { recursive: true, force: true }));

describe('CachingRegistry', () => {
  test('a live answer is cached (one file, no temp files left)', async () => {
    const cache = new RegistryCache(path.join(await fresh(), 'registry'));
    const r = new CachingRegistry(new MemoryRegistry({ 'onnxruntime-node': ORT }), cache, at('2026-11-27T01:00:00Z'));
    expect(await r.packument('onnxruntime-node')).toEqual(ORT);
    expect(r.notes()).toEqual([]);
    expect(await readdir(cache.dir)).toEqual(['onnxruntime-node.json']);
    expect((await cache.get('onnxruntime-node'))?.fetchedAt).toBe('2026-11-27T01:00:00.000Z');
  });
  test('unreachable registry → cache, and the plan says from when', async () => {
    const cache = new RegistryCache(path.join(await fresh(), 'registry'));
    await cache.put('onnxruntime-node', ORT, new Date('2026-11-20T10:00:00Z'));
    const r = new CachingRegistry(down, cache);
    expect(await r.packument('onnxruntime-node')).toEqual(ORT);
    expect(r.notes()).toEqual(['registry unreachable (ENOTFOUND), using cache from 2026-11-20T10:00:00.000Z for onnxruntime-node']);
  });
  test('offline → cache only', async () => {
    const cache = new RegistryCache(path.join(await fresh(), 'registry'));
    await cache.put('@lenml/tokenizers', { ...ORT, name: '@lenml/tokenizers' }, new Date('2026-11-20T10:00:00Z'));
    const r = new CachingRegistry(undefined, cache);
    expect((await r.packument('@lenml/tokenizers')).name).toBe('@lenml/tokenizers');
    expect(r.notes()[0]).toMatch(/^offline \(--offline\), using cache from 2026-11-20/);
  });
  test('no cache: one line, exit 3 when unreachable, exit 2 when offline', async () => {
    const cache = new RegistryCache(path.join(await fresh(), 'registry'));
    await expect(new CachingRegistry(down, cache).packument('x')).rejects.toThrow(InfraError);
    await expect(new CachingRegistry(down, cache).packument('x')).rejects.toThrow(/^registry unreachable \(ENOTFOUND\) and no cached metadata for x in /);
    await expect(new CachingRegistry(undefined, cache).packument('x')).rejects.toThrow(UserError);
  });
  test('package not found is bad input (for the planner to place), not hidden by the cache', async () => {
    const cache = new RegistryCache(path.join(await fresh(), 'registry'));
    await cache.put('nope', { ...ORT, name: 'nope' }, new Date('2026-11-20T10:00:00Z'));
    const got = new CachingRegistry(new MemoryRegistry({}), cache).packument('nope');
    await expect(got).rejects.toThrow(PackageNotFound);
    await expect(got).rejects.not.toThrow(InfraError);
  });
});
