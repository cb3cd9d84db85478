/**
 * The one order of cells every format and policy shares, and the labels people read. Both come
 * from the axes (src/axes): cells sort in matrix.yaml's axis order, each axis by its kind
 * (versions by semver, so 1.9 sorts before 1.10), and labels are the axes' display values.
 */
import { compareCells, describeAxes, type CellAxes } from '../axes/index.js';
import type { Cell, CellResult } from '../domain.js';

export const byCell = (a: CellResult, b: CellResult) => compareCells(a.cell, b.cell);

/** The named axes of a cell, in the order of `names` (an axis the cell lacks is left out). */
export const pickAxes = (axes: CellAxes, names: string[]): CellAxes => Object.fromEntries(names.filter((n) => axes[n] !== undefined).map((n) => [n, axes[n]!]));

/** "onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, model fp32": a row of the pivot. */
export const rowLabel = (cell: Cell, names: string[]) => describeAxes(pickAxes(cell.axes, names));

/** "node 22.11.0, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, …": one cell, every axis. */
export const cellLabel = (cell: Cell) => describeAxes(cell.axes);
