import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellOf } from '../../test/fixtures/runs/make.js';
import type { Verdict } from '../domain.js';
import { cacheKey, canonical, VerdictCache } from './cache.js';
import { cellResult } from '../verdict/result.js';

const planned = cellOf({ node: '20.20.2', ort: '1.20.1', verdict: 'pass' });
const inputs = {
  cell: { axes: planned.axes, install: planned.install },
  backend: 'docker',
  baseId: 'sha256:1',
  tree: 'tree-1',
  hashes: { model: 'm', cases: 'c', template: 't', service: 's' },
  smoke: { thresholds: { bleu: 20 } },
  tool: '0.1.0',
};

describe('cacheKey', () => {
  it('ignores key order', () => expect(canonical({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}'));
  it.each([
    ['ort', { ...inputs, cell: { ...inputs.cell, axes: cellOf({ node: '20.20.2', ort: '1.20.0', verdict: 'pass' }).axes } }],
    ['model variant', { ...inputs, cell: { ...inputs.cell, axes: cellOf({ node: '20.20.2', ort: '1.20.1', model: 'int8', verdict: 'pass' }).axes } }],
    ['model files', { ...inputs, cell: { ...inputs.cell, axes: { ...planned.axes, model: { ...planned.axes.model!, folderSha256: 'other' } } } }],
    ['install env', { ...inputs, cell: { ...inputs.cell, install: { env: { A: '1' }, npmFlags: [] } } }],
    ['base image', { ...inputs, baseId: 'sha256:2' }],
    ['model', { ...inputs, hashes: { ...inputs.hashes, model: 'm2' } }],
    ['cases', { ...inputs, hashes: { ...inputs.hashes, cases: 'c2' } }],
    ['template', { ...inputs, hashes: { ...inputs.hashes, template: 't2' } }],
    ['service', { ...inputs, hashes: { ...inputs.hashes, service: 's2' } }],
    ['thresholds', { ...inputs, smoke: { thresholds: { bleu: 21 } } }],
    ['backend', { ...inputs, backend: 'local' }],
    ['dependency tree', { ...inputs, tree: 'tree-2' }],
    ['number of runs (--repeat 3)', { ...inputs, repeat: 3 }],
  ])('changes when the %s changes', (_n, other) => expect(cacheKey(other)).not.toBe(cacheKey(inputs)));
  it('is the same as before --repeat existed when it is not given', () => {
    expect(cacheKey({ ...inputs, repeat: undefined })).toBe(cacheKey(inputs));
    expect(cacheKey({ ...inputs, repeat: 3 })).not.toBe(cacheKey({ ...inputs, repeat: 4 }));
  });
});

describe('VerdictCache', () => {
  it('keeps deterministic verdicts only', async () => {
    const cache = new VerdictCache(mkdtempSync(path.join(tmpdir(), 'vc-')));
    const r = (verdict: Verdict) => cellResult(planned, { verdict, reason: '' });
    await cache.put('a', r('pass'));
    await cache.put('b', r('timeout'));
    await cache.put('c', r('infra-error'));
    await cache.put('d', r('flaky'));
    expect((await cache.get('a'))?.verdict).toBe('pass');
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('c')).toBeUndefined();
    expect(await cache.get('d')).toBeUndefined();
  });

  it('treats a truncated or corrupt entry as a miss', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vc-'));
    const cache = new VerdictCache(dir);
    writeFileSync(path.join(dir, 'k1.json'), '{"cell":{"id":"x"');
    writeFileSync(path.join(dir, 'k2.json'), '{"verdict":"pass"}');
    writeFileSync(path.join(dir, 'k3.json'), Buffer.from([0xff, 0xfe, 0x00]));
    for (const k of ['k1', 'k2', 'k3', 'missing']) expect(await cache.get(k)).toBeUndefined();
  });
});

describe('VerdictCache and a host an install script could not reach', () => {
  it('answers with the verdict while the host is out of reach, and misses once it is reached', async () => {
    let up = false;
    const asked: string[] = [];
    const cache = new VerdictCache(mkdtempSync(path.join(tmpdir(), 'vc-')), async (host) => {
      asked.push(host);
      return up;
    });
    await cache.put('k', cellResult(planned, { verdict: 'install-error', reason: 'needs api.nuget.org' }), { unreachable: 'api.nuget.org' });
    expect((await cache.get('k'))?.verdict).toBe('install-error');
    up = true;
    expect(await cache.get('k')).toBeUndefined();
    expect(asked).toEqual(['api.nuget.org', 'api.nuget.org']);
  });
  it('asks nothing for a verdict that depends on no host', async () => {
    const cache = new VerdictCache(mkdtempSync(path.join(tmpdir(), 'vc-')), () => Promise.reject(new Error('not asked')));
    await cache.put('k', cellResult(planned, { verdict: 'install-error', reason: 'E404' }));
    expect((await cache.get('k'))?.verdict).toBe('install-error');
  });
});
