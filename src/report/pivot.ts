/**
 * The matrix as people read it: one row per onnxruntime-node × tokenizer, one column per Node
 * version. Shared by the terminal, Markdown and HTML formats so they always agree.
 */
import type { CellResult, RunReport } from '../domain.js';
import { byCell, compareVersions, rowLabel } from './order.js';

export interface PivotRow {
  label: string;
  ort: string;
  tokenizer: { package: string; version: string; alias: string };
  /** One entry per column (same order as Pivot.columns); usually 0 or 1 results. */
  cells: CellResult[][];
}

export interface Pivot {
  /** Node versions, ascending. */
  columns: string[];
  rows: PivotRow[];
}

export function pivot(report: RunReport): Pivot {
  const results = [...report.cells].sort(byCell);
  const columns = [...new Set(results.map((r) => r.cell.node))].sort(compareVersions);
  const rows = new Map<string, PivotRow>();
  const ordered = [...results].sort(
    (a, b) =>
      compareVersions(a.cell.ort, b.cell.ort) ||
      (a.cell.tokenizer.alias < b.cell.tokenizer.alias ? -1 : a.cell.tokenizer.alias > b.cell.tokenizer.alias ? 1 : 0) ||
      compareVersions(a.cell.tokenizer.version, b.cell.tokenizer.version) ||
      byCell(a, b),
  );
  for (const r of ordered) {
    const label = rowLabel(r.cell);
    let row = rows.get(label);
    if (!row) {
      row = { label, ort: r.cell.ort, tokenizer: r.cell.tokenizer, cells: columns.map(() => []) };
      rows.set(label, row);
    }
    row.cells[columns.indexOf(r.cell.node)]!.push(r);
  }
  return { columns, rows: [...rows.values()] };
}
