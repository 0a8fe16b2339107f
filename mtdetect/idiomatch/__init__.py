"""Tolerant matching of fixed expressions (English idioms and calques) against a Document:
the pattern language (:mod:`.patterns`), the matcher (:mod:`.matcher`) and the shipped tables
(:mod:`.tables`); the forms a pattern word may take come from :mod:`mtdetect.morphology`."""

from mtdetect.idiomatch.evidence import swap_evidence
from mtdetect.idiomatch.matcher import KIND, OPEN, Matcher
from mtdetect.idiomatch.patterns import (
    DETERMINERS,
    SLOT_WORDS,
    Elem,
    Entry,
    Match,
    Swap,
    compile_pattern,
)
from mtdetect.idiomatch.tables import (
    load_entries,
    matcher,
    read_calques,
    read_matcher,
    related_words,
)

__all__ = [
    "DETERMINERS",
    "KIND",
    "OPEN",
    "SLOT_WORDS",
    "Elem",
    "Entry",
    "Match",
    "Matcher",
    "Swap",
    "compile_pattern",
    "load_entries",
    "matcher",
    "read_calques",
    "read_matcher",
    "related_words",
    "swap_evidence",
]
