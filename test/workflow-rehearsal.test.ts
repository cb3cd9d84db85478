/**
 * A local rehearsal of .github/workflows/matrix.yml: its own `run:` steps, read from the file and
 * run with bash as a runner would, each job in its own clean clone of this repository:
 *   plan (GITHUB_OUTPUT) → one clone per job of the strategy matrix, `matrix run --shard` there,
 *   its reports/ kept as the artifact step leaves them → merge and freeze in a fresh clone.
 * Then one full run and freeze in another clone; the merged result must equal it, cell by cell,
 * and so must the golden lock. A small matrix (2 cells) on the local backend keeps it short.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { MODEL } from './helpers/fixtures.js';
import { ROOT } from './helpers/project.js';
import { tempDir } from './helpers/temp.js';

interface Step {
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
const workflow = parse(readFileSync(path.join(ROOT, '.github', 'workflows', 'matrix.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
/** A job's `run:` steps, but `npm ci`: the clones share this checkout's install (linked), which npm ci would delete. */
const steps = (job: string, filter: (s: Step) => boolean) => workflow.jobs[job]!.steps.filter((s) => s.run && !/^npm ci\b/.test(s.run) && filter(s));

const MATRIX = `
axes:
  node: {kind: runtime, versions: ['20.20.2']}
  onnxruntime-node: {kind: package, alias: ort, versions: ['1.14.0']}
  tokenizer:
    kind: alternatives
    packages:
      - {package: '@huggingface/tokenizers', versions: ['0.2.0']}
      - {package: '@lenml/tokenizers', versions: ['3.7.2']}
  model: {kind: model, variants: {fp32: {folder: ${path.relative(ROOT, MODEL)}}}}
install:
  env: {ONNXRUNTIME_NODE_INSTALL_CUDA: skip, ONNXRUNTIME_NODE_INSTALL: skip}
  npm-flags: ['--onnxruntime-node-install-cuda=skip']
smoke: {benchmark-limit: 20}
run: {retries: 0}
`;

const work = tempDir('rehearsal-');
// No daemon: every job runs on the local backend (the runner's Docker is not part of this test).
const RUNNER_ENV = { CI: 'true', NO_COLOR: '1', DOCKER_HOST: `unix://${work}/no-docker.sock`, MATRIX_PULL: 'never' };

/** A clean clone of this repository's HEAD, with the matrix under test, its built code and npm's install linked in. */
async function clone(name: string): Promise<string> {
  const dir = path.join(work, name);
  await execa('git', ['clone', '--quiet', ROOT, dir]);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  for (const built of ['dist', path.join('service', 'dist')]) cpSync(path.join(ROOT, built), path.join(dir, built), { recursive: true });
  writeFileSync(path.join(dir, 'matrix.yaml'), MATRIX);
  return dir;
}

/** One workflow step's `run:` script, with bash, as the runner runs it. */
async function step(s: Step, cwd: string, env: Record<string, string> = {}) {
  const r = await execa('bash', ['-e', '-o', 'pipefail', '-c', s.run!], { cwd, reject: false, all: true, env: { ...s.env, ...env, ...RUNNER_ENV } });
  expect(r.exitCode, `${s.name ?? s.run}:\n${r.all}`).toBe(0);
  return r;
}

const cellsOf = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as RunReport).cells
    .map((c) => ({ id: c.cell.id, verdict: c.verdict, actual: c.actual, lockfile: c.lockfile }))
    .sort((a, b) => a.id.localeCompare(b.id));
const golden = (dir: string) => {
  const lock = JSON.parse(readFileSync(path.join(dir, 'golden.lock.json'), 'utf8')) as Record<string, unknown>;
  const { report: _report, ...rest } = lock;
  return rest;
};

describe('the workflow, rehearsed job by job in clean clones', () => {
  let include: { shard: string; cells: string[] }[] = [];
  let merged: string;
  let full: string;

  beforeAll(async () => {
    const plan = await clone('plan');
    const output = path.join(work, 'github-output');
    writeFileSync(output, '');
    for (const s of steps('plan', (s) => /GITHUB_OUTPUT/.test(s.run!))) await step(s, plan, { GITHUB_OUTPUT: output });
    const line = readFileSync(output, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('matrix='));
    include = (JSON.parse(line!.slice('matrix='.length)) as { include: typeof include }).include;

    merged = await clone('merge');
    for (const job of include) {
      const dir = await clone(`shard-${job.shard.replace('/', '-of-')}`);
      const out = path.join(work, `github-output-${job.shard.replace('/', '-')}`);
      writeFileSync(out, '');
      for (const s of steps('shard', () => true)) await step(s, dir, { SHARD: job.shard, GITHUB_OUTPUT: out });
      // upload-artifact of reports/ under the name the artifact step wrote; download-artifact puts it in shards/<name>/.
      const artifact = /name=(.+)/.exec(readFileSync(out, 'utf8'))![1]!;
      cpSync(path.join(dir, 'reports'), path.join(merged, 'shards', artifact), { recursive: true });
    }
    for (const s of steps('merge', (s) => /matrix (merge|freeze)/.test(s.run!))) await step(s, merged, { POLICY: 'newest' });

    full = await clone('full');
    await step({ run: 'npx matrix run --out reports && npx matrix freeze --policy newest --out reports' }, full);
  }, 900_000);

  it('plans one job per cell, each a shard of its own', () => {
    expect(include.map((j) => j.shard)).toEqual(['1/2', '2/2']);
    expect(include.every((j) => j.cells.length === 1)).toBe(true);
  });

  it('ran each shard in its own clone and merged every cell exactly once', () => {
    expect(readdirSync(path.join(merged, 'shards')).sort()).toEqual(['reports-shard-1-of-2', 'reports-shard-2-of-2']);
    const cells = cellsOf(path.join(merged, 'reports', 'latest', 'matrix.json'));
    expect(cells.map((c) => c.id).sort()).toEqual(include.flatMap((j) => j.cells).sort());
    expect(cells.every((c) => c.verdict === 'pass')).toBe(true);
  });

  it('merged and frozen, equals one full run: the same verdicts, versions, trees and golden lock', () => {
    expect(cellsOf(path.join(merged, 'reports', 'latest', 'matrix.json'))).toEqual(cellsOf(path.join(full, 'reports', 'latest', 'matrix.json')));
    expect(golden(merged)).toEqual(golden(full));
    mkdirSync(path.join(work, 'done'), { recursive: true });
  });
});
