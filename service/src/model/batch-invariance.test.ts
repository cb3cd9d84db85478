import { describe, expect, it } from 'vitest';
import { BATCH_DEPENDENT_OPS, opTypesIn } from './batch-invariance.js';

// Hand-built protobuf: just the fields the scan could confuse with one another.
const varint = (n: number): number[] => (n < 128 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >>> 7)]);
const field = (n: number, body: Uint8Array): Uint8Array => Uint8Array.from([(n << 3) | 2, ...varint(body.length), ...body]);
const text = (s: string) => new TextEncoder().encode(s);
const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7. */
const node = (opType: string, more: { name?: string; domain?: string; branch?: Uint8Array } = {}) =>
  field(
    1, // GraphProto.node
    join(
      field(1, text('x')),
      field(2, text('y')),
      field(3, text(more.name ?? `${opType}_0`)),
      field(4, text(opType)),
      ...(more.branch ? [field(5, join(field(1, text('then_branch')), field(6, more.branch)))] : []),
      ...(more.domain ? [field(7, text(more.domain))] : []),
    ),
  );
/** ModelProto: ir_version 1 (varint), graph 7, with a float initializer that must not matter. */
const model = (...nodes: Uint8Array[]) => join(Uint8Array.of(0x08, 7), field(7, join(...nodes, field(5, new Uint8Array(300).fill(0x22)))));

const whole = (bytes: Uint8Array) => [bytes];

describe('opTypesIn', () => {
  it.each([
    ['an fp32 graph', model(node('MatMul'), node('Add')), []],
    ['a dynamically quantized graph', model(node('DynamicQuantizeLinear'), node('MatMulInteger')), ['DynamicQuantizeLinear']],
    ['the fused form onnxruntime saves', model(node('DynamicQuantizeMatMul', { domain: 'com.microsoft' })), ['DynamicQuantizeMatMul']],
    [
      'both, in list order',
      model(node('DynamicQuantizeMatMul', { domain: 'com.microsoft' }), node('DynamicQuantizeLinear')),
      ['DynamicQuantizeLinear', 'DynamicQuantizeMatMul'],
    ],
    ['static quantization (fixed scales)', model(node('QuantizeLinear'), node('DequantizeLinear')), []],
    ['a node only named after the op', model(node('QuantizeLinear', { name: 'DynamicQuantizeLinear' })), []],
    ['an op type the name only starts with', model(node('DynamicQuantizeLinearX')), []],
    ['the op inside an If branch', model(node('If', { branch: node('DynamicQuantizeLinear') })), ['DynamicQuantizeLinear']],
    ['no bytes at all', new Uint8Array(0), []],
  ])('%s → %j', (_name, bytes, expected) => {
    expect(opTypesIn(whole(bytes))).toEqual(expected);
  });

  it('finds an op type split across two chunks, at any cut', () => {
    const bytes = model(node('MatMul'), node('DynamicQuantizeLinear'));
    const cuts = Array.from({ length: bytes.length + 1 }, (_, cut) => opTypesIn([bytes.subarray(0, cut), bytes.subarray(cut)]));
    expect(new Set(cuts.map((c) => c.join()))).toEqual(new Set(['DynamicQuantizeLinear']));
  });

  it('finds it in many small chunks', () => {
    const bytes = model(node('MatMul'), node('DynamicQuantizeLinear'));
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(opTypesIn(chunks)).toEqual(['DynamicQuantizeLinear']);
  });

  it('stops reading once every op type is found', () => {
    let read = 0;
    function* chunks() {
      for (const bytes of [model(node('DynamicQuantizeLinear')), model(node('DynamicQuantizeMatMul')), model(node('MatMul'))]) {
        read++;
        yield bytes;
      }
    }
    expect(opTypesIn(chunks())).toEqual([...BATCH_DEPENDENT_OPS]);
    expect(read).toBe(2);
  });
});
