"""Write the JSON that the Node onnxruntime check reads: torch greedy ids for N dev sentences (batch 1,
unbatched so padding plays no part) and sentencepiece ids of every dev+test source."""
import argparse
import json
import os

import torch

import data
from model import Marian

ap = argparse.ArgumentParser()
ap.add_argument("--ckpt", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--data", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("-n", type=int, default=20)
a = ap.parse_args()
torch.set_num_threads(1)
c = json.load(open(os.path.join(a.work, "model_config.json")))
m = Marian(c)
m.load_state_dict(torch.load(a.ckpt, map_location="cpu"))
m.eval()
v = data.Vocab(os.path.join(a.work, "spm.model"))
dev = list(data.grouped(data.read_tsv(os.path.join(a.data, "dev.tsv"))))
test = list(data.grouped(data.read_tsv(os.path.join(a.data, "test.tsv"))))
dec = []
for zh in dev[:a.n]:
    ids = v.encode(zh)
    s = torch.tensor([ids])
    dec.append({"zh": zh, "src_ids": ids, "out_ids": m.greedy(s, torch.ones_like(s), max_len=128)[0]})
# raw (un-normalised) rows too, so the tokenizer.json NFKC normalizer is exercised
raw = [r.split("\t")[0] for f in ("dev.tsv", "test.tsv")
       for r in open(os.path.join(a.data, f), encoding="utf-8").read().splitlines()[1:]]
tok = [{"zh": zh, "ids": v.encode(data.nfkc(zh))} for zh in sorted(set(raw))]
json.dump({"decode": dec, "tok": tok}, open(a.out, "w"), ensure_ascii=False)
print(len(dec), "decode cases,", len(tok), "tokenizer cases")
