/**
 * From golden lock to serving, for real: a Docker engine of the test's own (or the DOCKER_HOST
 * the environment gives), Debian's docker-registry on 127.0.0.1 and Debian's nginx as our own
 * process. One cell is run and frozen; releases are built from that lock, pushed, promoted
 * blue-green under a bounded request loop (a broken release refused on the way), pruned to the
 * last 3, and rolled back. Zero failed requests, every answer from a release that passed.
 */
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownEngine, type Engine } from './helpers/engine.js';
import { backwardsService, SMALL_MATRIX } from './helpers/fixtures.js';
import { loadSteps, stopNginx } from './helpers/nginx.js';
import { CLI, copiedService, tempProject } from './helpers/project.js';
import { freeLoopbackPort, REGISTRY_BIN, startRegistry, type RegistryServer } from './helpers/registry-server.js';

const NGINX = '/usr/sbin/nginx';
const given = process.env.DOCKER_HOST;
const givenAnswers = given ? (await execa('docker', ['info'], { reject: false, env: { DOCKER_HOST: given } })).exitCode === 0 : false;
const haveDockerd = (await execa('dockerd', ['--version'], { reject: false })).exitCode === 0;
const missing = [!givenAnswers && !haveDockerd ? 'dockerd' : '', existsSync(NGINX) ? '' : NGINX, existsSync(REGISTRY_BIN) ? '' : REGISTRY_BIN].filter(Boolean);
if (missing.length && process.env.CI === 'true') throw new Error(`CI=true but ${missing.join(', ')} missing`);
const skip = missing.length ? `skipped: ${missing.join(', ')} not installed` : '';

interface ReleasesJson {
  serving: { version: string; digest: string; url: string } | null;
  releases: { version: string; digest: string; color: string | null; promotedAt: string | null; status: string }[];
}

describe.skipIf(Boolean(skip))(`matrix release / promote / rollback${skip ? ` (${skip})` : ''}`, () => {
  let engine: Engine | undefined;
  let host: string;
  let registry: RegistryServer;
  let dir: string;
  let listen: string;
  const passed = new Set<string>();
  /** Every release this test built: its containers are removed at the end. */
  const made = new Set<string>();

  const matrix = (args: string[]) => execa(process.execPath, [CLI, ...args], { reject: false, all: true, cwd: dir, env: { NO_COLOR: '1', DOCKER_HOST: host } });
  const git = (args: string[]) => execa('git', ['-c', 'user.email=test@example.org', '-c', 'user.name=test', ...args], { cwd: dir });
  const setVersion = async (version: string) => {
    const file = path.join(dir, 'service', 'package.json');
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version }, null, 2)}\n`);
    await git(['commit', '-qam', `service ${version}`]);
  };
  const release = async (): Promise<string> => {
    const r = await matrix(['release']);
    expect(r.exitCode, r.all).toBe(0);
    const version = /released (v\S+):/.exec(r.stdout)![1]!;
    made.add(version);
    return version;
  };
  const releases = async (): Promise<ReleasesJson> => JSON.parse((await matrix(['releases', '--json'])).stdout) as ReleasesJson;
  /** A command under the request loop: its result, and the loop's figures. */
  /** A command under the request loop: its result, and the loop's figures. */
  const { underLoad, print } = loadSteps({ url: () => `http://${listen}`, run: (args) => matrix(args), passed, workers: 4, maxRequests: 50_000 });

  beforeAll(async () => {
    if (givenAnswers) host = given!;
    else {
      engine = ownEngine();
      await engine.start();
      host = engine.host;
    }
    registry = await startRegistry();
    const [front, blue, green] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
    listen = `127.0.0.1:${front}`;
    dir = tempProject(
      SMALL_MATRIX(
        `release:
  registry: ${registry.host}
  listen: ${listen}
  ports: {blue: ${blue}, green: ${green}}
  keep: 3
  # Blue-green at once: the canary steps and the watch are test/release-canary.test.ts's.
  canary: {steps: [100]}
  observe: 0s
`,
        ['20.20.2'],
      ),
      ['cases', 'Dockerfile.template'],
    );
    // freeze pins service/: a copy here, its built code linked in.
    copiedService(dir);
    writeFileSync(path.join(dir, '.gitignore'), '.matrix-cache/\n.matrix-release/\nreports/\n');
    // The engine may start empty: its base image is built from nothing, as on a new machine.
    for (const args of [['base', '--node', '20.20.2'], ['run', '--backend', 'docker', '--out', 'reports'], ['freeze']]) {
      const r = await matrix(args);
      expect(r.exitCode, `${args.join(' ')}\n${r.all}`).toBe(0);
    }
    await git(['init', '-q']);
    await git(['add', '-A']);
    await git(['commit', '-qm', 'frozen']);
  });

  afterAll(async () => {
    print('zero-downtime figures');
    if (dir && existsSync(path.join(dir, '.matrix-release', 'nginx', 'nginx.pid'))) stopNginx(path.join(dir, '.matrix-release', 'nginx'));
    if (host && made.size) await execa('docker', ['rm', '-f', ...[...made].map((v) => `matrix-release-${v}`)], { env: { DOCKER_HOST: host }, reject: false });
    await registry?.stop();
    await engine?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('never releases a lock that `matrix verify` rejects', async () => {
    const file = path.join(dir, 'service', 'package.json');
    const good = readFileSync(file, 'utf8');
    const pkg = JSON.parse(good) as { dependencies: Record<string, string> };
    writeFileSync(file, `${JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, express: '5.0.0' } }, null, 2)}\n`);
    const r = await matrix(['release']);
    writeFileSync(file, good);
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toMatch(/service\/package\.json: dependencies\.express: version \S+ \(golden\) ≠ 5\.0\.0 \(found\)/);
    expect(r.stdout).toMatch(/not released: 1 difference from golden\.lock\.json/);
    expect((await releases()).releases).toEqual([]);
  });

  it('builds the image from the lock, pushes it and promotes it as blue', async () => {
    const v1 = await release();
    expect(v1).toMatch(/^v0\.1\.0-[0-9a-f]{7}$/);
    const state = await releases();
    expect(state.releases[0]!.digest).toMatch(new RegExp(`^${registry.host.replace(/\./g, '\\.')}/matrix-service@sha256:[0-9a-f]{64}$`));
    // The registry holds the pushed manifest under that digest.
    const digest = state.releases[0]!.digest.split('@')[1]!;
    const manifest = await fetch(`http://${registry.host}/v2/matrix-service/manifests/${digest}`, {
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(manifest.status).toBe(200);
    const labels = JSON.parse(
      (await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', state.releases[0]!.digest], { env: { DOCKER_HOST: host } })).stdout,
    ) as Record<string, string>;
    const lockSha = (await execa('sha256sum', [path.join(dir, 'golden.lock.json')])).stdout.split(' ')[0];
    expect(labels).toMatchObject({
      'org.opencontainers.image.version': '0.1.0',
      'io.matrix.release': v1,
      'io.matrix.axis.node': '20.20.2',
      'io.matrix.axis.onnxruntime-node': '1.14.0',
      'io.matrix.axis.tokenizer': '@huggingface/tokenizers@0.2.0',
      'io.matrix.axis.model': 'fp32',
      'io.matrix.lock.sha256': lockSha,
    });
    expect(labels['org.opencontainers.image.revision']).toBe((await git(['rev-parse', 'HEAD'])).stdout);
    expect(labels['io.matrix.model.sha256']).toMatch(/^[0-9a-f]{64}$/);
    const p = await matrix(['promote', v1]);
    expect(p.exitCode, p.all).toBe(0);
    expect(p.stdout).toMatch(new RegExp(`promoted ${v1} \\(blue\\): pass`));
    passed.add(v1);
    const version = (await (await fetch(`http://${listen}/version`)).json()) as { service: string };
    expect(version.service).toBe('0.1.0');
  });

  it('promotes a second release to green with no failed request', async () => {
    await setVersion('0.1.1');
    const v2 = await release();
    passed.add(v2);
    const { r, f } = await underLoad('promote 0.1.1', ['promote', v2]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/\(green\): pass/);
    expect(f.answers.get(v2)?.count).toBeGreaterThan(0);
  });

  it('refuses a release that fails its checks; the old color keeps serving', async () => {
    // A broken service copy: it answers /health and /version as it should, but translates backwards.
    const realService = backwardsService(dir);
    await git(['add', '-A']);
    await setVersion('0.1.2');
    const bad = await release();
    const before = (await releases()).serving;
    const { r, f } = await underLoad('refused promote 0.1.2', ['promote', bad]);
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`refused ${bad} \\(blue\\): fail: case:`));
    expect(r.stdout).toMatch(/keeps serving; the log tail of/);
    expect(r.stdout).toMatch(/\| .*"listening"/);
    expect([...f.answers.keys()]).toEqual([before!.version]);
    const after = await releases();
    expect(after.serving).toEqual(before);
    expect(after.releases.find((x) => x.version === bad)?.status).toBe('failed');
    realService();
    await git(['add', '-A']);
    await git(['commit', '-qm', 'service: the real dist again']);
  });

  it('after four promotes keeps the last three releases, the serving one among them', async () => {
    for (const v of ['0.1.3', '0.1.4']) {
      await setVersion(v);
      const tag = await release();
      passed.add(tag);
      const { r } = await underLoad(`promote ${v}`, ['promote', tag]);
      expect(r.exitCode, r.all).toBe(0);
    }
    const state = await releases();
    expect(state.serving?.version).toMatch(/^v0\.1\.4-/);
    expect(state.serving?.url).toBe(`http://${listen}`);
    expect(state.releases.map((x) => [x.version.slice(0, 6), x.status, x.color])).toEqual([
      ['v0.1.4', 'serving', 'green'],
      ['v0.1.3', 'retained', 'blue'],
      ['v0.1.1', 'retained', 'green'],
    ]);
    // The pruned ones are gone as images and containers; the kept ones are stopped containers.
    const images = (await execa('docker', ['images', '--format', '{{.Tag}}', `${registry.host}/matrix-service`], { env: { DOCKER_HOST: host } })).stdout
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(images.map((t) => t.slice(0, 6))).toEqual(['v0.1.1', 'v0.1.3', 'v0.1.4']);
    const containers = (
      await execa('docker', ['ps', '-a', '--filter', 'label=io.matrix.release', '--format', '{{.Label "io.matrix.release"}} {{.State}}'], {
        env: { DOCKER_HOST: host },
      })
    ).stdout
      .split('\n')
      .filter(Boolean)
      .sort();
    const ours = containers.filter((c) => state.releases.some((x) => c.startsWith(`${x.version} `)) || [...passed].some((v) => c.startsWith(`${v} `)));
    expect(ours.map((c) => c.replace(/-[0-9a-f]{7}/, ''))).toEqual(['v0.1.1 exited', 'v0.1.3 exited', 'v0.1.4 running']);
    const table = await matrix(['releases']);
    expect(table.stdout).toMatch(/^serving v0\.1\.4-\S+ at http:\/\/127\.0\.0\.1:\d+ \(/);
  });

  it('rolls back to the previous release within seconds, with no failed request', async () => {
    const { r, commandMs } = await underLoad('rollback', ['rollback']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/rolled back to v0\.1\.3-\S+ \(blue\)/);
    expect(commandMs).toBeLessThan(15_000);
    expect((await releases()).serving?.version).toMatch(/^v0\.1\.3-/);
  });
});
