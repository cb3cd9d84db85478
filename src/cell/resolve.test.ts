import { describe, expect, it } from 'vitest';
import { packageNames, resolveFault, treeOf, type Lockfile } from './resolve.js';

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
