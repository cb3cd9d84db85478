import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { renderSchema } from './schema.js';

const file = fileURLToPath(new URL('../../schema/matrix.schema.json', import.meta.url));
const REGENERATE = 'run `npm run regenerate` and review the diff';

describe('schema/matrix.schema.json', () => {
  test('is in sync with the RunReport zod schema (`npm run regenerate` rewrites it)', () => {
    expect(existsSync(file), `schema/matrix.schema.json is missing: ${REGENERATE}`).toBe(true);
    expect(readFileSync(file, 'utf8'), `schema/matrix.schema.json is stale: ${REGENERATE}`).toBe(renderSchema());
  });

  test('describes the required top-level fields of a real report', () => {
    const schema = JSON.parse(renderSchema()) as { required: string[]; properties: Record<string, unknown> };
    const report = standardRun();
    for (const key of schema.required) expect(report).toHaveProperty(key);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['schemaVersion', 'runId', 'cells', 'hashes']));
  });
});
