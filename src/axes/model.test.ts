import { describe, expect, test } from 'vitest';
import { NO_SERVICE } from '../../test/fixtures/service-facts.js';
import type { Problem } from '../config/problems.js';
import { ModelAxis } from '../config/schema.js';
import type { AlternativesValue, AxisValue, ModelValue } from '../domain.js';
import { model, modelKey, variantFiles } from './model.js';
import type { ModelFacts, ResolveContext } from './types.js';

const SHA = { enc: 'e'.repeat(64), dec: 'd'.repeat(64), encQ: '1'.repeat(64), decQ: '2'.repeat(64), folder: 'f'.repeat(64) };

/** Facts as src/plan/model.ts reads them from disk, keyed the way the planner looks them up. */
function facts(folder: string, files: Record<string, [string, string, number, number]>): [string, ModelFacts] {
  const byRole = Object.fromEntries(Object.entries(files).map(([role, [path, sha256, irVersion, opset]]) => [role, { path, sha256, irVersion, opset }]));
  return [modelKey(folder, Object.fromEntries(Object.entries(files).map(([r, [p]]) => [r, p]))), { files: byRole, folderSha256: SHA.folder }];
}
const FACTS = Object.fromEntries([
  facts('m', { encoder: ['onnx/encoder_model.onnx', SHA.enc, 8, 17], decoder: ['onnx/decoder_model_merged.onnx', SHA.dec, 9, 14] }),
  facts('m', { encoder: ['onnx/encoder_model_quantized.onnx', SHA.encQ, 8, 19], decoder: ['onnx/decoder_model_merged_quantized.onnx', SHA.decQ, 8, 19] }),
]);

function fakeContext(known: Record<string, ModelFacts> = FACTS) {
  const problems: Problem[] = [];
  const ctx: ResolveContext = {
    service: NO_SERVICE,
    select: () => [],
    model: (folder, files) => known[modelKey(folder, files)],
    problem: (p) => problems.push(p),
  };
  return { ctx, problems };
}

const AXIS = ModelAxis.parse({
  kind: 'model',
  variants: {
    fp32: { folder: 'm', thresholds: { bleu: 25 } },
    int8: { folder: 'm', quantized: true, compare: { with: 'fp32', bleu: 1, chrf: 1 } },
  },
});
const FP32: ModelValue = {
  kind: 'model',
  variant: 'fp32',
  folder: 'm',
  files: { encoder: { path: 'onnx/encoder_model.onnx', sha256: SHA.enc }, decoder: { path: 'onnx/decoder_model_merged.onnx', sha256: SHA.dec } },
  folderSha256: SHA.folder,
  irVersion: 9,
  opset: 17,
  thresholds: { bleu: 25 },
};
const INT8: ModelValue = {
  kind: 'model',
  variant: 'int8',
  folder: 'm',
  files: {
    encoder: { path: 'onnx/encoder_model_quantized.onnx', sha256: SHA.encQ },
    decoder: { path: 'onnx/decoder_model_merged_quantized.onnx', sha256: SHA.decQ },
  },
  folderSha256: SHA.folder,
  irVersion: 8,
  opset: 19,
  thresholds: {},
  compare: { with: 'fp32', bleu: 1, chrf: 1 },
};

describe('model: which files a variant loads', () => {
  test.each([
    ['the default export', {}, { encoder: 'onnx/encoder_model.onnx', decoder: 'onnx/decoder_model_merged.onnx' }],
    [
      'quantized: the _quantized twins',
      { quantized: true },
      { encoder: 'onnx/encoder_model_quantized.onnx', decoder: 'onnx/decoder_model_merged_quantized.onnx' },
    ],
    ['files given', { files: { encoder: 'enc.onnx', decoder: 'dec.onnx' } }, { encoder: 'enc.onnx', decoder: 'dec.onnx' }],
    ['files given win over quantized', { quantized: true, files: { encoder: 'enc.onnx', decoder: 'dec.onnx' } }, { encoder: 'enc.onnx', decoder: 'dec.onnx' }],
  ])('%s', (_what, v, expected) => expect(variantFiles({ quantized: false, ...v })).toEqual(expected));
  test('the facts key does not depend on the order of the roles', () => {
    expect(modelKey('m', { encoder: 'a.onnx', decoder: 'b.onnx' })).toBe(modelKey('m', { decoder: 'b.onnx', encoder: 'a.onnx' }));
    expect(modelKey('m', { encoder: 'a.onnx', decoder: 'b.onnx' })).not.toBe(modelKey('n', { encoder: 'a.onnx', decoder: 'b.onnx' }));
  });
});

describe('model: values', () => {
  test("one per variant, with its files' hashes and the highest IR and opset over them", () => {
    const { ctx, problems } = fakeContext();
    expect(model.values(AXIS, 'model', ctx, ['axes', 'model'])).toEqual([
      { ...FP32, preference: 0 },
      { ...INT8, preference: 1 },
    ]);
    expect(problems).toEqual([]);
    expect(model.packages(AXIS, 'model')).toEqual([]);
  });
  test('a variant whose files were not read is a problem at its place, not a silent gap', () => {
    const { ctx, problems } = fakeContext({});
    const axis = ModelAxis.parse({ kind: 'model', variants: { fp32: { folder: 'm' }, own: { folder: 'm', files: { encoder: 'e.onnx', decoder: 'd.onnx' } } } });
    expect(model.values(axis, 'model', ctx, ['axes', 'model'])).toEqual([]);
    expect(problems.map((p) => p.path)).toEqual([
      ['axes', 'model', 'variants', 'fp32', 'folder'],
      ['axes', 'model', 'variants', 'own', 'files'],
    ]);
    expect(problems[0]?.message).toBe(
      'expected onnx/encoder_model.onnx and onnx/decoder_model_merged.onnx in m to be read before planning, found no facts about them',
    );
  });
  test.each([
    ['one variant', 'int8', ['int8']],
    ['a list', ['int8', 'fp32'], ['fp32', 'int8']],
  ])('include of %s', (_what, value, variants) => {
    const { ctx, problems } = fakeContext();
    expect(model.include(value, AXIS, 'model', ctx, ['include', 0, 'model']).map((v) => v.variant)).toEqual(variants);
    expect(problems).toEqual([]);
  });
  test('include of a variant the axis does not have', () => {
    const { ctx, problems } = fakeContext();
    expect(model.include('int4', AXIS, 'model', ctx, ['include', 0, 'model'])).toEqual([]);
    expect(problems).toEqual([{ path: ['include', 0, 'model'], message: 'expected a variant of axes.model (fp32, int8), found "int4"' }]);
  });
});

describe('model: rules', () => {
  test.each([
    ['int8', INT8, true],
    ['int8', FP32, false],
    [['fp32', 'int8'], FP32, true],
    [{ package: 'int8' }, INT8, false],
  ] as const)('%j matches %s', (m, v, expected) => expect(model.matches(m as never, v)).toBe(expected));
  test.each([
    ['fp32', undefined],
    [['fp32', 'int8'], undefined],
    ['int4', 'a variant of this axis (fp32, int8), found "int4"'],
    ['>=1', 'a variant of this axis (fp32, int8), found ">=1"'],
    [['fp32', 'fp16'], 'a variant of this axis (fp32, int8), found "fp16"'],
    [{ package: 'fp32' }, 'a variant name or a list of them (fp32, int8), found a mapping'],
  ] as const)('match value %j: %s', (m, expected) => expect(model.matchProblem(m as never, AXIS)).toBe(expected));
});

describe('model: what a cell shows and checks', () => {
  const line = `int8: onnx/decoder_model_merged_quantized.onnx sha256:${'2'.repeat(12)}, onnx/encoder_model_quantized.onnx sha256:${'1'.repeat(12)}`;
  test('label, shown and display are the variant; expected names its files', () => {
    expect([model.label(INT8), model.shown(INT8), model.display(INT8)]).toEqual(['int8', 'int8', 'int8']);
    expect(model.expected(INT8)).toBe(line);
  });
  test('a retrained checkpoint (other file hashes) is another cell', () => {
    const retrained = { ...INT8, files: { ...INT8.files, encoder: { path: 'onnx/encoder_model_quantized.onnx', sha256: '3'.repeat(64) } } };
    expect(model.canonical(retrained)).not.toBe(model.canonical(INT8));
    expect(model.canonical({ ...INT8, thresholds: { bleu: 1 }, folderSha256: '0' })).toBe(model.canonical(INT8));
  });
  test.each([
    [
      'the same files, in any order',
      {
        model: {
          variant: 'int8',
          files: [
            { path: 'onnx/encoder_model_quantized.onnx', sha256: SHA.encQ },
            { path: 'onnx/decoder_model_merged_quantized.onnx', sha256: SHA.decQ },
          ],
        },
      },
      line,
    ],
    [
      'other files',
      { model: { variant: 'fp32', files: [{ path: 'onnx/encoder_model.onnx', sha256: SHA.enc }] } },
      `fp32: onnx/encoder_model.onnx sha256:${'e'.repeat(12)}`,
    ],
    ['no model block', { runtime: { node: 'v20.0.0' } }, undefined],
    ['files not a list', { model: { variant: 'int8', files: 'x' } }, undefined],
  ])('seen: %s', (_what, version, expected) => expect(model.seen(INT8, version)).toBe(expected));
  test('variants order by name', () => expect([INT8, FP32].sort(model.compare).map((v) => v.variant)).toEqual(['fp32', 'int8']));
  test('newest (freeze) prefers the variant listed first; by name without a place', () => {
    expect(
      [
        { ...FP32, preference: 1 },
        { ...INT8, preference: 0 },
      ]
        .sort(model.newestFirst)
        .map((v) => v.variant),
    ).toEqual(['int8', 'fp32']);
    expect([INT8, FP32].sort(model.newestFirst).map((v) => v.variant)).toEqual(['fp32', 'int8']);
  });
  test('the service is told which variant and files to load; nothing is installed', () => {
    expect(model.serviceEnv(INT8)).toEqual({
      MODEL_VARIANT: 'int8',
      MODEL_FILES: 'encoder=onnx/encoder_model_quantized.onnx,decoder=onnx/decoder_model_merged_quantized.onnx',
    });
    expect(model.dependencies(INT8)).toEqual({});
    expect(model.replaces(INT8)).toEqual([]);
  });
});

describe('model: prune against the onnxruntime-node of the cell', () => {
  const ort = (version: string): AxisValue => ({ kind: 'package', package: 'onnxruntime-node', version, alias: 'ort' });
  test.each([
    ['opset 19 on 1.14.0 (up to 18)', INT8, ort('1.14.0'), 'model int8 needs ONNX IR 8 / opset 19; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18'],
    ['IR 9 on 1.14.0 (up to 8)', FP32, ort('1.14.0'), 'model fp32 needs ONNX IR 9 / opset 17; onnxruntime-node 1.14.0 loads up to IR 8 / opset 18'],
    ['within 1.20.1', INT8, ort('1.20.1'), undefined],
    ['a version newer than the table gets its last row', { ...FP32, irVersion: 13, opset: 26 }, ort('1.31.0'), undefined],
    ['a version older than the table: nothing known', INT8, ort('1.7.0'), undefined],
  ])('%s', (_what, v, o, expected) => expect(model.prune(v, { model: v, 'onnxruntime-node': o }, {}, NO_SERVICE)).toBe(expected));
  test('on any axis that installs onnxruntime-node, whatever its name', () => {
    const runtime: AlternativesValue = { kind: 'alternatives', package: 'onnxruntime-node', version: '1.14.0', alias: 'ort', others: [] };
    expect(model.prune(INT8, { model: INT8, runtime }, {}, NO_SERVICE)).toMatch(/^model int8 needs/);
  });
  test('without onnxruntime-node in the cell: nothing known', () => expect(model.prune(INT8, { model: INT8 }, {}, NO_SERVICE)).toBeUndefined());
});
