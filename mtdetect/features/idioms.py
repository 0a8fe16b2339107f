"""Idiom evidence: distorted English idioms and word-for-word renderings of foreign idioms.

- ``idiom.distorted``: a canonical English idiom with ONE content word swapped for a synonym,
  hypernym or related word ("kick the pail", "the tip of the ice mountain"), as thesaurus
  spinners and literal translation produce. Canonical idioms and ordinary English are not flagged:
  the swapped word must be a relative of the original (WordNet, or a neighbour in a word space
  of the reference LM), swaps that the trigram LM knows as ordinary English ("seize the
  chance") are excluded when the table is built, and the LM must prefer the idiom's word in the
  text (``swap_evidence``; by a wider margin in idioms of only two content words). In an idiom
  of three or more content words, any word of the same kind (WordNet lexicographer file and
  part of speech: "the early bird catches the beetle") may stand for one of them, with a wider
  margin still; such swaps are findings only (the feature values count the listed relatives).
- ``idiom.calque``: a foreign idiom rendered word for word, listed ("have tomatoes on one's
  eyes").
- ``idiom.unlisted``: the frame of an English idiom of three or more content words around a
  noun that is no relative of the idiom's ("don't count your invoices before they hatch"), which
  the LM finds far less likely than the idiom's: an unlisted calque or a distortion. Warning
  only, and a finding only (the feature values count distorted idioms and listed calques).

Tables: ``idioms_en.tsv`` / ``idiom_related.tsv`` (tools/build_idioms.py) and
``calques/<language>.tsv`` (written by hand, one file per source language).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from mtdetect import tagger
from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, per_1000
from mtdetect.findings import Finding
from mtdetect.idiomatch import DETERMINERS, KIND, OPEN, Entry, Match, matcher, swap_evidence
from mtdetect.lexicon import GRAMMAR_WORDS
from mtdetect.lexicon import LIGHT_WORDS as LIGHT
from mtdetect.morphology import inflect_like

LANGUAGES = {
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "pl": "Polish",
    "tr": "Turkish",
    "ar": "Arabic",
    "zh": "Chinese",
    "ja": "Japanese",
}
DISTORTED = Rule(
    id="idiom.distorted",
    kind="idiom",
    severity="warning",
    catches='an English idiom with one content word swapped for a related word ("kick the pail")',
    reasons={
        "swap": "Distorted idiom: '{found}' ({relation} of '{original}') replaces a word of the "
        "fixed expression '{idiom}'; English says '{english}'."
    },
    flags=(
        "Nobody wanted to talk about it, so he kept beating around the shrub all evening.",
        "The leaked memo was only the tip of the ice mountain.",
        "My grandfather kicked the pail last winter, at the age of ninety.",
    ),
    passes=(
        "Nobody wanted to talk about it, so he kept beating around the bush all evening.",
        "The leaked memo was only the tip of the iceberg.",
        "He kicked the ball over the fence and ran after it.",
    ),
)
CALQUE = Rule(
    id="idiom.calque",
    kind="idiom",
    severity="error",
    catches='a foreign idiom rendered word for word ("have tomatoes on one\'s eyes")',
    reasons={
        "calque": "{language} idiom rendered word for word ('{source}'); English says '{english}'."
    },
    score=0.9,
    flags=(
        "She must have tomatoes on her eyes if she cannot see what is going on.",
        "Take your coat, it is raining ropes outside.",
        "In the end the minister threw the sponge and resigned.",
    ),
    passes=(
        "She wrote the number on a piece of paper and left.",
        "It was raining heavily, so we stayed inside.",
        "At the end of the day, the minister threw in the towel and resigned.",
    ),
)
UNLISTED = Rule(
    id="idiom.unlisted",
    kind="idiom",
    severity="warning",
    catches="the frame of an English idiom around a noun English does not use in it, as a "
    'word-for-word rendering of a foreign idiom or a distorted idiom makes ("mind your own '
    'cabbages")',
    reasons={
        "open": "'{found}' stands where the fixed expression '{idiom}' has '{original}', and "
        "English does not say it: a foreign idiom rendered word for word, or a distorted "
        "idiom; English says '{english}'."
    },
    flags=(
        "Don't count your invoices before they hatch.",
        "At ninety he says you can't teach an old dog new spreadsheets.",
        "In this office the squeaky wheel gets the sausage.",
    ),
    passes=(
        "Don't count your chickens before they hatch.",
        "They counted the pancakes before breakfast.",
        "In this office the squeaky wheel gets the grease.",
    ),
)
#: LM evidence (log10, see mtdetect/idiomatch/evidence.py) a one-word swap needs to be flagged:
#: below it the swapped phrase is as ordinary as the idiom ("grabbed her by the shoulders")
MIN_SWAP_EVIDENCE = 0.5
#: the same in an idiom of two content words (light verbs aside): one is left to frame the
#: swap, and ordinary phrases fill such frames ("in the wrong spot", "close to the skin")
MIN_SWAP_EVIDENCE_SHORT = 2.0
#: the same for an open swap (any noun, no relation to the idiom's: the frame alone is the
#: evidence, so English must expect the idiom's word far more than the one in the text)
MIN_OPEN_EVIDENCE = 2.0
#: the same for a word of the same kind as the idiom's (any noun or verb of its WordNet file,
#: listed as a relative or not; idioms of three or more content words only): 2 of the 9 such
#: swaps of the human VALID documents reach it (tuned on them and the dev set)
MIN_KIND_EVIDENCE = 2.0
_NOUN, _PROPN = tagger.TAGS.index("NOUN"), tagger.TAGS.index("PROPN")
#: the tags a word of the idiom's part of speech (its related-table key's) may have
_POS_TAGS = {
    "n": frozenset({_NOUN, _PROPN}),
    "v": frozenset(tagger.TAGS.index(t) for t in ("VERB", "VBD", "VBN", "VBG")),
    "a": frozenset({tagger.TAGS.index("ADJ")}),
}
_DISPLAY = {"{sb}": "someone", "{sth}": "something", "{self}": "oneself"}
_RELATION = {
    "s": "a synonym",
    "h": "a broader word",
    "o": "a narrower word",
    "c": "a related word",
    "k": "a related word",
    "p": "a part or whole",
    "d": "a word used like it",
    "t": "a related word",
    KIND: "a word of the same kind",
}


def _common_noun(a: Analysis, tok: int) -> bool:
    """May token ``tok`` be a common noun in lower case (not a name, not a sentence's first
    word, whose case says nothing)? The tagger's lexicon must list it as a noun (or a name:
    "caterpillar" is listed as one for the company); a word it does not know may be one."""
    text = a.doc.tokens[tok].text
    if text[:1].isupper():
        return False
    pair = tagger.lexicon(a.res).pairs.get(text.lower())
    if pair is None:
        return not text.lower().endswith("ly")
    return _NOUN in pair or _PROPN in pair


def _modifies_next(a: Analysis, m: Match) -> bool:
    """Does the swapped word end the match and stand before a noun it modifies ("pulled the
    *cotton* sheet" is not "pull the plug": the idiom's last word is a head, the text's is a
    modifier)?"""
    sw = m.swap
    assert sw is not None
    last = max(i for i, el in enumerate(m.entry.elems) if not el.optional)
    if sw.elem != last or sw.tok_hi >= len(a.doc.tokens):
        return False
    nxt = a.doc.tokens[sw.tok_hi]
    if not nxt.is_word or nxt.lower in GRAMMAR_WORDS:
        return False
    pair = tagger.lexicon(a.res).pairs.get(nxt.lower)
    return pair is not None and (_NOUN in pair or _PROPN in pair)


def _kind_fits(a: Analysis, m: Match) -> bool:
    """Does a swap of a word of the same kind stand as the idiom's word did: in lower case, of
    its part of speech by the tagger's lexicon (a word it does not know may be), next to the pattern
    word after it (no word inserted after the swap: "the boys in blue" is not "my classmates
    once in a blue moon")?"""
    sw = m.swap
    assert sw is not None
    if a.doc.tokens[sw.tok_lo].text[:1].isupper():
        return False  # a name ("speaking a principally German language")
    key = dict(m.entry.rel_keys).get(sw.elem, "")
    tags = _POS_TAGS.get(key.rstrip("!").partition("/")[2])
    text = a.doc.tokens[sw.tok_lo].lower.removesuffix("'s")
    pair = tagger.lexicon(a.res).pairs.get(text)
    if tags is not None and pair is not None and tags.isdisjoint(pair):
        return False
    k = sw.elem + 1
    elems = m.entry.elems
    while k < len(elems) and elems[k].optional:
        k += 1
    if k == len(elems) or sw.tok_hi >= m.tok_end or elems[k].kind != "word":
        return True
    return a.doc.tokens[sw.tok_hi].lower in elems[k].forms


def swap_needs(a: Analysis, m: Match, canon: Sequence[Match]) -> float | None:
    """The LM evidence the one-swap match ``m`` needs to be flagged (the relation's margin),
    or ``None`` if it cannot be: the swapped word is part of a canonical idiom of ``canon``, an
    open swap puts no common noun where the idiom has one, a swap of any word modifies the
    noun after it, or a word of the same kind does not stand as the idiom's word did."""
    sw = m.swap
    assert sw is not None
    if any(c.tok_start < sw.tok_hi and sw.tok_lo < c.tok_end for c in canon):
        return None  # the swapped word belongs to a canonical English idiom
    if sw.relation == OPEN and not _common_noun(a, sw.tok_lo):
        return None
    if sw.relation in (OPEN, KIND) and _modifies_next(a, m):
        return None
    if sw.relation == KIND and not _kind_fits(a, m):
        return None
    if sw.relation == OPEN:
        return MIN_OPEN_EVIDENCE
    if sw.relation == KIND:
        return MIN_KIND_EVIDENCE
    return MIN_SWAP_EVIDENCE if _heavy_words(m.entry) >= 3 else MIN_SWAP_EVIDENCE_SHORT


def swap_flagged(a: Analysis, m: Match, canon: Sequence[Match]) -> bool:
    """Is the one-swap match ``m`` evidence enough to flag (the table build prunes with the
    same test): it may be (``swap_needs``) and the LM prefers the idiom's word by the
    relation's margin."""
    least = swap_needs(a, m, canon)
    return least is not None and swap_evidence(a.doc, m, a.rs) >= least


def _heavy_words(e: Entry) -> int:
    """The distinct required content words of ``e``, light verbs aside."""
    return len(
        {
            el.word
            for el in e.elems
            if el.kind == "word" and not el.optional and el.content and el.word not in LIGHT
        }
    )


class IdiomFamily(FeatureFamily):
    """Distorted English idioms and calques of foreign idioms."""

    name: ClassVar[str] = "idioms"
    explanation: ClassVar[str] = "distorted or word-for-word idioms"
    version: ClassVar[str] = "1"
    feature_names: ClassVar[tuple[str, ...]] = (
        "idiom_distorted_count",
        "idiom_distorted_per_1k",
        "idiom_calque_count",
        "idiom_calque_per_1k",
        "idiom_canonical_per_1k",
    )
    rules: ClassVar[tuple[Rule, ...]] = (DISTORTED, CALQUE, UNLISTED)
    # a listed calque (at least one per 1,000 words): 0 of 11,760 human passages of the corpus
    # (all splits)
    hard_rules: ClassVar[dict[str, tuple[str, ...]]] = {
        "translated/listed": ("idiom_calque_per_1k",)
    }

    def measure(self, a: Analysis) -> tuple[Sequence[float], list[Finding]]:
        """Match the idiom and calque tables; flag distortions and calques."""
        doc = a.doc
        matches = matcher(a.res).find(doc)
        canon = [m for m in matches if m.entry.kind == "idiom" and m.swap is None]
        findings: list[Finding] = []
        taken: list[tuple[int, int]] = []
        n_dist = n_calque = 0
        # listed calques first (the stronger evidence), longest first; then the rest left to
        # right, longest first
        order = sorted(
            matches,
            key=lambda m: (
                m.entry.kind != "calque",
                m.tok_start - m.tok_end if m.entry.kind == "calque" else 0,
                m.tok_start,
                m.tok_start - m.tok_end,
            ),
        )
        for m in order:
            if m.entry.kind == "idiom" and m.swap is None:
                continue
            if m.swap is not None:
                if not swap_flagged(a, m, canon):
                    continue
            elif any(c.tok_start <= m.tok_start and m.tok_end <= c.tok_end for c in canon):
                continue  # the calque is (part of) an English idiom
            if any(s < m.tok_end and m.tok_start < e for s, e in taken):
                continue
            f = self._calque(a, m) if m.entry.kind == "calque" else self._distorted(a, m)
            taken.append((m.tok_start, m.tok_end))
            findings.append(f)
            if m.entry.kind == "calque":
                n_calque += 1
            elif f.rule == DISTORTED.id and m.swap is not None and m.swap.relation != KIND:
                # open swaps and words of the same kind are findings only: the features stay
                # as trained
                n_dist += 1
        findings.sort(key=lambda f: (f.start, f.end))
        n = doc.n_words
        values = (
            float(n_dist),
            per_1000(n_dist, n),
            float(n_calque),
            per_1000(n_calque, n),
            per_1000(len({(c.tok_start, c.tok_end) for c in canon}), n),
        )
        return values, findings

    def _span(self, a: Analysis, m: Match) -> tuple[int, int]:
        return a.doc.tokens[m.tok_start].start, a.doc.tokens[m.tok_end - 1].end

    def _distorted(self, a: Analysis, m: Match) -> Finding:
        doc = a.doc
        sw = m.swap
        assert sw is not None
        start, end = self._span(a, m)
        last = doc.tokens[sw.tok_hi - 1]
        repl = inflect_like(sw.original, last.text, sw.related.split()[-1])
        if doc.tokens[sw.tok_lo].text[:1].isupper():
            repl = repl[:1].upper() + repl[1:]
        lo, hi = doc.tokens[sw.tok_lo].start, last.end
        suggestion = doc.text[start:lo] + repl + doc.text[hi:end]
        found = doc.text[lo:hi]
        shown = " ".join(_DISPLAY.get(w, w) for w in m.entry.pattern.split())
        reason = DISTORTED.reason(
            "swap",
            found=found,
            relation=_RELATION.get(sw.relation, "a related word"),
            original=sw.original,
            idiom=shown,
            english=suggestion,
        )
        if sw.relation == OPEN:
            reason = UNLISTED.reason(
                "open", found=found, idiom=shown, original=sw.original, english=suggestion
            )
            return UNLISTED.finding(a, start, end, reason, suggestion, 0.6)
        score = 0.85 if sw.relation in ("s", "t") else 0.7
        return DISTORTED.finding(a, start, end, reason, suggestion, score)

    def _calque(self, a: Analysis, m: Match) -> Finding:
        doc = a.doc
        e = m.entry
        start, end = self._span(a, m)
        suggestion = e.english
        first = e.elems[0]
        tok = doc.tokens[m.tok_start]
        head = e.english.split()[0]
        if (
            first.kind == "word"
            and not first.optional
            and tok.lower in first.forms
            and tok.lower != first.word
            and head not in DETERMINERS
            and (head in {"be", "have", "do"} or head not in GRAMMAR_WORDS)
        ):
            suggestion = inflect_like(e.english, tok.text, first.word)
        lang = LANGUAGES.get(e.lang, e.lang)
        reason = CALQUE.reason("calque", language=lang, source=e.source, english=e.english)
        return CALQUE.finding(a, start, end, reason, suggestion)
