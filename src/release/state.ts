/**
 * The releases state file (`<release.dir>/releases.json`): every retained release, which one
 * serves and on which color. Every change is a pure function from a state to the next one, so
 * the deciding (which color is idle, what rollback goes back to, what retention prunes) is
 * tested with plain data; ./store.ts reads and writes the file.
 */
import { z } from 'zod';
import { Check, Verdict } from '../domain.js';
import { UserError } from '../errors.js';
import type { ReleaseRef } from './version.js';

const COLORS = ['blue', 'green'] as const;
export const Color = z.enum(COLORS);
export type Color = z.infer<typeof Color>;

const BACKENDS = ['docker', 'local'] as const;
export type ReleaseBackend = (typeof BACKENDS)[number];

const Figures = z.object({ requests: z.number(), errors: z.number(), errorRate: z.number(), p50Ms: z.number(), p95Ms: z.number() });

/** One judged interval (src/release/watch/analysis.ts) and what the step machine did with it. */
export const WatchInterval = z.object({
  at: z.string(),
  phase: z.enum(['canary', 'observe']),
  /** The new color's share of requests, percent (100 in the observation window). */
  percent: z.number(),
  decision: z.enum(['pass', 'fail', 'inconclusive', 'abort']),
  rule: z.string(),
  reason: z.string(),
  canary: Figures,
  baseline: Figures.optional(),
  /** Requests nginx answered itself (reached neither color). */
  front: z.number().int().default(0),
  action: z.enum(['hold', 'advance', 'abort']),
  extend: z.boolean().default(false),
});
export type WatchInterval = z.infer<typeof WatchInterval>;

export const WatchOutcome = z.object({
  result: z.enum(['promoted', 'rolled-back']),
  /** analysis: the rules; rollback: `matrix rollback`; interrupted: SIGINT/SIGTERM; reconciled: the promote's process was gone. */
  by: z.enum(['analysis', 'rollback', 'interrupted', 'reconciled']),
  rule: z.string(),
  reason: z.string(),
  at: z.string(),
  /** From the decision to nginx answering from the old release. */
  rollbackMs: z.number().optional(),
});

const Watch = z.object({
  steps: z.array(z.number()),
  intervals: z.array(WatchInterval).default([]),
  outcome: WatchOutcome.optional(),
});

export const Release = z.object({
  /** Where it was built and runs: an image and containers (docker), or a directory and processes (local). */
  backend: z.enum(BACKENDS).default('docker'),
  /** v<service version>-<short sha>[-dirty]: the tag. */
  version: z.string(),
  serviceVersion: z.string(),
  revision: z.string(),
  /** docker: <registry>/<image>:<version>; local: its directory, relative to release.dir. */
  tag: z.string(),
  /** docker: <registry>/<image>@sha256:… as the registry answered the push; local: local:sha256:… of the directory's content. */
  digest: z.string(),
  /** docker: the image id; local: the digest. */
  imageId: z.string(),
  /** sha256 of the golden.lock.json it was built from; the lock itself is kept beside the state. */
  lockSha256: z.string(),
  builtAt: z.string(),
  /**
  /**
   * built: never promoted; canary: taking a share of requests beside the serving one; serving;
   * retained: passed its checks and served, now stopped (a rollback target), or warm during the
   * observation window of the one after it; failed: refused by its checks, never switched to;
   * rolled-back: served in a canary or a watch and was rolled back (`watch.outcome` says why).
   */
  status: z.enum(['built', 'canary', 'serving', 'retained', 'failed', 'rolled-back']),
  color: Color.optional(),
  promotedAt: z.string().optional(),
  /** local: the pid of its service process while one runs (a container has a name instead). */
  pid: z.number().int().positive().optional(),
  verdict: z.object({ verdict: Verdict, reason: z.string() }).optional(),
  checks: z.array(Check).default([]),
  /** Its canary and observation window: every interval judged, every decision, and how it ended. */
  watch: Watch.optional(),
});
export type Release = z.infer<typeof Release>;

/**
 * A promote in its canary or observation window: `version` on `color` takes `percent` of the
 * requests, `from` stays warm on `fromColor`. `owner` is the pid of the `matrix promote` doing
 * it: when that process is gone, the next promote, rollback or releases gives `from` all traffic.
 */
export const Rollout = z.object({
  version: z.string(),
  color: Color,
  from: z.string(),
  fromColor: Color,
  phase: z.enum(['canary', 'observe']),
  percent: z.number(),
  owner: z.number().int().positive(),
  startedAt: z.string(),
});
export type Rollout = z.infer<typeof Rollout>;

export const ReleasesState = z.object({
  stateVersion: z.literal(1),
  releases: z.array(Release),
  rollout: Rollout.optional(),
});
export type ReleasesState = z.infer<typeof ReleasesState>;

export const emptyState = (): ReleasesState => ({ stateVersion: 1, releases: [] });

export const servingOf = (s: ReleasesState) => s.releases.find((r) => r.status === 'serving');

/** The color a promote or rollback starts on: the one not serving (blue when nothing serves). */
export function idleColor(s: ReleasesState): Color {
  const serving = servingOf(s)?.color;
  return serving === 'blue' ? 'green' : 'blue';
}

export function findRelease(s: ReleasesState, ref: ReleaseRef): Release | undefined {
  // `<repo>@sha256:…` (docker) or `local:sha256:…`.
  return 'version' in ref
    ? s.releases.find((r) => r.version === ref.version)
    : s.releases.find((r) => r.digest.endsWith(`@${ref.digest}`) || r.digest === `local:${ref.digest}`);
}

export const describeRef = (ref: ReleaseRef) => ('version' in ref ? ref.version : ref.digest);

/** A version that has served is never rebuilt: checked before building, and again when recording. */
export function refuseRebuild(s: ReleasesState, version: string): void {
  const old = s.releases.find((x) => x.version === version);
  if (old && (old.status === 'serving' || old.status === 'retained')) {
    throw new UserError(`${version} was already released and promoted (${old.digest}); commit the change or bump service/package.json version`);
  }
}

/** A new build replaces an entry of the same version that never served (a rebuild of it). */
export function withBuilt(s: ReleasesState, r: Release): ReleasesState {
  refuseRebuild(s, r.version);
  return { ...s, releases: [...s.releases.filter((x) => x.version !== r.version), r] };
}

export interface Outcome {
  verdict: { verdict: Verdict; reason: string };
  checks: Check[];
}

const withoutPid = ({ pid: _pid, ...r }: Release): Release => r;
export type WatchOutcome = z.infer<typeof WatchOutcome>;

/** A process of `version` was started (local): recorded before it is checked, so none outlives the state. */
export function started(s: ReleasesState, version: string, pid: number | undefined): ReleasesState {
  return pid === undefined ? s : { ...s, releases: s.releases.map((r) => (r.version === version ? { ...r, pid } : r)) };
}

/** The process of `version` was stopped. */
export function stopped(s: ReleasesState, version: string): ReleasesState {
  return { ...s, releases: s.releases.map((r) => (r.version === version ? withoutPid(r) : r)) };
}

/**
 * After a switch: `version` serves on `color`, the one that served before is retained: its process
 * stopped, or still running when `warm` (the observation window keeps it ready to switch back to).
 */
export function switched(s: ReleasesState, version: string, color: Color, at: string, outcome?: Outcome, warm = false): ReleasesState {
  return {
    ...s,
    releases: s.releases.map((r) => {
      if (r.version === version)
        return { ...r, status: 'serving' as const, color, promotedAt: at, ...(outcome ? { verdict: outcome.verdict, checks: outcome.checks } : {}) };
      if (r.status === 'serving') return { ...(warm ? r : withoutPid(r)), status: 'retained' as const };
      return r;
    }),
  };
}

/** A promote refused by its checks: recorded, never served (its process stopped); the serving one is untouched. */
export function refused(s: ReleasesState, version: string, color: Color, outcome: Outcome): ReleasesState {
  return {
    ...s,
    releases: s.releases.map((r) =>
      r.version === version ? { ...withoutPid(r), status: 'failed' as const, color, verdict: outcome.verdict, checks: outcome.checks } : r,
    ),
  };
}

const update = (s: ReleasesState, version: string, f: (r: Release) => Release): ReleasesState => ({
  ...s,
  releases: s.releases.map((r) => (r.version === version ? f(r) : r)),
});

/** A checked release starts its canary on `color` beside the serving `from`: the promote of pid `owner` drives it. */
export function canaryStarted(
  s: ReleasesState,
  version: string,
  color: Color,
  from: Release,
  o: { steps: number[]; owner: number; at: string; outcome: Outcome },
): ReleasesState {
  const next = update(s, version, (r) => ({
    ...r,
    status: 'canary' as const,
    color,
    verdict: o.outcome.verdict,
    checks: o.outcome.checks,
    watch: { steps: o.steps, intervals: [] },
  }));
  return { ...next, rollout: { version, color, from: from.version, fromColor: from.color!, phase: 'canary', percent: 0, owner: o.owner, startedAt: o.at } };
}

/** The rollout moved to `percent` of the requests (100: the switch; the observation window follows). */
export function stepped(s: ReleasesState, percent: number, phase: Rollout['phase']): ReleasesState {
  return s.rollout ? { ...s, rollout: { ...s.rollout, percent, phase } } : s;
}

/** One interval judged and decided: recorded on the new release. */
export function judged(s: ReleasesState, version: string, interval: WatchInterval): ReleasesState {
  return update(s, version, (r) => ({
    ...r,
    watch: { steps: r.watch?.steps ?? [], intervals: [...(r.watch?.intervals ?? []), interval], ...(r.watch?.outcome ? { outcome: r.watch.outcome } : {}) },
  }));
}

const ended = (r: Release, outcome: z.infer<typeof WatchOutcome>): Release => ({
  ...r,
  watch: { steps: r.watch?.steps ?? [], intervals: r.watch?.intervals ?? [], outcome },
});

/** The observation window ended without a breach: the new release keeps serving, the warm one is stopped. */
export function watched(s: ReleasesState, outcome: z.infer<typeof WatchOutcome>): ReleasesState {
  const { rollout, ...rest } = s;
  if (!rollout) return s;
  return update(
    update(rest, rollout.version, (r) => ended(r, outcome)),
    rollout.from,
    withoutPid,
  );
}

/**
 * The rollout was rolled back (by the analysis, `matrix rollback`, a signal, or the next command
 * after its process died): the one it came from serves again on its color, the new one is
 * `rolled-back` (its pid kept until ./rollout.ts has stopped it), its watch says why.
 */
export function rolledBack(s: ReleasesState, outcome: z.infer<typeof WatchOutcome>): ReleasesState {
  const { rollout, ...rest } = s;
  if (!rollout) return s;
  const back = update(rest, rollout.from, (r) => ({ ...r, status: 'serving' as const, color: rollout.fromColor }));
  return update(back, rollout.version, (r) => ({ ...ended(r, outcome), status: 'rolled-back' as const }));
}

const newestFirst = (key: 'builtAt' | 'promotedAt') => (a: Release, b: Release) => (b[key] ?? '').localeCompare(a[key] ?? '');

/**
 * What `rollback` goes back to: the named release, or the retained one promoted last (the one
 * that served before the current one; after a rollback, the one rolled back from). Only a
 * release that passed its checks and served can be gone back to.
 */
export function rollbackTarget(s: ReleasesState, ref?: ReleaseRef): { ok: true; release: Release } | { ok: false; reason: string } {
  const serving = servingOf(s);
  if (ref) {
    const r = findRelease(s, ref);
    if (!r) return { ok: false, reason: `${describeRef(ref)}: no such retained release (see \`matrix releases\`)` };
    if (r === serving) return { ok: false, reason: `${r.version} is already serving` };
    if (r.status !== 'retained')
      return { ok: false, reason: `${r.version} never served (${r.status === 'failed' ? 'its checks failed' : 'not promoted yet'}): promote it instead` };
    return { ok: true, release: r };
  }
  const previous = s.releases.filter((r) => r.status === 'retained').sort(newestFirst('promotedAt'))[0];
  if (!previous) return { ok: false, reason: serving ? `no release to roll back to: only ${serving.version} has served` : 'nothing has been promoted yet' };
  return { ok: true, release: previous };
}

/**
 * Retention after a switch: the newest `keep` releases that passed their checks (the serving
 * one counted), always the serving one and the rollback target, and every release not promoted
 * yet; a failed one goes at the next switch. Returns the versions to prune.
 */
export function toPrune(s: ReleasesState, keep: number): string[] {
  const serving = servingOf(s);
  const target = rollbackTarget(s);
  const protectedVersions = new Set([serving?.version, target.ok ? target.release.version : undefined].filter((v): v is string => v !== undefined));
  const passed = s.releases.filter((r) => r.status === 'serving' || r.status === 'retained').sort(newestFirst('builtAt'));
  const kept = new Set(protectedVersions);
  for (const r of passed) {
    if (kept.size >= Math.max(keep, protectedVersions.size)) break;
    kept.add(r.version);
  }
  return s.releases.filter((r) => r.status !== 'built' && !kept.has(r.version)).map((r) => r.version);
}

export const without = (s: ReleasesState, versions: string[]): ReleasesState => ({ ...s, releases: s.releases.filter((r) => !versions.includes(r.version)) });
