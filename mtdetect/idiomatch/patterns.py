"""The pattern language of fixed expressions and the values a match is made of.

Pattern language (one pattern a line in the TSV tables, words separated by spaces):

- ``word``: the word in any inflection (``kick`` matches kick/kicks/kicked/kicking);
- ``=word``: exactly this form;
- ``(word)``: optional word; ``a|b``: either word (each inflectable);
- articles and possessives (``the a an my your his her its our their one's {poss}``): one class,
  optional, and an extra one may appear in the text before any word (``seat of (your) pants``);
- ``{sb}`` / ``{sth}``: an object, one to three words (``give {sb} the cold shoulder``);
- ``{self}``: a reflexive pronoun;
- ``{pp}``: a required possessive (my, your, his… or a name's);
- ``,``: an optional punctuation mark (``tiger's head , snake's tail``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from mtdetect.lexicon import GRAMMAR_WORDS
from mtdetect.morphology import word_forms

DETERMINERS = frozenset(
    "the a an my your his her its our their one's someone's somebody's {poss}".split()
)
SLOT_WORDS = frozenset({"{sb}", "{sth}", "{self}"})
REFLEXIVES = frozenset(
    "myself yourself himself herself itself oneself ourselves yourselves themselves".split()
)
_NOT_POSSESSIVE = frozenset(
    "it's that's there's here's he's she's what's who's let's where's how's one's".split()
)


DET, SLOT, REFL, WORD, PUNCT = "det", "slot", "refl", "word", "punct"
PUNCT_MARK = "\x00"  # prefix of punctuation tokens in the matcher's word list


@dataclass(frozen=True, slots=True)
class Elem:
    """One pattern element: kind, accepted forms, the pattern word, optional flag."""

    kind: str
    forms: frozenset[str] = frozenset()
    word: str = ""
    optional: bool = False
    content: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """A lexicon entry: an English idiom (``kind='idiom'``) or a calque."""

    id: int
    kind: str
    pattern: str
    elems: tuple[Elem, ...]
    swappable: bool = False
    blocked: frozenset[str] = frozenset()
    rel_keys: tuple[tuple[int, str], ...] = ()
    lang: str = ""
    source: str = ""
    english: str = ""
    #: "" for the pattern as written, "passive" for its passive (see :func:`passive`)
    variant: str = ""
    #: of a variant: for each element, the index of the element of the pattern as written it
    #: comes from (-1: added), so that swaps are named in the written pattern's terms
    origin: tuple[int, ...] = ()

    def written_index(self, k: int) -> int:
        """The index in the pattern as written of element ``k``."""
        return self.origin[k] if self.origin else k


@dataclass(frozen=True, slots=True)
class Swap:
    """A content word of the idiom replaced in the text by a related word or phrase."""

    elem: int
    original: str
    related: str
    relation: str
    tok_lo: int
    tok_hi: int


@dataclass(frozen=True, slots=True)
class Match:
    """An entry matched on tokens ``[tok_start, tok_end)`` of a document."""

    entry: Entry
    tok_start: int
    tok_end: int
    swap: Swap | None = None


def compile_pattern(pattern: str) -> tuple[Elem, ...]:
    """Parse a pattern string into elements."""
    return tuple(map(_compile_elem, pattern.split()))


@cache
def _compile_elem(w: str) -> Elem:
    """One pattern word as an element (cached: entries share their common elements)."""
    if w in DETERMINERS:
        return Elem(DET, optional=True)
    if w == "{pp}":
        return Elem(DET, optional=False)
    if w == ",":
        return Elem(PUNCT, optional=True)
    if w in ("{sb}", "{sth}"):
        return Elem(SLOT)
    if w == "{self}":
        return Elem(REFL)
    optional = w.startswith("(") and w.endswith(")")
    w = w.strip("()")
    alts = w.split("|")
    if all(a in DETERMINERS for a in alts):
        return Elem(DET, optional=optional)  # "the|{poss}": some article or possessive
    if len(alts) == 1 and not w.startswith("="):
        forms = word_forms(w)
    else:
        forms = frozenset().union(*({a[1:]} if a.startswith("=") else word_forms(a) for a in alts))
    word = alts[0].lstrip("=")
    content = (
        len(alts) == 1
        and not optional
        and word not in GRAMMAR_WORDS
        and len(word) > 2
        and not word.isdigit()
    )
    return Elem(WORD, forms, word, optional, content)


_OBJECT_PRONOUNS = frozenset("me you him her it us them someone somebody everyone".split())


def slot_word(w: str) -> bool:
    """Can ``w`` be part of an object slot? Not punctuation, prepositions or other glue words."""
    if w.startswith(PUNCT_MARK):
        return False
    return w in _OBJECT_PRONOUNS or w in DETERMINERS or w not in GRAMMAR_WORDS


_DEMONSTRATIVES = frozenset("this that these those".split())
# words that end a phrase rather than sit inside one: never taken as an inserted word
_NO_GAP = frozenset(
    """and or but nor that which who whom whose because if when while where than as so then
    i you he she it we they me him her us them""".split()
)


# words that may stand before an article inside a phrase ("spilled *all* the beans")
_BEFORE_DET = frozenset(
    """all just only even almost really simply nearly quite such very also still finally
    again ever never not then both half twice exactly merely""".split()
)


def gap_word(w: str, before_det: bool) -> bool:
    """May text word ``w`` be inserted inside a fixed expression: a modifier before a word
    ("the *proverbial* bullet"), an adverb or quantifier before an article ("*all* the beans",
    "*entirely* the wrong tree")?"""
    if w.startswith(PUNCT_MARK) or w in _NO_GAP:
        return False
    if before_det:
        # an adverb in -ly as well ("barking up *entirely* the wrong tree")
        return w in _BEFORE_DET or (len(w) > 5 and w.endswith("ly") and w not in GRAMMAR_WORDS)
    return w not in GRAMMAR_WORDS or w in _BEFORE_DET


def open_word(w: str) -> bool:
    """May text word ``w`` stand in an open swap (any content word in place of an idiom's
    noun): a lowercase word of letters, not a grammar word."""
    return len(w) > 2 and w.isalpha() and w not in GRAMMAR_WORDS and not is_det(w)


def is_det(w: str) -> bool:
    """Does text word ``w`` fill an article/possessive slot? (demonstratives count too)"""
    return (
        w in DETERMINERS or w in _DEMONSTRATIVES or (w.endswith("'s") and w not in _NOT_POSSESSIVE)
    )


# the auxiliaries of a passive ("the beans were spilled", "has been spilled", "got spilled")
_AUX = Elem(
    WORD,
    frozenset("has have had will would must should can could may might to not".split()),
    "has",
    optional=True,
)
_BE = Elem(WORD, frozenset("be is are was were been being get gets got 's 're".split()), "be")
_BEEN = Elem(WORD, frozenset({"been", "being"}), "been", optional=True)


def passive(elems: tuple[Elem, ...]) -> tuple[tuple[Elem, ...], tuple[int, ...]] | None:
    """The passive of a verb-object pattern, and for each of its elements the index of the
    element it comes from (-1 for the auxiliaries): ``spill the beans`` → ``the beans be
    spill`` (any form), ``throw in the towel`` → ``the towel be throw in``, ``open a can of
    worms`` → ``a can of worms be open``. ``None`` if the pattern does not start with a verb
    (a required content word) followed, after at most one particle, by an article and a noun
    phrase (content words, and an ``of`` phrase)."""
    n = len(elems)
    if n < 3 or elems[0].kind != WORD or elems[0].optional or not elems[0].content:
        return None
    d = 1
    if elems[d].kind == WORD and not elems[d].content and not elems[d].optional:
        d += 1  # a particle: "throw in the towel"
    if d >= n or elems[d].kind != DET:
        return None
    end = d + 1
    while end < n and elems[end].kind == WORD and elems[end].content:
        end += 1
    if end == d + 1:
        return None  # no noun after the article
    if end + 1 < n and elems[end].kind == WORD and elems[end].word == "of":
        k = end + 1 + (elems[end + 1].kind == DET)
        if k < n and elems[k].kind == WORD and elems[k].content:
            end = k + 1  # "a can of worms"
    order = [*range(d, end), -1, -1, -1, 0, *range(1, d), *range(end, n)]
    aux = iter((_AUX, _BE, _BEEN))
    return tuple(next(aux) if i < 0 else elems[i] for i in order), tuple(order)
