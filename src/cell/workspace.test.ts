import { describe, expect, it } from 'vitest';
import type { Cell } from '../domain.js';
import { cellManifest, npmVersionFor } from './workspace.js';

const cell = (pkg: string, version: string): Cell => ({
  id: 'x',
  name: 'x',
  node: '18.20.8',
  ort: '1.14.0',
  tokenizer: { package: pkg, version, alias: 'a' },
  status: 'planned',
  allowFailure: false,
  install: { env: {}, npmFlags: [] },
});

describe('cellManifest', () => {
  const service = { name: 'translation-service', version: '0.1.0', dependencies: { express: '^5.1.0', 'onnxruntime-node': '^1.20.1', '@huggingface/tokenizers': '^0.2.0' }, devDependencies: { x: '1' } };
  it('pins the axes and swaps the tokenizer library', () => {
    const m = cellManifest(service, cell('@lenml/tokenizers', '3.7.2'));
    expect(m.dependencies).toEqual({ '@lenml/tokenizers': '3.7.2', express: '^5.1.0', 'onnxruntime-node': '1.14.0' });
    expect(m).not.toHaveProperty('devDependencies');
  });
  it('keeps the same library at the exact version', () => {
    expect(cellManifest(service, cell('@huggingface/tokenizers', '0.0.6')).dependencies?.['@huggingface/tokenizers']).toBe('0.0.6');
  });
});

describe('npmVersionFor', () => {
  it.each([
    ['16.20.2', '9.9.4'],
    ['18.16.1', '9.9.4'],
    ['18.17.0', '10.9.9'],
    ['24.11.0', '10.9.9'],
  ])('node %s → npm %s', (node, npm) => expect(npmVersionFor(node)).toBe(npm));
});
