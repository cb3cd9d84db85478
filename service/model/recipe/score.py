"""Greedy-decode a split with the PyTorch model and report corpus BLEU / chrF / TER against all references."""
import argparse
import json
import os

import torch

import data
import metrics
from model import Marian
from train import translate


def score(model, vocab, tsv, hyp_out=None):
    g = data.grouped(data.read_tsv(tsv))
    hyps = translate(model, vocab, list(g))
    refs = list(g.values())
    if hyp_out:
        with open(hyp_out, "w", encoding="utf-8") as f:
            f.writelines(f"{zh}\t{h}\n" for zh, h in zip(g, hyps))
    return {"sources": len(g), "bleu": round(metrics.bleu(hyps, refs), 2), "chrf": round(metrics.chrf(hyps, refs), 2),
            "ter": round(metrics.ter(hyps, refs), 2)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--ckpt", default=None, help="default: WORK/final.pt")
    ap.add_argument("--data", required=True)
    ap.add_argument("--splits", default="dev", help="comma list; test only for the final report")
    ap.add_argument("--out", default=None, help="scores json")
    a = ap.parse_args()
    torch.set_num_threads(2)
    c = json.load(open(os.path.join(a.work, "model_config.json")))
    m = Marian(c)
    m.load_state_dict(torch.load(a.ckpt or os.path.join(a.work, "final.pt"), map_location="cpu"))
    vocab = data.Vocab(os.path.join(a.work, "spm.model"))
    res = {}
    for split in a.splits.split(","):
        res[split] = score(m, vocab, os.path.join(a.data, f"{split}.tsv"), os.path.join(a.work, f"{split}.hyp.tsv"))
        print(split, res[split], flush=True)
    if a.out:
        json.dump(res, open(a.out, "w"), indent=1)
