"""Monotone sentence alignment of a suspect and a candidate source, with splits and merges.

Each sentence is reduced to the set of its content-word keys (:mod:`mtdetect.trace.words`).
Two sentences share a key when both have the word (same stem), or — at ``SYNONYM_CREDIT`` — when
one word is a thesaurus candidate of the other ("massacre" / "carnage"), so a spun sentence
still matches its source. A dynamic programme over the two sentence sequences picks blocks of
1-1, 1-2, 2-1, 2-2, 1-3 and 3-1 sentences (translations split and merge sentences) or leaves a
sentence unaligned, maximising::

    sum over aligned blocks of  2 * shared keys  -  MIN_DICE * (keys of both sides)

so a block is worth aligning when its Dice overlap is above ``MIN_DICE``, and an unrelated
sentence merged into a block costs what it adds to its size. This is the Gale-Church scheme with
lexical overlap in place of sentence length: lengths are useless across a spinner that turns
one word into three, and overlap also tells an unrelated text (nothing aligns) from a rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from mtdetect.text import Document
from mtdetect.trace.words import is_content, linked_stems, stem

#: A thesaurus link counts as this much of a shared word.
SYNONYM_CREDIT = 0.8
#: Blocks with a Dice overlap of content keys below this are not worth aligning.
MIN_DICE = 0.25
#: (suspect sentences, source sentences) per block, and a small cost for each merge so that
#: ties go to 1-1 blocks.
MOVES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))
MERGE_COST = 0.05
#: Sentences of each text that are aligned (the first ones): the programme is quadratic, and
#: 1,000 sentences (~20,000 words) is far beyond an article.
MAX_SENTENCES = 1000


@dataclass(frozen=True)
class Block:
    """Aligned suspect sentences ``[a0, a1)`` and source sentences ``[b0, b1)``.

    ``exact`` and ``synonym`` count the shared content keys (same stem / thesaurus link),
    ``keys_a`` / ``keys_b`` the content keys of each side; ``similarity`` is their Dice overlap.
    """

    a0: int
    a1: int
    b0: int
    b1: int
    exact: float
    synonym: float
    keys_a: int
    keys_b: int

    @property
    def similarity(self) -> float:
        n = self.keys_a + self.keys_b
        return min(1.0, 2 * (self.exact + SYNONYM_CREDIT * self.synonym) / n) if n else 1.0


@dataclass
class Alignment:
    """The blocks of an alignment (in order) and the sentence counts of both texts."""

    blocks: list[Block]
    n_a: int
    n_b: int
    keys_a: np.ndarray  # content keys per suspect sentence
    keys_b: np.ndarray
    words_a: list[list[tuple[str, str]]]  # (lower-cased word, key) per suspect sentence
    words_b: list[list[tuple[str, str]]]


def sentence_keys(doc: Document) -> list[list[tuple[str, str]]]:
    """(lower-cased word, key) of the content words of each sentence of a document."""
    out = []
    for s in doc.sentences:
        words = []
        for t in doc.tokens[s.tok_start : s.tok_end]:
            if t.is_word:
                low = t.norm.lower()
                if is_content(low):
                    words.append((low, stem(low)))
        out.append(words)
    return out


def _matrices(
    a: list[list[tuple[str, str]]], b: list[list[tuple[str, str]]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per sentence pair: shared keys, thesaurus-linked keys; and keys per sentence."""
    vocab: dict[str, int] = {}

    def binary(sents, with_links: bool):
        rows, cols, srows, scols = [], [], [], []
        for i, words in enumerate(sents):
            own = {vocab.setdefault(k, len(vocab)) for _, k in words}
            rows += [i] * len(own)
            cols += list(own)
            if with_links:
                links = set()
                for low, _ in words:
                    links |= {vocab.setdefault(k, len(vocab)) for k in linked_stems(low)}
                links -= own
                srows += [i] * len(links)
                scols += list(links)
        return rows, cols, srows, scols

    ra, ca, sra, sca = binary(a, True)
    rb, cb, srb, scb = binary(b, True)
    v = len(vocab)

    def mat(r, c, n):
        return sp.csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=(n, v))

    A, B = mat(ra, ca, len(a)), mat(rb, cb, len(b))
    As, Bs = mat(sra, sca, len(a)), mat(srb, scb, len(b))
    exact = (A @ B.T).toarray()
    # a link seen from both sides (a table entry both ways) is one match, not two
    syn = np.maximum((As @ B.T).toarray(), (A @ Bs.T).toarray())
    na = np.asarray(A.sum(axis=1)).ravel()
    nb = np.asarray(B.sum(axis=1)).ravel()
    syn = np.minimum(syn, np.minimum(na[:, None], nb[None, :]) - exact)
    return exact, np.maximum(syn, 0), na, nb


def _prefix(m: np.ndarray) -> np.ndarray:
    out = np.zeros((m.shape[0] + 1, m.shape[1] + 1))
    out[1:, 1:] = m.cumsum(0).cumsum(1)
    return out


def align(a: Document, b: Document) -> Alignment:
    """Align the sentences of ``a`` (suspect) with those of ``b`` (source)."""
    ka, kb = sentence_keys(a)[:MAX_SENTENCES], sentence_keys(b)[:MAX_SENTENCES]
    n, m = len(ka), len(kb)
    if n == 0 or m == 0:
        return Alignment([], n, m, np.zeros(n), np.zeros(m), ka, kb)
    exact, syn, na, nb = _matrices(ka, kb)
    P_ex, P_syn = _prefix(exact), _prefix(syn)
    ca = np.concatenate([[0.0], np.cumsum(na)])
    cb = np.concatenate([[0.0], np.cumsum(nb)])
    ov = exact + SYNONYM_CREDIT * syn
    P_ov = _prefix(ov)
    NEG = -1e18
    best = np.full((n + 1, m + 1), NEG)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0 start, 1 skip a, 2 skip b, 3+k move k
    best[0, 0] = 0.0
    bl, Pl, cal, cbl = best.tolist(), P_ov.tolist(), ca.tolist(), cb.tolist()
    bk = back.tolist()
    moves = list(enumerate(MOVES))
    for i in range(n + 1):
        row, brow = bl[i], bk[i]
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            v, how = NEG, 0
            if i and bl[i - 1][j] > v:
                v, how = bl[i - 1][j], 1
            if j and row[j - 1] > v:
                v, how = row[j - 1], 2
            for k, (p, q) in moves:
                if p > i or q > j:
                    continue
                i0, j0 = i - p, j - q
                o = Pl[i][j] - Pl[i0][j] - Pl[i][j0] + Pl[i0][j0]
                if o <= 0:
                    continue
                na_, nb_ = cal[i] - cal[i0], cbl[j] - cbl[j0]
                # pairwise overlaps summed over a block overcount repeated words: a block
                # cannot share more keys than either side has
                o = min(o, na_, nb_)
                g = 2 * o - MIN_DICE * (na_ + nb_)
                if p + q > 2:
                    g -= MERGE_COST * (p + q - 2)
                g += bl[i0][j0]
                if g > v:
                    v, how = g, 3 + k
            row[j] = v
            brow[j] = how
    blocks: list[Block] = []
    i, j = n, m
    while i or j:
        how = bk[i][j]
        if how == 1:
            i -= 1
        elif how == 2:
            j -= 1
        else:
            p, q = MOVES[how - 3]
            i0, j0 = i - p, j - q

            ex, sy = (float(P[i, j] - P[i0, j] - P[i, j0] + P[i0, j0]) for P in (P_ex, P_syn))
            blocks.append(Block(i0, i, j0, j, ex, sy, int(ca[i] - ca[i0]), int(cb[j] - cb[j0])))
            i, j = i0, j0
    blocks.reverse()
    return Alignment(blocks, n, m, na, nb, ka, kb)
