import { describe, expect, it } from 'vitest';
import {
  canaryStarted,
  emptyState,
  findRelease,
  judged,
  ReleasesState as StateSchema,
  rolledBack,
  stepped,
  watched,
  idleColor,
  refused,
  rollbackTarget,
  servingOf,
  started,
  stopped,
  switched,
  toPrune,
  withBuilt,
  without,
  type Release,
  type ReleasesState,
} from './state.js';

const built = (n: number): Release => ({
  backend: 'docker',
  version: `v0.1.${n}-0123456`,
  serviceVersion: `0.1.${n}`,
  revision: '0123456789abcdef0123456789abcdef01234567',
  tag: `127.0.0.1:5000/matrix-service:v0.1.${n}-0123456`,
  digest: `127.0.0.1:5000/matrix-service@sha256:${String(n).repeat(64).slice(0, 64)}`,
  imageId: `sha256:${n}`,
  lockSha256: 'f'.repeat(64),
  builtAt: `2026-01-0${n}T00:00:00.000Z`,
  status: 'built',
  checks: [],
});
const pass = { verdict: { verdict: 'pass' as const, reason: 'all checks passed' }, checks: [] };
const fail = { verdict: { verdict: 'fail' as const, reason: 'case:hello: expected "Hello.", got "x"' }, checks: [] };
const at = (n: number) => `2026-02-0${n}T00:00:00.000Z`;

/** Build each release, then promote it: the state after a sequence of promotes (n < 0: refused). */
function promoted(...ns: number[]): ReleasesState {
  let s = emptyState();
  ns.forEach((n, i) => {
    const v = Math.abs(n);
    s = withBuilt(s, built(v));
    s = n < 0 ? refused(s, built(v).version, idleColor(s), fail) : switched(s, built(v).version, idleColor(s), at(i + 1), pass);
  });
  return s;
}
const summary = (s: ReleasesState) => s.releases.map((r) => `${r.serviceVersion} ${r.status} ${r.color ?? '-'}`);

describe('colors', () => {
  it('starts blue, then alternates; a refused promote does not take the color', () => {
    expect(idleColor(emptyState())).toBe('blue');
    expect(summary(promoted(1, 2, -3, 4))).toEqual(['0.1.1 retained blue', '0.1.2 retained green', '0.1.3 failed blue', '0.1.4 serving blue']);
    expect(idleColor(promoted(1, 2, -3, 4))).toBe('green');
  });
});

describe('rollbackTarget', () => {
  it.each([
    [[1, 2, 3], undefined, 'v0.1.2-0123456'],
    [[1, 2, -3], undefined, 'v0.1.1-0123456'],
  ])('after %j the previous is %s', (ns, ref, want) => {
    const t = rollbackTarget(promoted(...ns), ref);
    expect(t.ok && t.release.version).toBe(want);
  });

  it('after a rollback, rolls back to the one rolled back from', () => {
    let s = promoted(1, 2, 3);
    s = switched(s, 'v0.1.2-0123456', idleColor(s), at(9));
    const t = rollbackTarget(s);
    expect(t.ok && t.release.version).toBe('v0.1.3-0123456');
  });

  it.each([
    [[], undefined, 'nothing has been promoted yet'],
    [[1], undefined, 'no release to roll back to: only v0.1.1-0123456 has served'],
    [[1, 2], { version: 'v0.1.2-0123456' }, 'v0.1.2-0123456 is already serving'],
    [[1, -2], { version: 'v0.1.2-0123456' }, 'v0.1.2-0123456 never served (its checks failed): promote it instead'],
    [[1], { version: 'v0.1.9-0123456' }, 'v0.1.9-0123456: no such retained release (see `matrix releases`)'],
  ])('after %j, %j: %s', (ns, ref, reason) => {
    expect(rollbackTarget(promoted(...ns), ref)).toEqual({ ok: false, reason });
  });

  it('finds a release by digest', () => {
    const t = rollbackTarget(promoted(1, 2), { digest: `sha256:${'1'.repeat(64)}` });
    expect(t.ok && t.release.version).toBe('v0.1.1-0123456');
  });
});

describe('toPrune', () => {
  it('keeps the newest 3 that passed; a failed one goes at the next switch', () => {
    const s = promoted(1, 2, -3, 4, 5);
    expect(toPrune(s, 3)).toEqual(['v0.1.1-0123456', 'v0.1.3-0123456']);
    expect(summary(without(s, toPrune(s, 3)))).toEqual(['0.1.2 retained green', '0.1.4 retained blue', '0.1.5 serving green']);
  });

  it('never prunes the serving one nor the rollback target, even over keep', () => {
    let s = promoted(1, 2, 3, 4);
    s = switched(s, 'v0.1.1-0123456', idleColor(s), at(9)); // rolled back to the oldest
    expect(servingOf(s)?.version).toBe('v0.1.1-0123456');
    expect(toPrune(s, 1)).toEqual(['v0.1.2-0123456', 'v0.1.3-0123456']);
    expect(toPrune(s, 3)).toEqual(['v0.1.2-0123456']);
  });

  it('keeps a release built but not promoted yet', () => {
    const s = withBuilt(promoted(1, 2), built(3));
    expect(toPrune(s, 1)).toEqual([]);
  });
});

describe('withBuilt', () => {
  it('replaces a rebuild of a version that never served, refuses one that did', () => {
    const s = withBuilt(withBuilt(emptyState(), built(1)), { ...built(1), imageId: 'sha256:new' });
    expect(s.releases.map((r) => r.imageId)).toEqual(['sha256:new']);
    expect(() => withBuilt(promoted(1), built(1))).toThrow(/v0\.1\.1-0123456 was already released and promoted/);
  });
});

describe('pids (local releases)', () => {
  const pidOf = (s: ReleasesState, n: number) => s.releases.find((r) => r.version === built(n).version)?.pid;
  it('recorded at start; dropped when refused, when stopped, and from the old one at a switch', () => {
    let s = withBuilt(withBuilt(emptyState(), built(1)), built(2));
    s = started(s, built(1).version, 101);
    s = switched(s, built(1).version, 'blue', at(1), pass);
    expect(pidOf(s, 1)).toBe(101);
    s = started(s, built(2).version, 102);
    expect(pidOf(s, 2)).toBe(102);
    expect(pidOf(refused(s, built(2).version, 'green', fail), 2)).toBeUndefined();
    expect(pidOf(stopped(s, built(2).version), 2)).toBeUndefined();
    s = switched(s, built(2).version, 'green', at(2), pass);
    expect([pidOf(s, 1), pidOf(s, 2)]).toEqual([undefined, 102]);
    expect(started(s, built(1).version, undefined)).toBe(s);
  });

  it('finds a local release by its directory digest', () => {
    const d = `sha256:${'e'.repeat(64)}`;
    const s = withBuilt(emptyState(), { ...built(1), backend: 'local', tag: 'local/v0.1.1-0123456', digest: `local:${d}`, imageId: `local:${d}` });
    expect(findRelease(s, { digest: d })?.version).toBe('v0.1.1-0123456');
  });
});

describe('a rollout (canary steps, then the watch)', () => {
  const v = (n: number) => built(n).version;
  const figures = { requests: 200, errors: 0, errorRate: 0, p50Ms: 3, p95Ms: 9 };
  const interval = {
    at: at(5),
    phase: 'canary' as const,
    percent: 5,
    decision: 'pass' as const,
    rule: 'no-regression',
    reason: 'ok',
    canary: figures,
    front: 0,
    action: 'advance' as const,
    extend: false,
  };
  const start = () => {
    let s = withBuilt(promoted(1), built(2));
    s = started(s, v(1), 101);
    s = started(s, v(2), 102);
    return canaryStarted(s, v(2), 'green', servingOf(s)!, { steps: [5, 100], owner: 4242, at: at(4), outcome: pass });
  };
  const statuses = (s: ReleasesState) => s.releases.map((r) => `${r.serviceVersion} ${r.status} ${r.color ?? '-'} ${r.pid ?? '-'}`);

  it('the new one is in canary beside the serving one, the rollout names both and its owner', () => {
    const s = stepped(start(), 5, 'canary');
    expect(statuses(s)).toEqual(['0.1.1 serving blue 101', '0.1.2 canary green 102']);
    expect(s.rollout).toMatchObject({ version: v(2), color: 'green', from: v(1), fromColor: 'blue', phase: 'canary', percent: 5, owner: 4242 });
    expect(idleColor(s)).toBe('green');
  });

  it('at 100% it serves and the old one is retained warm; watched to the end, the old one stops and the rollout is gone', () => {
    let s = switched(stepped(start(), 100, 'observe'), v(2), 'green', at(5), pass, true);
    expect(statuses(s)).toEqual(['0.1.1 retained blue 101', '0.1.2 serving green 102']);
    s = judged(s, v(2), interval);
    s = watched(s, { result: 'promoted', by: 'analysis', rule: 'watched', reason: '1 interval', at: at(6) });
    expect(statuses(s)).toEqual(['0.1.1 retained blue -', '0.1.2 serving green 102']);
    expect(s.rollout).toBeUndefined();
    expect(s.releases[1]!.watch).toMatchObject({ steps: [5, 100], intervals: [interval], outcome: { result: 'promoted' } });
  });

  it.each([
    ['during the canary', (s: ReleasesState) => s],
    ['during the watch', (s: ReleasesState) => switched(stepped(s, 100, 'observe'), v(2), 'green', at(5), pass, true)],
  ])('rolled back %s: the old one serves again on its color, the new one is rolled-back with why', (_, f) => {
    const s = rolledBack(judged(f(start()), v(2), { ...interval, decision: 'abort', rule: 'guardrail', action: 'abort' }), {
      result: 'rolled-back',
      by: 'analysis',
      rule: 'guardrail',
      reason: 'x',
      at: at(6),
      rollbackMs: 40,
    });
    expect(statuses(s)).toEqual(['0.1.1 serving blue 101', '0.1.2 rolled-back green 102']);
    expect(s.rollout).toBeUndefined();
    expect(s.releases[1]!.watch?.outcome).toMatchObject({ by: 'analysis', rule: 'guardrail', rollbackMs: 40 });
    expect(statuses(stopped(s, v(2)))[1]).toBe('0.1.2 rolled-back green -');
    // Never a rollback target, and pruned at a later switch like a failed one.
    expect(rollbackTarget(s, { version: v(2) })).toMatchObject({ ok: false });
    expect(toPrune(s, 3)).toEqual([v(2)]);
  });

  it('a state file written before rollouts still loads', () => {
    const old = { stateVersion: 1, releases: [{ ...built(1), status: 'serving', color: 'blue' }] };
    const s = StateSchema.parse(old);
    expect(s.rollout).toBeUndefined();
    expect(s.releases[0]!.watch).toBeUndefined();
  });
});
