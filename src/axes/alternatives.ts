/**
 * `alternatives`: one of several packages, each with its own versions (the tokenizer libraries).
 * A cell installs exactly one of them; the others are left out of its package.json.
 */
import type { AlternativeEntry, AlternativesAxis, AxisMatch } from '../config/schema.js';
import type { AlternativesValue } from '../domain.js';
import { describe, type KeyPath } from '../config/problems.js';
import { compareText, compareVersions, inRange, versionStep } from './compare.js';
import { loadedPackages } from './loaded.js';
import type { AxisKind, ResolveContext, SelectorValue, ServiceFacts } from './types.js';

const asEntry = (e: AlternativeEntry) =>
  typeof e === 'string' ? { package: e, versions: 'latest' as SelectorValue } : { ...e, versions: e.versions as SelectorValue };

/** A known short name (service/package.json tokenizerLibraries) or the package's last segment. */
export function defaultAlias(pkg: string, service: ServiceFacts): string {
  return service.tokenizerLibraries.find((l) => l.package === pkg)?.alias ?? (pkg.split('/').at(-1) ?? pkg).replace(/[^a-z0-9-]/g, '-');
}

function resolve(entries: AlternativeEntry[], listed: AlternativeEntry[], ctx: ResolveContext, path: KeyPath, single: boolean): AlternativesValue[] {
  const all = [...new Set([...listed, ...entries].map((e) => asEntry(e).package))];
  const aliasOf = (p: string) =>
    [...listed, ...entries].map(asEntry).find((e) => e.package === p && 'alias' in e && e.alias)?.alias ?? defaultAlias(p, ctx.service);
  return entries.flatMap((e, i) => {
    const at = single ? path : [...path, i];
    const t = asEntry(e);
    const versions =
      typeof e === 'string' ? ctx.select(t.package, 'latest', at, at) : ctx.select(t.package, t.versions, [...at, 'versions'], [...at, 'package']);
    return versions.map(
      (version): AlternativesValue => ({
        kind: 'alternatives',
        package: t.package,
        version,
        alias: aliasOf(t.package),
        others: all.filter((p) => p !== t.package),
      }),
    );
  });
}

const matchPackage = (m: AxisMatch) => (typeof m === 'string' ? m : Array.isArray(m) ? undefined : m.package);

export const alternatives: AxisKind<AlternativesAxis, AlternativesValue> = {
  packages: (c) => c.packages.map((e) => asEntry(e).package),
  values: (c, _name, ctx, path) => resolve(c.packages, c.packages, ctx, [...path, 'packages'], false),
  include: (value, c, _name, ctx, path) => {
    const entries = [value].flat() as AlternativeEntry[];
    return resolve(entries, c.packages, ctx, path, !Array.isArray(value));
  },
  matchProblem: (m) => (matchPackage(m) === undefined ? `a package name or {package, versions}, found ${describe(m)}` : undefined),
  matches: (m, v) => {
    if (matchPackage(m) !== v.package) return false;
    return typeof m === 'string' || Array.isArray(m) || m.versions === undefined || inRange(v.version, m.versions);
  },
  canonical: (v) => `${v.package}@${v.version}`,
  label: (v) => `${v.alias}${v.version}`,
  shown: (v) => `${v.package}@${v.version}`,
  display: (v) => `${v.alias} ${v.version}`,
  expected: (v) => `${v.package}@${v.version}`,
  /** Every package of the axis the service has installed: exactly the chosen one, at its version. */
  seen: (v, version) => {
    const loaded = loadedPackages(version);
    if (!loaded) return undefined;
    const found = [v.package, ...v.others].filter((p) => typeof loaded[p] === 'string').map((p) => `${p}@${String(loaded[p])}`);
    return found.length ? found.join(', ') : `none of ${[v.package, ...v.others].join(', ')}`;
  },
  compare: (a, b) => compareText(a.package, b.package) || compareVersions(a.version, b.version),
  newestFirst: (a, b) => compareText(a.package, b.package) || compareVersions(b.version, a.version),
  dependencies: (v) => ({ [v.package]: v.version }),
  replaces: (v) => [v.package, ...v.others],
  /** The service loads only packages it has an adapter for (tokenizerLibraries) or depends on. */
  prune: (v, _cell, _docs, service) =>
    service.tokenizerLibraries.some((l) => l.package === v.package) || v.package in service.dependencies
      ? undefined
      : `the service has no adapter for ${v.package} (it loads ${service.tokenizerLibraries.map((l) => l.package).join(', ')})`,
  serviceEnv: () => ({}),
  distance: (a, b) => (a.package !== b.package ? 4 : versionStep(a.version, b.version)),
  onDisk: () => [],
};
