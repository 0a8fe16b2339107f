"""Word-level keys shared by retrieval, alignment and substitution: content words, stems,
names, numbers, and thesaurus links between words.

A rewrite keeps the *content* of its source and changes its wording, so every comparison of
two texts here runs on content words reduced to a key that survives rewording: the Snowball
(Porter 2) stem of the lower-cased word ("fighting" and "fight" share ``fight``), with numbers
kept whole. Function words carry little of the content and are what
translation rewrites most, so they are left out (scikit-learn's English stop-word list).

Two words are *linked* when the project's candidate table (``swaps.candidates()``: the
inverted thesaurus a spinner draws from, OEWN + MyThes) lists one as a candidate original of
the other: "massacre" and "carnage", "metropolis" and "city".
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

# A word: letters with inner apostrophes/hyphens, or a number (1,000  3.5  1990s).
WORD_RE = re.compile(r"\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s|%)?|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
#: Candidates considered per word (the table ranks them by how likely an original each is).
MAX_LINKS = 12


@cache
def stopwords() -> frozenset[str]:
    """English stop words (scikit-learn's list, the usual one in retrieval)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "also", "just", "like"}


@cache
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """The content key of a word: numbers as they are, words lower-cased and stemmed."""
    w = _POSSESSIVE.sub("", word.lower())
    if not w or w[0].isdigit():
        return w
    return _stemmer().stemWord(w.replace("’", "'"))


def is_content(lower: str) -> bool:
    """A word that carries content: not a stop word and not a one-letter word."""
    return lower[:1].isdigit() or (len(lower) > 1 and lower not in stopwords())


@lru_cache(maxsize=1 << 17)
def linked(word: str) -> tuple[str, ...]:
    """Candidate originals of a lower-cased word or phrase in the project's table (best first,
    at most :data:`MAX_LINKS`); empty for an unknown word."""
    from mtdetect import refstats, swaps

    words = word.split()
    if not 1 <= len(words) <= 3:
        return ()
    return tuple(swaps.candidates().lookup(words, refstats.load())[:MAX_LINKS])


@lru_cache(maxsize=1 << 17)
def linked_stems(word: str) -> frozenset[str]:
    """Stems of the one-word candidate originals of a word (for sentence matching)."""
    return frozenset(stem(c) for c in linked(word) if " " not in c) - {stem(word)}


def are_linked(a: str, b: str) -> bool:
    """Whether one of two lower-cased words/phrases is a thesaurus candidate of the other."""
    return b in linked(a) or a in linked(b)


def zipf(words: list[str]):
    """Zipf frequencies of words (0 for unknown), from the project's reference statistics."""
    from mtdetect import refstats

    return refstats.load().zipf(words)
