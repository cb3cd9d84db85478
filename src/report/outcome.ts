/**
 * Verdicts grouped the way a person reads a matrix: passed, failed, skipped; plus the marks the
 * table formats share. `drift` (works, but translates differently from the reference cell) is a
 * failure for freeze but drawn as a warning, like `flaky` and allowed failures.
 */
import { PASSING, type CellResult, type RunReport } from '../domain.js';

export type Outcome = 'passed' | 'failed' | 'skipped';

export function outcomeOf(r: CellResult): Outcome {
  if (r.verdict === 'skipped') return 'skipped';
  return PASSING.has(r.verdict) ? 'passed' : 'failed';
}

export type Mark = 'ok' | 'warn' | 'bad' | 'skip';

export function markOf(r: Pick<CellResult, 'verdict' | 'allowFailure'>): Mark {
  if (r.verdict === 'pass') return 'ok';
  if (r.verdict === 'skipped') return 'skip';
  if (r.verdict === 'flaky' || r.verdict === 'drift' || r.allowFailure) return 'warn';
  return 'bad';
}

export const EMOJI: Record<Mark, string> = { ok: '✅', warn: '⚠️', bad: '❌', skip: '⏭️' };

interface Summary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  allowedFailures: number;
  conflicts: number;
}

function summarize(report: RunReport): Summary {
  const s: Summary = { total: 0, passed: 0, failed: 0, skipped: 0, flaky: 0, allowedFailures: 0, conflicts: report.conflicts?.length ?? 0 };
  for (const r of report.cells) {
    s.total++;
    s[outcomeOf(r)]++;
    if (r.verdict === 'flaky') s.flaky++;
    if (outcomeOf(r) === 'failed' && r.allowFailure) s.allowedFailures++;
  }
  return s;
}

/** `12 cells: 9 passed, 2 failed, 1 skipped` (+ flaky / allowed / conflicts when there are any). */
export function summaryLine(report: RunReport): string {
  const s = summarize(report);
  const extra = [
    s.flaky ? `${s.flaky} flaky` : '',
    s.allowedFailures ? `${s.allowedFailures} allowed to fail` : '',
    s.conflicts ? `${s.conflicts} conflicting` : '',
  ].filter(Boolean);
  const base = `${s.total} ${s.total === 1 ? 'cell' : 'cells'}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
  return extra.length ? `${base} (${extra.join(', ')})` : base;
}

/** How a run spread its cells over several engines (run.engines): "engines: e1 11 cells, e2 9 cells"; undefined with one. */
export function engineLine(report: RunReport): string | undefined {
  const counts = new Map<string, number>();
  for (const r of report.cells) if (r.engine) counts.set(r.engine, (counts.get(r.engine) ?? 0) + 1);
  if (!counts.size) return undefined;
  return `engines: ${[...counts].map(([e, n]) => `${e} ${n} ${n === 1 ? 'cell' : 'cells'}`).join(', ')}`;
}
