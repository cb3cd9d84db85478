import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonical } from '../run/cache.js';
import { sha256 } from '../run/hashes.js';
import { ArboristResolver, resolveFault, TREE_MAX_AGE_MS, treeOf, treeOptions, type Lockfile } from './resolve.js';

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
    packages: { '': { dependencies: { a: '^1' } }, 'node_modules/a': { version: '1.0.0', integrity }, 'node_modules/b': { version: '2.0.0', integrity: 'sha512-b' } },
  });
  it('lists the installed packages, not the root, and keys on integrity too', () => {
    expect(treeOf(lock('sha512-a')).packages).toEqual(['node_modules/a@1.0.0', 'node_modules/b@2.0.0']);
    expect(treeOf(lock('sha512-a')).sha256).toBe(treeOf(lock('sha512-a')).sha256);
    expect(treeOf(lock('sha512-a')).sha256).not.toBe(treeOf(lock('sha512-other')).sha256);
  });
});

describe('ArboristResolver tree reuse', () => {
  const manifest = { name: 'svc', version: '1.0.0', dependencies: { a: '1.0.0' } };
  const lockfile: Lockfile = { lockfileVersion: 3, packages: { '': { dependencies: { a: '1.0.0' } }, 'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' } } };
  // Nothing listens on port 9: a resolution that really asks the registry fails.
  const options = { registry: 'http://127.0.0.1:9/', '//127.0.0.1:9/:_authToken': 'secret-token', '@acme:registry': 'http://127.0.0.1:9/' };
  it('reuses a tree resolved within the max age, and resolves again after it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'trees-'));
    mkdirSync(path.join(dir, 'trees'), { recursive: true });
    const key = sha256(canonical({ manifest, registries: treeOptions(options) }));
    writeFileSync(path.join(dir, 'trees', `${key}.json`), JSON.stringify({ resolvedAt: 1_000, lockfile }));
    const fresh = new ArboristResolver(options, dir, false, () => 1_000 + TREE_MAX_AGE_MS - 1);
    expect((await fresh.resolve(manifest)).packages).toEqual(['node_modules/a@1.0.0']);
    const stale = new ArboristResolver(options, dir, false, () => 1_000 + TREE_MAX_AGE_MS);
    await expect(stale.resolve(manifest)).rejects.toThrow(/resolving the dependency tree failed/);
  });
  it('keys trees on the registries only, never on a credential', () => {
    expect(treeOptions(options)).toEqual({ '@acme:registry': 'http://127.0.0.1:9/', registry: 'http://127.0.0.1:9/' });
  });
});
