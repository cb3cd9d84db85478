/**
 * What freeze pins in service/: the exact direct dependencies (also stored in the lock),
 * package.json with those pins and engines.node, the golden cell's package-lock.json with its
 * root entry matching that package.json (so `npm ci` accepts it), and .nvmrc. Pure and
 * idempotent: applied to its own output it changes nothing.
 */
import { dependenciesOf, runtimeOf, type CellAxes } from '../axes/index.js';
import { UserError } from '../errors.js';
import type { GoldenLock } from './types.js';
import { asLockfile, installedVersion, sortedRecord, type LockfilePackages, type NpmLockfile } from './npm-lockfile.js';

export type Manifest = Record<string, unknown> & {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
};

/**
 * The service's direct dependencies as the golden cell installed them, exact: what the axes set
 * (dependenciesOf) at their values, the packages the axes replace without setting (the
 * alternatives not chosen) left out, every other one at the version the cell's tree installed.
 * A tree that does not install what an axis set is refused: the cell did not run what it says.
 */
export function exactPins(axes: CellAxes, packages: LockfilePackages, where: string): GoldenLock['pins'] {
  const { set, replaced } = dependenciesOf(axes);
  const root = packages[''] ?? {};
  const pinsOf = (declared: unknown) => {
    const pins: Record<string, string> = {};
    for (const name of Object.keys((declared as Record<string, string> | undefined) ?? {})) {
      if (replaced.has(name) && !(name in set)) continue;
      const version = installedVersion(packages, name);
      if (version === undefined) throw new UserError(`${where}: direct dependency ${name} has no node_modules/${name} entry`);
      pins[name] = version;
    }
    return sortedRecord(pins);
  };
  const dependencies = pinsOf(root.dependencies);
  const devDependencies = pinsOf(root.devDependencies);
  for (const [name, version] of Object.entries(set)) {
    if (dependencies[name] !== version) {
      throw new UserError(`${where}: its lockfile pins ${name} ${dependencies[name] ?? '(nothing)'} but the cell ran ${version}`);
    }
  }
  return { dependencies, ...(Object.keys(devDependencies).length ? { devDependencies } : {}) };
}

/** The Node version the golden cell runs on: what engines.node and .nvmrc say. */
export const lockedNode = (lock: Pick<GoldenLock, 'axes' | 'cell'>) => runtimeOf({ axes: lock.axes, name: lock.cell.name }).version;

/** service/package.json pinned to the golden lock; other fields are kept as they are. */
export function pinManifest(existing: Manifest | undefined, lock: GoldenLock, fallbackName: string): Manifest {
  const base: Manifest = existing ?? { name: fallbackName, version: '1.0.0', private: true };
  const manifest: Manifest = { ...base, dependencies: { ...lock.pins.dependencies } };
  if (lock.pins.devDependencies) manifest.devDependencies = { ...lock.pins.devDependencies };
  manifest.engines = { ...(base.engines ?? {}), node: lockedNode(lock) };
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

export const nvmrc = (lock: GoldenLock) => `${lockedNode(lock)}\n`;
