/**
 * `matrix report --history`: one row per cell with the runs it appeared in, its pass rate, the
 * run where its verdict last changed, and a strip of its verdicts over the kept runs, newest last.
 */
import Table from 'cli-table3';
import { percentText } from '../../verdict/repeat.js';
import { verdictsByRun, type CellHistory, type RunHistory } from '../history.js';
import type { RenderOptions } from '../types.js';
import { SYMBOL } from './index.js';

/** A run that did not have the cell (planned later, or left out of that shard). */
const ABSENT = '·';

/** `✔✔✖·!`: the cell's verdict in each run of the history, oldest first. */
export function historyStrip(history: RunHistory, cell: CellHistory): string {
  return verdictsByRun(history, cell)
    .map((v) => (v ? SYMBOL[v.mark] : ABSENT))
    .join('');
}

export const passRateText = (c: CellHistory) => (c.passRate === null ? '—' : `${percentText(c.passRate)} % (${c.passes}/${c.judged})`);

export const lastChangeText = (c: CellHistory) => (c.lastChange ? `${c.lastChange.runId}: ${c.lastChange.from} → ${c.lastChange.to}` : '—');

export function renderHistory(history: RunHistory, options: RenderOptions): string {
  const bold = (text: string) => (options.color ? `\x1b[1m${text}\x1b[0m` : text);
  if (!history.runs.length) return 'no runs kept in reports/\n';
  const table = new Table({ head: ['cell', 'runs', 'pass rate', 'last change', 'verdicts'].map(bold), style: { head: [], border: [] } });
  for (const c of history.cells) table.push([c.cell.name, String(c.verdicts.length), passRateText(c), lastChangeText(c), historyStrip(history, c)]);
  const span = history.runs.length === 1 ? history.runs[0]! : `${history.runs[0]} … ${history.runs.at(-1)}`;
  const runs = `${history.runs.length} ${history.runs.length === 1 ? 'run' : 'runs'}`;
  return `${table.toString()}\n\n${bold(`${history.cells.length} ${history.cells.length === 1 ? 'cell' : 'cells'} over ${runs} (${span}), newest last; ${SYMBOL.ok} pass ${SYMBOL.warn} flaky, drift or allowed to fail ${SYMBOL.bad} failed ${SYMBOL.skip} skipped ${ABSENT} not in the run`)}\n`;
}
