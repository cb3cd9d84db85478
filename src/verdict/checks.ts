/**
 * From what a cell did to its verdict: pure functions over observations, so every rule is
 * testable with plain data. The runner gathers Observations; nothing here does I/O.
 */
import type { Lockfile } from '../cell/resolve.js';
import type { Cell, Check, Repeat, Verdict, Versions } from '../domain.js';
import { repeatDecision } from './repeat.js';
import { expectedAxes, modelOf, seenAxes } from '../axes/index.js';
import { meets, type SmokeCase } from '../smoke/cases.js';

export interface Thresholds {
  bleu?: number;
  chrf?: number;
  startupMs?: number;
  p95Ms?: number;
  memoryMb?: number;
}

export interface Observations {
  startupMs?: number;
  /** Raw /version answer. */
  version?: unknown;
  cases: { case: SmokeCase; output?: string; error?: string }[];
  batch?: { ok: boolean; message?: string };
  benchmark?: { outputs: string[]; latenciesMs: number[]; bleu: number; chrf: number; ter: number };
  /** BLEU / chrF on each extra benchmark (smoke.extra-benchmarks). */
  sets?: Record<string, { bleu: number; chrf: number }>;
  peakMemoryMb?: number;
}

export const expectedVersions = (cell: Cell): Versions => expectedAxes(cell.axes);

/** What /version reported for each axis of the cell, or null when it did not report them all. */
export const actualVersions = (cell: Cell, version: unknown): Versions | null => seenAxes(cell.axes, version);

/** smoke.thresholds with the cell's model variant's own limits over them. */
function thresholdsFor(cell: Cell, t: Thresholds): Thresholds {
  const own = modelOf(cell)?.thresholds ?? {};
  return { ...t, ...(own.bleu !== undefined ? { bleu: own.bleu } : {}), ...(own.chrf !== undefined ? { chrf: own.chrf } : {}) };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

export function checksFor(cell: Cell, obs: Observations, base: Thresholds): Check[] {
  const t = thresholdsFor(cell, base);
  const checks: Check[] = [];
  const expected = expectedVersions(cell);
  const actual = actualVersions(cell, obs.version);
  const show = (v: Versions) =>
    Object.entries(v)
      .map(([k, x]) => `${k} ${x}`)
      .join('; ');
  if (!actual)
    checks.push({
      name: 'version',
      status: 'fail',
      expected: show(expected),
      actual: JSON.stringify(obs.version ?? null).slice(0, 200),
      message: '/version did not report every axis',
    });
  else {
    const diffs = Object.keys(expected)
      .filter((k) => actual[k] !== expected[k])
      .map((k) => `${k} ${expected[k]} ≠ ${actual[k]}`);
    checks.push({
      name: 'version',
      status: diffs.length ? 'fail' : 'pass',
      expected: show(expected),
      actual: show(actual),
      ...(diffs.length ? { message: `runs other than planned: ${diffs.join('; ')}` } : {}),
    });
  }
  for (const c of obs.cases) {
    if (c.output === undefined) {
      checks.push({ name: `case:${c.case.id}`, status: 'fail', expected: meets(c.case.expect, '').expected, message: c.error ?? 'no translation' });
      continue;
    }
    const m = meets(c.case.expect, c.output);
    checks.push({ name: `case:${c.case.id}`, status: m.ok ? 'pass' : 'fail', expected: m.expected, actual: JSON.stringify(c.output) });
  }
  if (obs.batch) checks.push({ name: 'batch', status: obs.batch.ok ? 'pass' : 'fail', ...(obs.batch.message ? { message: obs.batch.message } : {}) });
  const b = obs.benchmark;
  const budget = (name: string, value: number | undefined, limit: number | undefined, unit: string, atLeast: boolean) => {
    if (limit === undefined) return;
    if (value === undefined) {
      checks.push({ name, status: 'skip', expected: `${atLeast ? '≥' : '≤'} ${limit}${unit}`, message: 'not measured' });
      return;
    }
    const ok = atLeast ? value >= limit : value <= limit;
    checks.push({ name, status: ok ? 'pass' : 'fail', expected: `${atLeast ? '≥' : '≤'} ${limit}${unit}`, actual: `${fmt(value)}${unit}` });
  };
  budget('bleu', b?.bleu, t.bleu, '', true);
  budget('chrf', b?.chrf, t.chrf, '', true);
  budget('startup', obs.startupMs, t.startupMs, ' ms', false);
  budget('latency-p95', b ? percentile(b.latenciesMs, 95) : undefined, t.p95Ms, ' ms', false);
  budget('memory', obs.peakMemoryMb, t.memoryMb, ' MB', false);
  return checks;
}

/** Pure: the direct dependencies' versions a resolved lock pins, `{name: version}`. */
export function pinnedVersions(lockfile: Lockfile): Record<string, string> {
  const root = lockfile.packages[''] as { dependencies?: Record<string, string> } | undefined;
  const out: Record<string, string> = {};
  for (const name of Object.keys(root?.dependencies ?? {})) {
    const v = lockfile.packages[`node_modules/${name}`]?.version;
    if (v) out[name] = v;
  }
  return out;
}

/**
 * The service's `packages` (every dependency as loaded) against the resolved lock: express and
 * the rest must be what the cell's tree pinned, not merely the axis packages. Undefined when the
 * service does not report `packages` (older services).
 */
export function packagesCheck(pinned: Record<string, string>, version: unknown): Check | undefined {
  const loaded = (version as { packages?: unknown } | undefined)?.packages;
  if (!loaded || typeof loaded !== 'object') return undefined;
  const got = loaded as Record<string, unknown>;
  const diffs = Object.entries(pinned)
    .filter(([name, v]) => got[name] !== v)
    .map(([name, v]) => `${name} ${v} ≠ ${typeof got[name] === 'string' ? got[name] : 'not loaded'}`);
  const show = (r: Record<string, unknown>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${String(v)}`)
      .sort()
      .join(', ');
  return {
    name: 'packages',
    status: diffs.length ? 'fail' : 'pass',
    expected: show(pinned),
    actual: show(got),
    ...(diffs.length ? { message: `loads other packages than its lock pins: ${diffs.join('; ')}` } : {}),
  };
}

/**
 * The verdict of a cell that started and was smoke-tested. Drift is decided later, across cells.
 * A cell run `--repeat N` times shows one passing run's checks; its pass rate decides pass or flaky.
 */
export function verdictOf(checks: Check[], opts: { exitSignal?: string | null; attempt?: number; repeat?: Repeat } = {}): { verdict: Verdict; reason: string } {
  if (opts.exitSignal) return { verdict: 'crash', reason: `service died with ${opts.exitSignal}` };
  const failed = checks.find((c) => c.status === 'fail' && c.name !== REFERENCE_CHECK);
  if (failed) return { verdict: 'fail', reason: describe(failed) };
  const drift = checks.find((c) => c.name === REFERENCE_CHECK && c.status === 'fail');
  if (drift) return { verdict: 'drift', reason: describe(drift) };
  if ((opts.attempt ?? 1) > 1) return { verdict: 'flaky', reason: `passed on attempt ${opts.attempt}` };
  if (opts.repeat) return repeatDecision(opts.repeat);
  return { verdict: 'pass', reason: 'all checks passed' };
}

export const REFERENCE_CHECK = 'reference-outputs';

export function describe(c: Check): string {
  const parts = [c.name];
  if (c.message) parts.push(c.message);
  if (c.expected !== undefined || c.actual !== undefined) parts.push(`expected ${c.expected ?? '?'}, got ${c.actual ?? 'nothing'}`);
  return parts.join(': ');
}
