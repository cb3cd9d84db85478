/**
 * Smoke cases (cases/*.yaml): sentences every cell must translate, each with an
 * expectation. Read like matrix.yaml (src/config/yaml.ts), so every problem is one line,
 * `file:line:col: key.path: expected X, found Y`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { configError, placed, readYaml } from '../config/index.js';
import { problemsFromIssues, type Problem } from '../config/problems.js';
import { UserError } from '../errors.js';
import { modelOf } from '../axes/index.js';
import type { MatrixConfig } from '../config/schema.js';
import type { Cell } from '../domain.js';

const KINDS = ['exact', 'contains', 'regex'] as const;

const regexSource = z
  .string()
  .refine((s) => regexError(s) === undefined, { error: (issue) => `a JavaScript regular expression (${regexError(String(issue.input))})` });

function regexError(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const Expect = z
  .strictObject({ exact: z.string().optional(), contains: z.string().optional(), 'ignore-case': z.boolean().optional(), regex: regexSource.optional() })
  .refine((e) => KINDS.filter((k) => e[k] !== undefined).length === 1, {
    error: 'exactly one of exact, contains or regex',
    // An unknown key (a misspelt kind) is the better explanation: say only that.
    when: (payload) => payload.issues.length === 0,
  });

const SmokeCase = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id of lowercase letters, digits and dashes'),
  text: z.string().min(1),
  expect: Expect,
});

const SmokeFile = z.strictObject({ cases: z.array(SmokeCase).min(1) });

export type SmokeCase = z.infer<typeof SmokeCase>;
export type Expectation = z.infer<typeof Expect>;

/** Pure: the text of a cases file → cases, or a UserError naming file:line:col. */
export function parseCases(text: string, file: string): SmokeCase[] {
  const yaml = readYaml(text);
  if (yaml.problems.length) throw configError(file, yaml.problems);
  const parsed = SmokeFile.safeParse(yaml.value);
  if (!parsed.success) throw configError(file, placed(problemsFromIssues(parsed.error.issues, yaml.value), yaml.locate));
  const duplicates = duplicateIds(parsed.data.cases);
  if (duplicates.length) throw configError(file, placed(duplicates, yaml.locate));
  return parsed.data.cases;
}

function duplicateIds(cases: SmokeCase[]): Problem[] {
  const first = new Map<string, number>();
  return cases.flatMap((c, i): Problem[] => {
    const seen = first.get(c.id);
    if (seen === undefined) first.set(c.id, i);
    return seen === undefined
      ? []
      : [{ path: ['cases', i, 'id'], message: `expected a unique id, found ${JSON.stringify(c.id)} again (first at cases[${seen}])` }];
  });
}

export async function loadCases(file: string): Promise<SmokeCase[]> {
  const name = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`${name}: cannot read the smoke cases file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseCases(text, name);
}

/** Pure: does `output` meet the expectation? Returns a description of what was expected. */
export function meets(expect: Expectation, output: string): { ok: boolean; expected: string } {
  if (expect.exact !== undefined) return { ok: output === expect.exact, expected: JSON.stringify(expect.exact) };
  if (expect.contains !== undefined) {
    const ci = expect['ignore-case'];
    const ok = ci ? output.toLowerCase().includes(expect.contains.toLowerCase()) : output.includes(expect.contains);
    return { ok, expected: `contains ${JSON.stringify(expect.contains)}${ci ? ' (any case)' : ''}` };
  }
  const regex = expect.regex ?? '';
  return { ok: new RegExp(regex).test(output), expected: `matches /${regex}/` };
}

/** The smoke cases file of a cell: its model variant's own (`cases`, relative to matrix.yaml), else smoke.cases. */
export const casesFileOf = (cell: Cell, smokeCases: string) => modelOf(cell)?.cases ?? smokeCases;

/** Every smoke cases file matrix.yaml names: smoke.cases and each model variant's own. */
export const casesFiles = (config: Pick<MatrixConfig, 'smoke' | 'axes'>) => [
  ...new Set([
    config.smoke.cases,
    ...Object.values(config.axes).flatMap((a) => (a.kind === 'model' ? Object.values(a.variants).flatMap((v) => (v.cases ? [v.cases] : [])) : [])),
  ]),
];
