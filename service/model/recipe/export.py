"""Export a trained checkpoint to the Optimum / transformers.js folder layout.

Writes config.json, generation_config.json, tokenizer.json (portable form), tokenizer_config.json,
source.spm/target.spm/vocab.json (for Python's MarianTokenizer), onnx/encoder_model.onnx and
onnx/decoder_model_merged.onnx (no If node; opset 14; IR <= 8).
"""
import argparse
import json
import os
import shutil

import numpy as np
import onnx
from onnx import helper, numpy_helper
import torch
import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as spm_pb

from model import Marian

MODEL_ID = "matrix-bundled/opus-style-zh-en-tiny"


class EncoderWrap(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m.encode(input_ids, attention_mask)


class MergedDecoderWrap(torch.nn.Module):
    """One graph for both first step (zero-length past, use_cache_branch=false) and later steps.

    Self-attention k/v are concatenated onto the past (empty at step one); cross-attention k/v are always
    recomputed from encoder_hidden_states, so the past encoder k/v and use_cache_branch do not change the
    result. They are still graph inputs that loaders feed, so each is touched through "0 * its dynamic
    length" (past encoder k/v) or "0 * its value" (use_cache_branch) to keep torch.onnx from pruning them.
    (An empty-slice ReduceSum was tried first: onnxruntime 1.14 returns an empty tensor for it.)
    """

    def __init__(self, m):
        super().__init__()
        self.m = m
        self.n = m.c["decoder_layers"]

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states, *rest):
        flat, use_cache_branch = rest[:-1], rest[-1]
        past = [(flat[4 * i], flat[4 * i + 1]) for i in range(self.n)]
        logits, presents, cross = self.m.decode(input_ids, encoder_hidden_states, encoder_attention_mask, past)
        keep = use_cache_branch.long().sum() * 0
        for i in range(self.n):
            keep = keep + (flat[4 * i + 2].shape[2] + flat[4 * i + 3].shape[2]) * 0
        outs = [logits + keep]
        for (k, v), (ek, ev) in zip(presents, cross):
            outs += [k, v, ek, ev]
        return tuple(outs)


def past_names(n, prefix):
    names = []
    for i in range(n):
        for kind in ("decoder", "encoder"):
            names += [f"{prefix}.{i}.{kind}.key", f"{prefix}.{i}.{kind}.value"]
    return names


def export_onnx(model, onnx_dir):
    c = model.c
    n, h, hd = c["decoder_layers"], c["decoder_attention_heads"], c["d_model"] // c["decoder_attention_heads"]
    os.makedirs(onnx_dir, exist_ok=True)
    # distinct example sizes (batch 2, src 5, past 4, tgt 3) so no dimension is traced as a constant by accident
    b, s, p, t = 2, 5, 4, 3
    ids = torch.randint(2, c["vocab_size"] - 1, (b, s))
    mask = torch.ones(b, s, dtype=torch.long)
    mask[1, -1] = 0
    enc_path = os.path.join(onnx_dir, "encoder_model.onnx")
    torch.onnx.export(EncoderWrap(model), (ids, mask), enc_path, opset_version=14,
                      input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": {0: "batch_size", 1: "encoder_sequence_length"},
                                    "attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
                                    "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}})
    enc = model.encode(ids, mask)
    dec_ids = torch.randint(2, c["vocab_size"] - 1, (b, t))
    flat = []
    for i in range(n):
        flat += [torch.randn(b, h, p, hd), torch.randn(b, h, p, hd), torch.randn(b, h, s, hd), torch.randn(b, h, s, hd)]
    use_cache = torch.tensor([True])
    in_names = ["encoder_attention_mask", "input_ids", "encoder_hidden_states"] + past_names(n, "past_key_values") \
        + ["use_cache_branch"]
    out_names = ["logits"] + past_names(n, "present")
    dyn = {"encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
           "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
           "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
           "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for i in range(n):
        for k in ("key", "value"):
            dyn[f"past_key_values.{i}.decoder.{k}"] = {0: "batch_size", 2: "past_decoder_sequence_length"}
            dyn[f"past_key_values.{i}.encoder.{k}"] = {0: "batch_size", 2: "encoder_sequence_length_out"}
            dyn[f"present.{i}.decoder.{k}"] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
            dyn[f"present.{i}.encoder.{k}"] = {0: "batch_size", 2: "encoder_sequence_length_out"}
    dec_path = os.path.join(onnx_dir, "decoder_model_merged.onnx")
    torch.onnx.export(MergedDecoderWrap(model), (mask, dec_ids, enc, *flat, use_cache), dec_path,
                      opset_version=14, input_names=in_names, output_names=out_names, dynamic_axes=dyn)
    dedup_tied_embedding(dec_path)
    for path, want in ((enc_path, ["input_ids", "attention_mask"]), (dec_path, in_names)):
        m = onnx.load(path)
        if m.ir_version > 8:
            m.ir_version = 8  # onnxruntime-node 1.14 reads IR <= 8; opset 14 needs only IR 7
            onnx.save(m, path)
        onnx.checker.check_model(m)
        got = [i.name for i in m.graph.input]
        assert got == want, (path, got)
        assert not any(nd.op_type == "If" for nd in m.graph.node), path


def dedup_tied_embedding(path):
    """torch stores the output projection as a second, pre-transposed copy of the shared embedding (8 MB).
    Replace it by a Transpose of the embedding itself; onnxruntime constant-folds that at load time."""
    m = onnx.load(path)
    g = m.graph
    arrays = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    for n in g.node:
        b = arrays.get(n.input[1]) if n.op_type == "MatMul" else None
        if b is None or b.ndim != 2:
            continue
        for name, e in arrays.items():
            if e.shape == b.shape[::-1] and np.array_equal(e.T, b):
                t = helper.make_node("Transpose", [name], [name + "_T"], perm=[1, 0], name=name + "_transpose")
                dup, n.input[1] = n.input[1], name + "_T"
                g.node.insert(0, t)
                keep = [i for i in g.initializer if i.name != dup]
                del g.initializer[:]
                g.initializer.extend(keep)
                onnx.save(m, path)
                return


def tokenizer_json(sp_model_path, pad_id):
    proto = spm_pb.ModelProto()
    proto.ParseFromString(open(sp_model_path, "rb").read())
    vocab = [[p.piece, p.score if p.type == 1 else 0.0] for p in proto.pieces]  # type 1 = NORMAL piece
    vocab.append(["<pad>", 0.0])
    assert len(vocab) == pad_id + 1 and vocab[0][0] == "</s>" and vocab[1][0] == "<unk>"

    def special(i, tok):
        return {"id": i, "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True}

    metaspace = {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True,
                 "prepend_scheme": "always", "split": False}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [special(0, "</s>"), special(1, "<unk>"), special(pad_id, "<pad>")],
        "normalizer": {"type": "NFKC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, metaspace]},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [0], "tokens": ["</s>"]}},
        },
        "decoder": metaspace,
        "model": {"type": "Unigram", "unk_id": 1, "vocab": vocab, "byte_fallback": False},
    }


def hf_config(c, model_id=MODEL_ID):
    pad = c["pad_token_id"]
    return {
        "_name_or_path": model_id, "model_type": "marian", "architectures": ["MarianMTModel"],
        "is_encoder_decoder": True, "d_model": c["d_model"],
        "encoder_layers": c["encoder_layers"], "decoder_layers": c["decoder_layers"],
        "num_hidden_layers": c["encoder_layers"],
        "encoder_attention_heads": c["encoder_attention_heads"], "decoder_attention_heads": c["decoder_attention_heads"],
        "encoder_ffn_dim": c["encoder_ffn_dim"], "decoder_ffn_dim": c["decoder_ffn_dim"],
        "vocab_size": c["vocab_size"], "decoder_vocab_size": c["vocab_size"],
        "activation_function": "swish", "scale_embedding": True, "static_position_embeddings": True,
        "share_encoder_decoder_embeddings": True, "tie_word_embeddings": True,
        "normalize_before": False, "normalize_embedding": False, "add_bias_logits": False,
        "max_position_embeddings": c["max_position_embeddings"],
        "dropout": c["dropout"], "attention_dropout": c["attention_dropout"],
        "activation_dropout": c["activation_dropout"], "encoder_layerdrop": 0.0, "decoder_layerdrop": 0.0,
        "init_std": 0.02, "use_cache": True,
        "pad_token_id": pad, "decoder_start_token_id": pad, "eos_token_id": 0, "forced_eos_token_id": 0,
        "bos_token_id": 0, "bad_words_ids": [[pad]], "num_beams": 1, "max_length": 128,
        "torch_dtype": "float32", "transformers_version": "4.26.0",
    }


def export(ckpt, cfg_path, sp_model_path, out, model_id=MODEL_ID):
    c = json.load(open(cfg_path))
    model = Marian(c)
    model.load_state_dict(torch.load(ckpt, map_location="cpu"))
    model.eval()
    os.makedirs(out, exist_ok=True)
    pad = c["pad_token_id"]
    json.dump(hf_config(c, model_id), open(os.path.join(out, "config.json"), "w"), indent=2)
    json.dump({"_from_model_config": True, "num_beams": 1, "decoder_start_token_id": pad, "eos_token_id": 0,
               "forced_eos_token_id": 0, "pad_token_id": pad, "bos_token_id": 0, "bad_words_ids": [[pad]],
               "max_length": 128, "transformers_version": "4.26.0"},
              open(os.path.join(out, "generation_config.json"), "w"), indent=2)
    json.dump({"tokenizer_class": "MarianTokenizer", "model_max_length": 512, "eos_token": "</s>",
               "unk_token": "<unk>", "pad_token": "<pad>", "source_lang": "zh", "target_lang": "en",
               "separate_vocabs": False, "sp_model_kwargs": {}},
              open(os.path.join(out, "tokenizer_config.json"), "w"), indent=2)
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(sp_model_path, pad), f, ensure_ascii=False)
    # Python transformers' MarianTokenizer reads these three files (same shared vocabulary on both sides)
    shutil.copy(sp_model_path, os.path.join(out, "source.spm"))
    shutil.copy(sp_model_path, os.path.join(out, "target.spm"))
    sp = spm.SentencePieceProcessor(model_file=sp_model_path)
    v = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    v["<pad>"] = pad
    json.dump(v, open(os.path.join(out, "vocab.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=0)
    export_onnx(model, os.path.join(out, "onnx"))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--work", required=True, help="training dir with model_config.json and spm.model")
    ap.add_argument("--out", required=True)
    ap.add_argument("--model-id", default=MODEL_ID, help="config.json _name_or_path: what /version and /translate name")
    a = ap.parse_args()
    torch.set_num_threads(1)  # training owns the cores
    export(a.ckpt, os.path.join(a.work, "model_config.json"), os.path.join(a.work, "spm.model"), a.out, a.model_id)
    print("exported", a.out)
