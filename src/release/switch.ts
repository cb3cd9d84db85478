/**
 * Blue-green: `promote` starts a release on the idle color, checks it as a cell, and only then
 * points nginx at it; `rollback` does the same for a retained release with the quick checks.
 * The old color serves its in-flight requests (nginx's old workers drain), then is stopped and
 * kept. A release that fails is never switched to: the state records it, the old one keeps
 * serving. Retention runs after each switch. Docker and local releases differ only in their
 * runtime (./runtime/); a local color's pid is in the state from its start to its stop, so no
 * process outlives what the state says. Returns what happened; the commands print.
 */
import { PASSING } from '../domain.js';
import { InfraError, UserError } from '../errors.js';
import { checkRelease, type SmokeInputs } from './checks.js';
import type { ReleaseRuntime } from './runtime/index.js';
import { pinnedLockfile, releaseCell } from './manifest.js';
import { switchFront, type Switch } from './nginx.js';
import { frontUrl, type ReleaseSettings } from './settings.js';
import {
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
} from './state.js';
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
}

export type SwitchResult =
  | { ok: false; release: Release; color: Color; outcome: Outcome; logTail: string; serving?: Release }
  | {
      ok: true;
      release: Release;
      color: Color;
      outcome: Outcome;
      front: Switch & { url: string; confirmMs: number };
      /** From starting the release to nginx answering from it. */
      totalMs: number;
      stopped?: Release;
      pruned: string[];
    };

export async function promote(ctx: SwitchContext, ref: ReleaseRef): Promise<SwitchResult> {
  const state = await readState(ctx.settings.stateFile);
  const release = findRelease(state, ref);
  if (!release) throw new UserError(`${describeRef(ref)}: no such release (build one with \`matrix release\`; see \`matrix releases\`)`);
  if (release.status === 'serving') throw new UserError(`${release.version} is already serving (${frontUrl(ctx.settings)})`);
  return switchTo(ctx, release, { smoke: true });
}

export async function rollback(ctx: SwitchContext, ref?: ReleaseRef): Promise<SwitchResult> {
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

  let outcome;
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
  if (!PASSING.has(judged.verdict.verdict)) {
    await stopNew();
    // A retained release that fails a rollback's checks stays what it was; a new one is marked failed.
    if (release.status !== 'retained') {
      state = refused(state, release.version, color, judged);
      await writeState(settings.stateFile, state);
    }
    const serving = servingOf(state);
    return { ok: false, release, color, outcome: judged, logTail, ...(serving ? { serving } : {}) };
  }

  const before = servingOf(state);
  let front: Switch;
  try {
    front = await switchFront({ prefix: settings.nginxPrefix, listen: settings.listen, upstreamPort: port, color, version: release.version });
  } catch (error) {
    await stopNew();
    throw error;
  }
  const confirmMs = await confirm(frontUrl(settings), release.version);
  const totalMs = Math.round(performance.now() - t0);
  // nginx's old workers have finished their requests: nothing reaches the old color any more.
  if (before) await (await ctx.runtimeFor(before.backend)).stop(before);
  state = switched(state, release.version, color, new Date().toISOString(), opts.smoke ? judged : undefined);
  const pruned = toPrune(state, settings.keep);
  for (const version of pruned) {
    const r = state.releases.find((x) => x.version === version)!;
    ctx.onLog(`pruning ${version}`);
    await (await ctx.runtimeFor(r.backend)).prune(r);
  }
  state = without(state, pruned);
  await writeState(settings.stateFile, state);
  return {
    ok: true,
    release: state.releases.find((r) => r.version === release.version)!,
    color,
    outcome: judged,
    front: { ...front, url: frontUrl(settings), confirmMs },
    totalMs,
    ...(before ? { stopped: before } : {}),
    pruned,
  };
}

/** Until the front answers /health from `version` (its X-Matrix-Release header). */
async function confirm(url: string, version: string, timeoutMs = 10_000): Promise<number> {
  const t0 = performance.now();
  let last = 'no answer';
  while (performance.now() - t0 < timeoutMs) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      const seen = res.headers.get('x-matrix-release');
      if (res.status === 200 && seen === version) return Math.round(performance.now() - t0);
      last = `HTTP ${res.status} from ${seen ?? 'no release'}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new InfraError(`nginx at ${url} does not answer from ${version} after the switch (${last})`);
}
