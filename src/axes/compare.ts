/** Version order shared by every axis and report: semver where it parses, text otherwise. */
import semver from 'semver';

export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a) ?? semver.coerce(a)?.version;
  const vb = semver.valid(b) ?? semver.coerce(b)?.version;
  if (va && vb) {
    const c = semver.compare(va, vb);
    if (c !== 0) return c;
  }
  return compareText(a, b);
}

export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const STEP: Record<string, number> = { major: 3, premajor: 3, minor: 2, preminor: 2, patch: 1, prepatch: 1, prerelease: 1 };

/** 0 the same version, 1 a patch or prerelease step, 2 minor, 3 major (also when either is not semver). */
export function versionStep(from: string, to: string): number {
  if (from === to) return 0;
  const a = semver.valid(from) ?? semver.coerce(from)?.version;
  const b = semver.valid(to) ?? semver.coerce(to)?.version;
  if (!a || !b) return 3;
  const kind = semver.diff(a, b);
  return kind ? (STEP[kind] ?? 3) : 1;
}

export const inRange = (version: string, range: string) => semver.satisfies(version, range, { includePrerelease: true });

/** The SelectorObject fields of an axis config (versions, select, max, exclude, min-age). */
export function selectorOf(c: { versions: unknown; select: unknown; max?: unknown; exclude: unknown; 'min-age'?: unknown }) {
  const { versions, select, max, exclude } = c;
  return { versions, select, ...(max !== undefined ? { max } : {}), exclude, ...(c['min-age'] !== undefined ? { 'min-age': c['min-age'] } : {}) } as never;
}
