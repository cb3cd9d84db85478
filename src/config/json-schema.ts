/** schema/matrix-config.schema.json, generated from the zod schema (the single source). */
import { z } from 'zod';
import { MatrixConfig } from './schema.js';

export function configJsonSchema(): string {
  // io: 'input' documents what a user may write (defaults optional, whole numbers for versions).
  const schema = z.toJSONSchema(MatrixConfig, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return `${JSON.stringify(
    {
      title: 'matrix.yaml',
      description: 'Configuration of the matrix CLI: axes, rules, install, smoke, run, image, freeze. Reference: docs/matrix-yaml.md',
      ...schema,
    },
    null,
    2,
  )}\n`;
}
