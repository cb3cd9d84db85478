/**
 * After the pre-switch check: the canary steps and the observation window, and the rollback to the
 * warm color. Each step rewrites nginx's weights; each interval reads the access log lines added
 * since the last one, judges them (./watch/analysis.ts, pure) and records the judgement and the
 * step machine's decision in the state. A rollback is one nginx reload to the color that kept
 * running: the old one never stops before the watch ends. Every change of the front and the state
 * is made holding the front lock (./lock.ts), and a promote checks under it that the rollout is
 * still its own: a `matrix rollback` from another shell takes it over, and the promote notices at
 * its next poll (every POLL_MS) and exits.
 */
import { open, stat } from 'node:fs/promises';
import { InfraError, UserError } from '../errors.js';
import { alive, withFrontLock } from './lock.js';
import { accessLogOf, reloadFront } from './nginx.js';
import type { Upstream } from './nginx-conf.js';
import type { ReleaseRuntime } from './runtime/types.js';
import { frontUrl, type ReleaseSettings } from './settings.js';
import {
  findRelease,
  judged,
  rolledBack,
  stepped,
  stopped,
  switched,
  watched,
  type Color,
  type Outcome,
  type Release,
  type ReleasesState,
  type Rollout,
  type WatchInterval,
  type WatchOutcome,
} from './state.js';
import { readState, writeState } from './store.js';
import { parseAccessLog } from './watch/access-log.js';
import { decideStep, judgeCanary, judgeWatch } from './watch/analysis.js';
import type { ReleaseRef } from './version.js';
import type { ColorFigures, IntervalJudgement, Served } from './watch/types.js';

/** How often a waiting promote looks for a rollback from another shell or a Ctrl-C. */
const POLL_MS = 200;

/** What a promote streams as it goes (`--events ndjson`); the state records the same. */
export type RolloutEvent =
  | { type: 'checked'; version: string; color: Color; verdict: string; reason: string; passed: number; failed: number }
  | { type: 'step'; percent: number; phase: Rollout['phase'] }
  | ({ type: 'interval' } & WatchInterval)
  | ({ type: 'rollback' } & WatchOutcome & { version: string; to: string })
  | { type: 'watched'; version: string; intervals: number };

export interface RolloutContext {
  runtimeFor(backend: Release['backend']): Promise<ReleaseRuntime>;
  settings: ReleaseSettings;
  onLog(line: string): void;
  onEvent(e: RolloutEvent): void;
  /** Ctrl-C / SIGTERM of the promote. */
  signal: AbortSignal;
}

export type RolloutEnd = { ended: 'watched'; intervals: number } | { ended: 'rolled-back'; outcome: WatchOutcome; to: string; version: string; color: Color };

const now = () => new Date().toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const upstream = (s: ReleaseSettings, r: Pick<Release, 'version'>, color: Color, percent: number): Upstream => ({
  color,
  port: s.ports[color],
  version: r.version,
  percent,
});

/**
 * Drives the rollout the state holds (started by the caller with canaryStarted) to its end: every
 * step, then the observation window; rolls back on an abort, a signal, or finds it taken over.
 */
export async function runRollout(ctx: RolloutContext, outcome: Outcome): Promise<RolloutEnd> {
  const { settings: s } = ctx;
  const first = (await readState(s.stateFile)).rollout!;
  const a = s.analysis;
  const log = accessLogOf(s.nginxPrefix);
  let offset = await stat(log).then(
    (x) => x.size,
    () => 0,
  );
  const addrs = { blue: `127.0.0.1:${s.ports.blue}`, green: `127.0.0.1:${s.ports.green}` };
  const steps = [...s.canary.steps];
  let canaryBaseline: ColorFigures | undefined;
  let intervals = 0;

  /** Under the lock, when the rollout is still this promote's: `change` the state (and the front). */
  const ours = async (change: (st: ReleasesState, r: Rollout) => Promise<ReleasesState>): Promise<boolean> =>
    withFrontLock(s.dir, async () => {
      const st = await readState(s.stateFile);
      if (st.rollout?.owner !== process.pid || st.rollout.version !== first.version) return false;
      await writeState(s.stateFile, await change(st, st.rollout));
      return true;
    });
  const takenOver = async (): Promise<RolloutEnd> => {
    const r = (await readState(s.stateFile)).releases.find((x) => x.version === first.version);
    const o = r?.watch?.outcome ?? {
      result: 'rolled-back' as const,
      by: 'rollback' as const,
      rule: 'taken-over',
      reason: 'another command ended this rollout',
      at: now(),
    };
    return { ended: 'rolled-back', outcome: o, to: first.from, version: first.version, color: first.color };
  };
  const back = async (by: WatchOutcome['by'], rule: string, reason: string, t0: number) =>
    (await abortRollout(ctx, { by, rule, reason }, t0, process.pid)) ?? takenOver();

  /** Until `ms` have passed, looking for a signal or a takeover every POLL_MS. */
  const wait = async (ms: number): Promise<'ok' | 'signal' | 'taken'> => {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      await sleep(Math.min(POLL_MS, until - performance.now()));
      if (ctx.signal.aborted) return 'signal';
      if ((await readState(s.stateFile)).rollout?.owner !== process.pid) return 'taken';
    }
    return 'ok';
  };
  const readServed = async (): Promise<{ served: Served[]; front: number }> => {
    const h = await open(log, 'r').catch(() => undefined);
    if (!h) return { served: [], front: 0 };
    try {
      const { size } = await h.stat();
      if (size < offset) offset = 0; // rotated or truncated by hand
      const buf = Buffer.alloc(size - offset);
      await h.read(buf, 0, buf.length, offset);
      const chunk = parseAccessLog(buf, addrs);
      offset += chunk.consumed;
      return { served: chunk.served, front: chunk.front.length };
    } finally {
      await h.close();
    }
  };
  const interrupted = (t0: number) => back('interrupted', 'signal', `matrix promote was interrupted (SIGINT/SIGTERM) during ${first.version}'s rollout`, t0);

  for (const percent of steps) {
    const phase = percent < 100 ? 'canary' : 'observe';
    const moved = await ours(async (st, r) => {
      const to =
        percent < 100 ? [upstream(s, { version: r.from }, r.fromColor, 100 - percent), upstream(s, r, r.color, percent)] : [upstream(s, r, r.color, 100)];
      await reloadFront({ prefix: s.nginxPrefix, listen: s.listen, upstreams: to });
      const next = stepped(st, percent, phase);
      // The last step is the switch: the new release serves, the old one is retained but kept running.
      return percent < 100 ? next : switched(next, r.version, r.color, now(), outcome, true);
    });
    if (!moved) return takenOver();
    ctx.onEvent({ type: 'step', percent, phase });
    ctx.onLog(
      percent < 100
        ? `step ${percent}%: ${first.version} (${first.color}) takes ${percent}% of the requests, ${first.from} (${first.fromColor}) the rest`
        : `switched: ${first.version} (${first.color}) takes all requests; ${first.from} (${first.fromColor}) kept warm`,
    );
    if (percent === 100 && s.observeMs === 0) break;

    const judgements: IntervalJudgement[] = [];
    let pending: Served[] = [];
    let front = 0;
    const stepStart = performance.now();
    await readServed(); // lines of the previous step's weights are not this step's
    for (;;) {
      const w = await wait(s.canary.intervalMs);
      if (w === 'signal') return interrupted(performance.now());
      if (w === 'taken') return takenOver();
      const got = await readServed();
      pending = [...pending, ...got.served];
      front += got.front;
      const j =
        phase === 'canary'
          ? judgeCanary(pending, { canary: first.color, baseline: first.fromColor }, a)
          : judgeWatch(pending, first.color, canaryBaseline ?? (await previousFigures(s, first.from)), a);
      judgements.push(j);
      const timeUp = phase === 'canary' || performance.now() - stepStart >= s.observeMs;
      const d = decideStep(judgements, a, timeUp);
      const decidedAt = performance.now();
      const interval: WatchInterval = { at: now(), phase, percent, ...j, front, action: d.action, extend: d.extend };
      const said = () => {
        ctx.onEvent({ type: 'interval', ...interval });
        ctx.onLog(`  ${phase} ${percent}%: ${j.decision} (${j.rule}): ${j.reason} → ${d.action}${d.extend ? ' (the interval extends)' : ''}`);
      };
      if (d.action === 'abort') {
        // The rollback first, the record after: every millisecond here is one the broken release serves.
        const end = await back('analysis', d.rule, d.reason, decidedAt);
        await withFrontLock(s.dir, async () => writeState(s.stateFile, judged(await readState(s.stateFile), first.version, interval)));
        said();
        return end;
      }
      if (!(await ours(async (st) => judged(st, first.version, interval)))) return takenOver();
      intervals++;
      said();
      if (phase === 'canary' && j.decision !== 'inconclusive' && j.baseline && j.baseline.requests >= a.minRequests) canaryBaseline = j.baseline;
      if (d.action === 'advance') break;
      if (!d.extend) {
        pending = [];
        front = 0;
      }
    }
  }

  // Watched to the end: the old color stops (kept), as after any switch.
  const before = (await readState(s.stateFile)).releases.find((r) => r.version === first.from);
  const done = await ours(async (st) =>
    watched(st, { result: 'promoted', by: 'analysis', rule: 'watched', reason: `${intervals} intervals judged, no breach`, at: now() }),
  );
  if (!done) return takenOver();
  ctx.onEvent({ type: 'watched', version: first.version, intervals });
  if (before) await (await ctx.runtimeFor(before.backend)).stop(before);
  return { ended: 'watched', intervals };
}

/** The figures the previous release had when it was watched alone (its last observation interval with requests). */
async function previousFigures(s: ReleaseSettings, version: string): Promise<ColorFigures | undefined> {
  const r = (await readState(s.stateFile)).releases.find((x) => x.version === version);
  return r?.watch?.intervals.filter((i) => i.phase === 'observe' && i.canary.requests >= s.analysis.minRequests).at(-1)?.canary;
}

/**
 * Gives all requests back to the release the rollout came from, on its warm color, then stops the
 * new one once nginx's old workers are done with it. `owner`: only this promote's rollout (the
 * loop), or any (rollback, reconcile). `t0`: the decision, for rollbackMs. Undefined when there
 * was no such rollout.
 */
async function abortRollout(
  ctx: Pick<RolloutContext, 'runtimeFor' | 'settings' | 'onLog' | 'onEvent'>,
  why: Pick<WatchOutcome, 'by' | 'rule' | 'reason'>,
  t0: number,
  owner?: number,
): Promise<RolloutEnd | undefined> {
  const s = ctx.settings;
  const taken = await withFrontLock(s.dir, async () => {
    const st = await readState(s.stateFile);
    const r = st.rollout;
    if (!r || (owner !== undefined && r.owner !== owner)) return undefined;
    const from = st.releases.find((x) => x.version === r.from)!;
    const gone = st.releases.find((x) => x.version === r.version)!;
    const locked = performance.now();
    if (!(await answers(`http://127.0.0.1:${s.ports[r.fromColor]}`))) {
      throw new InfraError(
        `${from.version} (${r.fromColor}) does not answer /health: no warm color to roll back to (start it with \`matrix rollback ${from.version}\`)`,
      );
    }
    const reload = await reloadFront({ prefix: s.nginxPrefix, listen: s.listen, upstreams: [upstream(s, from, r.fromColor, 100)] }, { check: false });
    const confirmMs = await confirm(frontUrl(s), from.version);
    const rollbackMs = Math.round(performance.now() - t0);
    const lockMs = Math.round(locked - t0);
    const outcome: WatchOutcome = { result: 'rolled-back', ...why, at: now(), rollbackMs };
    await writeState(s.stateFile, rolledBack(st, outcome));
    return { r, gone, outcome, reload, lockMs, confirmMs };
  });
  if (!taken) return undefined;
  const { r, gone, outcome, reload, lockMs, confirmMs } = taken;
  ctx.onEvent({ type: 'rollback', version: r.version, to: r.from, ...outcome });
  ctx.onLog(
    `rolled back ${r.version} (${r.color}) to ${r.from} (${r.fromColor}) ${outcome.rollbackMs} ms after the decision ` +
      `(lock and state ${lockMs} ms, config and SIGHUP ${reload.reloadMs} ms, answering ${confirmMs} ms later): ` +
      `${why.rule}: ${why.reason}`,
  );
  await reload.drained();
  await (await ctx.runtimeFor(gone.backend)).stop(gone);
  await withFrontLock(s.dir, async () => writeState(s.stateFile, stopped(await readState(s.stateFile), r.version)));
  return { ended: 'rolled-back', outcome, to: r.from, version: r.version, color: r.color };
}

/**
 * `matrix rollback [version]` while a promote rolls a release out: nginx back to the release it came
 * from, at once (a dead promote's rollout is reconciled the same way). Undefined when no rollout is
 * in progress; refused when `ref` names another release than the one the rollout came from.
 */
export async function rollbackRollout(
  ctx: Pick<RolloutContext, 'runtimeFor' | 'settings' | 'onLog' | 'onEvent'>,
  ref?: ReleaseRef,
): Promise<RolloutEnd | undefined> {
  const t0 = performance.now();
  const dead = await reconcile(ctx);
  if (dead) return dead;
  const state = await readState(ctx.settings.stateFile);
  const r = state.rollout;
  if (!r) return undefined;
  if (ref && findRelease(state, ref)?.version !== r.from) {
    throw new UserError(`${r.version} is rolling out from ${r.from}: \`matrix rollback\` goes back to ${r.from} first`, 1);
  }
  const reason = `matrix rollback (pid ${process.pid}) during ${r.version}'s ${r.phase} at ${r.percent}%`;
  return abortRollout(ctx, { by: 'rollback', rule: 'matrix rollback', reason }, t0);
}

/** A rollout whose promote is gone (SIGKILL, a crash, a closed terminal): the old release takes all requests. */
export async function reconcile(ctx: Pick<RolloutContext, 'runtimeFor' | 'settings' | 'onLog' | 'onEvent'>): Promise<RolloutEnd | undefined> {
  const r = (await readState(ctx.settings.stateFile)).rollout;
  if (!r || alive(r.owner)) return undefined;
  ctx.onLog(`matrix promote (pid ${r.owner}) is gone, ${r.version} in its ${r.phase} at ${r.percent}%: ${r.from} takes all requests again`);
  return abortRollout(
    ctx,
    { by: 'reconciled', rule: 'owner-gone', reason: `matrix promote (pid ${r.owner}) ended during the ${r.phase} at ${r.percent}%` },
    performance.now(),
  );
}

/** The color's own /health, directly (not through nginx). */
export async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Until the front answers /health from `version` (its X-Matrix-Release header). */
export async function confirm(url: string, version: string, timeoutMs = 10_000): Promise<number> {
  const t0 = performance.now();
  let last = 'no answer';
  while (performance.now() - t0 < timeoutMs) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      const seen = res.headers.get('x-matrix-release');
      if (res.status === 200 && seen === version) return Math.round(performance.now() - t0);
      last = `HTTP ${res.status} from ${seen || 'no release'}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(10);
  }
  throw new InfraError(`nginx at ${url} does not answer from ${version} after the switch (${last})`);
}
