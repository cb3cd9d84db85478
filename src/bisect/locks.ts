/**
 * `matrix bisect --locks`, the deciding part around ddmin: what a lock file is (golden.lock.json
 * v2 or an npm package-lock v2/v3, told apart by shape), the package.json of one subset of the
 * changes, and the answer's `overrides`. Pure: the command reads the files and runs the cells.
 */
import { shownAxes } from '../axes/index.js';
import type { ServiceManifest } from '../cell/workspace.js';
import type { Cell, Verdict } from '../domain.js';
import { parseGoldenLock } from '../freeze/golden-lock.js';
import type { GoldenLock } from '../freeze/types.js';
import type { DdOutcome } from './ddmin.js';
import type { FixedAxes } from './fixed.js';
import type { LockTree, PackageChange, TreeDiff } from './tree-diff.js';

export type LockFile = { kind: 'golden'; tree: LockTree; golden: GoldenLock } | { kind: 'npm'; tree: LockTree };

/**
 * A golden lock has `lockVersion` (its own schema, validated whole); an npm lock has
 * `lockfileVersion` and, from version 2 on, `packages` keyed by lock path. Version 1 named its
 * packages by nesting only, so it is refused with how to get a newer one.
 */
export function readLock(data: unknown, file: string): LockFile | { problem: string } {
  const d = data as { lockVersion?: unknown; lockfileVersion?: unknown; packages?: unknown } | null;
  if (!d || typeof d !== 'object' || Array.isArray(d))
    return { problem: `${file}: expected a golden.lock.json or an npm package-lock.json, found ${Array.isArray(d) ? 'an array' : JSON.stringify(d)}` };
  if ('lockVersion' in d) {
    const golden = parseGoldenLock(data, file);
    return { kind: 'golden', tree: golden.tree, golden };
  }
  if (typeof d.lockfileVersion === 'number') {
    if (d.lockfileVersion < 2)
      return { problem: `${file}: lockfileVersion ${d.lockfileVersion} has no "packages"; regenerate it with npm ≥ 7 (\`npm install --package-lock-only\`)` };
    if (!d.packages || typeof d.packages !== 'object')
      return { problem: `${file}: lockfileVersion ${d.lockfileVersion} without "packages": not a lock npm wrote` };
    return { kind: 'npm', tree: d.packages as LockTree };
  }
  return { problem: `${file}: expected a golden.lock.json (lockVersion) or an npm package-lock.json (lockfileVersion 2 or 3), found neither key` };
}

/**
 * The versions a subset's tree is pinned to: every unchanged package at its version, every
 * change at its bad version when it is in the subset and at its good version when it is not.
 * A change with no version on the side it takes (an added package outside the subset, a removed
 * one inside it) gets no pin: overrides cannot add or remove a package, so it is installed only
 * if the rest of the tree still needs it, at what its range resolves to.
 */
export function pinsFor(diff: Pick<TreeDiff, 'changes' | 'unchanged'>, subset: readonly PackageChange[]): Record<string, string> {
  const inSubset = new Set(subset.map((c) => c.package));
  const pins: Record<string, string> = { ...diff.unchanged };
  for (const c of diff.changes) {
    const v = inSubset.has(c.package) ? c.to : c.from;
    if (v !== null) pins[c.package] = v;
  }
  return Object.fromEntries(Object.entries(pins).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The service's package.json with `pins` applied: each as an override, and a direct dependency
 * pinned in `dependencies` too, to the very same spec, since npm refuses an override of a direct
 * dependency whose spec differs from it (EOVERRIDE).
 */
export function pinnedManifest(service: ServiceManifest, pins: Record<string, string>): ServiceManifest {
  const dependencies = Object.fromEntries(Object.entries(service.dependencies ?? {}).map(([name, range]) => [name, pins[name] ?? range]));
  const own = (service.overrides ?? {}) as Record<string, unknown>;
  return { ...service, dependencies, overrides: { ...own, ...pins } };
}

/** What pins the culprit back to the good tree; an added package has no good version to pin. */
export function pinBack(culprit: readonly PackageChange[]): Record<string, string> {
  return Object.fromEntries(culprit.filter((c) => c.from !== null).map((c) => [c.package, c.from!]));
}

/** The planned cell whose axes have the fixed values (every axis fixed: nothing is bisected). */
export function lockedCell(cells: readonly Cell[], fixed: FixedAxes): { cell: Cell } | { problem: string } {
  const hit = cells.find((c) => {
    const shown = shownAxes(c.axes);
    return Object.entries(fixed).every(([a, f]) => shown[a] === f.value);
  });
  if (!hit)
    return {
      problem: `the plan of matrix.yaml has no cell with ${Object.entries(fixed)
        .map(([a, f]) => `${a}=${f.value} (from ${f.from})`)
        .join(', ')} (see \`matrix plan --json\`; pass --with <axis>=<value>)`,
    };
  if (hit.status === 'skipped')
    return { problem: `cell ${hit.name} is skipped by the plan (${hit.skipReason ?? 'no reason given'}): choose another with --with <axis>=<value>` };
  return { cell: hit };
}

/**
 * What a subset's verdict says to ddmin. A tree npm cannot resolve or `npm ci` cannot install
 * (both end as install-error) is unknown, not bad: the subset is not a state of the service.
 * A cell the plan skips cannot be tested either; infra-error is the machine's, so the search stops.
 */
export function ddOutcomeOf(verdict: Verdict): DdOutcome | 'stop' {
  if (verdict === 'pass' || verdict === 'flaky') return 'pass';
  if (verdict === 'install-error' || verdict === 'skipped') return 'unresolved';
  if (verdict === 'infra-error') return 'stop';
  return 'fail';
}
