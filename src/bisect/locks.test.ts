import { describe, expect, test } from 'vitest';
import { HF, makeLockfile, standardRun } from '../../test/fixtures/runs/make.js';
import { shownAxes } from '../axes/index.js';
import { planFreeze } from '../freeze/index.js';
import { UserError } from '../errors.js';
import { ddOutcomeOf, lockedCell, pinBack, pinnedManifest, pinsFor, readLock } from './locks.js';
import type { PackageChange } from './tree-diff.js';

const golden = () => {
  const planned = planFreeze({
    report: standardRun(),
    policy: 'newest',
    lockPath: '/p/golden.lock.json',
    serviceDir: '/p/service',
    tool: { name: 'onnx-matrix', version: '0.1.0' },
  });
  if (!planned.ok) throw new Error(planned.reasons.join('\n'));
  return planned.plan.lock;
};

describe('readLock', () => {
  test('a golden lock (lockVersion 2): its tree, and the lock for its axes', () => {
    const lock = golden();
    const r = readLock(JSON.parse(JSON.stringify(lock)), 'golden.lock.json');
    expect(r).toMatchObject({ kind: 'golden', tree: lock.tree, golden: { axes: lock.axes } });
  });
  test.each([2, 3])('an npm package-lock, lockfileVersion %i: its packages', (lockfileVersion) => {
    const lock = { ...(makeLockfile('1.20.1', HF) as { packages: object }), lockfileVersion };
    expect(readLock(lock, 'package-lock.json')).toEqual({ kind: 'npm', tree: lock.packages });
  });
  test.each([
    [
      'lockfileVersion 1',
      { lockfileVersion: 1, dependencies: {} },
      'a.json: lockfileVersion 1 has no "packages"; regenerate it with npm ≥ 7 (`npm install --package-lock-only`)',
    ],
    ['no packages', { lockfileVersion: 3 }, 'a.json: lockfileVersion 3 without "packages": not a lock npm wrote'],
    [
      'neither shape',
      { name: 'x' },
      'a.json: expected a golden.lock.json (lockVersion) or an npm package-lock.json (lockfileVersion 2 or 3), found neither key',
    ],
    ['not an object', [1], 'a.json: expected a golden.lock.json or an npm package-lock.json, found an array'],
  ])('refuses %s in one line', (_name, data, problem) => {
    expect(readLock(data, 'a.json')).toEqual({ problem });
  });
  test('a golden lock of another lockVersion is refused as freeze refuses it', () => {
    expect(() => readLock({ lockVersion: 1 }, 'g.json')).toThrow(UserError);
  });
});

const CHANGES: PackageChange[] = [
  { package: '@mt/colors', from: null, to: '1.0.0' },
  { package: '@mt/legacy-colors', from: '1.0.0', to: null },
  { package: '@mt/palette', from: '1.0.0', to: '1.1.0' },
  { package: '@mt/text-helper', from: '1.0.0', to: '1.2.0' },
];
const DIFF = { changes: CHANGES, unchanged: { '@mt/cleaner': '1.0.0' } };
const pick = (...names: string[]) => CHANGES.filter((c) => names.includes(c.package));

describe('pinsFor', () => {
  test.each([
    ['no change: the good tree', [], { '@mt/cleaner': '1.0.0', '@mt/legacy-colors': '1.0.0', '@mt/palette': '1.0.0', '@mt/text-helper': '1.0.0' }],
    [
      'every change: the bad tree (the removed package unpinned)',
      CHANGES,
      { '@mt/cleaner': '1.0.0', '@mt/colors': '1.0.0', '@mt/palette': '1.1.0', '@mt/text-helper': '1.2.0' },
    ],
    [
      'one change on the good tree',
      pick('@mt/text-helper'),
      { '@mt/cleaner': '1.0.0', '@mt/legacy-colors': '1.0.0', '@mt/palette': '1.0.0', '@mt/text-helper': '1.2.0' },
    ],
    [
      'an addition alone',
      pick('@mt/colors'),
      { '@mt/cleaner': '1.0.0', '@mt/colors': '1.0.0', '@mt/legacy-colors': '1.0.0', '@mt/palette': '1.0.0', '@mt/text-helper': '1.0.0' },
    ],
  ])('%s', (_name, subset, pins) => {
    expect(pinsFor(DIFF, subset)).toEqual(pins);
  });
});

describe('pinnedManifest', () => {
  test('pins as overrides; a direct dependency pinned to the same spec; other fields and overrides kept', () => {
    const service = {
      name: 'svc',
      version: '1.0.0',
      type: 'commonjs',
      dependencies: { '@mt/palette': '^1.0.0', left: '^2.0.0' },
      overrides: { other: '3.0.0' },
    };
    expect(pinnedManifest(service, { '@mt/palette': '1.1.0', '@mt/text-helper': '1.0.0' })).toEqual({
      name: 'svc',
      version: '1.0.0',
      type: 'commonjs',
      dependencies: { '@mt/palette': '1.1.0', left: '^2.0.0' },
      overrides: { other: '3.0.0', '@mt/palette': '1.1.0', '@mt/text-helper': '1.0.0' },
    });
  });
});

describe('pinBack', () => {
  test('each culprit at its good version; an added package has none', () => {
    expect(pinBack(pick('@mt/text-helper', '@mt/colors', '@mt/legacy-colors'))).toEqual({ '@mt/legacy-colors': '1.0.0', '@mt/text-helper': '1.0.0' });
  });
});

describe('lockedCell', () => {
  const cells = standardRun().cells.map((r) => r.cell);
  const fixedOf = (cell: (typeof cells)[number]) =>
    Object.fromEntries(Object.entries(shownAxes(cell.axes)).map(([a, value]) => [a, { value, from: 'golden.lock.json' }]));
  test('the cell with every fixed value', () => {
    const want = cells.filter((c) => c.status === 'planned').at(-1)!;
    expect(lockedCell(cells, fixedOf(want))).toEqual({ cell: want });
  });
  test('no such cell, or one the plan skips, is refused naming the values', () => {
    const fixed = fixedOf(cells[0]!);
    expect(lockedCell(cells, { ...fixed, node: { value: '9.9.9', from: '--with' } })).toEqual({
      problem: expect.stringMatching(/^the plan of matrix\.yaml has no cell with node=9\.9\.9 \(from --with\), /),
    });
    const skipped = cells.find((c) => c.status === 'skipped');
    if (skipped) expect(lockedCell(cells, fixedOf(skipped))).toEqual({ problem: expect.stringMatching(/^cell .* is skipped by the plan/) });
  });
});

describe('ddOutcomeOf', () => {
  test.each([
    ['pass', 'pass'],
    ['flaky', 'pass'],
    ['fail', 'fail'],
    ['start-error', 'fail'],
    ['crash', 'fail'],
    ['timeout', 'fail'],
    ['build-error', 'fail'],
    ['install-error', 'unresolved'],
    ['skipped', 'unresolved'],
    ['infra-error', 'stop'],
  ] as const)('%s → %s', (verdict, outcome) => {
    expect(ddOutcomeOf(verdict)).toBe(outcome);
  });
});
