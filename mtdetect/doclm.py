"""A document under the reference LM: per-token ids and log-probabilities, and word-pair PMI.

:func:`score_document` is what :attr:`mtdetect.analysis.Analysis.lm` and ``.pairs`` hold: every
sentence scored once from ``<s>`` to ``</s>`` with :class:`~mtdetect.refstats.RefStats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Protocol

import numpy as np

from mtdetect.refstats import BOS, EOS, RefStats

#: PMI (see :meth:`RefStats.pmi`) of each word with the word before it, for consecutive words
#: of a sentence that are both LM words: ``(pmi, seen)`` indexed by word token; ``nan`` /
#: False for other words.
Pairs = tuple[np.ndarray, np.ndarray]


class WordArrays(Protocol):
    """The word view of a document that :func:`score_document` reads."""

    n: int  # number of word tokens
    wtok: np.ndarray  # token index of each word
    words: list[str]  # lower-cased normalised text of each word
    wsent: np.ndarray  # sentence of each word
    first: np.ndarray  # whether each word is the first of its sentence


def _shifted(a: np.ndarray, k: int) -> np.ndarray:
    """``a`` shifted right by ``k`` positions (the word ``k`` back), the first ``k`` set to -1."""
    out = np.empty_like(a)
    out[:k] = -1
    out[k:] = a[: max(0, len(a) - k)]
    return out


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


def score_document(rs: RefStats, n: int, words: WordArrays) -> tuple[DocLM, Pairs]:
    """Per-token ids and LM log-probabilities of a document of ``n`` tokens whose word tokens
    are ``words``, and the PMI of each word with the word before it (see :data:`Pairs`).

    Each sentence is scored from ``<s>`` to ``</s>``; punctuation is skipped (the LM has
    none), unknown words and numbers break the history. A token the LM lacks is split into
    parts the LM knows where possible (``well-known`` → ``well known``, ``Getty's`` →
    ``getty 's``).
    """
    get = rs.vocab.get
    us = rs.us_map
    lm_size = rs.lm_size
    ids = np.full(n, -1, dtype=np.int64)
    lm_ids = np.full(n, -1, dtype=np.int64)
    vw = words
    m = vw.n
    wi = vw.wtok
    lows = vw.words
    vid = np.fromiter(map(get, lows, repeat(-1)), dtype=np.int64, count=m)
    ids[wi] = vid
    # score British spellings as their American forms
    if us:
        vus = np.where(vid >= 0, rs.us_arr[np.maximum(vid, 0)], -1)
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
    pm = np.full(m, np.nan)
    pseen = np.zeros(m, dtype=bool)
    if len(w):
        p1, p2 = _shifted(w, 1), _shifted(w, 2)
        bos = w == BOS
        p1 = np.where(bos, -1, p1)
        p2 = np.where((p1 < 0) | (p1 == BOS), -1, p2)
        # a <s> unit is never predicted; its successors see it as history. The bigrams of
        # consecutive LM words of a sentence (the pairs) share the look-up.
        lmw = lm_ids[wi]
        psel = np.flatnonzero((wsent[1:] == wsent[:-1]) & (lmw[1:] >= 0) & (lmw[:-1] >= 0)) + 1
        pa, pb = lmw[psel - 1], lmw[psel]
        nw_ = len(w)
        lp_all, ord_all = rs.cond_logprob(
            np.concatenate([np.where(bos, -1, w), pb]),
            np.concatenate([p1, pa]),
            np.concatenate([p2, np.full(len(pb), -1, dtype=np.int64)]),
        )
        ulp, ordu = lp_all[:nw_], ord_all[:nw_]
        pm[psel] = lp_all[nw_:] - rs.uni_lp[pb]
        pseen[psel] = ord_all[nw_:] == 2
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
    return out, (pm, pseen)


@dataclass
class _Joined:
    """The word arrays of several documents as those of one (see :func:`score_documents`)."""

    n: int
    wtok: np.ndarray
    words: list[str]
    wsent: np.ndarray
    first: np.ndarray


def score_documents(
    rs: RefStats, docs: Sequence[tuple[int, WordArrays, int]]
) -> list[tuple[DocLM, Pairs]]:
    """:func:`score_document` of each of ``docs`` ((tokens, word arrays, sentences) each), from
    one pass over all of them: the same arrays, with the table look-ups of a whole batch sorted
    and searched together and numpy's per-call cost paid once.

    The documents are scored as one whose sentences are theirs in turn: every LM history starts
    at a sentence's ``<s>`` and every pair lies inside a sentence, so no value depends on another
    document, and each document's arrays are slices of the joint ones, re-based."""
    if len(docs) <= 1:
        return [score_document(rs, n, w) for n, w, _ in docs]
    tok_off = np.cumsum([0] + [n for n, _, _ in docs])
    sent_off = np.cumsum([0] + [k for _, _, k in docs])
    word_off = np.cumsum([0] + [w.n for _, w, _ in docs])
    joint = _Joined(
        n=int(word_off[-1]),
        wtok=np.concatenate([w.wtok + t for (_, w, _), t in zip(docs, tok_off)]),
        words=[x for _, w, _ in docs for x in w.words],
        wsent=np.concatenate([w.wsent + k for (_, w, _), k in zip(docs, sent_off)]),
        first=np.concatenate([w.first for _, w, _ in docs]),
    )
    lm, (pm, pseen) = score_document(rs, int(tok_off[-1]), joint)
    # the units of each document: those of its sentences (each sentence's units are together)
    doc_of_sent = np.repeat(np.arange(len(docs)), np.diff(sent_off))
    unit_off = np.searchsorted(doc_of_sent[lm.unit_sent], np.arange(len(docs) + 1))
    out = []
    for d in range(len(docs)):
        t0, t1 = int(tok_off[d]), int(tok_off[d + 1])
        u0, u1 = int(unit_off[d]), int(unit_off[d + 1])
        w0, w1 = int(word_off[d]), int(word_off[d + 1])
        tok_u0, tok_u1, unit_tok = lm.tok_u0[t0:t1], lm.tok_u1[t0:t1], lm.unit_tok[u0:u1]
        part = DocLM(  # copies, not views: each document owns its arrays, as alone
            ids=lm.ids[t0:t1].copy(),
            lm_ids=lm.lm_ids[t0:t1].copy(),
            lp=lm.lp[t0:t1].copy(),
            order=lm.order[t0:t1].copy(),
            word_idx=lm.word_idx[w0:w1] - t0,
            units=lm.units[u0:u1].copy(),
            unit_lp=lm.unit_lp[u0:u1].copy(),
            unit_tok=np.where(unit_tok >= 0, unit_tok - t0, -1),
            unit_sent=lm.unit_sent[u0:u1] - sent_off[d],
            tok_u0=np.where(tok_u0 >= 0, tok_u0 - u0, -1),
            tok_u1=np.where(tok_u1 >= 0, tok_u1 - u0, -1),
            unit_order=lm.unit_order[u0:u1].copy(),
        )
        out.append((part, (pm[w0:w1].copy(), pseen[w0:w1].copy())))
    return out
