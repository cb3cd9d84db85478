import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { standardRun } from '../../test/fixtures/runs/make.js';
import { renderSchema } from './schema.js';

const file = fileURLToPath(new URL('../../schema/matrix.schema.json', import.meta.url));

describe('schema/matrix.schema.json', () => {
  test('is in sync with the RunReport zod schema (UPDATE_SCHEMA=1 regenerates it)', () => {
    const fresh = renderSchema();
    if (process.env.UPDATE_SCHEMA || !existsSync(file)) {
      mkdirSync(fileURLToPath(new URL('../../schema/', import.meta.url)), { recursive: true });
      writeFileSync(file, fresh);
    }
    expect(readFileSync(file, 'utf8')).toBe(fresh);
  });

  test('describes the required top-level fields of a real report', () => {
    const schema = JSON.parse(renderSchema()) as { required: string[]; properties: Record<string, unknown> };
    const report = standardRun();
    for (const key of schema.required) expect(report).toHaveProperty(key);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['schemaVersion', 'runId', 'cells', 'hashes']));
  });
});
