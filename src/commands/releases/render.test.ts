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
  expect(Object.keys(v.releases[0]!)).toEqual(['version', 'digest', 'color', 'promotedAt', 'status', 'verdict', 'checks', 'backend']);
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
  expect(renderReleases({ serving: null, releases: [] })).toEqual(['nothing serving', 'no releases yet: `matrix release` builds one from golden.lock.json']);
});
