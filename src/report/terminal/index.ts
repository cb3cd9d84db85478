/**
 * The terminal view: a cli-table3 pivot (../pivot.ts: a header per row axis, then the columns),
 * the reasons of everything that did not pass, and the one-line summary. Colors are plain
 * ANSI applied here, only when asked for (the command passes io.color, false under NO_COLOR).
 */
import Table from 'cli-table3';
import type { CellResult, RunReport } from '../../domain.js';
import { rateText } from '../../run/repeat.js';
import { cellLabel } from '../order.js';
import { markOf, outcomeOf, summaryLine, type Mark } from '../outcome.js';
import { pivot } from '../pivot.js';
import type { Reporter, RenderOptions } from '../types.js';

const ANSI = { green: 32, red: 31, yellow: 33, gray: 90, bold: 1 } as const;
type Paint = (style: keyof typeof ANSI, text: string) => string;

/** One character per mark, shared with the history strip (./history.ts). */
export const SYMBOL: Record<Mark, string> = { ok: '✔', warn: '!', bad: '✖', skip: '–' };
const STYLE: Record<Mark, keyof typeof ANSI> = { ok: 'green', warn: 'yellow', bad: 'red', skip: 'gray' };

export function renderTerminal(report: RunReport, options: RenderOptions): string {
  const paint: Paint = (style, text) => (options.color ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text);
  // A repeated cell shows its pass rate beside the verdict: `! flaky 7/10`.
  const show = (r: CellResult) => paint(STYLE[markOf(r)], `${SYMBOL[markOf(r)]} ${r.verdict}${r.repeat ? ` ${rateText(r.repeat)}` : ''}`);
  const { layout, columns, rows } = pivot(report);
  const table = new Table({
    head: [...layout.rows, ...columns.map((c) => c.label)].map((h) => paint('bold', h)),
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    table.push([...layout.rows.map((n) => row.values[n] ?? ''), ...row.cells.map((rs) => (rs.length ? rs.map(show).join('\n') : ''))]);
  }
  const lines = [table.toString()];
  const notPassed = rows.flatMap((row) => row.cells.flat()).filter((r) => r.verdict !== 'pass');
  if (notPassed.length) lines.push('');
  for (const r of notPassed) {
    lines.push(`${show(r)}  ${cellLabel(r.cell)}: ${r.reason.split('\n')[0]}${r.allowFailure && outcomeOf(r) === 'failed' ? ' (allowed to fail)' : ''}`);
  }
  for (const c of report.conflicts ?? []) {
    lines.push(paint('red', `✖ conflict  ${c.name}: ${c.verdicts.map((v) => `${v.verdict} in ${v.source}`).join(', ')}`));
  }
  lines.push('', paint('bold', summaryLine(report)));
  return lines.join('\n') + '\n';
}

export const terminal: Reporter = { render: renderTerminal };
