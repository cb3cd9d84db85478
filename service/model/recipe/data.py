"""Corpus reading, NFKC normalisation, SentencePiece training and Marian id mapping."""
import csv
import os
import unicodedata
from collections import OrderedDict

import sentencepiece as spm


def nfkc(s):
    return unicodedata.normalize("NFKC", s).strip()


def read_tsv(path):
    """Rows (zh, en, attribution) of a header-led TSV, text NFKC-normalised."""
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(r)
        return [(nfkc(row[0]), nfkc(row[1]), row[2]) for row in r if len(row) >= 2]


def grouped(rows):
    """{zh: [en refs]} in first-seen order: several English translations of one source are all references."""
    g = OrderedDict()
    for zh, en, _ in rows:
        g.setdefault(zh, []).append(en)
    return g


def train_spm(train_rows, out_dir, vocab=8000, seed=1):
    os.makedirs(out_dir, exist_ok=True)
    txt = os.path.join(out_dir, "spm_train.txt")
    with open(txt, "w", encoding="utf-8") as f:
        for zh, en, _ in train_rows:
            f.write(zh + "\n" + en + "\n")
    prefix = os.path.join(out_dir, "spm")
    spm.set_random_generator_seed(seed)
    # identity normalisation: text is NFKC'd beforehand, so tokenizer.json (NFKC normalizer) reproduces it.
    # one thread + full input (no sampling) keeps the result deterministic.
    spm.SentencePieceTrainer.train(
        input=txt, model_prefix=prefix, model_type="unigram", vocab_size=vocab,
        normalization_rule_name="identity", character_coverage=0.9995, byte_fallback=False,
        eos_id=0, unk_id=1, bos_id=-1, pad_id=-1, num_threads=1, input_sentence_size=0,
        shuffle_input_sentence=False, minloglevel=2)
    os.remove(txt)
    return prefix + ".model"


UNK = 1


class Vocab:
    """Marian ids: spm ids as is (</s>=0, <unk>=1, pieces...), then <pad> as the last id."""

    def __init__(self, model_path):
        self.sp = spm.SentencePieceProcessor(model_file=model_path)
        self.pad = self.sp.get_piece_size()
        self.size = self.pad + 1
        self.eos = 0

    def encode(self, s):
        return self.sp.encode(s) + [self.eos]

    def decode(self, ids):
        ids = [i for i in ids if i not in (self.eos, self.pad)]
        return self.sp.decode(ids)
