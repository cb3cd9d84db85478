/**
 * Turns zod issues into problems a person can act on: a key path, what was expected and what
 * was found. Unions (a selector may be a string, a list or a mapping) are reduced to the branch
 * the value was evidently meant for, so `max: "3"` says "expected a number", not "invalid input".
 */
import type { z } from 'zod';

export type KeyPath = (string | number)[];

export interface Problem {
  path: KeyPath;
  /** `expected X, found Y` (or another one-line explanation), without the path. */
  message: string;
  line?: number;
  col?: number;
  /** For unknown keys: point at the key itself rather than its value. */
  atKey?: boolean;
}

/** axes.tokenizer[1].package */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(top level)';
}

/** What a value looks like, in a few words: `"1.2.x"`, `the number 1.2`, `a list`, `nothing`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return value.length ? `a list of ${value.length}` : 'an empty list';
  return 'a mapping';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function valueAt(root: unknown, path: KeyPath): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

type Issue = z.core.$ZodIssue;

/** Issues of a union branch that got past the type check (the branch the user meant). */
const meant = (branch: Issue[]): boolean =>
  !branch.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || (i.code === 'invalid_union' && !i.errors.some(meant))));

function expectedTypes(issue: Issue): string[] {
  if (issue.code === 'invalid_type') return [issue.expected];
  if (issue.code === 'invalid_union') return issue.errors.flatMap((b) => b.flatMap(expectedTypes));
  return [];
}

function joinOr(words: string[]): string {
  const uniq = [...new Set(words)];
  if (uniq.length <= 1) return uniq[0] ?? 'something else';
  return `${uniq.slice(0, -1).join(', ')} or ${uniq.at(-1)}`;
}

export function problemsFromIssues(issues: Issue[], input: unknown, base: KeyPath = []): Problem[] {
  const all = collect(issues, input, base);
  // A pattern and a refinement often say the same thing about one value: say it once.
  const seen = new Set<string>();
  return all.filter((p) => {
    const key = `${formatPath(p.path)}\0${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function collect(issues: Issue[], input: unknown, base: KeyPath): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as KeyPath)];
    const found = describe(valueAt(input, path));
    switch (issue.code) {
      case 'invalid_union': {
        // A discriminated union (an axis' `kind`) says which values it knows, not which types.
        if ('options' in issue && issue.options?.length && issue.errors.length === 0) {
          out.push({ path, message: `expected one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}, found ${found}` });
          break;
        }
        const branches = issue.errors.filter(meant);
        if (branches.length >= 1) {
          // The deepest explanation wins: it names the exact key that is wrong.
          const best = [...branches].sort((a, b) => depth(b) - depth(a))[0]!;
          out.push(...collect(best, input, path));
        } else {
          const types = expectedTypes(issue).map((t) => TYPE_WORDS[t] ?? t);
          const value = valueAt(input, path);
          const hint = typeof value === 'number' && !Number.isInteger(value) ? ' (quote versions: YAML reads 1.20 as the number 1.2)' : '';
          out.push({ path, message: `expected ${joinOr(types)}, found ${found}${hint}` });
        }
        break;
      }
      case 'invalid_type': {
        const value = valueAt(input, path);
        if (value === undefined)
          out.push({ path, message: `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, found nothing (a required key is missing)` });
        else {
          const hint =
            issue.expected === 'int' || issue.expected === 'string'
              ? typeof value === 'number' && !Number.isInteger(value)
                ? ' (quote versions: YAML reads 1.20 as the number 1.2)'
                : ''
              : '';
          out.push({ path, message: `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, found ${found}${hint}` });
        }
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys)
          out.push({ path: [...path, key], atKey: true, message: `expected a known key, found unknown key ${JSON.stringify(key)}` });
        break;
      case 'invalid_key': {
        const key = path.at(-1);
        const inner = issue.issues[0];
        out.push({ path, atKey: true, message: `expected ${inner ? inner.message : 'a valid key'}, found key ${describe(key)}` });
        break;
      }
      case 'invalid_value':
        out.push({ path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${found}` });
        break;
      case 'too_small':
        out.push({
          path,
          message:
            issue.origin === 'array'
              ? `expected at least ${String(issue.minimum)} item(s), found ${found}`
              : issue.origin === 'string'
                ? `expected a non-empty string, found ${found}`
                : `expected a value ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}, found ${found}`,
        });
        break;
      case 'too_big':
        out.push({
          path,
          message:
            issue.origin === 'string'
              ? `expected at most ${String(issue.maximum)} characters, found ${found}`
              : `expected a value ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}, found ${found}`,
        });
        break;
      default:
        // Our allow-lists carry their expectation as the message ("an npm package name ...").
        out.push({ path, message: `expected ${issue.message}, found ${found}` });
    }
  }
  return out;
}

function depth(branch: Issue[]): number {
  return Math.max(0, ...branch.map((i) => i.path.length + (i.code === 'invalid_union' ? 1 : 0)));
}
