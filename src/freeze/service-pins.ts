/**
 * What freeze writes into service/: package.json with exact pins and engines.node, the golden
 * cell's package-lock.json with its root entry matching that package.json (so `npm ci` accepts
 * it), and .nvmrc. Pure and idempotent: applied to its own output it changes nothing.
 */
import type { GoldenLock, NpmLockfile } from './golden-lock.js';
import { asLockfile } from './golden-lock.js';

export type Manifest = Record<string, unknown> & {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
};

/** service/package.json pinned to the golden lock; other fields are kept as they are. */
export function pinManifest(existing: Manifest | undefined, lock: GoldenLock, fallbackName: string): Manifest {
  const base: Manifest = existing ?? { name: fallbackName, version: '1.0.0', private: true };
  const manifest: Manifest = { ...base, dependencies: { ...lock.pins.dependencies } };
  if (lock.pins.devDependencies) manifest.devDependencies = { ...lock.pins.devDependencies };
  manifest.engines = { ...(base.engines ?? {}), node: lock.node };
  return manifest;
}

/** The golden cell's lockfile, with name, version and the root entry taken from the manifest. */
export function serviceLockfile(cellLockfile: unknown, manifest: Manifest, where: string): NpmLockfile {
  const lockfile = asLockfile(cellLockfile, where);
  const root = lockfile.packages[''] ?? {};
  const newRoot: Record<string, unknown> = {
    ...root,
    name: manifest.name,
    version: manifest.version,
    dependencies: manifest.dependencies,
    ...(manifest.devDependencies ? { devDependencies: manifest.devDependencies } : {}),
    engines: manifest.engines,
  };
  const { '': _root, ...installed } = lockfile.packages;
  return { ...lockfile, name: manifest.name, version: manifest.version, packages: { '': newRoot, ...installed } };
}

export const nvmrc = (lock: GoldenLock) => `${lock.node}\n`;
