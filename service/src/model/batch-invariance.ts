/**
 * Whether a sentence's translation can depend on the other rows of its encoder/decoder pass.
 *
 * Dynamic quantization (onnxruntime's `quantize_dynamic`, the `_quantized` files of Optimum
 * exports) quantizes activations at run time with one scale and zero point per tensor
 * (DynamicQuantizeLinear's `y_scale` is a scalar over its whole input), so the other sentences of
 * a batch and their padding change how each row is rounded. Measured on the bundled int8 encoder:
 * a sentence's hidden states move by up to 0.06 next to other sentences, padded or not (0 next to
 * a copy of itself; fp32 is bit-identical either way), and 70 of the 1,000 benchmark sources
 * translate differently in a batch of 32 than alone (onnxruntime-node 1.20.1).
 *
 * Found without parsing the graph: NodeProto.op_type is field 4, length-delimited, so a node of
 * type T is the bytes 0x22 <length of T> T wherever it sits (main graph, If branches, functions).
 * A node merely named after the op does not match: its name is field 1.
 */

/**
 * Op types that quantize a whole tensor with one dynamic scale: DynamicQuantizeLinear (ai.onnx),
 * and DynamicQuantizeMatMul (com.microsoft), what onnxruntime's optimizer fuses it into, found in
 * models saved after optimization.
 */
export const BATCH_DEPENDENT_OPS: readonly string[] = ['DynamicQuantizeLinear', 'DynamicQuantizeMatMul'];

const OP_TYPE_TAG = (4 << 3) | 2;

function opTypeBytes(opType: string): Buffer {
  const name = Buffer.from(opType, 'utf8');
  // A one-byte length keeps the pattern fixed; every op type is far shorter than 128 bytes.
  if (name.length >= 128) throw new Error(`op type ${opType} is too long to search for`);
  return Buffer.concat([Buffer.from([OP_TYPE_TAG, name.length]), name]);
}

/**
 * The op types of `opTypes` that some node of the ONNX model has, in `opTypes` order. Reads the
 * model as consecutive chunks (a 300 MB file need not be in memory at once); a pattern may span
 * two chunks.
 */
export function opTypesIn(chunks: Iterable<Uint8Array>, opTypes: readonly string[] = BATCH_DEPENDENT_OPS): string[] {
  const patterns = opTypes.map((op) => ({ op, bytes: opTypeBytes(op) }));
  const overlap = Math.max(0, ...patterns.map((p) => p.bytes.length - 1));
  const found = new Set<string>();
  let tail = Buffer.alloc(0);
  for (const bytes of chunks) {
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // The chunk as it is, and the seam with the previous one: copying whole chunks together
    // doubled the time of a scan.
    const seam = Buffer.concat([tail, chunk.subarray(0, overlap)]);
    for (const p of patterns) if (!found.has(p.op) && (chunk.includes(p.bytes) || seam.includes(p.bytes))) found.add(p.op);
    if (found.size === patterns.length) break;
    // Copied: a reader may reuse its buffer for the next chunk.
    tail = Buffer.from(chunk.length >= overlap ? chunk.subarray(chunk.length - overlap) : seam.subarray(Math.max(0, seam.length - overlap)));
  }
  return opTypes.filter((op) => found.has(op));
}
