/**
 * schema/matrix.schema.json is generated from the RunReport zod schema (src/domain.ts), the one
 * source of the type, the validation and the published schema. src/report/schema.test.ts fails
 * when the file is stale or missing; `npm run regenerate` (test/fixtures/regenerate.ts) rewrites it.
 */
import { z } from 'zod';
import { RunReport, SCHEMA_VERSION } from '../domain.js';

const SCHEMA_ID = `urn:onnx-matrix:schema:matrix.json:${SCHEMA_VERSION}`;

function matrixJsonSchema(): Record<string, unknown> {
  // io 'output': matrix.json as written, every default filled in.
  const generated = z.toJSONSchema(RunReport, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'matrix.json',
    description: `One run of the compatibility matrix (RunReport, schemaVersion ${SCHEMA_VERSION}): every cell with its versions, verdict, checks, timings, scores, log tail and image. See docs/reports.md.`,
    ...rest,
  };
}

export const renderSchema = () => `${JSON.stringify(matrixJsonSchema(), null, 2)}\n`;
