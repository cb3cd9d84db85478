/**
 * A release is checked as a matrix cell is, by the same code (src/smoke/attempt.ts): /health
 * within the start timeout, then the smoke cases, the batch and the benchmark, the same checks
 * (/version equal to the lock axis by axis, scores, latency, memory, the packages its lock pins)
 * and the one verdict decision, including the wait for the exit, so a color that dies during its
 * smoke is a `crash`.
 */
import path from 'node:path';
import type { Lockfile } from '../cell/resolve.js';
import type { Cell } from '../domain.js';
import { corpusScores, loadBenchmark } from '../score/index.js';
import { attemptService, httpClient, type SmokeClient } from '../smoke/attempt.js';
import { casesFileOf, loadCases, type SmokeCase } from '../smoke/cases.js';
import { benchmarkOf, type Benchmark } from '../smoke/client.js';
import { pinnedVersions } from '../verdict/checks.js';
import type { ColorRun } from './runtime/types.js';
import type { ReleaseSettings } from './settings.js';
import type { Outcome } from './state.js';

export interface SmokeInputs {
  /** The smoke cases of a released cell: its model variant's own, else smoke.cases. */
  cases: (cell: Cell) => Promise<SmokeCase[]>;
  benchmark?: Benchmark;
  /** How the color is talked to; tests give a fake. */
  client?: SmokeClient;
}

export async function smokeInputs(s: ReleaseSettings): Promise<SmokeInputs> {
  const cases = (cell: Cell) => loadCases(path.resolve(s.root, casesFileOf(cell, s.casesFile)));
  const bench = s.benchmarkLimit > 0 ? (await loadBenchmark(s.benchmarkFile)).slice(0, s.benchmarkLimit) : [];
  return { cases, ...(bench.length ? { benchmark: benchmarkOf(bench) } : {}) };
}

const QUICK = new Set(['version', 'packages', 'startup']);

/**
 * One attempt at the color (src/smoke/attempt.ts), as a cell's. `smoke: false` (rollback) stops
 * after /health, /version and the packages: a release that already passed, checked in seconds.
 * The release keeps running after its checks (it is about to serve): no exit to judge then.
 */
export async function checkRelease(
  run: ColorRun,
  cell: Cell,
  lockfile: Lockfile,
  s: Pick<ReleaseSettings, 'timeouts' | 'thresholds'>,
  inputs: SmokeInputs,
  opts: { smoke: boolean },
): Promise<Outcome & { logTail: string }> {
  const { decision, checks, logTail } = await attemptService(run, {
    cell,
    cases: opts.smoke ? await inputs.cases(cell) : [],
    benchmark: opts.smoke ? inputs.benchmark : undefined,
    score: corpusScores,
    thresholds: opts.smoke ? s.thresholds : { startupMs: s.thresholds.startupMs },
    pinned: pinnedVersions(lockfile),
    timeouts: s.timeouts,
    attempt: 1,
    signal: new AbortController().signal,
    client: inputs.client ?? httpClient,
    // A release is checked on this machine's own runtime: nothing else can fail under it.
    backendUp: async () => true,
    end: async () => undefined,
  });
  // A model variant's own BLEU/chrF limits would show as `not measured` in a quick check: left out.
  return { verdict: decision, checks: opts.smoke ? checks : checks.filter((c) => QUICK.has(c.name)), logTail };
}
