"""Synonym swaps: a word the context does not expect where a thesaurus neighbour fits far better.

A spinner replaces "working hard to stop the fighting" by "working arduous to cease the
fighting". For every word or short phrase B that a thesaurus could have produced, the candidate
table (``tools/build_candidates.py``) lists the originals A it may have replaced; the trigram LM
scores the window around B with each A substituted. A span is flagged when a small logistic
model over these scores (how much more probable the window is with A, how much of that is
context rather than word frequency, how rare B is, whether B's n-grams are unseen...) says so
with a threshold set on human text of the train/valid splits so that there is at most about one
false flag per 1,000 human words (``tools/eval_spans.py fit``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from mtdetect.features._views import percentiles, view
from mtdetect.features.base import FeatureFamily, per_1000
from mtdetect.findings import Finding
from mtdetect.refstats import RefStats, Swaps, load, swap_candidates
from mtdetect.resources import resource_path
from mtdetect.text import Document

RULE = "collocation.synonym-swap"
KIND = "collocation"
MAX_CANDS = 8
MAX_FIT = 1.2  # spans whose words attract a neighbour this much (log10 PMI) are not tested
PRIOR_WEIGHT = 0.3  # candidate choice: delta + PRIOR_WEIGHT * prior
_SCORES_KEY = "_mtdetect_swap_scores"
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


def span_scores(doc: Document, rs: RefStats | None = None) -> SpanScores | None:
    """Score every candidate span of ``doc``; None when it has none (cached on the document)."""
    cached = doc.__dict__.get(_SCORES_KEY, False)
    if cached is not False:
        return cached
    rs = rs or load()
    sw = swap_candidates(doc, MAX_CANDS, MAX_FIT)
    n = sw.n_spans
    if n == 0:
        doc.__dict__[_SCORES_KEY] = None
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
    vw = view(doc)
    t0 = sw.t0
    capital = vw.cap[sw.w0]
    # case model: how often B's / A's first word is capitalised mid-sentence in human text;
    # a capitalised word that people almost never capitalise ("At", "Home") inside a name
    dl = rs.doc_lm(doc)
    wi = dl.word_idx
    rate_w, n_w = rs.cap_rate_ids(dl.ids[wi])  # per word of the document
    rate_b, n_b = rate_w[sw.w0], n_w[sw.w0]
    rate_a, n_a = rs.cap_rate_ids(sw.a[best, 0])
    b_cap = np.where(n_b >= 5, rate_b, 0.3)
    a_cap = np.where(n_a >= 5, rate_a, 0.3)
    # a span word capitalised here that people almost never capitalise mid-sentence
    low_w = vw.cap & (n_w >= 20) & (rate_w < 0.05)  # (the rate is nan only where n_w == 0)
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
    x[:, 24:] = context_features(x[:, 0], sw.w0, sw.w1, doc.n_words)
    initial = vw.sent_start[t0]
    out = SpanScores(sw, best, x, capital, initial)
    doc.__dict__[_SCORES_KEY] = out
    return out


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


@cache
def swap_model(name: str = "swap_model.json") -> dict:
    """Logistic model and threshold fitted by ``tools/eval_spans.py fit``."""
    return json.loads(resource_path(f"refstats/{name}").read_text(encoding="utf-8"))


def model_columns(model: dict) -> np.ndarray:
    """Indices into :data:`FEATURES` of the model's inputs."""
    return np.array([FEATURES.index(f) for f in model["features"]], dtype=np.intp)


def model_scores(x: np.ndarray, model: dict) -> np.ndarray:
    """Probability-like score in [0, 1] of each row of ``x`` (all :data:`FEATURES` columns).

    A model is logistic (``mean``/``scale``/``coef``/``intercept``) or gradient-boosted trees
    (``trees``: padded per-tree node arrays, see :func:`tree_scores`).
    """
    cols, mu, sd, coef = _model_arrays(model)
    x = x[:, cols]
    if "trees" in model:
        z = tree_scores(x, model)
    else:
        z = ((x - mu) / sd) @ coef + model["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


_MODEL_CACHE: dict[int, tuple[tuple, tuple]] = {}
_MODEL_PARTS = ("features", "mean", "scale", "coef")


def _model_arrays(model: dict) -> tuple:
    """(input columns, mean, scale, coef) of a model as arrays (converted once per model and
    its lists; ``None`` for the logistic parts of a tree model)."""
    key = (model, *(model.get(k) for k in _MODEL_PARTS))
    hit = _MODEL_CACHE.get(id(model))
    if hit is not None and all(a is b for a, b in zip(hit[0], key)):
        return hit[1]
    arrays: tuple = (model_columns(model), None, None, None)
    if "trees" not in model:
        arrays = (
            arrays[0],
            np.asarray(model["mean"]),
            np.asarray(model["scale"]),
            np.asarray(model["coef"]),
        )
    if len(_MODEL_CACHE) >= 64:  # (fitting tools score many short-lived models)
        _MODEL_CACHE.clear()
    _MODEL_CACHE[id(model)] = (key, arrays)
    return arrays


_TREE_CACHE: dict[int, tuple[dict, tuple]] = {}
_TABLE_BITS = 16  # trees with at most this many inner nodes are read from a leaf table
# (bytes b0..b7 of a little-endian uint64, each 0 or 1) * _PACK >> 56 == sum(b_i << i)
_PACK = np.uint64(0x0102040810204080)


def _tree_arrays(trees: dict) -> tuple:
    """Node tests and leaf tables of a ``trees`` entry (built once per loaded model).

    Each tree gets ``slot`` (8 or 16) test columns: its inner nodes reachable from the root,
    then dummy tests (feature 0). The outcomes of a row's tests (bit set: go left) form a
    ``slot``-bit code per tree, and ``leaf[tree << k | code & (2**k - 1)]`` (``k``: the most
    inner nodes of a tree) is the leaf that the row reaches, an index into ``value``: a table
    filled once per leaf from the tests on its path. The table is ``None`` when a tree has
    more than :data:`_TABLE_BITS` inner nodes (rows then walk the trees, :func:`_walk_trees`).
    """
    hit = _TREE_CACHE.get(id(trees))
    if hit is not None and hit[0] is trees:
        return hit[1]
    feature = np.asarray(trees["feature"], dtype=np.intp)
    threshold = np.asarray(trees["threshold"], dtype=float)
    missing = np.asarray(trees["missing_left"], dtype=bool)
    left = np.asarray(trees["left"], dtype=np.intp).tolist()
    right = np.asarray(trees["right"], dtype=np.intp).tolist()
    is_leaf = (feature < 0).tolist()
    n_trees, width = feature.shape
    # per tree: its inner nodes (bit i of the code: node inner[i]) and the leaves with the
    # bits that must be set (mask) to the values (want) on the way to each
    inner: list[list[int]] = []
    paths: list[list[tuple[int, int, int]]] = []
    for t in range(n_trees):
        nodes: list[int] = []
        leaves: list[tuple[int, int, int]] = []
        todo = [(0, 0, 0)]
        while todo:
            k, mask, want = todo.pop()
            if is_leaf[t][k]:
                leaves.append((k, mask, want))
                continue
            b = 1 << len(nodes)
            nodes.append(k)
            todo += [(right[t][k], mask | b, want), (left[t][k], mask | b, want | b)]
        inner.append(nodes)
        paths.append(leaves)
    k_max = max(1, max(len(s) for s in inner))
    if len(_TREE_CACHE) >= 8:  # a leaf table takes a few MB: keep those of a few models
        _TREE_CACHE.clear()
    if k_max > _TABLE_BITS:
        arrays = (None, *_walk_arrays(trees))
        _TREE_CACHE[id(trees)] = (trees, arrays)
        return arrays
    slot = 8 if k_max <= 8 else 16
    node = np.zeros((n_trees, slot), dtype=np.intp)  # node of each test column (dummies: 0)
    for t, s in enumerate(inner):
        node[t, : len(s)] = s
    rows = np.arange(n_trees)[:, None]
    feat = np.maximum(feature[rows, node], 0).ravel()
    codes = np.arange(1 << k_max)
    small = n_trees * width < 1 << 15  # leaf indices fit int16
    leaf = np.zeros((n_trees, 1 << k_max), dtype=np.int16 if small else np.int32)
    for t, leaves in enumerate(paths):
        for k, mask, want in leaves:
            leaf[t, (codes & mask) == want] = t * width + k
    arrays = (
        leaf.ravel(),
        feat,
        threshold[rows, node].ravel(),
        missing[rows, node].ravel(),
        slot,
        k_max,
        n_trees,
        np.asarray(trees["value"], dtype=float).ravel(),
    )
    _TREE_CACHE[id(trees)] = (trees, arrays)
    return arrays


def _walk_arrays(trees: dict) -> tuple:
    """Flattened node arrays for :func:`_walk_trees`.

    Nodes of all trees are numbered globally; ``nxt[2 * k + go_left]`` is the node after node
    ``k`` (a leaf points to itself, so a fixed number of steps reaches every leaf).
    """
    feat = np.asarray(trees["feature"], dtype=np.intp)
    n_trees, width = feat.shape
    off = (np.arange(n_trees) * width)[:, None]
    own = np.arange(n_trees * width).reshape(n_trees, width)
    leaf = feat < 0
    left = np.where(leaf, own, np.asarray(trees["left"], dtype=np.intp) + off)
    right = np.where(leaf, own, np.asarray(trees["right"], dtype=np.intp) + off)
    nxt = np.column_stack([right.ravel(), left.ravel()]).ravel()
    inner = np.flatnonzero(~leaf.ravel())
    # depth of the deepest leaf = number of steps needed
    depth = np.zeros(n_trees * width, dtype=np.intp)
    for _ in range(width):
        d = depth.copy()
        d[left.ravel()[inner]] = depth[inner] + 1
        d[right.ravel()[inner]] = depth[inner] + 1
        if (d == depth).all():
            break
        depth = d
    pos = np.zeros(n_trees * width, dtype=np.intp)  # column of an inner node (leaves: 0)
    pos[inner] = np.arange(len(inner))
    return (
        pos,
        feat.ravel()[inner],
        np.asarray(trees["threshold"], dtype=float).ravel()[inner],
        np.asarray(trees["missing_left"], dtype=bool).ravel()[inner],
        nxt,
        np.asarray(trees["value"], dtype=float).ravel(),
        int(depth.max()),
        n_trees,
        width,
    )


def _walk_trees(x: np.ndarray, arrays: tuple) -> np.ndarray:
    """Sum of the leaves reached by each row, walking all trees one level per step."""
    pos, feat, thr, miss, nxt, value, depth, n_trees, width = arrays
    n = x.shape[0]
    v = x[:, feat]
    go = ((v <= thr) | (np.isnan(v) & miss)).astype(np.intp).ravel()
    node = np.broadcast_to(np.arange(n_trees) * width, (n, n_trees))
    base = (np.arange(n) * len(feat))[:, None]
    for _ in range(depth):
        node = nxt[2 * node + go[base + pos[node]]]
    return value[node].sum(axis=1)


def tree_scores(x: np.ndarray, model: dict) -> np.ndarray:
    """Raw (log-odds) score of a boosted-tree model for each row of ``x``.

    ``trees`` holds (n_trees, n_nodes) arrays: ``feature`` (-1 for a leaf), ``threshold``
    (go left when x <= threshold, or when x is NaN and ``missing_left``), ``left``/``right``
    (child node), ``value`` (leaf value); the score is ``baseline`` + the sum of the leaves.
    """
    arrays = _tree_arrays(model["trees"])
    if arrays[0] is None:
        return model["baseline"] + _walk_trees(x, arrays[1:])
    leaf, feat, thr, miss, slot, k_max, n_trees, value = arrays
    v = np.take(x, feat, axis=1)  # C order (x[:, feat] is not): a row's tests are contiguous
    go = v <= thr
    if np.isnan(x).any():
        go |= np.isnan(v) & miss
    if np.little_endian:  # eight 0/1 bytes -> one byte, by one multiplication
        code = ((go.view(np.uint64) * _PACK) >> np.uint64(56)).astype(np.uint8)
    else:
        code = np.packbits(go, axis=None, bitorder="little")
    code = code.view(f"<u{slot // 8}").reshape(len(x), n_trees).astype(np.intp)
    code &= (1 << k_max) - 1
    code += np.arange(n_trees) << k_max
    return model["baseline"] + value[leaf[code]].sum(axis=1)


def phrase_of(rs: RefStats, ids: np.ndarray) -> str:
    """Words of a packed-id row."""
    return " ".join(rs.words[i] for i in ids if i >= 0)


def recase(suggestion: str, original: str) -> str:
    """Give the suggestion the capitalisation of the original span."""
    if original.isupper() and len(original) > 1:
        return suggestion.upper()
    words = original.split()
    sw = suggestion.split(" ")
    if len(words) == len(sw) and len(words) > 1:
        return " ".join(s[:1].upper() + s[1:] if w[:1].isupper() else s for w, s in zip(words, sw))
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


_VOWEL_CONS = ("uni", "use", "usu", "ute", "uti", "eu", "one", "once", "ewe")
_VOWEL_VOW = ("hour", "honest", "honor", "honour", "heir")


def article_for(word: str) -> str:
    """'a' or 'an' before ``word`` (by spelling, with the usual exceptions)."""
    w = word.lower()
    if w.startswith(_VOWEL_VOW):
        return "an"
    if w.startswith(_VOWEL_CONS):
        return "a"
    return "an" if w[:1] in "aeiou" else "a"


def make_findings(
    family: FeatureFamily,
    doc: Document,
    sc: SpanScores,
    score: np.ndarray,
    flag: np.ndarray,
    rule: str,
    kind: str,
    reason_fn,
    override: dict[int, str] | None = None,
) -> list[Finding]:
    """Findings for flagged spans: non-overlapping, best score first, article-aware.

    ``override`` maps a span index to the candidate to suggest instead of its best one.
    """
    rs = load()
    sw = sc.swaps
    toks = doc.tokens
    taken = np.zeros(len(toks) + 1, dtype=bool)
    out: list[Finding] = []
    for s in np.flatnonzero(flag)[np.argsort(-score[flag])]:
        t0, t1 = int(sw.t0[s]), int(sw.t1[s])
        if taken[t0:t1].any():
            continue
        taken[t0:t1] = True
        start, end = toks[t0].start, toks[t1 - 1].end
        text = doc.text[start:end]
        cand = (override or {}).get(int(s)) or phrase_of(rs, sw.a[sc.best[s]])
        sugg = recase(cand, text)
        # "an arduous" <- "a hard": take the article along when it must change
        if t0 > 0 and toks[t0 - 1].lower in ("a", "an") and toks[t0 - 1].end + 1 == start:
            art = toks[t0 - 1].norm
            want = article_for(cand)
            if want != art.lower():
                start = toks[t0 - 1].start
                sugg = recase(want, art) + " " + sugg
                text = doc.text[start:end]
        reason = reason_fn(doc, s, text, cand)
        out.append(family.finding(doc, rule, kind, start, end, reason, sugg, float(score[s])))
    out.sort(key=lambda f: f.start)
    return out


def context_phrase(doc: Document, sw: Swaps, s: int, middle: str) -> str:
    """``middle`` between the words before and after span ``s`` (same sentence)."""
    toks = doc.tokens
    t0, t1 = int(sw.t0[s]), int(sw.t1[s])
    left = (
        toks[t0 - 1].norm
        if t0 > 0 and toks[t0 - 1].is_word and toks[t0 - 1].sent == toks[t0].sent
        else ""
    )
    right = (
        toks[t1].norm
        if t1 < len(toks) and toks[t1].is_word and toks[t1].sent == toks[t0].sent
        else ""
    )
    return " ".join(x for x in (left, middle, right) if x)


def times(delta: float) -> str:
    """A likelihood ratio 10**delta in words."""
    r = 10 ** min(delta, 9)
    if r >= 1e6:
        return f"{r / 1e6:,.0f} million×"
    if r >= 100:
        return f"{round(r, -1 if r < 1000 else -2):,.0f}×"
    return f"{r:,.0f}×" if r >= 10 else f"{r:.1f}×"


class SynonymSwap(FeatureFamily):
    name = "synonym_swap"
    version = "3"
    feature_names = (
        "swap_per_1000",
        "swap_score_mean",
        "swap_score_p90",
        "swap_score_max",
        "swap_delta_mean",
        "swap_delta_p90",
        "swap_high_delta_per_1000",
        "swap_cand_spans_share",
        "swap_b_unseen_share",
        "swap_ctx_mean",
        "swap_ge50_per_1000",
        "swap_ge80_per_1000",
        "swap_ge90_per_1000",
        "swap_top5_mean",
    )
    flags = (
        "The storm caused weighty rain and flooding across the region.",
        "Workers were toiling difficult to cease the fighting in the city.",
        "The company said it would cut jobs, citing a tumble in requirement for its merchandises.",
    )
    passes = (
        "The storm caused heavy rain and flooding across the region.",
        "Workers were working hard to stop the fighting in the city.",
        "The company said it would cut jobs, citing a fall in demand for its products.",
        "He has been in jail since last year, awaiting trial on fraud charges.",
    )

    def extract(self, doc: Document) -> tuple[list[float], list[Finding]]:
        nw = doc.n_words
        empty = [0.0] * len(self.feature_names)
        sc = span_scores(doc)
        if sc is None or nw == 0:
            return empty, []
        lower = swap_model()["lower"]
        score = model_scores(sc.x, lower)
        own = ~(sc.capital & ~sc.initial)  # capitalised mid-sentence spans: broken_names
        hit = score >= lower["threshold"]
        shown = score
        if "lr" in lower:  # strong isolated swaps: the logistic model on per-span features
            lr_score = model_scores(sc.x, lower["lr"])
            hit |= lr_score >= lower["lr"]["threshold"]
            shown = np.maximum(score, lr_score)
        flag = own & hit
        sw = sc.swaps
        delta = sc.x[:, 0]
        findings = make_findings(self, doc, sc, shown, flag, RULE, KIND, self._reason)
        so = score[own] if own.any() else np.zeros(1)
        do = delta[own] if own.any() else np.zeros(1)
        values = [
            per_1000(len(findings), nw),
            float(so.mean()),
            percentiles(so, (90,))[0],
            float(so.max()),
            float(do.mean()),
            percentiles(do, (90,))[0],
            per_1000(float((do >= 2.0).sum()), nw),
            float(own.sum()) / nw,
            float(sc.x[own, 5].mean()) if own.any() else 0.0,
            float(sc.x[own, 1].mean()) if own.any() else 0.0,
            # Densities below the flagging threshold: weak swaps add up over a document.
            per_1000(float((so >= 0.5).sum()), nw),
            per_1000(float((so >= 0.8).sum()), nw),
            per_1000(float((so >= 0.9).sum()), nw),
            float(np.sort(so)[-5:].mean()),
        ]
        del sw
        return values, findings

    @staticmethod
    def _reason(doc: Document, s: int, text: str, cand: str) -> str:
        sc = span_scores(doc)
        sw = sc.swaps  # type: ignore[union-attr]
        d = float(sw.delta[sc.best[s]])  # type: ignore[union-attr]
        obs = doc.text[doc.tokens[int(sw.t0[s])].start : doc.tokens[int(sw.t1[s]) - 1].end]
        good = context_phrase(doc, sw, s, cand)
        bad = context_phrase(doc, sw, s, obs)
        if math.isfinite(d) and d > 0:
            return (
                f"'{obs}' where '{cand}' is expected: '{good}' is {times(d)} more likely "
                f"in English than '{bad}'"
            )
        return f"'{obs}' reads like a thesaurus substitute for '{cand}'"
