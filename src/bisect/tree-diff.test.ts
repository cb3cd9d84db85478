import { describe, expect, test } from 'vitest';
import { changeLine, installedVersions, treeDiff, type LockTree } from './tree-diff.js';

const GOOD: LockTree = {
  '': { version: '0.1.0' },
  'node_modules/@mt/cleaner': { version: '1.0.0' },
  'node_modules/@mt/text-helper': { version: '1.0.0' },
  'node_modules/@mt/palette': { version: '1.0.0' },
  'node_modules/@mt/legacy-colors': { version: '1.0.0' },
  'node_modules/express': { version: '5.1.0' },
  'node_modules/debug': { version: '4.4.0' },
  'node_modules/typescript': { version: '5.8.0', dev: true },
  'node_modules/local-lib': { link: true },
  'packages/local-lib': { version: '0.0.1' },
};
const BAD: LockTree = {
  '': { version: '0.1.0' },
  'node_modules/@mt/cleaner': { version: '1.0.0' },
  'node_modules/@mt/text-helper': { version: '1.2.0' },
  'node_modules/@mt/palette': { version: '1.1.0' },
  'node_modules/@mt/colors': { version: '1.0.0' },
  'node_modules/express': { version: '5.3.0' },
  'node_modules/debug': { version: '4.4.0' },
  'node_modules/express/node_modules/debug': { version: '2.6.9' },
  'node_modules/typescript': { version: '5.9.0', dev: true },
  'node_modules/local-lib': { link: true },
  'packages/local-lib': { version: '0.0.2' },
};

describe('installedVersions', () => {
  test('by name, nested copies included; root, links, workspace folders and dev-only entries left out', () => {
    expect(Object.fromEntries([...installedVersions(BAD)].map(([n, v]) => [n, [...v]]))).toEqual({
      '@mt/cleaner': ['1.0.0'],
      '@mt/text-helper': ['1.2.0'],
      '@mt/palette': ['1.1.0'],
      '@mt/colors': ['1.0.0'],
      express: ['5.3.0'],
      debug: ['4.4.0', '2.6.9'],
    });
  });
});

describe('treeDiff', () => {
  const diff = treeDiff(GOOD, BAD, new Set(['express']));
  test('changed, added and removed packages, sorted by name', () => {
    expect(diff.changes).toEqual([
      { package: '@mt/colors', from: null, to: '1.0.0' },
      { package: '@mt/legacy-colors', from: '1.0.0', to: null },
      { package: '@mt/palette', from: '1.0.0', to: '1.1.0' },
      { package: '@mt/text-helper', from: '1.0.0', to: '1.2.0' },
    ]);
    expect(diff.changes.map(changeLine)).toEqual([
      '@mt/colors none → 1.0.0',
      '@mt/legacy-colors 1.0.0 → none',
      '@mt/palette 1.0.0 → 1.1.0',
      '@mt/text-helper 1.0.0 → 1.2.0',
    ]);
  });
  test('unchanged packages keep their version', () => {
    expect(diff.unchanged).toEqual({ '@mt/cleaner': '1.0.0' });
  });
  test("an axis' package and a name at several versions are left out, saying why", () => {
    expect(diff.left).toEqual([
      {
        package: 'debug',
        why: expect.stringMatching(/^installed at several versions in one tree \(4\.4\.0 → 4\.4\.0 \+ 2\.6\.9\): npm overrides pin one version per name/),
      },
      { package: 'express', why: expect.stringMatching(/^a package of a matrix\.yaml axis \(5\.1\.0 → 5\.3\.0\): the cell's axis value decides it/) },
    ]);
  });
  test('the same tree twice has no changes', () => {
    expect(treeDiff(GOOD, GOOD).changes).toEqual([]);
  });
});
