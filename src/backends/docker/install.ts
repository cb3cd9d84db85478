/**
 * A shared install on Docker, all inside the engine (no host path is mounted, so it works
 * against any engine the API reaches):
 *  1. `npm ci --ignore-scripts` of one lockfile runs in a throwaway container of a prelude image
 *     (base, CA, model), on the engine's network, with npm's cache in a named volume kept across
 *     runs and node_modules in a volume kept for the run: the tree. No install script has run in
 *     it, so it is the same for every Node version whose npm is the same (one `npm ci` for both
 *     Nodes of the default matrix). The container is never committed.
 *  2. Per prelude (one per Node version), each big package is copied from the tree into a layer
 *     of its own, in name order, and kept by a key of its parent and its locked packages: cells
 *     that share an onnxruntime-node on a Node version share that layer.
 *  3. The rest of the tree and the package files become the last layer, where `npm rebuild` runs
 *     the install scripts under that prelude's own Node and npm, as `npm ci` would have: the
 *     dependencies image every cell with that lockfile builds its own small layer on.
 */
import type Docker from 'dockerode';
import tarStream from 'tar-stream';
import type { Lockfile } from '../../cell/resolve.js';
import { LogBuffer } from '../logbuffer.js';
import { once } from '../once.js';
import { registriesOf } from '../../registry/credentials.js';
import { sha256 as sha } from '../../fs/digests.js';
import { installFailure, PrepareFailure, tail } from '../types.js';
import { bigPackages, packageSizesOf } from './template.js';
import { followLogs } from './engine.js';
import { npmRebuildArgs, npmTreeArgs } from '../npm.js';

export interface SharedInstall {
  /** The prelude image id: its Node, npm, CA and WORKDIR /srv/service. */
  prelude: string;
  /** package.json, package-lock.json and .npmrc, as `npm ci` reads them. */
  files: Record<string, string>;
  /** The user's npm settings and credentials: npm's userconfig in the install container only. */
  npmrc?: string;
  lockfile: Lockfile;
  /** npm's flags from matrix.yaml, for both `npm ci` and `npm rebuild`. */
  npmFlags: string[];
  env: Record<string, string>;
  network: string;
  /** Names everything this install creates: `matrix-<run>-…` containers, the kept images' tags. */
  containerPrefix: string;
  imageName: string;
  labels: Record<string, string>;
  signal: AbortSignal;
  onLog(line: string): void;
}

/** A lockfile's packages as `npm ci --ignore-scripts` left them, in a volume kept for the run. */
export interface Tree {
  volume: string;
  sizes: { name: string; bytes: number }[];
  log: string;
}

/** npm's cache, shared by every install on an engine (content-addressed, safe to share). */
export const NPM_CACHE_VOLUME = 'matrix-npm-cache';
const NODE_MODULES = '/srv/service/node_modules';
const SOURCE = '/matrix/installed';
const USERCONFIG = 'matrix/secrets/npmrc';
const ENV_FILE = 'matrix/secrets/env';

type Files = Record<string, { text: string; mode: number }>;
/** Files of /srv/service, as paths from / for putArchive. */
const inService = (files: Record<string, string>): Files =>
  Object.fromEntries(Object.entries(files).map(([name, text]) => [`srv/service/${name}`, { text, mode: 0o644 }]));

/** The npm a prelude runs (`npm --version` in a container of it): trees are shared between preludes with the same one. */
export async function npmVersionIn(docker: Docker, image: string, signal: AbortSignal): Promise<string> {
  const container = await docker.createContainer({ Image: image, Cmd: ['npm', '--version'], HostConfig: { NetworkMode: 'none' } });
  const { code, output } = await runToEnd(docker, container, undefined, signal);
  const version = output.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !/^\d+\.\d+\.\d+/.test(version)) throw new PrepareFailure('infra', `npm --version failed in the prelude image (exit ${code}): ${version}`);
  return version;
}

/** `npm ci --ignore-scripts` of the lockfile into a new volume, on `spec.prelude`; the caller removes the volume. */
export async function extractTree(docker: Docker, spec: SharedInstall, volume: string): Promise<Tree> {
  try {
    await docker.createVolume({ Name: volume, Labels: spec.labels });
    spec.onLog('npm ci --ignore-scripts (shared install)');
    return { volume, ...(await npmCi(docker, spec, volume)) };
  } catch (error) {
    await docker
      .getVolume(volume)
      .remove({ force: true })
      .catch(() => undefined);
    throw outsideTheCell(error);
  }
}

/**
 * The dependencies image for one lockfile on one prelude, from its tree; its tag, and npm's
 * output. `layers` holds the big packages' layers being made in this run, by tag, so installs
 * running at once that share one wait for it instead of storing it twice.
 */
export async function sharedInstall(
  docker: Docker,
  spec: SharedInstall,
  tree: Tree,
  depsTag: string,
  layers: Map<string, Promise<string>>,
): Promise<{ id: string; log: string }> {
  try {
    let parent = spec.prelude;
    const big = bigPackages(tree.sizes);
    for (const name of big) {
      // The key covers what lands in the layer: its parent and the package's locked entries (no script has run on them).
      const locked = Object.entries(spec.lockfile.packages ?? {}).filter(([p]) => p === `node_modules/${name}` || p.startsWith(`node_modules/${name}/`));
      const tag = `${spec.imageName}-layer:${sha([parent, name, JSON.stringify(locked)].join('\0')).slice(0, 16)}`;
      const from = parent;
      parent = await once(layers, tag, async () => {
        const kept = await docker
          .getImage(tag)
          .inspect()
          .catch(() => undefined);
        if (kept) return kept.Id;
        spec.onLog(`layer ${name}`);
        return (await copyLayer(docker, spec, tree.volume, from, [`./${name}`], tag)).id;
      });
    }
    spec.onLog('layer (the rest of node_modules) and npm rebuild');
    // Options before the folder: tar applies --exclude to the names after it.
    const rest = [...big.map((n) => `--exclude=./${n}`), '.'];
    const last = await copyLayer(docker, spec, tree.volume, parent, rest, depsTag, { files: inService(spec.files), npm: npmRebuildArgs(spec.npmFlags) });
    return { id: last.id, log: `${tree.log}\n${last.output}` };
  } catch (error) {
    throw outsideTheCell(error);
  }
}

/** An engine API call that failed (the engine went away, refused a container, ran out of disk) says nothing about the cell. */
const outsideTheCell = (error: unknown): PrepareFailure =>
  error instanceof PrepareFailure
    ? error
    : new PrepareFailure('infra', `a shared install step failed for a reason outside the cell: ${(error as Error).message.split('\n')[0]}`);

/** Runs `npm ci` into the volume, then lists the installed packages' sizes (`du`, in the same container). */
async function npmCi(docker: Docker, spec: SharedInstall, volume: string): Promise<{ log: string; sizes: { name: string; bytes: number }[] }> {
  const mark = '--- matrix: package sizes ---';
  // `$@` carries npm's arguments: none of them passes through the shell's parsing.
  const script = `npm "$@" || exit $?; echo '${mark}'; cd ${NODE_MODULES} && du -s -B1 -- * @*/* 2>/dev/null; exit 0`;
  const container = await docker.createContainer({
    name: `${spec.containerPrefix}-install-${sha(JSON.stringify(spec.lockfile)).slice(0, 8)}-${Date.now() % 1e6}`,
    Image: spec.prelude,
    Cmd: ['sh', '-c', script, 'sh', ...npmTreeArgs(spec.npmFlags), '--cache', '/matrix/npm-cache', ...(spec.npmrc ? ['--userconfig', `/${USERCONFIG}`] : [])],
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
  if (code !== 0) throw installFailure(log, { code }, registriesOf(spec.lockfile, spec.npmrc), spec.lockfile);
  return { log, sizes: packageSizesOf(du) };
}

/**
 * A layer: `tar` of part of the tree into node_modules, in a container of `parent`, committed as
 * `tag`. With `then`, its files are written first and npm runs after the copy, on the engine's
 * network and with the install's env (install scripts may download), without npm's credentials.
 */
async function copyLayer(
  docker: Docker,
  spec: SharedInstall,
  volume: string,
  parent: string,
  paths: string[],
  tag: string,
  then?: { files: Files; npm: string[] },
) {
  const mark = '--- matrix: npm ---';
  const copy = `mkdir -p ${NODE_MODULES} && tar -C ${SOURCE} -cf - ${paths.map(quote).join(' ')} | tar -C ${NODE_MODULES} -xpf -`;
  // `$@` carries npm's arguments: none of them passes through the shell's parsing.
  // The env comes from a file the script removes before npm runs: the committed image keeps
  // neither it nor the values (proxies may hold credentials), as container Env it would.
  const script = then ? `${copy} || exit 1; set -a; . /${ENV_FILE}; set +a; rm -rf /matrix/secrets; echo '${mark}'; npm "$@"` : copy;
  const container = await docker.createContainer({
    name: `${spec.containerPrefix}-layer-${sha(tag).slice(0, 8)}-${Date.now() % 1e6}`,
    Image: parent,
    User: '0:0',
    WorkingDir: '/srv/service',
    Cmd: ['sh', '-c', script, 'sh', ...(then?.npm ?? [])],
    HostConfig: { NetworkMode: then ? spec.network : 'none', Mounts: [{ Type: 'volume', Source: volume, Target: SOURCE, ReadOnly: true }] },
  });
  try {
    const env = Object.entries(spec.env)
      .map(([k, v]) => `${k}=${quote(v)}\n`)
      .join('');
    const files = then && { ...then.files, [ENV_FILE]: { text: env, mode: 0o600 } };
    const { code, output } = await runToEnd(docker, container, files, spec.signal, false);
    const [copied = '', npm] = output.split(`${mark}\n`);
    if (spec.signal.aborted) throw new PrepareFailure('deadline', 'npm rebuild was stopped (timeout or interrupt)', tail(output));
    if (code !== 0 && npm !== undefined) throw installFailure(npm, { code }, registriesOf(spec.lockfile, spec.npmrc), spec.lockfile);
    if (code !== 0)
      throw new PrepareFailure(
        'build',
        `copying the installed packages into a layer failed (exit ${code}): ${copied.trim().split('\n').at(-1) ?? ''}`,
        tail(output),
      );
    const [repo, t] = splitTag(tag);
    // The image gets the service's command, not the copy's.
    const committed = (await container.commit({ repo, tag: t, changes: ['CMD ["node", "dist/server.js"]'] })) as { Id: string };
    return { id: committed.Id, output: npm ?? '' };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** One shell word (package names and tar flags; npm's own arguments go through `$@`). */
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

const splitTag = (tag: string): [string, string] => {
  const i = tag.lastIndexOf(':');
  return [tag.slice(0, i), tag.slice(i + 1)];
};

/** Starts a container (after writing `files`, paths from /), waits for it, returns its exit code and output. */
async function runToEnd(
  docker: Docker,
  container: Docker.Container,
  files: Files | undefined,
  signal: AbortSignal,
  remove = true,
): Promise<{ code: number; output: string }> {
  const log = new LogBuffer(1024 * 1024);
  const stop = () => void container.kill().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (files) await container.putArchive(tarOf(files), { path: '/' });
    const waiting = container.wait({ condition: 'next-exit' });
    // Rejected when the engine goes away before start() returns: handled where it is awaited, never unhandled.
    waiting.catch(() => undefined);
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
  const dirs = new Set(
    Object.keys(files).flatMap((name) =>
      name
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  for (const dir of [...dirs].sort()) pack.entry({ name: `${dir}/`, type: 'directory', mode: dir.startsWith('matrix/secrets') ? 0o700 : 0o755 });
  for (const [name, { text, mode }] of Object.entries(files)) pack.entry({ name, mode }, text);
  pack.finalize();
  return pack as unknown as NodeJS.ReadableStream;
}
