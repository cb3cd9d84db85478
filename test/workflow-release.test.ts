/**
 * A local rehearsal of .github/workflows/release.yml: its own `run:` steps, read from the file and
 * run with bash as a runner would, each job in its own clean clone of a repository at a tag. The
 * job's `registry` service container is Debian's docker-registry on loopback (release.registry
 * names it), and the "real" registry the image is pushed to is a second one (RELEASE_IMAGE).
 * A tag that is not the service version stops at the first check; a commit whose service differs
 * from golden.lock.json fails verify, and the image job (which needs verify) would refuse it too:
 * nothing reaches either registry. A good tag pushes an image whose labels carry the tag's version
 * and the commit.
 */
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownEngine, type Engine } from './helpers/engine.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { CLI, ROOT } from './helpers/project.js';
import { REGISTRY_BIN, startRegistry, type RegistryServer } from './helpers/registry-server.js';
import { tempDir } from './helpers/temp.js';

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  services?: Record<string, unknown>;
  steps: Step[];
}
const workflow = parse(readFileSync(path.join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as {
  on: { push: { tags: string[] } };
  jobs: Record<string, Job>;
};
/** A job's `run:` steps, but `npm ci`: the clones share this checkout's install (linked), which npm ci would delete. */
const runSteps = (job: string) => workflow.jobs[job]!.steps.filter((s) => s.run && !/^npm ci\b/.test(s.run));

const given = process.env.DOCKER_HOST;
const givenAnswers = given ? (await execa('docker', ['info'], { reject: false, env: { DOCKER_HOST: given } })).exitCode === 0 : false;
const haveDockerd = (await execa('dockerd', ['--version'], { reject: false })).exitCode === 0;
const missing = [!givenAnswers && !haveDockerd ? 'dockerd' : '', existsSync(REGISTRY_BIN) ? '' : REGISTRY_BIN].filter(Boolean);
if (missing.length && process.env.CI === 'true') throw new Error(`CI=true but ${missing.join(', ')} missing`);
const skip = missing.length ? `skipped: ${missing.join(', ')} not installed` : '';

const SERVICE_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'service', 'package.json'), 'utf8')) as { version: string }).version;
const TAG = `v${SERVICE_VERSION}`;
const work = tempDir('release-rehearsal-');
const git = (cwd: string, args: string[]) => execa('git', ['-c', 'user.email=test@example.org', '-c', 'user.name=test', ...args], { cwd });

/** A clone of `from` (at `ref`), with this checkout's built code and npm's install linked in, as `npm ci` leaves a runner. */
async function clone(from: string, name: string, ref?: string): Promise<string> {
  const dir = path.join(work, name);
  await execa('git', ['clone', '--quiet', from, dir]);
  if (ref) await git(dir, ['checkout', '--quiet', ref]);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  // On a runner node_modules is a folder that .gitignore's `node_modules/` matches; a symlink is not.
  appendFileSync(path.join(dir, '.git', 'info', 'exclude'), 'node_modules\n');
  for (const built of ['dist', path.join('service', 'dist')]) cpSync(path.join(ROOT, built), path.join(dir, built), { recursive: true });
  return dir;
}

interface JobResult {
  /** The step that failed (the runner stops there), or undefined when every step passed. */
  failed?: string;
  code: number;
  output: string;
}

describe.skipIf(Boolean(skip))(`the release workflow, rehearsed in clean clones${skip ? ` (${skip})` : ''}`, () => {
  let engine: Engine | undefined;
  let host: string;
  /** The job's `registry` service container: release.registry of matrix.yaml. */
  let loopback: RegistryServer;
  /** The registry the workflow pushes to (vars.RELEASE_IMAGE). */
  let target: RegistryServer;
  let origin: string;
  let commit: string;

  /** One job's `run:` steps in order, with bash, as the runner runs them: stops at the first that fails. */
  async function job(name: string, dir: string, env: Record<string, string>): Promise<JobResult> {
    let output = '';
    for (const s of runSteps(name)) {
      const r = await execa('bash', ['-e', '-o', 'pipefail', '-c', s.run!], {
        cwd: dir,
        reject: false,
        all: true,
        env: {
          ...s.env,
          CI: 'true',
          NO_COLOR: '1',
          DOCKER_HOST: host,
          MATRIX_PULL: 'never',
          RELEASE_IMAGE: `${target.host}/matrix-service`,
          GITHUB_REPOSITORY: 'acme/matrix',
          ...env,
        },
      });
      output += `$ ${s.name ?? s.run}\n${r.all}\n`;
      if (r.exitCode !== 0) return { failed: s.name ?? s.run, code: r.exitCode ?? -1, output };
    }
    return { code: 0, output };
  }
  const tags = async (registry: RegistryServer) => {
    const r = await fetch(`http://${registry.host}/v2/matrix-service/tags/list`);
    return r.status === 404 ? [] : (((await r.json()) as { tags: string[] | null }).tags ?? []).sort();
  };
  const catalog = async (registry: RegistryServer) =>
    ((await (await fetch(`http://${registry.host}/v2/_catalog`)).json()) as { repositories: string[] }).repositories;

  beforeAll(async () => {
    if (givenAnswers) host = given!;
    else {
      engine = ownEngine();
      await engine.start();
      host = engine.host;
    }
    [loopback, target] = [await startRegistry(), await startRegistry()];
    // The repository GitHub would hold: this one, its matrix made small, run and frozen, committed and tagged.
    origin = await clone(ROOT, 'origin');
    writeFileSync(path.join(origin, 'matrix.yaml'), SMALL_MATRIX(`release:\n  registry: ${loopback.host}\n`, ['20.20.2']));
    const env = { NO_COLOR: '1', DOCKER_HOST: host, MATRIX_PULL: 'never' };
    for (const args of [['base', '--node', '20.20.2'], ['run', '--backend', 'docker', '--out', 'reports'], ['freeze']]) {
      const r = await execa(process.execPath, [CLI, ...args], { cwd: origin, reject: false, all: true, env });
      expect(r.exitCode, `${args.join(' ')}\n${r.all}`).toBe(0);
    }
    await git(origin, ['add', '-A']);
    await git(origin, ['commit', '-qm', 'frozen']);
    await git(origin, ['tag', TAG]);
    commit = (await git(origin, ['rev-parse', 'HEAD'])).stdout.trim();
  }, 900_000);

  afterAll(async () => {
    // Every tag named after this test's registries (the release, its deps, layer and prelude images): their ports are this run's own.
    if (host && loopback && target) {
      const listed = await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { env: { DOCKER_HOST: host }, reject: false });
      const ours = listed.stdout.split('\n').filter((t) => t.startsWith(`${loopback.host}/`) || t.startsWith(`${target.host}/`));
      if (ours.length) await execa('docker', ['rmi', ...ours], { env: { DOCKER_HOST: host }, reject: false });
    }
    await loopback?.stop();
    await target?.stop();
    await engine?.remove();
  });

  it('runs on v* tags; only the image job may write packages, and only after verify', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.jobs.image!.needs).toBe('verify');
    expect(workflow.jobs.verify!.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.image!.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(Object.keys(workflow.jobs.image!.services ?? {})).toEqual(['registry']);
  });

  it('refuses a tag that is not the service version, in one line', async () => {
    await git(origin, ['tag', 'v9.9.9']);
    const dir = await clone(origin, 'wrong-tag', 'v9.9.9');
    const r = await job('verify', dir, { TAG: 'v9.9.9', GITHUB_SHA: commit });
    expect(r.failed, r.output).toBe('the tag is the service version');
    expect(r.output).toContain(`::error::tag v9.9.9 does not match service/package.json version: expected tag ${TAG}`);
  });

  it('a failed verify pushes nothing: verify fails, and the image job would refuse the lock too', async () => {
    const bad = await clone(origin, 'bad-origin');
    const file = path.join(bad, 'service', 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { dependencies: Record<string, string> };
    writeFileSync(file, `${JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, express: '5.0.0' } }, null, 2)}\n`);
    await git(bad, ['commit', '-qam', 'express 5.0.0, not frozen']);
    await git(bad, ['tag', '-f', TAG]);
    const badCommit = (await git(bad, ['rev-parse', 'HEAD'])).stdout.trim();
    const dir = await clone(bad, 'bad', TAG);
    const env = { TAG, GITHUB_SHA: badCommit };

    const verify = await job('verify', dir, env);
    expect(verify.failed, verify.output).toBe('service matches golden.lock.json');
    expect(verify.code).toBe(1);
    expect(verify.output).toMatch(/dependencies\.express: version \S+ \(golden\) ≠ 5\.0\.0 \(found\)/);
    // GitHub does not start `image` (needs: verify); its steps, run anyway, refuse the lock as well.
    const image = await job('image', dir, env);
    expect(image.failed, image.output).toBe('build the release image from golden.lock.json');
    expect(image.output).toMatch(/not released: 1 difference from golden\.lock\.json/);
    expect(await catalog(loopback)).toEqual([]);
    expect(await catalog(target)).toEqual([]);
  });

  it("a good tag: verify passes, the image is pushed with the tag's version and the commit in its tags and labels", async () => {
    const dir = await clone(origin, 'good', TAG);
    const env = { TAG, GITHUB_SHA: commit };
    const verify = await job('verify', dir, env);
    expect(verify.failed, verify.output).toBeUndefined();
    const image = await job('image', dir, env);
    const version = `${TAG}-${commit.slice(0, 7)}`;
    expect(image.failed, image.output).toBeUndefined();
    expect(image.output).toContain(`pushed ${target.host}/matrix-service:${version} and ${target.host}/matrix-service:${TAG}`);

    expect(await tags(target)).toEqual([TAG, version].sort());
    // What the registry holds, read from it (not from the engine): the manifest, then its config's labels.
    const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';
    const manifest = async (ref: string) => {
      const r = await fetch(`http://${target.host}/v2/matrix-service/manifests/${ref}`, { headers: { accept } });
      expect(r.status).toBe(200);
      return { digest: r.headers.get('docker-content-digest'), body: (await r.json()) as { config: { digest: string } } };
    };
    const [byVersion, byTag] = [await manifest(version), await manifest(TAG)];
    expect(byTag.digest).toBe(byVersion.digest);
    const config = (await (await fetch(`http://${target.host}/v2/matrix-service/blobs/${byVersion.body.config.digest}`)).json()) as {
      config: { Labels: Record<string, string> };
    };
    const labels = config.config.Labels;
    expect(labels['org.opencontainers.image.version']).toBe(SERVICE_VERSION);
    expect(labels['org.opencontainers.image.revision']).toBe(commit);
    expect(labels['io.matrix.release']).toBe(version);
    console.log(
      `release rehearsal: pushed ${version} (${byVersion.digest}); labels version ${labels['org.opencontainers.image.version']}, revision ${labels['org.opencontainers.image.revision']}`,
    );
  });
});
