"""Spinner design ``tortured_map``: word maps mined from real spinner output (tortured phrases).

The Problematic Paper Screener's tortured phrases (CC BY 4.0) are what real spinners made of
scientific terms: "counterfeit consciousness" for "artificial intelligence", "irregular
woodland" for "random forest". Aligned word by word (equal prefix and suffix words dropped;
then position by position, or one word to a 1-3 word rendering) they give word maps such as
forest -> woodland, artificial -> counterfeit, data -> information, which this design applies
as word-level swaps to any text, re-inflected ("forests" -> "woodlands").

Only the *train* part of the list (:mod:`tools.spinners.tortured_split`) is mined, and word
pairs that also occur in the aligned *test* part are dropped (:data:`DROP_TEST_PAIRS`), so the
held-out third stays unseen at the level of its word swaps too, not only of its phrases.

* **Units**: words (or, for plural nouns, their lemma) with a map entry, not stop words.
* **Choice** (per passage, ``options.choice``): the ``frequent`` rendering (most often seen in
  the list) or ``weighted`` (drawn in proportion to how often it was seen).
"""

from __future__ import annotations

import os
import random
from collections import Counter
from functools import cache

from tools.inflect import Inflector
from tools.spinners.common import (
    STOPWORDS,
    Morph,
    SpinOptions,
    SpinResult,
    Tokens,
    Unit,
    content_word,
    run,
)
from tools.spinners.tortured_split import load_pairs
from tools.thesaurus import load_oewn

NAME = "tortured_map"
CHOICES = ("frequent", "weighted")
#: Per-passage choices of this design (drawn by tools.spinners.draw, recorded in the corpus).
OPTIONS = {"choice": CHOICES}
DROP_TEST_PAIRS = True
WordMap = dict[str, list[tuple[str, int]]]


def align(correct: str, tortured: str) -> list[tuple[str, str]]:
    """Word pairs (correct word, its rendering) of one entry; [] when it does not align."""
    cw, tw = correct.lower().split(), tortured.lower().split()
    i = 0
    while i < min(len(cw), len(tw)) and cw[i] == tw[i]:
        i += 1
    j = 0
    while j < min(len(cw), len(tw)) - i and cw[-1 - j] == tw[-1 - j]:
        j += 1
    cm, tm = cw[i : len(cw) - j], tw[i : len(tw) - j]
    if len(cm) == len(tm):
        return [(a, b) for a, b in zip(cm, tm, strict=True) if a != b]
    if len(cm) == 1 and 1 <= len(tm) <= 3:
        return [(cm[0], " ".join(tm))]
    return []


def _usable(a: str, b: str) -> bool:
    return (
        a != b
        and a.isalpha()
        and len(a) >= 3
        and a not in STOPWORDS
        and b.replace(" ", "").replace("-", "").isalpha()
    )


def mine(pairs: list[tuple[str, str]], drop: set[tuple[str, str]] = frozenset()) -> WordMap:
    """``correct word -> [(rendering, times seen)]``, most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    for correct, tortured in pairs:
        for a, b in align(correct, tortured):
            if _usable(a, b) and (a, b) not in drop:
                counts[(a, b)] += 1
    out: WordMap = {}
    for (a, b), n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        out.setdefault(a, []).append((b, n))
    return out


def mine_file(path: str | os.PathLike[str] | None = None) -> WordMap:
    """The word map of the list's train part (without the test part's word pairs)."""
    drop: set[tuple[str, str]] = set()
    if DROP_TEST_PAIRS:
        for c, t in load_pairs(path, part="test", stopwords=STOPWORDS):
            drop.update(align(c, t))
    return mine(load_pairs(path, part="train", stopwords=STOPWORDS), drop)


class TorturedMap:
    """The design over a mined word map."""

    name = NAME

    def __init__(self, word_map: WordMap, morph: Morph) -> None:
        self.map = word_map
        self.morph = morph
        self._memo: dict[str, tuple[tuple[str, int], ...]] = {}

    def entry(self, low: str) -> tuple[tuple[str, int], ...]:
        """Renderings of a word form: of the form itself, else (plural nouns) of its lemma,
        re-inflected. The list is mostly nouns and adjectives, so verb forms are only swapped
        where the form itself is listed."""
        got = self._memo.get(low)
        if got is None:
            got = tuple(self.map.get(low, ()))
            if not got:
                for a in self.morph.analyse(low):
                    if a.lemma != low and a.lemma in self.map and a.tag == "NNS":
                        forms = [
                            (f, n)
                            for b, n in self.map[a.lemma]
                            if (f := self.morph.inflect(b, a.pos, a.tag))
                        ]
                        if forms:
                            got = tuple(forms)
                            break
            self._memo[low] = got
        return got

    def units(self, tokens: Tokens, opts: SpinOptions) -> list[Unit]:
        """Content words with a map entry."""
        out = []
        for i, (tok, low) in enumerate(zip(tokens.toks, tokens.lows, strict=True)):
            if content_word(tok, low):
                e = self.entry(low)
                if e:
                    out.append(Unit(i, 1, e))
        return out

    def choose(
        self, tokens: Tokens, unit: Unit, opts: SpinOptions, rng: random.Random
    ) -> str | None:
        """The most frequent rendering, or one drawn by frequency."""
        entry: tuple[tuple[str, int], ...] = unit.data  # type: ignore[assignment]
        if opts.get("choice", "frequent") == "weighted":
            return rng.choices([b for b, _ in entry], weights=[n for _, n in entry])[0]
        return entry[0][0]

    def spin(self, text: str, seed: int, opts: SpinOptions) -> SpinResult:
        """Spin one passage."""
        return run(self, text, seed, opts)


@cache
def _load(path: str | None, data: str | None) -> TorturedMap:
    from tools.spinners.tortured_split import default_path

    p = path if path is not None else default_path(data)
    return TorturedMap(mine_file(p), Morph(Inflector.from_oewn(load_oewn(data))))


def load(
    data: str | os.PathLike[str] | None = None, path: str | os.PathLike[str] | None = None
) -> TorturedMap:
    """The design over the list in ``<data>/tortured-phrases`` (loaded once per process)."""
    return _load(None if path is None else str(path), None if data is None else str(data))
