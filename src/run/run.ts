/**
 * Runs planned cells on a backend: prepare (install/build) → start → smoke → stop → judge (the
 * attempt after the start is src/smoke/attempt.ts, the one a release is checked with too), with
 * p-limit concurrency, per-phase timeouts, retries (or `--repeat N` runs, src/verdict/repeat.ts),
 * fail-fast, the verdict cache and interruption. One cell's failure is data in its CellResult,
 * never an exception.
 */
import { createServer } from 'node:net';
import os from 'node:os';
import pLimit from 'p-limit';
import { prepareBudgets } from './budgets.js';
import { startOrder } from './order.js';
import type { Backend, Prepared, RunningService } from '../backends/types.js';
import { PrepareFailure } from '../backends/types.js';
import { ResolveError, type Resolver, type ResolvedTree } from '../cell/resolve.js';
import { cellManifest, modelDirOf, type ServiceManifest } from '../cell/workspace.js';
import { FAILING, type Cell, type CellResult } from '../domain.js';
import { InfraError } from '../errors.js';
import { attemptService, httpClient, type SmokeClient } from '../smoke/attempt.js';
import type { SmokeCase } from '../smoke/cases.js';
import type { Benchmark } from '../smoke/client.js';
import { actualVersions, percentile, pinnedVersions, type Thresholds } from '../verdict/checks.js';
import { decide, RETRYABLE, type Trace } from '../verdict/decide.js';
import { combineRuns, UNCOUNTED } from '../verdict/repeat.js';
import { cellResult } from '../verdict/result.js';
import { cacheKey, type VerdictCache } from './cache.js';

export type Phase = 'queued' | 'cached' | 'prepare' | 'start' | 'smoke' | 'stop' | 'done';

export type RunEvent = { type: 'phase'; cell: Cell; phase: Phase; detail?: string; attempt?: number; run?: RunIndex } | { type: 'done'; result: CellResult };

/** Which of a repeated cell's runs an event is about. */
interface RunIndex {
  index: number;
  of: number;
}

export interface RunSettings {
  runId: string;
  serviceDir: string;
  /** The folder of matrix.yaml: model folders are relative to it. */
  root: string;
  concurrency: number;
  failFast: boolean;
  retries: number;
  /** Runs of each cell after its one prepare (`--repeat`, default 1); above 1, retries do not apply. */
  repeat?: number;
  /** Milliseconds; install and build are a cell's two prepare budgets (./budgets.ts). */
  timeouts: { install: number; build: number; start: number; smoke: number };
  thresholds: Thresholds;
  /** The smoke cases of a cell (its model variant's own, else smoke.cases). */
  casesOf: (cell: Cell) => SmokeCase[];
  benchmark?: Benchmark;
  /** smoke.extra-benchmarks, by name: scored whole, for `compare.gain`. */
  extraBenchmarks?: Record<string, Benchmark>;
  hashes: Record<string, string>;
  tool: string;
  useCache: boolean;
  score: (hyps: string[], refs: string[][]) => { bleu: number; chrf: number; ter: number };
  /** The service's package.json: each cell's manifest is derived from it. */
  serviceManifest: ServiceManifest;
  /** Resolves each cell's whole dependency tree before anything is built (part of the cache key). */
  resolver: Resolver;
  /** How the service is talked to; tests give a fake. */
  client?: SmokeClient;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const judged = (cell: Cell, trace: Trace, extra: Partial<CellResult> = {}) => cellResult(cell, decide(trace), extra);

/**
 * Cells at once when neither run.concurrency, --concurrency nor the backend says: one more than
 * the cores, as `make -j` is often run. A cell waits on the registry, the engine and its own HTTP
 * round trips between bursts of CPU, so as many cells as cores leave a core idle a third of the
 * time (vmstat). The default matrix's cold Docker run on 2 cores took 79.5 s at 2, 69.3 s at 3
 * and 67.3 s at 4; its highest p95 latency at 4 was 174 ms against the 2,000 ms budget.
 */
export const defaultConcurrency = () => os.availableParallelism() + 1;

export async function runCells(
  cells: Cell[],
  backend: Backend,
  settings: RunSettings,
  cache: VerdictCache | undefined,
  signal: AbortSignal,
  onEvent: (e: RunEvent) => void,
): Promise<CellResult[]> {
  const limit = pLimit(Math.max(1, settings.concurrency));
  let stopReason: string | undefined;
  const repeat = settings.repeat ?? 1;
  const keyFor = (cell: Cell, tree: ResolvedTree, baseId: string) =>
    cacheKey({
      cell: { axes: cell.axes, install: cell.install },
      backend: backend.name,
      baseId,
      tree: tree.sha256,
      hashes: settings.hashes,
      smoke: { thresholds: settings.thresholds, benchmark: settings.benchmark?.sources.length ?? 0 },
      tool: settings.tool,
      // A repeated cell is another question than a single run; absent at 1, so old keys still hit.
      repeat: repeat > 1 ? repeat : undefined,
    });

  const one = async (cell: Cell): Promise<CellResult> => {
    if (cell.status === 'skipped') return judged(cell, { ended: 'skipped', reason: cell.skipReason ?? 'skipped by the plan' });
    if (signal.aborted) return judged(cell, { ended: 'skipped', reason: 'interrupted before it started' });
    if (stopReason) return judged(cell, { ended: 'skipped', reason: stopReason });
    const manifest = cellManifest(settings.serviceManifest, cell);
    let tree: ResolvedTree;
    try {
      tree = await settings.resolver.resolve(manifest);
    } catch (error) {
      if (!(error instanceof ResolveError)) throw error;
      return judged(cell, { ended: 'prepare', fault: error.kind === 'infra' ? 'infra' : 'install', message: error.message, backendUp: true, deadlineMs: 0 });
    }
    const baseId = await backend.baseIdentity(cell).catch(() => undefined);
    if (baseId && cache && settings.useCache) {
      const hit = await cache.get(keyFor(cell, tree, baseId));
      if (hit) {
        onEvent({ type: 'phase', cell, phase: 'cached' });
        return { ...hit, cell, allowFailure: cell.allowFailure, cached: true };
      }
    }
    if (!(await backend.healthy()))
      return judged(cell, { ended: 'prepare', fault: 'infra', message: `${backend.name} backend is not answering`, backendUp: false, deadlineMs: 0 });
    const { result: r, baseId: built, unreachable } = await runOne(cell, manifest, tree, backend, settings, signal, onEvent);
    // Keyed on the base the cell was really built from (a fresh engine builds it during prepare).
    const key = built ?? (unreachable ? baseId : undefined);
    if (cache && key && !signal.aborted) await cache.put(keyFor(cell, tree, key), r, { unreachable }).catch(() => undefined);
    return r;
  };

  // Started in startOrder (cells sharing an install apart), returned in plan order.
  const results: CellResult[] = new Array(cells.length);
  await Promise.all(
    startOrder(cells).map((i) =>
      limit(async () => {
        const cell = cells[i]!;
        onEvent({ type: 'phase', cell, phase: 'queued' });
        const r = await one(cell).catch(async (error: unknown) => {
          // Whatever a backend that went away left unhandled is the machine's fault; anything else is ours to show.
          if (await backend.healthy()) throw error;
          const message = ((error as Error).message ?? String(error)).split('\n')[0]!;
          return judged(cell, { ended: 'prepare', fault: 'infra', message: `${backend.name} backend failed: ${message}`, backendUp: false, deadlineMs: 0 });
        });
        if (settings.failFast && FAILING.has(r.verdict) && !r.allowFailure && !stopReason) {
          stopReason = `not run: --fail-fast after ${cell.name} ended ${r.verdict}`;
        }
        onEvent({ type: 'done', result: r });
        results[i] = r;
      }),
    ),
  );
  return results;
}

async function timed<T>(timings: Record<string, number>, phase: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings[phase] = Math.round(performance.now() - t0);
  }
}

async function runOne(
  cell: Cell,
  manifest: ServiceManifest,
  tree: ResolvedTree,
  backend: Backend,
  s: RunSettings,
  runSignal: AbortSignal,
  onEvent: (e: RunEvent) => void,
): Promise<{ result: CellResult; baseId?: string; unreachable?: string }> {
  const timings: Record<string, number> = {};
  let prepared: Prepared;
  onEvent({ type: 'phase', cell, phase: 'prepare' });
  const budgets = prepareBudgets({ install: s.timeouts.install, build: s.timeouts.build }, runSignal);
  try {
    prepared = await timed(timings, 'prepare', () =>
      backend.prepare(cell, {
        runId: s.runId,
        serviceDir: s.serviceDir,
        modelDir: modelDirOf(cell, s.root),
        manifest,
        lockfile: tree.lockfile,
        signal: runSignal,
        within: budgets.within,
        onLog: (line) => onEvent({ type: 'phase', cell, phase: 'prepare', detail: line }),
      }),
    );
  } catch (error) {
    if (runSignal.aborted) return { result: judged(cell, { ended: 'interrupted' }, { timings }) };
    const backendUp = await backend.healthy();
    const e = error as Error;
    // The deadline is ours to tell, whatever the backend made of the abort.
    const ranOut = budgets.ranOut();
    const fault = ranOut ? 'deadline' : error instanceof PrepareFailure ? error.fault : error instanceof InfraError ? 'infra' : 'build';
    const logTail = error instanceof PrepareFailure ? error.logTail : '';
    const deadlineMs = ranOut ? s.timeouts[ranOut] : 0;
    const result = judged(cell, { ended: 'prepare', fault, message: e.message, backendUp, deadlineMs }, { timings, logTail });
    const unreachable = error instanceof PrepareFailure && result.verdict === 'install-error' ? error.unreachable : undefined;
    return { result, ...(unreachable ? { unreachable } : {}) };
  }

  try {
    return { result: await attempts(cell, prepared, tree, backend, s, runSignal, onEvent, timings), baseId: prepared.baseId };
  } finally {
    backend.done?.(cell);
  }
}

/** Every run of a prepared cell: `--repeat` runs, else the first attempt and its retries. */
async function attempts(
  cell: Cell,
  prepared: Prepared,
  tree: ResolvedTree,
  backend: Backend,
  s: RunSettings,
  runSignal: AbortSignal,
  onEvent: (e: RunEvent) => void,
  timings: Record<string, number>,
): Promise<CellResult> {
  const pinned = pinnedVersions(tree.lockfile);
  let last: CellResult | undefined;
  const repeat = s.repeat ?? 1;
  if (repeat > 1) {
    const runs: CellResult[] = [];
    for (let index = 1; index <= repeat; index++) {
      const r = await attemptOnce(cell, prepared, pinned, backend, s, runSignal, onEvent, {}, 1, { index, of: repeat });
      runs.push(r);
      if (UNCOUNTED.has(r.verdict)) break;
      // Fewer runs than asked for are no rate: the cell was interrupted.
      if (runSignal.aborted && index < repeat) return judged(cell, { ended: 'interrupted' }, { timings });
    }
    const combined = combineRuns(runs);
    last = { ...combined, timings: { ...timings, ...combined.timings } };
  } else {
    for (let attempt = 1; attempt <= 1 + s.retries; attempt++) {
      last = await attemptOnce(cell, prepared, pinned, backend, s, runSignal, onEvent, { ...timings }, attempt);
      if (runSignal.aborted || !RETRYABLE.has(last.verdict)) break;
    }
  }
  return { ...last!, lockfile: last!.lockfile ?? tree.lockfile };
}

async function attemptOnce(
  cell: Cell,
  prepared: Prepared,
  pinned: Record<string, string>,
  backend: Backend,
  s: RunSettings,
  runSignal: AbortSignal,
  onEvent: (e: RunEvent) => void,
  timings: Record<string, number>,
  attempt: number,
  run?: RunIndex,
): Promise<CellResult> {
  const extra = (logTail = ''): Partial<CellResult> => ({
    timings,
    attempts: attempt,
    lockfile: prepared.lockfile,
    ...(prepared.image ? { image: { ...prepared.image } } : {}),
    ...(prepared.engine ? { engine: prepared.engine } : {}),
    logTail,
  });
  let svc: RunningService;
  onEvent({ type: 'phase', cell, phase: 'start', attempt, run });
  const port = await freePort();
  try {
    svc = await backend.start(prepared, port, { runId: s.runId, signal: runSignal });
  } catch (error) {
    // An InfraError is the backend saying the engine failed (src/backends/docker/engine-fault.ts).
    const backendUp = error instanceof InfraError ? false : await backend.healthy();
    return judged(cell, { ended: 'start', message: (error as Error).message, backendUp }, extra());
  }
  try {
    const { decision, logTail, checks, obs } = await attemptService(svc, {
      cell,
      cases: s.casesOf(cell),
      benchmark: s.benchmark,
      extraBenchmarks: s.extraBenchmarks,
      score: s.score,
      thresholds: s.thresholds,
      pinned,
      timeouts: s.timeouts,
      attempt,
      signal: runSignal,
      client: s.client ?? httpClient,
      backendUp: () => backend.healthy(),
      end: () => {
        onEvent({ type: 'phase', cell, phase: 'stop', attempt, run });
        return svc.stop();
      },
      onSmoke: () => onEvent({ type: 'phase', cell, phase: 'smoke', attempt, run }),
      timings,
    });
    const result = cellResult(cell, decision, extra(logTail));
    if (!obs) return result;
    const lat = obs.benchmark?.latenciesMs ?? [];
    return {
      ...result,
      actual: actualVersions(cell, obs.version),
      checks,
      scores: {
        ...(obs.benchmark ? { bleu: obs.benchmark.bleu, chrf: obs.benchmark.chrf, ter: obs.benchmark.ter } : {}),
        ...(obs.sets ? { sets: obs.sets } : {}),
      },
      latency: lat.length ? { p50: percentile(lat, 50), p95: percentile(lat, 95), samples: lat.map((x) => Math.round(x * 10) / 10) } : {},
      memory: obs.peakMemoryMb !== undefined ? { peakRssMb: Math.round(obs.peakMemoryMb * 10) / 10 } : {},
      ...(obs.startupMs !== undefined ? { startupMs: obs.startupMs } : {}),
      ...(obs.benchmark ? { outputs: obs.benchmark.outputs } : {}),
    };
  } finally {
    await svc.stop().catch(() => undefined);
  }
}
