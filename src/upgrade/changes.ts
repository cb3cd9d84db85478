/**
 * What freezing a run changes in the golden lock, named the way a dependency bot names it: the
 * Node the service runs on, the model variant, and every package of the installed tree (direct:
 * service/package.json pins it; transitive: only the tree has it), each from → to. Pure, from the
 * old lock and the one freeze would write.
 */
import { axisChanges, compareText, compareVersions } from '../axes/index.js';
import type { GoldenLock } from '../freeze/index.js';

export interface Change {
  kind: 'node' | 'model' | 'direct' | 'transitive';
  /** The npm package; `node` for the Node version; the model axis' name for the model. */
  package: string;
  /** null: not in the old lock (added); several versions of one package installed at once are joined by ` + `. */
  from: string | null;
  /** null: not in the new lock (removed). */
  to: string | null;
}

type Tree = GoldenLock['tree'];

const nameAt = (location: string) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** Package name → the versions the tree installs it at, lowest first (links have no version of their own). */
function versionsByName(tree: Tree): Map<string, string> {
  const found = new Map<string, Set<string>>();
  for (const [location, entry] of Object.entries(tree)) {
    if (!location.includes('node_modules/') || entry.link || entry.version === undefined) continue;
    const name = nameAt(location);
    found.set(name, (found.get(name) ?? new Set()).add(entry.version));
  }
  return new Map([...found].map(([name, versions]) => [name, [...versions].sort(compareVersions).join(' + ')]));
}

const direct = (lock: GoldenLock | undefined) => Object.keys({ ...lock?.pins.dependencies, ...lock?.pins.devDependencies });

/** The packages whose installed versions differ, direct ones first, each group by name. */
export function packageChanges(from: GoldenLock | undefined, to: GoldenLock): Change[] {
  const before = versionsByName(from?.tree ?? {});
  const after = versionsByName(to.tree);
  const pinned = new Set([...direct(from), ...direct(to)]);
  const changes: Change[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort(compareText)) {
    const a = before.get(name) ?? null;
    const b = after.get(name) ?? null;
    if (a !== b) changes.push({ kind: pinned.has(name) ? 'direct' : 'transitive', package: name, from: a, to: b });
  }
  return [...changes.filter((c) => c.kind === 'direct'), ...changes.filter((c) => c.kind === 'transitive')];
}

/**
 * The Node version and the model, when they change: the golden cell's runtime and model axes. A
 * model whose variant stays but whose files changed shows its files' sha256 (the `expected` form).
 */
export function axisValueChanges(from: GoldenLock | undefined, to: GoldenLock): Change[] {
  const old = from?.axes ?? {};
  const changes = axisChanges(old, to.axes).flatMap((c): Change[] => {
    const value = to.axes[c.axis] ?? old[c.axis]!;
    const side = { from: old[c.axis] ? c.from : null, to: to.axes[c.axis] ? c.to : null };
    if (value.kind === 'runtime') return [{ kind: 'node', package: 'node', ...side }];
    if (value.kind === 'model') return [{ kind: 'model', package: c.axis, ...side }];
    return [];
  });
  return [...changes.filter((c) => c.kind === 'node'), ...changes.filter((c) => c.kind === 'model')];
}
