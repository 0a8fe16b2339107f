"""Per-document views shared by the feature families, computed once and cached on the Document.

Families read the typography-normalised text (``Token.norm``). :func:`view` gives numpy-friendly
arrays over word tokens (lower-cased forms, sentence ids, sentence lengths, part-of-speech codes),
so every family avoids its own per-token Python loop. The small tagger (most-frequent tag from
Brown + CoNLL-2000, a suffix model for unknown words and four context rules) reads
``mtdetect/resources/pos_lexicon.tsv``, built by ``tools/build_tagger.py``.
"""

from __future__ import annotations

from functools import cache, cached_property
from itertools import compress
from operator import itemgetter

import numpy as np

from mtdetect.resources import resource_path
from mtdetect.text import Document

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
_CACHE_KEY = "_mtdetect_view"
_CONTENT = np.array([T[t] for t in ("NOUN", "ADJ", "ADV", "VERB", "VBD", "VBN", "VBG")])


def _tag_set(*names: str) -> np.ndarray:
    """Boolean look-up table over tag codes; one extra False entry so that -1 reads False."""
    out = np.zeros(len(TAGS) + 1, dtype=bool)
    out[[T[n] for n in names]] = True
    return out


_IS_CONTENT = _tag_set("NOUN", "ADJ", "ADV", "VERB", "VBD", "VBN", "VBG")
_NAME_CONTENT = _tag_set("NOUN", "ADJ", "VERB", "VBD", "VBN", "VBG")
_DET_LIKE = _tag_set("DET", "POSS", "ADJ")
_VERB_CTX = _tag_set("TO", "MD")
_PRON_LIKE = _tag_set("PRON", "PROPN")


@cache
def _lexicon() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(word → tag, word → second tag, suffix → tag) from the shipped table."""
    lex: dict[str, int] = {}
    alt: dict[str, int] = {}
    suf: dict[str, int] = {}
    path = resource_path("pos_lexicon.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line[0] == "#":
            continue
        parts = line.split("\t")
        if line[0] == "-" and len(parts) == 2 and parts[0][1:].isalpha():
            suf[parts[0][1:]] = T[parts[1]]
            continue
        lex[parts[0]] = T[parts[1]]
        if len(parts) > 2 and parts[2]:
            alt[parts[0]] = T[parts[2]]
    return lex, alt, suf


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


_NO_PAIR = (-1, -1)


@cache
def _lex_pairs() -> dict[str, tuple[int, int]]:
    """word -> (tag, second tag or -1) of the lexicon (second tags exist only for its words)."""
    lex, alt, _ = _lexicon()
    return {w: (lex.get(w, -1), alt.get(w, -1)) for w in lex.keys() | alt.keys()}


# fields of a Token (a NamedTuple: start, end, text, norm, sent, is_word)
_NORM = itemgetter(3)
_SENT = itemgetter(4)
_IS_WORD = itemgetter(5)
_FIRST = itemgetter(0)  # first character of a string


class View:
    """Arrays over the word tokens of one Document (build with :func:`view`)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        toks = doc.tokens
        self.n_tokens = len(toks)
        # per-token loops run in C (map/compress over the Token tuples' fields)
        is_word = list(map(_IS_WORD, toks))
        self._wtoks = wtoks = list(compress(toks, is_word))
        self.n = n = len(wtoks)
        self.wtok = np.fromiter(compress(range(len(toks)), is_word), dtype=np.int64, count=n)
        self.words: list[str] = list(map(str.lower, map(_NORM, wtoks)))
        self.n_sent = len(doc.sentences)
        self.wsent = np.fromiter(map(_SENT, wtoks), dtype=np.int64, count=n)
        self.sent_nw = (
            np.bincount(self.wsent, minlength=self.n_sent)
            if self.n
            else np.zeros(self.n_sent, dtype=np.int64)
        )
        first = np.ones(self.n, dtype=bool)
        if self.n:
            first[1:] = self.wsent[1:] != self.wsent[:-1]
        self.first = first

    @cached_property
    def norms(self) -> list[str]:
        """Normalised text of every token (words and punctuation)."""
        return list(map(_NORM, self.doc.tokens))

    @cached_property
    def lows(self) -> list[str]:
        """Lower-cased normalised text of every token (words and punctuation)."""
        return list(map(str.lower, self.norms))

    @cached_property
    def tok_sent(self) -> np.ndarray:
        return np.fromiter(map(_SENT, self.doc.tokens), dtype=np.int64, count=self.n_tokens)

    @cached_property
    def sent_start(self) -> np.ndarray:
        """Whether each token is the first token of its sentence."""
        out = np.zeros(self.n_tokens, dtype=bool)
        out[[s.tok_start for s in self.doc.sentences]] = True
        return out

    @cached_property
    def cap(self) -> np.ndarray:
        """Whether each word token starts with a capital letter."""
        firsts = map(_FIRST, map(_NORM, self._wtoks))
        return np.fromiter(map(str.isupper, firsts), dtype=bool, count=self.n)

    @cached_property
    def word_len(self) -> np.ndarray:
        return np.array([len(w) for w in self.words], dtype=np.int64)

    @cached_property
    def tags(self) -> np.ndarray:
        """Coarse POS code (index into TAGS) of every word token."""
        lex, alt, suf = _lexicon()
        # one look-up per word for its (tag, second tag); (-1, -1) for unknown words
        get = _lex_pairs().get
        pairs = np.array([get(w, _NO_PAIR) for w in self.words], dtype=np.int64).reshape(-1, 2)
        tags = pairs[:, 0].copy()
        unknown = np.flatnonzero(tags < 0)
        if len(unknown):
            wtoks = self._wtoks
            for j in unknown.tolist():
                tags[j] = _guess(wtoks[j].norm, self.words[j], bool(self.first[j]), lex, suf)
        if self.n > 1:
            amb = pairs[:, 1]
            prev = np.empty_like(tags)
            prev[0] = -1
            prev[1:] = np.where(self.first[1:], -1, tags[:-1])
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
        tags = np.where(content & self.cap & ~self.first, T["PROPN"], tags)
        return tags

    @cached_property
    def content(self) -> np.ndarray:
        """Whether each word is a content word (noun, adjective, adverb or lexical verb)."""
        return _IS_CONTENT[self.tags]


def view(doc: Document) -> View:
    """The cached :class:`View` of ``doc``."""
    v = doc.__dict__.get(_CACHE_KEY)
    if v is None:
        v = View(doc)
        doc.__dict__[_CACHE_KEY] = v
    return v


def percentiles(a: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """``np.percentile(a, q)`` (linear method) for each q, from one sort: the same values,
    without numpy's per-call overhead on small arrays."""
    s = np.sort(a)
    n = len(s)
    if n == 0 or not (np.isfinite(s[0]) and np.isfinite(s[-1])):
        return [float(np.percentile(a, q)) for q in qs]
    out = []
    last = n - 1
    for q in qs:
        v = last * (q / 100)
        if v >= last:
            out.append(float(s[last]))
            continue
        i = int(v)  # floor (v >= 0)
        g = v - i
        lo = float(s[i])
        hi = float(s[i + 1])
        d = hi - lo
        out.append(hi - d * (1 - g) if g >= 0.5 else lo + d * g)
    return out
