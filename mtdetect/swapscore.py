"""Swap scoring: per-span evidence of a thesaurus swap, and the span models that weigh it.

For every span of :class:`~mtdetect.swaps.Swaps` the best candidate original is chosen (LM gain
plus a prior) and a row of :data:`FEATURES` is computed: how much more probable the window is
with the candidate, how much of that is context rather than word frequency, how rare the span
is, whether its n-grams are unseen, how people capitalise its words, and how many other spans of
the document look swapped. The span models (``refstats/swap_model.json``, fitted with their
thresholds by ``tools/eval_spans.py fit``; runtime in :mod:`mtdetect.treemodel`) turn a row into
a score: ``lower`` for ordinary spans, ``names`` for capitalised spans mid-sentence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtdetect import compiledtables, resources
from mtdetect.doclm import DocLM
from mtdetect.refstats import DIR, RefStats
from mtdetect.swaps import Swaps
from mtdetect.treemodel import TABLE_FORMAT, ScoringModel, table_arrays

MAX_CANDS = 8
MAX_FIT = 1.2  # spans whose words attract a neighbour this much (log10 PMI) are not tested
PRIOR_WEIGHT = 0.3  # candidate choice: delta + PRIOR_WEIGHT * prior
FEATURES = (
    "delta",
    "delta_ctx",
    "b_zipf",
    "a_zipf",
    "zipf_gap",
    "b_unseen",
    "a_order",
    "prior",
    "n_cands",
    "b_words",
    "a_words",
    "b_mean_lp",
    "delta2",
    "b_oov",
    "b_cap",
    "a_cap",
    "b_low_cap",
    "b_left",
    "b_right",
    "a_left",
    "a_right",
    "left_gain",
    "right_gain",
    "n_better",
    # document context (other spans only): spinners swap many words of a passage
    "log_oth_hi",
    "oth_hi_rate",
    "oth_mean",
    "log_near",
)
HIGH_DELTA = 2.0  # a span whose best candidate makes the window this much more likely (log10)
NEAR_WORDS = 15  # "near": span centres at most this many words apart


@dataclass
class SpanScores:
    """Best candidate per span and the model inputs (one row per span of :class:`Swaps`)."""

    swaps: Swaps
    best: np.ndarray  # row index into the candidate arrays
    x: np.ndarray  # (n_spans, len(FEATURES))
    capital: np.ndarray  # span starts with a capital mid-sentence
    initial: np.ndarray  # span starts a sentence


def span_scores(
    rs: RefStats,
    sw: Swaps,
    dl: DocLM,
    cap: np.ndarray,
    sent_start: np.ndarray,
    n_words: int,
) -> SpanScores | None:
    """Score every candidate span of a document; None when it has none.

    ``sw`` are its swaps (from :func:`~mtdetect.swaps.swap_candidates` with :data:`MAX_CANDS`
    and :data:`MAX_FIT`), ``dl`` its LM view, ``cap`` whether each word starts with a capital,
    ``sent_start`` whether each token starts a sentence.
    """
    return span_scores_many(rs, [(sw, dl, cap, sent_start, n_words)])[0]


#: what :func:`span_scores` reads of a document: swaps, LM view, cap, sent_start, n_words
DocSpans = tuple[Swaps, DocLM, np.ndarray, np.ndarray, int]


def span_scores_many(rs: RefStats, docs: Sequence[DocSpans]) -> list[SpanScores | None]:
    """:func:`span_scores` of each document, from one pass over the spans of all of them (a
    row's features are its span's and, for the context features, its own document's: the
    same values as alone)."""
    out: list[SpanScores | None] = [None] * len(docs)
    live = [k for k, d in enumerate(docs) if d[0].n_spans]
    if not live:
        return out
    sws = [docs[k][0] for k in live]
    span_off = np.cumsum([0] + [s.n_spans for s in sws])
    row_off = np.cumsum([0] + [len(s.span) for s in sws])
    word_off = np.cumsum([0] + [len(docs[k][1].word_idx) for k in live])

    def cat(name: str, off: np.ndarray | None = None) -> np.ndarray:
        if off is None:
            return np.concatenate([getattr(s, name) for s in sws])
        return np.concatenate([getattr(s, name) + o for s, o in zip(sws, off)])

    n = int(span_off[-1])
    span, w0, w1 = cat("span", span_off), cat("w0", word_off), cat("w1", word_off)
    sw_delta, sw_prior, sw_a = cat("delta"), cat("prior"), cat("a")
    choice = sw_delta + PRIOR_WEIGHT * sw_prior
    order = np.lexsort((-choice, span))
    first = np.ones(len(order), dtype=bool)
    first[1:] = span[order][1:] != span[order][:-1]
    best = order[first]  # one per span, spans in order 0..n-1
    counts = np.bincount(span, minlength=n)
    delta = sw_delta[best]
    b_zipf = cat("b_zipf")
    ctx = delta - (cat("a_uni")[best] - cat("b_uni"))
    a_words = (sw_a[best] >= 0).sum(axis=1)
    b_words = w1 - w0
    units = np.maximum(b_words + 2, 1)
    x = np.empty((n, len(FEATURES)))  # the columns of FEATURES, in order
    a_zipf = cat("a_zipf")[best]
    x[:, 0] = np.clip(delta, -10, 10)
    x[:, 1] = np.clip(ctx, -10, 10)
    x[:, 2] = b_zipf
    x[:, 3] = np.minimum(a_zipf, 8)
    x[:, 4] = np.clip(a_zipf - b_zipf, -5, 8)
    x[:, 5] = cat("b_order") <= 1
    x[:, 6] = cat("a_order")[best]
    x[:, 7] = sw_prior[best]
    x[:, 8] = np.log1p(counts)
    x[:, 9] = b_words
    x[:, 10] = a_words
    x[:, 11] = np.clip(cat("s_b") / units, -8, 0)
    x[:, 12] = np.clip(delta, 0, 10) ** 2 / 10
    x[:, 13] = cat("b_oov")
    cap = np.concatenate([docs[k][2] for k in live])
    capital = cap[w0]
    # case model: how often B's / A's first word is capitalised mid-sentence in human text;
    # a capitalised word that people almost never capitalise ("At", "Home") inside a name
    ids = np.concatenate([docs[k][1].ids[docs[k][1].word_idx] for k in live])
    rate_w, n_w = rs.cap_rate_ids(ids)  # per word of the documents
    rate_b, n_b = rate_w[w0], n_w[w0]
    rate_a, n_a = rs.cap_rate_ids(sw_a[best, 0])
    b_cap = np.where(n_b >= 5, rate_b, 0.3)
    a_cap = np.where(n_a >= 5, rate_a, 0.3)
    # a span word capitalised here that people almost never capitalise mid-sentence
    low_w = cap & (n_w >= 20) & (rate_w < 0.05)  # (the rate is nan only where n_w == 0)
    low_any = np.zeros(n, dtype=bool)
    for j in range(3):
        inside = w0 + j < w1
        low_any |= inside & low_w[np.minimum(w0 + j, len(ids) - 1)]
    n_better = np.bincount(span, weights=(sw_delta > 1.0).astype(float), minlength=n)
    bl = np.clip(cat("b_left"), -5, 5)
    br = np.clip(cat("b_right"), -5, 5)
    al = np.clip(cat("a_left")[best], -5, 5)
    ar = np.clip(cat("a_right")[best], -5, 5)
    for c, v in enumerate(
        (b_cap, a_cap, low_any, bl, br, al, ar, al - bl, ar - br, np.log1p(n_better)), 14
    ):
        x[:, c] = v
    n_words = np.array([docs[k][4] for k in live])
    x[:, 24:] = context_features(x[:, 0], w0, w1, n_words, span_off)
    initial = np.concatenate([docs[k][3][s.t0] for k, s in zip(live, sws)])
    for d, (k, sw) in enumerate(zip(live, sws)):
        a, b = span_off[d], span_off[d + 1]
        out[k] = SpanScores(sw, best[a:b] - row_off[d], x[a:b], capital[a:b], initial[a:b])
    return out


def context_features(
    delta: np.ndarray,
    w0: np.ndarray,
    w1: np.ndarray,
    n_words: int | np.ndarray,
    off: np.ndarray | None = None,
) -> np.ndarray:
    """Per span, evidence from the OTHER spans of its document (the span itself excluded).

    log1p of the number of other spans with a high delta, that number per 100 words, the mean
    (clipped) delta of the other spans, and log1p of the number of high-delta spans nearby.
    ``off``: the spans of several documents (document k's from ``off[k]``, ``n_words[k]``
    words); default: all spans are of one document.
    """
    n = len(delta)
    if off is None:
        off, n_words = np.array([0, n]), np.array([n_words])
    size = np.diff(off)
    doc = np.repeat(np.arange(len(size)), size)
    hi = (delta >= HIGH_DELTA).astype(float)
    # per-document sums as the document's own (np.sum of each part: the same rounding)
    oth_hi = np.array([hi[a:b].sum() for a, b in zip(off[:-1], off[1:])])[doc] - hi
    total = np.array([delta[a:b].sum() for a, b in zip(off[:-1], off[1:])])[doc]
    oth_mean = (total - delta) / np.maximum(size - 1, 1)[doc]
    # span centres, each document's in a range of its own (exact in float64: half-integers
    # below 2**32, fewer than 2**20 documents), so that "near" never reaches another document
    mid = (w0 + w1).astype(float) / 2.0 + doc * float(2**32)
    order = np.argsort(mid, kind="stable")
    ms = mid[order]
    cum = np.concatenate([[0.0], np.cumsum(hi[order])])
    lo = np.searchsorted(ms, mid - NEAR_WORDS, side="left")
    up = np.searchsorted(ms, mid + NEAR_WORDS, side="right")
    near = cum[up] - cum[lo] - hi
    return np.column_stack(
        [
            np.log1p(oth_hi),
            100.0 * oth_hi / np.maximum(n_words, 1)[doc],
            oth_mean,
            np.log1p(near),
        ]
    )


#: resource name of the span models
MODELS = f"{DIR}/swap_model.json"
#: the file name of their compiled leaf table (next to them)
COMPILED = "swap_model.npz"


@dataclass(frozen=True)
class SwapModels:
    """The span models: ``lower`` (trees) with its logistic companion ``lower_lr`` (flags strong
    isolated swaps, or None), and ``names`` for capitalised spans mid-sentence."""

    lower: ScoringModel
    lower_lr: ScoringModel | None
    names: ScoringModel


def parse_models(spec: dict, lower_trees: dict[str, np.ndarray] | None = None) -> SwapModels:
    """The span models of a loaded ``swap_model.json`` (``lower_trees``: the compiled leaf
    table of ``lower``, if read)."""
    lower = spec["lower"]
    lr = ScoringModel(lower["lr"], FEATURES) if "lr" in lower else None
    return SwapModels(
        ScoringModel(lower, FEATURES, lower_trees), lr, ScoringModel(spec["names"], FEATURES)
    )


def read_models(path: Path) -> SwapModels:
    """The span models of ``path``, with the leaf table of ``lower`` read from its compiled
    form (:data:`COMPILED`, ``tools/compile_tables.py``) when that is current."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    trees = compiledtables.read(path.with_name(COMPILED), [path], TABLE_FORMAT)
    return parse_models(spec, trees)


def lower_tree_arrays(path: Path) -> dict[str, np.ndarray]:
    """The compiled form of the models ``path``: the leaf table of ``lower``."""
    return table_arrays(json.loads(path.read_text(encoding="utf-8"))["lower"]["trees"])


def models(res: resources.Resources = resources.SHIPPED) -> SwapModels:
    """The span models of ``res`` (by default the shipped ones)."""
    return res.get(MODELS, read_models)


def scores_many(model: ScoringModel, xs: list[np.ndarray]) -> list[np.ndarray]:
    """``model.scores(x)`` of each of ``xs`` (the span rows of documents) from one call over
    all their rows (a row's score is its own: the same values, numpy's per-call cost paid
    once)."""
    if not xs:
        return []
    cut = np.cumsum([len(x) for x in xs])[:-1]
    return np.split(model.scores(np.vstack(xs)), cut)


def model_scores(x: np.ndarray, spec: dict) -> np.ndarray:
    """Scores of the rows ``x`` (all :data:`FEATURES` columns) under a model ``spec`` of the
    JSON format (for the fitting tools; the shipped models are compiled once by :func:`models`)."""
    return ScoringModel(spec, FEATURES).scores(x)
