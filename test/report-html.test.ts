/**
 * index.html in a real browser (Debian's Chromium through playwright-core): the page loads with
 * no network at all, the grid is colored per verdict, clicking a cell opens its checks, scores,
 * timings, charts and log. Leaves a screenshot in test-output/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderHtml } from '../src/report/html/index.js';
import { standardRun } from './fixtures/runs/make.js';

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
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
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
    expect(await page.locator('#grid thead th').allTextContents()).toEqual(['onnxruntime-node', 'tokenizer', 'express', 'model', 'node 20.18.1', 'node 22.11.0', 'node 24.1.0']);
    expect(await page.locator('#grid tbody tr').count()).toBe(5);
    // 14 cells on a 5 × 3 grid: int8 did not run on Node 24, its slot is empty.
    expect(await page.locator('#grid td.cell[data-cell]').count()).toBe(14);
    expect(await page.locator('#grid td.cell:not([data-cell])').count()).toBe(1);
    const colors = await page.locator('#grid td.cell[data-cell]').evaluateAll((tds) => tds.map((td) => `${td.className.split(' ')[1]}:${getComputedStyle(td).backgroundColor}`));
    expect(new Set(colors)).toEqual(
      new Set(['ok:rgb(218, 251, 225)', 'bad:rgb(255, 235, 233)', 'warn:rgb(255, 248, 197)', 'skip:rgb(234, 238, 242)']),
    );
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
    await page.goto(page.url().replace(/#.*$/, '') + `#cell-${id}`);
    await expect.poll(() => page.locator(`details#cell-${id}`).evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
  });
});
