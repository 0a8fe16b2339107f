"""A small part-of-speech tagger: the most frequent tag of each word, a suffix model for unknown
words and four context rules.

The lexicon ``pos_lexicon.tsv`` (built by ``tools/build_tagger.py`` from Brown and CoNLL-2000)
gives each word its most frequent coarse tag and, for ambiguous words, a second one; suffixes of
rare words give a guess for words it lacks. :func:`tag_words` tags the words of a document at
once, with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtdetect import resources

#: Coarse tag set of the tagger (word tags, then punctuation classes of the token stream).
TAGS = (
    "DET",
    "POSS",
    "PRON",
    "NOUN",
    "PROPN",
    "ADJ",
    "ADV",
    "VERB",
    "VBD",
    "VBN",
    "VBG",
    "AUX",
    "MD",
    "NEG",
    "ADP",
    "CONJ",
    "SCONJ",
    "TO",
    "WH",
    "NUM",
    "X",
    "COMMA",
    "PUNCT",
)
T = {t: i for i, t in enumerate(TAGS)}
AUX_WORDS = frozenset(
    """be am is are was were been being have has had having do does did
    's 're 've 'm 'd""".split()
)
LEXICON = "pos_lexicon.tsv"


def tag_set(*names: str) -> np.ndarray:
    """Boolean look-up table over tag codes; one extra False entry so that -1 reads False."""
    out = np.zeros(len(TAGS) + 1, dtype=bool)
    out[[T[n] for n in names]] = True
    return out


#: content words: nouns, adjectives, adverbs and lexical verbs
IS_CONTENT = tag_set("NOUN", "ADJ", "ADV", "VERB", "VBD", "VBN", "VBG")
_NAME_CONTENT = tag_set("NOUN", "ADJ", "VERB", "VBD", "VBN", "VBG")
_DET_LIKE = tag_set("DET", "POSS", "ADJ")
_VERB_CTX = tag_set("TO", "MD")
_PRON_LIKE = tag_set("PRON", "PROPN")
_NO_PAIR = (-1, -1)


@dataclass(frozen=True)
class Lexicon:
    """word → tag, word → second tag, suffix → tag; ``pairs``: word → (tag, second tag or -1)
    (-1 for a word only the second-tag table has)."""

    lex: dict[str, int]
    alt: dict[str, int]
    suf: dict[str, int]
    pairs: dict[str, tuple[int, int]]


def parse_lexicon(rows: list[list[str]]) -> Lexicon:
    """The lexicon of the rows of ``pos_lexicon.tsv``: ``word, tag[, second tag]``, and
    ``-suffix, tag`` for the suffixes of rare words."""
    lex: dict[str, int] = {}
    alt: dict[str, int] = {}
    suf: dict[str, int] = {}
    for parts in rows:
        if parts[0][:1] == "-" and len(parts) == 2 and parts[0][1:].isalpha():
            suf[parts[0][1:]] = T[parts[1]]
            continue
        lex[parts[0]] = T[parts[1]]
        if len(parts) > 2 and parts[2]:
            alt[parts[0]] = T[parts[2]]
    pairs = {w: (lex.get(w, -1), alt.get(w, -1)) for w in lex.keys() | alt.keys()}
    return Lexicon(lex, alt, suf, pairs)


def read_lexicon(path: Path) -> Lexicon:
    return parse_lexicon(resources.rows(path))


def lexicon(res: resources.Resources = resources.SHIPPED) -> Lexicon:
    """The lexicon of ``res`` (by default the shipped one)."""
    return res.get(LEXICON, read_lexicon)


def _guess(word: str, low: str, initial: bool, lex: dict, suf: dict) -> int:
    """Tag of a word the lexicon lacks."""
    if low[0].isdigit():
        return T["NUM"]
    if low.endswith("'s") and low[:-2] in lex:
        t = lex[low[:-2]]
        return t if t in (T["NOUN"], T["PROPN"]) else T["PRON"]
    if "-" in low:
        last = low.rsplit("-", 1)[1]
        if last in lex:
            t = lex[last]
            return t if t != T["PROPN"] else T["ADJ"]
        low = last or low
    if word[0].isupper() and not initial:
        return T["PROPN"]
    if word[0].isupper() and (len(word) > 1 and word[1:].islower()) and initial:
        # a capitalised sentence-initial word we do not know is most often a name
        return T["PROPN"]
    for k in (4, 3, 2, 1):
        t = suf.get(low[-k:])
        if t is not None:
            return t
    return T["NOUN"]


def tag_words(
    lx: Lexicon, norms: list[str], words: list[str], first: np.ndarray, cap: np.ndarray
) -> np.ndarray:
    """Coarse tag code (index into TAGS) of every word of a document: ``norms`` its normalised
    text, ``words`` the same lower-cased, ``first`` whether it starts its sentence, ``cap``
    whether it starts with a capital letter."""
    n = len(words)
    # one look-up per word for its (tag, second tag); (-1, -1) for unknown words
    get = lx.pairs.get
    pairs = np.array([get(w, _NO_PAIR) for w in words], dtype=np.int64).reshape(-1, 2)
    tags = pairs[:, 0].copy()
    unknown = np.flatnonzero(tags < 0)
    for j in unknown.tolist():
        tags[j] = _guess(norms[j], words[j], bool(first[j]), lx.lex, lx.suf)
    if n > 1:
        amb = pairs[:, 1]
        prev = np.empty_like(tags)
        prev[0] = -1
        prev[1:] = np.where(first[1:], -1, tags[:-1])
        det_like = _DET_LIKE[prev]  # prev -1 reads the last (False) entry
        verb_ctx = _VERB_CTX[prev]
        rules = (
            (tags == T["VERB"]) & (amb == T["NOUN"]) & det_like,
            (tags == T["NOUN"]) & (amb == T["VERB"]) & verb_ctx,
            (tags == T["VBD"]) & (amb == T["VBN"]) & (prev == T["AUX"]),
            (tags == T["VBN"]) & (amb == T["VBD"]) & _PRON_LIKE[prev],
        )
        for m in rules:
            tags = np.where(m, amb, tags)
    # a capitalised content word inside a sentence is part of a name ("the Federal Bank")
    content = _NAME_CONTENT[tags]
    return np.where(content & cap & ~first, T["PROPN"], tags)
