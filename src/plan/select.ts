/**
 * Choosing versions on one axis: specs (exact, range, dist-tag) → exclude → min-age →
 * latest-minors / latest-majors → max. Pure: the packument and `now` are inputs.
 */
import semver from 'semver';
import { durationMs } from '../config/allow-list.js';
import type { KeyPath, Problem } from '../config/problems.js';
import type { SelectorObject } from '../config/schema.js';
import type { Packument } from '../registry/types.js';

/** A selector as the schema outputs it: a spec, a list of specs, or the full object. */
export type SelectorValue = string | string[] | SelectorObject;

export interface Selection {
  versions: string[];
  problems: Problem[];
  notes: string[];
}

function normalizeSelector(sel: SelectorValue): SelectorObject {
  if (typeof sel === 'string') return { versions: [sel], select: 'all', exclude: [] };
  if (Array.isArray(sel)) return { versions: sel, select: 'all', exclude: [] };
  return { ...sel, versions: typeof sel.versions === 'string' ? [sel.versions] : sel.versions };
}

const strict = (v: string) => semver.valid(v) === v;

export function selectVersions(doc: Packument, selector: SelectorValue, now: Date, path: KeyPath): Selection {
  const sel = normalizeSelector(selector);
  const specs = typeof sel.versions === 'string' ? [sel.versions] : sel.versions;
  const published = Object.keys(doc.versions).filter(strict);
  const problems: Problem[] = [];
  const notes: string[] = [];
  const chosen = new Set<string>();
  const specPath = (i: number) =>
    Array.isArray(selector)
      ? [...path, i]
      : typeof selector === 'string'
        ? path
        : Array.isArray(selector.versions)
          ? [...path, 'versions', i]
          : [...path, 'versions'];

  specs.forEach((raw, i) => {
    const spec = raw.trim();
    if (strict(spec)) {
      if (published.includes(spec)) chosen.add(spec);
      else
        problems.push({
          path: specPath(i),
          message: `expected a published version of ${doc.name}, found ${JSON.stringify(spec)} (newest: ${doc['dist-tags'].latest ?? 'none'})`,
        });
    } else if (semver.validRange(spec) !== null) {
      const matches = published.filter((v) => semver.satisfies(v, spec));
      if (matches.length === 0)
        problems.push({ path: specPath(i), message: `expected a range that matches a version of ${doc.name}, found ${JSON.stringify(spec)} (matches none)` });
      for (const v of matches) chosen.add(v);
    } else {
      const tagged = doc['dist-tags'][spec];
      if (tagged && doc.versions[tagged]) chosen.add(tagged);
      else
        problems.push({
          path: specPath(i),
          message: `expected a dist-tag of ${doc.name} (${Object.keys(doc['dist-tags']).sort().join(', ')}), found ${JSON.stringify(spec)}`,
        });
    }
  });

  let versions = [...chosen].sort(semver.compare);
  const excluded = sel.exclude.map((e) => String(e).trim());
  versions = versions.filter((v) => !excluded.some((e) => (strict(e) ? v === e : semver.satisfies(v, e, { includePrerelease: true }))));

  if (sel['min-age'] !== undefined) {
    const cutoff = now.getTime() - durationMs(sel['min-age']);
    const young = versions.filter((v) => {
      const t = Date.parse(doc.time[v] ?? '');
      return Number.isFinite(t) && t > cutoff;
    });
    if (young.length) notes.push(`${doc.name} ${young.join(', ')} left out: published less than ${String(sel['min-age'])} ago (min-age)`);
    versions = versions.filter((v) => !young.includes(v));
  }

  if (sel.select !== 'all') {
    const group = (v: string) => (sel.select === 'latest-majors' ? `${semver.major(v)}` : `${semver.major(v)}.${semver.minor(v)}`);
    const newest = new Map<string, string>();
    for (const v of versions) newest.set(group(v), v); // ascending, so the last one wins
    versions = [...newest.values()].sort(semver.compare);
  }
  if (sel.max !== undefined && versions.length > sel.max) versions = versions.slice(-sel.max);

  if (versions.length === 0 && problems.length === 0) {
    problems.push({ path, message: `expected at least one version of ${doc.name} after exclude/min-age, found none` });
  }
  return { versions, problems, notes };
}
