/**
 * Which axes a report shows as rows and which as columns: matrix.yaml `report.rows` /
 * `report.columns`, else the runtime as columns and every other axis as rows. An axis named in
 * neither list joins the rows, so every axis is always shown.
 */
import type { AxisKindName } from '../domain.js';

export interface Layout {
  rows: string[];
  columns: string[];
}

/** `axes`: axis name → kind, in matrix.yaml's order. */
export function layoutOf(wanted: { rows?: string[]; columns?: string[] }, axes: Record<string, AxisKindName>): Layout {
  const names = Object.keys(axes);
  const columns = wanted.columns ?? (wanted.rows ? names.filter((n) => !wanted.rows!.includes(n)) : names.filter((n) => axes[n] === 'runtime'));
  const rows = [...(wanted.rows ?? []), ...names.filter((n) => !columns.includes(n) && !(wanted.rows ?? []).includes(n))];
  return { rows, columns };
}

/** The axes of a set of cells: name → kind, in the first cell's order. */
export function axesOf(cells: { axes: Record<string, { kind: AxisKindName }> }[]): Record<string, AxisKindName> {
  const out: Record<string, AxisKindName> = {};
  for (const c of cells) for (const [n, v] of Object.entries(c.axes)) out[n] ??= v.kind;
  return out;
}
