/**
 * `matrix run` on a real Docker engine: a small real matrix with one cell that fails for a real
 * reason, the warm re-run from the verdict cache, the prelude kept by its content, Ctrl-C leaving no container behind, and a
 * crashing service judged `crash`.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeOf } from '../src/axes/index.js';
import type { RunReport } from '../src/domain.js';
import { crashingService, MODEL, SMALL_MATRIX } from './helpers/fixtures.js';
import { dockerOrSkip, matrix, tempProject } from './helpers/project.js';

const docker = await dockerOrSkip();
const report = (dir: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;
const containers = async (label: string) => (await execa('docker', ['ps', '-aq', '--filter', `label=${label}`])).stdout.split('\n').filter(Boolean);

describe.skipIf(!docker.ok)(`matrix run --backend docker${docker.ok ? '' : ` (skipped: ${docker.reason})`}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = tempProject(SMALL_MATRIX());
  });

  it('builds one image per cell, passes Node 20 and fails Node 14 for its real reason', async () => {
    const r = await matrix(['run', '--backend', 'docker', '--out', 'reports'], { cwd: dir });
    expect(r.all).toMatch(/backend: docker — Docker .* answered/);
    expect(r.exitCode, r.all).toBe(1);
    const run = report(dir);
    expect(run.backend).toBe('docker');
    const byNode = Object.fromEntries(run.cells.map((c) => [runtimeOf(c.cell).version, c]));
    const ok = byNode['20.20.2']!;
    expect(ok.verdict, `${ok.reason}\n${ok.logTail}`).toBe('pass');
    expect(ok.actual).toEqual(ok.expected);
    expect(ok.scores.bleu).toBeGreaterThan(0);
    expect(ok.image?.labels['org.opencontainers.image.version']).toBe('0.1.0');
    expect(ok.image?.labels['io.matrix.axis.onnxruntime-node']).toBe('1.14.0');
    expect(ok.image?.tag).toMatch(new RegExp(`^matrix-cell:v0\\.1\\.0-[0-9a-f]{7}-${ok.cell.id}$`));
    const inspect = JSON.parse((await execa('docker', ['image', 'inspect', ok.image!.id])).stdout) as { Config: { Labels: Record<string, string> } }[];
    expect(inspect[0]!.Config.Labels['org.opencontainers.image.revision']).toMatch(/^([0-9a-f]{40}|unknown)$/);
    const bad = byNode['14.21.3']!;
    expect(bad.verdict).toBe('start-error');
    expect(bad.reason).toMatch(/Object\.hasOwn is not a function/);
    expect(bad.logTail).toMatch(/Object\.hasOwn/);
    expect(r.stdout).toMatch(/2 cells: 1 passed, 1 failed/);
    expect(await containers('io.matrix.run')).toEqual([]);
  });

  it('answers an unchanged re-run from the verdict cache', async () => {
    const r = await matrix(['run', '--backend', 'docker', '--out', 'reports'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(1);
    const run = report(dir);
    expect(run.cells.every((c) => c.cached)).toBe(true);
    expect(run.cells.map((c) => c.verdict).sort()).toEqual(['pass', 'start-error']);
  });

  it('uses a prelude kept by its content in another project, and builds it again when the model folder changes', async () => {
    const own = tempProject(SMALL_MATRIX('', ['20.20.2']).replace(MODEL, 'model'));
    cpSync(MODEL, path.join(own, 'model'), { recursive: true });
    const args = ['run', '--backend', 'docker', '--no-cache', '--events', 'ndjson', '--out', 'reports'];
    // The same model bytes at another path, the same template and base: the first test's prelude.
    const first = await matrix(args, { cwd: own });
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(/prelude matrix-cell-prelude:[0-9a-f]{16} \(kept from an earlier run\)/);
    expect(first.stdout).not.toMatch(/docker build \(prelude\)/);
    writeFileSync(path.join(own, 'model', 'NOTES.txt'), 'a file the prelude copies too\n');
    const second = await matrix(args, { cwd: own });
    expect(second.exitCode, second.all).toBe(0);
    expect(second.stdout).toMatch(/docker build \(prelude\)/);
    expect(report(own).cells[0]!.verdict).toBe('pass');
  });

  it('on SIGINT removes every container it started, writes the partial report and exits 130', async () => {
    const child = matrix(['run', '--backend', 'docker', '--no-cache', '--cell', 'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32', '--out', 'reports'], {
      cwd: dir,
    });
    let seen: string[] = [];
    for (let i = 0; i < 600 && seen.length === 0; i++) {
      seen = await containers('io.matrix.run');
      if (!seen.length) await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    expect(await containers('io.matrix.run')).toEqual([]);
    const run = report(dir);
    expect(run.interrupted, JSON.stringify({ runId: run.runId, cells: run.cells.map((c) => [c.verdict, c.reason]) }) + r.all).toBe(true);
    expect(run.cells[0]!.verdict).toBe('skipped');
    expect(run.cells[0]!.reason).toMatch(/interrupted/);
  });

  it('judges a service that aborts as a crash with SIGABRT', async () => {
    const crashDir = tempProject(SMALL_MATRIX(), ['cases', 'Dockerfile.template']);
    crashingService(crashDir);
    const r = await matrix(['run', '--backend', 'docker', '--cell', 'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32', '--out', 'reports'], { cwd: crashDir });
    expect(r.exitCode, r.all).toBe(1);
    const cell = report(crashDir).cells[0]!;
    expect(cell.verdict, cell.reason).toBe('crash');
    expect(cell.reason).toMatch(/SIGABRT/);
    expect(await containers('io.matrix.run')).toEqual([]);
  });
});
