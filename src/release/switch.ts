/**
 * Blue-green: `promote` starts a release on the idle color, checks it as a cell, and only then
 * gives it requests: step by step beside the serving one, then alone under watch while the old
 * one stays warm (./rollout.ts); with nothing serving before, at once. `rollback` during such a
 * rollout is a switch back to the warm color; otherwise it starts a retained release with the
 * quick checks and switches to it. The old color serves its in-flight requests (nginx's old
 * workers drain), then is stopped and kept. A release that fails its checks is never switched
 * to: the state records it, the old one keeps serving. Retention runs after each switch. Docker
 * and local releases differ only in their runtime (./runtime/); a local color's pid is in the
 * state from its start to its stop, so no process outlives what the state says. Returns what
 * happened; the commands print.
 */
import { PASSING } from '../domain.js';
import { UserError } from '../errors.js';
import { checkRelease, type SmokeInputs } from './checks.js';
import type { ReleaseRuntime } from './runtime/index.js';
import { pinnedLockfile, releaseCell } from './manifest.js';
import { switchFront, type Switch } from './nginx.js';
import { answers, confirm, reconcile, rollbackRollout, runRollout, type RolloutEnd, type RolloutEvent } from './rollout.js';
import { frontUrl, type ReleaseSettings } from './settings.js';
import {
  canaryStarted,
  describeRef,
  findRelease,
  idleColor,
  refused,
  rollbackTarget,
  servingOf,
  started,
  stopped,
  switched,
  toPrune,
  without,
  type Color,
  type Outcome,
  type Release,
  type ReleaseBackend,
  type ReleasesState,
  type WatchOutcome,
} from './state.js';
import { withFrontLock } from './lock.js';
import { lockOf, readState, writeState } from './store.js';
import type { ReleaseRef } from './version.js';
import type { MatrixConfig } from '../config/schema.js';

export interface SwitchContext {
  /** The runtime of a release's backend (Docker is asked for only when a Docker release is touched). */
  runtimeFor(backend: ReleaseBackend): Promise<ReleaseRuntime>;
  settings: ReleaseSettings;
  install: MatrixConfig['install'];
  smoke: SmokeInputs;
  onLog(line: string): void;
  /** The rollout's steps, judgements and decisions as they happen. */
  onEvent?(e: RolloutEvent): void;
  /** Ctrl-C / SIGTERM: a rollout in progress gives the old color all requests back. */
  signal?: AbortSignal;
}

export type SwitchResult =
  | { ok: false; kind: 'refused'; release: Release; color: Color; outcome: Outcome; logTail: string; serving?: Release }
  /** Rolled back during its canary or watch: by the analysis, `matrix rollback`, a signal, or a reconcile. */
  | { ok: false; kind: 'rolled-back'; release: Release; color: Color; outcome: Outcome; rolledBack: WatchOutcome; to: string }
  | {
      ok: true;
      kind: 'switched';
      release: Release;
      color: Color;
      outcome: Outcome;
      front: Switch & { url: string; confirmMs: number };
      /** From starting the release to nginx answering from it. */
      totalMs: number;
      stopped?: Release;
      pruned: string[];
      /** Judged intervals of its canary and observation window (0: nothing served before, or no steps and no window). */
      watched: number;
    };

const quiet = { onEvent: () => undefined };

export async function promote(ctx: SwitchContext, ref: ReleaseRef): Promise<SwitchResult> {
  await reconcile({ ...quiet, ...ctx });
  const state = await readState(ctx.settings.stateFile);
  if (state.rollout)
    throw new UserError(
      `matrix promote (pid ${state.rollout.owner}) is rolling out ${state.rollout.version} ` +
        `(${state.rollout.phase}, ${state.rollout.percent}%): wait for it, or \`matrix rollback\``,
      1,
    );
  const release = findRelease(state, ref);
  if (!release) throw new UserError(`${describeRef(ref)}: no such release (build one with \`matrix release\`; see \`matrix releases\`)`);
  if (release.status === 'serving') throw new UserError(`${release.version} is already serving (${frontUrl(ctx.settings)})`);
  return switchTo(ctx, release, { smoke: true });
}

export async function rollback(ctx: SwitchContext, ref?: ReleaseRef): Promise<SwitchResult> {
  const end = await rollbackRollout({ ...quiet, ...ctx }, ref);
  if (end?.ended === 'rolled-back') return rolledBackResult(ctx, end);
  const target = rollbackTarget(await readState(ctx.settings.stateFile), ref);
  if (!target.ok) throw new UserError(target.reason, 1);
  return switchTo(ctx, target.release, { smoke: false });
}

async function switchTo(ctx: SwitchContext, release: Release, opts: { smoke: boolean }): Promise<SwitchResult> {
  const { settings } = ctx;
  const t0 = performance.now();
  let state = await readState(settings.stateFile);
  const color = idleColor(state);
  const port = settings.ports[color];
  const lock = await lockOf(settings.locksDir, release.lockSha256);
  const cell = releaseCell(lock, ctx.install);
  const runtime = await ctx.runtimeFor(release.backend);
  ctx.onLog(`starting ${release.version} as ${color} on 127.0.0.1:${port}${release.backend === 'local' ? ' (a process of its directory)' : ''}`);
  const run = await runtime.start(release, cell, color, port);
  state = started(state, release.version, run.pid);
  await writeState(settings.stateFile, state);
  const running = state.releases.find((r) => r.version === release.version)!;
  const stopNew = async () => {
    await runtime.stop(running);
    state = stopped(state, release.version);
    await writeState(settings.stateFile, state);
  };

  let outcome: Awaited<ReturnType<typeof checkRelease>>;
  try {
    ctx.onLog(
      opts.smoke
        ? 'checking it as a matrix cell (health, smoke cases, benchmark, /version against its lock)'
        : 'checking its health and /version against its lock',
    );
    outcome = await checkRelease(run, cell, pinnedLockfile(lock), settings, ctx.smoke, opts);
  } catch (error) {
    await stopNew();
    throw error;
  }
  const { logTail, ...judged } = outcome;
  const count = (st: string) => judged.checks.filter((c) => c.status === st).length;
  ctx.onEvent?.({
    type: 'checked',
    version: release.version,
    color,
    verdict: judged.verdict.verdict,
    reason: judged.verdict.reason,
    passed: count('pass'),
    failed: count('fail'),
  });
  if (!PASSING.has(judged.verdict.verdict)) {
    await stopNew();
    // A retained release that fails a rollback's checks stays what it was; a new one is marked failed.
    if (release.status !== 'retained') {
      state = refused(state, release.version, color, judged);
      await writeState(settings.stateFile, state);
    }
    const serving = servingOf(state);
    return { ok: false, kind: 'refused', release, color, outcome: judged, logTail, ...(serving ? { serving } : {}) };
  }

  const before = servingOf(state);
  // A rollout needs the old color running: it takes the rest of the requests and is what a rollback goes back to.
  const warm = before?.color !== undefined && (await answers(`http://127.0.0.1:${settings.ports[before.color]}`));
  if (opts.smoke && before && warm && (settings.canary.steps.length > 1 || settings.observeMs > 0)) {
    if (ctx.signal?.aborted) {
      await stopNew();
      return rolledBackResult(
        ctx,
        {
          ended: 'rolled-back',
          to: before.version,
          version: release.version,
          color,
          outcome: { result: 'rolled-back', by: 'interrupted', rule: 'signal', reason: 'interrupted before its first step', at: new Date().toISOString() },
        },
        release.version,
      );
    }
    const at = new Date().toISOString();
    await withFrontLock(settings.dir, async () => {
      state = canaryStarted(await readState(settings.stateFile), release.version, color, before, {
        steps: settings.canary.steps,
        owner: process.pid,
        at,
        outcome: judged,
      });
      await writeState(settings.stateFile, state);
    });
    const end = await runRollout({ ...ctx, onEvent: ctx.onEvent ?? (() => undefined), signal: ctx.signal ?? new AbortController().signal }, judged);
    if (end.ended === 'rolled-back') return rolledBackResult(ctx, end, release.version);
    return retained(ctx, release, color, judged, before, Math.round(performance.now() - t0), end.intervals);
  }

  let front: Switch;
  try {
    front = await switchFront({ prefix: settings.nginxPrefix, listen: settings.listen, upstreams: [{ color, port, version: release.version, percent: 100 }] });
  } catch (error) {
    await stopNew();
    throw error;
  }
  const confirmMs = await confirm(frontUrl(settings), release.version);
  const totalMs = Math.round(performance.now() - t0);
  // nginx's old workers have finished their requests: nothing reaches the old color any more.
  if (before) await (await ctx.runtimeFor(before.backend)).stop(before);
  state = switched(state, release.version, color, new Date().toISOString(), opts.smoke ? judged : undefined);
  const r = await prune(ctx, state);
  return {
    ok: true,
    kind: 'switched',
    release: r.releases.find((x) => x.version === release.version)!,
    color,
    outcome: judged,
    front: { ...front, url: frontUrl(settings), confirmMs },
    totalMs,
    ...(before ? { stopped: before } : {}),
    pruned: r.pruned,
    watched: 0,
  };
}

/** Retention after a switch. */
async function prune(ctx: SwitchContext, state0: ReleasesState): Promise<{ releases: Release[]; pruned: string[] }> {
  let state = state0;
  const { settings } = ctx;
  const pruned = toPrune(state, settings.keep);
  for (const version of pruned) {
    const r = state.releases.find((x) => x.version === version)!;
    ctx.onLog(`pruning ${version}`);
    await (await ctx.runtimeFor(r.backend)).prune(r);
  }
  state = without(state, pruned);
  await writeState(settings.stateFile, state);
  return { releases: state.releases, pruned };
}

/** After a watched rollout: the old color was stopped by the rollout; retention runs. */
async function retained(
  ctx: SwitchContext,
  release: Release,
  color: Color,
  outcome: Outcome,
  before: Release,
  totalMs: number,
  watched: number,
): Promise<SwitchResult> {
  const r = await withFrontLock(ctx.settings.dir, async () => prune(ctx, await readState(ctx.settings.stateFile)));
  const front = { reloadMs: 0, drainMs: 0, url: frontUrl(ctx.settings), confirmMs: 0 };
  return {
    ok: true,
    kind: 'switched',
    release: r.releases.find((x) => x.version === release.version)!,
    color,
    outcome,
    front,
    totalMs,
    stopped: before,
    pruned: r.pruned,
    watched,
  };
}

async function rolledBackResult(ctx: SwitchContext, end: Extract<RolloutEnd, { ended: 'rolled-back' }>, version?: string): Promise<SwitchResult> {
  const state = await readState(ctx.settings.stateFile);
  const release = version
    ? state.releases.find((x) => x.version === version)!
    : state.releases
        .filter((x) => x.watch?.outcome === end.outcome || x.status === 'rolled-back')
        .sort((a, b) => (b.watch?.outcome?.at ?? '').localeCompare(a.watch?.outcome?.at ?? ''))[0]!;
  const outcome = { verdict: release.verdict ?? { verdict: 'pass' as const, reason: '' }, checks: release.checks };
  return { ok: false, kind: 'rolled-back', release, color: release.color!, outcome, rolledBack: end.outcome, to: end.to };
}
