/**
 * The one test against the live npm registry (through the user's npm configuration), plus the
 * built CLI end to end: `matrix plan` on the repository's matrix.yaml, and a broken file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPlan } from '../src/plan/build.js';
import { openProject } from '../src/project/index.js';
import { shownAxes } from '../src/axes/index.js';
import type { Plan } from '../src/plan/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'matrix.js');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'matrix-plan-'));
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

const matrix = (args: string[]) => execa('node', [CLI, ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });

/** What `matrix plan --json` prints: each cell's axes as name → resolved value. */
interface PlanJson {
  cells: { id: string; name: string; status: string; skipReason?: string; axes: Record<string, string> }[];
  axes: Record<string, string[]>;
  notes: string[];
}
const asJson = (plan: Plan): PlanJson => ({ cells: plan.cells.map((c) => ({ ...c, axes: shownAxes(c.axes) })), axes: plan.axes, notes: plan.notes });

/**
 * The live registry changes under this test: a new release can add, replace or prune cells. So
 * it checks what the repository's matrix.yaml promises (two Node majors, latest-majors, the
 * pinned onnxruntime-node versions, the two tokenizer libraries, one express, fp32 and int8 with
 * int8 excluded on the middle onnxruntime-node), never a count of today's cells.
 */
const exact = (v: string) => semver.valid(v) === v;
const NODE_MAJORS = ['20', '24'];
const AXES = ['node', 'onnxruntime-node', 'tokenizer', 'express', 'model'];

function expectShape(plan: PlanJson): void {
  expect(Object.keys(plan.axes)).toEqual(AXES);
  // axes.node: versions ['20', '24'] with select latest-majors → exactly one release per major.
  expect(plan.axes.node!.map((v) => String(semver.major(v))).sort()).toEqual(NODE_MAJORS);
  expect(plan.axes['onnxruntime-node']).toEqual(expect.arrayContaining(['1.14.0', '1.20.1']));
  // `latest` is one version; `{versions: '^3', select: latest-majors}` is the newest 3.x.
  expect(plan.axes.tokenizer!.map((t) => t.split(' ')[0])).toEqual(['hf-tokenizers', 'lenml']);
  expect(plan.axes.express).toHaveLength(1);
  expect(plan.axes.model).toEqual(['fp32', 'int8']);

  // The product of the axes, each cell with exact versions, a unique id and name, and a reason when skipped.
  const product = Object.values(plan.axes).reduce((n, values) => n * values.length, 1);
  expect(plan.cells).toHaveLength(product);
  for (const c of plan.cells) {
    expect(Object.keys(c.axes), c.name).toEqual(AXES);
    expect(exact(c.axes.node!) && exact(c.axes['onnxruntime-node']!) && exact(c.axes.express!), c.name).toBe(true);
    expect(c.axes.tokenizer, c.name).toMatch(/^@(huggingface|lenml)\/tokenizers@\d+\.\d+\.\d+$/);
    expect(plan.axes.node).toContain(c.axes.node);
    expect(c.id).toMatch(/^[0-9a-f]{8}$/);
    expect(c.status === 'planned' || Boolean(c.skipReason), c.name).toBe(true);
    // int8 runs on the oldest and the newest onnxruntime-node only.
    if (c.axes.model === 'int8' && c.axes['onnxruntime-node'] === '1.20.1') expect(c.skipReason).toMatch(/^excluded by matrix\.yaml exclude\[0\]: int8/);
  }
  expect(new Set(plan.cells.map((c) => c.id)).size).toBe(plan.cells.length);
  expect(new Set(plan.cells.map((c) => c.name)).size).toBe(plan.cells.length);
}

describe('live registry', () => {
  test('buildPlan on the repository matrix.yaml: one Node per major × the onnxruntime-node versions × 2 tokenizers × express × 2 model variants', async () => {
    const project = await openProject(path.join(ROOT, 'matrix.yaml'), { cacheDir: path.join(tmp, 'cache') });
    const plan = await buildPlan(project);
    expectShape(asJson(plan));
    expect(plan.notes.some((n) => n.includes('using cache'))).toBe(false);

    // The cache written by that plan answers offline, and the plan says so.
    const offline = await buildPlan(project, { offline: true });
    expect(offline.cells.map((c) => c.id)).toEqual(plan.cells.map((c) => c.id));
    expect(offline.notes[0]).toMatch(/^offline \(--offline\), using cache from /);
  });
});

describe('matrix plan (built CLI)', () => {
  let live: PlanJson;
  const planned = () => live.cells.filter((c) => c.status === 'planned');

  test('--json exits 0 with the plan', async () => {
    const r = await matrix(['plan', '--json']);
    expect(r.exitCode).toBe(0);
    live = JSON.parse(r.stdout) as PlanJson;
    expectShape(live);
  });
  test('table, --format github, --shard: the same cells as --json', async () => {
    live ??= JSON.parse((await matrix(['plan', '--json'])).stdout) as PlanJson;
    const table = await matrix(['plan']);
    expect(table.exitCode).toBe(0);
    // The repository's matrix lets some cells fail (allow-failure): the line counts them in brackets.
    expect(table.stdout).toMatch(
      new RegExp(`${live.cells.length} cells: ${planned().length} planned( \\(\\d+ allowed to fail\\))?, ${live.cells.length - planned().length} skipped`),
    );
    const gh = await matrix(['plan', '--format', 'github']);
    const include = (JSON.parse(gh.stdout) as { include: { cell: string; shard: string; axes: Record<string, string> }[] }).include;
    expect(include).toHaveLength(planned().length);
    // One job per planned cell, each its own shard k/N.
    expect(new Set(include.map((i) => i.shard)).size).toBe(include.length);
    expect(include.every((i) => i.shard.endsWith(`/${include.length}`))).toBe(true);
    // Every axis is readable from the job's matrix (matrix.axes.<name>), as in --json.
    expect(include.map((i) => i.axes)).toEqual(planned().map((c) => c.axes));
    const shard = await matrix(['plan', '--json', '--shard', '2/5']);
    const cells = (JSON.parse(shard.stdout) as PlanJson).cells;
    // Balanced: shard sizes differ by at most one; skipped cells all go to shard 1.
    expect([Math.floor(planned().length / 5), Math.ceil(planned().length / 5)]).toContain(cells.length);
    expect(cells.every((c) => c.status === 'planned' && live.cells.some((l) => l.id === c.id))).toBe(true);
  });
  test('a broken matrix.yaml exits 2 with file:line:col, one line', async () => {
    const file = path.join(tmp, 'matrix.yaml');
    await writeFile(file, "axes:\n  node: {kind: runtime, versions: '20'}\n  onnxruntime-node: {kind: package, versions: '1.20.1; rm -rf /'}\n");
    const r = await matrix(['plan', '--config', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /matrix\.yaml:3:47: axes\.onnxruntime-node\.versions: expected an exact version, a semver range or a dist-tag, found "1\.20\.1; rm -rf \/"/,
    );
  });
  test('a bad --shard exits 2', async () => {
    const r = await matrix(['plan', '--shard', '4/3']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--shard: expected i/n with 1 ≤ i ≤ n, found "4/3"');
  });
});
