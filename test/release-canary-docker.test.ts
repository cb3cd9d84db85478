/**
 * The rollout on the Docker backend, as test/release-canary.test.ts does it on the local one: a
 * Docker engine (the DOCKER_HOST the environment gives, or one of the test's own, as in
 * test/release-blue-green.test.ts), Debian's docker-registry and nginx on loopback. A healthy
 * release walks every canary step and the watch with no failed request; `matrix rollback`, a second
 * CLI, during the watch has nginx answering from the old container within a second, no failed
 * request. Short steps, interval and window (matrix.yaml below); the figures are printed at the end.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byRelease, failed, load, promoting as promotingIn } from './helpers/canary-load.js';
import { type Engine, ownEngine } from './helpers/engine.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { stopNginx } from './helpers/nginx.js';
import { CLI, copiedService, tempProject } from './helpers/project.js';
import { freeLoopbackPort, REGISTRY_BIN, type RegistryServer, startRegistry } from './helpers/registry-server.js';

const NGINX = '/usr/sbin/nginx';
const given = process.env.DOCKER_HOST;
const givenAnswers = given ? (await execa('docker', ['info'], { reject: false, env: { DOCKER_HOST: given } })).exitCode === 0 : false;
const haveDockerd = (await execa('dockerd', ['--version'], { reject: false })).exitCode === 0;
const missing = [!givenAnswers && !haveDockerd ? 'dockerd' : '', existsSync(NGINX) ? '' : NGINX, existsSync(REGISTRY_BIN) ? '' : REGISTRY_BIN].filter(Boolean);
if (missing.length && process.env.CI === 'true') throw new Error(`CI=true but ${missing.join(', ')} missing`);
const skip = missing.length ? `skipped: ${missing.join(', ')} not installed` : '';

describe.skipIf(Boolean(skip))(`matrix promote on Docker: canary steps, the watch, rollback${skip ? ` (${skip})` : ''}`, () => {
  let engine: Engine | undefined;
  let host: string;
  let registry: RegistryServer;
  let dir: string;
  let url: string;
  const figures: string[] = [];
  /** Every release this test built: its containers are removed at the end. */
  const made = new Set<string>();

  const env = () => ({ NO_COLOR: '1', DOCKER_HOST: host });
  const matrix = (args: string[]) => execa(process.execPath, [CLI, ...args], { reject: false, all: true, cwd: dir, env: env() });
  const docker = (args: string[]) => execa('docker', args, { reject: false, env: { DOCKER_HOST: host } });
  const git = (args: string[]) => execa('git', ['-c', 'user.email=test@example.org', '-c', 'user.name=test', ...args], { cwd: dir });
  const state = () =>
    JSON.parse(readFileSync(path.join(dir, '.matrix-release', 'releases.json'), 'utf8')) as {
      rollout?: { phase: string };
      releases: { version: string; status: string; watch?: { outcome?: { result?: string; by: string; rule: string; rollbackMs?: number } } }[];
    };
  const releaseOf = (v: string) => state().releases.find((r) => r.version === v)!;
  const servingVersion = () => state().releases.find((r) => r.status === 'serving')?.version;
  const running = async (v: string) => (await docker(['inspect', '--format', '{{.State.Running}}', `matrix-release-${v}`])).stdout.trim();

  /** A new release of the service as it is in the project now (version bumped and committed), built and pushed. */
  let minor = 0;
  const release = async (): Promise<string> => {
    const file = path.join(dir, 'service', 'package.json');
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version: `0.1.${++minor}` }, null, 2)}\n`);
    await git(['commit', '-qam', `service 0.1.${minor}`]);
    const r = await matrix(['release', '--backend', 'docker']);
    expect(r.exitCode, r.all).toBe(0);
    const v = /released (v\S+):/.exec(r.stdout)![1]!;
    made.add(v);
    return v;
  };

  const promoting = (version: string) => promotingIn(version, dir, env());

  beforeAll(async () => {
    if (givenAnswers) host = given!;
    else {
      engine = ownEngine();
      await engine.start();
      host = engine.host;
    }
    registry = await startRegistry();
    const [front, blue, green] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
    url = `http://127.0.0.1:${front}`;
    dir = tempProject(
      SMALL_MATRIX(
        `release:
  registry: ${registry.host}
  listen: 127.0.0.1:${front}
  ports: {blue: ${blue}, green: ${green}}
  keep: 5
  canary: {steps: [50, 100], interval: 2s}
  observe: 6s
  # Small samples for short intervals, and a wide p95 margin: both containers, nginx and the clients
  # share 2 cores here, and this test is about the steps and the switch, not about catching latency.
  analysis: {min-requests: 40, max-extensions: 1000, failing-intervals: 2, p95-margin-ms: 200, rank-effect: 0.9}
`,
        ['20.20.2'],
      ),
      ['cases', 'Dockerfile.template'],
    );
    copiedService(dir);
    writeFileSync(path.join(dir, '.gitignore'), '.matrix-cache/\n.matrix-release/\nreports/\n');
    // The engine may start empty (CI): its base image is built from nothing, as in release-blue-green.
    for (const args of [['base', '--node', '20.20.2'], ['run', '--backend', 'docker', '--out', 'reports'], ['freeze']]) {
      const r = await matrix(args);
      expect(r.exitCode, `${args.join(' ')}\n${r.all}`).toBe(0);
    }
    await git(['init', '-q']);
    await git(['add', '-A']);
    await git(['commit', '-qm', 'frozen']);
    const v1 = await release();
    const p = await matrix(['promote', v1]);
    expect(p.exitCode, p.all).toBe(0);
    // Nothing served before: no canary to compare with, switched at once.
    expect(p.stdout).toMatch(/switched in/);
  }, 600_000);

  afterAll(async () => {
    if (figures.length)
      console.log(['rollout figures (Docker backend, loopback, GET /version and POST /translate through nginx):', ...figures.map((f) => `  ${f}`)].join('\n'));
    if (dir && existsSync(path.join(dir, '.matrix-release', 'nginx', 'nginx.pid'))) stopNginx(path.join(dir, '.matrix-release', 'nginx'));
    if (host && made.size) await docker(['rm', '-f', ...[...made].map((v) => `matrix-release-${v}`)]);
    await registry?.stop();
    await engine?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a healthy release walks every step and the watch with no failed request', async () => {
    const old = servingVersion()!;
    const v = await release();
    const l = load(url, { workers: 4, maxMs: 180_000 });
    const { p, events } = promoting(v);
    const r = await p;
    const a = await l.stop();
    expect(r.exitCode, r.all as string).toBe(0);
    expect(events.filter((e) => e.type === 'step').map((e) => e.percent)).toEqual([50, 100]);
    const intervals = events.filter((e) => e.type === 'interval');
    expect(intervals.filter((e) => e.phase === 'canary' && e.decision === 'pass').map((e) => e.percent)).toEqual([50]);
    expect(intervals.filter((e) => e.phase === 'observe').length).toBeGreaterThanOrEqual(3);
    expect(intervals.every((e) => e.decision === 'pass' || e.decision === 'inconclusive')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', result: 'promoted', exitCode: 0 });
    expect(failed(a), JSON.stringify(failed(a).slice(0, 5))).toEqual([]);
    // Both containers answered through nginx during the canary.
    expect(new Set(a.map((x) => x.release))).toEqual(new Set([old, v]));
    expect(servingVersion()).toBe(v);
    expect(state().rollout).toBeUndefined();
    expect(releaseOf(v).watch?.outcome).toMatchObject({ result: 'promoted' });
    // The window is over: the old container is stopped and kept, the new one serves.
    expect(await running(old)).toBe('false');
    expect(await running(v)).toBe('true');
    const judged = intervals.filter((e) => e.phase === 'canary') as unknown as { canary: { requests: number }; baseline: { requests: number } }[];
    figures.push(
      `healthy canary ${v}: ${a.length} requests through the promote (${JSON.stringify(byRelease(a))}), ${failed(a).length} failed; ` +
        `canary intervals new/old requests ${judged.map((j) => `${j.canary.requests}/${j.baseline.requests}`).join(', ')}; ` +
        `${intervals.length} intervals judged`,
    );
  }, 240_000);

  it('`matrix rollback` during the watch: the old container answers within a second, no failed request', async () => {
    const old = servingVersion()!;
    const v = await release();
    const l = load(url, { workers: 4, maxMs: 180_000 });
    const { p, until } = promoting(v);
    await until('a judged interval of the watch', (e) => e.type === 'interval' && e.phase === 'observe');
    const t0 = performance.now();
    const rb = await matrix(['rollback']);
    const commandMs = Math.round(performance.now() - t0);
    const r = await p;
    await new Promise((res) => setTimeout(res, 300));
    const a = await l.stop();
    expect(rb.exitCode, rb.all).toBe(0);
    expect(rb.stdout).toMatch(new RegExp(`rolled back ${v} \\(\\w+\\) by rollback: matrix rollback: `));
    expect(r.exitCode, r.all as string).toBe(1);
    expect(r.all as string).toMatch(new RegExp(`rolled back ${v} \\(\\w+\\) by rollback`));
    expect(failed(a), JSON.stringify(failed(a).slice(0, 5))).toEqual([]);
    expect(servingVersion()).toBe(old);
    expect(state().rollout).toBeUndefined();
    const outcome = releaseOf(v).watch!.outcome!;
    expect(outcome).toMatchObject({ by: 'rollback', rule: 'matrix rollback' });
    expect(outcome.rollbackMs!).toBeLessThan(1000);
    expect(await running(old)).toBe('true');
    expect(await running(v)).toBe('false');
    // From typing the command to the first answer from the old release, and the last from the new one.
    const firstOld = a.find((x) => x.t >= t0 && x.release === old)!.t;
    const lastNew = a.filter((x) => x.release === v).at(-1)!.t;
    figures.push(
      `matrix rollback during the watch of ${v}: ${outcome.rollbackMs} ms from the decision to nginx answering from ${old} ` +
        `${/\(lock and state [^)]*\)/.exec(rb.stderr)?.[0] ?? ''}; command ${commandMs} ms; ` +
        `first answer from ${old} ${Math.round(firstOld - t0)} ms after typing it, last request sent to ${v} at +${Math.round(lastNew - t0)} ms; ` +
        `${a.length} requests, ${failed(a).length} failed`,
    );
  }, 240_000);
});
