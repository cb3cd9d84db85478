/**
 * Reading matrix.yaml: the file edge around the pure parser (./parse.ts). Any problem becomes a
 * UserError whose message is one line, `matrix.yaml:LINE:COL: key.path: expected X, found Y`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { formatProblem, parseConfig, type ParsedConfig } from './parse.js';
import type { Problem } from './problems.js';
import type { MatrixConfig } from './schema.js';

export { parseConfig } from './parse.js';
export type { Problem } from './problems.js';
export { missingPaths } from './files.js';
export { placed, readYaml } from './yaml.js';
export * from './schema.js';

export interface LoadedConfig {
  /** Absolute path of matrix.yaml; relative paths in it are relative to its folder. */
  file: string;
  /** As the user should see it in messages (relative to the working directory). */
  displayName: string;
  config: MatrixConfig;
  sha256: string;
  locate: ParsedConfig['locate'];
}

/** The first problem, plus how many more: one line. */
export function configError(displayName: string, problems: Problem[]): UserError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new UserError(first ? formatProblem(displayName, first) + more : `${displayName}: invalid`);
}

export async function readConfig(file: string): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  const displayName = path.relative(process.cwd(), abs) || file;
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? `${displayName}: not found (pass --config <file>, or start from the repository's matrix.yaml)`
        : `${displayName}: cannot read (${code ?? String(error)})`,
    );
  }
  const parsed = parseConfig(text, displayName);
  if (!parsed.config) throw configError(displayName, parsed.problems);
  return { file: abs, displayName, config: parsed.config, sha256: createHash('sha256').update(text).digest('hex'), locate: parsed.locate };
}

/** smoke.thresholds in the judge's units and names (src/verdict/checks.ts Thresholds). */
export function smokeThresholds(config: MatrixConfig): { bleu?: number; chrf?: number; startupMs?: number; p95Ms?: number; memoryMb?: number } {
  const t = config.smoke.thresholds;
  return {
    ...(t.bleu !== undefined ? { bleu: t.bleu } : {}),
    ...(t.chrf !== undefined ? { chrf: t.chrf } : {}),
    ...(t['startup-ms'] !== undefined ? { startupMs: t['startup-ms'] } : {}),
    ...(t['p95-ms'] !== undefined ? { p95Ms: t['p95-ms'] } : {}),
    ...(t['memory-mb'] !== undefined ? { memoryMb: t['memory-mb'] } : {}),
  };
}
