/**
 * Docker backend (dockerode): one image per cell from Dockerfile.template, run with host
 * networking on a loopback port with CPU/memory limits; every container carries the run's
 * label and is removed by cleanup().
 */
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import tarStream from 'tar-stream';
import { axisLabels, runtimeOf, serviceEnvOf } from '../../axes/index.js';
import { proxyEnv } from '../cell-env.js';
import type { Cell } from '../../domain.js';
import { judgeScript } from '../../cell/install-script.js';
import { failedScript, installFault, killedFromOutside, npmErrorLine } from '../../cell/npm-output.js';
import type { Lockfile } from '../../cell/resolve.js';
import { registriesOf } from '../../registry/credentials.js';
import { cellNpmrc, copyServiceFiles } from '../../cell/workspace.js';
import { LogBuffer } from '../logbuffer.js';
import { once } from '../once.js';
import { cacheDigests, sha256, type Digests } from '../../fs/digests.js';
import { PrepareFailure, tail, type Backend, type ExitInfo, type PrepareContext, type Prepared, type RunningService } from '../types.js';
import { labelLine, renderDockerfile, renderStages } from './template.js';
import { npmCiArgs, treePerNode } from '../npm.js';
import { extractTree, npmVersionIn, sharedInstall, type SharedInstall, type Tree } from './install.js';
import { ensureBaseImage, findBase, type BaseOptions } from './base.js';
import { engineFault } from './engine-fault.js';
import { InfraError } from '../../errors.js';
import { buildExitCode, buildStep, engineName, followLogs, localNames, type Engine } from './engine.js';

export interface DockerOptions extends BaseOptions {
  reason: string;
  /** Which engine answers (Docker or Podman): its differences are applied in ./engine.ts. */
  engine: Engine;
  cacheDir: string;
  templateFile: string;
  /** Image repository name; the tag is v<semver>-<shortsha>-<cell id>. */
  imageName: string;
  serviceVersion: string;
  revision: string;
  source: string;
  labels: Record<string, string>;
  network: string;
  cpus?: number;
  memoryMb?: number;
  /** Host CA bundle copied into builds (NODE_EXTRA_CA_CERTS / npm cafile). */
  caFile?: string;
  registry?: string;
  /** Build without Docker's layer cache (the naive baseline of bench:matrix). */
  noCache?: boolean;
  /** `shared`: one `npm ci` per distinct lockfile, in a throwaway container; `per-cell`: `npm ci` in each cell's build. */
  install: InstallMode;
  /**
   * The user's npm settings and credentials (src/registry/credentials.ts), for shared installs
   * only: a build cannot take them without writing them into a layer, so per-cell builds go without.
   */
  npmrc?: string;
}

export type InstallMode = 'shared' | 'per-cell';

export const RUN_LABEL = 'io.matrix.run';
const CELL_LABEL = 'io.matrix.cell';
const PRELUDE_LABEL = 'io.matrix.prelude';
const BASE_LABEL = 'io.matrix.base';

export class DockerBackend implements Backend {
  readonly name = 'docker' as const;
  readonly reason: string;
  /** `Docker 20.10.24`, `Podman 4.3.1`: recorded in the report. */
  readonly dockerEngine: string;
  private readonly opts: DockerOptions;
  private readonly containers = new Set<string>();
  private readonly preludes = new Map<string, Promise<string>>();
  private readonly installs = new Map<string, Promise<{ id: string; log: string }>>();
  private readonly layers = new Map<string, Promise<string>>();
  private readonly trees = new Map<string, Promise<Tree>>();
  private readonly npmVersions = new Map<string, Promise<string>>();
  /** Prepares under way, also those the runner gave up on when the engine went away: they may still read their build folders. */
  private readonly preparing = new Set<Promise<Prepared>>();
  private digests?: Digests;

  constructor(
    readonly docker: Docker,
    opts: DockerOptions,
  ) {
    this.opts = localNames(opts.engine, opts);
    this.reason = opts.reason;
    this.dockerEngine = engineName(opts.engine);
  }

  async healthy(): Promise<boolean> {
    try {
      // A dying engine can accept a connection and never answer: a ping that takes this long is no answer.
      // dockerode passes abortSignal through to the request; its typings do not say so.
      const ping = this.docker.ping.bind(this.docker) as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>;
      await ping({ abortSignal: AbortSignal.timeout(PING_MS) });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Settles when the engine stops answering, while anything of this backend is in flight. An
   * engine that goes away mid-response leaves dockerode's promise unsettled (the response is cut
   * without an `end`), and with nothing else to wait for Node would exit 13 mid-run: the watch's
   * timer keeps the run alive, and every operation is raced against it (`whileUp`).
   */
  private watch?: { gone: Promise<string>; timer: NodeJS.Timeout; busy: number };

  private async whileUp<T>(what: string, work: Promise<T>): Promise<T> {
    this.watch ??= this.watchEngine();
    const watch = this.watch;
    if (watch.busy++ === 0) watch.timer.ref();
    try {
      return await Promise.race([work, watch.gone.then((why) => Promise.reject(new InfraError(`${what}: ${why}`)))]);
    } finally {
      if (--watch.busy === 0) watch.timer.unref();
    }
  }

  private watchEngine(): { gone: Promise<string>; timer: NodeJS.Timeout; busy: number } {
    let misses = 0;
    let said: (why: string) => void = () => undefined;
    const gone = new Promise<string>((resolve) => (said = resolve));
    // Two missed pings in a row: one can be a busy engine.
    const timer = setInterval(() => {
      void this.healthy().then((up) => {
        misses = up ? 0 : misses + 1;
        if (misses >= 2) {
          clearInterval(timer);
          said(`the engine stopped answering (${misses} pings of ${PING_MS / 1000} s unanswered)`);
        }
      });
    }, WATCH_MS);
    timer.unref();
    return { gone, timer, busy: 0 };
  }

  async baseIdentity(cell: Cell): Promise<string | undefined> {
    return (await this.whileUp('base lookup', findBase(this.docker, runtimeOf(cell).version, this.opts)))?.id;
  }

  imageTag(cell: Cell): string {
    return `${this.opts.imageName}:v${this.opts.serviceVersion}-${this.opts.revision.slice(0, 7)}-${cell.id}`;
  }

  labelsFor(cell: Cell): Record<string, string> {
    return {
      ...this.opts.labels,
      'org.opencontainers.image.version': this.opts.serviceVersion,
      'org.opencontainers.image.revision': this.opts.revision,
      'org.opencontainers.image.source': this.opts.source,
      'org.opencontainers.image.created': new Date().toISOString(),
      [CELL_LABEL]: cell.id,
      ...axisLabels(cell.axes),
    };
  }

  prepare(cell: Cell, ctx: PrepareContext): Promise<Prepared> {
    const work = this.prepareOn(cell, ctx);
    this.preparing.add(work);
    const settled = () => void this.preparing.delete(work);
    work.then(settled, settled);
    return this.whileUp('prepare', work);
  }

  private async prepareOn(cell: Cell, ctx: PrepareContext): Promise<Prepared> {
    const node = runtimeOf(cell).version;
    ctx.onLog(`base image for node ${node}`);
    const base = await ctx.within('build', (signal) => ensureBaseImage(this.docker, node, this.opts, signal, ctx.onLog));
    const dir = path.join(this.opts.cacheDir, 'work', ctx.runId, cell.name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const template = await readFile(this.opts.templateFile, 'utf8');
    const values = {
      base_image: base.tag,
      node,
      cell_id: cell.id,
      install_env: cell.install.env,
      service_env: serviceEnvOf(cell.axes),
      npm_install: ['npm', ...npmCiArgs(cell.install.npmFlags)],
    };
    const file = path.basename(this.opts.templateFile);
    const tag = this.imageTag(cell);
    // Which base the cell was built on: an upstream image (pulled or present) or the local one.
    const labels = { ...this.labelsFor(cell), [BASE_LABEL]: base.tag };
    let id: string;
    let logTail: string;
    if (this.opts.install === 'per-cell') {
      await writeCellFiles(path.join(dir, 'cell'), ctx);
      await this.preludeContext(dir, ctx.modelDir);
      await copyServiceFiles(ctx.serviceDir, path.join(dir, 'service'));
      await writeFile(path.join(dir, 'Dockerfile'), renderDockerfile(template, values, file) + labelLine(labels, file));
      ctx.onLog('docker build');
      // Its Dockerfile runs `npm ci`: the step spends both budgets.
      const src = ['Dockerfile', 'ca.pem', 'cell', 'service', 'model'];
      const built = await ctx.within(['install', 'build'], (signal) => this.build(dir, src, { t: tag, buildargs: this.npmEnv() }, ctx, signal));
      if (!built.id) throw buildFailure(built.log, built.failedStep, ctx.lockfile);
      ({ id } = built);
      logTail = tail(built.log);
    } else {
      const stages = renderStages(template, values, file);
      const prelude = await ctx.within('build', (signal) => this.prelude(stages.prelude, base.id, ctx, signal));
      const deps = await ctx.within('install', (signal) => this.dependencies(prelude, cell, ctx, signal));
      await copyServiceFiles(ctx.serviceDir, path.join(dir, 'service'));
      await writeFile(path.join(dir, 'Dockerfile'), stages.cell(deps.id) + labelLine(labels, file));
      ctx.onLog('docker build (service)');
      const built = await ctx.within('build', (signal) => this.build(dir, ['Dockerfile', 'service'], { t: tag }, ctx, signal));
      if (!built.id) throw buildFailure(built.log, built.failedStep);
      ({ id } = built);
      logTail = tail(`${deps.log}\n${built.log}`);
    }
    const lockfile = await this.readFileFromImage(id, '/srv/service/package-lock.json')
      .then((t) => JSON.parse(t) as unknown)
      .catch(() => undefined);
    return { cell, lockfile, image: { id, tag, labels }, baseId: base.id, logTail };
  }

  /** The registry and proxy settings an install needs, passed as plain values (never credentials). */
  private npmEnv(): Record<string, string> {
    // The proxies are all a Docker cell takes from the host's environment (../cell-env.ts).
    return { ...(this.opts.registry ? { npm_config_registry: this.opts.registry } : {}), ...proxyEnv(process.env) };
  }

  /** CA bundle and model: what the template's lines above {{dependencies}} copy. */
  private async preludeContext(dir: string, modelDir: string): Promise<void> {
    await linkTree(modelDir, path.join(dir, 'model'));
    if (this.opts.caFile) await copyFile(this.opts.caFile, path.join(dir, 'ca.pem'));
    else await writeFile(path.join(dir, 'ca.pem'), '');
  }

  /**
   * The template above {{dependencies}}, built once per text and model folder in this process and
   * kept by what it is made of: its text, the base image, the CA bundle and the model folder's
   * digest (kept by `stat`, src/fs/digests.ts). A prelude kept from an earlier run with that key is
   * used as it is: building it again sends the model (51 MB) to the engine for cache hits only,
   * about 2 s before the first cell of each Node version can go on.
   */
  private prelude(dockerfile: string, baseId: string, ctx: PrepareContext, signal: AbortSignal): Promise<string> {
    return once(this.preludes, sha(dockerfile, ctx.modelDir), async () => {
      this.digests ??= cacheDigests(this.opts.cacheDir);
      const digests = this.digests;
      const ca = this.opts.caFile ? await digests.file(this.opts.caFile) : '';
      const key = sha(dockerfile, baseId, ca, await digests.tree(ctx.modelDir));
      const tag = `${this.opts.imageName}-prelude:${key.slice(0, 16)}`;
      const kept = this.opts.noCache
        ? undefined
        : await this.docker
            .getImage(tag)
            .inspect()
            .catch(() => undefined);
      if (kept?.Config?.Labels?.[PRELUDE_LABEL] === key) {
        ctx.onLog(`prelude ${tag} (kept from an earlier run)`);
        return kept.Id;
      }
      const dir = path.join(this.opts.cacheDir, 'work', ctx.runId, `prelude-${key.slice(0, 12)}`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await this.preludeContext(dir, ctx.modelDir);
      ctx.onLog('docker build (prelude)');
      await writeFile(path.join(dir, 'Dockerfile'), dockerfile + labelLine({ [PRELUDE_LABEL]: key }));
      const built = await this.build(dir, ['Dockerfile', 'ca.pem', 'model'], { t: tag }, ctx, signal);
      await rm(dir, { recursive: true, force: true });
      if (!built.id) throw buildFailure(built.log, built.failedStep);
      return built.id;
    });
  }

  /**
   * The image of the cell's dependencies on its prelude: one per distinct lockfile, flags and
   * registry, shared by every cell that has them (and kept for later runs by tag), made from a
   * tree that preludes with the same npm share.
   */
  private dependencies(prelude: string, cell: Cell, ctx: PrepareContext, signal: AbortSignal): Promise<{ id: string; log: string }> {
    const env = { ...cell.install.env, ...this.npmEnv() };
    const files = cellFiles(ctx);
    // Everything the install reads: the package files (manifest and lock), npm's flags and env.
    const key = sha(prelude, JSON.stringify(files), JSON.stringify(npmCiArgs(cell.install.npmFlags)), JSON.stringify(env));
    const tag = `${this.opts.imageName}-deps:${key.slice(0, 16)}`;
    return once(this.installs, key, async () => {
      const kept = await this.docker
        .getImage(tag)
        .inspect()
        .catch(() => undefined);
      if (kept) {
        ctx.onLog(`dependencies ${tag} (kept from an earlier run)`);
        return { id: kept.Id, log: `dependencies image ${tag}, installed by an earlier run\n` };
      }
      const spec = {
        prelude,
        files,
        ...(this.opts.npmrc ? { npmrc: this.opts.npmrc } : {}),
        lockfile: ctx.lockfile,
        npmFlags: cell.install.npmFlags,
        env,
        network: this.opts.network,
        containerPrefix: `matrix-${ctx.runId}`.toLowerCase(),
        imageName: this.opts.imageName,
        labels: { [RUN_LABEL]: ctx.runId },
        signal,
        onLog: ctx.onLog,
      };
      return sharedInstall(this.docker, spec, await this.tree(spec), tag, this.layers);
    });
  }

  /**
   * The lockfile's tree, extracted once per run for every prelude with the same npm: no install
   * script has run in it, so the Node version does not change it, unless engine-strict makes npm
   * refuse packages by their engines (then each prelude has its own).
   */
  private async tree(spec: SharedInstall): Promise<Tree> {
    const npm = await once(this.npmVersions, spec.prelude, () => npmVersionIn(this.docker, spec.prelude, spec.signal));
    const byNode = treePerNode(spec.npmFlags, this.opts.npmrc ?? '', spec.env);
    const key = sha(JSON.stringify(spec.files), JSON.stringify(spec.npmFlags), JSON.stringify(spec.env), npm, byNode ? spec.prelude : '');
    return once(this.trees, key, () => extractTree(this.docker, spec, `${spec.containerPrefix}-tree-${key.slice(0, 12)}`));
  }

  private async build(dir: string, src: string[], opts: { t: string; buildargs?: Record<string, string> }, ctx: PrepareContext, signal: AbortSignal) {
    const stream = await this.docker.buildImage({ context: dir, src }, {
      ...opts,
      networkmode: this.opts.network,
      rm: true,
      forcerm: true,
      nocache: Boolean(this.opts.noCache),
      abortSignal: signal,
    } as Docker.ImageBuildOptions);
    const log = new LogBuffer();
    let failedStep: string | undefined;
    let step = '';
    let id = '';
    await new Promise<void>((resolve) => {
      this.docker.modem.followProgress(
        stream,
        () => resolve(),
        (event: { stream?: string; error?: string; aux?: { ID?: string } }) => {
          if (event.stream) {
            log.push(event.stream);
            const s = buildStep(event.stream.trim());
            if (s !== undefined) {
              step = s;
              ctx.onLog(step.slice(0, 60));
            }
          }
          if (event.aux?.ID) id = event.aux.ID;
          if (event.error) {
            log.push(`${event.error}\n`);
            failedStep = step;
            id = '';
          }
        },
      );
    });
    if (signal.aborted) throw new PrepareFailure('deadline', 'docker build was stopped (timeout or interrupt)', tail(log.text()));
    if (failedStep === undefined && !id) {
      // The classic builder reports the id only as "Successfully built <id>".
      id = /Successfully built ([0-9a-f]+)/.exec(log.text())?.[1] ?? '';
    }
    return { id: failedStep === undefined ? id : '', log: log.text(), failedStep };
  }

  private async readFileFromImage(image: string, file: string): Promise<string> {
    const container = await this.docker.createContainer({ Image: image, Labels: { [RUN_LABEL]: 'lockfile-read' }, Cmd: ['true'] });
    try {
      const archive = await container.getArchive({ path: file });
      return await firstFileOf(archive);
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  async start(prepared: Prepared, port: number, ctx: { runId: string; signal: AbortSignal }): Promise<RunningService> {
    try {
      return await this.whileUp('start', this.startOn(prepared, port, ctx));
    } catch (error) {
      const fault = engineFault(error);
      throw fault ? new InfraError(`start: ${fault}`) : error;
    }
  }

  private async startOn(prepared: Prepared, port: number, ctx: { runId: string; signal: AbortSignal }): Promise<RunningService> {
    const cell = prepared.cell;
    const name = `matrix-${ctx.runId}-${cell.id}`.toLowerCase();
    // An earlier attempt's container the engine did not remove would make the name a 409.
    await this.docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => undefined);
    const container = await this.docker.createContainer({
      Image: prepared.image!.id,
      name,
      Env: [`PORT=${port}`, 'HOST=127.0.0.1', `GIT_REVISION=${this.opts.revision}`],
      Labels: { [RUN_LABEL]: ctx.runId, [CELL_LABEL]: cell.id },
      HostConfig: {
        // An init process as PID 1: the service then gets default signal behaviour, so a native
        // abort() dies of SIGABRT (as PID 1 the kernel ignores it and glibc falls back to SIGSEGV).
        Init: true,
        NetworkMode: this.opts.network,
        ...(this.opts.cpus ? { NanoCpus: Math.round(this.opts.cpus * 1e9) } : {}),
        ...(this.opts.memoryMb ? { Memory: this.opts.memoryMb * 1024 * 1024 } : {}),
      },
    });
    this.containers.add(container.id);
    const log = new LogBuffer();
    // 'next-exit': the default 'not-running' would return at once for a container not started yet.
    const waiting = container.wait({ condition: 'next-exit' });
    // Rejected when the engine goes away before start() returns: handled where it is awaited, never unhandled.
    waiting.catch(() => undefined);
    await container.start();
    void followLogs(this.docker, container, (text) => log.push(text));
    const memory = watchMemory(container);
    const unknown: ExitInfo = { code: null, signal: null };
    // The engine went away (the wait failed, or never answers): the runner asks healthy() and judges the cell infra-error.
    const exited: Promise<ExitInfo> = this.whileUp(
      'wait',
      waiting.then(async (w: { StatusCode: number }) => {
        const info = await container.inspect().catch(() => undefined);
        return { code: w.StatusCode, signal: null, oomKilled: info?.State?.OOMKilled ?? false };
      }),
    ).catch(() => unknown);
    return {
      url: `http://127.0.0.1:${port}`,
      exited,
      logTail: (n) => tail(log.text(), n),
      peakMemoryMb: () => this.whileUp('stats', memory.peakMb()).catch(() => undefined),
      stop: async () => {
        memory.close();
        await this.whileUp('stop', container.stop({ t: 10 })).catch(() => undefined);
        const info = await exited;
        await this.whileUp('remove', container.remove({ force: true })).catch(() => undefined);
        this.containers.delete(container.id);
        return info;
      },
    };
  }

  async cleanup(runId: string): Promise<void> {
    if (this.watch) clearInterval(this.watch.timer);
    this.watch = undefined;
    await removeRunOnEngine(this.docker, runId, this.containers);
    this.containers.clear();
    // A build given up on may still be sending its folder to the engine (tar-fs reads it file by file,
    // and a file gone under it is an uncaught error): wait a little, and leave the folder if it still is.
    await Promise.race([Promise.allSettled([...this.preparing]), new Promise((r) => setTimeout(r, 5000).unref())]);
    if (this.preparing.size === 0) await rm(path.join(this.opts.cacheDir, 'work', runId), { recursive: true, force: true });
  }
}

/**
 * Removes what a run made on an engine: its labelled containers, the unlabelled ones a shared install
 * commits (named after the run), any `known` by id, and its volumes. An engine that does not answer
 * is skipped. Returns how many of each went. The runner's cleanup and the sweep of a killed run's
 * leftovers (src/run/sweep.ts) both use it.
 */
export async function removeRunOnEngine(docker: Docker, runId: string, known: Iterable<string> = []): Promise<{ containers: number; volumes: number }> {
  const list = (filters: Record<string, string[]>) => docker.listContainers({ all: true, filters }).catch(() => [] as Docker.ContainerInfo[]);
  const listed = [...(await list({ label: [`${RUN_LABEL}=${runId}`] })), ...(await list({ name: [`matrix-${runId}-`.toLowerCase()] }))];
  const ids = new Set([...known, ...listed.map((c) => c.Id)]);
  const removed = await Promise.allSettled([...ids].map((id) => docker.getContainer(id).remove({ force: true })));
  const volumes = (await docker.listVolumes({ filters: { label: [`${RUN_LABEL}=${runId}`] } }).catch(() => ({ Volumes: [] }))).Volumes ?? [];
  const gone = await Promise.allSettled(volumes.map((v) => docker.getVolume(v.Name).remove({ force: true })));
  return { containers: removed.filter((r) => r.status === 'fulfilled').length, volumes: gone.filter((r) => r.status === 'fulfilled').length };
}

const sha = (...parts: string[]) => sha256(parts.join('\0'));
/** How long a ping may take, and how often the engine is asked while work is in flight. */
const PING_MS = 3000;
const WATCH_MS = 1000;

type MemoryStats = { memory_stats?: { max_usage?: number; usage?: number } };
/** Docker collects stats once a second: a sample this long after the question has been taken after it. */
const STATS_TICK_MS = 1200;

/**
 * A running container's peak memory, from the engine's stats stream (a sample a second, from
 * the start): the cgroup's high-water mark where the engine reports one (cgroup v1
 * `max_usage`), else the highest usage sampled. peakMb() waits for the first sample after it is
 * asked, so the peak covers the work before; without one in time (an engine that streams more
 * slowly, or no stream at all), it asks for one sample instead, as the backend did before.
 */
function watchMemory(container: Docker.Container): { peakMb(): Promise<number | undefined>; close(): void } {
  let peak = 0;
  const waiting = new Set<() => void>();
  const take = (s: MemoryStats) => {
    peak = Math.max(peak, s.memory_stats?.max_usage ?? s.memory_stats?.usage ?? 0);
    for (const w of waiting) w();
  };
  const stream = (container.stats({ stream: true }) as Promise<Readable>).then(
    (s) => {
      // One JSON document a line; a line that does not parse (a cut stream) is skipped. readline
      // re-emits an error of its input (the engine going away mid-stream): the last sample stands.
      const lines = createInterface({ input: s });
      lines.on('error', () => undefined);
      lines.on('line', (line) => {
        try {
          take(JSON.parse(line) as MemoryStats);
        } catch {
          // not a sample
        }
      });
      s.on('error', () => undefined);
      return s;
    },
    () => undefined,
  );
  const nextSample = () =>
    new Promise<boolean>((resolve) => {
      const done = (fresh: boolean) => {
        waiting.delete(onSample);
        clearTimeout(timer);
        resolve(fresh);
      };
      const onSample = () => done(true);
      const timer = setTimeout(() => done(false), STATS_TICK_MS);
      waiting.add(onSample);
    });
  return {
    async peakMb() {
      if (!(await nextSample())) {
        // No sample in time, and none if the container is gone: then the last one stands.
        const s = (await container.stats({ stream: false }).catch(() => undefined)) as MemoryStats | undefined;
        if (s) take(s);
      }
      return peak ? peak / 1024 / 1024 : undefined;
    },
    close: () => void stream.then((s) => s?.destroy()),
  };
}

/** The cell's package.json, package-lock.json and .npmrc, as `npm ci` reads them. */
const cellFiles = (ctx: Pick<PrepareContext, 'manifest' | 'lockfile'>): Record<string, string> => ({
  'package.json': `${JSON.stringify(ctx.manifest, null, 2)}\n`,
  'package-lock.json': `${JSON.stringify(ctx.lockfile, null, 2)}\n`,
  '.npmrc': cellNpmrc(),
});

async function writeCellFiles(dir: string, ctx: Pick<PrepareContext, 'manifest' | 'lockfile'>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(cellFiles(ctx))) await writeFile(path.join(dir, name), text);
}

/** A build that made no image: whose fault, and the line that says why. */
function buildFailure(log: string, failedStep: string | undefined, lockfile?: Lockfile): PrepareFailure {
  const code = buildExitCode(log);
  // No error event and no image: the stream was cut (the engine went away mid-build).
  const cut = failedStep === undefined;
  const installStep = !cut && /npm(",|\s)+"?ci\b/.test(failedStep);
  const failed = installStep && !killedFromOutside(code) ? failedScript(log) : undefined;
  const script = failed && judgeScript(failed, { lockfile, registries: registriesOf(lockfile) });
  const fault = cut || killedFromOutside(code) ? 'infra' : installStep ? (script?.fault ?? installFault(log, code)) : 'build';
  const what = installStep ? 'npm ci' : 'docker build';
  const why = cut ? 'the build stream ended without an image (engine gone?)' : (script?.message ?? npmErrorLine(log));
  return new PrepareFailure(fault, `${what} failed${fault === 'infra' ? ' for a reason outside the cell' : ''}: ${why}`, tail(log), script?.unreachable);
}

/** Hard-links the model into the build context (it is tens of MB per cell otherwise). */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (entry.isDirectory()) await linkTree(a, b);
    else if (entry.isFile()) await link(a, b).catch(() => copyFile(a, b));
  }
}

function firstFileOf(archive: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const extract = tarStream.extract();
    let text: string | undefined;
    extract.on('entry', (_header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on('data', (d: unknown) => void parts.push(d as Buffer));
      stream.on('end', () => {
        text ??= Buffer.concat(parts).toString('utf8');
        next();
      });
    });
    extract.on('finish', () => (text === undefined ? reject(new Error('empty archive')) : resolve(text)));
    extract.on('error', reject);
    archive.pipe(extract);
  });
}
