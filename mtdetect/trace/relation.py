"""Relation of a suspect to a candidate source, and which of the two is the rewrite.

Relations (:data:`RELATIONS`):

* ``copy`` — near-verbatim: almost every aligned word unchanged;
* ``spun`` — word and phrase substitutions in place, sentence for sentence;
* ``translated`` — the same content reworded sentence by sentence, as a translation does: a
  translation or round trip of the source, or a translation of the same original as the source
  (two translations of one foreign article are *siblings*: ``direction`` is then ``null``
  unless one side carries the artifacts of a rewrite and the other none);
* ``independent`` — related content (same story or topic) that was written separately: few
  sentences align;
* ``none`` — unrelated.

Both models are small logistic regressions over the features below, fitted by
``tools/trace_eval.py fit`` on pairs of the training split of the corpus, and shipped as JSON
(``resources/trace_relation.json``: feature names, scaling, weights; nothing is unpickled).

Direction is decided for ``spun`` and ``translated`` only: a near-verbatim copy carries no
artifact of its making. Its features are antisymmetric (suspect minus source), the model has no
intercept, so swapping the two texts flips the decision: the detector's scores of both texts
(machine, spun, translated), and cues of the substitutions —
the rewrite's words are rarer and fit their context worse than the words they replaced (the
trigram LM's probability of the changed words and the two words after them, on each side), the
candidate table (built to map a spun word to its original) links them in the rewrite-to-original
direction, a spinner renders one word with several ("making an attempt" for "trying"), and it
swaps a word in one place while the author's word stays elsewhere in the rewrite (an author
keeps to a term; a spinner varies it).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np

from mtdetect.trace.pair import Comparison
from mtdetect.trace.substitutions import REWRITE_KINDS
from mtdetect.trace.words import linked, stem, zipf

RELATIONS = ("copy", "spun", "translated", "independent", "none")
REWRITES = frozenset({"copy", "spun", "translated"})
RESOURCE = "trace_relation.json"
_SINGLE_KINDS = frozenset({"synonym", "word", "name", "spelling", "inflection"})
_LINKED_KINDS = frozenset({"synonym", "name", "spelling", "inflection"})

RELATION_FEATURES = (
    "doc_dice",
    "cov_min",
    "cov_max",
    "block_sim",
    "synonym_share",
    "identity_min",
    "identity_max",
    "change_rate",
    "single_share",
    "linked_share",
    "phrase_share",
    "reorder_share",
    "indel_share",
    "merge_share",
    "len_ratio",
    "log_words",
    "shared_names",
    "shared_rare",
)
#: Words at most this frequent (Zipf) are "rare": shared rare words and names mark one story.
RARE_ZIPF = 4.0
DIRECTION_FEATURES = (
    "det_machine",
    "det_spun",
    "det_translated",
    "sub_zipf",
    "sub_fit",
    "sub_link",
    "expanded",
    "longer",
    "window_fit",
    "kept_elsewhere",
    "phrase_longer",
)
#: Direction features that need the detector; without one they are 0 and the model's
#: ``lexical`` weights (fitted without them) are used.
DETECTOR_FEATURES = ("det_machine", "det_spun", "det_translated")
#: Word tokens after a change whose probability the change affects (``window_fit``).
WINDOW_AFTER = 2


def _safe(x: float, y: float) -> float:
    return x / y if y else 0.0


def relation_features(c: Comparison) -> dict[str, float]:
    """Features of a pair for the relation model (mostly symmetric in the two texts)."""
    al = c.alignment
    ka, kb = float(np.sum(al.keys_a)), float(np.sum(al.keys_b))
    cov_a = _safe(sum(b.keys_a for b in al.blocks), ka)
    cov_b = _safe(sum(b.keys_b for b in al.blocks), kb)
    ex = sum(b.exact for b in al.blocks)
    sy = sum(b.synonym for b in al.blocks)
    keys = sum(b.keys_a + b.keys_b for b in al.blocks)
    block_sim = _safe(sum(b.similarity * (b.keys_a + b.keys_b) for b in al.blocks), keys)
    wa = wb = 0
    for blk in al.blocks:
        sa, sb = c.a.sentences, c.b.sentences
        wa += sum(t.is_word for t in c.a.tokens[sa[blk.a0].tok_start : sa[blk.a1 - 1].tok_end])
        wb += sum(t.is_word for t in c.b.tokens[sb[blk.b0].tok_start : sb[blk.b1 - 1].tok_end])
    ch = c.changes
    n = len(ch)
    kinds = Counter(x.kind for x in ch)
    ident_a = 1 - _safe(sum(x.n_obs for x in ch), wa) if wa else 0.0
    ident_b = 1 - _safe(sum(x.n_orig for x in ch), wb) if wb else 0.0
    words_a, words_b = max(c.a.n_words, 1), max(c.b.n_words, 1)
    da = Counter(k for s in c.alignment.words_a for _, k in s)
    db = Counter(k for s in c.alignment.words_b for _, k in s)
    doc_dice = _safe(2 * sum((da & db).values()), sum(da.values()) + sum(db.values()))
    na, nb = _names(c.a), _names(c.b)
    ra, rb = _rare(c.alignment.words_a), _rare(c.alignment.words_b)
    return {
        "doc_dice": doc_dice,
        "cov_min": min(cov_a, cov_b),
        "cov_max": max(cov_a, cov_b),
        "block_sim": block_sim,
        "synonym_share": _safe(sy, ex + sy),
        "identity_min": max(0.0, min(ident_a, ident_b)),
        "identity_max": max(0.0, max(ident_a, ident_b)),
        "change_rate": _safe(n, max(wa, 1)),
        "single_share": _safe(sum(kinds[k] for k in _SINGLE_KINDS), n),
        "linked_share": _safe(sum(kinds[k] for k in _LINKED_KINDS), n),
        "phrase_share": _safe(kinds["phrase"], n),
        "reorder_share": _safe(kinds["reorder"], n),
        "indel_share": _safe(kinds["deletion"] + kinds["insertion"], n),
        "merge_share": _safe(
            sum((b.a1 - b.a0) + (b.b1 - b.b0) > 2 for b in al.blocks), len(al.blocks)
        ),
        "len_ratio": abs(math.log(words_a / words_b)),
        "log_words": math.log(min(words_a, words_b)),
        "shared_names": _safe(2 * len(na & nb), len(na) + len(nb)),
        "shared_rare": _safe(2 * len(ra & rb), len(ra) + len(rb)),
    }


def _names(doc) -> set[str]:
    """Capitalised words that do not begin a sentence or quotation, and numbers."""
    from mtdetect.trace.substitutions import initial_starts

    starts = initial_starts(doc)
    return {
        t.norm.lower()
        for t in doc.tokens
        if t.is_word and (t.norm[0].isdigit() or (t.norm[0].isupper() and t.start not in starts))
    }


def _rare(sents: list[list[tuple[str, str]]]) -> set[str]:
    words = sorted({w for s in sents for w, _ in s})
    if not words:
        return set()
    z = zipf(words)
    return {w for w, f in zip(words, z) if f <= RARE_ZIPF}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _fit(doc, pos: list[int]) -> np.ndarray:
    """log10 P(word | previous word) + log10 P(next word | word) of word tokens ``pos``."""
    from mtdetect import refstats

    rs = refstats.load()
    toks = doc.tokens
    prev, cur, nxt = [], [], []
    for i in pos:
        t = toks[i]
        p = toks[i - 1] if i > 0 and toks[i - 1].sent == t.sent and toks[i - 1].is_word else None
        q = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].sent == t.sent else None
        prev.append(p.norm if p else "")
        cur.append(t.norm)
        nxt.append(q.norm if q and q.is_word else "")
    ids = rs.lm_ids
    pv, cv, nv = ids(prev), ids(cur), ids(nxt)
    lp1 = rs.cond_logprob(cv, pv)[0]
    lp2 = np.where(nv >= 0, rs.cond_logprob(nv, cv)[0], 0.0)
    return lp1 + lp2


def _word_lps(doc) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start offsets, sentence numbers and trigram log10 probabilities of a text's word tokens."""
    from mtdetect import refstats

    rs = refstats.load()
    words = [t for t in doc.tokens if t.is_word]
    starts = np.array([t.start for t in words], dtype=np.int64)
    sents = np.array([t.sent for t in words], dtype=np.int64)
    lp = np.zeros(len(words))
    cut = np.flatnonzero(np.diff(sents)) + 1
    for lo, hi in zip(np.r_[0, cut], np.r_[cut, len(words)]):
        lp[lo:hi] = rs.logprob_tokens([t.norm for t in words[lo:hi]])
    return starts, sents, lp


def _window_lp(lps: tuple, start: int, end: int) -> float:
    """Log10 probability of the word tokens in ``[start, end)`` and the :data:`WINDOW_AFTER`
    word tokens after them in the same sentence (``lps`` from :func:`_word_lps`)."""
    starts, sents, lp = lps
    k0 = int(np.searchsorted(starts, start))
    if k0 >= len(starts):
        return 0.0
    k1 = max(int(np.searchsorted(starts, end)), k0 + 1) + WINDOW_AFTER
    k1 = min(k1, len(starts))
    same = sents[k0:k1] == sents[k0]
    return float(lp[k0:k1][same].sum())


def direction_features(c: Comparison, reports: tuple | None = None) -> dict[str, float]:
    """Antisymmetric features: positive values say the suspect (``a``) is the rewrite."""
    f = dict.fromkeys(DIRECTION_FEATURES, 0.0)
    rewritten = [x for x in c.changes if x.kind in REWRITE_KINDS]
    if reports is not None:
        ra, rb = reports
        f["det_machine"] = _logit(1 - ra.scores["human"]) - _logit(1 - rb.scores["human"])
        f["det_spun"] = _logit(ra.scores["spun"]) - _logit(rb.scores["spun"])
        f["det_translated"] = _logit(ra.scores["translated"]) - _logit(rb.scores["translated"])
    if rewritten:
        la, lb = _word_lps(c.a), _word_lps(c.b)
        d = [
            _window_lp(la, x.start, x.end) - _window_lp(lb, x.src_start, x.src_end)
            for x in rewritten
        ]
        f["window_fit"] = -float(np.mean(d))  # the rewrite's wording is the less probable
    phrases = [x for x in rewritten if x.kind == "phrase"]
    if phrases:
        f["phrase_longer"] = float(np.mean([np.sign(x.n_obs - x.n_orig) for x in phrases]))
    single = [x for x in c.changes if x.kind in _SINGLE_KINDS and x.n_obs == x.n_orig == 1]
    if single:
        obs = [x.observed.lower() for x in single]
        orig = [x.original.lower() for x in single]
        z = zipf(obs) - zipf(orig)
        f["sub_zipf"] = -float(np.mean(z))  # the rewrite's words are the rarer ones
        start_a = {t.start: i for i, t in enumerate(c.a.tokens)}
        start_b = {t.start: i for i, t in enumerate(c.b.tokens)}
        fa = _fit(c.a, [start_a[x.start] for x in single])
        fb = _fit(c.b, [start_b[x.src_start] for x in single])
        f["sub_fit"] = -float(np.mean(fa - fb))  # and fit their context worse
        fwd = sum(r in linked(o) for o, r in zip(obs, orig))
        back = sum(o in linked(r) for o, r in zip(obs, orig))
        f["sub_link"] = (fwd - back) / len(single)
        sa = {stem(t.norm) for t in c.a.tokens if t.is_word}
        sb = {stem(t.norm) for t in c.b.tokens if t.is_word}
        kept = [(stem(r) in sa) - (stem(o) in sb) for o, r in zip(obs, orig) if stem(o) != stem(r)]
        if kept:  # the source's word still stands elsewhere in the rewrite
            f["kept_elsewhere"] = float(np.mean(kept))
    f["longer"] = math.log(max(c.a.n_words, 1) / max(c.b.n_words, 1))
    con = [x for x in c.changes if x.kind == "contraction"]
    if con:
        f["expanded"] = sum(1 if x.n_obs > x.n_orig else -1 for x in con) / len(con)
    return f


@dataclass
class Verdict:
    """A pair's relation, its probabilities, and the direction (``None`` if undecided)."""

    relation: str
    probabilities: dict[str, float]
    direction: str | None
    rewrite_score: float | None  # P(the suspect is the rewrite), when a direction is decided


class RelationModel:
    """The shipped relation and direction models (JSON parameters, see module doc)."""

    def __init__(self, params: dict) -> None:
        self.params = params
        r = params["relation"]
        if tuple(r["features"]) != RELATION_FEATURES or tuple(r["classes"]) != RELATIONS:
            raise ValueError("relation model does not match this version; run `make trace-fit`")
        self.mean = np.asarray(r["mean"])
        self.scale = np.asarray(r["scale"])
        self.coef = np.asarray(r["coef"])
        self.intercept = np.asarray(r["intercept"])
        d = params["direction"]
        if tuple(d["features"]) != DIRECTION_FEATURES:
            raise ValueError("direction model does not match this version; run `make trace-fit`")
        # one weight vector per rewrite relation: a spinner picks rarer words than the source's,
        # a round trip more common ones, so the cues point in different directions
        self.direction = {
            rel: {k: np.asarray(w[k]) for k in ("full", "lexical")}
            for rel, w in d["weights"].items()
        }
        self.margin = {rel: float(m) for rel, m in d.get("margin", {}).items()}

    def relation_proba(self, feats: dict[str, float]) -> dict[str, float]:
        x = (np.array([feats[k] for k in RELATION_FEATURES]) - self.mean) / self.scale
        z = self.coef @ x + self.intercept
        p = np.exp(z - z.max())
        p /= p.sum()
        return {k: float(v) for k, v in zip(RELATIONS, p)}

    def relation_proba_of(self, c: Comparison) -> dict[str, float]:
        """Relation probabilities of a compared pair."""
        return self.relation_proba(relation_features(c))

    def rewrite_score(self, relation: str, feats: dict[str, float], with_detector: bool) -> float:
        """P(the suspect is the rewrite of the source), for a ``spun`` or ``translated`` pair."""
        w = self.direction[relation]["full" if with_detector else "lexical"]
        z = float(w @ np.array([feats[k] for k in DIRECTION_FEATURES]))
        return 1 / (1 + math.exp(-max(min(z, 50), -50)))

    def judge(
        self, c: Comparison, reports: tuple | None = None, features: dict | None = None
    ) -> Verdict:
        """Relation and direction of a compared pair (``reports``: detector reports of the
        suspect and the source, if a detector is at hand; ``features``: the pair's
        :func:`direction_features`, when the caller has computed them already)."""
        proba = self.relation_proba(relation_features(c))
        rel = max(proba, key=proba.get)
        direction = score = None
        if rel in ("spun", "translated"):
            if features is None:
                features = direction_features(c, reports)
            score = self.rewrite_score(rel, features, reports is not None)
            if abs(score - 0.5) >= self.margin.get(rel, 0.0):
                direction = "suspect-rewrites-source" if score >= 0.5 else "source-rewrites-suspect"
        return Verdict(rel, proba, direction, score)


@cache
def load_relation_model(path: str | None = None) -> RelationModel:
    """The shipped relation model (or one at ``path``), read once."""
    from pathlib import Path

    from mtdetect.resources import resource_path

    p = Path(path) if path else resource_path(RESOURCE)
    return RelationModel(json.loads(p.read_text(encoding="utf-8")))
