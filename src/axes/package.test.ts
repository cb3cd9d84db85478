import { describe, expect, test } from 'vitest';
import { NO_SERVICE } from '../../test/fixtures/service-facts.js';
import type { KeyPath } from '../config/problems.js';
import { PackageAxis } from '../config/schema.js';
import type { PackageValue } from '../domain.js';
import { pkg } from './package.js';
import type { ResolveContext, SelectorValue } from './types.js';

function fakeContext(versions: string[]) {
  const asked: { pkg: string; selector: SelectorValue; path: KeyPath; namePath: KeyPath }[] = [];
  const ctx: ResolveContext = {
    service: NO_SERVICE,
    select: (name, selector, path, namePath) => {
      asked.push({ pkg: name, selector, path, namePath });
      return versions;
    },
    model: () => undefined,
    problem: () => undefined,
  };
  return { ctx, asked };
}

const ort = (version: string): PackageValue => ({ kind: 'package', package: 'onnxruntime-node', version, alias: 'ort' });

describe('package: values', () => {
  test('the package is the axis name unless `package` says otherwise; so is the alias', () => {
    const { ctx, asked } = fakeContext(['5.1.0']);
    expect(pkg.values(PackageAxis.parse({ kind: 'package' }), 'express', ctx, ['axes', 'express'])).toEqual([
      { kind: 'package', package: 'express', version: '5.1.0', alias: 'express' },
    ]);
    // Without a `package` key, an unknown package is reported at the axis itself.
    expect(asked[0]).toEqual({
      pkg: 'express',
      selector: { versions: 'latest', select: 'all', exclude: [] },
      path: ['axes', 'express'],
      namePath: ['axes', 'express'],
    });
  });
  test('a named package and alias', () => {
    const { ctx, asked } = fakeContext(['1.14.0', '1.20.1']);
    const config = PackageAxis.parse({ kind: 'package', package: 'onnxruntime-node', alias: 'ort', versions: ['1.14.0', '1.20.1'] });
    expect(pkg.values(config, 'runtime-lib', ctx, ['axes', 'runtime-lib'])).toEqual([ort('1.14.0'), ort('1.20.1')]);
    expect(asked[0]?.namePath).toEqual(['axes', 'runtime-lib', 'package']);
    expect(pkg.packages(config, 'runtime-lib')).toEqual(['onnxruntime-node']);
  });
  test('an include entry is a selector of its own, at its place', () => {
    const { ctx, asked } = fakeContext(['1.22.0']);
    const config = PackageAxis.parse({ kind: 'package', alias: 'ort' });
    expect(pkg.include(['1.22.0'], config, 'onnxruntime-node', ctx, ['include', 1, 'onnxruntime-node'])).toEqual([ort('1.22.0')]);
    expect(asked[0]).toMatchObject({ selector: ['1.22.0'], path: ['include', 1, 'onnxruntime-node'], namePath: ['include', 1, 'onnxruntime-node'] });
  });
});

describe('package: rules', () => {
  test.each([
    ['1.20.1', '1.20.1', true],
    ['>=1.22', '1.20.1', false],
    ['<1.20 || 1.30.0', '1.14.0', true],
    // Prereleases count: a range is about the version line, not stability.
    ['>=1.24', '1.25.0-dev.1', true],
  ])('%s matches %s: %s', (range, version, expected) => expect(pkg.matches(range, ort(version))).toBe(expected));
  test.each([
    ['^1.20', undefined],
    ['new', 'a semver range, found "new"'],
    [['1.14.0'], 'a semver range, found a list of 1'],
  ] as const)('match value %j: %s', (m, expected) => expect(pkg.matchProblem(m as never, PackageAxis.parse({ kind: 'package' }))).toBe(expected));
});

describe('package: what a cell shows, installs and checks', () => {
  const v = ort('1.20.1');
  test('label, shown, display, expected, canonical', () => {
    expect(pkg.label(v)).toBe('ort1.20.1');
    expect([pkg.shown(v), pkg.display(v), pkg.expected(v)]).toEqual(['1.20.1', '1.20.1', '1.20.1']);
    expect(pkg.canonical(v)).toBe('onnxruntime-node@1.20.1');
    expect(pkg.canonical({ ...v, alias: 'onnx' })).toBe(pkg.canonical(v));
  });
  test('pins the exact version, in place of the service range', () => {
    expect(pkg.dependencies(v)).toEqual({ 'onnxruntime-node': '1.20.1' });
    expect(pkg.replaces(v)).toEqual(['onnxruntime-node']);
  });
  test.each([
    ['loaded', { packages: { 'onnxruntime-node': '1.20.1' } }, '1.20.1'],
    ['another version loaded', { packages: { 'onnxruntime-node': '1.22.0' } }, '1.22.0'],
    ['packages reported, this one not', { packages: { express: '5.1.0' } }, 'not installed'],
    ['no packages reported', { runtime: { node: 'v20.0.0' } }, undefined],
  ])('seen: %s', (_what, version, expected) => expect(pkg.seen(v, version)).toBe(expected));
  test('versions compare as semver', () =>
    expect([ort('1.9.0'), ort('1.14.0'), ort('1.10.2')].sort(pkg.compare).map((x) => x.version)).toEqual(['1.9.0', '1.10.2', '1.14.0']));
  test("prunes nothing of its own (engines.node is the planner's, for every package)", () =>
    expect(pkg.prune(v, { 'onnxruntime-node': v }, {}, NO_SERVICE)).toBeUndefined());
});
