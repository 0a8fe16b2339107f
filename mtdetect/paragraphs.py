"""Where in a document the machine text is: every paragraph scored on its own.

A round-tripped passage pasted after six human paragraphs barely moves the verdict on the whole
document, so each paragraph (a block between blank lines) is scored by the detector's public
scoring, all of a document's paragraphs in batches of :data:`BATCH` (one classifier call each),
and runs of consecutive non-human paragraphs are named ("paragraphs 7–9 read as translated").
A paragraph of fewer than :data:`MIN_WORDS` words (a heading, a one-line quote) is scored but
neither starts nor breaks such a run: alone, it is too short to judge. A document of one
paragraph is its own paragraph (not scored twice); one of more than :data:`MAX_WORDS` words is
not scored by paragraph (it would double the time of a very long file).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Protocol

from mtdetect.findings import Paragraph, Report

BATCH = 64
MIN_WORDS = 20
MAX_WORDS = 200_000
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_LINE_BREAK = re.compile(r"\r(?!\n)|\n")  # as Document.line_col counts lines


class Scorer(Protocol):
    """What paragraph scoring reads of a detector."""

    def analyze_many(
        self, texts: Sequence[str], paths=None, threshold: float | None = None, explain=False
    ) -> list[Report]: ...


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks between blank lines that hold a word, trimmed."""
    out = []
    pos = 0
    for m in [*_BLANK_LINE.finditer(text), None]:
        end = m.start() if m else len(text)
        block = text[pos:end]
        if any(c.isalnum() for c in block):
            lead = len(block) - len(block.lstrip())
            out.append((pos + lead, pos + len(block.rstrip())))
        pos = m.end() if m else len(text)
    return out


def score(
    det: Scorer, text: str, report: Report, threshold: float | None = None
) -> list[Paragraph]:
    """The paragraphs of ``text`` (the text ``report`` was made from), each with its own
    ``machine`` and ``label``; offsets index ``text``."""
    parts = spans(text)
    if not parts or report.words > MAX_WORDS:
        return []
    lines = _line_starts(text)
    if len(parts) == 1:
        s, e = parts[0]
        return [Paragraph(1, _line(lines, s), s, e, report.words, report.machine, report.label)]
    out: list[Paragraph] = []
    for b in range(0, len(parts), BATCH):
        chunk = parts[b : b + BATCH]
        reps = det.analyze_many([text[s:e] for s, e in chunk], threshold=threshold)
        for k, ((s, e), r) in enumerate(zip(chunk, reps)):
            out.append(Paragraph(b + k + 1, _line(lines, s), s, e, r.words, r.machine, r.label))
    return out


def stretches(paragraphs: Sequence[Paragraph]) -> list[tuple[int, int, str]]:
    """(first index, last index, label) of each run of consecutive non-human paragraphs of at
    least MIN_WORDS words (shorter ones are skipped), when the document is mixed: some such
    paragraphs read as human and some do not. Empty otherwise."""
    judged = [p for p in paragraphs if p.words >= MIN_WORDS]
    if not any(p.label == "human" for p in judged) or all(p.label == "human" for p in judged):
        return []
    runs: list[list] = []
    prev: Paragraph | None = None  # runs continue across short paragraphs, not human ones
    for p in judged:
        if p.label != "human":
            if runs and prev is not None and prev.label == p.label and runs[-1][1] == prev.index:
                runs[-1][1] = p.index
            else:
                runs.append([p.index, p.index, p.label])
        prev = p
    return [(a, b, lab) for a, b, lab in runs]


def summary(paragraphs: Sequence[Paragraph]) -> str:
    """ "paragraphs 7–9 read as translated; paragraph 12 reads as spun", or ""."""
    parts = []
    for a, b, label in stretches(paragraphs):
        parts.append(
            f"paragraph {a} reads as {label}" if a == b else f"paragraphs {a}–{b} read as {label}"
        )
    return "; ".join(parts)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def _line(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)
