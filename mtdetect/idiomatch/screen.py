"""The screening step of ``Matcher.find`` compiled with numba, on request: for each sentence,
the (entry, anchor element, token) candidates whose required words are all in the sentence, or
all but one that a swap may replace. The same test as the pure-Python loop of
``Matcher._find_py`` over integer arrays instead of sets (the index's form sets and the stems
of the relatives become ids).

Used only with numba installed (``pip install 'mtdetect[fast]'``) and ``MTDETECT_JIT=1``
(read once per process): it takes ``find`` from ~1.3 to ~0.7 ms per news article, but adds
~0.8 s to the start-up (numba's import, these arrays, the cached kernel) and ~160 MB (LLVM),
so it pays off from ~1,500 articles a process on. The kernel is compiled on first use (~4 s)
and cached on disk (numba ``cache=True``: beside this file, or in the user's cache folder
where the package folder is read-only).
"""

from __future__ import annotations

import os
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from mtdetect.morphology.forms import form_stems, irregular_bases

if TYPE_CHECKING:
    from mtdetect.idiomatch.matcher import Matcher

#: modes of a candidate (the values of ``matcher._CANONICAL`` and ``_SWAP``; ONE_MISSING: one
#: required word missing that a word of the same kind may replace, decided in Python by
#: ``Matcher._swap_mode``)
CANONICAL, SWAP, ONE_MISSING = 1, 2, 3
#: what decides whether a missing word may be swapped: an open swap, a word of its kind (in
#: Python), a relative (a stem of one of its relatives among the sentence's stems)
OPEN, KIND, STEMS = 0, 1, 2


def enabled() -> bool:
    """Is the compiled screening to be used: ``MTDETECT_JIT=1`` and numba installed?"""
    if os.environ.get("MTDETECT_JIT") != "1":
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _csr(lists: list) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, values) of a list of integer sequences."""
    ptr = np.zeros(len(lists) + 1, np.int64)
    ptr[1:] = np.cumsum(list(map(len, lists)))
    return ptr, np.array(list(chain.from_iterable(lists)), np.int64)


class Screener:
    """The index of a matcher as arrays, and the compiled kernel over them."""

    def __init__(self, m: Matcher, always: int) -> None:
        index, holders = m.index_data, m._holders
        #: text form -> its id (the forms of the index's form sets)
        self.form_id = {f: i for i, f in enumerate(holders)}
        n_sids = len(index.form_sets)
        self.h_ptr, self.h_sid = _csr(list(holders.values()))
        # per form: the form sets holding it that anchor entries
        anchors = index.anchors
        self.a_ptr, self.a_sid = _csr(
            [[s for s in ids if s in anchors] for ids in holders.values()]
        )
        # per anchor form set: its groups (second word to check, or -1: none), and per group
        # its (entry, anchor element) pairs
        groups = [list(anchors.get(sid, {}).items()) for sid in range(n_sids)]
        self.g_ptr, _ = _csr([[0] * len(g) for g in groups])
        flat = [grp for g in groups for grp in g]
        self.g_check = np.array([-1 if c == always else c for c, _ in flat], np.int64)
        self.ge_ptr, self.ge_eid = _csr([[e for e, _ in pairs] for _, pairs in flat])
        self.ge_k = np.fromiter((k for _, pairs in flat for _, k in pairs), np.int64)
        self.r_ptr, self.r_sid = _csr([tuple(ids) for ids, _ in index.required])
        self.has_swaps = np.array([bool(sw) for _, sw in index.required], np.bool_)
        self.n_sids = n_sids
        # per entry, the words a one-swap match may lack: (form set, what decides, key id)
        stem_id: dict[str, int] = {}
        key_id: dict[str, int] = {}
        key_stems: list[list[int]] = []
        sw: list[list[tuple[int, int, int]]] = []
        for eid, (_, swaps) in enumerate(index.required):
            row = []
            for sid, key in swaps.items():
                if sid in index.open[eid][1]:
                    row.append((sid, OPEN, -1))
                elif m.key_kinds(key) and index.kind_ok[eid]:
                    row.append((sid, KIND, -1))  # (rare: decided in Python)
                else:
                    kid = key_id.get(key)
                    if kid is None:
                        kid = key_id[key] = len(key_stems)
                        rel = m._relative_stems(key)
                        key_stems.append([stem_id.setdefault(t, len(stem_id)) for t in rel])
                    row.append((sid, STEMS, kid))
            sw.append(row)
        self.sw_ptr, self.sw_sid = _csr([[x[0] for x in r] for r in sw])
        self.sw_code = np.fromiter((x[1] for r in sw for x in r), np.int64)
        self.sw_key = np.fromiter((x[2] for r in sw for x in r), np.int64)
        self.k_ptr, self.k_stem = _csr(key_stems)
        self.stem_id = stem_id
        self._token_stems: dict[str, tuple[int, ...]] = {}
        self._irregular = irregular_bases()
        self._kernel = _compiled()

    def _stems_of(self, w: str) -> tuple[int, ...]:
        """The ids of the stems of text word ``w`` that are stems of some relative (the
        stems ``_sentence_stems`` gives a sentence holding ``w``)."""
        got = self._token_stems.get(w)
        if got is None:
            ids = self.stem_id
            forms = form_stems(w) if w.endswith(("s", "d", "g")) or w in self._irregular else (w,)
            got = tuple(sorted({ids[t] for t in forms if t in ids}))
            if len(self._token_stems) < 1 << 18:  # (bounded)
                self._token_stems[w] = got
        return got

    def run(self, words: list[str], lo: list[int], hi: list[int]) -> list[list[int]]:
        """Candidates of the sentences ``[lo[s], hi[s])`` of the token forms ``words``, in
        token order: [sentence, entry, anchor element, token in the sentence, mode, missing
        form set (ONE_MISSING, decided in Python) or -1]."""
        get = self.form_id.get
        fids = np.array([get(w, -1) for w in words], np.int64)
        known = self._token_stems.get
        stems = [known(w) for w in words]
        if None in stems:  # (words not seen before)
            stems = [self._stems_of(w) if st is None else st for w, st in zip(words, stems)]
        t_ptr = np.zeros(len(words) + 1, np.int64)
        t_ptr[1:] = np.cumsum([len(st) for st in stems])
        t_stem = np.array(list(chain.from_iterable(stems)), np.int64)
        return self._kernel(
            fids,
            np.asarray(lo, np.int64),
            np.asarray(hi, np.int64),
            self.h_ptr,
            self.h_sid,
            self.a_ptr,
            self.a_sid,
            self.g_ptr,
            self.g_check,
            self.ge_ptr,
            self.ge_eid,
            self.ge_k,
            self.r_ptr,
            self.r_sid,
            self.has_swaps,
            self.n_sids,
            self.sw_ptr,
            self.sw_sid,
            self.sw_code,
            self.sw_key,
            self.k_ptr,
            self.k_stem,
            t_ptr,
            t_stem,
            len(self.stem_id),
        ).tolist()


def _screen(
    fids, lo, hi, h_ptr, h_sid, a_ptr, a_sid, g_ptr, g_check, ge_ptr, ge_eid, ge_k, r_ptr, r_sid,
    has_swaps, n_sids, sw_ptr, sw_sid, sw_code, sw_key, k_ptr, k_stem, t_ptr, t_stem, n_stems,
):  # fmt: skip
    """The kernel (compiled by numba; see ``Matcher._find_py`` for the same test on sets)."""
    n_entries = len(has_swaps)
    found = np.zeros(n_sids, np.bool_)
    mode = np.full(n_entries, -1, np.int64)
    miss = np.full(n_entries, -1, np.int64)
    touched = np.empty(n_entries, np.int64)
    stem_found = np.zeros(max(n_stems, 1), np.bool_)
    out = np.empty((64, 6), np.int64)
    n_out = 0
    for s in range(len(lo)):
        a, b = lo[s], hi[s]
        for t in range(a, b):  # the form sets the sentence's words belong to
            f = fids[t]
            if f >= 0:
                for j in range(h_ptr[f], h_ptr[f + 1]):
                    found[h_sid[j]] = True
        n_touched = 0
        stems_marked = False  # stem_found holds the sentence's stems (marked when first needed)
        for t in range(a, b):
            f = fids[t]
            if f < 0:
                continue
            for j in range(a_ptr[f], a_ptr[f + 1]):
                sid = a_sid[j]
                for g in range(g_ptr[sid], g_ptr[sid + 1]):
                    c = g_check[g]
                    if c >= 0 and not found[c]:
                        continue
                    for x in range(ge_ptr[g], ge_ptr[g + 1]):
                        e = ge_eid[x]
                        m = mode[e]
                        if m < 0:  # once per entry and sentence: how many words are missing?
                            n_miss = 0
                            last = -1
                            for y in range(r_ptr[e], r_ptr[e + 1]):
                                if not found[r_sid[y]]:
                                    n_miss += 1
                                    last = r_sid[y]
                            if n_miss == 0:
                                m = CANONICAL
                            elif n_miss > 1 or not has_swaps[e]:
                                m = 0
                            else:  # one missing: may a swap replace it (Matcher._swap_mode)?
                                m = 0
                                for y in range(sw_ptr[e], sw_ptr[e + 1]):
                                    if sw_sid[y] != last:
                                        continue
                                    code = sw_code[y]
                                    if code == OPEN:
                                        m = SWAP
                                    elif code == KIND:
                                        m = ONE_MISSING
                                        miss[e] = last
                                    else:  # a stem of a relative among the sentence's stems?
                                        if not stems_marked:
                                            for u in range(t_ptr[a], t_ptr[b]):
                                                stem_found[t_stem[u]] = True
                                            stems_marked = True
                                        kid = sw_key[y]
                                        for z in range(k_ptr[kid], k_ptr[kid + 1]):
                                            if stem_found[k_stem[z]]:
                                                m = SWAP
                                                break
                            mode[e] = m
                            touched[n_touched] = e
                            n_touched += 1
                        if m > 0:
                            if n_out == len(out):
                                bigger = np.empty((2 * len(out), 6), np.int64)
                                bigger[:n_out] = out
                                out = bigger
                            out[n_out, 0] = s
                            out[n_out, 1] = e
                            out[n_out, 2] = ge_k[x]
                            out[n_out, 3] = t - a
                            out[n_out, 4] = m
                            out[n_out, 5] = miss[e] if m == ONE_MISSING else -1
                            n_out += 1
        for t in range(a, b):  # reset for the next sentence
            f = fids[t]
            if f >= 0:
                for j in range(h_ptr[f], h_ptr[f + 1]):
                    found[h_sid[j]] = False
        for q in range(n_touched):
            mode[touched[q]] = -1
        if stems_marked:
            for u in range(t_ptr[a], t_ptr[b]):
                stem_found[t_stem[u]] = False
    return out[:n_out]


_KERNEL = None


def _compiled():
    """The kernel compiled by numba (once a process; from the disk cache when there is one)."""
    global _KERNEL
    if _KERNEL is None:
        import numba

        _KERNEL = numba.njit(cache=True, nogil=True)(_screen)
    return _KERNEL
