"""Spinner design ``commercial``: a flat, context-free spinner dictionary, as cheap spinners use.

Commercial article spinners look every word up in a dictionary of replacements, with no sense
disambiguation and no look at the context: "hard" in "working hard" becomes an adjective
synonym ("working laborious"), "Today" in "Russia Today" becomes "At this time", and
multi-word renderings are favoured because they change more of the text ("making an attempt",
"in opposition to", "put together", "marketing campaign", "troopers"). This design imitates
that:

* **Dictionary.** :data:`PHRASAL`, a small declared table of the multi-word and light-verb
  renderings such dictionaries carry and thesauri lack (written for this project), comes first;
  then the MyThes synonyms (Debian ``mythes-en-us``, file order) of the headword's *dominant*
  part of speech, the one with most senses, whatever the context; substitutes rarer than
  Zipf :data:`MIN_ZIPF` are dropped.
* **Choice** (per passage, ``options.choice``): ``first`` listed, first ``phrase`` (multi-word)
  rendering, most ``frequent`` (Zipf), or ``random`` among the first four. Every occurrence of a
  word in a passage gets the same substitute, as a dictionary lookup does.
* **Units**: the table's multi-word keys ("in order to"), then single words with an entry.
  With broken names, capitalised words inside sentences are looked up too ("the Home voted",
  "Getty Photos", "Senate Majority Chief").
"""

from __future__ import annotations

import os
import random
from functools import cache

from tools.inflect import Inflector
from tools.spinners.common import (
    Morph,
    SpinOptions,
    SpinResult,
    Tokens,
    Unit,
    content_word,
    run,
)
from tools.thesaurus import Mythes, load_mythes, load_oewn

NAME = "commercial"
MIN_ZIPF = 2.5
CHOICES = ("first", "phrase", "frequent", "random")
#: Per-passage choices of this design (drawn by tools.spinners.draw, recorded in the corpus).
OPTIONS = {"choice": CHOICES}

#: ``(headword, pos) -> renderings``; pos ``x`` = not inflected (function words, phrases).
#: Verbs inflect their first word ("make an attempt" -> "making an attempt"), nouns the last.
PHRASAL: dict[tuple[str, str], tuple[str, ...]] = {
    # function words and connectives
    ("against", "x"): ("in opposition to", "towards"),
    ("today", "x"): ("at this time", "as we speak"),
    ("now", "x"): ("at this time", "at present"),
    ("because", "x"): ("as a result of", "due to the fact that"),
    ("however", "x"): ("nonetheless", "nevertheless"),
    ("also", "x"): ("additionally", "moreover"),
    ("before", "x"): ("earlier than", "previous to"),
    ("during", "x"): ("throughout", "in the course of"),
    ("within", "x"): ("inside", "inside of"),
    ("without", "x"): ("with out", "with none"),
    ("around", "x"): ("round", "roughly"),
    ("despite", "x"): ("regardless of", "in spite of"),
    ("while", "x"): ("whereas", "whilst"),
    ("still", "x"): ("nonetheless", "nonetheless"),
    ("several", "x"): ("a number of", "a lot of"),
    ("including", "x"): ("together with", "along with"),
    ("enough", "x"): ("sufficient", "adequate"),
    ("recently", "x"): ("lately", "not too long ago"),
    ("often", "x"): ("usually", "typically"),
    ("really", "x"): ("actually", "truly"),
    ("according to", "x"): ("in accordance with", "in line with"),
    ("in order to", "x"): ("so as to", "with a purpose to"),
    ("as well as", "x"): ("in addition to", "along with"),
    ("because of", "x"): ("on account of", "due to"),
    ("more than", "x"): ("greater than", "over"),
    ("so far", "x"): ("to date", "thus far"),
    ("at least", "x"): ("no less than", "not less than"),
    ("for example", "x"): ("for instance", "as an illustration"),
    ("a lot of", "x"): ("a whole lot of", "plenty of"),
    # light verbs and phrasal renderings
    ("try", "v"): ("make an attempt", "attempt"),
    ("prepare", "v"): ("put together", "get ready"),
    ("leave", "v"): ("depart", "go away"),
    ("help", "v"): ("assist", "help out"),
    ("use", "v"): ("make use of", "utilize"),
    ("get", "v"): ("get hold of", "obtain"),
    ("focus", "v"): ("give attention to", "concentrate"),
    ("reduce", "v"): ("scale back", "cut back"),
    ("stop", "v"): ("cease", "halt"),
    ("say", "v"): ("state", "mention"),
    ("tell", "v"): ("inform", "let know"),
    ("show", "v"): ("present", "reveal"),
    ("include", "v"): ("embrace", "comprise"),
    ("announce", "v"): ("introduce", "declare"),
    ("need", "v"): ("want", "require"),
    ("think", "v"): ("assume", "suppose"),
    ("find", "v"): ("discover", "uncover"),
    ("keep", "v"): ("preserve", "maintain"),
    ("buy", "v"): ("purchase", "buy up"),
    ("start", "v"): ("begin", "kick off"),
    ("continue", "v"): ("proceed", "keep on"),
    ("expect", "v"): ("anticipate", "count on"),
    ("allow", "v"): ("permit", "enable"),
    ("remain", "v"): ("stay", "keep"),
    ("provide", "v"): ("present", "supply"),
    ("improve", "v"): ("enhance", "enhance"),
    ("receive", "v"): ("obtain", "acquire"),
    ("claim", "v"): ("declare", "assert"),
    ("attack", "v"): ("assault", "strike"),
    # nouns and adjectives spinner dictionaries are known for
    ("campaign", "n"): ("marketing campaign", "advertising campaign"),
    ("soldier", "n"): ("trooper", "serviceman"),
    ("leader", "n"): ("chief", "chief"),
    ("house", "n"): ("home", "residence"),
    ("image", "n"): ("photo", "picture"),
    ("city", "n"): ("metropolis", "town"),
    ("people", "n"): ("individuals", "folks"),
    ("government", "n"): ("authorities", "administration"),
    ("country", "n"): ("nation", "nation"),
    ("company", "n"): ("firm", "agency"),
    ("problem", "n"): ("drawback", "downside"),
    ("issue", "n"): ("situation", "difficulty"),
    ("result", "n"): ("end result", "consequence"),
    ("way", "n"): ("method", "approach"),
    ("woman", "n"): ("lady", "girl"),
    ("child", "n"): ("youngster", "little one"),
    ("car", "n"): ("automotive", "automobile"),
    ("money", "n"): ("cash", "funds"),
    ("worker", "n"): ("employee", "staff member"),
    ("last", "a"): ("final", "previous"),
    ("next", "a"): ("subsequent", "following"),
    ("big", "a"): ("massive", "huge"),
    ("large", "a"): ("giant", "massive"),
    ("important", "a"): ("vital", "necessary"),
    ("different", "a"): ("totally different", "completely different"),
    ("quickly", "r"): ("shortly", "rapidly"),
}


class Commercial:
    """The design: dictionary look-ups over MyThes and :data:`PHRASAL`."""

    name = NAME

    def __init__(self, mythes: Mythes, morph: Morph, zipf: dict[str, float] | None = None) -> None:
        self.mythes = mythes
        self.morph = morph
        self._zipf = zipf
        self._table: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for (head, pos), subs in PHRASAL.items():
            if " " in head:
                self.phrases[tuple(head.split())] = subs
            else:
                self._table.setdefault(head, []).append((pos, subs))
        self._memo: dict[str, tuple[str, ...]] = {}

    # --------------------------------------------------------------------- dictionary
    def zipf(self, phrase: str) -> float:
        """Zipf frequency of a word (multi-word: its rarest word), from the reference tables."""
        if self._zipf is not None:
            return min(self._zipf.get(w, 0.0) for w in phrase.split())
        from mtdetect import refstats

        return float(refstats.load().zipf(phrase.split()).min())

    def entry(self, low: str) -> tuple[str, ...]:
        """The dictionary entry of a word form: its renderings, inflected like the form."""
        got = self._memo.get(low)
        if got is None:
            got = self._lookup(low)
            self._memo[low] = got
        return got

    def _lookup(self, low: str) -> tuple[str, ...]:
        out: dict[str, None] = {}
        for pos, subs in self._table.get(low, ()):
            if pos == "x":
                out.update(dict.fromkeys(subs))
        analyses = self.morph.analyse(low)
        # the dominant part of speech among the form's readings, whatever the context: the one
        # with most thesaurus senses (a table entry makes a reading count too)
        weights: dict[str, int] = {}
        for a in analyses:
            n = self.mythes.sense_counts(a.lemma).get(a.pos, 0)
            if n or any(pos == a.pos for pos, _ in self._table.get(a.lemma, ())):
                weights[a.pos] = max(weights.get(a.pos, 0), n)
        if weights:
            top = max(sorted(weights), key=lambda p: weights[p])
            a = sorted((a for a in analyses if a.pos == top), key=lambda a: a.lemma != low)[0]
            for pos, subs in self._table.get(a.lemma, ()):
                if pos == top:
                    out.update(dict.fromkeys(self._inflected(subs, a.pos, a.tag)))
            syns = [
                t
                for t, _r in self.mythes.synonyms(a.lemma, top, relations=("synonym",))
                if t.islower() and t.replace(" ", "").replace("-", "").isalpha()
            ]
            for form in self._inflected(syns, a.pos, a.tag):
                if self.zipf(form) >= MIN_ZIPF:
                    out[form] = None
        out.pop(low, None)
        return tuple(out)

    def _inflected(self, lemmas: tuple[str, ...] | list[str], pos: str, tag: str) -> list[str]:
        forms = (self.morph.inflect(s, pos, tag) for s in lemmas)
        return [f for f in forms if f]

    # ------------------------------------------------------------------------ units
    def units(self, tokens: Tokens, opts: SpinOptions) -> list[Unit]:
        """Multi-word keys of the table, then words with a dictionary entry."""
        out: list[Unit] = []
        n = len(tokens)
        i = 0
        while i < n:
            hit = None
            for k in (3, 2):
                key = tuple(tokens.lows[i : i + k])
                if (
                    len(key) == k
                    and key in self.phrases
                    and all(tokens.joined[j] for j in range(i + 1, i + k))
                ):
                    hit = Unit(i, k, self.phrases[key])
                    break
            if hit is None:
                low, tok = tokens.lows[i], tokens.toks[i]
                # stop words only through the table ("against", "however")
                if content_word(tok, low) or (low in self._table and tok.text.isalpha()):
                    entry = self.entry(low)
                    if entry:
                        hit = Unit(i, 1, entry)
            if hit is not None:
                out.append(hit)
                i += hit.n
            else:
                i += 1
        return out

    def choose(
        self, tokens: Tokens, unit: Unit, opts: SpinOptions, rng: random.Random
    ) -> str | None:
        """The substitute the passage's choice rule takes from the entry."""
        entry: tuple[str, ...] = unit.data  # type: ignore[assignment]
        rule = opts.get("choice", "first")
        if rule == "phrase":
            return next((e for e in entry if " " in e), entry[0])
        if rule == "frequent":
            return max(entry, key=lambda e: (self.zipf(e), -entry.index(e)))
        if rule == "random":
            # one draw per word form and passage: a dictionary gives every occurrence alike
            key = tokens.span_text(unit.first, unit.n).lower()
            pick = random.Random(f"{tokens.text}|{key}|{opts.key()}")
            return entry[pick.randrange(min(4, len(entry)))]
        return entry[0]

    def spin(self, text: str, seed: int, opts: SpinOptions) -> SpinResult:
        """Spin one passage."""
        return run(self, text, seed, opts)


@cache
def _load(mythes_path: str | None, data: str | None) -> Commercial:
    mythes = load_mythes(mythes_path)
    oewn = load_oewn(data)
    morph = Morph(Inflector.from_oewn(oewn))
    return Commercial(mythes, morph)


def load(
    data: str | os.PathLike[str] | None = None, mythes_path: str | os.PathLike[str] | None = None
) -> Commercial:
    """The design over MyThes and OEWN's inflection forms (loaded once per process)."""
    return _load(
        None if mythes_path is None else str(mythes_path), None if data is None else str(data)
    )
