import { describe, expect, test } from 'vitest';
import type { AxisKindName } from '../domain.js';
import { axesOf, layoutOf, type Layout } from './layout.js';

const AXES: Record<string, AxisKindName> = { node: 'runtime', 'onnxruntime-node': 'package', tokenizer: 'alternatives', express: 'package', model: 'model' };

describe('layoutOf', () => {
  test.each<[string, { rows?: string[]; columns?: string[] }, Layout]>([
    ['nothing asked: the runtime as columns, the rest as rows', {}, { rows: ['onnxruntime-node', 'tokenizer', 'express', 'model'], columns: ['node'] }],
    [
      'rows only: every other axis as columns',
      { rows: ['model', 'tokenizer'] },
      { rows: ['model', 'tokenizer'], columns: ['node', 'onnxruntime-node', 'express'] },
    ],
    [
      'columns only: every other axis as rows',
      { columns: ['model', 'node'] },
      { rows: ['onnxruntime-node', 'tokenizer', 'express'], columns: ['model', 'node'] },
    ],
    [
      'both: an axis named in neither joins the rows',
      { rows: ['model'], columns: ['node', 'tokenizer'] },
      { rows: ['model', 'onnxruntime-node', 'express'], columns: ['node', 'tokenizer'] },
    ],
  ])('%s', (_name, wanted, expected) => expect(layoutOf(wanted, AXES)).toEqual(expected));

  test('the runtime is found by kind, whatever its name', () => {
    expect(layoutOf({}, { ort: 'package', nodejs: 'runtime' })).toEqual({ rows: ['ort'], columns: ['nodejs'] });
  });
});

describe('axesOf', () => {
  test("name → kind, in the first cell's order, with axes only later cells have", () => {
    const cells: { axes: Record<string, { kind: AxisKindName }> }[] = [
      { axes: { node: { kind: 'runtime' }, model: { kind: 'model' } } },
      { axes: { node: { kind: 'runtime' }, express: { kind: 'package' } } },
    ];
    expect(axesOf(cells)).toEqual({ node: 'runtime', model: 'model', express: 'package' });
    expect(Object.keys(axesOf(cells))).toEqual(['node', 'model', 'express']);
  });
});
