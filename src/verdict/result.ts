/** The CellResult a decision starts: the verdict, the planned versions, nothing observed yet. */
import type { Cell, CellResult, Verdict } from '../domain.js';
import { expectedVersions } from './checks.js';

export function cellResult(cell: Cell, d: { verdict: Verdict; reason: string }, extra: Partial<CellResult> = {}): CellResult {
  return {
    cell,
    verdict: d.verdict,
    reason: d.reason,
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
