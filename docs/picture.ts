/**
 * The README's picture: a screenshot of a run's index.html in Chromium (test/helpers/browser.ts,
 * as the HTML tests launch it), the grid only.
 * Usage: npx vite-node docs/picture.ts <reports/run-dir> [docs/matrix-result.png]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/helpers/browser.js';

const [runDir, out = 'docs/matrix-result.png'] = process.argv.slice(2);
if (!runDir) throw new Error('usage: vite-node docs/picture.ts <reports/run-dir> [out.png]');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(path.resolve(runDir, 'index.html')).href);
  const grid = page.locator('table').first();
  await grid.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
