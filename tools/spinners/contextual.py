"""Spinner design ``contextual``: the thesaurus candidate a language model likes best in context.

Modern "smart" spinners do not take a random synonym: they rank the candidates with a language
model and keep the one that reads best in the sentence. This design does the same with the
reference trigram LM the detector itself uses (:mod:`mtdetect.refstats`, the CMU US-English
model), which makes it the hardest case for a detector that looks for words that fit their
context badly: every swap is the best-fitting one the thesaurus offers.

* **Candidates**: OEWN synonyms and similar adjectives, MyThes synonyms, from the first three
  senses of every part of speech the neighbouring words allow, re-inflected, at most 3 words.
* **Score**: log10 probability of the candidate and the two words after it, given the two words
  before it (within the sentence), summed; the original word is never a candidate.
* **Choice** (per passage, ``options.choice``): the ``best`` candidate, or one of the ``top2``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from tools.inflect import Inflector
from tools.spinners.common import (
    BE,
    DETERMINERS,
    HAVE,
    MODALS,
    PREPOSITIONS,
    Morph,
    SpinOptions,
    SpinResult,
    Tokens,
    allowed_token,
    content_word,
    context_pos,
    match_case,
    pick_count,
    quoted_tokens,
    render,
    spin_rng,
    tokenize,
)
from tools.thesaurus import OEWN, Mythes, load_mythes, load_oewn

NAME = "contextual"
CHOICES = ("best", "top2")
#: Per-passage choices of this design (drawn by tools.spinners.draw, recorded in the corpus).
OPTIONS = {"choice": CHOICES}
MAX_SENSES = 3
CONTEXT = 2  # words of context on each side
#: ``scorer(windows)``: one log-probability per ``(words, first scored position)`` window.
Scorer = Callable[[Sequence[tuple[list[str], int]]], np.ndarray]


def refstats_scorer() -> Scorer:
    """Trigram log10 probabilities from :mod:`mtdetect.refstats`, batched over windows."""
    from mtdetect import refstats

    rs = refstats.load()

    def score(windows: Sequence[tuple[list[str], int]]) -> np.ndarray:
        ws, p1s, p2s, owner = [], [], [], []
        for k, (words, first) in enumerate(windows):
            ids = rs.lm_ids(words)
            for j in range(first, len(ids)):
                ws.append(ids[j])
                p1s.append(ids[j - 1] if j >= 1 else -1)
                p2s.append(ids[j - 2] if j >= 2 and ids[j - 1] >= 0 else -1)
                owner.append(k)
        if not ws:
            return np.zeros(len(windows))
        lp, _ = rs.cond_logprob(np.array(ws), np.array(p1s), np.array(p2s))
        return np.bincount(np.array(owner), weights=lp, minlength=len(windows))

    return score


class Contextual:
    """The design over thesauri, a morphology and an LM scorer."""

    name = NAME

    def __init__(self, oewn: OEWN | None, mythes: Mythes | None, morph: Morph, scorer: Scorer):
        self.sources = [s for s in (oewn, mythes) if s is not None]
        self.morph = morph
        self.scorer = scorer
        self._memo: dict[tuple, tuple[str, ...]] = {}

    def candidates(self, tokens: Tokens, i: int) -> tuple[str, ...]:
        """Inflected thesaurus candidates of word ``i`` for the POS its neighbours allow."""
        low = tokens.lows[i]
        prev, nxt = tokens.prev(i), tokens.next(i)
        key = (low, prev in _CONTEXT_WORDS and prev, nxt == "of")
        got = self._memo.get(key)
        if got is not None:
            return got
        analyses = self.morph.analyse(low)
        allowed = context_pos(analyses, prev, nxt) if analyses else set()
        out: dict[str, None] = {}
        for a in analyses:
            if a.pos not in allowed:
                continue
            for src in self.sources:
                for syn, _rel in src.synonyms(
                    a.lemma, a.pos, ("synonym", "similar"), MAX_SENSES, case_sensitive=True
                ):
                    if not syn.islower() or syn.count(" ") > 2 or syn == a.lemma:
                        continue
                    if not syn.replace(" ", "").replace("-", "").isalpha():
                        continue
                    form = self.morph.inflect(syn, a.pos, a.tag)
                    if form and form != low:
                        out[form] = None
        got = tuple(out)
        self._memo[key] = got
        return got

    def spin(self, text: str, seed: int, opts: SpinOptions) -> SpinResult:
        """Spin one passage: pick the units, then the LM's favourite candidate for each."""
        rng = spin_rng(NAME, text, seed, opts)
        tokens = tokenize(text)
        protected = quoted_tokens(tokens) if opts.protect_quotes else set()
        units = [
            (i, cands)
            for i, (tok, low) in enumerate(zip(tokens.toks, tokens.lows, strict=True))
            if content_word(tok, low)
            and allowed_token(tokens, i, opts, protected)
            and (cands := self.candidates(tokens, i))
        ]
        k = pick_count(len(units), opts.rate, rng)
        chosen = [units[u] for u in sorted(rng.sample(range(len(units)), k))]
        windows: list[tuple[list[str], int]] = []
        spans: list[tuple[int, int]] = []
        for i, cands in chosen:
            left, right = self._context(tokens, i)
            a = len(windows)
            for c in cands:
                windows.append((left + c.split() + right, len(left)))
            spans.append((a, len(windows)))
        scores = self.scorer(windows) if windows else np.zeros(0)
        repl: dict[int, tuple[int, str]] = {}
        top = 2 if opts.get("choice", "best") == "top2" else 1
        for (i, cands), (a, b) in zip(chosen, spans, strict=True):
            order = sorted(range(b - a), key=lambda j: (-round(float(scores[a + j]), 6), j))
            pick = cands[order[rng.randrange(min(top, len(order)))]]
            repl[i] = (1, match_case(pick, tokens.toks[i].text))
        out, sp = render(tokens, repl, opts.fix_articles)
        return SpinResult(out, sp, len(tokens), len(units), len(repl), opts.rate)

    @staticmethod
    def _context(tokens: Tokens, i: int) -> tuple[list[str], list[str]]:
        """Up to :data:`CONTEXT` words on each side, within the sentence and joined by spaces
        or light punctuation (the LM has no punctuation)."""
        left: list[str] = []
        j = i
        while len(left) < CONTEXT and j > 0 and not tokens.toks[j].sent_start:
            j -= 1
            left.insert(0, tokens.lows[j])
        right: list[str] = []
        j = i + 1
        while len(right) < CONTEXT and j < len(tokens) and not tokens.toks[j].sent_start:
            right.append(tokens.lows[j])
            j += 1
        return left, right


# the previous words context_pos looks at; other previous words share one cache entry
_CONTEXT_WORDS = DETERMINERS | MODALS | HAVE | BE | PREPOSITIONS


@cache
def _load(data: str | None, mythes_path: str | None) -> Contextual:
    oewn = load_oewn(data)
    return Contextual(
        oewn, load_mythes(mythes_path), Morph(Inflector.from_oewn(oewn)), refstats_scorer()
    )


def load(
    data: str | os.PathLike[str] | None = None, mythes_path: str | os.PathLike[str] | None = None
) -> Contextual:
    """The design over OEWN, MyThes and the reference LM (loaded once per process)."""
    return _load(
        None if data is None else str(data), None if mythes_path is None else str(mythes_path)
    )
