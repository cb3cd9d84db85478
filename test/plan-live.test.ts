/**
 * The one test against the live npm registry (through the user's npm configuration), plus the
 * built CLI end to end: `matrix plan` on the repository's matrix.yaml, and a broken file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPlan } from '../src/plan/build.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'matrix.js');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'matrix-plan-'));
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

const matrix = (args: string[]) => execa('node', [CLI, ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });

describe('live registry', () => {
  test('buildPlan on the repository matrix.yaml: 12 cells, 2 Node majors × 3 onnxruntime-node × 2 tokenizers', async () => {
    const { plan } = await buildPlan(path.join(ROOT, 'matrix.yaml'), { cacheDir: path.join(tmp, 'cache') });
    expect(plan.cells).toHaveLength(12);
    expect(new Set(plan.cells.map((c) => c.node.split('.')[0])).size).toBe(2);
    expect(plan.axes['onnxruntime-node'][0]).toBe('1.14.0');
    expect(plan.axes.tokenizer.map((t) => t.package)).toEqual(['@huggingface/tokenizers', '@lenml/tokenizers']);
    expect(plan.notes.some((n) => n.includes('using cache'))).toBe(false);

    // The cache written by that plan answers offline, and the plan says so.
    const offline = await buildPlan(path.join(ROOT, 'matrix.yaml'), { cacheDir: path.join(tmp, 'cache'), offline: true });
    expect(offline.plan.cells.map((c) => c.id)).toEqual(plan.cells.map((c) => c.id));
    expect(offline.plan.notes[0]).toMatch(/^offline \(--offline\), using cache from /);
  });
});

describe('matrix plan (built CLI)', () => {
  test('--json exits 0 with the plan', async () => {
    const r = await matrix(['plan', '--json']);
    expect(r.exitCode).toBe(0);
    const plan = JSON.parse(r.stdout) as { cells: { id: string; status: string }[] };
    expect(plan.cells).toHaveLength(12);
  });
  test('table, --format github, --shard', async () => {
    const table = await matrix(['plan']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/12 cells: 12 planned, 0 skipped/);
    const gh = await matrix(['plan', '--format', 'github']);
    const include = (JSON.parse(gh.stdout) as { include: { cell: string; shard: string }[] }).include;
    expect(include).toHaveLength(12);
    expect(new Set(include.map((i) => i.shard)).size).toBe(12);
    const shard = await matrix(['plan', '--json', '--shard', '2/5']);
    expect((JSON.parse(shard.stdout) as { cells: unknown[] }).cells.length).toBe(3);
  });
  test('a broken matrix.yaml exits 2 with file:line:col, one line', async () => {
    const file = path.join(tmp, 'matrix.yaml');
    await writeFile(file, "axes:\n  node: '20'\n  onnxruntime-node: '1.20.1; rm -rf /'\n  tokenizer: ['@huggingface/tokenizers']\n");
    const r = await matrix(['plan', '--config', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/matrix\.yaml:3:21: axes\.onnxruntime-node: expected an exact version, a semver range or a dist-tag, found "1\.20\.1; rm -rf \/"/);
  });
  test('a bad --shard exits 2', async () => {
    const r = await matrix(['plan', '--shard', '4/3']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--shard: expected i/n with 1 ≤ i ≤ n, found "4/3"');
  });
});
