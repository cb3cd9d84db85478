/**
 * reports/examples/ is rendered by this code from the standard fixture run
 * (test/fixtures/runs/examples.ts), so the examples in the repository are always what the tool
 * writes today. The test only reads: `npm run regenerate` rewrites them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { exampleFiles } from '../../test/fixtures/runs/examples.js';

const examples = fileURLToPath(new URL('../../reports/examples/', import.meta.url));
const REGENERATE = 'run `npm run regenerate` and review the diff';

const filesIn = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesIn(path.join(dir, e.name), path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );

test('reports/examples/ is what the reporters render from the standard fixture', () => {
  const expected = exampleFiles();
  expect(existsSync(examples), `reports/examples/ is missing: ${REGENERATE}`).toBe(true);
  expect(filesIn(examples).sort(), `reports/examples/ holds other files than the fixture renders: ${REGENERATE}`).toEqual(Object.keys(expected).sort());
  for (const [name, content] of Object.entries(expected)) {
    expect(readFileSync(path.join(examples, name), 'utf8'), `reports/examples/${name} is stale: ${REGENERATE}`).toBe(content);
  }
});
