import { describe, expect, test } from 'vitest';
import { fixedAxes, type FixedInputs } from './fixed.js';

const AXES = ['node', 'onnxruntime-node', 'tokenizer', 'model'];
const FIRST = { node: '20.20.2', 'onnxruntime-node': '1.14.0', tokenizer: '@huggingface/tokenizers@0.2.0', model: 'fp32' };
const GOLDEN = { node: '24.22.3', 'onnxruntime-node': '1.30.0', tokenizer: '@lenml/tokenizers@3.7.2' };
const base: FixedInputs = { axes: AXES, bisected: 'node', withs: [], first: FIRST };
const values = (r: ReturnType<typeof fixedAxes>) =>
  'fixed' in r ? Object.fromEntries(Object.entries(r.fixed).map(([a, f]) => [a, `${f.value} (${f.from})`])) : r;

describe('fixedAxes', () => {
  test.each([
    [
      'the first planned cell by default',
      base,
      {
        'onnxruntime-node': '1.14.0 (the first planned cell)',
        tokenizer: '@huggingface/tokenizers@0.2.0 (the first planned cell)',
        model: 'fp32 (the first planned cell)',
      },
    ],
    [
      'the golden cell over the first planned one, where the lock has the axis',
      { ...base, golden: GOLDEN, goldenFile: 'golden.lock.json' },
      { 'onnxruntime-node': '1.30.0 (golden.lock.json)', tokenizer: '@lenml/tokenizers@3.7.2 (golden.lock.json)', model: 'fp32 (the first planned cell)' },
    ],
    [
      '--with over both; a value may hold `=`',
      { ...base, golden: GOLDEN, goldenFile: 'golden.lock.json', withs: ['onnxruntime-node=1.20.1', 'model=a=b'] },
      { 'onnxruntime-node': '1.20.1 (--with)', tokenizer: '@lenml/tokenizers@3.7.2 (golden.lock.json)', model: 'a=b (--with)' },
    ],
    [
      'the same --with twice is fine',
      { ...base, withs: ['model=fp32', 'model=fp32'] },
      { 'onnxruntime-node': '1.14.0 (the first planned cell)', tokenizer: '@huggingface/tokenizers@0.2.0 (the first planned cell)', model: 'fp32 (--with)' },
    ],
  ])('%s', (_name, inputs, expected) => {
    expect(values(fixedAxes(inputs))).toEqual(expected);
  });

  test.each([
    ['no =', ['model'], '--with model: expected <axis>=<value>, e.g. onnxruntime-node=<value as `matrix plan --json` shows it>'],
    ['no value', ['model='], '--with model=: expected <axis>=<value>, e.g. onnxruntime-node=<value as `matrix plan --json` shows it>'],
    ['an unknown axis', ['ort=1.14.0'], '--with ort=1.14.0: unknown axis "ort" (matrix.yaml has node, onnxruntime-node, tokenizer, model)'],
    ['the bisected axis', ['node=20.20.2'], '--with node=20.20.2: node is the axis being bisected'],
    ['two values for one axis', ['model=fp32', 'model=int8'], '--with model=int8: model is already given as fp32'],
  ])('refuses %s', (_name, withs, problem) => {
    expect(fixedAxes({ ...base, withs })).toEqual({ problem });
  });

  test('an axis with no value anywhere', () => {
    expect(fixedAxes({ axes: AXES, bisected: 'node', withs: ['onnxruntime-node=1.14.0'] })).toEqual({
      problem: 'no value for tokenizer: no golden lock has it and no cell is planned; pass --with tokenizer=<value>',
    });
  });
});
