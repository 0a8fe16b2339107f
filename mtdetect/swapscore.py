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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtdetect import resources
from mtdetect.doclm import DocLM
from mtdetect.refstats import DIR, RefStats
from mtdetect.swaps import Swaps
from mtdetect.treemodel import ScoringModel

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
    n = sw.n_spans
    if n == 0:
        return None
    choice = sw.delta + PRIOR_WEIGHT * sw.prior
    order = np.lexsort((-choice, sw.span))
    first = np.ones(len(order), dtype=bool)
    first[1:] = sw.span[order][1:] != sw.span[order][:-1]
    best = order[first]  # one per span, spans in order 0..n-1
    counts = np.bincount(sw.span, minlength=n)
    delta = sw.delta[best]
    ctx = delta - (sw.a_uni[best] - sw.b_uni)
    a_words = (sw.a[best] >= 0).sum(axis=1)
    b_words = sw.w1 - sw.w0
    units = np.maximum(b_words + 2, 1)
    x = np.empty((n, len(FEATURES)))  # the columns of FEATURES, in order
    a_zipf = sw.a_zipf[best]
    x[:, 0] = np.clip(delta, -10, 10)
    x[:, 1] = np.clip(ctx, -10, 10)
    x[:, 2] = sw.b_zipf
    x[:, 3] = np.minimum(a_zipf, 8)
    x[:, 4] = np.clip(a_zipf - sw.b_zipf, -5, 8)
    x[:, 5] = sw.b_order <= 1
    x[:, 6] = sw.a_order[best]
    x[:, 7] = sw.prior[best]
    x[:, 8] = np.log1p(counts)
    x[:, 9] = b_words
    x[:, 10] = a_words
    x[:, 11] = np.clip(sw.s_b / units, -8, 0)
    x[:, 12] = np.clip(delta, 0, 10) ** 2 / 10
    x[:, 13] = sw.b_oov
    t0 = sw.t0
    capital = cap[sw.w0]
    # case model: how often B's / A's first word is capitalised mid-sentence in human text;
    # a capitalised word that people almost never capitalise ("At", "Home") inside a name
    wi = dl.word_idx
    rate_w, n_w = rs.cap_rate_ids(dl.ids[wi])  # per word of the document
    rate_b, n_b = rate_w[sw.w0], n_w[sw.w0]
    rate_a, n_a = rs.cap_rate_ids(sw.a[best, 0])
    b_cap = np.where(n_b >= 5, rate_b, 0.3)
    a_cap = np.where(n_a >= 5, rate_a, 0.3)
    # a span word capitalised here that people almost never capitalise mid-sentence
    low_w = cap & (n_w >= 20) & (rate_w < 0.05)  # (the rate is nan only where n_w == 0)
    low_any = np.zeros(n, dtype=bool)
    for j in range(3):
        inside = sw.w0 + j < sw.w1
        low_any |= inside & low_w[np.minimum(sw.w0 + j, len(wi) - 1)]
    n_better = np.bincount(sw.span, weights=(sw.delta > 1.0).astype(float), minlength=n)
    bl = np.clip(sw.b_left, -5, 5)
    br = np.clip(sw.b_right, -5, 5)
    al = np.clip(sw.a_left[best], -5, 5)
    ar = np.clip(sw.a_right[best], -5, 5)
    for c, v in enumerate(
        (b_cap, a_cap, low_any, bl, br, al, ar, al - bl, ar - br, np.log1p(n_better)), 14
    ):
        x[:, c] = v
    x[:, 24:] = context_features(x[:, 0], sw.w0, sw.w1, n_words)
    initial = sent_start[t0]
    return SpanScores(sw, best, x, capital, initial)


def context_features(delta: np.ndarray, w0: np.ndarray, w1: np.ndarray, n_words: int) -> np.ndarray:
    """Per span, evidence from the OTHER spans of the document (the span itself excluded).

    log1p of the number of other spans with a high delta, that number per 100 words, the mean
    (clipped) delta of the other spans, and log1p of the number of high-delta spans nearby.
    """
    n = len(delta)
    hi = (delta >= HIGH_DELTA).astype(float)
    oth_hi = hi.sum() - hi
    oth_mean = (delta.sum() - delta) / max(n - 1, 1)
    mid = (w0 + w1).astype(float) / 2.0
    order = np.argsort(mid, kind="stable")
    ms = mid[order]
    cum = np.concatenate([[0.0], np.cumsum(hi[order])])
    lo = np.searchsorted(ms, mid - NEAR_WORDS, side="left")
    up = np.searchsorted(ms, mid + NEAR_WORDS, side="right")
    near = cum[up] - cum[lo] - hi
    return np.column_stack(
        [np.log1p(oth_hi), 100.0 * oth_hi / max(n_words, 1), oth_mean, np.log1p(near)]
    )


#: resource name of the span models
MODELS = f"{DIR}/swap_model.json"


@dataclass(frozen=True)
class SwapModels:
    """The span models: ``lower`` (trees) with its logistic companion ``lower_lr`` (flags strong
    isolated swaps, or None), and ``names`` for capitalised spans mid-sentence."""

    lower: ScoringModel
    lower_lr: ScoringModel | None
    names: ScoringModel


def parse_models(spec: dict) -> SwapModels:
    """The span models of a loaded ``swap_model.json``."""
    lower = spec["lower"]
    lr = ScoringModel(lower["lr"], FEATURES) if "lr" in lower else None
    return SwapModels(ScoringModel(lower, FEATURES), lr, ScoringModel(spec["names"], FEATURES))


def read_models(path: Path) -> SwapModels:
    return parse_models(json.loads(path.read_text(encoding="utf-8")))


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
