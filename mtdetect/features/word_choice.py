"""Word choice of machine translation: a learned table of word and word-bigram preferences.

Round trips (EN→PT→EN) and MT outputs say the same thing as the human text they are paired
with, in other words: "however" for "yet", "crops" for "cultures", "do not" for "don't",
Romance cognates ("initiate", "realize"). ``tools/build_word_choice.py`` learns, from the
train split's content-controlled pairs only, the smoothed log-odds of lower-cased words, word
bigrams and sentence-initial words in translated vs paired human text (columns ``rt``: round
trip vs original; ``mt``: WMT system output vs reference translation). A document is scored
by the mean weight per word, the positive/negative mass, and per-sentence score statistics.

Cross-fitting: the table also holds five out-of-fold versions (learned without one fifth of
the training documents), and ``word_choice_folds.tsv`` lists the sha1 key of every training
text with its fold. A training text is scored with the table that did not see it, so a
classifier fit on the train split learns from honest (out-of-sample) scores instead of
over-trusting in-sample ones; every other text uses the full table.

Evidence: ``translation.word_choice`` — in the sentences whose word choices lean most towards
machine translation, the (up to MAX_NAMED) words that lean most, one flag each (weak
evidence, score < 0.5).
"""

from __future__ import annotations

from itertools import chain, repeat
from pathlib import Path

import numpy as np

from mtdetect import compiledtables, resources
from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, percentiles, top_sentences
from mtdetect.text import Document

TABLE = "word_choice.tsv"
#: the table's compiled form (``tools/compile_tables.py``), and its format (bump it when
#: :func:`matrix_arrays` changes)
COMPILED = "word_choice.npz"
COMPILED_FORMAT = "word_choice matrix 1"
COLUMNS = ("rt", "mt")
#: per-sentence mean weight above which a sentence is reported (with >= MIN_HITS strong items)
REPORT_MEAN = 0.12
STRONG = 0.4
MIN_HITS = 2
MAX_REPORTED = 3
#: words or word pairs flagged per reported sentence
MAX_NAMED = 2
WORD_CHOICE = Rule(
    id="translation.word_choice",
    kind="translation",
    severity="info",
    catches="words and word pairs that machine round trips use far more often than the "
    "original English they were made from",
    reasons={
        "choice": "'{span}' is a choice of words that machine translation makes far more often "
        "than the original English it was made from",
    },
    score=0.3,
    flags=(
        "The producers of grain realize that it is necessary to ensure that the crops do not "
        "suffer over the next 20 kilometers of the valley.",
    ),
    passes=(
        "We'd been there before, of course, but never in winter, and the lake looked "
        "different: grey, flat, oddly quiet.",
    ),
)


def _items(words: list[str], wsent: np.ndarray) -> tuple[list[str], list[int], list[int]]:
    """Items of a word sequence: words, in-sentence bigrams ``a_b`` and sentence-initial
    ``<s>_w``, with the index of their first and last word."""
    items, first, last = [], [], []
    prev_s = -1
    for i, w in enumerate(words):
        s = int(wsent[i])
        items.append(w)
        first.append(i)
        last.append(i)
        if s != prev_s:
            items.append("<s>_" + w)
            first.append(i)
            last.append(i)
        else:
            items.append(words[i - 1] + "_" + w)
            first.append(i - 1)
            last.append(i)
        prev_s = s
    return items, first, last


def doc_items(source: Analysis | Document) -> list[str]:
    """All items of a document (for the build tool)."""
    vw = Analysis.of(source)
    return _items(vw.words, vw.wsent)[0]


def parse_table(rows: list[list[str]]) -> dict[str, np.ndarray]:
    """item -> weights [table x column] of the rows of ``word_choice.tsv``; table 0 is the full
    one, 1 + f the one learned without fold f."""
    k = len(COLUMNS)
    return {w: np.array([float(x) for x in ws]).reshape(-1, k) for w, *ws in rows}


def read_matrix(path: Path) -> tuple[dict[str, int], np.ndarray]:
    """(item -> row, weights [row x table x column]) of the table; the last row is zero
    (items the table lacks). Read from the compiled form next to it when that is current
    (~0.01 s instead of ~0.08 s), else parsed (:func:`parse_matrix`)."""
    arrays = compiledtables.read(path.with_name(COMPILED), [path], COMPILED_FORMAT)
    if arrays is not None:
        items, m = compiledtables.words_of(arrays["items"]), arrays["weights"]
        if len(items) + 1 == len(m):
            return {w: i for i, w in enumerate(items)}, m
    return parse_matrix(path)


def matrix_arrays(path: Path) -> dict[str, np.ndarray]:
    """The compiled form of the table ``path`` (read back by :func:`read_matrix`)."""
    index, m = parse_matrix(path)
    return {"items": compiledtables.strings(list(index)), "weights": m}


def parse_matrix(path: Path) -> tuple[dict[str, int], np.ndarray]:
    """:func:`read_matrix` from the text of the table."""
    rows = resources.rows(path)
    width = {len(r) for r in rows}
    items = [r[0] for r in rows]
    k = len(COLUMNS)
    if len(width) != 1 or len(set(items)) != len(items) or (width.pop() - 1) % k:
        return matrix_of(parse_table(rows))  # ragged or repeated rows: as parse_table reads them
    # every row the same width: all the weights parsed in one pass (float() each, as
    # parse_table does) into the matrix, not one small array per row (0.13 -> 0.05 s a process)
    n = len(rows)
    flat = np.fromiter(map(float, chain.from_iterable(r[1:] for r in rows)), float)
    m = np.zeros((n + 1, len(flat) // max(n * k, 1), k))
    m[:n] = flat.reshape(n, -1, k)
    return {w: i for i, w in enumerate(items)}, m


def matrix_of(table: dict[str, np.ndarray]) -> tuple[dict[str, int], np.ndarray]:
    """The look-up form of a parsed table (see :func:`read_matrix`)."""
    index = {w: i for i, w in enumerate(table)}
    k = len(COLUMNS)
    n_t = max((a.shape[0] for a in table.values()), default=1)
    m = np.zeros((len(table) + 1, n_t, k))
    for w, i in index.items():
        m[i] = table[w]
    return index, m


def _fast_items(words: list[str], first: np.ndarray) -> list[str]:
    """The items of :func:`_items` (word, then its bigram or ``<s>_`` item, per word)."""
    prev = ["", *words[:-1]]
    items: list[str] = [""] * (2 * len(words))
    items[0::2] = words
    items[1::2] = ["<s>_" + w if f else p + "_" + w for p, w, f in zip(prev, words, first.tolist())]
    return items


class WordChoice(FeatureFamily):
    """Learned word / bigram preferences of round trips and MT vs paired human text."""

    name = "word_choice"
    explanation = "words machine translation favours"
    version = "4"
    feature_names = (
        "wc_rt_mean",
        "wc_rt_pos",
        "wc_rt_neg",
        "wc_rt_sent_max",
        "wc_rt_sent_q75",
        "wc_rt_sent_pos_share",
        "wc_rt_strong_rate",
        "wc_mt_mean",
        "wc_mt_pos",
        "wc_mt_neg",
        "wc_mt_sent_max",
        "wc_mt_sent_q75",
        "wc_mt_sent_pos_share",
        "wc_mt_strong_rate",
    )
    rules = (WORD_CHOICE,)
    checks = (("", "wc_rt_mean", "==", 0.0),)

    def measure(self, a: Analysis):
        doc = a.doc
        k = len(COLUMNS)
        v = np.zeros(len(self.feature_names))
        vw = a
        if not vw.n:
            return v, []
        index, matrix = a.res.get(TABLE, read_matrix)
        # a training text is scored with the table learned without its fold (cross-fitting)
        t = a.table_version
        items = _fast_items(vw.words, vw.first)
        ar = np.arange(vw.n)
        first = np.empty(2 * vw.n, dtype=np.int64)
        first[0::2] = ar
        first[1::2] = np.where(vw.first, ar, ar - 1)
        last = np.repeat(ar, 2)
        get = index.get
        none = len(matrix) - 1
        rows = np.fromiter(map(get, items, repeat(none)), dtype=np.intp, count=len(items))
        W = matrix[rows, t]  # item x column
        isent = vw.wsent[last]
        ns = vw.n_sent
        nw = np.maximum(1, vw.sent_nw)
        big = nw >= 4
        long = nw >= 6
        s_means = []
        for c in range(k):
            w = W[:, c]
            o = c * 7
            v[o] = w.sum() / vw.n
            v[o + 1] = w[w > 0].sum() / vw.n
            v[o + 2] = w[w < 0].sum() / vw.n
            sm = np.bincount(isent, weights=w, minlength=ns) / nw
            s_means.append(sm)
            sel = sm[big] if big.any() else sm
            v[o + 3] = sel.max()
            v[o + 4] = percentiles(sel, (75,))[0]
            v[o + 5] = (sel > 0).mean()
            v[o + 6] = 100.0 * (w > STRONG).sum() / vw.n
        findings = []
        sm = s_means[0]
        w = W[:, 0]
        strong = w > STRONG
        ok = long & (np.bincount(isent[strong], minlength=ns) >= MIN_HITS)
        toks = doc.tokens
        for s in top_sentences(sm, REPORT_MEAN, ok, MAX_REPORTED):
            sel = np.flatnonzero(strong & (isent == s))
            used: set[int] = set()
            named = 0
            for j in sel[np.argsort(-w[sel])]:
                span = set(range(first[j], last[j] + 1))
                if span & used or named >= MAX_NAMED:
                    continue
                used |= span
                named += 1
                lo = toks[vw.wtok[first[j]]].start
                hi = toks[vw.wtok[last[j]]].end
                reason = WORD_CHOICE.reason("choice", span=doc.text[lo:hi])
                findings.append(WORD_CHOICE.finding(a, lo, hi, reason))
        findings.sort(key=lambda f: f.start)
        return v, findings
