/**
 * The one order of cells and axes every format and policy shares: Node, then onnxruntime-node,
 * then the tokenizer (package name, then version). Versions compare with semver so that 1.9
 * sorts before 1.10; anything semver cannot parse falls back to a string compare.
 */
import semver from 'semver';
import type { Cell, CellResult } from '../domain.js';

export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a) ?? semver.coerce(a)?.version;
  const vb = semver.valid(b) ?? semver.coerce(b)?.version;
  if (va && vb) {
    const c = semver.compare(va, vb);
    if (c !== 0) return c;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ascending in axis order: node, onnxruntime-node, tokenizer package, tokenizer version, then id. */
export function compareCells(a: Cell, b: Cell): number {
  return (
    compareVersions(a.node, b.node) ||
    compareVersions(a.ort, b.ort) ||
    (a.tokenizer.package < b.tokenizer.package ? -1 : a.tokenizer.package > b.tokenizer.package ? 1 : 0) ||
    compareVersions(a.tokenizer.version, b.tokenizer.version) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export const byCell = (a: CellResult, b: CellResult) => compareCells(a.cell, b.cell);

/** "onnxruntime-node 1.20.1 × hf-tokenizers 0.2.0": the row label of the pivot. */
export const rowLabel = (cell: Cell) => `onnxruntime-node ${cell.ort} × ${cell.tokenizer.alias} ${cell.tokenizer.version}`;
export const cellLabel = (cell: Cell) =>
  `Node ${cell.node}, onnxruntime-node ${cell.ort}, ${cell.tokenizer.package} ${cell.tokenizer.version}`;
