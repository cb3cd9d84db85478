"""Train the tiny Marian on a wall-clock budget. Writes ckpt/epochNNN.pt per epoch and logs to train.log."""
import argparse
import json
import math
import os
import random
import time

import torch
import torch.nn.functional as F

import data
import metrics
from model import Marian, base_config


def batches(pairs, max_tokens, rng):
    """Token-bucketed batches: sort by length (random tie order), cut at max_tokens padded tokens, shuffle batches."""
    idx = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][1]), len(pairs[i][0]), rng.random()))
    out, cur, mx = [], [], 0
    for i in idx:
        m = max(mx, len(pairs[i][0]), len(pairs[i][1]) + 1)
        if cur and m * (len(cur) + 1) > max_tokens:
            out.append(cur)
            cur, m = [], max(len(pairs[i][0]), len(pairs[i][1]) + 1)
        cur.append(i)
        mx = m
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def collate(pairs, ids, pad):
    src = [pairs[i][0] for i in ids]
    tgt = [pairs[i][1] for i in ids]
    S, T = max(map(len, src)), max(map(len, tgt))
    s = torch.full((len(ids), S), pad, dtype=torch.long)
    d = torch.full((len(ids), T), pad, dtype=torch.long)
    y = torch.full((len(ids), T), -100, dtype=torch.long)
    for j, (a, b) in enumerate(zip(src, tgt)):
        s[j, :len(a)] = torch.tensor(a)
        d[j, 0] = pad  # decoder starts from pad (Marian decoder_start_token_id)
        d[j, 1:len(b)] = torch.tensor(b[:-1])
        y[j, :len(b)] = torch.tensor(b)
    return s, (s != pad).long(), d, y


def translate(model, vocab, sources, bs=64):
    """Greedy translations of raw (NFKC'd) source strings, batched by length."""
    model.eval()
    enc = [vocab.encode(s)[:256] for s in sources]
    order = sorted(range(len(enc)), key=lambda i: len(enc[i]))
    out = [None] * len(enc)
    for k in range(0, len(order), bs):
        ids = order[k:k + bs]
        S = max(len(enc[i]) for i in ids)
        s = torch.full((len(ids), S), vocab.pad, dtype=torch.long)
        for j, i in enumerate(ids):
            s[j, :len(enc[i])] = torch.tensor(enc[i])
        hyp = model.greedy(s, (s != vocab.pad).long(), max_len=min(128, 2 * S + 10))
        for j, i in enumerate(ids):
            h = hyp[j]
            out[i] = vocab.decode(h[:h.index(vocab.eos)] if vocab.eos in h else h)
    return out


def dev_bleu(model, vocab, groups):
    hyps = translate(model, vocab, list(groups))
    return metrics.bleu(hyps, list(groups.values())), hyps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--work", required=True, help="dir for spm model, checkpoints")
    ap.add_argument("--minutes", type=float, default=80)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after N steps (smoke runs)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-tokens", type=int, default=4096)
    ap.add_argument("--lr", type=float, default=8e-4)
    ap.add_argument("--warmup", type=int, default=1000)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--eval-every", type=int, default=3, help="dev BLEU every N epochs")
    ap.add_argument("--log", default=None)
    # continuation of an earlier run (fresh Adam, schedule resumed at --step0 after a short re-warmup)
    ap.add_argument("--init", default=None, help="start from these weights")
    ap.add_argument("--step0", type=int, default=0, help="schedule position of --init")
    ap.add_argument("--epoch0", type=int, default=0, help="epochs already done (checkpoint numbering)")
    ap.add_argument("--rewarm", type=int, default=100)
    # v2: dictionary pairs (dictionary.mjs), a fresh random sample of them mixed into every epoch
    ap.add_argument("--dictionary", default=None, help="TSV of zh<TAB>en word pairs")
    ap.add_argument("--dictionary-per-epoch", type=int, default=8000)
    a = ap.parse_args()

    t0 = time.time()
    torch.set_num_threads(2)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed + a.epoch0)  # a continuation must not replay the first run's batch order
    os.makedirs(os.path.join(a.work, "ckpt"), exist_ok=True)
    logf = open(a.log or os.path.join(a.work, "train.log"), "a")

    def log(msg):
        line = f"[{time.strftime('%H:%M:%S')} +{(time.time() - t0) / 60:.1f}m] {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    train = data.read_tsv(os.path.join(a.data, "train.tsv"))
    dev = data.grouped(data.read_tsv(os.path.join(a.data, "dev.tsv")))
    spm_path = os.path.join(a.work, "spm.model")
    if not os.path.exists(spm_path):
        data.train_spm(train, a.work, seed=a.seed)
    vocab = data.Vocab(spm_path)
    pairs = [(vocab.encode(zh), vocab.encode(en)) for zh, en, _ in train]
    pairs = [p for p in pairs if len(p[0]) <= 128 and len(p[1]) <= 128]
    words = []
    if a.dictionary:
        # only words the vocabulary spells without <unk>: an unknown piece teaches nothing
        rows = data.read_tsv(a.dictionary)
        words = [(vocab.encode(zh), vocab.encode(en)) for zh, en, _ in rows]
        words = [w for w in words if data.UNK not in w[0] and data.UNK not in w[1] and len(w[1]) <= 12]
        log(f"dictionary pairs {len(words)} of {len(rows)}, {a.dictionary_per_epoch} per epoch")

    cfg = base_config(vocab.size)
    cfg["dropout"] = a.dropout
    json.dump(cfg, open(os.path.join(a.work, "model_config.json"), "w"), indent=1)
    model = Marian(cfg)
    if a.init:
        model.load_state_dict(torch.load(a.init, map_location="cpu"))
    nparam = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log(f"train pairs {len(pairs)}, vocab {vocab.size}, params {nparam}, args {vars(a)}")

    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=a.lr,
                           betas=(0.9, 0.98), eps=1e-9)
    # inverse-sqrt: linear warmup to the peak, then decay as 1/sqrt(step)
    def lr_factor(s):
        g = s + 1 + a.step0
        f = min(g / a.warmup, math.sqrt(a.warmup / g))
        return f * min(1.0, (s + 1) / a.rewarm) if a.init else f  # fresh Adam moments: ramp up again

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    budget = a.minutes * 60
    step, epoch, ep_time = a.step0, a.epoch0, 0.0
    while True:
        if time.time() - t0 + ep_time > budget:
            log(f"budget reached before epoch {epoch + 1}")
            break
        epoch += 1
        te = time.time()
        model.train()
        tot_loss = tot_tok = 0.0
        epoch_pairs = pairs + rng.sample(words, min(a.dictionary_per_epoch, len(words)))
        for bidx in batches(epoch_pairs, a.max_tokens, rng):
            s, sm, d, y = collate(epoch_pairs, bidx, vocab.pad)
            logits = model(s, sm, d)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                   ignore_index=-100, label_smoothing=0.1, reduction="sum")
            ntok = (y != -100).sum().item()
            opt.zero_grad()
            (loss / ntok).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            tot_loss += loss.item()
            tot_tok += ntok
            if step % 100 == 0:
                log(f"ep {epoch} step {step} loss/tok {tot_loss / tot_tok:.3f} lr {sched.get_last_lr()[0]:.2e}")
            if a.max_steps and step - a.step0 >= a.max_steps:
                break
        ep_time = time.time() - te
        torch.save(model.state_dict(), os.path.join(a.work, "ckpt", f"epoch{epoch:03d}.pt"))
        msg = f"epoch {epoch} done: steps {step} loss/tok {tot_loss / max(tot_tok, 1):.3f} ({ep_time:.0f}s)"
        if epoch % a.eval_every == 0 or a.max_steps:
            b, hyps = dev_bleu(model, vocab, dev)
            msg += f" dev BLEU {b:.2f} | {hyps[0]!r}"
        log(msg)
        if a.max_steps and step - a.step0 >= a.max_steps:
            break
    log(f"training stopped after {epoch} epochs, {step} steps, {(time.time() - t0) / 60:.1f} min")


if __name__ == "__main__":
    main()
