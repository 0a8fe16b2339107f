"""Translationese n-grams: a learned profile of function-word / part-of-speech trigrams.

Each sentence becomes a stream of symbols — frequent function words as themselves, every other
word as its part-of-speech tag, punctuation as itself, ``<s>`` at the start — and its 1–3-grams
are scored with a sparse table of weights learned (L1 logistic regression on n-gram rates) to
tell machine translation and round trips from human writing and human translation
(``tools/build_translationese.py``, train split only). Content words are reduced to their tags,
so the table learns constructions, not topics: "At present , there are NUM", "<s> It is ADJ
that", "NOUN of the NOUN of".

Cross-fitting: the table also holds five out-of-fold versions (each regression refit without
one fold of the training documents; folds of :mod:`mtdetect.folds`, the same as
``word_choice``'s). A training text is scored with the version that never saw it, every other
text with the full table.

Evidence: ``translation.pattern`` — in the sentences whose patterns push the score most, the
words that carry the strongest patterns, one flag each (weak evidence, score < 0.5).
"""

from __future__ import annotations

from itertools import repeat
from pathlib import Path

import numpy as np

from mtdetect import compiledtables
from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, top_sentences
from mtdetect.lexicon import TRANSLATIONESE_WORDS
from mtdetect.tagger import TAGS
from mtdetect.text import Document

TABLE = "translationese_ngrams.tsv"
#: the table's compiled form (``tools/compile_tables.py``; see :func:`compiled_format`)
COMPILED = "translationese_ngrams.npz"
COLUMNS = ("all", "mt", "rt")
WORDS = TRANSLATIONESE_WORDS
PUNCT = tuple(",.;:?!\"'()-")
#: Symbol vocabulary (id = index; 0 is padding): sentence start, other punctuation,
#: punctuation marks, tags, function words.
SYMBOLS = ("<pad>", "<s>", "<p>", *PUNCT, *TAGS, *WORDS)
_S = 1  # <s>
_P = 2  # other punctuation
_SYM = {s: i for i, s in enumerate(SYMBOLS)}
_BASE = 1024  # > len(SYMBOLS); n-gram key = a*B^2 + b*B + c, with 0-padding for shorter n
assert len(SYMBOLS) < _BASE
_TAG0 = _SYM[TAGS[0]]
_WORD_SYM = {w: _SYM[w] for w in WORDS}
_PUNCT_SYM = {p: _SYM[p] for p in PUNCT}
MAX_REPORTED = 3
PATTERN = Rule(
    id="translation.pattern",
    kind="translation",
    severity="info",
    catches="words in a sentence pattern (small words and the kinds of word around them) far "
    "more frequent in machine translation than in original English",
    reasons={
        "pattern": "'{span}' follows a sentence pattern (its small words and the kinds of word "
        "around them) far more frequent in machine translation than in original English",
    },
    score=0.3,
    flags=(
        "At present, there are 5 national parks. At the same time, it is necessary to "
        "strengthen the protection of the wetland. In addition, relevant departments have "
        "invested a total of 3 billion yuan.",
    ),
    passes=(
        "We'd been there before, of course, but never in winter, and the lake looked "
        "different: grey, flat, oddly quiet.",
    ),
)


def symbol_stream(source: Analysis | Document) -> tuple[np.ndarray, np.ndarray]:
    """Symbol ids of the document with ``<s>`` before every sentence, and for each symbol the
    index of its token (-1 for ``<s>``)."""
    vw = Analysis.of(source)
    doc = vw.doc
    n = vw.n_tokens
    get_w = _WORD_SYM.get
    get_p = _PUNCT_SYM.get
    tok_sym = np.empty(n, dtype=np.int64)
    ws = np.fromiter(map(get_w, vw.words, repeat(-1)), dtype=np.int64, count=vw.n)
    if vw.n:
        tok_sym[vw.wtok] = np.where(ws >= 0, ws, _TAG0 + vw.tags)
    if vw.n < n:  # punctuation tokens
        norms = vw.norms
        pt = np.ones(n, dtype=bool)
        pt[vw.wtok] = False
        pt = np.flatnonzero(pt)
        tok_sym[pt] = [get_p(norms[i], _P) for i in pt.tolist()]
    # one <s> before the first token of every sentence
    ns = vw.n_sent
    out = np.empty(n + ns, dtype=np.int64)
    owner = np.empty(n + ns, dtype=np.int64)
    pos = np.arange(n) + vw.tok_sent + 1
    out[pos] = tok_sym
    owner[pos] = np.arange(n)
    spos = np.array([s.tok_start for s in doc.sentences], dtype=np.int64) + np.arange(ns)
    out[spos] = _S
    owner[spos] = -1
    return out, owner


def ngram_keys(sym: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys of all 1-, 2- and 3-grams that do not cross a sentence start (``<s>`` may only
    lead), and the start position and length of each."""
    n = len(sym)
    starts = sym == _S
    keys = [sym.copy()]
    pos = [np.arange(n)]
    lens = [np.ones(n, dtype=np.int64)]
    for m in (2, 3):
        if n < m:
            break
        idx = np.arange(n - m + 1)
        ok = np.ones(len(idx), dtype=bool)
        key = sym[idx].copy()
        for j in range(1, m):
            ok &= ~starts[idx + j]
            key = key * _BASE + sym[idx + j]
        keys.append(key[ok])
        pos.append(idx[ok])
        lens.append(np.full(ok.sum(), m, dtype=np.int64))
    keep_uni = ~starts  # a lone <s> is not a feature
    keys[0], pos[0], lens[0] = keys[0][keep_uni], pos[0][keep_uni], lens[0][keep_uni]
    return np.concatenate(keys), np.concatenate(pos), np.concatenate(lens)


def key_of(ngram: str) -> int:
    """Key of an n-gram written as space-separated symbols."""
    k = 0
    for s in ngram.split(" "):
        k = k * _BASE + _SYM[s]
    return k


def ngram_text(key: int) -> str:
    """The symbols of an n-gram key (for reports and the build tool)."""
    parts = []
    while key:
        parts.append(SYMBOLS[key % _BASE])
        key //= _BASE
    return " ".join(reversed(parts))


def read_table(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """(sorted keys, weights [n-gram x table x column], intercepts [table x column], scale,
    sentence report threshold) of the table; columns: all, mt, rt; table 0 is the full fit,
    1 + f the one without fold f (see the table header). Read from the compiled form next to
    it when that is current (~0.005 s instead of ~0.035 s), else parsed (:func:`parse_table`)."""
    arrays = compiledtables.read(path.with_name(COMPILED), [path], compiled_format())
    if arrays is None:
        return parse_table(path.read_text(encoding="utf-8"))
    a = arrays.__getitem__
    return a("keys"), a("weights"), a("intercept"), float(a("scale")), float(a("report"))


def compiled_format() -> str:
    """The format of the compiled table: its keys depend on the symbols' codes."""
    return f"translationese n-grams 1, base {_BASE}: {' '.join(SYMBOLS)}"


def table_arrays(path: Path) -> dict[str, np.ndarray]:
    """The compiled form of the table ``path`` (read back by :func:`read_table`)."""
    keys, weights, intercept, scale, report = parse_table(path.read_text(encoding="utf-8"))
    return {
        "keys": keys,
        "weights": weights,
        "intercept": intercept,
        "scale": np.array(scale),
        "report": np.array(report),
    }


def parse_table(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """The table of the text of ``translationese_ngrams.tsv`` (see :func:`read_table`)."""
    keys, weights = [], []
    intercept, scale, report = [0.0, 0.0, 0.0], 100.0, 0.1
    for line in text.splitlines():
        if line.startswith("#"):
            if line.startswith("# intercept"):
                intercept = [float(x) for x in line.split()[2:]]
            elif line.startswith("# scale"):
                scale = float(line.split()[-1])
            elif line.startswith("# sent_report"):
                report = float(line.split()[-1])
            continue
        if not line.strip():
            continue
        gram, *ws = line.split("\t")
        keys.append(key_of(gram))
        weights.append([float(w) for w in ws])
    order = np.argsort(keys)
    k = len(COLUMNS)
    return (
        np.array(keys, dtype=np.int64)[order],
        np.array(weights).reshape(len(keys), -1, k)[order],
        np.array(intercept).reshape(-1, k),
        scale,
        report,
    )


class Translationese(FeatureFamily):
    """Score of the learned function-word/POS n-gram table, per document and per sentence."""

    name = "translationese"
    explanation = "sentence patterns common in translations"
    version = "6"
    feature_names = (
        "tn_score",
        "tn_mt_score",
        "tn_rt_score",
        "tn_pos_mass",
        "tn_neg_mass",
        "tn_sent_max",
        "tn_sent_pos_share",
        "tn_sent_std",
    )
    rules = (PATTERN,)
    checks = (("", "tn_score", "==", 0.0),)

    def measure(self, a: Analysis):
        doc = a.doc
        v = np.zeros(len(self.feature_names))
        if not doc.tokens:
            return v, []
        keys, weights_t, intercepts, scale, report = a.res.get(TABLE, read_table)
        # a training text is scored with the table fit without its fold (cross-fitting)
        t = a.table_version
        t = t if t < len(intercepts) else 0
        weights_all, intercept = weights_t[:, t], intercepts[t]
        sym, owner = symbol_stream(a)
        gk, gpos, glen = ngram_keys(sym)
        i = np.searchsorted(keys, gk)
        i = np.minimum(i, len(keys) - 1)
        hit = keys[i] == gk
        wm = np.where(hit[:, None], weights_all[i], 0.0)
        n_sym = max(1, int((sym != _S).sum()))
        v[:3] = intercept + wm.sum(axis=0) * scale / n_sym
        w = wm[:, 0]
        contrib = w * scale / n_sym
        v[3] = contrib[contrib > 0].sum()
        v[4] = contrib[contrib < 0].sum()
        # per sentence: mean weight per symbol of the n-grams starting in the sentence
        sent_of_sym = np.cumsum(sym == _S) - 1
        s_of_gram = sent_of_sym[gpos]
        ns = int(sent_of_sym[-1]) + 1
        s_w = np.bincount(s_of_gram, weights=w, minlength=ns)
        s_n = np.bincount(sent_of_sym, minlength=ns) - 1  # symbols minus <s>
        s_mean = s_w / np.maximum(1, s_n)
        v[5] = s_mean.max()
        v[6] = (s_mean > 0).mean()
        v[7] = s_mean.std()
        findings = []
        for s in top_sentences(s_mean, report, s_n >= 6, MAX_REPORTED):
            sel = np.flatnonzero((s_of_gram == s) & (w > 0) & (glen >= 2))
            if not len(sel):
                continue
            best = sel[np.argsort(-w[sel])][:2]
            taken: list[tuple[int, int]] = []
            for g in best:  # one flag on the words of each of the two strongest patterns
                toks = [owner[p] for p in range(gpos[g], gpos[g] + glen[g]) if owner[p] >= 0]
                if not toks:
                    continue
                lo, hi = doc.tokens[toks[0]].start, doc.tokens[toks[-1]].end
                if any(lo < e and b < hi for b, e in taken):
                    continue
                taken.append((lo, hi))
                reason = PATTERN.reason("pattern", span=doc.text[lo:hi])
                findings.append(PATTERN.finding(a, lo, hi, reason))
        findings.sort(key=lambda f: f.start)
        return v, findings
