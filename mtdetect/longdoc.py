"""Long documents in bounded pieces: paragraph windows with context, one verdict.

A text of up to WINDOW_WORDS words and WINDOW_CHARS characters is analysed whole, exactly as
before. A longer one is cut at paragraph breaks (line breaks, sentence ends or spaces where a
paragraph is too long) into windows that own about TARGET_WORDS words each, read with up to
CONTEXT_CHARS characters of the neighbouring pieces on each side for the families' context.
Each window is analysed and dropped before the next, so memory is that of one window whatever
the length, and time grows linearly with it.

The document's feature vector is the mean of its windows' (weighted by the words each owns).
The classifier's scores are linear in the features, so its log-odds for the document are the
mean of the windows' log-odds, calibrated once: a long human text is judged as its parts are
and does not drift towards ``machine`` as it grows (analysed whole, 1 MB of Brown prose scored
0.24; see README for the measurements), and the flag-density rule sees the document's density.
Findings are those each window makes in the part it owns, mapped to document offsets: every
offset belongs to exactly one window, so nothing is reported twice.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np

from mtdetect.findings import Finding
from mtdetect.text import Document, Sentence

#: Texts up to this many (whitespace-separated) words and WINDOW_CHARS characters are one
#: window: analysed whole, exactly as before windows existed.
WINDOW_WORDS = 2_000
WINDOW_CHARS = 40_000
#: Words a window owns in a longer text; context on each side comes on top.
TARGET_WORDS = 1_000
#: A piece longer than this is cut finer even if it has few words (e.g. no spaces at all).
MAX_PIECE_CHARS = 10_000
#: Context read on each side of a window: the neighbouring piece, if at most this long.
CONTEXT_CHARS = 2_000

# From coarse to fine: a blank line, a line break, a sentence end, any space.
_SPLITTERS = (
    re.compile(r"\n[ \t\r\f\v]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"(?<=[.!?])[\"')\]]*\s+"),
    re.compile(r"\s+"),
)
_LINE_BREAK_RE = re.compile(r"\r(?!\n)|\n")  # as Document.line_col counts lines


def is_long(text: str) -> bool:
    """Whether ``text`` is analysed in windows."""
    return len(text) > WINDOW_CHARS or len(text.split()) > WINDOW_WORDS


def document(text: str) -> Document | Windowed:
    """A :class:`Document` for a text of one window, else a :class:`Windowed` one."""
    return Windowed(text) if is_long(text) else Document(text)


class _Sentences(Sequence):
    """The sentences of a windowed document, made on demand from two offset arrays."""

    def __init__(self, starts: array, ends: array):
        self._starts, self._ends = starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return Sentence(i, self._starts[i], self._ends[i], 0, 0)


class Windowed:
    """A long text, analysed window by window by :func:`extract`, which fills in what the
    detector reads of a document: ``n_words``, ``letter_words``, ``sentences``; plus
    ``line_col``, ``sentence_of`` and ``sentence_text`` as a :class:`Document` has them."""

    def __init__(self, text: str):
        self.text = text
        self.n_words = 0
        self.letter_words = 0
        self.windows = 0
        self._starts, self._ends = array("q"), array("q")
        self.sentences = _Sentences(self._starts, self._ends)
        self._lines = array("q", [0])
        self._lines.extend(m.end() for m in _LINE_BREAK_RE.finditer(text))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        i = bisect.bisect_right(self._lines, offset) - 1
        return i + 1, offset - self._lines[i] + 1

    def sentence_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start : s.end]


def _pieces(text: str, start: int, end: int, level: int = 0) -> Iterator[tuple[int, int]]:
    """Consecutive (start, end) pieces covering text[start:end], each of at most TARGET_WORDS
    words and MAX_PIECE_CHARS characters, cut at the coarsest separator that gets there."""
    if level == len(_SPLITTERS):  # no separator left (no spaces at all): fixed-size cuts
        for a in range(start, end, MAX_PIECE_CHARS):
            yield a, min(end, a + MAX_PIECE_CHARS)
        return
    pos = start
    for m in _SPLITTERS[level].finditer(text, start, end):
        if m.end() > pos:
            yield from _fit(text, pos, m.end(), level)
            pos = m.end()
    if pos < end:
        yield from _fit(text, pos, end, level)


def _fit(text: str, a: int, b: int, level: int) -> Iterator[tuple[int, int]]:
    if b - a <= MAX_PIECE_CHARS and len(text[a:b].split()) <= TARGET_WORDS:
        yield a, b
    else:
        yield from _pieces(text, a, b, level + 1)


def windows(text: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, end, own_start, own_end) of each window: consecutive pieces grouped until they
    hold about TARGET_WORDS words; a window also reads the piece before and after it when
    that is at most CONTEXT_CHARS long."""
    group: list[tuple[int, int]] = []
    words = chars = 0
    prev: tuple[int, int] | None = None
    for piece in _pieces(text, 0, len(text)):
        n = len(text[piece[0] : piece[1]].split())
        if group and (words + n > TARGET_WORDS or chars + piece[1] - piece[0] > MAX_PIECE_CHARS):
            yield _window(group, prev, piece)
            prev, group, words, chars = group[-1], [], 0, 0
        group.append(piece)
        words += n
        chars += piece[1] - piece[0]
    if group:
        yield _window(group, prev, None)


def _window(group, prev, nxt) -> tuple[int, int, int, int]:
    a, b = group[0][0], group[-1][1]
    lo = prev[0] if prev and prev[1] - prev[0] <= CONTEXT_CHARS else a
    hi = nxt[1] if nxt and nxt[1] - nxt[0] <= CONTEXT_CHARS else b
    return lo, hi, a, b


def extract_many(
    vectorizer, docs: Sequence[Document | Windowed]
) -> list[tuple[np.ndarray, list[Finding]]]:
    """:func:`extract` of each document: the whole ones as one batch
    (``vectorizer.extract_many``), the windowed ones one window at a time."""
    whole = [i for i, d in enumerate(docs) if isinstance(d, Document)]
    out: list = [None] * len(docs)
    for i, r in zip(whole, vectorizer.extract_many([docs[i] for i in whole])):
        out[i] = r
    for i, d in enumerate(docs):
        if out[i] is None:
            out[i] = extract(vectorizer, d)
    return out


def extract(vectorizer, doc: Document | Windowed) -> tuple[np.ndarray, list[Finding]]:
    """The feature vector and findings of a document: a :class:`Document` as the vectorizer
    extracts it; a :class:`Windowed` one window at a time (see module doc)."""
    if isinstance(doc, Document):
        return vectorizer.extract(doc)
    total = None
    weight = 0.0
    findings: list[Finding] = []
    for lo, hi, a, b in windows(doc.text):
        win = Document(doc.text[lo:hi])
        x, found = vectorizer.extract(win)
        owned = [s for s in win.sentences if a <= lo + s.start < b]
        for s in owned:
            doc._starts.append(lo + s.start)
            doc._ends.append(lo + s.end)
        words = [t for t in win.words if a <= lo + t.start < b]
        doc.n_words += len(words)
        doc.letter_words += sum(1 for t in words if t.text[:1].isalpha())
        doc.windows += 1
        w = float(max(1, len(words)))
        total = x * w if total is None else total + x * w
        weight += w
        for f in found:
            start = lo + f.start
            if a <= start < b:
                line, column = doc.line_col(start)
                # the document sentence holding it: one of this window's or, for a sentence
                # begun in an earlier window (no end in sight for 1,000 words), that one
                sentence = doc.sentence_of(start)
                findings.append(
                    replace(
                        f,
                        start=start,
                        end=lo + f.end,
                        line=line,
                        column=column,
                        sentence=sentence,
                    )
                )
        del win, found
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return total / weight, findings
