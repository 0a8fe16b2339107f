"""Build the term bank of the ``terms`` family: established 2-4-word expressions, hashed.

Sources (each a bit of the term's ``src``, so its share can be measured):

* ``oewn``: multi-word lemmas of Open English WordNet (CC BY 4.0; Princeton WordNet licence);
* ``tortured``: the ``correct`` side of the TRAIN third of the tortured-phrase list
  (:mod:`tools.spinners.tortured_split`; the valid and test thirds are never read here);
* ``idiom``: the shipped idiom patterns of 2-4 words (``resources/idioms_en.tsv``);
* ``lm``: content-word bigrams of the shipped reference LM with a high probability and PMI;
* ``corpus``: content-word bigrams and trigrams seen often, with a high PMI, in the human
  documents of the TRAIN split (Brown, ABC, CoNLL-2000, WMT21 sources, chat and reviews).

Terms are lower-cased and tokenised with :mod:`mtdetect.text`; a noun term also gets the other
number of its last word ("neural network" / "neural networks"). The bank also carries its own
candidate table: for every word of a term, the thesaurus neighbours a spinner may put in its
place (OEWN synonyms, similar and see-also adjectives, direct hypernyms; MyThes synonyms), and,
with ``--word-map``, the word renderings mined from the train third of the tortured list,
keyed like :class:`mtdetect.swaps.CandidateTable` (observed → original, vocabulary ids of the
shipped reference LM).

Usage::

    .venv/bin/python -m tools.build_termbank [--data ../shared/data] [--sources oewn,tortured,...]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from mtdetect import refstats, resources
from mtdetect.features.terms import SOURCES, TERMBANK, make_bank, save_bank, vocab_digest
from mtdetect.lexicon import GRAMMAR_WORDS
from mtdetect.morphology import Inflector
from mtdetect.swaps import CandidateTable
from mtdetect.text import Document
from tools import corpus_common as cc
from tools.corpus_informal import load_informal
from tools.spinners.common import STOPWORDS
from tools.spinners.tortured_map import mine
from tools.spinners.tortured_split import default_path, load_pairs
from tools.thesaurus import load_mythes, load_oewn

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "mtdetect" / "resources" / TERMBANK
WORD = re.compile(r"^[a-z][a-z'-]*[a-z]$|^[a-z]$")
# LM collocations: log10 P(w2|w1) and PMI floors (content words at both ends)
LM_MIN_LP = -1.5
LM_MIN_PMI = 1.5
# corpus collocations: occurrences in train-split human text and log10 PMI floor
CORPUS_MIN_COUNT = 4
CORPUS_MIN_PMI = 2.0
RELATIONS = ("synonym", "similar", "also", "hypernym")
MAX_CANDS = 40  # candidate originals kept per observed word
CONTENT_MIN_LEN = 3
MYTHES = Path("/usr/share/mythes/th_en_US_v2.dat")


def tokens(phrase: str) -> list[str] | None:
    """Lower-case word tokens of a phrase as the detector sees them, or None if punctuation
    splits it."""
    d = Document(phrase.replace("_", " "))
    if not d.tokens or not all(t.is_word for t in d.tokens):
        return None
    return [t.norm.lower() for t in d.tokens]


def content(w: str) -> bool:
    return (
        w not in GRAMMAR_WORDS
        and w not in STOPWORDS
        and len(w) >= CONTENT_MIN_LEN
        and bool(WORD.match(w))
    )


def usable(words: list[str] | None) -> bool:
    """A 2-4-word term that starts and ends with a content word."""
    return bool(words) and 2 <= len(words) <= 4 and content(words[0]) and content(words[-1])


# --------------------------------------------------------------------------- sources


def oewn_terms(oe) -> list[list[str]]:
    out = []
    for lemma in oe.lemmas():
        if " " in lemma or "_" in lemma:
            w = tokens(lemma.lower())
            if usable(w):
                out.append(w)
    return out


def tortured_terms(path: Path) -> list[list[str]]:
    """The correct forms of the train third and their 2-4-word parts ("neural network" of
    "convolutional neural network")."""
    out = []
    for correct, _ in load_pairs(path, part="train"):
        w = tokens(correct)
        if not w:
            continue
        for i in range(len(w)):
            for j in range(i + 2, min(len(w), i + 4) + 1):
                if usable(w[i:j]):
                    out.append(w[i:j])
    return out


def idiom_terms() -> list[list[str]]:
    out = []
    for row in resources.rows(resources.resource_path("idioms_en.tsv")):
        if "{" in row[0]:
            continue
        w = tokens(row[0])
        if usable(w):
            out.append(w)
    return out


def lm_terms(rs: refstats.RefStats) -> list[list[str]]:
    k = rs.big_key.astype(np.int64)
    w1, w2 = k >> 16, k & 0xFFFF
    lp = -rs.big_lp.astype(np.float64) * rs.lp_step
    pmi = lp - rs.uni_lp[w2]
    ok = np.array([content(w) for w in rs.words[: rs.lm_size]])
    sel = np.flatnonzero(ok[w1] & ok[w2] & (lp >= LM_MIN_LP) & (pmi >= LM_MIN_PMI))
    return [[rs.words[w1[i]], rs.words[w2[i]]] for i in sel]


def corpus_terms(data: Path, seed: int) -> list[list[str]]:
    """Content-word bigrams and trigrams frequent and cohesive in train-split human text."""
    docs = cc.load_originals(data, seed) + load_informal(data, seed)
    uni: Counter[str] = Counter()
    grams: Counter[tuple[str, ...]] = Counter()
    total = 0
    for d in docs:
        if d.split != "train":
            continue
        for unit in d.units:
            doc = Document(unit)
            toks = doc.tokens
            run: list[str] = []
            for t in [*toks, None]:
                if t is not None and t.is_word:
                    run.append(t.norm.lower())
                    continue
                total += len(run)
                uni.update(run)
                for n in (2, 3):
                    for i in range(len(run) - n + 1):
                        g = tuple(run[i : i + n])
                        if content(g[0]) and content(g[-1]):
                            grams[g] += 1
                run = []
    out = []
    for g, c in grams.items():
        if c < CORPUS_MIN_COUNT:
            continue
        pmi = math.log10(c * total ** (len(g) - 1) / math.prod(uni[w] for w in g)) / (len(g) - 1)
        if pmi >= CORPUS_MIN_PMI:
            out.append(list(g))
    return out


def number_variants(words: list[str], inf: Inflector) -> list[list[str]]:
    """The term and the other number of its last word (nouns)."""
    last = words[-1]
    out = [words]
    if not last.isalpha():
        return out
    for r in inf.lemmatize(last, "n"):
        if r.tag == "NNS" and r.lemma != last:
            out.append([*words[:-1], r.lemma])
            return out
    if inf.lexicon is not None and inf.lexicon(last, "n"):
        pl = inf.inflect_word(last, "n", "NNS")
        if pl and pl != last:
            out.append([*words[:-1], pl])
    return out


# --------------------------------------------------------------------------- candidate table


def neighbour_pairs(term_words: set[str], oe, my, inf: Inflector) -> dict[str, dict[str, int]]:
    """observed -> {original term word: prior}: thesaurus neighbours of the term words."""
    out: dict[str, dict[str, int]] = defaultdict(dict)

    def add(b: str, a: str, prior: int) -> None:
        b = b.lower().replace("_", " ")
        if b != a and all(WORD.match(x) for x in b.split()) and len(b.split()) <= 3:
            out[b][a] = max(out[b].get(a, 0), prior)

    for a in sorted(term_words):
        lemma, plural = a, False
        for r in inf.lemmatize(a, "n"):
            if r.tag == "NNS" and r.lemma != a:
                lemma, plural = r.lemma, True
                break
        nb: dict[str, int] = {}
        for rank, (b, rel) in enumerate(oe.synonyms(lemma, None, RELATIONS, 4)):
            nb.setdefault(b, (200 if rel == "synonym" else 150) - min(rank, 100))
        if my is not None:
            for rank, (b, _) in enumerate(my.synonyms(lemma, None, ("synonym",), 4)):
                nb.setdefault(b, 140 - min(rank, 100))
        for b, prior in nb.items():
            if plural:
                if " " in b:
                    continue
                b = inf.inflect_word(b, "n", "NNS")
            add(b, a, prior)
    return out


def word_map_pairs(path: Path, inf: Inflector) -> dict[str, dict[str, int]]:
    """observed -> {original: prior} from the renderings mined from the list's train third."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    wm = mine(load_pairs(path, part="train", stopwords=STOPWORDS))
    for a, lst in wm.items():
        for b, n in lst:
            out[b][a] = max(out[b].get(a, 0), 220 + min(n, 35))
            if " " not in b and " " not in a:
                pa, pb = inf.inflect_word(a, "n", "NNS"), inf.inflect_word(b, "n", "NNS")
                if pa and pb:
                    out[pb][pa] = max(out[pb].get(pa, 0), 220 + min(n, 35))
    return out


def candidate_arrays(
    pairs: dict[str, dict[str, int]], rs: refstats.RefStats
) -> tuple[np.ndarray, ...]:
    rows = []
    vocab = rs.vocab
    for b, originals in pairs.items():
        bid = [vocab.get(x, -1) for x in b.split()]
        if min(bid) < 0:
            continue
        best = sorted(originals.items(), key=lambda x: (-x[1], x[0]))[:MAX_CANDS]
        packed, prior = [], []
        for a, p in best:
            aid = [vocab.get(x, -1) for x in a.split()]
            if min(aid) >= 0 and len(aid) <= 3:
                packed.append(CandidateTable.pack(aid))
                prior.append(min(p, 255))
        if packed:
            rows.append((CandidateTable.pack(bid), packed, prior))
    rows.sort(key=lambda r: r[0])
    key = np.array([r[0] for r in rows], dtype=np.uint64)
    off = np.cumsum([0, *(len(r[1]) for r in rows)]).astype(np.uint32)
    a = np.array([x for r in rows for x in r[1]], dtype=np.uint64)
    prior = np.array([x for r in rows for x in r[2]], dtype=np.uint8)
    return key, off, a, prior


# --------------------------------------------------------------------------- main


def build(args: argparse.Namespace) -> dict:
    t0 = time.time()
    data = cc.data_root(args.data)
    sources = args.sources.split(",")
    rs = refstats.load()
    oe = load_oewn(str(data))
    inf = Inflector.from_oewn(oe)
    tpath = default_path(str(data))
    found: dict[str, list[list[str]]] = {}
    if "oewn" in sources:
        found["oewn"] = oewn_terms(oe)
    if "tortured" in sources:
        found["tortured"] = tortured_terms(tpath)
    if "idiom" in sources:
        found["idiom"] = idiom_terms()
    if "lm" in sources:
        found["lm"] = lm_terms(rs)
    if "corpus" in sources:
        found["corpus"] = corpus_terms(data, args.seed)
    terms: dict[tuple[str, ...], int] = {}
    for name, lst in found.items():
        for w in lst:
            for v in number_variants(w, inf):
                terms[tuple(v)] = terms.get(tuple(v), 0) | SOURCES[name]
    term_words = {w for t in terms for w in t if content(w)}
    my = load_mythes() if MYTHES.is_file() else None
    pairs = neighbour_pairs(term_words, oe, my, inf)
    if args.word_map:
        for b, d in word_map_pairs(tpath, inf).items():
            for a, p in d.items():
                pairs.setdefault(b, {})[a] = max(pairs.get(b, {}).get(a, 0), p)
    cand = CandidateTable(*candidate_arrays(pairs, rs))
    meta = {
        "built_by": "tools/build_termbank.py",
        "sources": sources,
        "terms": len(terms),
        "terms_by_source": {n: sum(1 for v in terms.values() if v & b) for n, b in SOURCES.items()},
        "raw_by_source": {n: len(v) for n, v in found.items()},
        "observed_words": int(len(cand.key)),
        "candidate_pairs": int(len(cand.a)),
        "word_map": bool(args.word_map),
        "vocab_sha1": vocab_digest(rs.words),
        "thresholds": {
            "lm_min_lp": LM_MIN_LP,
            "lm_min_pmi": LM_MIN_PMI,
            "corpus_min_count": CORPUS_MIN_COUNT,
            "corpus_min_pmi": CORPUS_MIN_PMI,
        },
    }
    bank = make_bank(terms, cand, meta)
    out = Path(args.out)
    save_bank(bank, out)
    meta["prefixes"] = int(len(bank.prefix))
    meta["bytes"] = out.stat().st_size
    meta["seconds"] = round(time.time() - t0, 1)
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None, help="public data root (default ../shared/data)")
    ap.add_argument("--seed", type=int, default=cc.DEFAULT_SEED, help="corpus split seed")
    ap.add_argument("--sources", default=",".join(SOURCES))
    ap.add_argument("--word-map", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    if not default_path(args.data).is_file():
        print(f"error: {default_path(args.data)} not found", file=sys.stderr)
        return 2
    print(json.dumps(build(args), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
