import { describe, expect, it } from 'vitest';
import { packageNames, packumentDigest, resolutionSettings, resolveFault, stillStands, treeOf, type KeptTree, type Lockfile } from './resolve.js';

describe('resolveFault', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 'infra'],
    [{ code: 'ENOTFOUND' }, 'infra'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'infra'],
    [{ code: 'E503', statusCode: 503 }, 'infra'],
    [{ code: 'ENOTCACHED' }, 'infra'],
    [{ code: 'ENOSPC' }, 'infra'],
    [{ code: 'E404', statusCode: 404 }, 'package'],
    [{ code: 'ETARGET' }, 'package'],
    [{ code: 'ERESOLVE' }, 'package'],
  ] as const)('%o → %s', (error, fault) => expect(resolveFault(error)).toBe(fault));
});

describe('treeOf', () => {
  const lock = (integrity: string): Lockfile => ({
    lockfileVersion: 3,
    packages: {
      '': { dependencies: { a: '^1' } },
      'node_modules/a': { version: '1.0.0', integrity },
      'node_modules/b': { version: '2.0.0', integrity: 'sha512-b' },
    },
  });
  it('lists the installed packages, not the root, and keys on integrity too', () => {
    expect(treeOf(lock('sha512-a')).packages).toEqual(['node_modules/a@1.0.0', 'node_modules/b@2.0.0']);
    expect(treeOf(lock('sha512-a')).sha256).toBe(treeOf(lock('sha512-a')).sha256);
    expect(treeOf(lock('sha512-a')).sha256).not.toBe(treeOf(lock('sha512-other')).sha256);
  });
});

describe('packageNames', () => {
  it('names the registry packages of a lock: nested ones by their folder, aliases by the package they stand for', () => {
    const lock: Lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { a: '^1' } },
        'node_modules/a': { version: '1.0.0' },
        'node_modules/a/node_modules/@s/b': { version: '2.0.0', resolved: 'https://registry.npmjs.org/@s/b/-/b-2.0.0.tgz' },
        'node_modules/ort3': { version: '1.21.0', name: 'onnxruntime-node' },
        'node_modules/c': { version: '1.0.0', resolved: 'git+ssh://git@example.com/c.git#abc' },
        'node_modules/d': { resolved: '../d', link: true },
        'node_modules/@s/b': { version: '2.0.1' },
      },
    };
    expect(packageNames(lock)).toEqual(['@s/b', 'a', 'onnxruntime-node']);
  });
});

describe('packumentDigest', () => {
  const packument = {
    name: 'a',
    'dist-tags': { latest: '1.0.0' },
    versions: { '1.0.0': { name: 'a', version: '1.0.0' } },
    time: { '1.0.0': '2026-01-01T00:00:00.000Z' },
  };
  it('changes with a release, a dist-tag or a publish time, not with the fields pacote adds', () => {
    const digest = packumentDigest(packument);
    expect(packumentDigest({ ...packument, _contentLength: 812 })).toBe(digest);
    expect(packumentDigest({ ...packument, versions: { ...packument.versions, '1.0.1': { name: 'a', version: '1.0.1' } } })).not.toBe(digest);
    expect(packumentDigest({ ...packument, 'dist-tags': { latest: '1.0.1' } })).not.toBe(digest);
    expect(packumentDigest({ ...packument, time: { '1.0.0': '2026-01-02T00:00:00.000Z' } })).not.toBe(digest);
  });
});

describe('resolutionSettings', () => {
  const host = { platform: 'linux', arch: 'x64', node: 'v20.20.2', arborist: '9.9.3' };
  const base = { registry: 'https://registry.npmjs.org/', legacyPeerDeps: false, before: null };
  it('keys on what can change a resolution and where it runs, not on credentials or TLS material', () => {
    const key = resolutionSettings(base, host);
    expect(
      resolutionSettings(
        {
          ...base,
          '//registry.npmjs.org/:_authToken': 'npm_secret',
          _auth: 'dXNlcjpwYXNz',
          password: 'p',
          ca: ['-----BEGIN CERTIFICATE-----'],
          cafile: '/etc/ssl/x.crt',
        },
        host,
      ),
    ).toBe(key);
    expect(key).not.toMatch(/npm_secret/);
    expect(resolutionSettings({ ...base, legacyPeerDeps: true }, host)).not.toBe(key);
    expect(resolutionSettings({ ...base, before: '2026-01-01' }, host)).not.toBe(key);
    expect(resolutionSettings({ ...base, registry: 'http://127.0.0.1:4873/' }, host)).not.toBe(key);
    expect(resolutionSettings(base, { ...host, arborist: '9.10.0' })).not.toBe(key);
  });
});

describe('stillStands', () => {
  const kept: KeptTree = { lockfile: { lockfileVersion: 3, packages: {} }, packuments: { 'full:https://r/a': 'd1', 'full:https://r/b': 'd2' } };
  it('holds when every packument the tree was resolved from has the same digest now', () => {
    expect(
      stillStands(
        kept,
        new Map([
          ['full:https://r/a', 'd1'],
          ['full:https://r/b', 'd2'],
          ['full:https://r/c', 'd3'],
        ]),
      ),
    ).toBe(true);
  });
  it('fails when one changed, one could not be fetched, or nothing was recorded', () => {
    expect(
      stillStands(
        kept,
        new Map([
          ['full:https://r/a', 'd1'],
          ['full:https://r/b', 'changed'],
        ]),
      ),
    ).toBe(false);
    expect(stillStands(kept, new Map([['full:https://r/a', 'd1']]))).toBe(false);
    expect(stillStands({ ...kept, packuments: {} }, new Map())).toBe(false);
  });
});
