/**
 * `--verbose`: each cell's figures under the table, one aligned line per cell (the grid has room
 * for a verdict only). A figure the cell has not got (it never reached the benchmark) is `—`.
 */
import type { CellResult } from '../../domain.js';
import { byCell } from '../order.js';
import { shorten } from './grid.js';

const NONE = '—';
const fixed = (n: number | undefined, digits: number, unit = '') => (n === undefined ? NONE : `${n.toFixed(digits)}${unit}`);

const FIGURES: [string, (r: CellResult) => string][] = [
  ['BLEU', (r) => fixed(r.scores.bleu, 1)],
  ['chrF', (r) => fixed(r.scores.chrf, 1)],
  ['p95', (r) => fixed(r.latency.p95, 0, ' ms')],
  ['peak memory', (r) => fixed(r.memory.peakRssMb, 0, ' MB')],
  ['start', (r) => fixed(r.startupMs === undefined ? undefined : r.startupMs / 1000, 1, ' s')],
];

export function renderFigures(cells: CellResult[], width: number): string {
  const rows = [...cells].sort(byCell).map((r) => [r.cell.name, ...FIGURES.map(([, f]) => f(r))]);
  const head = ['cell', ...FIGURES.map(([name]) => name)];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => [...row[c]!].length)));
  // The figures keep their width; the cell name takes what is left.
  const rest = widths.slice(1).reduce((a, b) => a + b + 2, 0);
  widths[0] = Math.max(10, Math.min(widths[0]!, width - 1 - rest));
  const line = (row: string[]) =>
    row
      .map((t, c) => (c === 0 ? shorten(t, widths[0]!).padEnd(widths[0]!) : t.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
