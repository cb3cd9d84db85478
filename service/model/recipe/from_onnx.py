"""Recover PyTorch weights from an exported model folder (the warm start of v2 from the shipped v1).

torch.onnx.export names the transposed projection weights `onnx::MatMul_N`. A model with random weights is
exported the same way, and each of its initializers is matched to the parameter it equals (as is or transposed);
the shipped folder's initializers of the same names are then read back into those parameters."""
import argparse
import json
import os
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from export import export_onnx
from model import Marian, base_config


def arrays(path):
    return {i.name: numpy_helper.to_array(i) for i in onnx.load(path).graph.initializer}


def recover(folder):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    model = Marian(base_config(cfg["vocab_size"]))
    torch.manual_seed(0)
    for p in model.parameters():
        torch.nn.init.normal_(p)  # distinct values, so every initializer matches exactly one parameter
    params = {n: p.detach().numpy() for n, p in model.named_parameters()}
    state = model.state_dict()
    with tempfile.TemporaryDirectory() as tmp:
        export_onnx(model.eval(), tmp)
        probes = {f: arrays(os.path.join(tmp, f)) for f in ("encoder_model.onnx", "decoder_model_merged.onnx")}
    found = {}
    for f, probe in probes.items():
        shipped = arrays(os.path.join(folder, "onnx", f))
        for name, a in probe.items():
            for n, p in params.items():
                if p.shape == a.shape and np.array_equal(p, a):
                    found[n] = shipped[name]
                elif p.T.shape == a.shape and p.ndim == 2 and np.array_equal(p.T, a):
                    found[n] = shipped[name].T
    missing = [n for n in params if n not in found]
    assert not missing, f"parameters not found in the export: {missing}"
    for n, a in found.items():
        state[n] = torch.from_numpy(np.ascontiguousarray(a))
    return state


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True, help="an exported model folder (config.json, onnx/)")
    ap.add_argument("--out", required=True, help="where to write the state dict (.pt)")
    a = ap.parse_args()
    torch.set_num_threads(2)
    torch.save(recover(a.folder), a.out)
    print("recovered", a.out)
