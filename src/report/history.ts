/**
 * A cell's verdicts across the runs kept in reports/: pure, from the runs' verdicts already read
 * (the edge is ./read.ts `readVerdicts`). Every run is one run, shards and merged runs alike, ordered by
 * run id (ids sort by time); a cell is followed by its id, which is a hash of its axis values.
 */
import { compareCells } from '../axes/index.js';
import { PASSING, SCHEMA_VERSION, type Cell, type RunReport, type RunVerdicts, type Verdict } from '../domain.js';
import { markOf, type Mark } from './outcome.js';

/** The version of the `matrix report --history --json` shape (docs/reports.md#history). */
const HISTORY_VERSION = 1;

/** Runs a history spans unless told otherwise (`--history-limit`). */
export const HISTORY_LIMIT = 20;

export interface HistoryVerdict {
  runId: string;
  verdict: Verdict;
  /** How the reports draw it (an allowed failure is a warning, as in the grid). */
  mark: Mark;
  reason: string;
}

export interface CellHistory {
  /** The cell as the newest run that has it planned it. */
  cell: Cell;
  /** Its verdict in every run it appeared in, oldest first. */
  verdicts: HistoryVerdict[];
  /** pass + flaky. */
  passes: number;
  /** Runs where it was not skipped: the denominator of `passRate`. */
  judged: number;
  /** passes / judged, 4 decimals; null when it was skipped in every run. */
  passRate: number | null;
  /** The run whose verdict differs from the cell's verdict in the run before it (the last such run). */
  lastChange: { runId: string; from: Verdict; to: Verdict } | null;
}

export interface RunHistory {
  /** Run ids, oldest first. */
  runs: string[];
  /** Every cell seen in any of the runs, in axis order. */
  cells: CellHistory[];
}

/** A run's verdicts.json: what its history needs of it. */
export function verdictsOf(report: RunReport): RunVerdicts {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: report.runId,
    cells: report.cells.map(({ cell, verdict, reason, allowFailure }) => ({ cell, verdict, reason, allowFailure })),
  };
}

export function buildHistory(reports: RunVerdicts[]): RunHistory {
  const ordered = [...reports].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  const byId = new Map<string, { cell: Cell; verdicts: HistoryVerdict[] }>();
  for (const report of ordered) {
    for (const r of report.cells) {
      const entry = byId.get(r.cell.id) ?? { cell: r.cell, verdicts: [] };
      entry.cell = r.cell;
      entry.verdicts.push({ runId: report.runId, verdict: r.verdict, mark: markOf(r), reason: r.reason });
      byId.set(r.cell.id, entry);
    }
  }
  const cells = [...byId.values()].map(({ cell, verdicts }): CellHistory => {
    const judged = verdicts.filter((v) => v.verdict !== 'skipped').length;
    const passes = verdicts.filter((v) => PASSING.has(v.verdict)).length;
    let lastChange: CellHistory['lastChange'] = null;
    for (let i = 1; i < verdicts.length; i++) {
      if (verdicts[i]!.verdict !== verdicts[i - 1]!.verdict)
        lastChange = { runId: verdicts[i]!.runId, from: verdicts[i - 1]!.verdict, to: verdicts[i]!.verdict };
    }
    return { cell, verdicts, passes, judged, passRate: judged ? Math.round((passes / judged) * 10_000) / 10_000 : null, lastChange };
  });
  return { runs: ordered.map((r) => r.runId), cells: cells.sort((a, b) => compareCells(a.cell, b.cell)) };
}

/** The newest `limit` runs of a history, as if only those had been kept. */
function newestRuns(reports: RunVerdicts[], limit: number): RunVerdicts[] {
  return [...reports].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0)).slice(-limit);
}

/**
 * The history an HTML report of `report` shows: the runs kept before it and the run itself,
 * newest last, at most `limit` runs. The run is taken from memory, so it counts before it is on disk.
 */
export function historyUntil(report: RunVerdicts, kept: RunVerdicts[], limit = HISTORY_LIMIT): RunHistory {
  const earlier = kept.filter((r) => r.runId < report.runId);
  return buildHistory(newestRuns([...earlier, report], limit));
}

/** One row per run of the history: the cell's verdict there, or undefined when the run did not have it. */
export function verdictsByRun(history: RunHistory, cell: CellHistory): (HistoryVerdict | undefined)[] {
  const byRun = new Map(cell.verdicts.map((v) => [v.runId, v]));
  return history.runs.map((id) => byRun.get(id));
}

export function historyOf(history: RunHistory, cellId: string): CellHistory | undefined {
  return history.cells.find((c) => c.cell.id === cellId);
}

/** `matrix report --history --json`. */
export function historyJson(history: RunHistory): string {
  return `${JSON.stringify(
    {
      historyVersion: HISTORY_VERSION,
      runs: history.runs,
      cells: history.cells.map((c) => ({
        id: c.cell.id,
        name: c.cell.name,
        runs: c.verdicts.length,
        passes: c.passes,
        judged: c.judged,
        passRate: c.passRate,
        lastChange: c.lastChange,
        verdicts: c.verdicts.map((v) => ({ runId: v.runId, verdict: v.verdict })),
      })),
    },
    null,
    2,
  )}\n`;
}
