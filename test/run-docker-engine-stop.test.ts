/**
 * A Docker daemon that dies mid-run is the machine's fault, not the packages': the test runs
 * two cells on an engine of its own, stops that engine by its PID while the cells build, and
 * checks the verdicts (infra-error), the exit code (3), the report, and that nothing was cached;
 * then starts the engine again and checks that a plain re-run builds and passes both for real.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { ownEngine } from './helpers/engine.js';
import { MODEL } from './helpers/fixtures.js';
import { CLI, dockerOrSkip, tempProject } from './helpers/project.js';

const docker = await dockerOrSkip();
const engine = ownEngine();
const TWO_CELLS = `
axes:
  node: {kind: runtime, versions: [20.20.2]}
  onnxruntime-node: {kind: package, alias: ort, versions: [1.14.0]}
  tokenizer:
    kind: alternatives
    packages:
      - {package: "@huggingface/tokenizers", versions: [0.2.0]}
      - {package: "@lenml/tokenizers", versions: [3.7.2]}
  model: {kind: model, variants: {fp32: {folder: ${MODEL}}}}
smoke:
  benchmark-limit: 20
  thresholds: { memory-mb: 2048 }
run:
  retries: 0
  concurrency: 2
`;

const matrix = (args: string[], cwd: string) =>
  execa(process.execPath, [CLI, ...args], { reject: false, all: true, cwd, env: { NO_COLOR: '1', DOCKER_HOST: engine.host } });
const report = (dir: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;
const onEngine = async (args: string[]) => (await execa('docker', args, { env: { DOCKER_HOST: engine.host }, reject: false })).stdout;

describe.skipIf(!docker.ok)(`a Docker engine stopped mid-run${docker.ok ? '' : ` (skipped: ${docker.reason})`}`, () => {
  let dir: string;
  beforeAll(async () => {
    await engine.start();
    dir = tempProject(TWO_CELLS);
    // The engine starts empty: its base images are built from nothing, as on a new machine.
    const base = await matrix(['base', '--node', '20.20.2'], dir);
    expect(base.exitCode, base.all).toBe(0);
  });
  afterAll(async () => {
    await engine.remove();
  });

  it('judges the cells infra-error, exits 3, writes the report and caches nothing', async () => {
    const run = matrix(['run', '--backend', 'docker', '--out', 'reports'], dir);
    // Wait until a build runs its install step in a container, then stop the daemon under it.
    let building = '';
    for (let i = 0; i < 1200 && !building; i++) {
      building = await onEngine(['ps', '-q']);
      if (!building) await new Promise((r) => setTimeout(r, 100));
    }
    expect(building, 'no build container appeared').not.toBe('');
    await new Promise((r) => setTimeout(r, 1500));
    await engine.stop();
    const r = await run;
    expect(r.exitCode, r.all).toBe(3);
    const cells = report(dir).cells;
    expect(cells).toHaveLength(2);
    for (const c of cells) {
      expect(c.verdict, `${c.cell.name}: ${c.reason}`).toBe('infra-error');
      expect(c.reason).not.toMatch(/\n/);
      expect(c.reason).toMatch(/outside the cell|backend stopped answering|engine gone|not answering/);
    }
    const verdicts = path.join(dir, '.matrix-cache', 'verdicts');
    expect(existsSync(verdicts) ? readdirSync(verdicts) : []).toEqual([]);
  });

  it('runs the same cells for real once the engine is back, and they pass', async () => {
    await engine.start();
    const r = await matrix(['run', '--backend', 'docker', '--out', 'reports'], dir);
    expect(r.exitCode, r.all).toBe(0);
    const cells = report(dir).cells;
    expect(cells.map((c) => [c.verdict, c.cached])).toEqual([
      ['pass', false],
      ['pass', false],
    ]);
    // And the third run is answered from the cache, keyed on the base and tree that were built.
    const again = await matrix(['run', '--backend', 'docker', '--out', 'reports'], dir);
    expect(again.exitCode, again.all).toBe(0);
    expect(report(dir).cells.every((c) => c.cached)).toBe(true);
  });
});
