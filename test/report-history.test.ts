/**
 * History across runs, end to end: three runs written to a temp reports/ by the real writer, the
 * way `matrix run` writes them (the kept runs read, then the run written with its history); the
 * newest run's index.html in Chromium shows each cell's strip; the built CLI prints
 * `matrix report --history` as a table and as JSON, and leaves an unreadable run out with a note.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { historyFor, writeRun } from '../src/report/index.js';
import { makeRun, type CellSpec } from './fixtures/runs/make.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'matrix.js');
const output = fileURLToPath(new URL('../test-output/', import.meta.url));

const IDS = ['20261127T010000Z-aaaa', '20261128T010000Z-bbbb', '20261129T010000Z-cccc'];
const A = { node: '20.18.1', ort: '1.20.1' };
const B = { node: '22.11.0', ort: '1.20.1' };
const C = { node: '24.1.0', ort: '1.20.1' };
const RUNS: RunReport[] = [
  makeRun(
    [
      { ...A, verdict: 'pass' },
      { ...B, verdict: 'pass' },
    ] as CellSpec[],
    { runId: IDS[0] },
  ),
  makeRun(
    [
      { ...A, verdict: 'fail' },
      { ...B, verdict: 'skipped' },
      { ...C, verdict: 'pass' },
    ] as CellSpec[],
    { runId: IDS[1] },
  ),
  makeRun(
    [
      { ...A, verdict: 'pass' },
      { ...B, verdict: 'flaky' },
      { ...C, verdict: 'install-error' },
    ] as CellSpec[],
    { runId: IDS[2] },
  ),
];
const idOf = (node: string) => RUNS[1]!.cells.find((r) => r.cell.name.startsWith(`node${node}-`))!.cell;

let dir: string;
let reports: string;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const problems: string[] = [];

async function matrix(args: string[]) {
  const env: Record<string, string> = { ...process.env, NO_COLOR: '1' } as Record<string, string>;
  delete env.GITHUB_STEP_SUMMARY;
  const r = await execa('node', [bin, ...args], { cwd: dir, env, extendEnv: false, reject: false });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, reject: false });
  expect(existsSync(path.join(root, 'dist', 'cli.js'))).toBe(true);
  dir = await mkdtemp(path.join(tmpdir(), 'matrix-history-'));
  reports = path.join(dir, 'reports');
  for (const run of RUNS) {
    const { history, notes } = await historyFor(reports, run, 20);
    expect(notes).toEqual([]);
    await writeRun(reports, run, { history });
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const stripOf = (scope: string) =>
  page
    .locator(`${scope} ol.strip li`)
    .evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-run')}:${li.getAttribute('data-verdict') ?? 'absent'}:${li.className}`));

describe('index.html of the newest of three runs, in Chromium', () => {
  beforeAll(async () => {
    await page.goto(pathToFileURL(path.join(reports, IDS[2]!, 'index.html')).href);
  });

  test('each grid cell has a strip of its verdicts over the three runs, newest last', async () => {
    expect(await stripOf(`#grid td[data-cell="${idOf('20.18.1').id}"]`)).toEqual([`${IDS[0]}:pass:ok`, `${IDS[1]}:fail:bad`, `${IDS[2]}:pass:ok`]);
    expect(await stripOf(`#grid td[data-cell="${idOf('22.11.0').id}"]`)).toEqual([`${IDS[0]}:pass:ok`, `${IDS[1]}:skipped:skip`, `${IDS[2]}:flaky:warn`]);
    // Planned from the second run on: absent from the first.
    expect(await stripOf(`#grid td[data-cell="${idOf('24.1.0').id}"]`)).toEqual([`${IDS[0]}:absent:none`, `${IDS[1]}:pass:ok`, `${IDS[2]}:install-error:bad`]);
    const colors = await page
      .locator(`#grid td[data-cell="${idOf('20.18.1').id}"] ol.strip li`)
      .evaluateAll((lis) => lis.map((li) => getComputedStyle(li).backgroundColor));
    expect(colors).toEqual(['rgb(26, 127, 55)', 'rgb(207, 34, 46)', 'rgb(26, 127, 55)']);
    expect(
      await page
        .locator(`#grid td[data-cell="${idOf('20.18.1').id}"] ol.strip li`)
        .first()
        .getAttribute('title'),
    ).toMatch(new RegExp(`^${IDS[0]}: pass — `));
  });

  test("a cell's details show the strip, the pass rate and the last change", async () => {
    const cell = idOf('22.11.0');
    await page.locator(`#grid td[data-cell="${cell.id}"] a`).click();
    const details = page.locator(`details#cell-${cell.id}`);
    await expect.poll(() => details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
    expect(await stripOf(`details#cell-${cell.id} .history`)).toEqual([`${IDS[0]}:pass:ok`, `${IDS[1]}:skipped:skip`, `${IDS[2]}:flaky:warn`]);
    const text = await details.locator('.history').innerText();
    expect(text).toMatch(/runs\s+3 of 3/);
    expect(text).toMatch(/pass rate\s+100 % \(2\/2\)/);
    expect(text).toMatch(new RegExp(`last change\\s+${IDS[2]}: skipped → flaky`));
    await details.scrollIntoViewIfNeeded();
    await mkdir(output, { recursive: true });
    await page.screenshot({ path: path.join(output, 'report-history.png') });
  });

  test('is still self-contained', () => {
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    expect(problems).toEqual([]);
  });

  test('the first run shows itself alone: its history has no later runs', async () => {
    await page.goto(pathToFileURL(path.join(reports, IDS[0]!, 'index.html')).href);
    expect(await stripOf(`#grid td[data-cell="${idOf('20.18.1').id}"]`)).toEqual([`${IDS[0]}:pass:ok`]);
  });
});

describe('matrix report --history', () => {
  beforeAll(async () => {
    // An old-schema run and a stray folder: one note, and no run.
    await mkdir(path.join(reports, '20261126T010000Z-0001'), { recursive: true });
    await writeFile(path.join(reports, '20261126T010000Z-0001', 'matrix.json'), '{"schemaVersion": 1}');
    await mkdir(path.join(reports, 'examples'), { recursive: true });
    await writeFile(path.join(reports, 'examples', 'matrix.json'), '{}');
  });

  test('prints a table of every cell with runs, pass rate, last change and the strip; notes the unreadable run', async () => {
    const r = await matrix(['report', '--history']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).toMatch(/│ cell +│ runs │ pass rate +│ last change +│ verdicts │/);
    expect(r.stdout).toMatch(new RegExp(`│ ${idOf('20.18.1').name} +│ 3 +│ 66\\.7 % \\(2/3\\) +│ ${IDS[2]}: fail → pass +│ ✔✖✔ +│`));
    expect(r.stdout).toMatch(new RegExp(`│ ${idOf('24.1.0').name} +│ 2 +│ 50 % \\(1/2\\) +│ ${IDS[2]}: pass → install-error +│ ·✔✖ +│`));
    expect(r.stdout).toContain(`3 cells over 3 runs (${IDS[0]} … ${IDS[2]}), newest last`);
    expect(r.stderr.trim().split('\n')).toEqual([
      `note: left out of the history: ${path.join('reports', '20261126T010000Z-0001', 'matrix.json')}: written by an older matrix (schemaVersion 1, this matrix reads 2); re-run \`matrix run\` to write it again`,
    ]);
  });

  test('--history-limit keeps the newest runs', async () => {
    const r = await matrix(['report', '--history', '--history-limit', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`3 cells over 2 runs (${IDS[1]} … ${IDS[2]})`);
    expect(r.stderr).toBe('');
    expect((await matrix(['report', '--history', '--history-limit', '0'])).code).toBe(2);
  });

  test('--json: the versioned shape', async () => {
    const r = await matrix(['report', '--history', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['historyVersion', 'runs', 'cells']);
    expect(json.historyVersion).toBe(1);
    expect(json.runs).toEqual(IDS);
    expect(json.cells.map((c: { name: string }) => c.name)).toEqual(['20.18.1', '22.11.0', '24.1.0'].map((n) => idOf(n).name));
    expect(json.cells[1]).toEqual({
      id: idOf('22.11.0').id,
      name: idOf('22.11.0').name,
      runs: 3,
      passes: 2,
      judged: 2,
      passRate: 1,
      lastChange: { runId: IDS[2], from: 'skipped', to: 'flaky' },
      verdicts: IDS.map((runId, i) => ({ runId, verdict: ['pass', 'skipped', 'flaky'][i] })),
    });
  });

  test('`matrix report --format all` rewrites index.html with the history up to the run', async () => {
    const file = path.join(reports, IDS[1]!, 'index.html');
    await rm(file);
    const r = await matrix(['report', IDS[1]!, '--format', 'all']);
    expect(r.code).toBe(0);
    const html = await readFile(file, 'utf8');
    const strip = html.match(new RegExp(`data-cell="${idOf('20.18.1').id}">.*?</td>`))![0];
    expect([...strip.matchAll(/data-run="([^"]+)" data-verdict="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual([`${IDS[0]}:pass`, `${IDS[1]}:fail`]);
    expect(r.stderr).toContain('note: left out of the history:');
  });
});
