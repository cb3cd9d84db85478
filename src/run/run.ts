/**
 * Runs planned cells on a backend: prepare (install/build) → start → smoke → stop → judge,
 * with p-limit concurrency, per-phase timeouts, retries, fail-fast, the verdict cache and
 * interruption. One cell's failure is data in its CellResult, never an exception.
 */
import { createServer } from 'node:net';
import pLimit from 'p-limit';
import type { Backend, Prepared, RunningService } from '../backends/types.js';
import { PhaseFailure } from '../backends/types.js';
import { FAILING, type Cell, type CellResult, type Verdict } from '../domain.js';
import { checksFor, expectedVersions, actualVersions, percentile, verdictOf, type Thresholds } from '../smoke/judge.js';
import { observe, waitHealthy, type Benchmark } from '../smoke/client.js';
import type { SmokeCase } from '../smoke/cases.js';
import { cacheKey, type VerdictCache } from './cache.js';

export type Phase = 'queued' | 'cached' | 'prepare' | 'start' | 'smoke' | 'stop' | 'done';

export type RunEvent =
  | { type: 'phase'; cell: Cell; phase: Phase; detail?: string; attempt?: number }
  | { type: 'done'; result: CellResult };

export interface RunSettings {
  runId: string;
  serviceDir: string;
  modelDir: string;
  concurrency: number;
  failFast: boolean;
  retries: number;
  timeouts: { prepare: number; start: number; smoke: number };
  thresholds: Thresholds;
  cases: SmokeCase[];
  benchmark?: Benchmark;
  hashes: Record<string, string>;
  tool: string;
  useCache: boolean;
  score: (hyps: string[], refs: string[][]) => { bleu: number; chrf: number; ter: number };
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

function base(cell: Cell, verdict: Verdict, reason: string, extra: Partial<CellResult> = {}): CellResult {
  return {
    cell,
    verdict,
    reason,
    allowFailure: cell.allowFailure,
    expected: expectedVersions(cell),
    actual: null,
    checks: [],
    timings: {},
    scores: {},
    latency: {},
    memory: {},
    attempts: 1,
    logTail: '',
    cached: false,
    ...extra,
  };
}

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
  const keyFor = async (cell: Cell) =>
    cacheKey({
      cell: { node: cell.node, ort: cell.ort, tokenizer: cell.tokenizer, install: cell.install },
      backend: backend.name,
      baseId: await backend.baseIdentity(cell),
      hashes: settings.hashes,
      smoke: { thresholds: settings.thresholds, benchmark: settings.benchmark?.sources.length ?? 0 },
      tool: settings.tool,
    });

  const one = async (cell: Cell): Promise<CellResult> => {
    if (cell.status === 'skipped') return base(cell, 'skipped', cell.skipReason ?? 'skipped by the plan');
    if (signal.aborted) return base(cell, 'skipped', 'interrupted before it started');
    if (stopReason) return base(cell, 'skipped', stopReason);
    const key = await keyFor(cell).catch(() => undefined);
    if (key && cache && settings.useCache) {
      const hit = await cache.get(key);
      if (hit) {
        onEvent({ type: 'phase', cell, phase: 'cached' });
        return { ...hit, cell, allowFailure: cell.allowFailure, cached: true };
      }
    }
    if (!(await backend.healthy())) return base(cell, 'infra-error', `${backend.name} backend is not answering`);
    const result = await runOne(cell, backend, settings, signal, onEvent);
    if (key && cache && !signal.aborted) await cache.put(key, result).catch(() => undefined);
    return result;
  };

  const results = await Promise.all(
    cells.map((cell) =>
      limit(async () => {
        onEvent({ type: 'phase', cell, phase: 'queued' });
        const r = await one(cell);
        if (settings.failFast && FAILING.has(r.verdict) && !r.allowFailure && !stopReason) {
          stopReason = `not run: --fail-fast after ${cell.name} ended ${r.verdict}`;
        }
        onEvent({ type: 'done', result: r });
        return r;
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

async function runOne(cell: Cell, backend: Backend, s: RunSettings, runSignal: AbortSignal, onEvent: (e: RunEvent) => void): Promise<CellResult> {
  const timings: Record<string, number> = {};
  const phaseSignal = (ms: number) => AbortSignal.any([runSignal, AbortSignal.timeout(ms)]);
  let prepared: Prepared;
  onEvent({ type: 'phase', cell, phase: 'prepare' });
  try {
    const signal = phaseSignal(s.timeouts.prepare);
    prepared = await timed(timings, 'prepare', () =>
      backend.prepare(cell, {
        runId: s.runId,
        serviceDir: s.serviceDir,
        modelDir: s.modelDir,
        signal,
        onLog: (line) => onEvent({ type: 'phase', cell, phase: 'prepare', detail: line }),
      }),
    );
  } catch (error) {
    if (runSignal.aborted) return base(cell, 'skipped', 'interrupted', { timings });
    if (error instanceof PhaseFailure) {
      const timedOut = error.verdict === 'timeout';
      return base(cell, error.verdict, timedOut ? `install/build did not finish within ${Math.round(s.timeouts.prepare / 1000)} s` : error.message, { timings, logTail: error.logTail });
    }
    const healthy = await backend.healthy();
    return base(cell, healthy ? 'build-error' : 'infra-error', `${healthy ? '' : `${backend.name} backend failed: `}${(error as Error).message}`, { timings });
  }

  let last: CellResult | undefined;
  for (let attempt = 1; attempt <= 1 + s.retries; attempt++) {
    last = await attemptOnce(cell, prepared, backend, s, runSignal, onEvent, { ...timings }, attempt);
    if (runSignal.aborted || !['fail', 'timeout', 'crash', 'start-error'].includes(last.verdict)) break;
  }
  return last!;
}

async function attemptOnce(
  cell: Cell,
  prepared: Prepared,
  backend: Backend,
  s: RunSettings,
  runSignal: AbortSignal,
  onEvent: (e: RunEvent) => void,
  timings: Record<string, number>,
  attempt: number,
): Promise<CellResult> {
  const extra = (): Partial<CellResult> => ({
    timings,
    attempts: attempt,
    lockfile: prepared.lockfile,
    ...(prepared.image ? { image: { ...prepared.image } } : {}),
  });
  let svc: RunningService;
  onEvent({ type: 'phase', cell, phase: 'start', attempt });
  const port = await freePort();
  try {
    svc = await backend.start(prepared, port, { runId: s.runId, signal: runSignal });
  } catch (error) {
    const healthy = await backend.healthy();
    return base(cell, healthy ? 'start-error' : 'infra-error', `could not start: ${(error as Error).message}`, extra());
  }
  try {
    const health = await timed(timings, 'start', () => waitHealthy(svc.url, s.timeouts.start, svc.exited, runSignal));
    if (!health.ok) {
      if (runSignal.aborted) return base(cell, 'skipped', 'interrupted', extra());
      const exit = health.exit ?? (await Promise.race([svc.exited, new Promise<undefined>((r) => setTimeout(r, 200, undefined))]));
      const sig = exit ? crashSignal(exit) : null;
      const logTail = svc.logTail();
      if (sig) return base(cell, 'crash', `service died with ${sig} while starting`, { ...extra(), logTail });
      if (exit) return base(cell, 'start-error', `${health.message}: ${lastLine(logTail)}`, { ...extra(), logTail });
      return base(cell, 'timeout', health.message, { ...extra(), logTail });
    }
    onEvent({ type: 'phase', cell, phase: 'smoke', attempt });
    const smokeSignal = AbortSignal.any([runSignal, AbortSignal.timeout(s.timeouts.smoke)]);
    let obs;
    try {
      obs = await timed(timings, 'smoke', () => observe(svc.url, s.cases, s.benchmark, smokeSignal, s.score));
    } catch (error) {
      if (runSignal.aborted) return base(cell, 'skipped', 'interrupted', extra());
      const exit = await Promise.race([svc.exited, new Promise<undefined>((r) => setTimeout(r, 500, undefined))]);
      const sig = exit ? crashSignal(exit) : null;
      if (sig) return base(cell, 'crash', `service died with ${sig} during smoke checks`, { ...extra(), logTail: svc.logTail() });
      if (smokeSignal.aborted) return base(cell, 'timeout', `smoke checks did not finish within ${Math.round(s.timeouts.smoke / 1000)} s`, { ...extra(), logTail: svc.logTail() });
      return base(cell, exit ? 'crash' : 'fail', `smoke checks failed: ${(error as Error).message}`, { ...extra(), logTail: svc.logTail() });
    }
    obs.startupMs = health.ms;
    obs.peakMemoryMb = await svc.peakMemoryMb();
    onEvent({ type: 'phase', cell, phase: 'stop', attempt });
    const exit = await svc.stop();
    const checks = checksFor(cell, obs, s.thresholds);
    const signalName = crashSignal(exit);
    const { verdict, reason } = verdictOf(checks, { exitSignal: signalName, attempt });
    const lat = obs.benchmark?.latenciesMs ?? [];
    return {
      ...base(cell, verdict, reason, extra()),
      actual: actualVersions(obs.version),
      checks,
      scores: obs.benchmark ? { bleu: obs.benchmark.bleu, chrf: obs.benchmark.chrf, ter: obs.benchmark.ter } : {},
      latency: lat.length ? { p50: percentile(lat, 50), p95: percentile(lat, 95), samples: lat.map((x) => Math.round(x * 10) / 10) } : {},
      memory: obs.peakMemoryMb !== undefined ? { peakRssMb: Math.round(obs.peakMemoryMb * 10) / 10 } : {},
      ...(obs.startupMs !== undefined ? { startupMs: obs.startupMs } : {}),
      ...(obs.benchmark ? { outputs: obs.benchmark.outputs } : {}),
      logTail: svc.logTail(),
    };
  } finally {
    await svc.stop().catch(() => undefined);
  }
}

/** SIGTERM/exit 143 is our own stop; anything else by signal is a crash. */
function crashSignal(exit: { code: number | null; signal: string | null; oomKilled?: boolean }): string | null {
  if (exit.oomKilled) return 'SIGKILL (out of memory)';
  const byCode: Record<number, string> = { 132: 'SIGILL', 134: 'SIGABRT', 135: 'SIGBUS', 136: 'SIGFPE', 139: 'SIGSEGV' };
  if (exit.signal && exit.signal !== 'SIGTERM' && exit.signal !== 'SIGKILL') return exit.signal;
  if (exit.code !== null && byCode[exit.code]) return byCode[exit.code]!;
  return null;
}

function lastLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).at(-1)?.slice(0, 300) ?? 'no output';
}
