/**
 * What a release image is built from and what it says about itself, all from golden.lock.json:
 * the cell (its axes exactly as frozen), the package.json and package-lock.json `npm ci`
 * installs, and the labels. Pure; reading the files is ../commands/release.
 */
import { axisLabels, modelOf } from '../axes/index.js';
import type { MatrixConfig } from '../config/schema.js';
import type { Cell } from '../domain.js';
import { UserError } from '../errors.js';
import { pinManifest, serviceLockfile, type GoldenLock } from '../freeze/index.js';
import { installFor } from '../plan/plan.js';
import type { Manifest } from '../freeze/service-pins.js';
import type { NpmLockfile } from '../freeze/npm-lockfile.js';

export const RELEASE_LABEL = 'io.matrix.release';
const LOCK_LABEL = 'io.matrix.lock.sha256';
const MODEL_LABEL = 'io.matrix.model.sha256';

/** The golden cell as a Cell, with the install settings matrix.yaml gives cells of these axes. */
export function releaseCell(lock: GoldenLock, install: MatrixConfig['install']): Cell {
  return {
    id: lock.cell.id,
    name: lock.cell.name,
    axes: structuredClone(lock.axes),
    status: 'planned',
    allowFailure: false,
    install: installFor(install, lock.axes),
  };
}

/**
 * package.json and package-lock.json for `npm ci`: the lock's pins, and exactly the lock's tree
 * (every key, version, resolved, integrity). The lock leaves out what npm needs to connect the
 * tree (each entry's dependencies, bin, install scripts): those come from service/package-lock.json,
 * which `matrix verify` has just found identical to the lock key by key, version by version.
 * Without them `npm ci` installs the direct dependencies only.
 */
export function releaseInstall(lock: GoldenLock, service: Manifest | undefined, serviceLock: unknown): { manifest: Manifest; lockfile: NpmLockfile } {
  const manifest = pinManifest(service, lock, 'translation-service');
  const { devDependencies: _dev, ...installed } = manifest;
  const found = (serviceLock as NpmLockfile | undefined)?.packages ?? {};
  const packages: Record<string, Record<string, unknown>> = { '': {} };
  for (const [key, entry] of Object.entries(lock.tree)) {
    if (entry.dev) continue;
    const edges = found[key];
    if (!edges) throw new UserError(`service/package-lock.json: ${key}: missing (run \`matrix verify\`)`);
    packages[key] = { ...edges, ...entry };
  }
  const lockfile = serviceLockfile({ lockfileVersion: 3, requires: true, packages }, installed, 'golden.lock.json tree');
  return { manifest: installed, lockfile };
}

export interface ReleaseFacts {
  version: string;
  serviceVersion: string;
  revision: string;
  source: string;
  created: string;
  lockSha256: string;
}

/** OCI version/revision/source/created, io.matrix.axis.<name> for every axis, the lock's and the model's sha256. */
export function releaseLabels(lock: GoldenLock, f: ReleaseFacts): Record<string, string> {
  const model = modelOf(lock);
  return {
    'org.opencontainers.image.version': f.serviceVersion,
    'org.opencontainers.image.revision': f.revision,
    'org.opencontainers.image.source': f.source,
    'org.opencontainers.image.created': f.created,
    [RELEASE_LABEL]: f.version,
    'io.matrix.cell': lock.cell.id,
    [LOCK_LABEL]: f.lockSha256,
    ...(model ? { [MODEL_LABEL]: model.folderSha256 } : {}),
    ...axisLabels(lock.axes),
  };
}

/** The lock as the runner's lockfile shape: what pinnedVersions reads for the `packages` check. */
export function pinnedLockfile(lock: GoldenLock): { lockfileVersion: number; packages: Record<string, Record<string, unknown>> } {
  return { lockfileVersion: 3, packages: { '': { dependencies: { ...lock.pins.dependencies } }, ...structuredClone(lock.tree) } };
}
