/**
 * A Docker daemon that dies mid-run is the machine's fault, not the packages': the test runs
 * two cells on an engine of its own, stops that engine by its PID while the cells build, and
 * checks the verdicts (infra-error), the exit code (3), the report, and that nothing was cached;
 * then starts the engine again and checks that a plain re-run builds and passes both for real.
 * Then it stops the engine in each phase a cell goes through (prepare, start, smoke, stop, seen in
 * the run's event stream) and at random moments: every run ends with a new report and exit 3, and
 * each cell is infra-error unless it had finished before the engine was stopped (then it keeps
 * that verdict).
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

  /** Runs the cells, stops the engine once `when` says so (from the events so far), and checks what the run left. */
  async function stoppedWhen(label: string, when: (events: Event[], ms: number) => boolean) {
    // A fresh engine process each time (the last test left one running, or stopped it).
    await engine.stop();
    await engine.start();
    const events = path.join(dir, `events-${label}.ndjson`);
    const t0 = Date.now();
    // One cell at a time: the first is in the phase asked for, the second has not started.
    const run = matrix(['run', '--backend', 'docker', '--out', 'reports', '--no-cache', '--concurrency', '1', '--events-file', events], dir);
    let seen: Event[] = [];
    let ended = false;
    void run.finally(() => (ended = true));
    while (!ended && !when(seen, Date.now() - t0) && Date.now() - t0 < 300_000) {
      await new Promise((r) => setTimeout(r, 50));
      seen = readEvents(events);
    }
    expect(ended, `${label}: the run ended before the engine was stopped`).toBe(false);
    // Verdicts the cells had before the engine went away are theirs to keep; a cell that had passed
    // its checks and was stopping may keep its pass (its stop can end before the engine's).
    const before = readEvents(events);
    const finished = new Map(before.filter((e) => e.type === 'result').map((e) => [e.cellId!, e.verdict!]));
    const checked = new Set(before.filter((e) => e.type === 'phase' && e.phase === 'stop').map((e) => e.cellId!));
    await engine.stop();
    const r = await run;
    expect(r.exitCode, `${label}:\n${r.all}`).toBe(3);
    expect(r.all).not.toMatch(/internal error|at .*\.js:\d+/);
    const written = report(dir);
    const last = readEvents(events).find((e) => e.type === 'plan');
    expect(written.runId, `${label}: no report of this run`).toBe(last?.runId);
    for (const c of written.cells) {
      const kept = finished.get(c.cell.id);
      if (kept) expect(c.verdict, `${label}: ${c.cell.name} had finished ${kept}`).toBe(kept);
      else if (checked.has(c.cell.id)) expect(['pass', 'infra-error'], `${label}: ${c.cell.name}: ${c.reason}`).toContain(c.verdict);
      else expect(c.verdict, `${label}: ${c.cell.name}: ${c.reason}`).toBe('infra-error');
      expect(c.reason).not.toMatch(/\n/);
    }
  }

  const phase = (name: string) => (events: Event[]) => events.some((e) => e.type === 'phase' && e.phase === name);
  for (const name of ['prepare', 'start', 'smoke', 'stop']) {
    it(`stopped while a cell is in its ${name} phase: report, exit 3, infra-error unless finished`, () => stoppedWhen(name, phase(name)));
  }
  // Moments after the backend was chosen (the plan event), up to when the first cell, its dependency
  // images kept, is in its smoke checks (about 5 s here). Before that, a daemon that does not answer
  // ends `--backend docker` with one line and exit 3, before any cell (src/backends/index.ts).
  const moments = [0, 1, 2].map(() => Math.round(Math.random() * 5_000));
  for (const ms of moments) {
    it(`stopped ${ms} ms after the plan: report, exit 3, infra-error unless finished`, () => {
      let planned: number | undefined;
      return stoppedWhen(`at-${ms}`, (events, elapsed) => {
        if (planned === undefined && events.some((e) => e.type === 'plan')) planned = elapsed;
        return planned !== undefined && elapsed - planned >= ms;
      });
    });
  }
});

interface Event {
  type: string;
  runId?: string;
  cellId?: string;
  phase?: string;
  verdict?: string;
}
const readEvents = (file: string): Event[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .map((l) => JSON.parse(l) as Event)
    : [];
