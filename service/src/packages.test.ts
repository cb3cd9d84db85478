import { describe, expect, it } from 'vitest';
import { dependencyVersions, type InstalledPackage } from './packages.js';

const pkg = (name: string, version: string, dir = `/node_modules/${name}`): InstalledPackage => ({ name, version, dir });

describe('dependencyVersions', () => {
  const installed = new Map([pkg('express', '5.3.0'), pkg('onnxruntime-node', '1.20.1'), pkg('@lenml/tokenizers', '3.0.0')].map((p) => [p.name, p]));
  const find = (name: string) => installed.get(name);

  it.each<[string, string[], InstalledPackage[], Record<string, string>]>([
    [
      'every declared and installed one',
      ['express', 'onnxruntime-node', '@lenml/tokenizers'],
      [],
      { express: '5.3.0', 'onnxruntime-node': '1.20.1', '@lenml/tokenizers': '3.0.0' },
    ],
    ['leaves out what is not installed', ['@huggingface/tokenizers', 'express'], [], { express: '5.3.0' }],
    [
      'a loaded copy wins over a lookup',
      ['express', 'onnxruntime-node'],
      [pkg('onnxruntime-node', '1.14.0', '/cell/node_modules/onnxruntime-node')],
      { express: '5.3.0', 'onnxruntime-node': '1.14.0' },
    ],
    ['a loaded copy the lookup would not find', ['@anush008/tokenizers'], [pkg('@anush008/tokenizers', '0.6.0')], { '@anush008/tokenizers': '0.6.0' }],
    ['only what is declared', ['express'], [pkg('onnxruntime-node', '1.14.0')], { express: '5.3.0' }],
  ])('%s', (_name, declared, loaded, expected) => {
    const versions = dependencyVersions(declared, loaded, find);
    expect(versions).toEqual(expected);
    expect(Object.keys(versions)).toEqual(Object.keys(expected));
  });
});
