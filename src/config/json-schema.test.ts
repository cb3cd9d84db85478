import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { configJsonSchema } from './json-schema.js';

const FILE = new URL('../../schema/matrix-config.schema.json', import.meta.url);

// The test never writes the file: after a schema change, `npm run regenerate` and review the diff.
test('schema/matrix-config.schema.json is generated from the zod schema', () => {
  expect(readFileSync(FILE, 'utf8'), 'run npm run regenerate').toBe(configJsonSchema());
});

test('the JSON schema describes each kind of axis, and no key of the three-axis form', () => {
  const schema = JSON.parse(configJsonSchema()) as {
    properties: Record<string, { additionalProperties?: { oneOf?: { properties: { kind: { const: string } } }[] } }>;
  };
  expect(Object.keys(schema.properties)).not.toContain('node-source');
  expect(Object.keys(schema.properties)).not.toContain('model');
  const kinds = schema.properties.axes?.additionalProperties?.oneOf?.map((o) => o.properties.kind.const);
  expect(kinds).toEqual(['runtime', 'package', 'alternatives', 'model']);
});
