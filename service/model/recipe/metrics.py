"""Corpus BLEU (13a tokenizer, case-sensitive, multi-reference), chrF (n=6, beta=2) and TER.

Written to agree with sacrebleu's defaults (not installable offline here). Multi-reference handling as in
sacrebleu: BLEU clips n-gram counts by the max over references and uses the closest reference length;
chrF takes the best-scoring reference per sentence; TER takes the fewest edits over references divided by
the average reference length.
"""
import math
import re
from collections import Counter

_13A = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
]


def tok13a(line):
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} "
    for rx, sub in _13A:
        line = rx.sub(sub, line)
    return " ".join(line.split())


def _ngrams(words, n):
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def bleu(hyps, refs_list):
    """hyps: [str]; refs_list: [[str, ...]] one list of references per hypothesis."""
    match, total = [0] * 4, [0] * 4
    hyp_len = ref_len = 0
    for hyp, refs in zip(hyps, refs_list):
        h = tok13a(hyp).split()
        rs = [tok13a(r).split() for r in refs]
        hyp_len += len(h)
        ref_len += min((abs(len(r) - len(h)), len(r)) for r in rs)[1]
        for n in range(1, 5):
            hc = _ngrams(h, n)
            maxref = Counter()
            for r in rs:
                maxref |= _ngrams(r, n)
            match[n - 1] += sum(min(c, maxref[g]) for g, c in hc.items())
            total[n - 1] += max(0, len(h) - n + 1)
    # sacrebleu 'exp' smoothing: the k-th zero-match precision becomes 1/(2^k * total)
    logp, k = 0.0, 1
    for m, t in zip(match, total):
        if t == 0:
            return 0.0
        if m == 0:
            k *= 2
            logp += math.log(1.0 / (k * t))
        else:
            logp += math.log(m / t)
    bp = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / max(hyp_len, 1))
    return 100.0 * bp * math.exp(logp / 4)


def _char_stats(hyp, ref, n_max=6):
    h, r = hyp.replace(" ", ""), ref.replace(" ", "")
    st = []
    for n in range(1, n_max + 1):
        hc, rc = _ngrams(h, n), _ngrams(r, n)
        st.append((sum((hc & rc).values()), max(0, len(h) - n + 1), max(0, len(r) - n + 1)))
    return st


def _chrf_from_stats(stats, beta=2.0):
    # sacrebleu averages precision/recall over orders that have counts, then F-beta
    precs, recs = [], []
    for m, th, tr in stats:
        if th > 0:
            precs.append(m / th)
        if tr > 0:
            recs.append(m / tr)
    p = sum(precs) / len(stats) if precs else 0.0
    r = sum(recs) / len(stats) if recs else 0.0
    if p + r == 0:
        return 0.0
    return (1 + beta ** 2) * p * r / (beta ** 2 * p + r)


def chrf(hyps, refs_list):
    agg = [[0, 0, 0] for _ in range(6)]
    for hyp, refs in zip(hyps, refs_list):
        best = max((_char_stats(hyp, r) for r in refs), key=_chrf_from_stats)
        for a, s in zip(agg, best):
            for j in range(3):
                a[j] += s[j]
    return 100.0 * _chrf_from_stats(agg)


def _edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
        prev = cur
    return prev[-1]


def _ter_edits(h, r, max_shift=10):
    """TERcom-style approximation: greedily apply the block shift (<=10 words) that most reduces the edit
    distance, 1 edit per shift, until none helps. May differ slightly from sacrebleu's constrained search."""
    best = _edit_distance(h, r)
    shifts = 0
    if len(h) > 2 * len(r) + 10:  # degenerate (looping) output: shifts cannot matter much; keep it fast
        return best
    while True:
        cand = None
        for i in range(len(h)):
            for ln in range(1, min(max_shift, len(h) - i) + 1):
                block = h[i:i + ln]
                # only shift blocks that occur in the reference (as TERcom does)
                if not any(r[j:j + ln] == block for j in range(len(r) - ln + 1)):
                    break
                rest = h[:i] + h[i + ln:]
                for j in range(max(0, i - 50), min(len(rest), i + 50) + 1):  # TERcom max shift distance 50
                    if j == i:
                        continue
                    nh = rest[:j] + block + rest[j:]
                    d = _edit_distance(nh, r)
                    if d + 1 < best and (cand is None or d < cand[0]):
                        cand = (d, nh)
        if cand is None:
            return best + shifts
        shifts += 1
        best, h = cand[0], cand[1]


def ter(hyps, refs_list):
    edits = ref_words = 0.0
    for hyp, refs in zip(hyps, refs_list):
        h = hyp.lower().split()  # sacrebleu TER defaults: case-insensitive, no normalisation, whitespace split
        rs = [r.lower().split() for r in refs]
        edits += min(_ter_edits(h, r) for r in rs)
        ref_words += sum(len(r) for r in rs) / len(rs)
    return 100.0 * edits / max(ref_words, 1)
