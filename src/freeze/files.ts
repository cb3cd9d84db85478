/**
 * The effectful edges of freeze and verify: reading golden.lock.json and service/, hashing the
 * files the lock's axes need on disk, asking a running service for /version, and writing the
 * frozen files (each atomically). The service folder is `service/` beside the golden lock, so a
 * lock and the service it pins travel together; the axes' files are relative to the folder of
 * matrix.yaml, as the model axis names them.
 */
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { filesOnDisk } from '../axes/index.js';
import { readConfig } from '../config/index.js';
import { InfraError, UserError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { sha256File } from '../fs/digests.js';
import { parseJson, readTextIfThere } from '../fs/json-file.js';
import { shown } from '../fs/shown.js';
import { parseGoldenLock } from './golden-lock.js';
import type { GoldenLock } from './types.js';
import type { FreezeConfig } from './settings.js';
import type { FoundService } from './verify.js';

export const serviceDirFor = (lockPath: string) => path.join(path.dirname(path.resolve(lockPath)), 'service');

const readText = (file: string) => readTextIfThere(file, shown(file));

async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
  return text === undefined ? undefined : parseJson(text, shown(file));
}

/** The golden lock at `file`, or undefined when there is none yet. */
export async function readGoldenLock(file: string): Promise<GoldenLock | undefined> {
  const data = await readJson(file);
  if (data === undefined) return undefined;
  return parseGoldenLock(data, shown(file));
}

/**
 * The `freeze:` block of matrix.yaml and the file's sha256, or undefined when there is no
 * matrix.yaml (freeze and verify also work on a checkout that has only reports and the lock).
 * A matrix.yaml that is there but invalid is a UserError at its line and column, as everywhere.
 */
export async function readFreezeConfig(file: string): Promise<(FreezeConfig & { sha256: string }) | undefined> {
  const there = await access(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
  if (!there) return undefined;
  const loaded = await readConfig(file);
  return { dir: path.relative(process.cwd(), path.dirname(loaded.file)) || '.', freeze: loaded.config.freeze, sha256: loaded.sha256 };
}

export async function readManifest(serviceDir: string): Promise<Record<string, unknown> | undefined> {
  return (await readJson(path.join(serviceDir, 'package.json'))) as Record<string, unknown> | undefined;
}

function versionUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UserError(`--url ${base}: not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  if (!url.pathname.endsWith('/version')) url.pathname = url.pathname.replace(/\/?$/, '/version');
  return url;
}

async function fetchVersion(base: string, timeoutMs = 5_000): Promise<{ url: string; body: unknown }> {
  const url = versionUrl(base);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (error) {
    throw new InfraError(`cannot reach ${url.href}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new InfraError(`${url.href} answered HTTP ${response.status}`);
  const text = await response.text();
  try {
    return { url: url.href, body: JSON.parse(text) };
  } catch {
    return { url: url.href, body: text.slice(0, 200) };
  }
}

/** sha256 of a file's bytes; undefined when it is not there. */
async function sha256Of(file: string): Promise<string | undefined> {
  try {
    return await sha256File(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${shown(file)}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export interface GatherOptions {
  serviceDir: string;
  /** The folder of matrix.yaml: what the axes' files on disk are relative to. */
  configDir: string;
  /** Base URL of a running service to ask for /version. */
  url?: string | undefined;
}

export async function gatherService(lock: GoldenLock, { serviceDir, configDir, url }: GatherOptions): Promise<FoundService> {
  const files = {
    manifest: path.join(serviceDir, 'package.json'),
    lockfile: path.join(serviceDir, 'package-lock.json'),
    nvmrc: path.join(serviceDir, '.nvmrc'),
  };
  const [manifest, lockfile, nvmrc] = await Promise.all([readJson(files.manifest), readJson(files.lockfile), readText(files.nvmrc)]);
  const onDisk: FoundService['onDisk'] = {};
  for (const f of filesOnDisk(lock.axes)) {
    const file = path.resolve(configDir, f.path);
    const sha256 = await sha256Of(file);
    onDisk[f.path] = { file: shown(file), ...(sha256 !== undefined ? { sha256 } : {}) };
  }
  return {
    files: { manifest: shown(files.manifest), lockfile: shown(files.lockfile), nvmrc: shown(files.nvmrc) },
    ...(manifest !== undefined ? { manifest } : {}),
    ...(lockfile !== undefined ? { lockfile } : {}),
    ...(nvmrc !== undefined ? { nvmrc } : {}),
    onDisk,
    ...(url ? { version: await fetchVersion(url) } : {}),
  };
}

export interface FrozenFiles {
  lock: { path: string; content: string };
  service: { path: string; content: string }[];
}

export async function writeFrozen(files: FrozenFiles): Promise<string[]> {
  const all = [files.lock, ...files.service];
  for (const f of all) {
    await mkdir(path.dirname(f.path), { recursive: true });
    await writeFileAtomic(f.path, f.content);
  }
  return all.map((f) => f.path);
}
