"""Reference statistics of English: a trigram LM, Zipf frequencies and a case model.

The tables live in ``mtdetect/resources/refstats/`` (built by ``tools/build_lm.py``; sources and
licences in ``mtdetect/resources/NOTICE``) and are loaded lazily and memory-mapped on the first
call of :func:`load`. All look-ups are vectorised with numpy.

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
    d = rs.doc_lm(doc)   # per-token ids and LM scores of a Document, cached on the document
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import repeat

import numpy as np

from mtdetect.resources import resource_path

BOS = 0
EOS = 1
OOV_LP = -7.5  # log10 P used for a word the LM does not know
_DIR = "refstats"
_DOC_KEY = "_mtdetect_refstats_doclm"
_PAIRS_KEY = "_mtdetect_refstats_pairs"


def _shifted(a: np.ndarray, k: int) -> np.ndarray:
    """``a`` shifted right by ``k`` positions (the word ``k`` back), the first ``k`` set to -1."""
    out = np.empty_like(a)
    out[:k] = -1
    out[k:] = a[: max(0, len(a) - k)]
    return out


def _lookup_sorted(keys: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of ``q`` in the sorted array ``keys`` and whether each was found."""
    if len(keys) == 0 or len(q) == 0:
        return np.zeros(len(q), dtype=np.int64), np.zeros(len(q), dtype=bool)
    q = np.asarray(q, dtype=keys.dtype)
    if len(q) > 16:  # sorted needles walk the table in order: far fewer cache misses
        o = np.argsort(q, kind="stable")
        i = np.empty(len(q), dtype=np.int64)
        i[o] = _search_sorted(keys, q[o])
    else:
        i = np.searchsorted(keys, q)
    i = np.minimum(i, len(keys) - 1)
    return i, keys[i] == q


_BYTE_SUM = np.uint64(0x0101010101010101)


class _BlockIndex:
    """``np.searchsorted(keys, q)`` for a large sorted table with fewer cache misses: a binary
    search over every ``B``-th key (a small table that stays in cache), then one comparison
    with the ``B`` keys of the block (one or two cache lines) instead of the last levels of a
    binary search over the whole table."""

    B = 16  # search() counts the 16 flags of a block as two 8-byte words

    def __init__(self, keys: np.ndarray, pad: np.ndarray | None = None) -> None:
        B = self.B
        if pad is None:
            pad = _padded(len(keys), keys.dtype)
            pad[: len(keys)] = keys
        self.keys = keys
        self.blocks = pad.reshape(-1, B)
        self.top = np.ascontiguousarray(keys[::B])

    def search(self, q: np.ndarray) -> np.ndarray:
        # keys[(j-1)B] < q <= keys[jB]: the lower bound lies in block j-1 (j = 0: q <= keys[0],
        # no key of block 0 is below q and the count below gives 0)
        j = np.searchsorted(self.top, q)
        b = np.maximum(j - 1, 0)
        below = self.blocks[b] < q[:, None]
        # count the 16 flags of a row as bytes: the two 8-byte words added (bytes 0..2), then
        # all bytes summed into the top one by one multiplication (at most 16: no carry)
        u = below.view(np.uint64).reshape(len(q), 2)
        cnt = ((u[:, 0] + u[:, 1]) * _BYTE_SUM) >> np.uint64(56)
        return b * self.B + cnt.astype(np.intp)


def _padded(n: int, dtype: np.dtype) -> np.ndarray:
    """An array for ``n`` keys rounded up to whole blocks, the padding set to the largest
    value (it never compares below a needle)."""
    B = _BlockIndex.B
    return np.full(-(-n // B) * B, np.iinfo(dtype).max, dtype=dtype)


_BLOCK_MIN = 1 << 20  # tables at least this long get a block index
_BLOCK_INDEX: dict[int, _BlockIndex] = {}


def _searchsorted(keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``np.searchsorted(keys, q)`` (left), through a block index for large tables."""
    if len(keys) < _BLOCK_MIN or len(q) < 8:
        return np.searchsorted(keys, q)
    ix = _BLOCK_INDEX.get(id(keys))
    if ix is None or ix.keys is not keys:
        ix = _BLOCK_INDEX[id(keys)] = _BlockIndex(keys)
    return ix.search(np.asarray(q, dtype=keys.dtype))


def _search_sorted(keys: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """``np.searchsorted(keys, qs)`` for sorted needles, searching each distinct needle once
    (the table look-ups are cache misses; repeated needles are common)."""
    if len(qs) < 2:
        return np.searchsorted(keys, qs)
    new = np.empty(len(qs), dtype=bool)
    new[0] = True
    np.not_equal(qs[1:], qs[:-1], out=new[1:])
    return _searchsorted(keys, qs[new])[np.cumsum(new) - 1]


def _range_search(
    arr: np.ndarray, lo: np.ndarray, hi: np.ndarray, q: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised binary search of ``q[i]`` in the sorted slice ``arr[lo[i]:hi[i]]``."""
    lo = lo.astype(np.int64)
    hi = hi.astype(np.int64)
    end = hi.copy()
    if len(q) == 0:
        return lo, np.zeros(0, dtype=bool)
    width = int((hi - lo).max()) if len(hi) else 0
    q = q.astype(np.int64)
    for _ in range(max(1, width.bit_length())):
        active = lo < hi
        if not active.any():
            break
        mid = (lo + hi) >> 1
        v = arr[np.minimum(mid, len(arr) - 1)].astype(np.int64)
        go_right = active & (v < q)
        lo = np.where(go_right, mid + 1, lo)
        hi = np.where(active & ~go_right, mid, hi)
    safe = np.minimum(lo, len(arr) - 1)
    found = (lo < end) & (arr[safe].astype(np.int64) == q) if len(arr) else lo < 0
    return lo, found


@dataclass
class DocLM:
    """LM view of a Document: per-token ids and scores (``nan`` for non-word tokens).

    ``ids[i]`` is the vocabulary id of token *i* (-1 unknown or punctuation); ``lm_ids[i]`` its
    LM id (-1 if the token is not one LM word); ``lp[i]`` the log10 probability of the token
    given the two preceding words of its sentence (sum over its parts for split tokens such as
    ``well-known`` → ``well known``); ``order[i]`` the n-gram order that was found (3, 2, 1; 0 for
    OOV). ``word_idx`` lists the indices of word tokens.

    The LM units of the document: ``units`` (LM ids, ``<s>``/``</s>`` around each sentence,
    -1 for unknown words), their log10 probabilities ``unit_lp`` (0 for ``<s>``), the token each
    belongs to (``unit_tok``, -1 for ``<s>``/``</s>``) and its sentence (``unit_sent``); token
    *i* spans units ``tok_u0[i]:tok_u1[i]`` (-1 for punctuation).
    """

    ids: np.ndarray
    lm_ids: np.ndarray
    lp: np.ndarray
    order: np.ndarray
    word_idx: np.ndarray
    units: np.ndarray
    unit_lp: np.ndarray
    unit_tok: np.ndarray
    unit_sent: np.ndarray
    tok_u0: np.ndarray
    tok_u1: np.ndarray
    unit_order: np.ndarray


class RefStats:
    """Memory-mapped reference statistics. Get the shared instance with :func:`load`."""

    def __init__(self) -> None:
        base = resource_path(_DIR)
        meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
        self.meta = meta
        self.lm_size: int = meta["lm_size"]
        self.lp_step: float = meta["lp_step"]
        self.bo_step: float = meta["bo_step"]
        self.zipf_scale: float = meta["zipf_scale"]
        words = (base / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if words and words[-1] == "":
            words.pop()
        self.words: list[str] = words
        self.vocab: dict[str, int] = {w: i for i, w in enumerate(words)}

        def arr(name: str) -> np.ndarray:
            # memory-mapped, viewed as a plain ndarray (memmap indexing is slow in Python)
            return np.load(base / f"{name}.npy", mmap_mode="r").view(np.ndarray)

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
        self._us_arr = np.where(us >= 0, us, np.arange(len(us))).astype(np.int64)

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
                o = np.argsort((ckey.astype(np.uint64) << np.uint64(16)) | cw, kind="stable")
                ckey, cw, j = ckey[o], cw[o], j[o]
            ctx_key = self.ctx_key
            ci = np.minimum(_search_sorted(ctx_key, ckey), len(ctx_key) - 1)
            cfound = ctx_key[ci] == ckey
            k = np.flatnonzero(cfound)
            bo_c = np.zeros(len(j))
            tfound = np.zeros(len(j), dtype=bool)
            if len(k):
                cik = ci[k]
                tkey = self.tri_key
                tq = (cik.astype(np.uint64) << np.uint64(16)) | cw[k]
                ti = np.minimum(_search_sorted(tkey, tq), len(tkey) - 1)
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
        bi, bfound = _lookup_sorted(self.big_key, ((ab << 16) | bb).astype(np.uint32))
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
    def tri_key(self) -> np.ndarray:
        """Sorted uint64 keys (context index << 16 | w3) of the trigram table."""
        off = self.ctx_off.astype(np.int64)
        block = np.repeat(np.arange(len(off) - 1, dtype=np.uint64), np.diff(off))
        # built in place in a padded buffer that its block index shares
        pad = _padded(len(block), np.dtype(np.uint64))
        keys = pad[: len(block)]
        np.bitwise_or(block << np.uint64(16), self.tri_w3.astype(np.uint64), out=keys)
        _BLOCK_INDEX[id(keys)] = _BlockIndex(keys, pad)
        return keys

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
        return _lookup_sorted(self.big_key, key)[1] & ok

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

    def doc_pairs(self, doc: object) -> tuple[np.ndarray, np.ndarray]:
        """PMI (see :meth:`pmi`) of each word with the word before it, for consecutive words of
        a sentence that are both LM words (cached on the document): ``(pmi, seen)`` indexed by
        word (``DocLM.word_idx`` order); ``nan`` / False for other words."""
        dl = self.doc_lm(doc)  # computes the pairs too
        cached = getattr(doc, "__dict__", {}).get(_PAIRS_KEY)
        if cached is not None:
            return cached
        wi = dl.word_idx
        m = len(wi)
        pm = np.full(m, np.nan)
        seen = np.zeros(m, dtype=bool)
        if m > 1:
            lm = dl.lm_ids[wi]
            ws = dl.unit_sent[dl.tok_u0[wi]]
            sel = np.flatnonzero((ws[1:] == ws[:-1]) & (lm[1:] >= 0) & (lm[:-1] >= 0)) + 1
            if len(sel):
                pm[sel], seen[sel] = self.pmi((lm[sel - 1], lm[sel]))
        out = (pm, seen)
        try:
            doc.__dict__[_PAIRS_KEY] = out  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            pass
        return out

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

    # ------------------------------------------------------------------ documents

    def doc_lm(self, doc: object) -> DocLM:
        """Per-token ids and LM log-probabilities of a Document (cached on the document).

        Each sentence is scored from ``<s>`` to ``</s>``; punctuation is skipped (the LM has
        none), unknown words and numbers break the history. A token the LM lacks is split into
        parts the LM knows where possible (``well-known`` → ``well known``, ``Getty's`` →
        ``getty 's``).
        """
        cached = getattr(doc, "__dict__", {}).get(_DOC_KEY)
        if cached is not None:
            return cached
        tokens = doc.tokens  # type: ignore[attr-defined]
        n = len(tokens)
        get = self.vocab.get
        us = self.us_map
        lm_size = self.lm_size
        ids = np.full(n, -1, dtype=np.int64)
        lm_ids = np.full(n, -1, dtype=np.int64)
        from mtdetect.features._views import view  # the shared word view of the document

        vw = view(doc)  # type: ignore[arg-type]
        m = vw.n
        wi = vw.wtok
        lows = vw.words
        vid = np.fromiter(map(get, lows, repeat(-1)), dtype=np.int64, count=m)
        ids[wi] = vid
        # score British spellings as their American forms
        if us:
            vus = np.where(vid >= 0, self._us_arr[np.maximum(vid, 0)], -1)
        else:
            vus = vid
        direct = (vus >= 0) & (vus < lm_size)
        lm_ids[wi[direct]] = vus[direct]
        # word units: one per word, the LM id (-1 unknown); a token the LM lacks is split into
        # parts the LM knows where possible (well-known -> well known, Getty's -> getty 's)
        wval = np.where(direct, vus, -1)
        nunit = np.ones(m, dtype=np.int64)
        split: dict[int, list[int]] = {}
        for k in np.flatnonzero(~direct).tolist():
            low = lows[k]
            parts: list[int] | None = None
            if "-" in low:
                parts = [get(p, -1) for p in low.split("-") if p]
            elif low.endswith("'s") and len(low) > 2:
                parts = [get(low[:-2], -1), get("'s", -1)]
            if parts and all(0 <= p < lm_size for p in parts):
                split[k] = parts
                nunit[k] = len(parts)
        wsent = vw.wsent
        if split:
            uw = np.repeat(np.arange(m), nunit)  # word of each word unit
            uval = wval[uw]
            ustart = np.cumsum(nunit) - nunit
            for k, parts in split.items():
                uval[ustart[k] : ustart[k] + len(parts)] = parts
        else:
            uw = np.arange(m)
            uval = wval
        nwu = len(uw)
        # <s> before and </s> after the words of each sentence
        first = vw.first
        rank = np.cumsum(first) - 1  # index among the sentences with words
        n_s = int(rank[-1]) + 1 if m else 0
        total = nwu + 2 * n_s
        w = np.empty(total, dtype=np.int64)
        own = np.full(total, -1, dtype=np.int64)
        sent_arr = np.empty(total, dtype=np.int64)
        upos = np.arange(nwu) + 2 * rank[uw] + 1
        w[upos] = uval
        own[upos] = wi[uw]
        sent_arr[upos] = wsent[uw]
        if n_s:
            fu = np.flatnonzero(first)
            s_first_unit = (np.cumsum(nunit) - nunit)[fu]
            s_end_unit = np.append(s_first_unit[1:], nwu)
            r = np.arange(n_s)
            bos_pos = s_first_unit + 2 * r
            eos_pos = s_end_unit + 2 * r + 1
            w[bos_pos] = BOS
            w[eos_pos] = EOS
            sent_arr[bos_pos] = wsent[fu]
            sent_arr[eos_pos] = wsent[fu]
        lp = np.full(n, np.nan)
        order = np.zeros(n, dtype=np.int8)
        ulp = np.zeros(len(w))
        ordu = np.zeros(len(w), dtype=np.int8)
        tok_u0 = np.full(n, -1, dtype=np.int64)
        tok_u1 = np.full(n, -1, dtype=np.int64)
        if len(w):
            p1, p2 = _shifted(w, 1), _shifted(w, 2)
            bos = w == BOS
            p1 = np.where(bos, -1, p1)
            p2 = np.where((p1 < 0) | (p1 == BOS), -1, p2)
            # a <s> unit is never predicted; its successors see it as history. The bigrams of
            # consecutive LM words of a sentence (for doc_pairs) share the look-up.
            lmw = lm_ids[wi]
            psel = np.flatnonzero((wsent[1:] == wsent[:-1]) & (lmw[1:] >= 0) & (lmw[:-1] >= 0)) + 1
            pa, pb = lmw[psel - 1], lmw[psel]
            nw_ = len(w)
            lp_all, ord_all = self.cond_logprob(
                np.concatenate([np.where(bos, -1, w), pb]),
                np.concatenate([p1, pa]),
                np.concatenate([p2, np.full(len(pb), -1, dtype=np.int64)]),
            )
            ulp, ordu = lp_all[:nw_], ord_all[:nw_]
            pm = np.full(m, np.nan)
            pseen = np.zeros(m, dtype=bool)
            pm[psel] = lp_all[nw_:] - self.uni_lp[pb]
            pseen[psel] = ord_all[nw_:] == 2
            try:
                doc.__dict__[_PAIRS_KEY] = (pm, pseen)  # type: ignore[attr-defined]
            except (AttributeError, TypeError):
                pass
            ulp = np.where(bos, 0.0, ulp)
            valid = own >= 0
            vo = own[valid]
            pos = np.flatnonzero(valid)
            if split:
                lp[vo] = 0.0
                np.add.at(lp, vo, ulp[valid])
                o = np.full(n, 9, dtype=np.int8)
                np.minimum.at(o, vo, ordu[valid])
                order = np.where(o == 9, 0, o).astype(np.int8)
            else:  # one unit per word token
                lp[vo] = 0.0 + ulp[valid]
                order[vo] = ordu[valid]
            tok_u1[vo] = pos + 1
            tok_u0[vo[::-1]] = pos[::-1]
        sent_of = sent_arr
        word_idx = wi
        out = DocLM(
            ids=ids,
            lm_ids=lm_ids,
            lp=lp,
            order=order,
            word_idx=word_idx,
            units=w,
            unit_lp=ulp,
            unit_tok=own,
            unit_sent=sent_of,
            tok_u0=tok_u0,
            tok_u1=tok_u1,
            unit_order=np.asarray(ordu, dtype=np.int8),
        )
        try:
            doc.__dict__[_DOC_KEY] = out  # type: ignore[attr-defined]
        except (AttributeError, TypeError):
            pass
        return out


@cache
def load() -> RefStats:
    """The shared, lazily loaded reference statistics."""
    return RefStats()


# --------------------------------------------------------------------------- tortured phrases


@dataclass(frozen=True)
class TorturedEntry:
    """A known tortured phrase (lower-case word tuple) and the wording it replaced."""

    words: tuple[str, ...]
    correct: str


@cache
def tortured_table() -> dict[str, tuple[TorturedEntry, ...]]:
    """PPS tortured phrases to flag, indexed by first word, longest first.

    Read from ``resources/tortured.tsv`` (entries marked ``allow`` are ordinary English and are
    left out). Regular plural variants (``colossal informations`` is not added, but
    ``neural associations`` ← ``neural association``) are added for entries ending in a word.
    """
    out: dict[str, list[TorturedEntry]] = {}
    seen: set[tuple[str, ...]] = set()
    text = resource_path("tortured.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or parts[2] != "flag":
            continue
        words = tuple(parts[0].split(" "))
        variants = [(words, parts[1])]
        last = words[-1]
        clast = parts[1].split(" ")[-1]
        if (
            len(words) > 1
            and last.isalpha()
            and not last.endswith("s")
            and clast.isalpha()
            and not clast.endswith("s")
        ):
            variants.append((words[:-1] + (last + "s",), parts[1] + "s"))
        for w, c in variants:
            if w in seen:
                continue
            seen.add(w)
            out.setdefault(w[0], []).append(TorturedEntry(w, c))
    return {k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in out.items()}


# --------------------------------------------------------------------------- candidate originals

_BITS = 20
_MASK = (1 << _BITS) - 1
_SWAP_KEY = "_mtdetect_refstats_swaps"
MAX_SPAN_ZIPF = 6.3  # single words at least this frequent are not tested


class CandidateTable:
    """Observed word/phrase → candidate originals (``tools/build_candidates.py``).

    Keys pack up to three vocabulary ids (each + 1) in 20-bit fields, first word highest.
    ``cand_off`` is a CSR index into ``cand_a`` (packed originals) and ``cand_prior`` (uint8
    ranking prior, higher = more likely original).
    """

    def __init__(self) -> None:
        base = resource_path(_DIR)

        def arr(name: str) -> np.ndarray:
            return np.load(base / f"{name}.npy", mmap_mode="r").view(np.ndarray)

        self.key = arr("cand_key")
        self.off = arr("cand_off")
        self.a = arr("cand_a")
        self.prior = arr("cand_prior")

    @staticmethod
    def pack(ids: Sequence[int]) -> int:
        """Packed key of up to three vocabulary ids."""
        k = 0
        for i in range(3):
            k = (k << _BITS) | ((ids[i] + 1) if i < len(ids) else 0)
        return k

    @staticmethod
    def unpack(keys: np.ndarray) -> np.ndarray:
        """(n, 3) vocabulary ids of packed keys (-1 for absent words)."""
        keys = np.asarray(keys, dtype=np.uint64)
        out = np.empty((len(keys), 3), dtype=np.int64)
        for j in range(3):
            out[:, j] = ((keys >> np.uint64(_BITS * (2 - j))) & np.uint64(_MASK)).astype(
                np.int64
            ) - 1
        return out

    def lookup(self, words: Sequence[str], rs: RefStats) -> list[str]:
        """Candidate originals of an observed phrase (strings, best prior first)."""
        ids = [rs.vocab.get(w.lower(), -1) for w in words]
        if not ids or min(ids) < 0 or len(ids) > 3:
            return []
        i, found = _lookup_sorted(self.key, np.array([self.pack(ids)], dtype=np.uint64))
        if not found[0]:
            return []
        lo, hi = int(self.off[i[0]]), int(self.off[i[0] + 1])
        return [" ".join(rs.words[x] for x in row if x >= 0) for row in self.unpack(self.a[lo:hi])]


@cache
def candidates() -> CandidateTable:
    """The shared candidate-originals table."""
    return CandidateTable()


@dataclass
class Swaps:
    """Candidate substitutions of a document, scored by the LM in context.

    Per span (an observed word or 2–3-word phrase with candidate originals): word-token range
    ``w0``/``w1`` (indices into ``DocLM.word_idx``, end exclusive), token range ``t0``/``t1``
    (end exclusive), ``s_b`` (log10 prob of the span and the two following LM units),
    ``b_oov`` (a span word unknown to the LM), ``b_zipf`` (min Zipf of its words), ``b_uni``
    (sum of unigram log10 probs), ``b_order`` (lowest n-gram order found in its window).
    Per candidate row: ``span`` (span index), ``a`` ((n,3) vocabulary ids), ``prior``,
    ``s_a`` (log10 prob of the window with the candidate), ``a_uni``, ``a_order``, ``a_zipf``.
    ``delta = s_a - s_b`` is how much more probable the window is with the candidate.
    ``b_left``/``a_left``: PMI (log10 P(w|history) - log10 P(w)) of the first word of B / A
    with what precedes it; ``b_right``/``a_right``: PMI of the unit after the span given B / A.
    """

    w0: np.ndarray
    w1: np.ndarray
    t0: np.ndarray
    t1: np.ndarray
    s_b: np.ndarray
    b_oov: np.ndarray
    b_zipf: np.ndarray
    b_uni: np.ndarray
    b_order: np.ndarray
    span: np.ndarray
    a: np.ndarray
    prior: np.ndarray
    s_a: np.ndarray
    a_uni: np.ndarray
    a_order: np.ndarray
    a_zipf: np.ndarray
    delta: np.ndarray
    b_left: np.ndarray
    b_right: np.ndarray
    a_left: np.ndarray
    a_right: np.ndarray

    @property
    def n_spans(self) -> int:
        return len(self.w0)


def _empty_swaps() -> Swaps:
    z = np.zeros(0, dtype=np.int64)
    f = np.zeros(0)
    return Swaps(
        z,
        z,
        z,
        z,
        f,
        z.astype(bool),
        f,
        f,
        z,
        z,
        np.zeros((0, 3), np.int64),
        f,
        f,
        f,
        z,
        f,
        f,
        f,
        f,
        f,
        f,
    )


def swap_candidates(doc: object, max_cands: int = 0, max_fit: float | None = None) -> Swaps:
    """All candidate substitutions of a document, scored in context (cached on the document).

    Spans are consecutive word tokens of one sentence with no punctuation between them whose
    lower-cased form is in the candidate table; each candidate original replaces the span in its
    trigram window (two units before, the span, up to two units after, within the sentence).
    ``max_cands`` > 0 keeps only the first (best-prior) candidates of each span. ``max_fit``
    skips spans that fit their context well: the PMI of B with the word before it or of the
    word after it with B is at least ``max_fit`` (a speed filter; such spans are almost never
    swaps).
    """
    cached = getattr(doc, "__dict__", {}).get(_SWAP_KEY)
    if cached is not None and cached[0] == (max_cands, max_fit):
        return cached[1]
    rs = load()
    ct = candidates()
    dl = rs.doc_lm(doc)
    wi = dl.word_idx
    m = len(wi)
    if m == 0:
        return _empty_swaps()
    vid = dl.ids[wi]
    tok_sent = dl.unit_sent[dl.tok_u0[wi]]
    ok = vid >= 0
    # very frequent words (the, in, be, can...) are never worth a substitution test alone
    z = rs.zipf_ids(vid)
    common = z >= MAX_SPAN_ZIPF
    adj = np.zeros(m, dtype=bool)  # word k+1 directly follows word k in the same sentence
    adj[:-1] = (wi[1:] == wi[:-1] + 1) & (tok_sent[1:] == tok_sent[:-1])
    f = (np.where(ok, vid + 1, 0)).astype(np.uint64)
    starts: list[np.ndarray] = []
    lens: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    for n in (1, 2, 3):
        if m < n:
            break
        cnt = m - n + 1
        valid = ok[:cnt].copy()
        key = f[:cnt] << np.uint64(2 * _BITS)
        for j in range(1, n):
            valid &= ok[j : cnt + j] & adj[j - 1 : cnt + j - 1]
            key = key | (f[j : cnt + j] << np.uint64(_BITS * (2 - j)))
        if n == 1:
            valid &= ~common
        idx = np.flatnonzero(valid)
        if not len(idx):
            continue
        starts.append(idx)
        lens.append(np.full(len(idx), n))
        keys.append(key[idx])
    if not starts or not len(ct.key):
        return _empty_swaps()
    # one look-up of all 1-3-word keys (a small table: sorting the needles does not pay)
    allk = np.concatenate(keys)
    row = np.minimum(np.searchsorted(ct.key, allk), len(ct.key) - 1)
    found = ct.key[row] == allk
    if not found.any():
        return _empty_swaps()
    w0 = np.concatenate(starts)[found]
    nl = np.concatenate(lens)[found]
    row = row[found]
    units = dl.units
    nu = len(units)
    uni_all = np.where((units >= 0) & (units < rs.lm_size), rs.uni_lp[np.maximum(units, 0)], OOV_LP)
    pmi_units = dl.unit_lp - uni_all
    if max_fit is not None:
        u0 = dl.tok_u0[wi[w0]]
        u1 = dl.tok_u1[wi[w0 + nl - 1]]
        keep = np.maximum(pmi_units[u0], pmi_units[np.minimum(u1, nu - 1)]) < max_fit
        w0, nl, row = w0[keep], nl[keep], row[keep]
        if not len(w0):
            return _empty_swaps()
    w1 = w0 + nl
    t0 = wi[w0]
    t1 = wi[w1 - 1] + 1
    u0 = dl.tok_u0[t0]
    u1 = dl.tok_u1[t1 - 1]
    h1 = units[u0 - 1]
    h2 = np.where((h1 != BOS) & (h1 >= 0) & (u0 >= 2), units[np.maximum(u0 - 2, 0)], -1)
    f1 = units[np.minimum(u1, nu - 1)]
    has_f2 = (f1 != EOS) & (u1 + 1 < nu)
    f2 = np.where(has_f2, units[np.minimum(u1 + 1, nu - 1)], -1)
    nf = 1 + has_f2.astype(np.int64)
    cum = np.concatenate([[0.0], np.cumsum(dl.unit_lp)])
    s_b = cum[u1 + nf] - cum[u0]
    # span-level facts
    unit_known = (units >= 0).astype(np.int64)
    cum_known = np.concatenate([[0], np.cumsum(unit_known)])
    b_oov = (cum_known[u1] - cum_known[u0]) < (u1 - u0)
    cum_uni = np.concatenate([[0.0], np.cumsum(uni_all)])
    b_uni = cum_uni[u1] - cum_uni[u0]
    b_zipf = np.where(nl >= 2, np.minimum(z[w0], z[np.minimum(w0 + 1, m - 1)]), z[w0])
    b_zipf = np.where(nl >= 3, np.minimum(b_zipf, z[np.minimum(w0 + 2, m - 1)]), b_zipf)
    uo = dl.unit_order
    b_order = _range_min(uo, u0, u1 + nf)
    # candidates
    lo = ct.off[row].astype(np.int64)
    hi = ct.off[row + 1].astype(np.int64)
    if max_cands > 0:
        hi = np.minimum(hi, lo + max_cands)
    cnt = hi - lo
    span = np.repeat(np.arange(len(w0)), cnt)
    ci = np.repeat(lo - np.cumsum(cnt) + cnt, cnt) + np.arange(int(cnt.sum()))
    a = CandidateTable.unpack(ct.a[ci])
    prior = ct.prior[ci].astype(np.float64) / 25.0 - 4.0
    ma = (a >= 0).sum(axis=1)
    nc = len(ci)
    # one row per candidate: the window h2 h1 A f1 [f2] (at most 3 + 2 units after the history);
    # the units predicted are the row's columns 2.. up to the window's end, row by row
    win = np.full((nc, 7), -1, dtype=np.int64)
    win[:, 0] = h2[span]
    win[:, 1] = h1[span]
    win[:, 2:5] = a
    rows = np.arange(nc)
    win[rows, 2 + ma] = f1[span]
    win[rows, 3 + ma] = f2[span]
    end = ma + nf[span]  # predicted units of the row
    pred = np.arange(5) < end[:, None]
    wp = win[:, 2:]
    p1 = win[:, 1:6]
    p2 = np.where((p1 < 0) | (p1 == BOS), -1, win[:, :5])
    fw = wp[pred]
    lpf, ordf = rs.cond_logprob(fw, p1[pred], p2[pred])
    sq, kp = np.nonzero(pred)  # row and column (from 0 = the first unit of A) of each
    s_a = np.bincount(sq, weights=lpf, minlength=nc)
    # PMI of the candidate's first word and of the unit after it
    pmif = lpf - np.where((fw >= 0) & (fw < rs.lm_size), rs.uni_lp[np.maximum(fw, 0)], OOV_LP)
    a_left = np.zeros(nc)
    a_left[sq[kp == 0]] = pmif[kp == 0]
    a_right = np.zeros(nc)
    at_f1 = kp == ma[sq]
    a_right[sq[at_f1]] = pmif[at_f1]
    b_left = pmi_units[u0]
    b_right = pmi_units[np.minimum(u1, nu - 1)]
    o = np.full(nc, 9, dtype=np.int64)
    np.minimum.at(o, sq, ordf.astype(np.int64))
    a_order = o
    a_uni = np.where(a >= 0, rs.uni_lp[np.maximum(a, 0)], 0.0).sum(axis=1)
    za = rs.zipf_ids(np.maximum(a, 0))
    a_zipf = np.where(a >= 0, za, 99.0).min(axis=1)
    out = Swaps(
        w0=w0,
        w1=w1,
        t0=t0,
        t1=t1,
        s_b=s_b,
        b_oov=b_oov,
        b_zipf=b_zipf,
        b_uni=b_uni,
        b_order=b_order,
        span=span,
        a=a,
        prior=prior,
        s_a=s_a,
        a_uni=a_uni,
        a_order=a_order,
        a_zipf=a_zipf,
        delta=s_a - s_b[span],
        b_left=b_left,
        b_right=b_right,
        a_left=a_left,
        a_right=a_right,
    )
    try:
        doc.__dict__[_SWAP_KEY] = ((max_cands, max_fit), out)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        pass
    return out


def _range_min(arr: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """min(arr[lo[i]:hi[i]]) for non-empty ranges of at most a few elements."""
    out = np.full(len(lo), 127, dtype=np.int64)
    width = int((hi - lo).max()) if len(lo) else 0
    n = len(arr)
    for k in range(width):
        idx = lo + k
        inside = idx < hi
        out = np.where(inside, np.minimum(out, arr[np.minimum(idx, n - 1)]), out)
    return out
