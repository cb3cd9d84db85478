/**
 * The terminal view: the pivot (../pivot.ts: a header per row axis, then the columns) drawn to
 * fit a width (./grid.ts), the reasons of everything that did not pass, with `verbose` each
 * cell's figures (./figures.ts), and the one-line summary. Colors are plain ANSI applied here,
 * only when asked for (the command passes io.color, false under NO_COLOR).
 */
import type { CellResult, RunReport } from '../../domain.js';
import { rateText } from '../../verdict/repeat.js';
import { cellLabel } from '../order.js';
import { engineLine, markOf, outcomeOf, summaryLine, type Mark } from '../outcome.js';
import { pivot } from '../pivot.js';
import type { Reporter, RenderOptions } from '../types.js';
import { renderFigures } from './figures.js';
import { DEFAULT_WIDTH, renderGrid, type GridCell } from './grid.js';

export { terminalWidth } from './grid.js';

const ANSI = { green: 32, red: 31, yellow: 33, gray: 90, bold: 1 } as const;
type Paint = (style: keyof typeof ANSI, text: string) => string;

/** One character per mark, shared with the history strip (./history.ts). */
export const SYMBOL: Record<Mark, string> = { ok: '✔', warn: '!', bad: '✖', skip: '–' };
const STYLE: Record<Mark, keyof typeof ANSI> = { ok: 'green', warn: 'yellow', bad: 'red', skip: 'gray' };

export function renderTerminal(report: RunReport, options: RenderOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const paint: Paint = (style, text) => (options.color ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text);
  // A repeated cell shows its pass rate beside the verdict: `! flaky 7/10`.
  const text = (r: CellResult) => `${SYMBOL[markOf(r)]} ${r.verdict}${r.repeat ? ` ${rateText(r.repeat)}` : ''}`;
  const show = (r: CellResult) => paint(STYLE[markOf(r)], text(r));
  const { layout, columns, rows } = pivot(report);
  const bold = (t: string) => paint('bold', t);
  const first = layout.rows[0];
  const groupStarts = new Set(rows.flatMap((row, i) => (i > 0 && first !== undefined && row.values[first] !== rows[i - 1]!.values[first] ? [i] : [])));
  const grid = renderGrid(
    {
      head: [...layout.rows, ...columns.map((c) => c.label)].map((h): GridCell => ({ text: h, paint: bold })),
      rows: rows.map((row) => [
        ...layout.rows.map((n): GridCell => ({ text: row.values[n] ?? '' })),
        ...row.cells.map((rs): GridCell => ({ text: rs.map(text).join('\n'), paint: (t, k) => paint(STYLE[markOf(rs[k]!)], t) })),
      ]),
      keep: new Set(columns.map((_, i) => layout.rows.length + i)),
      groupStarts,
    },
    width,
  );
  const lines = [grid];
  const notPassed = rows.flatMap((row) => row.cells.flat()).filter((r) => r.verdict !== 'pass');
  if (notPassed.length) lines.push('');
  for (const r of notPassed) {
    lines.push(`${show(r)}  ${cellLabel(r.cell)}: ${r.reason.split('\n')[0]}${r.allowFailure && outcomeOf(r) === 'failed' ? ' (allowed to fail)' : ''}`);
  }
  for (const c of report.conflicts ?? []) {
    lines.push(paint('red', `✖ conflict  ${c.name}: ${c.verdicts.map((v) => `${v.verdict} in ${v.source}`).join(', ')}`));
  }
  if (options.verbose && report.cells.length) lines.push('', renderFigures(report.cells, width));
  lines.push('', paint('bold', summaryLine(report)));
  const engines = engineLine(report);
  if (engines) lines.push(engines);
  return `${lines.join('\n')}\n`;
}

export const terminal: Reporter = { render: renderTerminal };
