"""Build the compact part-of-speech table shipped as ``mtdetect/resources/pos_lexicon.tsv``.

A most-frequent-tag + suffix tagger, enough for POS n-gram *profiles* (not for parsing):

* the lexicon maps a lower-cased word to its most frequent coarse tag, plus a second tag when
  that one covers at least ``--alt-share`` of the word's occurrences (used by two context rules
  in :mod:`mtdetect.tagger`);
* the suffix table maps the last 1–4 letters of rare words to their most frequent tag, for
  words the lexicon lacks.

Counts come from the POS-tagged Brown corpus and the CoNLL-2000 WSJ training file in the public
data folder, **train and valid splits only** (Brown files the corpus builder holds out for test,
and CoNLL ``test.txt``, are skipped; see ``tools/corpus_common.py``). Brown and Penn Treebank
tags are mapped to one coarse tag set (``TAGS`` in ``mtdetect/tagger.py``).

Usage: ``.venv/bin/python -m tools.build_tagger [--data DIR] [--min-count 2]``
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from mtdetect.tagger import AUX_WORDS, TAGS
from tools import corpus_common as cc

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "mtdetect" / "resources" / "pos_lexicon.tsv"

_SCONJ = {
    "because",
    "although",
    "though",
    "if",
    "whether",
    "while",
    "unless",
    "whereas",
    "since",
    "until",
    "till",
    "once",
    "than",
    "that",
    "as",
    "so",
    "after",
    "before",
}
_BROWN = {
    "at": "DET",
    "ap": "ADJ",
    "dt": "DET",
    "dti": "DET",
    "dts": "DET",
    "dtx": "DET",
    "abn": "DET",
    "abx": "DET",
    "abl": "DET",
    "pp$": "POSS",
    "pp$$": "PRON",
    "ppss": "PRON",
    "pps": "PRON",
    "ppo": "PRON",
    "ppl": "PRON",
    "ppls": "PRON",
    "pn": "PRON",
    "pn$": "PRON",
    "ex": "PRON",
    "nn": "NOUN",
    "nns": "NOUN",
    "nn$": "NOUN",
    "nns$": "NOUN",
    "nr": "NOUN",
    "nrs": "NOUN",
    "nr$": "NOUN",
    "np": "PROPN",
    "nps": "PROPN",
    "np$": "PROPN",
    "nps$": "PROPN",
    "jj": "ADJ",
    "jjr": "ADJ",
    "jjs": "ADJ",
    "jjt": "ADJ",
    "od": "ADJ",
    "cd": "NUM",
    "rb": "ADV",
    "rbr": "ADV",
    "rbt": "ADV",
    "rn": "ADV",
    "rp": "ADV",
    "ql": "ADV",
    "qlp": "ADV",
    "vb": "VERB",
    "vbz": "VERB",
    "vbd": "VBD",
    "vbn": "VBN",
    "vbg": "VBG",
    "md": "MD",
    "in": "ADP",
    "cc": "CONJ",
    "cs": "SCONJ",
    "to": "TO",
    "wdt": "WH",
    "wps": "WH",
    "wpo": "WH",
    "wp$": "WH",
    "wql": "WH",
    "wrb": "WH",
    "*": "NEG",
    "uh": "X",
}
_PTB = {
    "DT": "DET",
    "PDT": "DET",
    "WDT": "WH",
    "WP": "WH",
    "WP$": "WH",
    "WRB": "WH",
    "PRP": "PRON",
    "PRP$": "POSS",
    "EX": "PRON",
    "NN": "NOUN",
    "NNS": "NOUN",
    "NNP": "PROPN",
    "NNPS": "PROPN",
    "JJ": "ADJ",
    "JJR": "ADJ",
    "JJS": "ADJ",
    "RB": "ADV",
    "RBR": "ADV",
    "RBS": "ADV",
    "RP": "ADV",
    "VB": "VERB",
    "VBP": "VERB",
    "VBZ": "VERB",
    "VBD": "VBD",
    "VBN": "VBN",
    "VBG": "VBG",
    "MD": "MD",
    "IN": "ADP",
    "CC": "CONJ",
    "TO": "TO",
    "CD": "NUM",
    "UH": "X",
    "FW": "X",
    "POS": "X",
    "SYM": "X",
    "LS": "X",
}


def brown_tag(raw: str, word: str) -> str | None:
    """Coarse tag of a Brown tag (``nn-tl``, ``fw-nn``, ``pps+bez`` → first part)."""
    t = raw.lower()
    if t.startswith("fw-"):
        return "X"
    t = t.split("+")[0].split("-")[0]
    if t.startswith(("be", "hv", "do")) and t not in _BROWN:
        return "AUX"
    if t == "ppss" and word.lower() in {"i", "we", "you", "they"}:
        return "PRON"
    return _BROWN.get(t)


def ptb_tag(raw: str, word: str) -> str | None:
    """Coarse tag of a Penn Treebank tag."""
    if raw == "IN" and word.lower() in _SCONJ:
        return "SCONJ"
    return _PTB.get(raw)


def final_tag(word: str, tag: str) -> str:
    """Word-identity overrides shared with the run-time tagger."""
    low = word.lower()
    if low in AUX_WORDS and tag in {"VERB", "VBD", "VBN", "VBG", "AUX"}:
        return "AUX"
    if low in {"not", "n't", "never"}:
        return "NEG"
    return tag


def read_counts(data: Path, seed: int) -> tuple[dict[str, Counter], int]:
    """Per lower-cased word, a Counter of coarse tags (train/valid material only)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    n = 0
    held_out = {d.meta["file"] for d in cc.load_brown(data, seed) if d.split == "test"}
    brown = data / "corpora" / "brown"
    for path in sorted(brown.iterdir()):
        if not (len(path.name) == 4 and path.name[:2].isalpha() and path.name[2:].isdigit()):
            continue
        if path.name in held_out:
            continue
        for tok in cc.read_text(path).split():
            if "/" not in tok:
                continue
            w, t = tok.rsplit("/", 1)
            if not w or not w[0].isalnum():
                continue
            tag = brown_tag(t, w)
            if tag is None:
                continue
            counts[w.lower()][final_tag(w, tag)] += 1
            n += 1
    for line in cc.read_text(data / "corpora" / "conll2000" / "train.txt").splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[0][0].isalnum():
            continue
        tag = ptb_tag(parts[1], parts[0])
        if tag is None:
            continue
        counts[parts[0].lower()][final_tag(parts[0], tag)] += 1
        n += 1
    return counts, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=None, help="public data folder (default ../shared/data)")
    ap.add_argument("--min-count", type=int, default=2, help="lexicon words seen at least this")
    ap.add_argument("--alt-share", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data = cc.data_root(args.data)
    seed = cc.DEFAULT_SEED if args.seed is None else args.seed
    counts, n_tok = read_counts(data, seed)
    lex: list[str] = []
    suffix: dict[str, Counter] = defaultdict(Counter)
    for w, c in sorted(counts.items()):
        total = sum(c.values())
        (t1, c1), *rest = c.most_common(2) + [("", 0)]
        t2, c2 = rest[0]
        if total >= args.min_count and w[0].isalpha():
            alt = t2 if t2 and c2 >= args.alt_share * total else ""
            lex.append(f"{w}\t{t1}\t{alt}" if alt else f"{w}\t{t1}")
        if total <= 3 and w.isalpha() and len(w) >= 4:  # rare words teach the suffix model
            for k in range(1, 5):
                suffix[w[-k:]].update(c)
    suf_lines = []
    for s, c in sorted(suffix.items()):
        t, k = c.most_common(1)[0]
        if sum(c.values()) >= 5:
            suf_lines.append(f"-{s}\t{t}")
    header = [
        "# Coarse part-of-speech lexicon for mtdetect (tools/build_tagger.py).",
        "# Counted from the Brown corpus (Francis & Kucera 1964/1979; NLTK data distribution)",
        "# and CoNLL-2000 (WSJ sections, Tjong Kim Sang & Buchholz 2000; NLTK data distribution),",
        "# train/valid material only. Columns: word, most frequent tag, second tag if common.",
        "# Lines starting with '-' are suffixes of rare words with their most frequent tag.",
        f"# tags: {' '.join(TAGS)}; {n_tok} tagged tokens counted.",
    ]
    args.out.write_text("\n".join(header + lex + suf_lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(lex)} words, {len(suf_lines)} suffixes from {n_tok} tokens")


if __name__ == "__main__":
    main()
