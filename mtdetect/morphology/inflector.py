"""Rule-based English inflection and lemmatisation, enough to re-inflect thesaurus synonyms.

Used at build time by the spinner and the candidate-table builder (``tools/``); the irregular
forms are the inflection view of the one table of :mod:`mtdetect.morphology.table`, which the
idiom matcher reads too. Tags are Penn Treebank tags:

* nouns ``NN`` (singular) / ``NNS`` (plural)
* verbs ``VB`` (base, also for VBP), ``VBZ`` (-s), ``VBD`` (past), ``VBN`` (past participle),
  ``VBG`` (-ing)
* adjectives ``JJ`` / ``JJR`` / ``JJS``, adverbs ``RB`` / ``RBR`` / ``RBS``

``inflect("make an attempt", "v", "VBG") -> "making an attempt"``: multi-word entries inflect their
head (verbs: the first word; nouns: the last word, or the word before ``of``).
``Inflector(lexicon, forms).lemmatize("stopped") -> [Reading("stop", "v", "VBD"), ...]``: the
reverse, with candidates validated against a word list (e.g. OEWN lemmas) when one is given.
Irregular forms come from the one table and, optionally, from the OEWN
``form:`` lists (the WordNet exception lists), see :meth:`Inflector.from_oewn`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import NamedTuple

from mtdetect.morphology.rules import (
    BUILTIN,
    IRREGULAR_ADJ,
    NOUN_IRR_ALL,
    VERB_IRR_ALL,
    VOWELS,
    compare,
    english_plural,
    gerund,
    past_regular,
    plural,
    third_person,
)
from mtdetect.morphology.table import BE_ING, BE_PAST, SPECIAL_PRESENT, SPECIAL_VBZ

Lexicon = Callable[[str, str], bool]

#: Base tag of each coarse POS and the tags each POS accepts.
BASE_TAG = {"n": "NN", "v": "VB", "a": "JJ", "r": "RB"}
TAGS = {
    "n": ("NN", "NNS"),
    "v": ("VB", "VBZ", "VBD", "VBN", "VBG"),
    "a": ("JJ", "JJR", "JJS"),
    "r": ("RB", "RBR", "RBS"),
}
_TAG_POS = {t: p for p, ts in TAGS.items() for t in ts} | {"VBP": "v"}


class Reading(NamedTuple):
    """One reading of a word form: lemma, coarse POS (n/v/a/r) and Penn tag."""

    lemma: str
    pos: str
    tag: str


# ------------------------------------------------------------------------------ Inflector


class Inflector:
    """Inflects lemmas and lemmatises forms; optionally backed by a lexicon and OEWN forms.

    ``lexicon(lemma, pos) -> bool`` validates lemmatiser candidates; ``forms`` maps
    ``(lemma, pos)`` to irregular/spelled-out forms (OEWN ``form:`` lists).
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        forms: Mapping[tuple[str, str], Iterable[str]] | None = None,
    ) -> None:
        self.lexicon = lexicon
        self._forms: dict[tuple[str, str], dict[str, str]] = {}
        self._reverse: dict[str, list[Reading]] = {}
        if forms:
            for (lemma, pos), fs in forms.items():
                if lemma in BUILTIN.get(pos, ()):
                    continue  # the built-in tables know these better (be, have, man, good...)
                self._add_forms(lemma, pos, list(fs))
        # built-in tables take precedence (added last, overwrite)
        for base, (pasts, pps) in VERB_IRR_ALL.items():
            d = self._forms.setdefault((base, "v"), {})
            d["VBD"], d["VBN"] = pasts[0], pps[0]
            for p in pasts:
                self._add_reverse(p, base, "v", "VBD")
            for p in pps:
                self._add_reverse(p, base, "v", "VBN")
        for form, base in SPECIAL_PRESENT.items():
            tag = "VB" if form in ("am", "are") else "VBZ"
            self._add_reverse(form, base, "v", tag)
        for base, form in SPECIAL_VBZ.items():
            self._forms.setdefault((base, "v"), {})["VBZ"] = form
        self._forms.setdefault(("be", "v"), {})["VBD"] = "was"
        self._add_reverse(BE_PAST, "be", "v", "VBD")
        self._add_reverse(BE_ING, "be", "v", "VBG")
        for base, plurals in NOUN_IRR_ALL.items():
            self._forms.setdefault((base, "n"), {})["NNS"] = plurals[0]
            for p in plurals:
                self._add_reverse(p, base, "n", "NNS")
        for base, (comp, sup) in IRREGULAR_ADJ.items():
            for pos in ("a", "r"):
                d = self._forms.setdefault((base, pos), {})
                d[TAGS[pos][1]], d[TAGS[pos][2]] = comp, sup
                self._add_reverse(comp, base, pos, TAGS[pos][1])
                self._add_reverse(sup, base, pos, TAGS[pos][2])

    @classmethod
    def from_oewn(cls, oewn: object) -> Inflector:
        """Build an inflector validated by OEWN lemmas and using its irregular forms."""
        has = oewn.has_lemma  # type: ignore[attr-defined]
        return cls(lexicon=lambda lemma, pos: has(lemma, pos), forms=oewn.forms)  # type: ignore[attr-defined]

    # ----------------------------------------------------------------- form tables
    def _add_reverse(self, form: str, lemma: str, pos: str, tag: str) -> None:
        lst = self._reverse.setdefault(form, [])
        a = Reading(lemma, pos, tag)
        if a not in lst:
            lst.append(a)

    def _add_forms(self, lemma: str, pos: str, forms: list[str]) -> None:
        """Classify an unordered OEWN form list into tags."""
        d = self._forms.setdefault((lemma, pos), {})
        if pos == "n":
            for f in forms:
                if english_plural(lemma, f):
                    d.setdefault("NNS", f)
                self._add_reverse(f, lemma, "n", "NNS")
        elif pos in ("a", "r"):
            comp, sup = TAGS[pos][1], TAGS[pos][2]
            for f in forms:
                tag = sup if f.endswith("st") else comp
                d.setdefault(tag, f)
                self._add_reverse(f, lemma, pos, tag)
        elif pos == "v":
            other = []
            for f in forms:
                if f.endswith("ing"):
                    d.setdefault("VBG", f)
                    self._add_reverse(f, lemma, "v", "VBG")
                elif f.endswith("ed"):
                    d.setdefault("VBD", f)
                    d.setdefault("VBN", f)
                    self._add_reverse(f, lemma, "v", "VBD")
                    self._add_reverse(f, lemma, "v", "VBN")
                elif f.endswith("s") and f[:-1].startswith(lemma[:-1]) and len(f) > len(lemma):
                    d.setdefault("VBZ", f)
                    self._add_reverse(f, lemma, "v", "VBZ")
                else:
                    other.append(f)
            if len(other) == 1:
                d.setdefault("VBD", other[0])
                d.setdefault("VBN", other[0])
                self._add_reverse(other[0], lemma, "v", "VBD")
                self._add_reverse(other[0], lemma, "v", "VBN")
            elif len(other) >= 2:
                pps = [f for f in other if f.endswith("n")]
                pasts = [f for f in other if not f.endswith("n")]
                for f in pasts:
                    d.setdefault("VBD", f)
                    self._add_reverse(f, lemma, "v", "VBD")
                for f in pps:
                    d.setdefault("VBN", f)
                    self._add_reverse(f, lemma, "v", "VBN")

    # ------------------------------------------------------------------- inflection
    def inflect_word(self, lemma: str, pos: str, tag: str) -> str:
        """Inflect a single word ``lemma`` of coarse ``pos`` to Penn ``tag``."""
        if tag == "VBP":
            tag = "VB"
        if tag == BASE_TAG.get(pos):
            return lemma
        known = self._forms.get((lemma, pos))
        if known and tag in known:
            return known[tag]
        if pos == "n" and tag == "NNS":
            return plural(lemma)
        if pos == "v":
            if tag == "VBZ":
                return third_person(lemma)
            if tag in ("VBD", "VBN"):
                return past_regular(lemma)
            if tag == "VBG":
                return gerund(lemma)
        if pos in ("a", "r") and tag in ("JJR", "JJS", "RBR", "RBS"):
            sup = tag.endswith("S")
            if pos == "r" and lemma.endswith("ly"):
                return ("most " if sup else "more ") + lemma
            return compare(lemma, sup)
        raise ValueError(f"cannot inflect {lemma!r} ({pos}) to {tag}")

    def inflect(self, phrase: str, pos: str, tag: str) -> str:
        """Inflect a (possibly multi-word) lemma; the head word carries the inflection.

        Verbs inflect their first word (``make an attempt`` -> ``making an attempt``), nouns
        their last word, or the word before ``of`` (``point of view`` -> ``points of view``);
        multi-word adjectives/adverbs take ``more``/``most``.
        """
        words = phrase.split(" ")
        if len(words) == 1:
            return self.inflect_word(phrase, pos, tag)
        if tag == BASE_TAG.get(pos) or tag == "VBP":
            return phrase
        if pos == "v":
            return " ".join([self.inflect_word(words[0], "v", tag), *words[1:]])
        if pos == "n":
            head = len(words) - 1
            if "of" in words[1:]:
                head = words.index("of", 1) - 1
            words[head] = self.inflect_word(words[head], "n", tag)
            return " ".join(words)
        sup = tag.endswith("S")
        return ("most " if sup else "more ") + phrase

    # ------------------------------------------------------------------ lemmatising
    def _ok(self, lemma: str, pos: str) -> bool:
        return len(lemma) > 1 and (self.lexicon is None or self.lexicon(lemma, pos))

    def lemmatize(self, word: str, pos: str | None = None) -> list[Reading]:
        """All readings of ``word`` (lowercase it first for sentence-initial words).

        Candidates come from irregular tables, OEWN forms and suffix rules; with a lexicon only
        lemmas it knows are returned. Regular ``-ed`` forms are returned as VBD and VBN.
        """
        out: list[Reading] = []

        def add(lemma: str, p: str, tag: str) -> None:
            if (pos is None or p == pos) and self._ok(lemma, p):
                a = Reading(lemma, p, tag)
                if a not in out:
                    out.append(a)

        w = word
        for p in ("n", "v", "a", "r"):
            add(w, p, BASE_TAG[p])
        for a in self._reverse.get(w, ()):
            if pos is None or a.pos == pos:
                if self.lexicon is None or self.lexicon(a.lemma, a.pos):
                    if a not in out:
                        out.append(a)
        if not w.isalpha() and "-" not in w:
            return out
        # nouns / 3rd person verbs
        if w.endswith("s") and not w.endswith("ss") and len(w) > 2:
            cands = [w[:-1]]
            if w.endswith("es"):
                cands.append(w[:-2])
            if w.endswith("ies") and len(w) > 4:
                cands.append(w[:-3] + "y")
            if w.endswith("ves"):
                cands += [w[:-3] + "f", w[:-3] + "fe"]
            for c in cands:
                add(c, "n", "NNS")
                add(c, "v", "VBZ")
        if w.endswith("men") and len(w) > 4:
            add(w[:-3] + "man", "n", "NNS")
        if w.endswith("ed") and len(w) > 3:
            cands = [w[:-2], w[:-1]]
            if w.endswith("ied"):
                cands.append(w[:-3] + "y")
            if len(w) > 4 and w[-3] == w[-4] and w[-3] not in VOWELS:
                cands.append(w[:-3])
            if w.endswith("cked"):
                cands.append(w[:-3])
            for c in cands:
                add(c, "v", "VBD")
                add(c, "v", "VBN")
        if w.endswith("ing") and len(w) > 4:
            stem = w[:-3]
            cands = [stem, stem + "e"]
            if stem.endswith("y"):
                cands.append(stem[:-1] + "ie")
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
                cands.append(stem[:-1])
            if stem.endswith("ck"):
                cands.append(stem[:-1])
            for c in cands:
                add(c, "v", "VBG")
        for suf, tags in (("est", ("JJS", "RBS")), ("er", ("JJR", "RBR"))):
            if w.endswith(suf) and len(w) > len(suf) + 2:
                stem = w[: -len(suf)]
                cands = [stem, stem + "e"]
                if stem.endswith("i"):
                    cands.append(stem[:-1] + "y")
                if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
                    cands.append(stem[:-1])
                for c in cands:
                    add(c, "a", tags[0])
                    add(c, "r", tags[1])
        return out


@cache
def _default() -> Inflector:
    """The inflector of the built-in tables (built on first use)."""
    return Inflector()


def inflect(phrase: str, pos: str, tag: str) -> str:
    """Inflect ``phrase`` with the built-in tables only (see :meth:`Inflector.inflect`)."""
    return _default().inflect(phrase, pos, tag)


def lemmatize(word: str, pos: str | None = None, lexicon: Lexicon | None = None) -> list[Reading]:
    """Lemmatise ``word``; without ``lexicon`` the rule candidates are not validated."""
    if lexicon is None:
        return _default().lemmatize(word, pos)
    return Inflector(lexicon=lexicon).lemmatize(word, pos)


def tag_pos(tag: str) -> str:
    """Coarse POS (n/v/a/r) of a Penn tag."""
    return _TAG_POS[tag]
