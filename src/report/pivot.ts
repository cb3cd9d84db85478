/**
 * The matrix as people read it: the axes of `report.layout` (matrix.yaml `report:`; without it
 * the runtime as columns and every other axis as rows) spread over a grid, one row per distinct
 * combination of the row axes' values and one column per combination of the column axes'.
 * Shared by the terminal, Markdown and HTML formats so they always agree.
 */
import { compareOn, displayAxes, shownAxes } from '../axes/index.js';
import type { Cell, CellResult, RunReport } from '../domain.js';
import { axesOf, layoutOf, type Layout } from './layout.js';
import { byCell, pickAxes, rowLabel } from './order.js';

interface PivotColumn {
  /** "node 20.18.1", or "node 20.18.1 · model int8" with several column axes. */
  label: string;
  /** Axis name → display value, one per column axis. */
  values: Record<string, string>;
}

interface PivotRow {
  /** "onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32". */
  label: string;
  /** Axis name → display value, one per row axis (the row headers of every format). */
  values: Record<string, string>;
  /** One entry per column (same order as Pivot.columns); usually 0 or 1 results. */
  cells: CellResult[][];
}

export interface Pivot {
  /** Every axis of the cells, on rows or on columns. */
  layout: Layout;
  /** Ascending in the column axes' order. */
  columns: PivotColumn[];
  /** Ascending in the row axes' order. */
  rows: PivotRow[];
}

/** A matrix whose axes are all on rows still has one column: the verdict. */
const NO_COLUMN_AXES = 'verdict';

/** Same resolved values on the named axes, same key. */
const keyOf = (cell: Cell, names: string[]) => JSON.stringify(shownAxes(pickAxes(cell.axes, names)));

/** The distinct combinations of the named axes' values, in their order, by key. */
function combinations(results: CellResult[], names: string[]): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const r of [...results].sort((a, b) => compareOn(names, a.cell, b.cell) || byCell(a, b))) {
    const key = keyOf(r.cell, names);
    if (!out.has(key)) out.set(key, r.cell);
  }
  return out;
}

export function pivot(report: RunReport): Pivot {
  const results = [...report.cells].sort(byCell);
  // Through layoutOf even when the report has a layout: an axis it does not name joins the rows.
  const layout = layoutOf(report.layout ?? {}, axesOf(results.map((r) => r.cell)));
  const byColumn = combinations(results, layout.columns);
  const columnKeys = [...byColumn.keys()];
  const columns = [...byColumn.values()].map((cell): PivotColumn => {
    const values = displayAxes(pickAxes(cell.axes, layout.columns));
    const label = Object.entries(values)
      .map(([n, v]) => `${n} ${v}`)
      .join(' · ');
    return { label: label || NO_COLUMN_AXES, values };
  });
  const rows = new Map<string, PivotRow>();
  for (const [key, cell] of combinations(results, layout.rows)) {
    rows.set(key, { label: rowLabel(cell, layout.rows), values: displayAxes(pickAxes(cell.axes, layout.rows)), cells: columns.map(() => []) });
  }
  for (const r of results) rows.get(keyOf(r.cell, layout.rows))!.cells[columnKeys.indexOf(keyOf(r.cell, layout.columns))]!.push(r);
  return { layout, columns, rows: [...rows.values()] };
}
