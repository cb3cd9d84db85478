/**
 * Drift: a cell that passes every check but translates differently from the reference cell.
 * Decided across cells after they ran (and again after shards are merged), so it lives apart
 * from the per-cell judge.
 */
import type { CellResult } from '../domain.js';
import { compareCells } from '../report/order.js';
import { REFERENCE_CHECK, verdictOf } from './judge.js';

const COMPARABLE = new Set(['pass', 'flaky', 'drift']);

/**
 * The cell the others are compared with: a named cell (id or name) when it is comparable,
 * `newest`/`oldest` in axis order, else the first comparable cell in the given order.
 */
export function chooseReference(results: CellResult[], preferred?: string): CellResult | undefined {
  const comparable = results.filter((r) => COMPARABLE.has(r.verdict) && r.outputs?.length);
  if (preferred === 'newest' || preferred === 'oldest') {
    const sorted = [...comparable].sort((a, b) => compareCells(a.cell, b.cell));
    return preferred === 'newest' ? sorted.at(-1) : sorted[0];
  }
  if (preferred) {
    const named = comparable.find((r) => r.cell.id === preferred || r.cell.name === preferred);
    if (named) return named;
  }
  return comparable[0];
}

export function applyDrift(results: CellResult[], sources: string[], preferred?: string): { results: CellResult[]; referenceCell?: string } {
  const reference = chooseReference(results, preferred);
  if (!reference) return { results };
  const ref = reference.outputs!;
  const out = results.map((r) => {
    if (!COMPARABLE.has(r.verdict) || !r.outputs?.length) return r;
    const checks = r.checks.filter((c) => c.name !== REFERENCE_CHECK);
    const drift: NonNullable<CellResult['drift']> = [];
    if (r.cell.id !== reference.cell.id) {
      ref.forEach((expected, i) => {
        const actual = r.outputs![i];
        if (actual !== expected) drift.push({ source: sources[i] ?? `#${i + 1}`, reference: expected, actual: actual ?? '(missing)' });
      });
    }
    checks.push({
      name: REFERENCE_CHECK,
      status: drift.length ? 'fail' : 'pass',
      expected: `outputs identical to ${reference.cell.name}`,
      actual: drift.length ? `${drift.length} of ${ref.length} sentences differ` : 'identical',
    });
    const { verdict, reason } = verdictOf(checks, { attempt: r.attempts });
    return { ...r, checks, verdict, reason, ...(drift.length ? { drift } : { drift: undefined }) };
  });
  return { results: out, referenceCell: reference.cell.id };
}
