"""The feature-family contract.

A family is one file in ``mtdetect/features/`` with one subclass of :class:`FeatureFamily`. It
reads a tokenised :class:`~mtdetect.text.Document` once and returns (a) a fixed-length vector of
document features, named by ``feature_names``, and (b) the findings (flagged spans) it can explain.

Its examples are tests (``tests/test_feature_examples.py``):
- ``flags``: texts on which it must report at least one finding;
- ``passes``: texts on which it must report none;
- ``checks``: ``(text, feature_name, op, value)`` — e.g. ``("I do not know.", "contraction_rate",
  "==", 0.0)`` for families whose evidence is a number rather than a span.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from mtdetect.findings import Finding
from mtdetect.text import Document


class FeatureFamily:
    """Base class: subclass it, set the class attributes, implement :meth:`extract`."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    feature_names: ClassVar[tuple[str, ...]] = ()
    flags: ClassVar[tuple[str, ...]] = ()
    passes: ClassVar[tuple[str, ...]] = ()
    checks: ClassVar[tuple[tuple[str, str, str, float], ...]] = ()

    def extract(self, doc: Document) -> tuple[Sequence[float], list[Finding]]:
        """Return the feature values (one per ``feature_names``) and the findings."""
        raise NotImplementedError

    def finding(
        self,
        doc: Document,
        rule: str,
        kind: str,
        start: int,
        end: int,
        reason: str,
        suggestion: str | None = None,
        score: float = 1.0,
    ) -> Finding:
        """Make a Finding for ``doc[start:end]`` with its line, column and sentence filled in."""
        line, col = doc.line_col(start)
        return Finding(
            rule=rule,
            kind=kind,
            start=start,
            end=end,
            text=doc.text[start:end],
            reason=reason,
            suggestion=suggestion,
            score=float(score),
            line=line,
            column=col,
            sentence=doc.sentence_of(start),
        )


def per_1000(count: float, n_words: int) -> float:
    """A count as a density per 1,000 words (0 for an empty document)."""
    return 1000.0 * count / n_words if n_words else 0.0
