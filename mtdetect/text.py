"""The one tokenizer: document → sentences → tokens, each with absolute character offsets.

Offsets always index the *original* text. Features read ``Token.norm`` / ``Document.norm``, a
typography-normalised copy of the text of exactly the same length (curly quotes → straight,
dashes → ``-``, exotic spaces → `` ``), so normalising never moves an offset shown to a user.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from operator import itemgetter
from typing import NamedTuple

# One character in → one character out, so offsets survive normalisation.
_NORM_MAP = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys(
        "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
        "\u202f\u205f\u3000\t\x0b\x0c",
        " ",
    ),
    "\u2026": ".",
    "\u2028": "\n",
    "\u2029": "\n",
    "\r": " ",  # CRLF → " \n": one line break, not a blank line
}
_NORM_TABLE = str.maketrans(_NORM_MAP)


_LONE_CR = re.compile(r"\r(?!\n)")
_NEWLINE_RE = re.compile("\n")


def normalize(text: str) -> str:
    """Typography-normalise ``text`` without changing its length."""
    norm = text.translate(_NORM_TABLE)
    if "\r" in text:  # CRLF → " \n" (one break); an old-Mac lone CR is itself a line break
        chars = list(norm)
        for m in _LONE_CR.finditer(text):
            chars[m.start()] = "\n"
        norm = "".join(chars)
    return norm


# Token pattern, applied to normalised text. Order matters: initialisms (U.S., e.g.) first,
# then numbers, then words with inner apostrophes/hyphens, then any other single symbol.
_TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}"  # U.S.  e.g.  U.K.
    r"|\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s|%)?"  # 1,000  3.5  9/11  1990s  21st
    r"|[^\W\d_]\w*(?:['\-](?=[^\W_])\w*)*"  # words, don't, well-known, Getty's
    r"|[^\w\s]",  # punctuation and symbols, one at a time
)

# The token pattern as one group: split() returns the text between tokens and each token in
# turn (the pattern must have no capturing group of its own, and never match an empty string).
_TOKEN_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues thu thur thurs fri
    inc corp co ltd llc bros dept univ assn est approx no nos vol vols fig figs pp p ch sec
    vs etc al cf ca e.g i.e u.s u.k u.n a.m p.m d.c n.y l.a ph.d ave blvd rd hwy""".split()
)
# After these initialisms a capitalised word usually continues the sentence ("U.S. Army").
_CONTINUING_INITIALISMS = frozenset({"u.s.", "u.k.", "u.n.", "e.u.", "d.c.", "n.y.", "l.a."})
_SENTENCE_STARTERS = frozenset(
    """the a an he she it they we i you this that these those there in on at but and or so
    yet if when while as after before however meanwhile his her its their our my what who why
    how where one some many most all no not for to""".split()
)
_BULLET_RE = re.compile(
    r"[ \t]*(?:[-*\u2022\u25aa\u25cf\u2013\u2014>]|\(?\d{1,3}[.)]|[a-z][.)])[ \t]+"
)
_CLOSERS = frozenset("\"')]}")
_TERMINAL = (".", "!", "?")
_OPENERS = frozenset("\"'([{")


class Token(NamedTuple):
    """A token: ``text`` is the original span, ``norm`` its normalised form (immutable)."""

    start: int
    end: int
    text: str
    norm: str
    sent: int
    is_word: bool

    @property
    def lower(self) -> str:
        return self.norm.lower()


_new_token = tuple.__new__
_IS_WORD = itemgetter(5)  # Token.is_word


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: offsets into the original text and the indices of its tokens."""

    index: int
    start: int
    end: int
    tok_start: int
    tok_end: int


@dataclass(frozen=True, eq=False)
class Document:
    """A tokenised document, immutable. Build with ``Document(text)``.

    What is derived from it (word arrays, tags, LM scores…) lives in its
    :class:`~mtdetect.analysis.Analysis`, never on the document.
    """

    text: str
    norm: str = field(init=False)
    tokens: tuple[Token, ...] = field(init=False)
    sentences: tuple[Sentence, ...] = field(init=False)
    n_words: int = field(init=False)
    _line_starts: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        norm = normalize(self.text)
        tokens, sentences = _tokenize(self.text, norm)
        put = object.__setattr__  # (frozen: the fields are set once, here)
        put(self, "norm", norm)
        put(self, "tokens", tuple(tokens))
        put(self, "sentences", tuple(sentences))
        put(self, "n_words", sum(map(_IS_WORD, tokens)))
        put(self, "_line_starts", (0, *(m.end() for m in _NEWLINE_RE.finditer(norm))))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (the nearest one before it otherwise)."""
        starts = [s.start for s in self.sentences]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def sentence_tokens(self, s: Sentence) -> tuple[Token, ...]:
        return self.tokens[s.tok_start : s.tok_end]

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start : s.end]

    @property
    def words(self) -> list[Token]:
        """The word tokens."""
        return [t for t in self.tokens if t.is_word]


def _tokenize(text: str, norm: str) -> tuple[list[Token], list[Sentence]]:
    # one split (no match objects): the text between tokens, then each token; offsets are the
    # running sums of the parts' lengths
    parts = _TOKEN_SPLIT_RE.split(norm)
    words = parts[1::2]
    acc = list(accumulate(map(len, parts)))
    starts = acc[0:-1:2]
    ends = acc[1::2]
    raw = list(zip(starts, ends))
    breaks = sorted(_sentence_breaks(norm, raw, words))
    sentences: list[Sentence] = []
    sent_ids: list[int] = []
    first = 0
    for b in [*breaks, len(raw)]:
        if b <= first:
            continue
        sent = len(sentences)
        sent_ids += [sent] * (b - first)
        sentences.append(Sentence(sent, raw[first][0], raw[b - 1][1], first, b))
        first = b
    texts = words if text == norm else [text[s:e] for s, e in raw]
    is_word = list(map(str.isalnum, map(itemgetter(0), words)))
    fields = zip(starts, ends, texts, words, sent_ids, is_word)
    tokens = list(map(_new_token, repeat(Token), fields))
    return tokens, sentences


def _break_candidates(norm: str, raw: list[tuple[int, int]], words: list[str]) -> list[int]:
    """Indices of tokens that may start a sentence: after a line break, or after a terminal
    mark (. ! ? or a word ending in .) and any closing quotes/brackets. No other token can."""
    n = len(raw)
    cand: set[int] = set()
    if "\n" in norm:
        starts = [s for s, _ in raw]
        for m in _NEWLINE_RE.finditer(norm):
            i = bisect.bisect_right(starts, m.start())
            if 0 < i < n:
                cand.add(i)
    for j in compress(range(n), map(str.endswith, words, repeat(_TERMINAL))):
        i = j + 1
        while i < n:
            cand.add(i)
            if words[i] not in _CLOSERS:
                break
            i += 1
    return sorted(cand)


def _sentence_breaks(
    norm: str, raw: list[tuple[int, int]], words: list[str] | None = None
) -> set[int]:
    """Indices of tokens that start a new sentence."""
    breaks: set[int] = set()
    if words is None:
        words = [norm[s:e] for s, e in raw]
    for i in _break_candidates(norm, raw, words):
        ps, pe = raw[i - 1]
        s, _ = raw[i]
        gap = norm[pe:s]
        nxt = words[i]
        if "\n" in gap:
            # A blank line, a bullet, or a line ending in terminal punctuation ends a sentence;
            # so does a line that starts with a capital after a line without a closing comma.
            line_start = norm.rfind("\n", 0, s) + 1
            if gap.count("\n") > 1 or _BULLET_RE.match(norm, line_start):
                breaks.add(i)
                continue
            prev = norm[ps:pe]
            if prev in ":;":
                breaks.add(i)
                continue
            if prev not in ".!?\"')":
                # No closing punctuation: a short line is a heading or a list entry; a long
                # one is hard-wrapped text whose sentence goes on ("by Getty\nImages said").
                prev_line = norm[norm.rfind("\n", 0, ps) + 1 : pe]
                if len(prev_line.strip()) < 50 and not (nxt[0].islower() or prev in ",-("):
                    breaks.add(i)
                continue
            # Closing punctuation at the end of a line: the in-line rules below decide
            # (so "Mr.\nSmith" stays one sentence).
        if not gap:
            continue
        # Walk back over closing quotes/brackets to the terminal mark.
        j = i - 1
        while j >= 0 and norm[raw[j][0] : raw[j][1]] in _CLOSERS:
            j -= 1
        if j < 0:
            continue
        mark = norm[raw[j][0] : raw[j][1]]
        if mark in "!?":
            if nxt[0].isupper() or nxt[0].isdigit() or nxt in _OPENERS:
                breaks.add(i)
            continue
        word = norm[raw[j][0] : raw[j][1]]
        if mark != "." and not word.endswith("."):
            continue
        if word.endswith(".") and len(word) > 1:  # an initialism such as U.S.
            if word.lower() in _CONTINUING_INITIALISMS and nxt.lower() not in _SENTENCE_STARTERS:
                continue
            if nxt[0].isupper() or nxt in _OPENERS:
                breaks.add(i)
            continue
        if j == 0:
            continue
        before = norm[raw[j - 1][0] : raw[j - 1][1]]
        if raw[j - 1][1] == raw[j][0]:  # word immediately followed by "."
            low = before.lower()
            if low in ABBREVIATIONS and (
                low not in {"no", "co", "p", "sec", "est"} or nxt[0].isdigit()
            ):
                continue
            if len(before) == 1 and before.isupper():  # an initial: "J. Smith"
                continue
        if nxt[0].isupper() or nxt[0].isdigit() or nxt in _OPENERS or nxt[0] in "-*":
            breaks.add(i)
    return breaks
