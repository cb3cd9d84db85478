/**
 * config + registry answers + model facts → Plan. `planFromPackuments` is pure; `fetchPackuments`
 * asks the registry for the packuments it needs (./build.ts runs both). Every axis goes through its kind (src/axes/), so
 * the planner knows no axis by name. Same matrix.yaml and registry state → same cells, same
 * order (axis by axis, in matrix.yaml's order).
 */
import semver from 'semver';
import {
  cellId,
  cellName,
  compareCells,
  kindOf,
  modelKey,
  ruleMatches,
  runtimeOf,
  type CellAxes,
  type ModelFacts,
  type ResolveContext,
  type ServiceFacts,
} from '../axes/index.js';
import { aliasesDistinct } from '../config/rules.js';
import type { Problem } from '../config/problems.js';
import type { MatrixConfig } from '../config/schema.js';
import type { AxisValue, Cell, RuntimeValue } from '../domain.js';
import { PackageNotFound, type Packument, type Registry } from '../registry/types.js';
import { selectVersions } from './select.js';

export interface Plan {
  cells: Cell[];
  /** One line each: cache use, versions left out by min-age, a prune that could not run. */
  notes: string[];
  /** Axis name → the values it resolved to (as `display`), before include/exclude. */
  axes: Record<string, string[]>;
  /** Problems with key paths into matrix.yaml (an unknown version, a range matching nothing). A plan with problems must not run. */
  problems: Problem[];
}

/** Every package a config asks the registry about, in a stable order. */
export function packagesOf(config: MatrixConfig): string[] {
  const names = new Set<string>();
  for (const [name, axis] of Object.entries(config.axes)) for (const p of kindOf(axis).packages(axis, name)) names.add(p);
  for (const inc of config.include) {
    for (const [name, value] of Object.entries(inc)) {
      const axis = config.axes[name];
      if (axis?.kind === 'alternatives')
        for (const e of [value].flat())
          if (typeof e === 'string' || (typeof e === 'object' && 'package' in e)) names.add(typeof e === 'string' ? e : e.package);
    }
  }
  return [...names];
}

/** Every package's packument, asked all at once; an unknown package is left out (planFromPackuments says where). */
export async function fetchPackuments(config: MatrixConfig, registry: Registry): Promise<Record<string, Packument>> {
  const names = packagesOf(config);
  const docs = await Promise.all(
    names.map((name) =>
      registry.packument(name).catch((error: unknown) => {
        if (error instanceof PackageNotFound) return undefined;
        throw error;
      }),
    ),
  );
  return Object.fromEntries(names.flatMap((name, i) => (docs[i] ? [[name, docs[i]] as const] : [])));
}

export function planFromPackuments(
  config: MatrixConfig,
  docs: Record<string, Packument>,
  now: Date,
  service: ServiceFacts,
  models: Record<string, ModelFacts> = {},
): Plan {
  const problems: Problem[] = aliasesDistinct(config, service);
  const notes: string[] = [];
  const ctx = resolveContext(docs, now, service, models, problems, notes);

  const names = Object.keys(config.axes);
  const values: Record<string, AxisValue[]> = {};
  for (const [name, axis] of Object.entries(config.axes)) values[name] = kindOf(axis).values(axis, name, ctx, ['axes', name]);

  const cells = new Map<string, Cell>();
  const add = (axes: CellAxes, origin: 'product' | 'include') => {
    const id = cellId(axes);
    const existing = cells.get(id);
    // GitHub Actions semantics: exclude applies to the product, include comes after and can add a cell back.
    if (existing && !(origin === 'include' && existing.status === 'skipped')) return;
    const excludedBy = origin === 'product' ? config.exclude.findIndex((r) => ruleMatches(r, axes)) : -1;
    const reason = excludedBy >= 0 ? excludeReason(config, excludedBy) : pruneReason(axes, docs, service);
    cells.set(id, makeCell(config, axes, id, reason));
  };
  const product = (lists: Record<string, AxisValue[]>, origin: 'product' | 'include') => {
    let combos: CellAxes[] = [{}];
    for (const name of names) combos = combos.flatMap((c) => (lists[name] ?? []).map((v) => ({ ...c, [name]: v })));
    for (const axes of combos) add(axes, origin);
  };
  product(values, 'product');
  config.include.forEach((inc, i) => {
    const lists: Record<string, AxisValue[]> = { ...values };
    for (const [name, value] of Object.entries(inc)) {
      const axis = config.axes[name];
      if (axis) lists[name] = kindOf(axis).include(value, axis, name, ctx, ['include', i, name]);
    }
    product(lists, 'include');
  });

  const sorted = [...cells.values()].sort(compareCells);
  const shown = Object.fromEntries(names.map((n) => [n, (values[n] ?? []).map((v) => kindOf(v).display(v))]));
  return { cells: sorted, notes, axes: shown, problems };
}

/** How the axes' kinds ask for versions and model facts while planning; problems and notes are recorded. */
function resolveContext(
  docs: Record<string, Packument>,
  now: Date,
  service: ServiceFacts,
  models: Record<string, ModelFacts>,
  problems: Problem[],
  notes: string[],
): ResolveContext {
  const unknown = new Set<string>();
  return {
    service,
    select: (name, sel, path, namePath) => {
      const doc = docs[name];
      if (!doc) {
        const message = `expected a package the registry knows, found ${JSON.stringify(name)} (no such package)`;
        if (!unknown.has(name)) problems.push({ path: namePath, message });
        unknown.add(name);
        return [];
      }
      const s = selectVersions(doc, sel, now, path);
      problems.push(...s.problems);
      notes.push(...s.notes);
      return s.versions;
    },
    model: (folder, files) => models[modelKey(folder, files)],
    problem: (p) => problems.push(p),
  };
}

/**
 * The versions of the runtime axis and of its include entries, without planning any cell (what
 * `matrix base` builds bases for): only the runtime's packument is needed. A version all of whose
 * cells a rule or a prune would skip is still listed.
 */
export function runtimeVersions(config: MatrixConfig, docs: Record<string, Packument>, now: Date): { versions: string[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const ctx = resolveContext(docs, now, { tokenizerLibraries: [], dependencies: {} }, {}, problems, []);
  const [name, axis] = Object.entries(config.axes).find(([, a]) => a.kind === 'runtime') ?? [];
  if (!name || !axis) return { versions: [], problems };
  const values = [
    ...kindOf(axis).values(axis, name, ctx, ['axes', name]),
    ...config.include.flatMap((inc, i) => (inc[name] === undefined ? [] : kindOf(axis).include(inc[name], axis, name, ctx, ['include', i, name]))),
  ];
  return { versions: [...new Set(values.map((v) => (v as RuntimeValue).version))], problems };
}

function excludeReason(config: MatrixConfig, i: number): string {
  const rule = config.exclude[i];
  return `excluded by matrix.yaml exclude[${i}]${rule?.reason ? `: ${rule.reason}` : ''}`;
}

/** Why a cell cannot work, known before building anything; undefined if nothing is known against it. */
export function pruneReason(axes: CellAxes, docs: Record<string, Packument>, service: ServiceFacts): string | undefined {
  const node = runtimeOf({ axes, name: cellName(axes) }).version;
  for (const v of Object.values(axes)) {
    const own = kindOf(v).prune(v, axes, docs, service);
    if (own) return own;
    // Any installed package's engines.node against the cell's runtime.
    if (!('package' in v)) continue;
    const range = docs[v.package]?.versions[v.version]?.engines?.node;
    if (range && semver.validRange(range) && !semver.satisfies(node, range, { includePrerelease: true })) {
      return `${v.package} ${v.version} requires node ${range} (engines), not ${node}`;
    }
  }
  return undefined;
}

/** The install settings of a cell with these axes: install.env and npm-flags, and those of every install.when that matches. */
export function installFor(install: MatrixConfig['install'], axes: CellAxes): Cell['install'] {
  const env: Record<string, string> = { ...install.env };
  const npmFlags = [...install['npm-flags']];
  for (const w of install.when) {
    if (!ruleMatches(w.match, axes)) continue;
    Object.assign(env, w.env);
    for (const f of w['npm-flags']) if (!npmFlags.includes(f)) npmFlags.push(f);
  }
  return { env, npmFlags };
}

function makeCell(config: MatrixConfig, axes: CellAxes, id: string, skipReason: string | undefined): Cell {
  const allow = skipReason ? undefined : config['allow-failure'].find((r) => ruleMatches(r, axes));
  return {
    id,
    name: cellName(axes),
    axes,
    status: skipReason ? 'skipped' : 'planned',
    ...(skipReason ? { skipReason } : {}),
    allowFailure: Boolean(allow),
    ...(allow ? { allowFailureReason: allow.reason } : {}),
    install: installFor(config.install, axes),
  };
}
