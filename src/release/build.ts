/**
 * `matrix release`: refuse a lock that `matrix verify` rejects, then build the release from the
 * lock exactly (its cell's tree and model variant) with a release runtime (an image pushed to the
 * registry, or a local directory), named `v<service version>-<short sha>[-dirty]`, and record its
 * digest. Returns what happened; the command prints.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Lockfile } from '../cell/resolve.js';
import { modelDirOf, type ServiceManifest } from '../cell/workspace.js';
import type { LoadedConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { gatherService, readManifest, serviceDirFor, verifyService, type Drift, type GoldenLock } from '../freeze/index.js';
import { workTree } from './git.js';
import { releaseCell, releaseInstall, releaseLabels } from './manifest.js';
import type { ReleaseRuntime } from './runtime/index.js';
import type { ReleaseSettings } from './settings.js';
import { refuseRebuild, type Release } from './state.js';
import { keepLock, readState } from './store.js';
import { releaseVersion } from './version.js';

export type ReleaseBuild = { ok: false; drifts: Drift[] } | { ok: true; release: Release; buildMs: number; pushMs?: number };

export interface BuildInputs {
  loaded: LoadedConfig;
  settings: ReleaseSettings;
  lockPath: string;
  lock: GoldenLock;
  runtime: ReleaseRuntime;
  onLog(line: string): void;
}

export async function releaseFromLock({ loaded, settings, lockPath, lock, runtime, onLog }: BuildInputs): Promise<ReleaseBuild> {
  const serviceDir = serviceDirFor(lockPath);
  const drifts = verifyService(lock, await gatherService(lock, { serviceDir, configDir: settings.root }));
  if (drifts.length) return { ok: false, drifts };

  const git = await workTree(settings.root);
  const service = (await readManifest(serviceDir)) as ServiceManifest | undefined;
  if (!service) throw new UserError(`${serviceDir}/package.json: missing`);
  const serviceLock = JSON.parse(await readFile(path.join(serviceDir, 'package-lock.json'), 'utf8')) as unknown;
  const serviceVersion = String(service.version);
  const version = releaseVersion(serviceVersion, git.revision, git.dirty);
  refuseRebuild(await readState(settings.stateFile), version);
  const lockText = await readFile(lockPath, 'utf8');
  const lockSha256 = createHash('sha256').update(lockText).digest('hex');
  const builtAt = new Date().toISOString();
  const cell = releaseCell(lock, loaded.config.install);
  const install = releaseInstall(lock, service, serviceLock);
  const labels = releaseLabels(lock, { version, serviceVersion, revision: git.revision, source: git.source, created: builtAt, lockSha256 });

  const artifact = await runtime.build({
    version,
    serviceVersion,
    revision: git.revision,
    source: git.source,
    cell,
    serviceDir,
    modelDir: modelDirOf(cell, settings.root),
    manifest: install.manifest as ServiceManifest,
    lockfile: install.lockfile as Lockfile,
    labels,
    onLog,
  });
  await keepLock(settings.locksDir, lockSha256, lockText);
  return {
    ok: true,
    buildMs: artifact.buildMs,
    ...(artifact.pushMs !== undefined ? { pushMs: artifact.pushMs } : {}),
    release: {
      backend: runtime.backend,
      version,
      serviceVersion,
      revision: git.revision,
      tag: artifact.tag,
      digest: artifact.digest,
      imageId: artifact.imageId,
      lockSha256,
      builtAt,
      status: 'built',
      checks: [],
    },
  };
}
