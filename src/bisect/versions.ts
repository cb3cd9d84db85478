/**
 * The search space of a bisect: the releases of one package from the good bound to the bad one,
 * both included, in semver order and in the direction of bad (so good may be newer than bad).
 * Only strict releases count: prereleases and build metadata are not points of a release line.
 */
import semver from 'semver';

const isRelease = (v: string) => {
  const p = semver.parse(v);
  // `version` drops build metadata and a leading v, so equality also rules those out.
  return p !== null && p.version === v && p.prerelease.length === 0;
};

export type SearchPath = { path: string[] } | { problem: string };

/** `published`: every version the registry lists for `pkg`. */
export function searchPath(published: Iterable<string>, pkg: string, good: string, bad: string): SearchPath {
  const releases = [...new Set(published)].filter(isRelease).sort(semver.compare);
  for (const [flag, v] of [
    ['--good', good],
    ['--bad', bad],
  ] as const) {
    if (!isRelease(v))
      return { problem: `${flag} ${v}: expected an exact release of ${pkg} such as ${releases.at(-1) ?? '1.2.3'} (no ranges, tags or prereleases)` };
    if (!releases.includes(v)) return { problem: `${flag} ${v}: ${pkg} has no release ${v} on the registry (newest: ${releases.at(-1) ?? 'none'})` };
  }
  if (good === bad) return { problem: `--good and --bad are both ${good}: nothing lies between them` };
  const [from, to] = semver.lt(good, bad) ? [good, bad] : [bad, good];
  const range = releases.slice(releases.indexOf(from), releases.indexOf(to) + 1);
  return { path: range[0] === good ? range : range.reverse() };
}
