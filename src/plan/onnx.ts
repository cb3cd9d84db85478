/**
 * The IR version and opsets of an ONNX model, from the protobuf's top-level fields only:
 * ModelProto.ir_version (field 1, varint) and opset_import (field 8, OperatorSetIdProto with
 * domain = field 1, version = field 2). The graph (field 7, the weights) is skipped by its
 * length, so a 300 MB model costs a few small reads.
 */

export interface OnnxHeader {
  irVersion: number;
  /** domain ("" = ai.onnx) → opset version */
  opsets: Record<string, number>;
}

/** Reads `length` bytes at `offset` (a Uint8Array slice, or a file read at the edge). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

function varint(read: ReadAt, offset: number, size: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < Math.min(size, offset + 10); i++) {
    const byte = read(i, 1)[0]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new Error(`not an ONNX model: bad varint at byte ${offset}`);
}

/** Walks the top-level fields of a ModelProto of `size` bytes. Throws on bytes that are not one. */
export function readOnnxHeader(read: ReadAt, size: number): OnnxHeader {
  let pos = 0;
  let irVersion: number | undefined;
  const opsets: Record<string, number> = {};
  while (pos < size) {
    const key = varint(read, pos, size);
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    pos = key.next;
    if (wire === 0) {
      const v = varint(read, pos, size);
      if (field === 1) irVersion = v.value;
      pos = v.next;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint(read, pos, size);
      pos = len.next;
      if (pos + len.value > size) throw new Error(`not an ONNX model: field ${field} runs past the end`);
      if (field === 8) {
        const { domain, version } = opsetId(read(pos, len.value));
        const d = domain === 'ai.onnx' ? '' : domain;
        opsets[d] = Math.max(opsets[d] ?? 0, version);
      }
      pos += len.value;
    } else throw new Error(`not an ONNX model: wire type ${wire} at byte ${pos}`);
  }
  if (irVersion === undefined) throw new Error('not an ONNX model: no ir_version');
  return { irVersion, opsets };
}

function opsetId(bytes: Uint8Array): { domain: string; version: number } {
  const read: ReadAt = (o, l) => bytes.subarray(o, o + l);
  let pos = 0;
  let domain = '';
  let version = 0;
  while (pos < bytes.length) {
    const key = varint(read, pos, bytes.length);
    pos = key.next;
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    if (wire === 0) {
      const v = varint(read, pos, bytes.length);
      if (field === 2) version = v.value;
      pos = v.next;
    } else if (wire === 2) {
      const len = varint(read, pos, bytes.length);
      if (field === 1) domain = new TextDecoder().decode(bytes.subarray(len.next, len.next + len.value));
      pos = len.next + len.value;
    } else throw new Error('not an ONNX model: bad OperatorSetIdProto');
  }
  return { domain, version };
}

export const fromBytes = (bytes: Uint8Array): OnnxHeader => readOnnxHeader((o, l) => bytes.subarray(o, o + l), bytes.length);
