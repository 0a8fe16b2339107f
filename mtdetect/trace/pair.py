"""A suspect and one candidate source, tokenised, aligned and compared change by change."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from mtdetect.text import Document
from mtdetect.trace.align import Alignment, align
from mtdetect.trace.substitutions import Change, Substitution, changes, substitutions


@dataclass
class Comparison:
    """``a`` is the suspect, ``b`` the candidate source."""

    a: Document
    b: Document
    alignment: Alignment
    changes: list[Change]

    @cached_property
    def substitutions(self) -> list[Substitution]:
        return substitutions(self.changes)

    def aligned(self) -> list[dict]:
        """The aligned sentence blocks as JSON-ready suspect/source spans."""
        out = []
        for blk in self.alignment.blocks:
            sa, sb = self.a.sentences, self.b.sentences
            a0, a1 = sa[blk.a0].start, sa[blk.a1 - 1].end
            b0, b1 = sb[blk.b0].start, sb[blk.b1 - 1].end
            out.append(
                {
                    "suspect": {"start": a0, "end": a1, "text": self.a.text[a0:a1]},
                    "source": {"start": b0, "end": b1, "text": self.b.text[b0:b1]},
                    "similarity": round(blk.similarity, 4),
                }
            )
        return out


def compare(suspect: str | Document, source: str | Document) -> Comparison:
    """Align ``suspect`` with ``source`` and list what changed in each aligned block."""
    a = suspect if isinstance(suspect, Document) else Document(suspect)
    b = source if isinstance(source, Document) else Document(source)
    al = align(a, b)
    return Comparison(a, b, al, changes(a, b, al))
