/**
 * matrix.yaml text → a validated MatrixConfig, or problems with their place in the file.
 * Pure: no file system, never throws for bad input. readConfig (./index.ts) is the edge.
 */
import { MatrixConfig } from './schema.js';
import { formatPath, problemsFromIssues, type Problem } from './problems.js';
import { oldFormProblem } from './migrate.js';
import { RULES } from './rules.js';
import { placed, readYaml, type Locate } from './yaml.js';

export interface ParsedConfig {
  /** Present only when there are no problems. */
  config?: MatrixConfig;
  problems: Problem[];
  /** Line and column (1-based) of the value at a key path, or of its nearest existing parent. */
  locate: Locate;
}

export function parseConfig(text: string, _fileName = 'matrix.yaml'): ParsedConfig {
  const { value: input, problems: yamlProblems, locate } = readYaml(text);
  if (yamlProblems.length > 0) return { problems: yamlProblems, locate };
  if (input === null || input === undefined || typeof input !== 'object' || Array.isArray(input)) {
    const problem: Problem = {
      path: [],
      message: `expected a mapping with at least an \`axes\` key, found ${input == null ? 'an empty document' : Array.isArray(input) ? 'a list' : JSON.stringify(input)}`,
      line: 1,
      col: 1,
    };
    return { problems: [problem], locate };
  }

  const old = oldFormProblem(input as Record<string, unknown>);
  if (old) return { problems: placed([old], locate), locate };
  const result = MatrixConfig.safeParse(input);
  const problems = result.success ? RULES.flatMap((rule) => rule(result.data)) : problemsFromIssues(result.error.issues, input);
  const located = placed(problems, locate);
  return result.success && located.length === 0 ? { config: result.data, problems: [], locate } : { problems: located, locate };
}

/** `matrix.yaml:3:5: axes.node: expected ..., found ...` — the one line a user sees. */
export function formatProblem(fileName: string, p: Problem): string {
  const where = p.line === undefined ? fileName : `${fileName}:${p.line}:${p.col ?? 1}`;
  return p.path.length ? `${where}: ${formatPath(p.path)}: ${p.message}` : `${where}: ${p.message}`;
}
