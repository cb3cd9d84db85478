/**
 * `matrix run --events ndjson` / `--events-file`: the stream of a real run on the local backend
 * (Node 20 passes, Node 14 start-errors), every line valid against the zod schema, and the
 * verdicts rebuilt from the stream alone equal to matrix.json's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { RunEventLine } from '../src/report/events.js';
import { SMALL_MATRIX } from './helpers/fixtures.js';
import { matrix, tempProject } from './helpers/project.js';

const report = (dir: string): RunReport => JSON.parse(readFileSync(path.join(dir, 'reports', 'latest', 'matrix.json'), 'utf8')) as RunReport;

/** Every line parsed with the schema; a line that does not parse fails the test. */
const parse = (text: string): RunEventLine[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => RunEventLine.parse(JSON.parse(l)));

/** Cell id → its last verdict in the stream: the one matrix.json records. */
function verdictsOf(events: RunEventLine[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) if (e.type === 'result') out[e.cellId] = e.verdict;
  return out;
}

const verdictsIn = (run: RunReport) => Object.fromEntries(run.cells.map((c) => [c.cell.id, c.verdict]));

describe('matrix run --events', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempProject(SMALL_MATRIX());
  });

  it('--events ndjson streams plan, phases, results and end on stdout; the table goes to stderr', async () => {
    const r = await matrix(['run', '--backend', 'local', '--events', 'ndjson', '--out', 'reports'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(1);
    const events = parse(r.stdout);
    const run = report(dir);
    const [plan, ...rest] = events;
    expect(plan).toMatchObject({ type: 'plan', eventsVersion: 1, runId: run.runId, backend: 'local' });
    if (plan?.type !== 'plan') throw new Error('first line is not the plan');
    expect(plan.cells.map((c) => c.id).sort()).toEqual(run.cells.map((c) => c.cell.id).sort());
    expect(plan.cells.find((c) => c.name.startsWith('node14'))?.axes).toMatchObject({ node: '14.21.3', 'onnxruntime-node': '1.14.0' });
    expect(rest.filter((e) => e.type === 'plan')).toEqual([]);
    expect(events.filter((e) => e.type === 'phase').map((e) => e.type === 'phase' && e.cellId)).toEqual(expect.arrayContaining(plan.cells.map((c) => c.id)));
    expect(verdictsOf(events)).toEqual(verdictsIn(run));
    expect(Object.values(verdictsOf(events)).sort()).toEqual(['pass', 'start-error']);
    expect(events.at(-1)).toEqual({
      type: 'end',
      counts: { pass: 1, 'start-error': 1 },
      exitCode: 1,
      reportDir: path.join('reports', run.runId),
      interrupted: false,
    });
    expect(r.stderr).toMatch(/2 cells: 1 passed, 1 failed/);
  });

  it('--events-file writes the same stream to a file and leaves stdout to the table', async () => {
    const r = await matrix(['run', '--backend', 'local', '--events-file', 'events.ndjson', '--out', 'reports'], { cwd: dir });
    expect(r.exitCode, r.all).toBe(1);
    expect(r.stdout).toMatch(/2 cells: 1 passed, 1 failed/);
    const events = parse(readFileSync(path.join(dir, 'events.ndjson'), 'utf8'));
    const run = report(dir);
    expect(events[0]).toMatchObject({ type: 'plan', eventsVersion: 1, runId: run.runId });
    expect(verdictsOf(events)).toEqual(verdictsIn(run));
    expect(events.filter((e) => e.type === 'result').every((e) => e.type === 'result' && e.cached)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', exitCode: 1, interrupted: false });
  });

  it('a reader that goes away ends the stream, not the run', async () => {
    // `head -1` closes the pipe after the plan line: the rest of the writes meet EPIPE.
    const { execa } = await import('execa');
    const { CLI } = await import('./helpers/project.js');
    const r = await execa('sh', ['-c', `"${process.execPath}" "${CLI}" run --backend local --events ndjson --out reports | head -1`], {
      cwd: dir,
      env: { NO_COLOR: '1' },
      reject: false,
    });
    expect(RunEventLine.parse(JSON.parse(r.stdout.split('\n')[0]!)).type).toBe('plan');
    expect(r.stderr).not.toMatch(/EPIPE|internal error/);
    expect(report(dir).cells).toHaveLength(2);
  });
});
