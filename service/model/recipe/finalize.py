"""Pick the final weights using the DEV split only: each of the last 4 epoch checkpoints and the averages of
the last 4/6/8 of them are scored by greedy dev BLEU; the best one is saved as final.pt."""
import argparse
import glob
import json
import os

import torch

import data
from model import Marian
from train import dev_bleu


def average(paths):
    sds = [torch.load(p, map_location="cpu") for p in paths]
    return {k: sum(sd[k].float() for sd in sds) / len(sds) for k in sds[0]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--last", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(2)
    c = json.load(open(os.path.join(a.work, "model_config.json")))
    vocab = data.Vocab(os.path.join(a.work, "spm.model"))
    dev = data.grouped(data.read_tsv(os.path.join(a.data, "dev.tsv")))
    ckpts = sorted(glob.glob(os.path.join(a.work, "ckpt", "epoch*.pt")))[-a.last:]
    cands = [(os.path.basename(p)[:-3], [p]) for p in ckpts[-4:]]  # recent singles (fewer evals: CPU is shared)
    cands += [(f"avg_last{k}", ckpts[-k:]) for k in (4, 6, 8) if len(ckpts) >= k]
    model = Marian(c)
    results = []
    for name, paths in cands:
        model.load_state_dict(average(paths))
        b, _ = dev_bleu(model, vocab, dev)
        results.append((b, name, paths))
        print(f"{name}: dev BLEU {b:.2f}", flush=True)
    best = max(results, key=lambda r: r[0])
    torch.save(average(best[2]), os.path.join(a.work, "final.pt"))
    sel = {"selected": best[1], "dev_bleu": round(best[0], 2), "checkpoints": [os.path.basename(p) for p in best[2]],
           "candidates": {n: round(b, 2) for b, n, _ in results}}
    json.dump(sel, open(os.path.join(a.work, "selection.json"), "w"), indent=1)
    print("selected", sel)


if __name__ == "__main__":
    main()
