import { lstat, mkdtemp, readdir, readFile, readlink, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { readRun, writeRun } from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'matrix-reports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeRun', () => {
  test('writes the four files into reports/<run-id>/ and points latest at it', async () => {
    const run = standardRun();
    const result = await writeRun(dir, run, {});
    expect(result.dir).toBe(path.join(dir, run.runId));
    expect((await readdir(result.dir)).sort()).toEqual(['index.html', 'junit.xml', 'matrix.json', 'matrix.md', 'verdicts.json']);
    expect(result.latest).toBe('symlink');
    expect(await readlink(path.join(dir, 'latest'))).toBe(run.runId);
    // No temporary folders or files are left behind.
    expect((await readdir(dir)).sort()).toEqual([run.runId, 'latest'].sort());
    expect((await readRun(dir)).report).toEqual(run);
  });

  test('latest keeps pointing at the newest run id', async () => {
    await writeRun(dir, standardRun({ runId: '20261127T020000Z-bbbb' }), {});
    const older = await writeRun(dir, standardRun({ runId: '20261127T010000Z-aaaa' }), {});
    expect(older.latest).toBe('kept');
    expect((await readRun(dir)).report.runId).toBe('20261127T020000Z-bbbb');
    expect((await readRun(dir, '20261127T01')).report.runId).toBe('20261127T010000Z-aaaa');
  });

  test('rewriting an existing run replaces its files', async () => {
    const run = standardRun();
    await writeRun(dir, run, {});
    const again = await writeRun(dir, { ...run, interrupted: true }, {});
    expect(again.files).toHaveLength(5);
    expect((await readRun(dir, run.runId)).report.interrupted).toBe(true);
  });

  test('appends matrix.md to the GitHub step summary when given', async () => {
    const summary = path.join(dir, 'summary.md');
    await writeFile(summary, '# before\n');
    await writeRun(path.join(dir, 'reports'), standardRun(), { stepSummary: summary });
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('# before\n## Compatibility matrix')).toBe(true);
  });

  test('a latest text file (no symlinks) is read too', async () => {
    const run = standardRun();
    await writeRun(dir, run, {});
    await rm(path.join(dir, 'latest'));
    await writeFile(path.join(dir, 'latest'), `${run.runId}\n`);
    expect((await lstat(path.join(dir, 'latest'))).isFile()).toBe(true);
    expect((await readRun(dir)).report.runId).toBe(run.runId);
  });

  test('refuses a run id that is not a folder name', async () => {
    await expect(writeRun(dir, standardRun({ runId: '../evil' }), {})).rejects.toThrow(UserError);
  });
});

describe('readRun', () => {
  test.each([
    ['no runs at all', async () => undefined, undefined, /no runs in/],
    ['an unknown run', async () => undefined, 'nope', /no run "nope"/],
    ['not JSON', async (d: string) => writeFile(path.join(d, 'm.json'), '{'), 'm.json', /m\.json: not valid JSON/],
    [
      'a future schema',
      async (d: string) => writeFile(path.join(d, 'm.json'), '{"schemaVersion":3}'),
      'm.json',
      /m\.json: schemaVersion 3 is not supported \(this matrix reads 2\)$/,
    ],
    [
      'a report from before axes were data',
      async (d: string) =>
        writeFile(path.join(d, 'm.json'), JSON.stringify({ ...standardRun(), schemaVersion: 1, cells: [{ cell: { node: '22.11.0', ort: '1.20.1' } }] })),
      'm.json',
      /m\.json: written by an older matrix \(schemaVersion 1, this matrix reads 2\); re-run `matrix run` to write it again$/,
    ],
    [
      'a bad field',
      async (d: string) => writeFile(path.join(d, 'm.json'), JSON.stringify({ ...standardRun(), backend: 'podman' })),
      'm.json',
      /m\.json: backend: /,
    ],
  ])('%s is one-line UserError', async (_name, setup, ref, message) => {
    await setup(dir);
    const error = await readRun(dir, ref === undefined ? undefined : ref.endsWith('.json') ? path.join(dir, ref) : ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  test('accepts a run folder path', async () => {
    const run = standardRun();
    await mkdir(path.join(dir, 'x'));
    await writeFile(path.join(dir, 'x', 'matrix.json'), JSON.stringify(run));
    expect((await readRun('/nonexistent', path.join(dir, 'x'))).report.runId).toBe(run.runId);
  });
});
