"""Candidate swaps: the words a spinner may have replaced, and each candidate scored in context.

A thesaurus spinner replaces a word or short phrase A by a neighbour B. The candidate table
(``tools/build_candidates.py``) lists, for every B a thesaurus could have produced, the originals
A it may have replaced; :func:`swap_candidates` finds the spans B of a document and scores the
trigram window around each with every A substituted (:class:`Swaps`). Both spinning families
(``synonym_swap``, ``broken_names``) read these through their document's Analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
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
    """:func:`swap_candidates` of each document of ``dls``, from one pass over all of them.

    The documents are read as one whose sentences are theirs in turn (every span and window
    lies inside a sentence, so no value depends on another document; the running sums behind
    the window scores restart at each document): the same values as alone, with the LM
    look-ups of the whole batch in one call and numpy's per-call cost paid once."""
    joint, tok_off, word_off, unit_off = _joined(dls)
    sw = _joint_swaps(rs, ct, joint, unit_off, max_cands, max_fit)
    if sw is None:
        return [_empty_swaps() for _ in dls]
    return _split(sw, tok_off, word_off)


def _joined(dls: Sequence[DocLM]) -> tuple[DocLM, np.ndarray, np.ndarray, np.ndarray]:
    """The LM views of several documents as that of one (the fields swaps read), and the
    token, word and unit offsets of each document in it (one more at the end: the totals)."""
    tok_off = np.cumsum([0] + [len(d.ids) for d in dls])
    word_off = np.cumsum([0] + [len(d.word_idx) for d in dls])
    unit_off = np.cumsum([0] + [len(d.units) for d in dls])
    if len(dls) == 1:
        return dls[0], tok_off, word_off, unit_off

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(d, name) for d in dls])

    def moved(name: str, off: np.ndarray) -> np.ndarray:
        return np.concatenate([np.where(getattr(d, name) >= 0, getattr(d, name) + o, -1)
                               for d, o in zip(dls, off)])  # fmt: skip

    units = cat("units")
    # sentence ids kept apart: each document's own, in a range of its own
    sent = np.concatenate([d.unit_sent + (k << 32) for k, d in enumerate(dls)])
    unused = np.zeros(0)
    joint = DocLM(
        ids=cat("ids"),
        lm_ids=unused,
        lp=unused,
        order=unused,
        word_idx=np.concatenate([d.word_idx + o for d, o in zip(dls, tok_off)]),
        units=units,
        unit_lp=cat("unit_lp"),
        unit_tok=unused,
        unit_sent=sent,
        tok_u0=moved("tok_u0", unit_off),
        tok_u1=moved("tok_u1", unit_off),
        unit_order=cat("unit_order"),
    )
    return joint, tok_off, word_off, unit_off


def _running(x: np.ndarray, off: np.ndarray) -> np.ndarray:
    """Inclusive running sums of ``x`` restarting at each offset of ``off`` (each document's
    own sums, bit for bit: summed in ``x``'s type, floats then read as float64)."""
    if len(off) == 2:
        out = np.cumsum(x)
    else:
        out = np.concatenate([np.cumsum(x[a:b]) for a, b in zip(off[:-1], off[1:])])
    return out.astype(np.float64, copy=False) if out.dtype.kind == "f" else out


def _joint_swaps(
    rs: RefStats,
    ct: CandidateTable,
    dl: DocLM,
    unit_off: np.ndarray,
    max_cands: int,
    max_fit: float | None,
) -> Swaps | None:
    """The swaps of the documents joined in ``dl`` (units of document k from ``unit_off[k]``);
    None without any span."""
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
    # sums over unit ranges [u0, u1) from running sums (a unit precedes every span: its <s>)
    cum = _running(dl.unit_lp, unit_off)
    s_b = cum[u1 + nf - 1] - cum[u0 - 1]
    # span-level facts
    unit_known = (units >= 0).astype(np.int64)
    cum_known = _running(unit_known, unit_off)
    b_oov = (cum_known[u1 - 1] - cum_known[u0 - 1]) < (u1 - u0)
    cum_uni = _running(uni_all, unit_off)
    b_uni = cum_uni[u1 - 1] - cum_uni[u0 - 1]
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
    lpf, ordf = rs.cond_logprob(wp[pred], p1[pred], p2[pred])
    fw = wp[pred]
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
    np.minimum.at(o, sq, ordf.astype(np.int64))
    a_uni = np.where(a >= 0, rs.uni_lp[np.maximum(a, 0)], 0.0).sum(axis=1)
    za = rs.zipf_ids(np.maximum(a, 0))
    a_zipf = np.where(a >= 0, za, 99.0).min(axis=1)
    return Swaps(
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
        a_order=o,
        a_zipf=a_zipf,
        delta=s_a - s_b[span],
        b_left=pmi_units[u0],
        b_right=pmi_units[np.minimum(u1, nu - 1)],
        a_left=a_left,
        a_right=a_right,
    )


#: the fields of :class:`Swaps` with one value per span (the others: one per candidate row)
_SPAN_FIELDS = ("w0", "w1", "t0", "t1", "s_b", "b_oov", "b_zipf", "b_uni", "b_order",
                "b_left", "b_right")  # fmt: skip


def _split(sw: Swaps, tok_off: np.ndarray, word_off: np.ndarray) -> list[Swaps]:
    """The swaps of each document of a joint :class:`Swaps` (spans and candidate rows in the
    order they have alone: a stable sort by document; indices made the document's own)."""
    n_docs = len(word_off) - 1
    doc = np.searchsorted(word_off, sw.w0, side="right") - 1  # document of each span
    by_span = np.argsort(doc, kind="stable")
    span_cut = np.searchsorted(doc[by_span], np.arange(n_docs + 1))
    rank = np.empty(len(doc), dtype=np.int64)  # a span's index among its document's
    rank[by_span] = np.arange(len(doc)) - span_cut[doc[by_span]]
    row_doc = doc[sw.span]
    by_row = np.argsort(row_doc, kind="stable")
    row_cut = np.searchsorted(row_doc[by_row], np.arange(n_docs + 1))
    spans = {f: getattr(sw, f)[by_span] for f in _SPAN_FIELDS}
    rows = {f.name: getattr(sw, f.name)[by_row] for f in fields(Swaps)
            if f.name not in _SPAN_FIELDS}  # fmt: skip
    rows["span"] = rank[rows["span"]]
    out = []
    for k in range(n_docs):
        s0, s1, r0, r1 = span_cut[k], span_cut[k + 1], row_cut[k], row_cut[k + 1]
        if s0 == s1:
            out.append(_empty_swaps())
            continue
        part = {f: v[s0:s1] for f, v in spans.items()}
        part.update({f: v[r0:r1] for f, v in rows.items()})
        for f, off in (("w0", word_off), ("w1", word_off), ("t0", tok_off), ("t1", tok_off)):
            part[f] = part[f] - off[k]
        out.append(Swaps(**part))
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
