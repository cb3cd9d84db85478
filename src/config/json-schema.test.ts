import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { configJsonSchema } from './json-schema.js';

const FILE = new URL('../../schema/matrix-config.schema.json', import.meta.url);

// Regenerate after a schema change: UPDATE_SCHEMA=1 npx vitest run src/config/json-schema.test.ts
test('schema/matrix-config.schema.json is generated from the zod schema', () => {
  const generated = configJsonSchema();
  if (process.env.UPDATE_SCHEMA) writeFileSync(FILE, generated);
  expect(readFileSync(FILE, 'utf8'), 'run UPDATE_SCHEMA=1 npx vitest run src/config/json-schema.test.ts').toBe(generated);
});
