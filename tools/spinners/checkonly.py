"""Spinner design ``checkonly``: for the test split and the demonstration paragraph ONLY.

Never used in train or valid (the corpus build refuses to), so it stands for a spinner the
detector has never seen. Its mechanism differs from every other design: it does not look up
synonyms at all, but rewrites through

* **WordNet graph walks** (OEWN; renderings of Zipf >= 3 only, words with an adjective
  reading left alone): a noun becomes a member of its grandparent synset
  (hypernym of the hypernym: "soldier" -> "serviceman") or of a hyponym ("car" -> "coupe");
  a verb becomes one of its troponyms ("walk" -> "stroll");
* **derivation**: an adverb in -ly whose adjective OEWN knows becomes a periphrasis
  ("quickly" -> "in a quick manner");
* **phrase-level rewrites**: "the X of the Y" -> "the Y's X" (word order changes), and a
  declared table of periphrases (:data:`REWRITES`) disjoint from the commercial design's.

Choice per passage (``options.walk``): ``up`` prefers grandparents, ``down`` hyponyms, ``mixed``
draws per word.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from functools import cache

from tools.inflect import Inflector
from tools.spinners.common import (
    Morph,
    SpinOptions,
    SpinResult,
    Tokens,
    Unit,
    content_word,
    context_pos,
    run,
)
from tools.thesaurus import OEWN, load_oewn

NAME = "checkonly"
MIN_ZIPF = 3.0  # graph-walk renderings rarer than this are not used ("osculate")
CHOICES = ("up", "down", "mixed")
#: Per-passage choices of this design (drawn by tools.spinners.draw, recorded in the corpus).
OPTIONS = {"walk": CHOICES}

#: Periphrases of this design (none shares a key with ``commercial.PHRASAL``).
REWRITES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("is", "able", "to"): ("has the capacity to",),
    ("are", "able", "to"): ("have the capacity to",),
    ("was", "able", "to"): ("had the capacity to",),
    ("in", "spite", "of"): ("notwithstanding",),
    ("a", "number", "of"): ("a quantity of",),
    ("as", "soon", "as"): ("the moment",),
    ("at", "the", "same"): ("at the identical",),
    ("on", "the", "other"): ("on the opposite",),
    ("in", "the", "end"): ("ultimately",),
    ("as", "a", "result"): ("consequently",),
    ("each", "other"): ("one another",),
    ("at", "first"): ("initially",),
    ("in", "fact"): ("as a matter of fact",),
    ("even", "though"): ("despite the fact that",),
    ("a", "few"): ("a handful of",),
    ("took", "part"): ("participated",),
    ("take", "part"): ("participate",),
    ("for", "the", "first"): ("for the initial",),
    ("more", "and", "more"): ("increasingly",),
    ("right", "now"): ("at the present moment",),
}


class Checkonly:
    """The design over OEWN's hypernym graph and a morphology."""

    name = NAME

    def __init__(
        self, oewn: OEWN, morph: Morph, zipf: Callable[[str], float] | None = None
    ) -> None:
        self.oewn = oewn
        self.morph = morph
        self.zipf = zipf
        self._children: dict[str, list[str]] = {}
        for sid, ss in oewn.synsets.items():
            for h in ss.hypernyms:
                self._children.setdefault(h, []).append(sid)
        for lst in self._children.values():
            lst.sort()
        self._memo: dict[tuple, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    # ---------------------------------------------------------------------- graph walks
    def _members(self, ids: list[str]) -> list[str]:
        out: list[str] = []
        for sid in ids:
            for m in self.oewn.synsets[sid].members:
                if m.islower() and m.count(" ") <= 1 and m.replace(" ", "").isalpha():
                    if self.zipf is None or self.zipf(m) >= MIN_ZIPF:
                        out.append(m)
        return out

    def walks(self, low: str, pos_allowed: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(grandparent renderings, hyponym renderings) of a word form, inflected like it."""
        key = (low, tuple(sorted(pos_allowed)))
        got = self._memo.get(key)
        if got is not None:
            return got
        up: dict[str, None] = {}
        down: dict[str, None] = {}
        analyses = self.morph.analyse(low)
        if any(a.pos == "a" for a in analyses):
            analyses = []  # "old", "local", "national": their noun senses are not what is meant
        for a in analyses:
            if a.pos not in pos_allowed or a.pos not in ("n", "v"):
                continue
            senses = self.oewn.senses(a.lemma, a.pos, case_sensitive=True)[:1]
            for ss in senses:
                if a.pos == "n":
                    grand = [g for h in ss.hypernyms for g in self.oewn.synsets[h].hypernyms]
                    for m in self._members(grand):
                        if (f := self.morph.inflect(m, a.pos, a.tag)) and m != a.lemma:
                            up[f] = None
                for m in self._members(self._children.get(ss.id, [])):
                    if (f := self.morph.inflect(m, a.pos, a.tag)) and m != a.lemma:
                        down[f] = None
        up.pop(low, None)
        down.pop(low, None)
        got = (tuple(up), tuple(down))
        self._memo[key] = got
        return got

    def _adverb(self, low: str) -> str | None:
        """ "quickly" -> "in a quick manner" when OEWN knows the adjective."""
        if not low.endswith("ly") or len(low) < 6:
            return None
        stem = low[:-2]
        for adj in (stem, stem[:-1] + "y" if stem.endswith("i") else "", stem + "e"):
            if adj and self.oewn.has_lemma(adj, "a"):
                art = "an" if adj[0] in "aeiou" else "a"
                return f"in {art} {adj} manner"
        return None

    # ------------------------------------------------------------------------ units
    def units(self, tokens: Tokens, opts: SpinOptions) -> list[Unit]:
        """Periphrasis keys, "the X of the Y", adverbs in -ly, nouns/verbs with graph walks."""
        out: list[Unit] = []
        n, lows, joined = len(tokens), tokens.lows, tokens.joined
        i = 0
        while i < n:
            hit: Unit | None = None
            for k in (3, 2):
                key = tuple(lows[i : i + k])
                if key in REWRITES and all(joined[j] for j in range(i + 1, i + k)):
                    hit = Unit(i, k, ("rewrite", REWRITES[key]))
                    break
            if hit is None and self._of_phrase(tokens, i):
                hit = Unit(i, 5, ("possessive", ()))
            if hit is None and content_word(tokens.toks[i], lows[i]):
                adv = self._adverb(lows[i])
                if adv and "r" in {a.pos for a in self.morph.analyse(lows[i])}:
                    hit = Unit(i, 1, ("derive", (adv,)))
                else:
                    analyses = self.morph.analyse(lows[i])
                    allowed = context_pos(analyses, tokens.prev(i), tokens.next(i))
                    up, down = self.walks(lows[i], allowed)
                    if up or down:
                        hit = Unit(i, 1, ("walk", (up, down)))
            if hit is not None:
                out.append(hit)
                i += hit.n
            else:
                i += 1
        return out

    def _of_phrase(self, tokens: Tokens, i: int) -> bool:
        """Tokens i..i+4 read "the NOUN of the NOUN" (plain spaces, lower case nouns)."""
        lows = tokens.lows
        if i + 5 > len(tokens) or lows[i] != "the" or lows[i + 2] != "of" or lows[i + 3] != "the":
            return False
        if not all(tokens.joined[j] for j in range(i + 1, i + 5)):
            return False
        for j in (i + 1, i + 4):
            t = tokens.toks[j]
            if not content_word(t, lows[j]) or t.text != lows[j]:
                return False
            if "n" not in {a.pos for a in self.morph.analyse(lows[j])}:
                return False
        return True

    def choose(
        self, tokens: Tokens, unit: Unit, opts: SpinOptions, rng: random.Random
    ) -> str | None:
        """The rewrite of a unit."""
        kind, data = unit.data  # type: ignore[misc]
        if kind == "possessive":
            owner = tokens.lows[unit.first + 4]
            owned = tokens.lows[unit.first + 1]
            mark = "'" if owner.endswith("s") else "'s"
            return f"the {owner}{mark} {owned}"
        if kind in ("rewrite", "derive"):
            return data[rng.randrange(len(data))]
        up, down = data
        walk = opts.get("walk", "mixed")
        if walk == "mixed":
            walk = "up" if rng.random() < 0.5 else "down"
        pool = (up or down) if walk == "up" else (down or up)
        return pool[rng.randrange(min(3, len(pool)))]

    def spin(self, text: str, seed: int, opts: SpinOptions) -> SpinResult:
        """Spin one passage."""
        return run(self, text, seed, opts)


def _refstats_zipf() -> Callable[[str], float]:
    """Zipf frequency of a word (multi-word: its rarest word) from the reference tables."""
    from mtdetect import refstats

    rs = refstats.load()
    return lambda phrase: float(rs.zipf(phrase.split()).min())


@cache
def _load(data: str | None) -> Checkonly:
    oewn = load_oewn(data)
    return Checkonly(oewn, Morph(Inflector.from_oewn(oewn)), _refstats_zipf())


def load(data: str | os.PathLike[str] | None = None) -> Checkonly:
    """The design over OEWN (loaded once per process)."""
    return _load(None if data is None else str(data))
