"""Findings of swapped spans, shared by the two spinning families (synonym_swap, broken_names):
non-overlapping spans, best score first, with the article changed along with the word."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.base import Rule
from mtdetect.findings import Finding
from mtdetect.refstats import RefStats
from mtdetect.swaps import Swaps
from mtdetect.swapscore import SpanScores
from mtdetect.text import Document
from mtdetect.wording import article_for, recase

#: reason(analysis, span, shown text, candidate) -> the reason of a finding
ReasonFn = Callable[[Analysis, int, str, str], str]


def phrase_of(rs: RefStats, ids: np.ndarray) -> str:
    """Words of a packed-id row."""
    return " ".join(rs.words[i] for i in ids if i >= 0)


def make_findings(
    a: Analysis,
    sc: SpanScores,
    score: np.ndarray,
    flag: np.ndarray,
    rule: Rule,
    reason_fn: ReasonFn,
    override: dict[int, str] | None = None,
) -> list[Finding]:
    """Findings for flagged spans: non-overlapping, best score first, article-aware.

    ``override`` maps a span index to the candidate to suggest instead of its best one.
    """
    doc = a.doc
    rs = a.rs
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
        reason = reason_fn(a, s, text, cand)
        out.append(rule.finding(a, start, end, reason, sugg, float(score[s])))
    out.sort(key=lambda f: f.start)
    return out


def observed(doc: Document, sw: Swaps, s: int) -> str:
    """The text of span ``s``."""
    return doc.text[doc.tokens[int(sw.t0[s])].start : doc.tokens[int(sw.t1[s]) - 1].end]


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
