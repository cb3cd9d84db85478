/** `matrix releases`: a table for people, JSON for scripts. Pure. */
import type { Release, ReleasesState } from '../../release/index.js';

type Interval = NonNullable<Release['watch']>['intervals'][number];
type Outcome = NonNullable<NonNullable<Release['watch']>['outcome']>;

export interface ReleasesView {
  serving: { version: string; digest: string; url: string } | null;
  /** A promote in its canary or observation window, and its last judged interval. */
  rollout: { version: string; from: string; phase: 'canary' | 'observe'; percent: number; owner: number; last: Interval | null } | null;
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
    /** Its canary and watch: intervals judged, how it ended (rule, reason) and the last interval's figures. */
    watch: { intervals: number; outcome: Outcome | null; last: Interval | null } | null;
  }[];
}

/** `serving` is null when no release serves, its process is gone (`gone`: versions), or nginx is not running. */
export function releasesView(state: ReleasesState, url: string, frontRuns: boolean, gone: ReadonlySet<string> = new Set()): ReleasesView {
  const serving = frontRuns ? state.releases.find((r) => r.status === 'serving' && !gone.has(r.version)) : undefined;
  const r0 = state.rollout;
  const lastOf = (version: string) => state.releases.find((r) => r.version === version)?.watch?.intervals.at(-1) ?? null;
  return {
    serving: serving ? { version: serving.version, digest: serving.digest, url } : null,
    rollout: r0 ? { version: r0.version, from: r0.from, phase: r0.phase, percent: r0.percent, owner: r0.owner, last: lastOf(r0.version) } : null,
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
        watch: r.watch ? { intervals: r.watch.intervals.length, outcome: r.watch.outcome ?? null, last: r.watch.intervals.at(-1) ?? null } : null,
      })),
  };
}

const figures = (i: Interval) =>
  `${i.phase} ${i.percent}%: new ${i.canary.errors}/${i.canary.requests} failed, p95 ${i.canary.p95Ms} ms` +
  (i.baseline ? `; old ${i.baseline.errors}/${i.baseline.requests} failed, p95 ${i.baseline.p95Ms} ms` : '');

export function renderReleases(v: ReleasesView): string[] {
  const head = v.serving ? `serving ${v.serving.version} at ${v.serving.url} (${v.serving.digest})` : 'nothing serving';
  const rollout = v.rollout
    ? [
        `rolling out ${v.rollout.version} from ${v.rollout.from} (matrix promote, pid ${v.rollout.owner}): ${v.rollout.phase} at ${v.rollout.percent}%`,
        ...(v.rollout.last ? [`  last interval: ${v.rollout.last.decision} (${v.rollout.last.rule}), ${figures(v.rollout.last)}`] : []),
      ]
    : [];
  if (!v.releases.length) return [head, ...rollout, 'no releases yet: `matrix release` builds one from golden.lock.json'];
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
  // Why each rolled-back release went back: the rule, its reason and the figures it saw.
  const why = v.releases.flatMap((r) =>
    r.status === 'rolled-back' && r.watch?.outcome
      ? [
          `${r.version} rolled back by ${r.watch.outcome.by}: ${r.watch.outcome.rule}: ${r.watch.outcome.reason}`,
          ...(r.watch.last ? [`  ${figures(r.watch.last)}`] : []),
        ]
      : [],
  );
  return [head, ...rollout, line(header), ...rows.map(line), ...why];
}
