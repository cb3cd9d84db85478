/**
 * index.html in a real browser (Debian's Chromium through playwright-core): the page loads with
 * no network at all, the grid is colored per verdict and shows each cell's figures, the control
 * switches the color scale to a figure, the filter hides cells, clicking a cell opens its checks,
 * scores, timings, charts and log; with scripts off the figures and verdict colors remain; two
 * runs written by the real writer badge what changed. Leaves screenshots in test-output/.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunReport } from '../src/domain.js';
import { renderHtml } from '../src/report/html/index.js';
import { historyFor, writeRun } from '../src/report/index.js';
import { makeRun, standardRun, type CellSpec } from './fixtures/runs/make.js';

const output = fileURLToPath(new URL('../test-output/', import.meta.url));
let browser: Browser;
let page: Page;
let dir: string;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'matrix-html-'));
  const file = path.join(dir, 'index.html');
  await writeFile(file, renderHtml(standardRun()));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(pathToFileURL(file).href);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('index.html in Chromium', () => {
  test('is self-contained: the page itself is the only request, no errors', () => {
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^file:/);
    expect(problems).toEqual([]);
  });

  test('draws the matrix as a colored grid with the summary', async () => {
    expect(await page.locator('#grid thead th').allTextContents()).toEqual([
      'onnxruntime-node',
      'tokenizer',
      'express',
      'model',
      'node 20.18.1',
      'node 22.11.0',
      'node 24.1.0',
    ]);
    expect(await page.locator('#grid tbody tr').count()).toBe(5);
    // 14 cells on a 5 × 3 grid: int8 did not run on Node 24, its slot is empty.
    expect(await page.locator('#grid td.cell[data-cell]').count()).toBe(14);
    expect(await page.locator('#grid td.cell:not([data-cell])').count()).toBe(1);
    const colors = await page
      .locator('#grid td.cell[data-cell]')
      .evaluateAll((tds) => tds.map((td) => `${td.className.split(' ')[1]}:${getComputedStyle(td).backgroundColor}`));
    expect(new Set(colors)).toEqual(new Set(['ok:rgb(218, 251, 225)', 'bad:rgb(255, 235, 233)', 'warn:rgb(255, 248, 197)', 'skip:rgb(234, 238, 242)']));
    expect(await page.locator('#summary').textContent()).toBe('14 cells: 10 passed, 3 failed, 1 skipped (1 flaky)');
  });

  test('clicking a cell opens its checks, scores, timings, charts and log', async () => {
    const failing = page.locator('#grid td.cell.bad a').filter({ hasText: 'fail' }).first();
    const target = (await failing.getAttribute('href'))!.slice(1);
    const details = page.locator(`details#${target}`);
    expect(await details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    await failing.click();
    await expect.poll(() => details.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
    await expect.poll(() => details.isVisible()).toBe(true);
    const text = await details.innerText();
    expect(text).toContain('bleu: expected ≥ 20, got 12.1');
    expect(text).toMatch(/bleu\s+fail\s+≥ 20\s+12\.1/);
    expect(text).toContain('Timings (ms)');
    expect(text).toMatch(/onnxruntime-node\s+1\.20\.1\s+1\.20\.1/);
    expect(text).toContain('"event":"tokenizer_loaded"');
    expect(await details.locator('svg.chart').count()).toBe(3);
    expect(await details.locator('svg.chart rect.sample').count()).toBe(7);
    await details.scrollIntoViewIfNeeded();
    await mkdir(output, { recursive: true });
    await page.screenshot({ path: path.join(output, 'report-html.png'), fullPage: true });
    await page.screenshot({ path: path.join(output, 'report-html-grid.png') });
  });

  test('a #cell link opens that cell on load', async () => {
    const id = await page.locator('#grid td.cell.warn').first().getAttribute('data-cell');
    await page.goto(`${page.url().replace(/#.*$/, '')}#cell-${id}`);
    await expect.poll(() => page.locator(`details#cell-${id}`).evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
  });
});

const cellsOf = (scope: string) =>
  page
    .locator(`${scope} td.cell[data-cell]`)
    .evaluateAll((tds) => tds.map((td) => ({ id: td.getAttribute('data-cell'), bg: getComputedStyle(td).backgroundColor })));
const cellOfName = (prefix: string, run: RunReport) => run.cells.find((r) => r.cell.name.startsWith(prefix))!.cell.id;

describe('index.html in Chromium: figures, color scales, filter', () => {
  const run = standardRun();
  beforeAll(async () => {
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
  });

  test('has no http(s) URL besides the SVG namespace', async () => {
    expect(await readFile(path.join(dir, 'index.html'), 'utf8')).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  test('each grid cell shows its verdict and figures; its axis values on hover', async () => {
    const id = cellOfName('node20.18.1-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32', run);
    const r = run.cells.find((c) => c.cell.id === id)!;
    const td = page.locator(`#grid td[data-cell="${id}"]`);
    expect(await td.locator('a').textContent()).toBe('pass');
    expect(await td.locator('.figs span').allTextContents()).toEqual([
      'BLEU 31.4',
      'chrF 55.2',
      `p95 ${Math.round(r.latency.p95!)} ms`,
      `memory ${Math.round(r.memory.peakRssMb!)} MB`,
      `start ${r.startupMs} ms`,
    ]);
    expect(await td.locator('a').getAttribute('title')).toBe(
      `${r.reason}\nnode: 20.18.1\nonnxruntime-node: 1.20.1\ntokenizer: hf-tokenizers 0.2.0\nexpress: 5.1.0\nmodel: fp32`,
    );
    // A skipped cell measured nothing: no figures.
    expect(await page.locator('#grid td.cell.skip .figs').count()).toBe(0);
  });

  test('the control switches the coloring from the verdict to a figure’s scale, worst to best', async () => {
    await expect.poll(() => page.locator('#controls').isVisible()).toBe(true);
    const byVerdict = await cellsOf('#grid');
    await page.selectOption('#scale', 'bleu');
    const byBleu = await cellsOf('#grid');
    expect(byBleu).not.toEqual(byVerdict);
    const bg = (cells: { id: string | null; bg: string }[], id: string) => cells.find((c) => c.id === id)!.bg;
    const lowBleu = run.cells.find((r) => r.scores.bleu === 12.1)!.cell.id;
    const highBleu = run.cells.find((r) => r.scores.bleu === 31.4)!.cell.id;
    expect(bg(byBleu, lowBleu)).toBe('rgb(255, 207, 201)');
    expect(bg(byBleu, highBleu)).toBe('rgb(195, 237, 203)');
    // Not measured: neutral, not the verdict color.
    expect(bg(byBleu, run.cells.find((r) => r.verdict === 'skipped')!.cell.id)).toBe('rgb(255, 255, 255)');
    await mkdir(output, { recursive: true });
    await page.screenshot({ path: path.join(output, 'report-html-scale-bleu.png') });
    await page.selectOption('#scale', 'start');
    expect(await cellsOf('#grid')).not.toEqual(byBleu);
    await page.selectOption('#scale', 'verdict');
    expect(await cellsOf('#grid')).toEqual(byVerdict);
  });

  test('the filter hides the grid cells and details that do not match', async () => {
    const node24 = run.cells.filter((r) => r.cell.name.startsWith('node24.1.0')).map((r) => r.cell.id);
    await page.locator('#controls input[name="axis:node"][value="24.1.0"]').uncheck();
    for (const id of node24) {
      expect(await page.locator(`#grid td[data-cell="${id}"] a`).isVisible()).toBe(false);
      expect(await page.locator(`details#cell-${id}`).isVisible()).toBe(false);
    }
    expect(await page.locator('#shown').textContent()).toBe(`${14 - node24.length} of 14 cells shown`);
    await page.locator('#controls input[name="verdict"][value="pass"]').uncheck();
    const shown = await page.locator('#grid td.cell[data-cell]:not(.filtered)').evaluateAll((tds) => tds.map((td) => td.className));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((c) => !c.includes('ok'))).toBe(true);
    await page.screenshot({ path: path.join(output, 'report-html-filter.png') });
    await page.locator('#controls input[name="verdict"][value="pass"]').check();
    await page.locator('#controls input[name="axis:node"][value="24.1.0"]').check();
    expect(await page.locator('#shown').textContent()).toBe('14 of 14 cells shown');
    expect(await page.locator('.filtered').count()).toBe(0);
  });

  test('with scripts off: figures shown, colored by verdict, no controls', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const off = await context.newPage();
    await off.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    expect(await off.locator('#controls').isVisible()).toBe(false);
    expect(await off.locator('#grid td.cell.ok .figs').first().innerText()).toMatch(/^BLEU 31\.4\s+chrF 55\.2\s+p95 \d+ ms\s+memory \d+ MB\s+start \d+ ms$/);
    const colors = await off
      .locator('#grid td.cell.bad')
      .first()
      .evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(colors).toBe('rgb(255, 235, 233)');
    await context.close();
  });
});

describe('index.html of the second of two runs written to reports/: badges of what changed', () => {
  const IDS = ['20261127T010000Z-aaaa', '20261128T010000Z-bbbb'];
  const A = { node: '20.18.1', ort: '1.20.1' };
  const B = { node: '22.11.0', ort: '1.20.1' };
  const C = { node: '24.1.0', ort: '1.20.1' };
  const RUNS: RunReport[] = [
    makeRun(
      [
        { ...A, verdict: 'pass' },
        { ...B, verdict: 'fail' },
        { ...C, verdict: 'pass' },
      ] as CellSpec[],
      { runId: IDS[0] },
    ),
    makeRun(
      [
        { ...A, verdict: 'fail' },
        { ...B, verdict: 'pass' },
        { ...C, verdict: 'pass' },
      ] as CellSpec[],
      { runId: IDS[1] },
    ),
  ];
  const badge = (id: string) => page.locator(`#grid td[data-cell="${id}"] .change`);

  beforeAll(async () => {
    const reports = path.join(dir, 'reports');
    for (const r of RUNS) {
      const { history } = await historyFor(reports, r, 20);
      await writeRun(reports, r, { history });
    }
    await page.goto(pathToFileURL(path.join(reports, IDS[1]!, 'index.html')).href);
  });

  test('newly failing and newly passing cells carry a badge with the verdict before; an unchanged cell none', async () => {
    const [a, b, c] = [A, B, C].map((x) => cellOfName(`node${x.node}-`, RUNS[1]!));
    expect(await badge(a!).textContent()).toBe('newly failing');
    expect(await badge(a!).getAttribute('title')).toBe(`${IDS[0]}: pass → now fail`);
    expect(await badge(a!).evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(207, 34, 46)');
    expect(await badge(b!).textContent()).toBe('newly passing');
    expect(await badge(c!).count()).toBe(0);
    expect(await page.locator(`details#cell-${a} summary .change`).textContent()).toBe('newly failing');
    await page.screenshot({ path: path.join(output, 'report-html-badges.png') });
  });

  test('the first run has nothing to compare with: no badge', async () => {
    await page.goto(pathToFileURL(path.join(dir, 'reports', IDS[0]!, 'index.html')).href);
    expect(await page.locator('.change').count()).toBe(0);
    expect(problems).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
  });
});
