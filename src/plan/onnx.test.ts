import { describe, expect, test } from 'vitest';
import { fromBytes } from './onnx.js';

/** Protobuf by hand: just enough of ModelProto to test the walker. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
};
const key = (field: number, wire: number) => varint(field * 8 + wire);
const bytesField = (field: number, payload: number[]) => [...key(field, 2), ...varint(payload.length), ...payload];
const text = (s: string) => [...new TextEncoder().encode(s)];
const opset = (domain: string, version: number) => bytesField(8, [...(domain ? bytesField(1, text(domain)) : []), ...key(2, 0), ...varint(version)]);
const model = (...parts: number[][]) => new Uint8Array(parts.flat());

describe('readOnnxHeader', () => {
  // [what, bytes, ir, opsets]
  const CASES: [string, Uint8Array, number, Record<string, number>][] = [
    ['ir and default-domain opset', model([...key(1, 0), ...varint(8)], opset('', 17)), 8, { '': 17 }],
    [
      'graph skipped by length, opset after it',
      model([...key(1, 0), ...varint(9)], bytesField(2, text('pytorch')), bytesField(7, new Array(300).fill(7)), opset('', 19), opset('com.microsoft', 1)),
      9,
      { '': 19, 'com.microsoft': 1 },
    ],
    ['ai.onnx spelled out is the default domain', model([...key(1, 0), ...varint(10)], opset('ai.onnx', 21)), 10, { '': 21 }],
    [
      'fixed64 and fixed32 fields skipped',
      model([...key(1, 0), ...varint(7)], [...key(20, 1), 1, 2, 3, 4, 5, 6, 7, 8], [...key(21, 5), 1, 2, 3, 4], opset('', 14)),
      7,
      { '': 14 },
    ],
    ['multi-byte varint lengths', model([...key(1, 0), ...varint(8)], bytesField(7, new Array(70000).fill(0)), opset('', 18)), 8, { '': 18 }],
  ];
  test.each(CASES)('%s', (_what, bytes, ir, opsets) => expect(fromBytes(bytes)).toEqual({ irVersion: ir, opsets }));

  test.each([
    ['no ir_version', model(opset('', 17)), /no ir_version/],
    ['a field running past the end', model([...key(1, 0), 8], [...key(7, 2), ...varint(100), 1, 2]), /runs past the end/],
    ['group wire type', model([...key(1, 0), 8], key(3, 3)), /wire type 3/],
  ])('rejects %s', (_what, bytes, message) => expect(() => fromBytes(bytes)).toThrow(message));
});
