import { describe, expect, test } from 'vitest';
import { REPO_SERVICE } from '../../test/fixtures/service-facts.js';
import type { KeyPath } from '../config/problems.js';
import { AlternativesAxis } from '../config/schema.js';
import type { AlternativesValue } from '../domain.js';
import { alternatives, defaultAlias } from './alternatives.js';
import type { ResolveContext, SelectorValue } from './types.js';

/** A registry that knows the given versions per package. */
function fakeContext(known: Record<string, string[]>) {
  const asked: { pkg: string; selector: SelectorValue; path: KeyPath; namePath: KeyPath }[] = [];
  const ctx: ResolveContext = {
    service: REPO_SERVICE,
    select: (pkg, selector, path, namePath) => {
      asked.push({ pkg, selector, path, namePath });
      return known[pkg] ?? [];
    },
    model: () => undefined,
    problem: () => undefined,
  };
  return { ctx, asked };
}

const HF = '@huggingface/tokenizers';
const LENML = '@lenml/tokenizers';
const ANUSH = '@anush008/tokenizers';
const KNOWN = { [HF]: ['0.2.0'], [LENML]: ['3.7.2'], [ANUSH]: ['0.6.0'] };
const TOKENIZER = AlternativesAxis.parse({
  kind: 'alternatives',
  packages: [HF, { package: LENML, versions: { versions: '^3', select: 'latest-majors' }, alias: 'lenml3' }],
});
const value = (pkg: string, version: string, alias: string, others: string[]): AlternativesValue => ({
  kind: 'alternatives',
  package: pkg,
  version,
  alias,
  others,
});

describe('alternatives: values', () => {
  test('each package with its own versions; a cell has one, the others are left out', () => {
    const { ctx, asked } = fakeContext(KNOWN);
    expect(alternatives.values(TOKENIZER, 'tokenizer', ctx, ['axes', 'tokenizer'])).toEqual([
      value(HF, '0.2.0', 'hf-tokenizers', [LENML]),
      value(LENML, '3.7.2', 'lenml3', [HF]),
    ]);
    expect(asked).toEqual([
      // A bare name stands for its whole entry, so a problem points at it.
      { pkg: HF, selector: 'latest', path: ['axes', 'tokenizer', 'packages', 0], namePath: ['axes', 'tokenizer', 'packages', 0] },
      {
        pkg: LENML,
        selector: { versions: '^3', select: 'latest-majors', exclude: [] },
        path: ['axes', 'tokenizer', 'packages', 1, 'versions'],
        namePath: ['axes', 'tokenizer', 'packages', 1, 'package'],
      },
    ]);
    expect(alternatives.packages(TOKENIZER, 'tokenizer')).toEqual([HF, LENML]);
  });
  test('an include may bring a package the axis does not list; the axis packages are still left out', () => {
    const { ctx, asked } = fakeContext(KNOWN);
    expect(alternatives.include({ package: ANUSH, versions: 'latest' }, TOKENIZER, 'tokenizer', ctx, ['include', 0, 'tokenizer'])).toEqual([
      value(ANUSH, '0.6.0', 'anush008', [HF, LENML]),
    ]);
    expect(asked[0]).toMatchObject({ path: ['include', 0, 'tokenizer', 'versions'], namePath: ['include', 0, 'tokenizer', 'package'] });
  });
  test('an include of a list: each entry at its index; an axis package keeps the alias the axis gave it', () => {
    const { ctx, asked } = fakeContext(KNOWN);
    expect(alternatives.include([ANUSH, LENML], TOKENIZER, 'tokenizer', ctx, ['include', 2, 'tokenizer']).map((v) => `${v.alias}@${v.version}`)).toEqual([
      'anush008@0.6.0',
      'lenml3@3.7.2',
    ]);
    expect(asked.map((a) => a.path)).toEqual([
      ['include', 2, 'tokenizer', 0],
      ['include', 2, 'tokenizer', 1],
    ]);
  });
});

describe('alternatives: default aliases', () => {
  test.each([
    [HF, 'hf-tokenizers'],
    [LENML, 'lenml'],
    [ANUSH, 'anush008'],
    ['@huggingface/transformers', 'transformers'],
    ['@scope/some_lib.js', 'some-lib-js'],
    ['plain', 'plain'],
  ])('%s → %s', (name, alias) => expect(defaultAlias(name, REPO_SERVICE)).toBe(alias));
  test("the known ones are the service's own short names", () => {
    for (const l of REPO_SERVICE.tokenizerLibraries) expect(defaultAlias(l.package, REPO_SERVICE)).toBe(l.alias);
  });
});

describe('alternatives: rules', () => {
  const lenml = value(LENML, '3.7.2', 'lenml', [HF]);
  test.each([
    [LENML, true],
    [HF, false],
    [{ package: LENML }, true],
    [{ package: LENML, versions: '^3' }, true],
    [{ package: LENML, versions: '<3' }, false],
    [{ package: HF, versions: '*' }, false],
  ] as const)('%j matches lenml 3.7.2: %s', (m, expected) => expect(alternatives.matches(m as never, lenml)).toBe(expected));
  test.each([
    [LENML, undefined],
    [{ package: LENML, versions: '^3' }, undefined],
    [[LENML, HF], 'a package name or {package, versions}, found a list of 2'],
  ] as const)('match value %j: %s', (m, expected) => expect(alternatives.matchProblem(m as never, TOKENIZER)).toBe(expected));
});

describe('alternatives: what a cell shows, installs and checks', () => {
  const v = value(LENML, '3.7.2', 'lenml', [HF, ANUSH]);
  test('label, shown, display, expected, canonical', () => {
    expect(alternatives.label(v)).toBe('lenml3.7.2');
    expect(alternatives.shown(v)).toBe('@lenml/tokenizers@3.7.2');
    expect(alternatives.display(v)).toBe('lenml 3.7.2');
    expect(alternatives.expected(v)).toBe('@lenml/tokenizers@3.7.2');
    expect(alternatives.canonical(v)).toBe('@lenml/tokenizers@3.7.2');
    expect(alternatives.canonical({ ...v, alias: 'x', others: [] })).toBe(alternatives.canonical(v));
  });
  test('installs the chosen one and removes every other package of the axis', () => {
    expect(alternatives.dependencies(v)).toEqual({ [LENML]: '3.7.2' });
    expect(alternatives.replaces(v)).toEqual([LENML, HF, ANUSH]);
  });
  test.each([
    ['exactly the chosen one', { packages: { [LENML]: '3.7.2', express: '5.1.0' } }, '@lenml/tokenizers@3.7.2'],
    ['another version of it', { packages: { [LENML]: '3.6.0' } }, '@lenml/tokenizers@3.6.0'],
    ['one left over beside it', { packages: { [HF]: '0.2.0', [LENML]: '3.7.2' } }, '@lenml/tokenizers@3.7.2, @huggingface/tokenizers@0.2.0'],
    ['none of them', { packages: { express: '5.1.0' } }, 'none of @lenml/tokenizers, @huggingface/tokenizers, @anush008/tokenizers'],
    ['no packages reported', {}, undefined],
  ])('seen: %s', (_what, version, expected) => expect(alternatives.seen(v, version)).toBe(expected));
  test('order: package name, then version', () => {
    const sorted = [value(LENML, '3.7.2', 'lenml', []), value(HF, '0.10.0', 'hf', []), value(HF, '0.2.0', 'hf', [])].sort(alternatives.compare);
    expect(sorted.map((x) => alternatives.shown(x))).toEqual(['@huggingface/tokenizers@0.2.0', '@huggingface/tokenizers@0.10.0', '@lenml/tokenizers@3.7.2']);
  });
  test.each([
    ...REPO_SERVICE.tokenizerLibraries.map((l) => [l.package, undefined] as const),
    // A dependency of the service is loadable too.
    ['express', undefined] as const,
    ['tokenizers', `the service has no adapter for tokenizers (it loads ${REPO_SERVICE.tokenizerLibraries.map((l) => l.package).join(', ')})`] as const,
  ])('prune %s: %s', (name, expected) => expect(alternatives.prune(value(name, '1.0.0', 'x', []), {}, {}, REPO_SERVICE)).toBe(expected));
  test('sets no environment', () => expect(alternatives.serviceEnv(v)).toEqual({}));
});
