/**
 * A throwaway project for end-to-end runs: the repo's service, cases, model and template linked
 * in, and a matrix.yaml written by the test. The built CLI runs against it as a user would.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { tempDir } from './temp.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'matrix.js');

export function tempProject(matrixYaml: string, links: string[] = ['service', 'cases', 'Dockerfile.template']): string {
  const dir = tempDir('matrix-e2e-');
  for (const l of links) symlinkSync(path.join(ROOT, l), path.join(dir, l));
  writeFileSync(path.join(dir, 'matrix.yaml'), matrixYaml);
  return dir;
}

/** The built CLI as a user runs it, without colors; never rejects, so tests read the exit code. */
export function matrix(args: string[], opts: { cwd: string; env?: Record<string, string> }) {
  return execa(process.execPath, [CLI, ...args], { reject: false, all: true, env: { NO_COLOR: '1', ...opts.env }, cwd: opts.cwd });
}

/** Docker for e2e tests: absent → skip with a reason, except in CI where it is a failure. */
export async function dockerOrSkip(): Promise<{ ok: boolean; reason: string }> {
  const r = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false });
  if (r.exitCode === 0) return { ok: true, reason: '' };
  const reason = `no Docker daemon answered (${(r.stderr || r.stdout).split('\n')[0]})`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: .ci/run must start dockerd`);
  console.warn(`skipping Docker e2e tests: ${reason}`);
  return { ok: false, reason };
}

/** service/ as a copy of its package.json (freeze pins it) with the built code linked in. */
export function copiedService(dir: string): void {
  mkdirSync(path.join(dir, 'service'));
  cpSync(path.join(ROOT, 'service', 'package.json'), path.join(dir, 'service', 'package.json'));
  for (const d of ['dist', 'public']) symlinkSync(path.join(ROOT, 'service', d), path.join(dir, 'service', d));
}

/**
 * A project whose service also depends on `name@version` of a test registry (scope `@mt`, served
 * at `registryUrl`).
 */
export function projectWithPackage(matrixYaml: string, registryUrl: string, name: string, version: string): string {
  const dir = tempProject(matrixYaml, ['cases', 'Dockerfile.template']);
  copiedService(dir);
  const service = path.join(dir, 'service', 'package.json');
  const pkg = JSON.parse(readFileSync(service, 'utf8')) as { dependencies: Record<string, string> };
  writeFileSync(service, JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, [name]: version } }, null, 2));
  writeFileSync(path.join(dir, '.npmrc'), `${readFileSync(path.join(ROOT, '.npmrc'), 'utf8')}@mt:registry=${registryUrl}\n`);
  return dir;
}

/** Service processes (`dist/server.js`) whose cwd is under `dir`, by pid. */
export function processesOf(dir: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/server.js') && readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) out.push(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}
