"""Idiom evidence: distorted English idioms and word-for-word renderings of foreign idioms.

- ``idiom.distorted``: a canonical English idiom with ONE content word swapped for a synonym,
  hypernym or related word ("kick the pail", "the tip of the ice mountain"), as thesaurus
  spinners and literal translation produce. Canonical idioms and ordinary English are not flagged:
  the swapped word must be a WordNet relative of the original, and swaps that the trigram LM knows
  as ordinary English ("seize the chance") are excluded when the table is built.
- ``idiom.calque``: a foreign idiom rendered word for word ("have tomatoes on one's eyes").

Tables: ``idioms_en.tsv`` / ``idiom_related.tsv`` (tools/build_idioms.py) and ``calques.tsv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, per_1000
from mtdetect.findings import Finding
from mtdetect.idiomatch import DETERMINERS, Match, matcher
from mtdetect.lexicon import GRAMMAR_WORDS
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
_DISPLAY = {"{sb}": "someone", "{sth}": "something", "{self}": "oneself"}
_RELATION = {
    "s": "a synonym",
    "h": "a broader word",
    "o": "a narrower word",
    "c": "a related word",
    "t": "a related word",
}


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
    rules: ClassVar[tuple[Rule, ...]] = (DISTORTED, CALQUE)
    # a listed calque: 0 of 11,760 human passages of the corpus (all splits)
    hard_rules: ClassVar[dict[str, tuple[str, ...]]] = {
        "translated/listed": ("idiom_calque_count",)
    }

    def measure(self, a: Analysis) -> tuple[Sequence[float], list[Finding]]:
        """Match the idiom and calque tables; flag distortions and calques."""
        doc = a.doc
        matches = matcher(a.res).find(doc)
        canon = [m for m in matches if m.entry.kind == "idiom" and m.swap is None]
        findings: list[Finding] = []
        taken: list[tuple[int, int]] = []
        n_dist = n_calque = 0
        for m in sorted(matches, key=lambda m: (m.tok_start, -(m.tok_end - m.tok_start))):
            if m.entry.kind == "idiom" and m.swap is None:
                continue
            if m.swap is not None:
                lo, hi = m.swap.tok_lo, m.swap.tok_hi
                if any(c.tok_start < hi and lo < c.tok_end for c in canon):
                    continue  # the swapped word belongs to a canonical English idiom
            elif any(c.tok_start <= m.tok_start and m.tok_end <= c.tok_end for c in canon):
                continue  # the calque is (part of) an English idiom
            if any(s < m.tok_end and m.tok_start < e for s, e in taken):
                continue
            f = self._calque(a, m) if m.entry.kind == "calque" else self._distorted(a, m)
            taken.append((m.tok_start, m.tok_end))
            findings.append(f)
            if m.entry.kind == "calque":
                n_calque += 1
            else:
                n_dist += 1
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
