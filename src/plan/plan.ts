/**
 * config + registry answers + model info → Plan. `planFromPackuments` is pure; `planMatrix`
 * only fetches the packuments it needs first. Same matrix.yaml and registry state → same cells,
 * same order (node, onnxruntime-node, tokenizer package, tokenizer version).
 */
import semver from 'semver';
import type { KeyPath, Problem } from '../config/problems.js';
import type { MatrixConfig, TokenizerAxis } from '../config/schema.js';
import type { Cell } from '../domain.js';
import { compareCells } from '../report/order.js';
import { PackageNotFound, type Packument, type Registry } from '../registry/types.js';
import { cellId, cellName, defaultAlias, unloadableTokenizer, type CellVersions } from './cell.js';
import { matches } from './match.js';
import { ortSupport } from './ort-support.js';
import { selectVersions, type SelectorValue } from './select.js';

/** What the model needs: the highest IR version and ai.onnx opset over its ONNX files. */
export interface ModelInfo {
  dir: string;
  files: string[];
  irVersion: number;
  opset: number;
}

export interface Plan {
  cells: Cell[];
  /** One line each: cache use, versions left out by min-age, a prune that could not run. */
  notes: string[];
  /** The versions each axis resolved to (before include/exclude). */
  axes: { node: string[]; 'onnxruntime-node': string[]; tokenizer: { package: string; alias: string; versions: string[] }[] };
  model?: ModelInfo;
  /** Id of the drift reference cell named by smoke.reference (newest/oldest/id/name), if planned. */
  reference?: string;
  /** Problems with key paths into matrix.yaml (an unknown version, a range matching nothing). A plan with problems must not run. */
  problems: Problem[];
}

export interface PlanInputs {
  registry: Registry;
  now: Date;
  /** undefined: no ONNX file was found, the IR/opset prune is skipped with a note. */
  modelInfo?: ModelInfo;
}

type Entry = string | TokenizerAxis;
const asAxis = (t: Entry): TokenizerAxis => (typeof t === 'string' ? { package: t, versions: 'latest' } : t);

/** Every package a config asks the registry about, in a stable order. */
export function packagesOf(config: MatrixConfig): string[] {
  const names = new Set<string>([config['node-source'], 'onnxruntime-node']);
  for (const t of config.axes.tokenizer) names.add(asAxis(t).package);
  for (const inc of config.include) for (const t of [inc.tokenizer ?? []].flat()) names.add(asAxis(t).package);
  return [...names];
}

export async function planMatrix(config: MatrixConfig, inputs: PlanInputs): Promise<Plan> {
  const docs: Record<string, Packument> = {};
  for (const name of packagesOf(config)) {
    try {
      docs[name] = await inputs.registry.packument(name);
    } catch (error) {
      // An unknown package is a bad value in matrix.yaml: planFromPackuments says where.
      if (!(error instanceof PackageNotFound)) throw error;
    }
  }
  return planFromPackuments(config, docs, inputs.now, inputs.modelInfo);
}

export function planFromPackuments(config: MatrixConfig, docs: Record<string, Packument>, now: Date, model?: ModelInfo): Plan {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const unknown = new Set<string>();
  /** `namePath`: where matrix.yaml names the package, for when the registry has no such package. */
  const select = (name: string, sel: SelectorValue, path: KeyPath, namePath: KeyPath) => {
    const doc = docs[name];
    if (!doc) {
      if (!unknown.has(name)) problems.push({ path: namePath, message: `expected a package the registry knows, found ${JSON.stringify(name)} (no such package)` });
      unknown.add(name);
      return [];
    }
    const s = selectVersions(doc, sel, now, path);
    problems.push(...s.problems);
    notes.push(...s.notes);
    return s.versions;
  };
  const node = (sel: SelectorValue, path: KeyPath) => select(config['node-source'], sel, path, ['node-source']);
  const ort = (sel: SelectorValue, path: KeyPath) => select('onnxruntime-node', sel, path, path);
  const aliases = new Map<string, string>();
  const aliasOf = (t: TokenizerAxis) => {
    if (t.alias) aliases.set(t.package, t.alias);
    return aliases.get(t.package) ?? defaultAlias(t.package);
  };
  const tokenizers = (entries: Entry | Entry[], path: KeyPath) =>
    [entries].flat().map((e, i) => {
      const at = Array.isArray(entries) ? [...path, i] : path;
      const t = asAxis(e);
      const versions = typeof e === 'string' ? select(t.package, 'latest', at, at) : select(t.package, t.versions as SelectorValue, [...at, 'versions'], [...at, 'package']);
      return { package: t.package, alias: aliasOf(t), versions };
    });

  const axes: Plan['axes'] = {
    node: node(config.axes.node as SelectorValue, ['axes', 'node']),
    'onnxruntime-node': ort(config.axes['onnxruntime-node'] as SelectorValue, ['axes', 'onnxruntime-node']),
    tokenizer: tokenizers(config.axes.tokenizer, ['axes', 'tokenizer']),
  };

  const cells = new Map<string, Cell>();
  const add = (node: string, ort: string, tok: { package: string; alias: string }, version: string, origin: 'product' | 'include') => {
    const v: CellVersions = { node, ort, tokenizer: { package: tok.package, version } };
    const id = cellId(v);
    const existing = cells.get(id);
    // GitHub Actions semantics: exclude applies to the product, include comes after and can add a cell back.
    if (existing && !(origin === 'include' && existing.status === 'skipped')) return;
    const excludedBy = origin === 'product' ? config.exclude.findIndex((r) => matches(r, v)) : -1;
    const reason = excludedBy >= 0 ? excludeReason(config, excludedBy) : pruneReason(v, docs, model);
    cells.set(id, makeCell(config, v, tok.alias, id, reason));
  };
  const product = (nodes: string[], orts: string[], toks: Plan['axes']['tokenizer'], origin: 'product' | 'include') => {
    for (const n of nodes) for (const o of orts) for (const t of toks) for (const tv of t.versions) add(n, o, t, tv, origin);
  };
  product(axes.node, axes['onnxruntime-node'], axes.tokenizer, 'product');
  config.include.forEach((inc, i) => {
    const base = ['include', i];
    const nodes = inc.node !== undefined ? node(inc.node as SelectorValue, [...base, 'node']) : axes.node;
    const orts = inc['onnxruntime-node'] !== undefined ? ort(inc['onnxruntime-node'] as SelectorValue, [...base, 'onnxruntime-node']) : axes['onnxruntime-node'];
    const toks = inc.tokenizer !== undefined ? tokenizers(inc.tokenizer, [...base, 'tokenizer']) : axes.tokenizer;
    product(nodes, orts, toks, 'include');
  });

  const sorted = [...cells.values()].sort(compareCells);
  if (!model) notes.push('no ONNX file found in the model folder: the IR/opset prune was skipped');
  const planned = sorted.filter((c) => c.status === 'planned');
  const ref = config.smoke.reference;
  const referenceCell = ref === 'newest' ? planned.at(-1) : ref === 'oldest' ? planned[0] : planned.find((c) => c.id === ref || c.name === ref);
  if (!referenceCell && planned.length && ref !== 'newest' && ref !== 'oldest') notes.push(`smoke.reference ${JSON.stringify(ref)} names no planned cell: the first passing cell will be the reference`);
  return { cells: sorted, notes, axes, ...(model ? { model } : {}), ...(referenceCell ? { reference: referenceCell.id } : {}), problems };
}

function excludeReason(config: MatrixConfig, i: number): string {
  const rule = config.exclude[i];
  return `excluded by matrix.yaml exclude[${i}]${rule?.reason ? `: ${rule.reason}` : ''}`;
}

/** Why a cell cannot work, known before building anything; undefined if nothing is known against it. */
export function pruneReason(v: CellVersions, docs: Record<string, Packument>, model?: ModelInfo): string | undefined {
  const unloadable = unloadableTokenizer(v.tokenizer.package);
  if (unloadable) return unloadable;
  for (const [pkg, version] of [['onnxruntime-node', v.ort], [v.tokenizer.package, v.tokenizer.version]] as const) {
    const range = docs[pkg]?.versions[version]?.engines?.node;
    if (range && semver.validRange(range) && !semver.satisfies(v.node, range, { includePrerelease: true })) {
      return `${pkg} ${version} requires node ${range} (engines), not ${v.node}`;
    }
  }
  if (model) {
    const s = ortSupport(v.ort);
    if (s && (model.irVersion > s.ir || model.opset > s.opset)) {
      return `model needs ONNX IR ${model.irVersion} / opset ${model.opset}; onnxruntime-node ${v.ort} loads up to IR ${s.ir} / opset ${s.opset}`;
    }
  }
  return undefined;
}

function makeCell(config: MatrixConfig, v: CellVersions, alias: string, id: string, skipReason: string | undefined): Cell {
  const env: Record<string, string> = { ...config.install.env };
  const npmFlags = [...config.install['npm-flags']];
  for (const w of config.install.when) {
    if (!matches(w.match, v)) continue;
    Object.assign(env, w.env);
    for (const f of w['npm-flags']) if (!npmFlags.includes(f)) npmFlags.push(f);
  }
  const allow = skipReason ? undefined : config['allow-failure'].find((r) => matches(r, v));
  return {
    id,
    name: cellName(v, alias),
    node: v.node,
    ort: v.ort,
    tokenizer: { package: v.tokenizer.package, version: v.tokenizer.version, alias },
    status: skipReason ? 'skipped' : 'planned',
    ...(skipReason ? { skipReason } : {}),
    allowFailure: Boolean(allow),
    ...(allow ? { allowFailureReason: allow.reason } : {}),
    install: { env, npmFlags },
  };
}
