import { expect, it } from 'vitest';
import type { ReleasesState } from '../../release/index.js';
import { releasesView, renderReleases } from './render.js';

const release = (n: number, status: 'serving' | 'retained' | 'failed', color: 'blue' | 'green') => ({
  backend: 'docker' as const,
  version: `v0.1.${n}-0123456`,
  serviceVersion: `0.1.${n}`,
  revision: '0'.repeat(40),
  tag: `r/matrix-service:v0.1.${n}-0123456`,
  digest: `r/matrix-service@sha256:${String(n).repeat(64)}`,
  imageId: `sha256:${n}`,
  lockSha256: 'f'.repeat(64),
  builtAt: `2026-01-0${n}T00:00:00.000Z`,
  status,
  color,
  promotedAt: `2026-01-0${n}T00:01:00.000Z`,
  verdict: { verdict: status === 'failed' ? ('fail' as const) : ('pass' as const), reason: '' },
  checks: [
    { name: 'version', status: 'pass' as const },
    { name: 'case:x', status: status === 'failed' ? ('fail' as const) : ('pass' as const) },
  ],
});
const state: ReleasesState = { stateVersion: 1, releases: [release(1, 'retained', 'blue'), release(2, 'failed', 'green'), release(3, 'serving', 'green')] };

it('JSON: which one serves and where, then every release newest first', () => {
  const v = releasesView(state, 'http://127.0.0.1:8080', true);
  expect(v.serving).toEqual({ version: 'v0.1.3-0123456', digest: `r/matrix-service@sha256:${'3'.repeat(64)}`, url: 'http://127.0.0.1:8080' });
  expect(v.releases.map((r) => [r.version, r.status, r.color, r.verdict, r.checks])).toEqual([
    ['v0.1.3-0123456', 'serving', 'green', 'pass', { passed: 2, failed: 0 }],
    ['v0.1.2-0123456', 'failed', 'green', 'fail', { passed: 1, failed: 1 }],
    ['v0.1.1-0123456', 'retained', 'blue', 'pass', { passed: 2, failed: 0 }],
  ]);
  expect(Object.keys(v.releases[0]!)).toEqual(['version', 'digest', 'color', 'promotedAt', 'status', 'verdict', 'checks', 'backend', 'watch']);
  expect(v.rollout).toBeNull();
});

it('a serving release whose process is gone shows as stopped, and nothing serves', () => {
  const v = releasesView(state, 'http://127.0.0.1:8080', true, new Set(['v0.1.3-0123456']));
  expect(v.serving).toBeNull();
  expect(v.releases.map((r) => r.status)).toEqual(['stopped', 'failed', 'retained']);
});

it('nothing serves while nginx does not run', () => {
  expect(releasesView(state, 'http://127.0.0.1:8080', false).serving).toBeNull();
});

it('the table marks the serving one', () => {
  const lines = renderReleases(releasesView(state, 'http://127.0.0.1:8080', true));
  expect(lines[0]).toMatch(/^serving v0\.1\.3-0123456 at http:\/\/127\.0\.0\.1:8080 /);
  expect(lines[2]).toMatch(/^▶ {2}v0\.1\.3-0123456 {2}serving +green {2}2026-01-03T00:01:00\.000Z {2}pass \(2 passed, 0 failed\)/);
  expect(renderReleases({ serving: null, rollout: null, releases: [] })).toEqual([
    'nothing serving',
    'no releases yet: `matrix release` builds one from golden.lock.json',
  ]);
});

const figures = { requests: 40, errors: 20, errorRate: 0.5, p50Ms: 3, p95Ms: 9 };
const interval = {
  at: '2026-01-04T00:00:02.000Z',
  phase: 'canary' as const,
  percent: 20,
  decision: 'abort' as const,
  rule: 'guardrail',
  reason: 'green 50.0% failed (20/40)',
  canary: figures,
  baseline: { ...figures, requests: 160, errors: 0, errorRate: 0 },
  front: 0,
  action: 'abort' as const,
  extend: false,
};

it('a rolled-back release shows the rule that decided and the figures it saw', () => {
  const gone = {
    ...release(4, 'retained', 'blue'),
    status: 'rolled-back' as const,
    watch: {
      steps: [20, 100],
      intervals: [interval],
      outcome: {
        result: 'rolled-back' as const,
        by: 'analysis' as const,
        rule: 'guardrail',
        reason: 'green 50.0% failed (20/40)',
        at: interval.at,
        rollbackMs: 80,
      },
    },
  };
  const v = releasesView({ ...state, releases: [...state.releases, gone] }, 'http://127.0.0.1:8080', true);
  expect(v.releases[0]!.watch).toMatchObject({ intervals: 1, outcome: { rule: 'guardrail', by: 'analysis' }, last: { canary: figures } });
  const lines = renderReleases(v);
  expect(lines).toContain('v0.1.4-0123456 rolled back by analysis: guardrail: green 50.0% failed (20/40)');
  expect(lines).toContain('  canary 20%: new 20/40 failed, p95 9 ms; old 0/160 failed, p95 9 ms');
});

it('a rollout in progress is shown with its step and last interval', () => {
  const canary = {
    ...release(4, 'retained', 'blue'),
    status: 'canary' as const,
    watch: { steps: [20, 100], intervals: [{ ...interval, decision: 'pass' as const, rule: 'no-regression', action: 'advance' as const }] },
  };
  const s = {
    ...state,
    releases: [...state.releases, canary],
    rollout: {
      version: canary.version,
      color: 'blue' as const,
      from: 'v0.1.3-0123456',
      fromColor: 'green' as const,
      phase: 'canary' as const,
      percent: 20,
      owner: 4242,
      startedAt: '',
    },
  };
  const lines = renderReleases(releasesView(s, 'http://127.0.0.1:8080', true));
  expect(lines[1]).toBe('rolling out v0.1.4-0123456 from v0.1.3-0123456 (matrix promote, pid 4242): canary at 20%');
  expect(lines[2]).toMatch(/^ {2}last interval: pass \(no-regression\), canary 20%: new 20\/40 failed/);
});
