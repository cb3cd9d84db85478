/**
 * One attempt at a started service, the same code for a matrix cell (src/run/run.ts) and a
 * release's color (src/release/checks.ts): /health within the start timeout, the smoke cases,
 * the batch and the benchmark, the checks, then the one decision (src/verdict/decide.ts). When
 * /health or the smoke fails, the exit is awaited a moment, so a service that died is judged by
 * how it died (a crash, a kill from outside) and not by the error its death caused the client.
 */
import type { ExitInfo } from '../backends/types.js';
import type { Cell, Check } from '../domain.js';
import { checksFor, packagesCheck, type Observations, type Thresholds } from '../verdict/checks.js';
import { decide, type Decision, type Trace } from '../verdict/decide.js';
import type { SmokeCase } from './cases.js';
import { observe, waitHealthy, type Benchmark } from './client.js';

/** How the service is talked to; tests give a fake. */
export interface SmokeClient {
  waitHealthy: typeof waitHealthy;
  observe: typeof observe;
}

export const httpClient: SmokeClient = { waitHealthy, observe };

/** A started service as an attempt sees it: a cell's container or process, or a release's color. */
export interface ServiceUnderTest {
  url: string;
  /** Settles when the service ends, for whatever reason. */
  exited: Promise<ExitInfo>;
  logTail(): string | Promise<string>;
  peakMemoryMb(): Promise<number | undefined>;
}

export interface AttemptSpec {
  cell: Cell;
  cases: SmokeCase[];
  benchmark?: Benchmark | undefined;
  /** smoke.extra-benchmarks, by name. */
  extraBenchmarks?: Record<string, Benchmark> | undefined;
  score: (hyps: string[], refs: string[][]) => { bleu: number; chrf: number; ter: number };
  thresholds: Thresholds;
  /** The direct dependencies the cell's lock pins (src/verdict/checks.ts pinnedVersions). */
  pinned: Record<string, string>;
  timeouts: { start: number; smoke: number };
  attempt: number;
  /** An interrupt: the attempt ends `skipped`, judged as nothing. */
  signal: AbortSignal;
  client: SmokeClient;
  /** Whether the backend still answers after a failure (a dead engine is the machine's fault). */
  backendUp(): Promise<boolean>;
  /**
   * After the smoke: the runner stops the service and judges how it stopped; a release keeps
   * running (it is about to serve) and has no exit to judge.
   */
  end(): Promise<ExitInfo | undefined>;
  onSmoke?(): void;
  /** `start` and `smoke` durations, in ms, are written here. */
  timings?: Record<string, number>;
}

export interface Attempted {
  decision: Decision;
  logTail: string;
  /** Only when the smoke ran to its end. */
  checks: Check[];
  obs?: Observations;
}

/** The exit, if the service ends within `ms` (one wait, the same for every phase). */
const exitWithin = (svc: ServiceUnderTest, ms: number) => Promise.race([svc.exited, new Promise<undefined>((r) => setTimeout(r, ms, undefined))]);

async function timed<T>(timings: Record<string, number> | undefined, phase: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    if (timings) timings[phase] = Math.round(performance.now() - t0);
  }
}

const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1)
    ?.slice(0, 300) ?? 'no output';

/**
 * Pure: a plain exit 0 of a service that logged a signal first (`{"event":"signal","signal":"SIGTERM"}`)
 * → that signal. The service drains and exits 0 on SIGTERM, so before /health or during the checks, when
 * the runner has sent none, such an exit was a stop from outside: an engine stopping its containers
 * as it shuts down (Docker answers pings meanwhile), or a kill.
 */
export function signalledExit(exit: ExitInfo | undefined, log: string): ExitInfo | undefined {
  if (!exit || exit.signal || exit.code !== 0) return exit;
  for (const line of log.split('\n')) {
    if (!line.includes('"signal"')) continue;
    try {
      const event = JSON.parse(line) as { event?: unknown; signal?: unknown };
      if (event.event === 'signal' && typeof event.signal === 'string') return { ...exit, signal: event.signal };
    } catch {
      // not one of the service's JSON lines
    }
  }
  return exit;
}

export async function attemptService(svc: ServiceUnderTest, a: AttemptSpec): Promise<Attempted> {
  const ended = async (trace: Trace): Promise<Attempted> => ({ decision: decide(trace), logTail: await svc.logTail(), checks: [] });
  const interrupted = () => ended({ ended: 'interrupted' });
  const health = await timed(a.timings, 'start', () => a.client.waitHealthy(svc.url, a.timeouts.start, svc.exited, a.signal));
  if (!health.ok) {
    if (a.signal.aborted) return interrupted();
    const died = health.exit ?? (await exitWithin(svc, 500));
    const logTail = await svc.logTail();
    const exit = signalledExit(died, logTail);
    const trace: Trace = {
      ended: 'health',
      message: health.message,
      timedOut: !exit,
      backendUp: await a.backendUp(),
      logLine: lastLine(logTail),
      ...(exit ? { exit } : {}),
    };
    return { decision: decide(trace), logTail, checks: [] };
  }
  a.onSmoke?.();
  const smokeSignal = AbortSignal.any([a.signal, AbortSignal.timeout(a.timeouts.smoke)]);
  let obs: Observations;
  try {
    obs = await timed(a.timings, 'smoke', () => a.client.observe(svc.url, a.cases, a.benchmark, smokeSignal, a.score, a.extraBenchmarks));
  } catch (error) {
    if (a.signal.aborted) return interrupted();
    const died = await exitWithin(svc, 500);
    const exit = signalledExit(died, await svc.logTail());
    const message = (error as Error).message;
    return ended({
      ended: 'smoke',
      message,
      timedOut: smokeSignal.aborted,
      backendUp: await a.backendUp(),
      deadlineMs: a.timeouts.smoke,
      ...(exit ? { exit } : {}),
    });
  }
  obs.startupMs = health.ms;
  obs.peakMemoryMb = await svc.peakMemoryMb();
  const exit = await a.end();
  // An engine gone while the cell stopped leaves its exit unknown: a crash on the way out cannot be told.
  if (exit && !(await a.backendUp())) return ended({ ended: 'stop', message: 'the cell passed its checks; how it exited is unknown', backendUp: false });
  const packages = packagesCheck(a.pinned, obs.version);
  const checks = [...checksFor(a.cell, obs, a.thresholds), ...(packages ? [packages] : [])];
  return { decision: decide({ ended: 'checked', checks, attempt: a.attempt, ...(exit ? { exit } : {}) }), logTail: await svc.logTail(), checks, obs };
}
