/**
 * A shared install on Docker, all inside the engine (no host path is mounted, so it works
 * against any engine the API reaches):
 *  1. `npm ci` of one lockfile runs in a throwaway container of the prelude image (base, CA,
 *     model), on the engine's network, with npm's cache in a named volume kept across runs and
 *     node_modules in a volume of its own. The container is never committed.
 *  2. Each big package is copied from that volume into a layer of its own on the prelude, in
 *     name order, and kept by a key of its parent and its locked packages: cells that share an
 *     onnxruntime-node on a Node version share that layer.
 *  3. The rest of the tree and the package files become the last layer: the dependencies image
 *     every cell with that lockfile builds its own small layer on.
 */
import type Docker from 'dockerode';
import tarStream from 'tar-stream';
import type { Lockfile } from '../../cell/resolve.js';
import { LogBuffer } from '../logbuffer.js';
import { registriesOf } from '../../registry/credentials.js';
import { sha256 as sha } from '../../run/hashes.js';
import { installFailure, PrepareFailure, tail } from '../types.js';
import { bigPackages, packageSizesOf } from './template.js';
import { followLogs } from './engine.js';

export interface SharedInstall {
  /** The prelude image id: its Node, npm, CA and WORKDIR /srv/service. */
  prelude: string;
  /** package.json, package-lock.json and .npmrc, as `npm ci` reads them. */
  files: Record<string, string>;
  /** The user's npm settings and credentials: npm's userconfig in the install container only. */
  npmrc?: string;
  lockfile: Lockfile;
  /** npm's arguments after `npm` (ci and its flags). */
  npmArgs: string[];
  env: Record<string, string>;
  network: string;
  /** Names everything this install creates: `matrix-<run>-…` containers, the kept images' tags. */
  containerPrefix: string;
  imageName: string;
  labels: Record<string, string>;
  signal: AbortSignal;
  onLog(line: string): void;
}

/** npm's cache, shared by every install on an engine (content-addressed, safe to share). */
export const NPM_CACHE_VOLUME = 'matrix-npm-cache';
const NODE_MODULES = '/srv/service/node_modules';
const SOURCE = '/matrix/installed';
const USERCONFIG = 'matrix/secrets/npmrc';

type Files = Record<string, { text: string; mode: number }>;
/** Files of /srv/service, as paths from / for putArchive. */
const inService = (files: Record<string, string>): Files => Object.fromEntries(Object.entries(files).map(([name, text]) => [`srv/service/${name}`, { text, mode: 0o644 }]));

/** The dependencies image for one lockfile on one prelude; its tag, and npm's output. */
export async function sharedInstall(docker: Docker, spec: SharedInstall, depsTag: string): Promise<{ id: string; log: string }> {
  const volume = `${spec.containerPrefix}-modules-${sha(depsTag).slice(0, 12)}`;
  try {
    await docker.createVolume({ Name: volume, Labels: spec.labels });
    spec.onLog('npm ci (shared install)');
    const { log, sizes } = await npmCi(docker, spec, volume);
    let parent = spec.prelude;
    for (const name of bigPackages(sizes)) {
      // The key covers what lands in the layer: its parent, the package's locked entries, and the flags and env its scripts saw.
      const locked = Object.entries(spec.lockfile.packages ?? {}).filter(([p]) => p === `node_modules/${name}` || p.startsWith(`node_modules/${name}/`));
      const key = sha([parent, name, JSON.stringify(locked), JSON.stringify(spec.npmArgs), JSON.stringify(spec.env)].join('\0'));
      const tag = `${spec.imageName}-layer:${key.slice(0, 16)}`;
      const kept = await docker.getImage(tag).inspect().catch(() => undefined);
      if (kept) parent = kept.Id;
      else {
        spec.onLog(`layer ${name}`);
        parent = await copyLayer(docker, spec, volume, parent, ['-C', SOURCE, '-cf', '-', `./${name}`], tag);
      }
    }
    spec.onLog('layer (the rest of node_modules)');
    const excludes = bigPackages(sizes).map((n) => `--exclude=./${n}`);
    const id = await copyLayer(docker, spec, volume, parent, ['-C', SOURCE, '-cf', '-', ...excludes, '.'], depsTag, inService(spec.files));
    return { id, log };
  } catch (error) {
    throw outsideTheCell(error);
  } finally {
    await docker.getVolume(volume).remove({ force: true }).catch(() => undefined);
  }
}

/** An engine API call that failed (the engine went away, refused a container, ran out of disk) says nothing about the cell. */
const outsideTheCell = (error: unknown): PrepareFailure =>
  error instanceof PrepareFailure ? error : new PrepareFailure('infra', `a shared install step failed for a reason outside the cell: ${(error as Error).message.split('\n')[0]}`);

/** Runs `npm ci` into the volume, then lists the installed packages' sizes (`du`, in the same container). */
async function npmCi(docker: Docker, spec: SharedInstall, volume: string): Promise<{ log: string; sizes: { name: string; bytes: number }[] }> {
  const mark = '--- matrix: package sizes ---';
  // `$@` carries npm's arguments: none of them passes through the shell's parsing.
  const script = `npm "$@" || exit $?; echo '${mark}'; cd ${NODE_MODULES} && du -s -B1 -- * @*/* 2>/dev/null; exit 0`;
  const container = await docker.createContainer({
    name: `${spec.containerPrefix}-install-${sha(JSON.stringify(spec.lockfile)).slice(0, 8)}-${Date.now() % 1e6}`,
    Image: spec.prelude,
    Cmd: ['sh', '-c', script, 'sh', ...spec.npmArgs, '--cache', '/matrix/npm-cache', ...(spec.npmrc ? ['--userconfig', `/${USERCONFIG}`] : [])],
    WorkingDir: '/srv/service',
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: spec.labels,
    HostConfig: {
      NetworkMode: spec.network,
      Init: true,
      Mounts: [
        { Type: 'volume', Source: volume, Target: NODE_MODULES },
        { Type: 'volume', Source: NPM_CACHE_VOLUME, Target: '/matrix/npm-cache' },
      ],
    },
  });
  // The credentials go into this container's own filesystem, which is removed, never committed.
  const files = { ...inService(spec.files), ...(spec.npmrc ? { [USERCONFIG]: { text: spec.npmrc, mode: 0o600 } } : {}) };
  const { code, output } = await runToEnd(docker, container, files, spec.signal);
  const [log = '', du = ''] = output.split(`${mark}\n`);
  if (spec.signal.aborted) throw new PrepareFailure('deadline', 'npm ci was stopped (timeout or interrupt)', tail(log));
  if (code !== 0) throw installFailure(log, { code }, registriesOf(spec.lockfile, spec.npmrc));
  return { log, sizes: packageSizesOf(du) };
}

/** A layer: `tar` of part of the installed tree into node_modules, in a container of `parent`, committed as `tag`. */
async function copyLayer(docker: Docker, spec: SharedInstall, volume: string, parent: string, tarArgs: string[], tag: string, files?: Files): Promise<string> {
  const container = await docker.createContainer({
    name: `${spec.containerPrefix}-layer-${sha(tag).slice(0, 8)}-${Date.now() % 1e6}`,
    Image: parent,
    User: '0:0',
    Cmd: ['sh', '-c', `mkdir -p ${NODE_MODULES} && tar "$@" | tar -C ${NODE_MODULES} -xpf -`, 'sh', ...tarArgs],
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: SOURCE, ReadOnly: true }] },
  });
  try {
    const { code, output } = await runToEnd(docker, container, files, spec.signal, false);
    if (code !== 0) throw new PrepareFailure('build', `copying the installed packages into a layer failed (exit ${code}): ${output.trim().split('\n').at(-1) ?? ''}`, tail(output));
    const [repo, t] = splitTag(tag);
    // The image gets the service's command, not the copy's.
    const committed = (await container.commit({ repo, tag: t, changes: ['CMD ["node", "dist/server.js"]'] })) as { Id: string };
    return committed.Id;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

const splitTag = (tag: string): [string, string] => {
  const i = tag.lastIndexOf(':');
  return [tag.slice(0, i), tag.slice(i + 1)];
};

/** Starts a container (after writing `files`, paths from /), waits for it, returns its exit code and output. */
async function runToEnd(docker: Docker, container: Docker.Container, files: Files | undefined, signal: AbortSignal, remove = true): Promise<{ code: number; output: string }> {
  const log = new LogBuffer(1024 * 1024);
  const stop = () => void container.kill().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (files) await container.putArchive(tarOf(files), { path: '/' });
    const waiting = container.wait({ condition: 'next-exit' });
    await container.start();
    const ended = followLogs(docker, container, (text) => log.push(text));
    const { StatusCode } = (await waiting) as { StatusCode: number };
    await Promise.race([ended, new Promise((r) => setTimeout(r, 2000))]);
    return { code: StatusCode, output: log.text() };
  } catch (error) {
    throw outsideTheCell(error);
  } finally {
    signal.removeEventListener('abort', stop);
    if (remove) await container.remove({ force: true }).catch(() => undefined);
  }
}

function tarOf(files: Files): NodeJS.ReadableStream {
  const pack = tarStream.pack();
  const dirs = new Set(Object.keys(files).flatMap((name) => name.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  for (const dir of [...dirs].sort()) pack.entry({ name: `${dir}/`, type: 'directory', mode: dir.startsWith('matrix/secrets') ? 0o700 : 0o755 });
  for (const [name, { text, mode }] of Object.entries(files)) pack.entry({ name, mode }, text);
  pack.finalize();
  return pack as unknown as NodeJS.ReadableStream;
}
