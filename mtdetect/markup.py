"""What is not prose, masked before analysis; inline directives read.

Masking replaces every character of a region with a space (newlines kept), so the masked text
has the length, lines and columns of the original: every offset of a report on it is an offset
of the original, and only the ``text`` of flags and sentences has to be read back from the
original (:func:`restore_text`). Masked:

- in any input, the directives themselves (``<!-- mtdetect ... -->``) and what lies between
  ``<!-- mtdetect off -->`` and ``<!-- mtdetect on -->`` (or the end of the text);
- in Markdown, front matter (``---`` YAML or ``+++`` TOML at the very top), fenced code blocks
  (``` or ~~~), inline code spans, HTML comments, URLs (bare, ``<autolinks>`` and link or image
  destinations; the link text stays).

``<!-- mtdetect ignore RULE [RULE ...] -->`` (rule ids or prefixes; none: every rule) drops the
flags of those rules in the next paragraph: :attr:`Masked.ignores`.

A regular-expression masker, not a Markdown parser: parsers give block line ranges, but not the
character offsets of inline code or link destinations that masking needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from mtdetect.findings import Report

_DIRECTIVE = re.compile(r"<!--\s*mtdetect\s+(off|on|ignore)\b([^>]*?)\s*-->", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FRONT = re.compile(
    r"\A(?:---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)|\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*(?:\n|\Z))", re.DOTALL
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n?", re.MULTILINE)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_LINK_DEST = re.compile(r"(?<=\])\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>\s]*>", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass(frozen=True)
class Masked:
    """The text to analyse (``original`` with masked regions blanked, same length) and the
    regions of ``ignore`` directives: (start, end, rule selectors; empty: every rule)."""

    original: str
    text: str
    ignores: tuple[tuple[int, int, tuple[str, ...]], ...] = ()

    def ignored(self, rule_id: str, start: int, end: int) -> bool:
        """Whether a flag of ``rule_id`` on [start, end) is dropped by an ignore directive."""
        return any(
            start < e and s < end and (not sel or any(rule_id.startswith(x) for x in sel))
            for s, e, sel in self.ignores
        )


def is_markdown(path: str) -> bool:
    """Whether ``path`` names a Markdown file (by its suffix)."""
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def mask(text: str, markdown: bool = False) -> Masked:
    """The masked text and ignore regions of ``text`` (see module doc)."""
    regions: list[tuple[int, int]] = []
    ignores = []
    if markdown:
        regions += _markdown_regions(text)
    off_at = None
    for m in _DIRECTIVE.finditer(text):
        regions.append(m.span())
        what = m.group(1).lower()
        if what == "off" and off_at is None:
            off_at = m.end()
        elif what == "on" and off_at is not None:
            regions.append((off_at, m.start()))
            off_at = None
        elif what == "ignore":
            sel = tuple(x for x in re.split(r"[\s,]+", m.group(2).strip()) if x)
            ignores.append((*_next_paragraph(text, m.end()), sel))
    if off_at is not None:
        regions.append((off_at, len(text)))
    if not regions:
        return Masked(text, text, tuple(ignores))
    chars = list(text)
    for s, e in regions:
        for i in range(s, e):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return Masked(text, "".join(chars), tuple(ignores))


def restore_text(report: Report, original: str) -> Report:
    """``report`` of a masked text with the ``text`` of its flags and sentences read from the
    original (offsets are the same)."""
    flags = [replace(f, text=original[f.start : f.end]) for f in report.flags]
    sents = [replace(s, text=original[s.start : s.end]) for s in report.sentences]
    return replace(report, flags=flags, sentences=sents)


def _markdown_regions(text: str) -> list[tuple[int, int]]:
    out = []
    front = _FRONT.match(text)
    if front:
        out.append(front.span())
    fenced = _fences(text, front.end() if front else 0)
    out += fenced
    prose = _outside(text, fenced + out[:1])
    for pat in (_COMMENT, _INLINE_CODE, _LINK_DEST, _AUTOLINK, _URL):
        for s, e in prose:
            out += [(s + m.start(), s + m.end()) for m in pat.finditer(text[s:e])]
    return out


def _fences(text: str, pos: int) -> list[tuple[int, int]]:
    """Spans of fenced code blocks (an unclosed fence runs to the end, as in CommonMark)."""
    out = []
    while True:
        m = _FENCE.search(text, pos)
        if not m:
            return out
        fence = m.group(1)
        close = re.compile(
            rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE
        ).search(text, m.end())
        end = close.end() if close else len(text)
        out.append((m.start(), end))
        pos = end


def _outside(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``text`` outside ``regions``."""
    out, pos = [], 0
    for s, e in sorted(regions):
        if s > pos:
            out.append((pos, s))
        pos = max(pos, e)
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _next_paragraph(text: str, pos: int) -> tuple[int, int]:
    """The span of the paragraph that starts at or after ``pos``."""
    m = re.compile(r"\S").search(text, pos)
    if not m:
        return (len(text), len(text))
    end = _BLANK_LINE.search(text, m.start())
    return (m.start(), end.start() if end else len(text))
