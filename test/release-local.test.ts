/**
 * Releases without Docker (`--backend local`): a temp git work tree is run and frozen on the local
 * backend; releases are built from that lock as directories, promoted blue-green as processes
 * behind Debian's nginx (our own process) under a bounded request loop, a broken release refused
 * on the way, rolled back, and the refused one pruned. Zero failed requests; at the end no service
 * process of the temp dir is left and nginx is stopped.
 */
import { existsSync, lstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backwardsService, SMALL_MATRIX } from './helpers/fixtures.js';
import { loadSteps, stopNginx } from './helpers/nginx.js';
import { CLI, copiedService, processesOf, tempProject } from './helpers/project.js';
import { freeLoopbackPort } from './helpers/registry-server.js';

const NGINX = '/usr/sbin/nginx';
if (!existsSync(NGINX) && process.env.CI === 'true') throw new Error(`CI=true but ${NGINX} missing`);
const skip = existsSync(NGINX) ? '' : `skipped: ${NGINX} not installed`;

interface ReleasesJson {
  serving: { version: string; digest: string; url: string } | null;
  releases: { version: string; digest: string; color: string | null; promotedAt: string | null; status: string; backend: string }[];
}

const until = async (what: string, ok: () => boolean, ms = 20_000) => {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(Boolean(skip))(`matrix release --backend local / promote / rollback${skip ? ` (${skip})` : ''}`, () => {
  let dir: string;
  let listen: string;
  const versions: string[] = [];
  const passed = new Set<string>();

  const matrix = (args: string[]) => execa(process.execPath, [CLI, ...args], { reject: false, all: true, cwd: dir, env: { NO_COLOR: '1' } });
  const git = (args: string[]) => execa('git', ['-c', 'user.email=test@example.org', '-c', 'user.name=test', ...args], { cwd: dir });
  const setVersion = async (version: string) => {
    const file = path.join(dir, 'service', 'package.json');
    writeFileSync(file, `${JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version }, null, 2)}\n`);
    await git(['commit', '-qam', `service ${version}`]);
  };
  const release = async (): Promise<{ version: string; stdout: string }> => {
    const r = await matrix(['release', '--backend', 'local']);
    expect(r.exitCode, r.all).toBe(0);
    const version = /released (v\S+):/.exec(r.stdout)![1]!;
    versions.push(version);
    return { version, stdout: r.stdout };
  };
  const releases = async (): Promise<ReleasesJson> => JSON.parse((await matrix(['releases', '--json'])).stdout) as ReleasesJson;
  const statePids = () => {
    const state = JSON.parse(readFileSync(path.join(dir, '.matrix-release', 'releases.json'), 'utf8')) as { releases: { pid?: number }[] };
    return state.releases.flatMap((r) => (r.pid ? [r.pid] : [])).sort();
  };
  /** A command under the request loop: its result, and the loop's figures. */
  const { underLoad, print } = loadSteps({ url: () => `http://${listen}`, run: (args) => matrix(args), passed, workers: 2, maxRequests: 20_000 });

  beforeAll(async () => {
    const [front, blue, green] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
    listen = `127.0.0.1:${front}`;
    dir = tempProject(
      SMALL_MATRIX(
        `release:
  listen: ${listen}
  ports: {blue: ${blue}, green: ${green}}
  keep: 3
  # Blue-green at once: the canary steps and the watch are test/release-canary.test.ts's.
  canary: {steps: [100]}
  observe: 0s
`,
        ['20.20.2'],
      ),
      ['cases'],
    );
    copiedService(dir);
    writeFileSync(path.join(dir, '.gitignore'), '.matrix-cache/\n.matrix-release/\nreports/\n');
    for (const args of [['run', '--backend', 'local', '--out', 'reports'], ['freeze']]) {
      const r = await matrix(args);
      expect(r.exitCode, `${args.join(' ')}\n${r.all}`).toBe(0);
    }
    await git(['init', '-q']);
    await git(['add', '-A']);
    await git(['commit', '-qm', 'frozen']);
  });

  afterAll(() => {
    print('zero-downtime figures, local backend');
    if (!dir) return;
    // Only after a failed test is anything left: nothing may outlive the run.
    for (const pid of processesOf(dir)) process.kill(pid, 'SIGKILL');
    const prefix = path.join(dir, '.matrix-release', 'nginx');
    if (existsSync(path.join(prefix, 'nginx.pid'))) stopNginx(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a release directory from the lock, says nothing was pushed, and promotes it as blue', async () => {
    const { version: v1, stdout } = await release();
    expect(v1).toMatch(/^v0\.1\.0-[0-9a-f]{7}$/);
    expect(stdout).toMatch(new RegExp(`directory \\.matrix-release/local/${v1}, built in [\\d.]+ s, not pushed \\(local backend: no registry\\)`));
    const state = await releases();
    expect(state.releases).toMatchObject([{ version: v1, status: 'built', backend: 'local' }]);
    expect(state.releases[0]!.digest).toMatch(/^local:sha256:[0-9a-f]{64}$/);
    const rdir = path.join(dir, '.matrix-release', 'local', v1);
    const manifest = JSON.parse(readFileSync(path.join(rdir, 'release.json'), 'utf8')) as { digest: string; labels: Record<string, string> };
    expect(manifest.digest).toBe(state.releases[0]!.digest);
    const lockSha = (await execa('sha256sum', [path.join(dir, 'golden.lock.json')])).stdout.split(' ')[0];
    expect(manifest.labels).toMatchObject({
      'org.opencontainers.image.version': '0.1.0',
      'org.opencontainers.image.revision': (await git(['rev-parse', 'HEAD'])).stdout,
      'io.matrix.release': v1,
      'io.matrix.axis.node': '20.20.2',
      'io.matrix.axis.onnxruntime-node': '1.14.0',
      'io.matrix.axis.tokenizer': '@huggingface/tokenizers@0.2.0',
      'io.matrix.axis.model': 'fp32',
      'io.matrix.lock.sha256': lockSha,
    });
    expect(manifest.labels['io.matrix.model.sha256']).toMatch(/^[0-9a-f]{64}$/);
    // Copied, not linked: the directory does not change when the model folder does.
    expect(lstatSync(path.join(rdir, 'model')).isSymbolicLink()).toBe(false);
    expect(lstatSync(path.join(rdir, 'dist')).isSymbolicLink()).toBe(false);
    const installed = JSON.parse(readFileSync(path.join(rdir, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe('1.14.0');

    const p = await matrix(['promote', v1]);
    expect(p.exitCode, p.all).toBe(0);
    expect(p.stdout).toMatch(new RegExp(`promoted ${v1} \\(blue\\): pass`));
    passed.add(v1);
    const res = await fetch(`http://${listen}/version`);
    expect(((await res.json()) as { service: string }).service).toBe('0.1.0');
    expect(res.headers.get('x-matrix-release')).toBe(v1);
    // The process outlived `promote`, and the state knows it: the only one of the temp dir.
    expect(processesOf(dir)).toEqual(statePids());
    expect(statePids()).toHaveLength(1);
  });

  it('promotes a second release to green with no failed request; the blue process is stopped', async () => {
    await setVersion('0.1.1');
    const { version: v2 } = await release();
    passed.add(v2);
    const { r, f } = await underLoad('promote 0.1.1', ['promote', v2]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/\(green\): pass/);
    expect(r.stdout).toMatch(new RegExp(`${versions[0]} \\(blue\\) stopped, its directory kept`));
    expect(f.answers.get(v2)?.count).toBeGreaterThan(0);
    expect(processesOf(dir)).toEqual(statePids());
    expect(statePids()).toHaveLength(1);
    expect(existsSync(path.join(dir, '.matrix-release', 'local', versions[0]!))).toBe(true);
  });

  it('refuses a release that fails its checks; the old color keeps serving and its process is stopped', async () => {
    // A broken service copy: it answers /health and /version as it should, but translates backwards.
    const realService = backwardsService(dir);
    await git(['add', '-A']);
    await setVersion('0.1.2');
    const { version: bad } = await release();
    const before = (await releases()).serving;
    const { r, f } = await underLoad('refused promote 0.1.2', ['promote', bad]);
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`refused ${bad} \\(blue\\): fail: case:`));
    expect(r.stdout).toMatch(/keeps serving; the log tail of/);
    expect([...f.answers.keys()]).toEqual([before!.version]);
    const after = await releases();
    expect(after.serving).toEqual(before);
    expect(after.releases.find((x) => x.version === bad)?.status).toBe('failed');
    expect(processesOf(dir)).toEqual(statePids());
    expect(statePids()).toHaveLength(1);
    realService();
    await git(['add', '-A']);
    await git(['commit', '-qm', 'service: the real dist again']);
  });

  it('rolls back to the first release with no failed request, and prunes the refused one', async () => {
    const [v1, v2, bad] = versions as [string, string, string];
    const { r, commandMs } = await underLoad('rollback', ['rollback']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`rolled back to ${v1} \\(blue\\)`));
    expect(r.stdout).toMatch(new RegExp(`pruned ${bad}`));
    expect(commandMs).toBeLessThan(30_000);
    const state = await releases();
    expect(state.serving).toEqual({ version: v1, digest: expect.stringMatching(/^local:sha256:/), url: `http://${listen}` });
    expect(state.releases.map((x) => [x.version, x.status, x.color, x.backend])).toEqual([
      [v2, 'retained', 'green', 'local'],
      [v1, 'serving', 'blue', 'local'],
    ]);
    expect(existsSync(path.join(dir, '.matrix-release', 'local', bad))).toBe(false);
    expect(existsSync(path.join(dir, '.matrix-release', 'local', v2))).toBe(true);
    expect(processesOf(dir)).toEqual(statePids());
  });

  it('shows a color whose process is gone as stopped, and leaves no process behind', async () => {
    const [pid] = statePids();
    process.kill(pid!, 'SIGTERM');
    await until('the serving process exits', () => processesOf(dir).length === 0);
    const state = await releases();
    expect(state.serving).toBeNull();
    expect(state.releases.find((x) => x.version === versions[0])?.status).toBe('stopped');
    const prefix = path.join(dir, '.matrix-release', 'nginx');
    const nginxPid = Number(readFileSync(path.join(prefix, 'nginx.pid'), 'utf8').trim());
    stopNginx(prefix);
    await until('nginx exits', () => !existsSync(`/proc/${nginxPid}`));
    expect(processesOf(dir)).toEqual([]);
  });
});
