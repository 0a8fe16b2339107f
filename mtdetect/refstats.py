"""Reference statistics of English: a trigram LM, Zipf frequencies and a case model.

The tables live in ``mtdetect/resources/refstats/`` (built by ``tools/build_lm.py``; sources and
licences in ``mtdetect/resources/NOTICE``) and are read lazily and memory-mapped on the first
call of :func:`load`. All look-ups are vectorised with numpy (:mod:`mtdetect.search`).

Word ids: ``RefStats.vocab`` maps a lower-cased word to an id. Ids below ``lm_size`` are words of
the trigram LM (``<s>`` = 0, ``</s>`` = 1); larger ids are known to the frequency/case tables only.
``-1`` means unknown. The LM is the CMU US-English trigram model (lower case, no punctuation or
digits), so log-probabilities are log10 and describe running spoken-style English.

Typical use::

    rs = refstats.load()
    lp = rs.logprob_tokens(["working", "hard", "to", "stop"])      # per-token log10 P
    rs.bigram_logprob("working", "hard") - rs.bigram_logprob("working", "laborious")
    rs.zipf(["hard", "laborious"]); rs.cap_rate(["house", "today"])
    pmi, seen = rs.pmi([("working", "hard"), ("strong", "tea")])

A document's LM view (per-token scores) is :mod:`mtdetect.doclm`'s, kept by its Analysis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from mtdetect import resources
from mtdetect.search import SortedKeys, padded

BOS = 0
EOS = 1
OOV_LP = -7.5  # log10 P used for a word the LM does not know
DIR = "refstats"
#: the arrays of the tables (``NAME.npy`` in the folder)
ARRAYS = (
    "uni_lp",
    "uni_bo",
    "big_key",
    "big_lp",
    "ctx_key",
    "ctx_bo",
    "ctx_off",
    "tri_w3",
    "tri_lp",
    "zipf",
    "case_mid",
    "case_cap",
    "us_map",
)


class RefStats:
    """Reference statistics over in-memory or memory-mapped arrays (:data:`ARRAYS`).

    Get the shared instance of the shipped tables with :func:`load`; tests build small ones
    with the same arrays.
    """

    def __init__(self, meta: dict, words: list[str], arrays: Mapping[str, np.ndarray]) -> None:
        self.meta = meta
        self.lm_size: int = meta["lm_size"]
        self.lp_step: float = meta["lp_step"]
        self.bo_step: float = meta["bo_step"]
        self.zipf_scale: float = meta["zipf_scale"]
        self.words: list[str] = words
        # (dict(zip) builds the same dict as a comprehension, a quarter faster: 180k words)
        self.vocab: dict[str, int] = dict(zip(words, range(len(words))))
        arr = arrays.__getitem__
        self.uni_lp = np.asarray(arr("uni_lp"), dtype=np.float32)
        self.uni_bo = np.asarray(arr("uni_bo"), dtype=np.float32)
        self.big_key = arr("big_key")
        self.big_lp = arr("big_lp")
        self.ctx_key = arr("ctx_key")
        self.ctx_bo = arr("ctx_bo")
        self.ctx_off = arr("ctx_off")
        self.tri_w3 = arr("tri_w3")
        self.tri_lp = arr("tri_lp")
        self._zipf = arr("zipf")
        self._case_mid = arr("case_mid")
        self._case_cap = arr("case_cap")
        us = arr("us_map")
        src = np.flatnonzero(us >= 0)
        #: British spelling id -> LM id of the American spelling (the LM is American English)
        self.us_map: dict[int, int] = dict(zip(src.tolist(), us[src].tolist()))
        # the same as an array over vocabulary ids (identity where there is no US spelling)
        self.us_arr = np.where(us >= 0, us, np.arange(len(us))).astype(np.int64)
        self.big = SortedKeys(self.big_key)
        self.ctx = SortedKeys(self.ctx_key)

    # ------------------------------------------------------------------ ids

    def word_id(self, word: str) -> int:
        """Vocabulary id of a word (lower-cased), -1 if unknown."""
        return self.vocab.get(word.lower(), -1)

    def ids(self, words: Iterable[str]) -> np.ndarray:
        """Vocabulary ids (int64) of words (lower-cased), -1 where unknown."""
        get = self.vocab.get
        return np.fromiter((get(w.lower(), -1) for w in words), dtype=np.int64)

    def lm_ids(self, words: Iterable[str]) -> np.ndarray:
        """LM ids of words, -1 where the LM does not know the word."""
        ids = self.ids(words)
        ids[ids >= self.lm_size] = -1
        return ids

    # ------------------------------------------------------------------ LM core

    def cond_logprob(
        self, w: np.ndarray, p1: np.ndarray, p2: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """log10 P(w | p2 p1) with Katz backoff, vectorised over id arrays.

        ``p1``/``p2`` are the previous and the one-before-previous LM ids (-1: no history,
        e.g. after an unknown word). Returns (log10 prob, order found: 3, 2, 1, or 0 for an
        unknown ``w``, which gets :data:`OOV_LP`).
        """
        w = np.asarray(w, dtype=np.int64)
        p1 = np.asarray(p1, dtype=np.int64)
        p2 = np.full_like(w, -1) if p2 is None else np.asarray(p2, dtype=np.int64)
        lm_size = self.lm_size
        # 0 <= id < lm_size in one comparison: a negative id viewed as unsigned is huge
        known = w.view(np.uint64) < lm_size
        ws = np.where(known, w, 0)
        lp = np.where(known, self.uni_lp[ws], OOV_LP).astype(np.float64)
        order = known.astype(np.int8)
        # only the positions with a history are looked up (in place, on index subsets). The
        # trigram stage runs first: where the trigram is found the bigram is not needed.
        i1 = np.flatnonzero(known & (p1.view(np.uint64) < lm_size))
        if not len(i1):
            return lp, order
        a1 = p1[i1]
        b1 = w[i1]
        c2 = p2[i1]
        j = np.flatnonzero(c2.view(np.uint64) < lm_size)
        tri_pos = bo_pos = np.zeros(0, dtype=np.int64)  # into i1
        tri_val = bo_val = np.zeros(0)
        if len(j):
            # trigram p2 p1 w: the context (p2 p1), then w in the context's block. One sort of
            # (p2, p1, w) orders both look-ups (block keys are (context index, w)).
            ckey = ((c2[j] << 16) | a1[j]).astype(np.uint32)
            cw = b1[j].astype(np.uint64)
            if len(j) > 16:
                # (not a stable sort: equal keys get equal answers; see search.SortedKeys.lookup)
                o = np.argsort((ckey.astype(np.uint64) << np.uint64(16)) | cw)
                ckey, cw, j = ckey[o], cw[o], j[o]
            ctx_key = self.ctx_key
            ci = np.minimum(self.ctx.search_sorted(ckey), len(ctx_key) - 1)
            cfound = ctx_key[ci] == ckey
            k = np.flatnonzero(cfound)
            bo_c = np.zeros(len(j))
            tfound = np.zeros(len(j), dtype=bool)
            if len(k):
                cik = ci[k]
                tri = self.tri
                tkey = tri.keys
                tq = (cik.astype(np.uint64) << np.uint64(16)) | cw[k]
                ti = np.minimum(tri.search_sorted(tq), len(tkey) - 1)
                tf = tkey[ti] == tq
                tfound[k] = tf
                bo_c[k] = self.ctx_bo[cik].astype(np.float64) * self.bo_step
                lp_t = -self.tri_lp[ti[tf]].astype(np.float64)
                tri_val = lp_t * self.lp_step
                tri_pos = j[k[tf]]
            nt = ~tfound
            bo_pos = j[nt]  # a 3-gram history without the 3-gram: bigram + context backoff
            bo_val = bo_c[nt]
        # bigram p1 w where the trigram was not found
        need = np.ones(len(i1), dtype=bool)
        need[tri_pos] = False
        nb = np.flatnonzero(need)
        ab, bb = a1[nb], b1[nb]
        bi, bfound = self.big.lookup(((ab << 16) | bb).astype(np.uint32))
        lp_b = -self.big_lp[bi].astype(np.float64) * self.lp_step
        pos_b = i1[nb]
        lp[pos_b] = np.where(bfound, lp_b, lp[pos_b] + self.uni_bo[ab])
        order[pos_b[bfound]] = 2
        if len(bo_pos):
            pb = i1[bo_pos]
            lp[pb] = lp[pb] + bo_val
        if len(tri_pos):
            pt = i1[tri_pos]
            lp[pt] = tri_val
            order[pt] = 3
        return lp, order

    @cached_property
    def tri(self) -> SortedKeys:
        """Sorted uint64 keys (context index << 16 | w3) of the trigram table."""
        off = self.ctx_off.astype(np.int64)
        block = np.repeat(np.arange(len(off) - 1, dtype=np.uint64), np.diff(off))
        # built in place in a padded buffer that its block index shares
        pad = padded(len(block), np.dtype(np.uint64))
        keys = pad[: len(block)]
        np.bitwise_or(block << np.uint64(16), self.tri_w3.astype(np.uint64), out=keys)
        return SortedKeys(keys, pad)

    def logprob_ids(self, ids: Sequence[int] | np.ndarray, bos: bool = True) -> np.ndarray:
        """Per-position log10 P(w_i | w_{i-2} w_{i-1}) of an LM-id sequence (-1 breaks history).

        With ``bos`` the first word is conditioned on the sentence start ``<s>``.
        """
        w = np.asarray(ids, dtype=np.int64)
        p1 = np.empty_like(w)
        p2 = np.empty_like(w)
        if len(w):
            p1[0] = BOS if bos else -1
            p1[1:] = w[:-1]
            p2[0] = -1
            if len(w) > 1:
                p2[1] = BOS if bos else -1
                p2[2:] = w[:-2]
            p2 = np.where(p1 < 0, -1, p2)
        return self.cond_logprob(w, p1, p2)[0]

    def logprob_tokens(self, words: Sequence[str], bos: bool = True) -> np.ndarray:
        """Per-token log10 trigram probability of a word sequence (one sentence)."""
        return self.logprob_ids(self.lm_ids(words), bos=bos)

    def bigram_logprob(self, w1: str | np.ndarray, w2: str | np.ndarray) -> float | np.ndarray:
        """log10 P(w2 | w1) with backoff (strings, or LM-id arrays for a batch)."""
        if isinstance(w1, str) and isinstance(w2, str):
            a = np.array([self.word_id(w1)])
            b = np.array([self.word_id(w2)])
            a[a >= self.lm_size] = -1
            return float(self.cond_logprob(b, a)[0][0])
        return self.cond_logprob(np.asarray(w2), np.asarray(w1))[0]

    def bigram_seen(self, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
        """Whether the LM has the bigram ``w1 w2`` (LM-id arrays)."""
        w1 = np.asarray(w1, dtype=np.int64)
        w2 = np.asarray(w2, dtype=np.int64)
        ok = (w1 >= 0) & (w2 >= 0) & (w1 < self.lm_size) & (w2 < self.lm_size)
        key = ((np.where(ok, w1, 0) << 16) | np.where(ok, w2, 0)).astype(np.uint32)
        return self.big.lookup(key)[1] & ok

    def pmi(
        self, pairs: Sequence[tuple[str, str]] | tuple[np.ndarray, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pointwise mutual information log10 P(w2|w1) / P(w2) of adjacent pairs.

        Accepts a list of (w1, w2) strings or a tuple of two LM-id arrays. Returns (pmi, seen):
        for an unseen bigram the PMI is the backoff weight of w1 (≤ 0 usually); pairs with an
        unknown word get ``nan``.
        """
        if isinstance(pairs, tuple) and len(pairs) == 2 and isinstance(pairs[0], np.ndarray):
            a, b = np.asarray(pairs[0], np.int64), np.asarray(pairs[1], np.int64)
        else:
            a = self.lm_ids([p[0] for p in pairs])
            b = self.lm_ids([p[1] for p in pairs])
        ok = (a >= 0) & (b >= 0) & (a < self.lm_size) & (b < self.lm_size)
        lp, order = self.cond_logprob(np.where(ok, b, -1), np.where(ok, a, -1))
        uni = self.uni_lp[np.where(ok, b, 0)]
        pmi = np.where(ok, lp - uni, np.nan)
        return pmi, (order == 2) & ok

    # ------------------------------------------------------------------ unigram tables

    def zipf_ids(self, ids: np.ndarray) -> np.ndarray:
        """Zipf frequency (wordfreq scale, 0 = unseen) of vocabulary ids."""
        ids = np.asarray(ids, dtype=np.int64)
        z = self._zipf[np.maximum(ids, 0)].astype(np.float64) / self.zipf_scale
        return np.where(ids >= 0, z, 0.0)

    def zipf(self, words: Iterable[str]) -> np.ndarray:
        """Zipf frequency of words (wordfreq; 0 for unknown words)."""
        return self.zipf_ids(self.ids(words))

    def cap_rate_ids(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rate, count): how often a word is capitalised mid-sentence in human text.

        ``count`` is the number of mid-sentence occurrences counted (0: no evidence; the rate is
        then ``nan``).
        """
        ids = np.asarray(ids, dtype=np.int64)
        safe = np.maximum(ids, 0)
        n = np.where(ids >= 0, self._case_mid[safe].astype(np.float64), 0.0)
        c = np.where(ids >= 0, self._case_cap[safe].astype(np.float64), 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(n > 0, c / np.maximum(n, 1), np.nan)
        return rate, n

    def cap_rate(self, words: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Mid-sentence capitalisation rate and evidence count of words (see cap_rate_ids)."""
        return self.cap_rate_ids(self.ids(words))


def read(base: Path | None = None) -> RefStats:
    """The tables of folder ``base`` (default: the shipped ones), memory-mapped."""
    base = base or resources.resource_path(DIR)
    meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    words = (base / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if words and words[-1] == "":
        words.pop()
    # memory-mapped, viewed as plain ndarrays (memmap indexing is slow in Python)
    arrays = {n: np.load(base / f"{n}.npy", mmap_mode="r").view(np.ndarray) for n in ARRAYS}
    return RefStats(meta, words, arrays)


def of(res: resources.Resources) -> RefStats:
    """The reference statistics of ``res``."""
    return res.get(DIR, read)


def load() -> RefStats:
    """The shared, lazily read reference statistics of the shipped tables."""
    return of(resources.SHIPPED)
