/**
 * The cell of one candidate version, made by the planner itself: matrix.yaml's config with the
 * bisected axis narrowed to exactly that version (every other axis as written), planned, and the
 * one cell kept whose other axes have the fixed values. So its id, name, install settings, skip
 * reason (engines, exclude rules, model support) and cache key are the ones `matrix run` gives
 * that cell.
 */
import { kindOf, shownAxes, type ModelFacts, type ServiceFacts } from '../axes/index.js';
import type { AxisConfig, MatrixConfig } from '../config/schema.js';
import type { AxisKindName, Cell } from '../domain.js';
import { planFromPackuments } from '../plan/plan.js';
import type { Packument } from '../registry/types.js';
import type { FixedAxes } from './fixed.js';

/** The kinds whose values are the releases of one package, in semver order. */
type VersionedAxis = Extract<AxisConfig, { kind: 'runtime' | 'package' }>;

const REFUSED: Record<AxisKindName, ((name: string) => string) | undefined> = {
  runtime: undefined,
  package: undefined,
  alternatives: (name) =>
    `${name} is an alternatives axis (one of several packages, each with its own releases): bisect needs a package axis or the runtime axis; make the package you suspect a package axis of its own`,
  model: (name) => `${name} is a model axis: its variants are not ordered, so there is nothing to bisect`,
};

const versioned = (axis: AxisConfig): axis is VersionedAxis => REFUSED[axis.kind] === undefined;

/** The axis to bisect and the package whose releases are its search space, or why it cannot be. */
export function bisectable(config: MatrixConfig, name: string): { axis: VersionedAxis; pkg: string } | { problem: string } {
  const axis = config.axes[name];
  if (!axis) return { problem: `unknown axis ${JSON.stringify(name)} (matrix.yaml has ${Object.keys(config.axes).join(', ')})` };
  if (!versioned(axis)) return { problem: REFUSED[axis.kind]!(name) };
  return { axis, pkg: kindOf(axis).packages(axis, name)[0]! };
}

/** The config with axis `name` selecting exactly `version`: no range, tag, max, exclude or min-age left. */
export function narrowTo(config: MatrixConfig, name: string, axis: VersionedAxis, version: string): MatrixConfig {
  const { max, 'min-age': minAge, ...rest } = axis;
  return { ...config, axes: { ...config.axes, [name]: { ...rest, versions: [version], select: 'all', exclude: [] } } };
}

export interface CandidateInputs {
  config: MatrixConfig;
  name: string;
  axis: VersionedAxis;
  fixed: FixedAxes;
  docs: Record<string, Packument>;
  now: Date;
  service: ServiceFacts;
  models: Record<string, ModelFacts>;
}

export function candidateCell(version: string, inputs: CandidateInputs): { cell: Cell } | { problem: string } {
  const { config, name, axis, fixed } = inputs;
  const plan = planFromPackuments(narrowTo(config, name, axis, version), inputs.docs, inputs.now, inputs.service, inputs.models);
  if (plan.problems.length) return { problem: `${name} ${version}: ${plan.problems[0]!.message}` };
  const shown = plan.cells.map((cell) => ({ cell, axes: shownAxes(cell.axes) })).filter((c) => c.axes[name] === version);
  const hit = shown.find((c) => Object.entries(fixed).every(([a, f]) => c.axes[a] === f.value));
  if (hit) return { cell: hit.cell };
  for (const [a, f] of Object.entries(fixed)) {
    const values = [...new Set(shown.map((c) => c.axes[a]))];
    if (!values.includes(f.value)) {
      return {
        problem: `${a}=${f.value} (from ${f.from}) is not a value of ${a} in the plan of matrix.yaml (${values.join(', ')}): pass --with ${a}=<one of them>`,
      };
    }
  }
  const wanted = Object.entries(fixed).map(([a, f]) => `${a}=${f.value}`);
  return { problem: `the plan of matrix.yaml has no cell with ${[`${name}=${version}`, ...wanted].join(', ')} (see \`matrix plan --json\`)` };
}
