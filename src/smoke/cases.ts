/**
 * Smoke cases (cases/*.yaml): sentences every cell must translate, each with an
 * expectation. Parsed with the yaml Document API so problems point at file:line:col.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { z } from 'zod';
import { UserError, at } from '../errors.js';

const Expect = z.union([
  z.object({ exact: z.string() }).strict(),
  z.object({ contains: z.string(), 'ignore-case': z.boolean().optional() }).strict(),
  z.object({ regex: z.string() }).strict(),
]);

const SmokeCase = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id of lowercase letters, digits and dashes'),
    text: z.string().min(1),
    expect: Expect,
  })
  .strict();

const SmokeFile = z.object({ cases: z.array(SmokeCase).min(1) }).strict();

export type SmokeCase = z.infer<typeof SmokeCase>;
export type Expectation = z.infer<typeof Expect>;

/** Pure: the text of a cases file → cases, or a UserError naming file:line:col. */
export function parseCases(text: string, file: string): SmokeCase[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new UserError(at(file, pos.line, pos.col, `invalid YAML: ${e.message.split('\n')[0]}`));
  }
  const parsed = SmokeFile.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = nodeAt(doc.contents as Node | null, issue.path as (string | number)[]);
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    const where = issue.path.join('.') || '(top level)';
    throw new UserError(at(file, pos?.line, pos?.col, `${where}: ${issue.message}`));
  }
  const ids = new Set<string>();
  for (const c of parsed.data.cases) {
    if (ids.has(c.id)) throw new UserError(at(file, undefined, undefined, `cases: duplicate id ${JSON.stringify(c.id)}`));
    ids.add(c.id);
    if ('regex' in c.expect) {
      try {
        new RegExp(c.expect.regex);
      } catch (error) {
        throw new UserError(at(file, undefined, undefined, `cases.${c.id}.expect.regex: expected a regular expression, found ${JSON.stringify(c.expect.regex)} (${(error as Error).message})`));
      }
    }
  }
  return parsed.data.cases;
}

function nodeAt(node: Node | null, path: (string | number)[]): Node | null {
  let cur: Node | null = node;
  for (const key of path) {
    if (isMap(cur)) cur = (cur.get(key, true) as Node | undefined) ?? cur;
    else if (isSeq(cur)) cur = (cur.get(Number(key), true) as Node | undefined) ?? cur;
    else break;
  }
  return cur;
}

export async function loadCases(file: string): Promise<SmokeCase[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`${file}: cannot read the smoke cases file`);
  }
  return parseCases(text, file);
}

/** Pure: does `output` meet the expectation? Returns a description of what was expected. */
export function meets(expect: Expectation, output: string): { ok: boolean; expected: string } {
  if ('exact' in expect) return { ok: output === expect.exact, expected: JSON.stringify(expect.exact) };
  if ('contains' in expect) {
    const ci = expect['ignore-case'];
    const ok = ci ? output.toLowerCase().includes(expect.contains.toLowerCase()) : output.includes(expect.contains);
    return { ok, expected: `contains ${JSON.stringify(expect.contains)}${ci ? ' (any case)' : ''}` };
  }
  return { ok: new RegExp(expect.regex).test(output), expected: `matches /${expect.regex}/` };
}
