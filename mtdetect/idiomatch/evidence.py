"""How much a one-word swap costs a fixed expression under the reference LM.

A distorted idiom is evidence of rewriting only when the idiom's own word is what English
expects where the swapped word stands: "spilled the" is followed by "beans" far more often than
by "lentils", while "grabbed her by the" is followed by "shoulders" as readily as by "throat"
(an ordinary phrase that happens to share the frame of "grab someone by the throat"). The
evidence is the log10 probability the reference trigram LM gives the original word minus the one
it gives the swapped word (all its words, if it is a phrase), in the words just before it, plus
the same difference for the word after it. It is read in the text when the swap sits in the
pattern's own order, and in the pattern's words when it does not (a passive, "the lentils were
spilled", or a word inserted next to the swap, "spilled all the lentils"), where the text's
neighbours say nothing about the idiom.
"""

from __future__ import annotations

import numpy as np

from mtdetect.idiomatch.patterns import DET, REFL, SLOT, WORD, Match, is_det
from mtdetect.refstats import RefStats
from mtdetect.text import Document

# what stands for a pattern element that is not a word, when the pattern is read as text
_FILL = {DET: "the", SLOT: "him", REFL: "himself"}


def _logprobs(rs: RefStats, triples: list[tuple[str, str | None, str | None]]) -> np.ndarray:
    """log10 P(w | p2 p1) of (w, p1, p2) triples (``None``: no history)."""
    w = rs.lm_ids([t[0] for t in triples])
    p1 = rs.lm_ids([t[1] or "" for t in triples])
    p2 = rs.lm_ids([t[2] or "" for t in triples])
    p1[[t[1] is None for t in triples]] = -1
    p2[[t[2] is None or t[1] is None for t in triples]] = -1
    return rs.cond_logprob(w, p1, p2)[0]


def _delta(
    rs: RefStats, before: list[str | None], original: str, swapped: list[str], after: str | None
) -> float:
    """log P(original, after | before) − log P(swapped words, after | before): the trigram LM's
    preference for the idiom's word over the swapped phrase (every word of it: "ice mountain"
    costs "ice" after "of the" and "mountain" after "the ice"), and for the word after each."""
    p1, p2 = before[-1], before[-2]
    orig = [(original, p1, p2)]
    swap: list[tuple[str, str | None, str | None]] = []
    h1, h2 = p1, p2
    for w in swapped:
        swap.append((w, h1, h2))
        h1, h2 = w, h1
    if after is not None:
        orig.append((after, original, p1))
        swap.append((after, h1, h2))
    lp = _logprobs(rs, orig + swap)
    return float(lp[: len(orig)].sum() - lp[len(orig) :].sum())


def _pattern_words(m: Match) -> list[str | None]:
    """The pattern of ``m`` read as words (``None`` for punctuation)."""
    return [el.word if el.kind == WORD else _FILL.get(el.kind) for el in m.entry.elems]


def _in_text_order(doc: Document, m: Match) -> bool:
    """Does the swap stand right after the element before it in the pattern (no word inserted,
    not a reordered variant)?"""
    sw = m.swap
    assert sw is not None
    if m.entry.variant:
        return False
    k = sw.elem
    if k == 0:
        return True
    if sw.tok_lo == 0 or sw.tok_lo - 1 < m.tok_start:
        return False
    prev = doc.tokens[sw.tok_lo - 1]
    el = m.entry.elems[k - 1]
    low = prev.norm.lower()
    if el.kind == DET:
        return is_det(low)
    return el.kind == WORD and low in el.forms


def swap_evidence(doc: Document, m: Match, rs: RefStats) -> float:
    """The LM evidence that the swap of ``m`` distorts a fixed expression (log10 units; see the
    module docstring). ``m`` must have a swap."""
    sw = m.swap
    assert sw is not None
    swapped = sw.related.split()
    if _in_text_order(doc, m):
        toks = doc.tokens
        lo, hi = sw.tok_lo, sw.tok_hi

        def word(i: int) -> str | None:
            return toks[i].norm.lower() if 0 <= i < len(toks) and toks[i].is_word else None

        p1 = word(lo - 1)
        p2 = word(lo - 2) if p1 is not None else None
        return _delta(rs, [p2, p1], sw.original, [word(i) or "" for i in range(lo, hi)], word(hi))
    pw = _pattern_words(m)
    if m.entry.origin:  # a variant: its words back in the order of the pattern as written
        written = [pw[i] for _, i in sorted((o, i) for i, o in enumerate(m.entry.origin) if o >= 0)]
    else:
        written = pw
    k = m.entry.written_index(sw.elem)
    p1 = written[k - 1] if k > 0 else None
    p2 = written[k - 2] if k > 1 and p1 is not None else None
    after = written[k + 1] if k + 1 < len(written) else None
    return _delta(rs, [p2, p1], sw.original, swapped, after)
