/**
 * The two-panel page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
 * type Chinese on the left, the English of POST /translate appears on the right; copy button;
 * API errors shown in the page; output inserted as text. Screenshots go to test-output/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { benchmarkSources, buildService, postJson, startService, testOutputDir, type ServiceProcess } from './helpers/service.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let service: ServiceProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(testOutputDir, { recursive: true });
  await buildService();
  service = await startService();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

beforeEach(async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 560 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: service.url });
  page = await context.newPage();
  await page.goto(`${service.url}/`);
});

/** A sentence the model translates to something non-empty (the preview model often answers ""). */
async function sentenceWithOutput(): Promise<{ text: string; expected: string }> {
  const sources = benchmarkSources().slice(0, 40);
  for (const text of sources) {
    const { json } = await postJson(`${service.url}/translate`, { text });
    if (json.translation) return { text, expected: json.translation };
  }
  return { text: sources[0]!, expected: '' };
}

describe('the two-panel page', () => {
  it('serves the page and its files from the service, with no third-party URL', async () => {
    expect(await page.locator('textarea#source').isVisible()).toBe(true);
    const html = await (await fetch(`${service.url}/`)).text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const file of ['app.js', 'style.css']) expect((await fetch(`${service.url}/${file}`)).status).toBe(200);
  });

  it('translates as you type and shows the English on the right', async () => {
    const { text, expected } = await sentenceWithOutput();
    await page.locator('#source').pressSequentially(text, { delay: 20 });
    await page.waitForFunction(
      (want) => document.querySelector('#target')?.textContent === want && document.querySelector('#status')?.textContent?.endsWith('ms'),
      expected,
    );
    expect(await page.locator('#target').textContent()).toBe(expected);
    expect(await page.locator('#error').isHidden()).toBe(true);
    await page.screenshot({ path: join(testOutputDir, 'service-page.png') });
    if (expected) {
      await page.locator('#copy').click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    }
  });

  it('debounces: typing a sentence sends far fewer requests than keystrokes', async () => {
    let requests = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/translate')) requests++;
    });
    const text = '我们今天去学校，明天去公园。';
    await page.locator('#source').pressSequentially(text, { delay: 30 });
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.endsWith('ms'));
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThan(text.length / 2);
  });

  it('shows the API error in the page', async () => {
    await page.route('**/translate', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        headers: { 'Retry-After': '1' },
        body: JSON.stringify({ error: { code: 'queue_full', message: 'too many requests are waiting; retry shortly' } }),
      }),
    );
    await page.locator('#source').fill('你好');
    await page.locator('#error').waitFor({ state: 'visible' });
    expect(await page.locator('#error').textContent()).toContain('too many requests are waiting');
    await page.screenshot({ path: join(testOutputDir, 'service-page-error.png') });
  });

  it('inserts the translation as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await page.route('**/translate', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ translation: evil, model: 'm', elapsed_ms: 1 }) }),
    );
    await page.locator('#source').fill('你好');
    await page.waitForFunction((want) => document.querySelector('#target')?.textContent === want, evil);
    expect(await page.locator('#target img, #target b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('clears the right panel when the input is emptied', async () => {
    await page.locator('#source').fill('你好');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.endsWith('ms'));
    await page.locator('#source').fill('');
    await page.waitForFunction(() => document.querySelector('#target')?.textContent === '' && document.querySelector('#status')?.textContent === '');
  });
});
