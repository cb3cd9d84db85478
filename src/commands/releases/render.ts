/** `matrix releases`: a table for people, JSON for scripts. Pure. */
import type { Release, ReleasesState } from '../../release/index.js';

export interface ReleasesView {
  serving: { version: string; digest: string; url: string } | null;
  releases: {
    version: string;
    digest: string;
    color: string | null;
    promotedAt: string | null;
    /** `stopped`: the state says it serves, but its process is gone (local). */
    status: Release['status'] | 'stopped';
    verdict: string | null;
    checks: { passed: number; failed: number };
    backend: Release['backend'];
  }[];
}

/** `serving` is null when no release serves, its process is gone (`gone`: versions), or nginx is not running. */
export function releasesView(state: ReleasesState, url: string, frontRuns: boolean, gone: ReadonlySet<string> = new Set()): ReleasesView {
  const serving = frontRuns ? state.releases.find((r) => r.status === 'serving' && !gone.has(r.version)) : undefined;
  return {
    serving: serving ? { version: serving.version, digest: serving.digest, url } : null,
    releases: [...state.releases]
      .sort((a, b) => b.builtAt.localeCompare(a.builtAt))
      .map((r) => ({
        version: r.version,
        digest: r.digest,
        color: r.color ?? null,
        promotedAt: r.promotedAt ?? null,
        status: r.status === 'serving' && gone.has(r.version) ? ('stopped' as const) : r.status,
        verdict: r.verdict ? r.verdict.verdict : null,
        checks: { passed: r.checks.filter((c) => c.status === 'pass').length, failed: r.checks.filter((c) => c.status === 'fail').length },
        backend: r.backend,
      })),
  };
}

export function renderReleases(v: ReleasesView): string[] {
  const head = v.serving ? `serving ${v.serving.version} at ${v.serving.url} (${v.serving.digest})` : 'nothing serving';
  if (!v.releases.length) return [head, 'no releases yet: `matrix release` builds one from golden.lock.json'];
  const rows = v.releases.map((r) => [
    r.status === 'serving' ? '▶' : ' ',
    r.version,
    r.status,
    r.color ?? '-',
    r.promotedAt ?? '-',
    r.verdict ? `${r.verdict} (${r.checks.passed} passed, ${r.checks.failed} failed)` : '-',
    r.digest,
  ]);
  const header = ['', 'version', 'status', 'color', 'promoted', 'checks', 'digest'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [head, line(header), ...rows.map(line)];
}
