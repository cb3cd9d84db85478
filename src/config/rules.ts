/**
 * Cross-field rules that a per-key schema cannot say. Each is a small function from a config
 * that passed the schema to problems with key paths (changesets' `Rule` pattern).
 */
import type { Problem } from './problems.js';
import type { MatrixConfig } from './schema.js';

type Rule = (config: MatrixConfig) => Problem[];

const MATCH_KEYS = ['node', 'onnxruntime-node', 'tokenizer'] as const;

/** A rule that matches every cell is almost always a mistake (an empty `- {}` or a typo'd key). */
const rulesMatchSomething: Rule = (c) =>
  (['exclude', 'allow-failure', 'include'] as const).flatMap((list) =>
    c[list].flatMap((rule, i): Problem[] =>
      MATCH_KEYS.some((k) => rule[k] !== undefined) ? [] : [{ path: [list, i], message: `expected at least one of ${MATCH_KEYS.join(', ')}, found none` }],
    ),
  );

const installWhenMatches: Rule = (c) =>
  c.install.when.flatMap((w, i): Problem[] =>
    MATCH_KEYS.some((k) => w.match[k] !== undefined) ? [] : [{ path: ['install', 'when', i, 'match'], message: `expected at least one of ${MATCH_KEYS.join(', ')}, found none` }],
  );

const packageOf = (t: string | { package: string }) => (typeof t === 'string' ? t : t.package);

const tokenizersOnce: Rule = (c) => {
  const seen = new Map<string, number>();
  return c.axes.tokenizer.flatMap((t, i): Problem[] => {
    const name = packageOf(t);
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, i);
      return [];
    }
    return [{ path: ['axes', 'tokenizer', i], message: `expected each tokenizer package once, found ${JSON.stringify(name)} again (first at axes.tokenizer[${first}]); list its versions in one entry` }];
  });
};

const aliasesDistinct: Rule = (c) => {
  const seen = new Map<string, string>();
  return c.axes.tokenizer.flatMap((t, i): Problem[] => {
    if (typeof t === 'string' || !t.alias) return [];
    const other = seen.get(t.alias);
    seen.set(t.alias, t.package);
    return other && other !== t.package ? [{ path: ['axes', 'tokenizer', i, 'alias'], message: `expected a distinct alias, found ${JSON.stringify(t.alias)} (already used by ${other})` }] : [];
  });
};

const imagePlaceholders: Rule = (c) =>
  (['base', 'local-base'] as const).flatMap((k): Problem[] =>
    c.image[k].includes('{node') ? [] : [{ path: ['image', k], message: `expected a {node} or {node-major} placeholder (one base per Node version), found ${JSON.stringify(c.image[k])}` }],
  );

export const RULES: Rule[] = [rulesMatchSomething, installWhenMatches, tokenizersOnce, aliasesDistinct, imagePlaceholders];
