"""Candidate swaps: the words a spinner may have replaced, and each candidate scored in context.

A thesaurus spinner replaces a word or short phrase A by a neighbour B. The candidate table
(``tools/build_candidates.py``) lists, for every B a thesaurus could have produced, the originals
A it may have replaced; :func:`swap_candidates` finds the spans B of a document and scores the
trigram window around each with every A substituted (:class:`Swaps`). Both spinning families
(``synonym_swap``, ``broken_names``) read these through their document's Analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtdetect import resources
from mtdetect.doclm import DocLM
from mtdetect.refstats import BOS, DIR, EOS, OOV_LP, RefStats
from mtdetect.search import SortedKeys

_BITS = 20
_MASK = (1 << _BITS) - 1
MAX_SPAN_ZIPF = 6.3  # single words at least this frequent are not tested
#: the arrays of the table (``NAME.npy`` in the LM's folder)
ARRAYS = ("cand_key", "cand_off", "cand_a", "cand_prior")
#: resource name of the candidate table: its build record, beside its arrays in the LM's folder
CANDIDATES = f"{DIR}/candidates.json"


class CandidateTable:
    """Observed word/phrase → candidate originals (``tools/build_candidates.py``).

    Keys pack up to three vocabulary ids (each + 1) in 20-bit fields, first word highest.
    ``cand_off`` is a CSR index into ``cand_a`` (packed originals) and ``cand_prior`` (uint8
    ranking prior, higher = more likely original).
    """

    def __init__(self, key: np.ndarray, off: np.ndarray, a: np.ndarray, prior: np.ndarray):
        self.key = key
        self.off = off
        self.a = a
        self.prior = prior
        self.keys = SortedKeys(key)

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
        i, found = self.keys.lookup(np.array([self.pack(ids)], dtype=np.uint64))
        if not found[0]:
            return []
        lo, hi = int(self.off[i[0]]), int(self.off[i[0] + 1])
        return [" ".join(rs.words[x] for x in row if x >= 0) for row in self.unpack(self.a[lo:hi])]


def read_candidates(meta: Path) -> CandidateTable:
    """The candidate table whose build record is ``meta`` (its arrays lie beside it),
    memory-mapped."""
    base = meta.parent
    arrays = [np.load(base / f"{n}.npy", mmap_mode="r").view(np.ndarray) for n in ARRAYS]
    return CandidateTable(*arrays)


def candidates(res: resources.Resources = resources.SHIPPED) -> CandidateTable:
    """The candidate table of ``res`` (by default the shipped one)."""
    return res.get(CANDIDATES, read_candidates)


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


def swap_candidates(
    rs: RefStats,
    ct: CandidateTable,
    dl: DocLM,
    max_cands: int = 0,
    max_fit: float | None = None,
) -> Swaps:
    """All candidate substitutions of a document (LM view ``dl``), scored in context.

    Spans are consecutive word tokens of one sentence with no punctuation between them whose
    lower-cased form is in the candidate table; each candidate original replaces the span in its
    trigram window (two units before, the span, up to two units after, within the sentence).
    ``max_cands`` > 0 keeps only the first (best-prior) candidates of each span. ``max_fit``
    skips spans that fit their context well: the PMI of B with the word before it or of the
    word after it with B is at least ``max_fit`` (a speed filter; such spans are almost never
    swaps).
    """
    return swap_candidates_many(rs, ct, [dl], max_cands, max_fit)[0]


def swap_candidates_many(
    rs: RefStats,
    ct: CandidateTable,
    dls: Sequence[DocLM],
    max_cands: int = 0,
    max_fit: float | None = None,
) -> list[Swaps]:
    """:func:`swap_candidates` of each document of ``dls``, with the LM look-ups of all their
    candidate windows done in one call (look-ups are element-wise: the same values as alone,
    with the table searches of the batch sorted together and numpy's per-call cost paid once)."""
    pending = [_windows(rs, ct, dl, max_cands, max_fit) for dl in dls]
    todo = [p for p in pending if p is not None]
    if todo:
        lp, order = rs.cond_logprob(
            np.concatenate([p.fw for p in todo]),
            np.concatenate([p.p1 for p in todo]),
            np.concatenate([p.p2 for p in todo]),
        )
        cut = np.cumsum([len(p.fw) for p in todo])[:-1]
        for p, lpf, ordf in zip(todo, np.split(lp, cut), np.split(order, cut)):
            p.lpf, p.ordf = lpf, ordf
    return [_empty_swaps() if p is None else _scored(rs, p) for p in pending]


@dataclass
class _Windows:
    """A document's spans and candidate windows, awaiting the LM look-ups of ``fw`` given
    ``p1``/``p2`` (each unit predicted in a candidate's window), then ``lpf``/``ordf``."""

    span: dict  # the span-level fields of :class:`Swaps`
    a: np.ndarray
    prior: np.ndarray
    ma: np.ndarray
    pred: np.ndarray
    fw: np.ndarray
    p1: np.ndarray
    p2: np.ndarray
    pmi_u0: np.ndarray  # PMI of each span's first unit / of the unit after it
    pmi_u1: np.ndarray
    lpf: np.ndarray | None = None
    ordf: np.ndarray | None = None


def _windows(
    rs: RefStats, ct: CandidateTable, dl: DocLM, max_cands: int, max_fit: float | None
) -> _Windows | None:
    """The spans of a document and the LM queries of their candidate windows; None without
    spans (see :func:`swap_candidates`)."""
    wi = dl.word_idx
    m = len(wi)
    if m == 0:
        return None
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
        return None
    # one look-up of all 1-3-word keys (a small table: sorting the needles does not pay)
    allk = np.concatenate(keys)
    row = np.minimum(np.searchsorted(ct.key, allk), len(ct.key) - 1)
    found = ct.key[row] == allk
    if not found.any():
        return None
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
            return None
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
    spans = dict(
        w0=w0, w1=w1, t0=t0, t1=t1, s_b=s_b, b_oov=b_oov, b_zipf=b_zipf, b_uni=b_uni,
        b_order=b_order, span=span,
    )  # fmt: skip
    return _Windows(
        spans, a, prior, ma, pred, wp[pred], p1[pred], p2[pred],
        pmi_units[u0], pmi_units[np.minimum(u1, nu - 1)],
    )  # fmt: skip


def _scored(rs: RefStats, p: _Windows) -> Swaps:
    """The :class:`Swaps` of a document from its windows and their LM look-ups."""
    a, ma, pred, fw, lpf = p.a, p.ma, p.pred, p.fw, p.lpf
    nc = len(a)
    sq, kp = np.nonzero(pred)  # row and column (from 0 = the first unit of A) of each
    s_a = np.bincount(sq, weights=lpf, minlength=nc)
    # PMI of the candidate's first word and of the unit after it
    pmif = lpf - np.where((fw >= 0) & (fw < rs.lm_size), rs.uni_lp[np.maximum(fw, 0)], OOV_LP)
    a_left = np.zeros(nc)
    a_left[sq[kp == 0]] = pmif[kp == 0]
    a_right = np.zeros(nc)
    at_f1 = kp == ma[sq]
    a_right[sq[at_f1]] = pmif[at_f1]
    o = np.full(nc, 9, dtype=np.int64)
    np.minimum.at(o, sq, p.ordf.astype(np.int64))
    a_uni = np.where(a >= 0, rs.uni_lp[np.maximum(a, 0)], 0.0).sum(axis=1)
    za = rs.zipf_ids(np.maximum(a, 0))
    a_zipf = np.where(a >= 0, za, 99.0).min(axis=1)
    sp = p.span
    return Swaps(
        **sp,
        a=a,
        prior=p.prior,
        s_a=s_a,
        a_uni=a_uni,
        a_order=o,
        a_zipf=a_zipf,
        delta=s_a - sp["s_b"][sp["span"]],
        b_left=p.pmi_u0,
        b_right=p.pmi_u1,
        a_left=a_left,
        a_right=a_right,
    )


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
