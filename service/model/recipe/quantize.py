"""Dynamic int8 quantisation of the exported graphs without onnxruntime's Python tools (not installable here).

Every MatMul whose right operand is a weight initializer becomes
  DynamicQuantizeLinear(x) -> MatMulInteger(x_u8, W_s8) -> Cast(float) -> Mul(x_scale * w_scale[col])
with symmetric per-output-column int8 weights (the same scheme as onnxruntime's quantize_dynamic, per_channel).
Embedding Gathers read an int8 table and dequantize only the gathered rows. Writes *_quantized.onnx twins.
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def quantize(src, dst):
    m = onnx.load(src)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    used = {}  # initializer -> number of consumers
    for n in g.node:
        for i in n.input:
            used[i] = used.get(i, 0) + 1
    # a MatMul weight may be Transpose(initializer) (the tied output projection, see export.py)
    transposed = {n.output[0]: (n, inits[n.input[0]]) for n in g.node
                  if n.op_type == "Transpose" and n.input[0] in inits and list(n.attribute[0].ints) == [1, 0]}
    new_nodes, new_inits, drop, skip = [], [], set(), set()
    for n in g.node:
        w = inits.get(n.input[1]) if n.op_type == "MatMul" and len(n.input) == 2 else None
        W = None
        if w is not None and len(w.dims) == 2:
            W = numpy_helper.to_array(w).astype(np.float32)
        elif n.op_type == "MatMul" and n.input[1] in transposed and used[n.input[1]] == 1:
            tnode, w = transposed[n.input[1]]
            W = numpy_helper.to_array(w).astype(np.float32).T
            skip.add(id(tnode))
        if W is not None:
            scale = np.maximum(np.abs(W).max(axis=0), 1e-8) / 127.0
            Wq = np.clip(np.round(W / scale), -127, 127).astype(np.int8)
            p = n.name.strip("/").replace("/", "_") or n.output[0]
            new_inits += [numpy_helper.from_array(Wq, f"{p}_Wq"), numpy_helper.from_array(scale, f"{p}_Wscale")]
            new_nodes += [
                helper.make_node("DynamicQuantizeLinear", [n.input[0]], [f"{p}_xq", f"{p}_xs", f"{p}_xz"]),
                helper.make_node("MatMulInteger", [f"{p}_xq", f"{p}_Wq", f"{p}_xz"], [f"{p}_i32"]),
                helper.make_node("Cast", [f"{p}_i32"], [f"{p}_f32"], to=TensorProto.FLOAT),
                helper.make_node("Mul", [f"{p}_xs", f"{p}_Wscale"], [f"{p}_s"]),
                helper.make_node("Mul", [f"{p}_f32", f"{p}_s"], n.output),
            ]
            used[w.name] -= 1
            if used[w.name] == 0:
                drop.add(w.name)
            continue
        t = inits.get(n.input[0]) if n.op_type == "Gather" else None
        if t is not None and len(t.dims) == 2 and t.dims[0] > 1000:  # the shared token embedding
            E = numpy_helper.to_array(t).astype(np.float32)
            s = np.float32(np.abs(E).max() / 127.0)
            p = n.name.strip("/").replace("/", "_") or n.output[0]
            new_inits += [numpy_helper.from_array(np.clip(np.round(E / s), -127, 127).astype(np.int8), f"{p}_Eq"),
                          numpy_helper.from_array(np.array(s, dtype=np.float32), f"{p}_Es"),
                          numpy_helper.from_array(np.array(0, dtype=np.int8), f"{p}_Ez")]
            new_nodes += [helper.make_node("Gather", [f"{p}_Eq", n.input[1]], [f"{p}_rows"], axis=0),
                          helper.make_node("DequantizeLinear", [f"{p}_rows", f"{p}_Es", f"{p}_Ez"], n.output)]
            used[t.name] -= 1
            if used[t.name] == 0:
                drop.add(t.name)
            continue
        new_nodes.append(n)
    new_nodes = [n for n in new_nodes if id(n) not in skip]
    keep = [i for i in g.initializer if i.name not in drop]
    del g.node[:]
    g.node.extend(new_nodes)
    del g.initializer[:]
    g.initializer.extend(keep + new_inits)
    onnx.checker.check_model(m)
    onnx.save(m, dst)


if __name__ == "__main__":
    onnx_dir = sys.argv[1]
    for name in ("encoder_model", "decoder_model_merged"):
        quantize(f"{onnx_dir}/{name}.onnx", f"{onnx_dir}/{name}_quantized.onnx")
    print("wrote quantized twins in", onnx_dir)
