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

export const inRange = (version: string, range: string) => semver.satisfies(version, range, { includePrerelease: true });

/** The SelectorObject fields of an axis config (versions, select, max, exclude, min-age). */
export function selectorOf(c: { versions: unknown; select: unknown; max?: unknown; exclude: unknown; 'min-age'?: unknown }) {
  const { versions, select, max, exclude } = c;
  return { versions, select, ...(max !== undefined ? { max } : {}), exclude, ...(c['min-age'] !== undefined ? { 'min-age': c['min-age'] } : {}) } as never;
}
