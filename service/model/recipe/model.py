"""Tiny MarianMT in plain torch.

Parameter names follow transformers' MarianMTModel (model.shared, model.encoder.layers.N.self_attn.q_proj,
..., final_logits_bias) so a state_dict can be loaded there too. Architecture per the project's facts file:
shared embedding scaled by sqrt(d_model), non-learned sinusoidal positions (first half sin, second half cos),
post-LayerNorm, biased q/k/v/out, queries scaled by head_dim^-0.5, FFN fc2(silu(fc1)), logits = h.E^T + bias.
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e9  # additive mask value; finite so fully padded rows never produce NaN


def sinusoids(n_pos, dim):
    # Marian layout: out[:, :dim/2] = sin(pos / 10000^(2k/dim)), out[:, dim/2:] = cos(same), positions from 0
    pos = torch.arange(n_pos, dtype=torch.float32)[:, None]
    k = torch.arange(dim // 2, dtype=torch.float32)[None, :]
    ang = pos / torch.pow(10000.0, 2 * k / dim)
    return torch.cat([torch.sin(ang), torch.cos(ang)], dim=1)


class Attention(nn.Module):
    def __init__(self, d, heads, drop):
        super().__init__()
        self.h, self.hd, self.drop = heads, d // heads, drop
        self.scale = self.hd ** -0.5
        self.k_proj, self.v_proj, self.q_proj, self.out_proj = (nn.Linear(d, d) for _ in range(4))

    def split(self, x):  # [b, t, d] -> [b, h, t, hd]
        return x.reshape(x.shape[0], x.shape[1], self.h, self.hd).transpose(1, 2)

    def kv(self, x):
        return self.split(self.k_proj(x)), self.split(self.v_proj(x))

    def forward(self, x, k, v, mask):
        q = self.split(self.q_proj(x) * self.scale)
        w = torch.matmul(q, k.transpose(-1, -2)) + mask
        w = F.dropout(torch.softmax(w, dim=-1), self.drop, self.training)
        o = torch.matmul(w, v).transpose(1, 2)
        return self.out_proj(o.reshape(o.shape[0], o.shape[1], -1))


class EncoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["d_model"]
        self.self_attn = Attention(d, c["encoder_attention_heads"], c["attention_dropout"])
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, c["encoder_ffn_dim"]), nn.Linear(c["encoder_ffn_dim"], d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.c = c

    def forward(self, x, mask):
        c, tr = self.c, self.training
        k, v = self.self_attn.kv(x)
        x = self.self_attn_layer_norm(x + F.dropout(self.self_attn(x, k, v, mask), c["dropout"], tr))
        h = self.fc2(F.dropout(F.silu(self.fc1(x)), c["activation_dropout"], tr))
        return self.final_layer_norm(x + F.dropout(h, c["dropout"], tr))


class DecoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["d_model"]
        self.self_attn = Attention(d, c["decoder_attention_heads"], c["attention_dropout"])
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.encoder_attn = Attention(d, c["decoder_attention_heads"], c["attention_dropout"])
        self.encoder_attn_layer_norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, c["decoder_ffn_dim"]), nn.Linear(c["decoder_ffn_dim"], d)
        self.final_layer_norm = nn.LayerNorm(d)
        self.c = c

    def forward(self, x, self_mask, past_k, past_v, enc_k, enc_v, enc_mask):
        c, tr = self.c, self.training
        k, v = self.self_attn.kv(x)
        if past_k is not None:  # kv cache: append this step's keys/values to the (possibly empty) past
            k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        x = self.self_attn_layer_norm(x + F.dropout(self.self_attn(x, k, v, self_mask), c["dropout"], tr))
        x = self.encoder_attn_layer_norm(x + F.dropout(self.encoder_attn(x, enc_k, enc_v, enc_mask), c["dropout"], tr))
        h = self.fc2(F.dropout(F.silu(self.fc1(x)), c["activation_dropout"], tr))
        return self.final_layer_norm(x + F.dropout(h, c["dropout"], tr)), k, v


class Stack(nn.Module):
    def __init__(self, c, layer_cls, n):
        super().__init__()
        self.embed_positions = nn.Embedding(c["max_position_embeddings"], c["d_model"])
        self.embed_positions.weight = nn.Parameter(sinusoids(c["max_position_embeddings"], c["d_model"]),
                                                   requires_grad=False)
        self.layers = nn.ModuleList(layer_cls(c) for _ in range(n))


class Inner(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.shared = nn.Embedding(c["vocab_size"], c["d_model"], padding_idx=c["pad_token_id"])
        self.encoder = Stack(c, EncoderLayer, c["encoder_layers"])
        self.decoder = Stack(c, DecoderLayer, c["decoder_layers"])


class Marian(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.model = Inner(c)
        self.register_buffer("final_logits_bias", torch.zeros(1, c["vocab_size"]))
        self.emb_scale = math.sqrt(c["d_model"])
        nn.init.normal_(self.model.shared.weight, 0, c["d_model"] ** -0.5)
        with torch.no_grad():
            self.model.shared.weight[c["pad_token_id"]].zero_()

    def embed(self, ids, stack, offset):
        pos = torch.arange(ids.shape[1], dtype=torch.long) + offset
        x = self.model.shared(ids) * self.emb_scale + stack.embed_positions(pos)
        return F.dropout(x, self.c["dropout"], self.training)

    def encode(self, ids, attn_mask):
        mask = (1.0 - attn_mask[:, None, None, :].float()) * NEG
        x = self.embed(ids, self.model.encoder, 0)
        for layer in self.model.encoder.layers:
            x = layer(x, mask)
        return x

    def decode(self, ids, enc, enc_attn_mask, past=None):
        """past: list per layer of (k, v) [b, heads, p, head_dim] or None. Returns logits, presents, cross kv."""
        t = ids.shape[1]
        p = past[0][0].shape[2] if past is not None else 0
        x = self.embed(ids, self.model.decoder, p)
        # query i (absolute position p+i) may see keys 0..p+i
        q_pos = torch.arange(t)[:, None] + p
        k_pos = torch.arange(t + p)[None, :]
        self_mask = (k_pos > q_pos).float()[None, None] * NEG
        enc_mask = (1.0 - enc_attn_mask[:, None, None, :].float()) * NEG
        presents, cross = [], []
        for i, layer in enumerate(self.model.decoder.layers):
            ek, ev = layer.encoder_attn.kv(enc)  # cross-attention k/v always recomputed from the encoder output
            pk, pv = past[i] if past is not None else (None, None)
            x, k, v = layer(x, self_mask, pk, pv, ek, ev, enc_mask)
            presents.append((k, v))
            cross.append((ek, ev))
        logits = torch.matmul(x, self.model.shared.weight.t()) + self.final_logits_bias
        return logits, presents, cross

    def forward(self, src, src_mask, dec_in):
        return self.decode(dec_in, self.encode(src, src_mask), src_mask)[0]

    @torch.no_grad()
    def greedy(self, src, src_mask, max_len=128):
        """Batched greedy decoding with kv cache; pad is never emitted (bad_words_ids=[[pad]])."""
        c = self.c
        enc = self.encode(src, src_mask)
        b = src.shape[0]
        hd = c["d_model"] // c["decoder_attention_heads"]
        past = [(torch.zeros(b, c["decoder_attention_heads"], 0, hd),) * 2 for _ in range(c["decoder_layers"])]
        cur = torch.full((b, 1), c["decoder_start_token_id"], dtype=torch.long)
        out, done = [], torch.zeros(b, dtype=torch.bool)
        for _ in range(max_len):
            logits, past, _ = self.decode(cur, enc, src_mask, past)
            logits = logits[:, -1]
            logits[:, c["pad_token_id"]] = float("-inf")
            nxt = logits.argmax(-1)
            nxt = torch.where(done, torch.full_like(nxt, c["pad_token_id"]), nxt)
            out.append(nxt)
            done |= nxt == c["eos_token_id"]
            if done.all():
                break
            cur = nxt[:, None]
        return torch.stack(out, 1).tolist()


def base_config(vocab_size):
    pad = vocab_size - 1
    return {
        "d_model": 256, "encoder_layers": 3, "decoder_layers": 3,
        "encoder_attention_heads": 4, "decoder_attention_heads": 4,
        "encoder_ffn_dim": 1024, "decoder_ffn_dim": 1024,
        "vocab_size": vocab_size, "decoder_vocab_size": vocab_size,
        "max_position_embeddings": 512, "pad_token_id": pad, "decoder_start_token_id": pad,
        "eos_token_id": 0, "forced_eos_token_id": 0,
        "dropout": 0.2, "attention_dropout": 0.1, "activation_dropout": 0.1,
    }
