/**
 * The search space of `matrix bisect --locks`: every package whose installed version differs
 * between two dependency trees, transitive ones included, by package name. A tree is what a
 * golden lock's `tree` and an npm lock's `packages` both are: lock path → entry.
 */
import { compareText } from '../axes/compare.js';

/** Lock path (node_modules/a/node_modules/b) → what is installed there. */
export type LockTree = Record<string, { version?: string; link?: boolean; dev?: boolean }>;

/** One package's move between the trees; `from` null: added in the bad tree, `to` null: removed from it. */
export interface PackageChange {
  package: string;
  from: string | null;
  to: string | null;
}

export interface TreeDiff {
  changes: PackageChange[];
  /** Packages at the same single version in both trees: the subsets keep them there too. */
  unchanged: Record<string, string>;
  /** Names left out of the search, each with why (an axis' package, several versions in one tree). */
  left: { package: string; why: string }[];
}

const nameAt = (location: string) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * Name → versions installed anywhere in the tree. Links (workspaces) have no version of their
 * own; dev-only entries are not in a cell's tree (a cell's package.json has no devDependencies).
 */
export function installedVersions(tree: LockTree): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [location, entry] of Object.entries(tree)) {
    if (location === '' || !location.includes('node_modules/') || entry.link || entry.dev || !entry.version) continue;
    const name = nameAt(location);
    const versions = out.get(name) ?? new Set<string>();
    versions.add(entry.version);
    out.set(name, versions);
  }
  return out;
}

/**
 * `axisPackages` are the cell's to decide (its axes pin them), so they are not searched. A name
 * installed at several versions in one tree is left to its ranges as well: npm `overrides` set
 * one version per name, which would collapse the very tree being reproduced.
 */
export function treeDiff(good: LockTree, bad: LockTree, axisPackages: ReadonlySet<string> = new Set()): TreeDiff {
  const g = installedVersions(good);
  const b = installedVersions(bad);
  const names = [...new Set([...g.keys(), ...b.keys()])].sort(compareText);
  const diff: TreeDiff = { changes: [], unchanged: {}, left: [] };
  for (const name of names) {
    const from = [...(g.get(name) ?? [])];
    const to = [...(b.get(name) ?? [])];
    const same = from.length === to.length && from.every((v) => to.includes(v));
    if (axisPackages.has(name)) {
      if (!same)
        diff.left.push({
          package: name,
          why: `a package of a matrix.yaml axis (${from.join(' + ') || 'none'} → ${to.join(' + ') || 'none'}): the cell's axis value decides it; bisect it with \`matrix bisect <axis>\``,
        });
      continue;
    }
    if (from.length > 1 || to.length > 1) {
      if (!same)
        diff.left.push({
          package: name,
          why: `installed at several versions in one tree (${from.join(' + ') || 'none'} → ${to.join(' + ') || 'none'}): npm overrides pin one version per name, so it is left to its ranges`,
        });
      continue;
    }
    if (same) diff.unchanged[name] = from[0]!;
    else diff.changes.push({ package: name, from: from[0] ?? null, to: to[0] ?? null });
  }
  return diff;
}

export const changeLine = (c: PackageChange) => `${c.package} ${c.from ?? 'none'} → ${c.to ?? 'none'}`;
