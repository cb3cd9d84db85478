/**
 * What changed for a cell since the previous run it was in: pure, from the history the page is
 * rendered with (earlier runs' verdicts per cell). Only a change of outcome is marked, so a cell
 * failing the same way twice carries no badge.
 */
import { PASSING, type Verdict } from '../../domain.js';
import { historyOf, type HistoryVerdict, type RunHistory } from '../history.js';

export type Change = 'newly-failing' | 'newly-passing' | 'drift';

export interface CellChange {
  change: Change;
  /** The cell's verdict in the run before. */
  before: HistoryVerdict;
}

export const CHANGE_TEXT: Record<Change, string> = { 'newly-failing': 'newly failing', 'newly-passing': 'newly passing', drift: 'drift' };

const passed = (v: Verdict) => PASSING.has(v);
const failed = (v: Verdict) => v !== 'skipped' && !PASSING.has(v);

/**
 * `drift` when the cell drifts now and did not before (drift is also a failure; the badge says
 * which kind); `newly-failing` when it fails now and did not before (passed or was skipped);
 * `newly-passing` when it passes now and failed before. A skip now, or no earlier run: nothing.
 */
export function changeOf(history: RunHistory, runId: string, cellId: string, verdict: Verdict): CellChange | undefined {
  const before = historyOf(history, cellId)
    ?.verdicts.filter((v) => v.runId < runId)
    .at(-1);
  if (!before) return undefined;
  if (verdict === 'drift' && before.verdict !== 'drift') return { change: 'drift', before };
  if (failed(verdict) && !failed(before.verdict)) return { change: 'newly-failing', before };
  if (passed(verdict) && failed(before.verdict)) return { change: 'newly-passing', before };
  return undefined;
}
