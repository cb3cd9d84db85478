/**
 * The Docker backend on Podman's Docker-compatible API, for real: a `podman system service` of
 * the test's own with an empty store, the base images built by `matrix base`, one shard of the
 * default matrix run on it, and a service that aborts judged `crash` with SIGABRT (the init
 * process Podman puts in as PID 1). Nothing may be named after, or fetched from, Docker Hub.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { crashingService, SMALL_MATRIX } from './helpers/fixtures.js';
import { podmanOrSkip, startPodman, type PodmanService } from './helpers/podman.js';
import { matrix, ROOT, tempProject } from './helpers/project.js';

const podman = await podmanOrSkip();
const report = (dir: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;
const DEFAULT_MATRIX = () => readFileSync(path.join(ROOT, 'matrix.yaml'), 'utf8');

describe.skipIf(!podman.ok)(`matrix on Podman${podman.ok ? '' : ` (skipped: ${podman.reason})`}`, () => {
  let service: PodmanService | undefined;
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    service = await startPodman();
    env = { DOCKER_HOST: service.host, MATRIX_PULL: 'never' };
    dir = tempProject(DEFAULT_MATRIX());
  });
  afterAll(async () => {
    await service?.remove();
  });

  it('builds the base images as localhost/… on an empty store', async () => {
    const r = await matrix(['base', '--node', '20.20.2', '--node', '24.22.3'], { cwd: dir, env });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/^localhost\/matrix-base:node20\.20\.2 /m);
    expect(r.stdout).toMatch(/^localhost\/matrix-base:node24\.22\.3 /m);
    const images = (await service!.podman(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').sort();
    expect(images).toEqual(['localhost/matrix-base:node20.20.2', 'localhost/matrix-base:node24.22.3', 'localhost/matrix-debian:bookworm']);
  });

  it('runs shard 1/4 of the default matrix: every planned cell passes, /version as planned', async () => {
    const t0 = Date.now();
    const r = await matrix(['run', '--backend', 'docker', '--shard', '1/4', '--out', 'reports'], { cwd: dir, env });
    console.log(`podman shard 1/4: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.all).toMatch(/backend: docker — Podman \d+\.\d+\.\d+ answered at unix:\/\//);
    expect(r.exitCode, r.all).toBe(0);
    const run = report(dir);
    expect(run.backend).toBe('docker');
    expect(run.dockerEngine).toMatch(/^Podman \d+\.\d+\.\d+$/);
    const planned = run.cells.filter((c) => c.verdict !== 'skipped');
    expect(planned.length).toBeGreaterThan(0);
    for (const c of planned) {
      expect(c.verdict, `${c.cell.name}: ${c.reason}\n${c.logTail}`).toBe('pass');
      expect(c.actual).toEqual(c.expected);
      expect(c.image?.tag).toMatch(/^localhost\/matrix-cell:/);
      expect(c.memory?.peakRssMb).toBeGreaterThan(0);
    }
    expect(r.stdout).toMatch(new RegExp(`${run.cells.length} cells: ${planned.length} passed, 0 failed`));
    expect(await service!.podman(['ps', '-aq'])).toBe('');
    // Every image the run made is local: none was named after Docker Hub, none came from a registry.
    const repos = (await service!.podman(['images', '--format', '{{.Repository}}'])).split('\n');
    expect(repos.filter((n) => !n.startsWith('localhost/'))).toEqual([]);
  });

  it('judges a service that aborts as a crash with SIGABRT', async () => {
    const crashDir = tempProject(SMALL_MATRIX('', ['20.20.2']), ['cases', 'Dockerfile.template']);
    crashingService(crashDir);
    const r = await matrix(['run', '--backend', 'docker', '--out', 'reports'], { cwd: crashDir, env });
    expect(r.exitCode, r.all).toBe(1);
    const result = report(crashDir).cells[0]!;
    expect(result.verdict, result.reason).toBe('crash');
    expect(result.reason).toMatch(/SIGABRT/);
    expect(await service!.podman(['ps', '-aq'])).toBe('');
  });
});
