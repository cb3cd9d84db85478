import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeRun, type CellSpec } from '../../test/fixtures/runs/make.js';
import { historyFor, readRuns, readVerdicts } from './read.js';
import { verdictsOf } from './history.js';
import { writeRun } from './write.js';

const CELLS: CellSpec[] = [{ node: '22.11.0', ort: '1.20.1', verdict: 'pass' }];
const ID = (n: number) => `2026112${n}T010000Z-000${n}`;

let dir: string;
const put = async (folder: string, text: string) => {
  await mkdir(path.join(dir, folder), { recursive: true });
  await writeFile(path.join(dir, folder, 'matrix.json'), text);
};
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'matrix-runs-'));
  for (const n of [1, 2, 4, 5]) await put(ID(n), JSON.stringify(makeRun(CELLS, { runId: ID(n) })));
  await put(ID(3), '{"schemaVersion": 1, "runId": "old"}');
  await put(ID(6), '{ not json');
  await put('examples/20261127T010000Z-a1b2', JSON.stringify(makeRun(CELLS)));
  await put('scratch', JSON.stringify(makeRun(CELLS, { runId: 'scratch' })));
  await symlink(ID(5), path.join(dir, 'latest'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readRuns', () => {
  test('reads every run folder oldest first; an unreadable matrix.json is one note, not an error', async () => {
    const kept = await readRuns(dir, { limit: 20 });
    expect(kept.reports.map((r) => r.runId)).toEqual([ID(1), ID(2), ID(4), ID(5)]);
    expect(kept.notes).toHaveLength(2);
    expect(kept.notes[0]).toBe(
      `${path.join(dir, ID(3), 'matrix.json')}: written by an older matrix (schemaVersion 1, this matrix reads 2); re-run \`matrix run\` to write it again`,
    );
    expect(kept.notes[1]).toMatch(new RegExp(`^${path.join(dir, ID(6), 'matrix.json')}: not valid JSON`));
  });

  test('keeps the newest `limit` readable runs, before a run id when asked', async () => {
    expect((await readRuns(dir, { limit: 2 })).reports.map((r) => r.runId)).toEqual([ID(4), ID(5)]);
    expect((await readRuns(dir, { limit: 2, before: ID(5) })).reports.map((r) => r.runId)).toEqual([ID(2), ID(4)]);
  });

  test('no reports folder: no runs', async () => {
    expect(await readRuns(path.join(dir, 'none'), { limit: 20 })).toEqual({ reports: [], notes: [] });
  });
});

describe('historyFor', () => {
  test('the runs kept before the report and the report itself, at most `limit`', async () => {
    const current = makeRun([{ ...CELLS[0]!, verdict: 'fail' }], { runId: ID(7) });
    const { history, notes } = await historyFor(dir, current, 3);
    expect(history.runs).toEqual([ID(4), ID(5), ID(7)]);
    expect(history.cells[0]!.verdicts.map((v) => v.verdict)).toEqual(['pass', 'pass', 'fail']);
    expect(notes).toHaveLength(1);
  });
});

describe('readVerdicts', () => {
  test('what readRuns reads, as a history needs it, from matrix.json where a run has no verdicts.json', async () => {
    const kept = await readRuns(dir, { limit: 20 });
    expect(await readVerdicts(dir, { limit: 20 })).toEqual({ reports: kept.reports.map(verdictsOf), notes: kept.notes });
  });

  test('reads verdicts.json, which writeRun writes beside matrix.json, and falls back when it is corrupt or names another run', async () => {
    const run = makeRun([{ ...CELLS[0]!, verdict: 'fail' }], { runId: ID(7) });
    await writeRun(dir, run, { stepSummary: undefined });
    const file = path.join(dir, ID(7), 'verdicts.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(verdictsOf(run));
    // A changed verdict in verdicts.json shows that matrix.json was not read.
    const changed = verdictsOf(run);
    changed.cells[0]!.verdict = 'crash';
    await writeFile(file, JSON.stringify(changed));
    expect((await readVerdicts(dir, { limit: 1 })).reports[0]!.cells[0]!.verdict).toBe('crash');
    for (const bad of ['{ torn', JSON.stringify({ ...changed, runId: ID(1) })]) {
      await writeFile(file, bad);
      expect((await readVerdicts(dir, { limit: 1 })).reports).toEqual([verdictsOf(run)]);
    }
  });
});
