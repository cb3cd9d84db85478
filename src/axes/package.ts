/** `package`: one npm package of the service (onnxruntime-node, express, …) and its versions. */
import semver from 'semver';
import { describe } from '../config/problems.js';
import type { PackageAxis } from '../config/schema.js';
import type { PackageValue } from '../domain.js';
import { compareVersions, inRange, selectorOf, versionStep } from './compare.js';
import { loadedVersion } from './loaded.js';
import type { AxisKind, SelectorValue } from './types.js';

const value = (c: PackageAxis, name: string, version: string): PackageValue => ({
  kind: 'package',
  package: c.package ?? name,
  version,
  alias: c.alias ?? name,
});

export const pkg: AxisKind<PackageAxis, PackageValue> = {
  packages: (c, name) => [c.package ?? name],
  values: (c, name, ctx, path) => ctx.select(c.package ?? name, selectorOf(c), path, c.package ? [...path, 'package'] : path).map((v) => value(c, name, v)),
  include: (sel, c, name, ctx, path) => ctx.select(c.package ?? name, sel as SelectorValue, path, path).map((v) => value(c, name, v)),
  matchProblem: (m) => (typeof m === 'string' && semver.validRange(m) !== null ? undefined : `a semver range, found ${describe(m)}`),
  matches: (m, v) => typeof m === 'string' && inRange(v.version, m),
  canonical: (v) => `${v.package}@${v.version}`,
  label: (v) => `${v.alias}${v.version}`,
  shown: (v) => v.version,
  display: (v) => v.version,
  expected: (v) => v.version,
  seen: (v, version) => loadedVersion(version, v.package),
  compare: (a, b) => compareVersions(a.version, b.version),
  newestFirst: (a, b) => compareVersions(b.version, a.version),
  dependencies: (v) => ({ [v.package]: v.version }),
  replaces: (v) => [v.package],
  prune: () => undefined,
  serviceEnv: () => ({}),
  distance: (a, b) => (a.package !== b.package ? 4 : versionStep(a.version, b.version)),
  onDisk: () => [],
};
