/**
 * A release is checked as a matrix cell is: /health within the start timeout, then the smoke
 * cases, the batch and the benchmark through the same client, the same checks (checksFor: /version
 * equal to the lock axis by axis, scores, latency, memory), the packages its lock pins, and the
 * one verdict decision (src/run/verdict.ts decide).
 */
import path from 'node:path';
import type { Lockfile } from '../cell/resolve.js';
import type { Cell, Check } from '../domain.js';
import { decide } from '../verdict/decide.js';
import { corpusScores, loadBenchmark } from '../score/index.js';
import { casesFileOf, loadCases, type SmokeCase } from '../smoke/cases.js';
import { benchmarkOf, observe, waitHealthy, type Benchmark } from '../smoke/client.js';
import { checksFor, packagesCheck, pinnedVersions } from '../verdict/checks.js';
import type { ColorRun } from './runtime/types.js';
import type { ReleaseSettings } from './settings.js';
import type { Outcome } from './state.js';

export interface SmokeInputs {
  /** The smoke cases of a released cell: its model variant's own, else smoke.cases. */
  cases: (cell: Cell) => Promise<SmokeCase[]>;
  benchmark?: Benchmark;
}

export async function smokeInputs(s: ReleaseSettings): Promise<SmokeInputs> {
  const cases = (cell: Cell) => loadCases(path.resolve(s.root, casesFileOf(cell, s.casesFile)));
  const bench = s.benchmarkLimit > 0 ? (await loadBenchmark(s.benchmarkFile)).slice(0, s.benchmarkLimit) : [];
  return { cases, ...(bench.length ? { benchmark: benchmarkOf(bench) } : {}) };
}

const backendUp = true;

/** `smoke: false` (rollback) stops after /health and the /version check: a release that already passed, checked in seconds. */
export async function checkRelease(run: ColorRun, cell: Cell, lockfile: Lockfile, s: ReleaseSettings, inputs: SmokeInputs, opts: { smoke: boolean }): Promise<Outcome & { logTail: string }> {
  const never = new AbortController().signal;
  const health = await waitHealthy(run.url, s.timeouts.start, run.exited, never);
  if (!health.ok) {
    const logTail = await run.logTail();
    const line = logTail.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? 'no output';
    return { verdict: decide({ ended: 'health', message: health.message, timedOut: !health.exit, backendUp, logLine: line, ...(health.exit ? { exit: health.exit } : {}) }), checks: [], logTail };
  }
  const signal = AbortSignal.timeout(s.timeouts.smoke);
  let obs;
  try {
    obs = await observe(run.url, opts.smoke ? await inputs.cases(cell) : [], opts.smoke ? inputs.benchmark : undefined, signal, corpusScores);
  } catch (error) {
    return { verdict: decide({ ended: 'smoke', message: (error as Error).message, timedOut: signal.aborted, backendUp, deadlineMs: s.timeouts.smoke }), checks: [], logTail: await run.logTail() };
  }
  obs.startupMs = health.ms;
  obs.peakMemoryMb = await run.peakMemoryMb();
  const packages = packagesCheck(pinnedVersions(lockfile), obs.version);
  const all: Check[] = [...checksFor(cell, obs, opts.smoke ? s.thresholds : { startupMs: s.thresholds.startupMs }), ...(packages ? [packages] : [])];
  const checks = opts.smoke ? all : all.filter((c) => c.name === 'version' || c.name === 'packages' || c.name === 'startup');
  // The release keeps running (it is about to serve): no exit to judge.
  return { verdict: decide({ ended: 'checked', checks, exit: { code: null, signal: null }, attempt: 1 }), checks, logTail: await run.logTail() };
}
