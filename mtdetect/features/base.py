"""The feature-family contract.

A family is one file in ``mtdetect/features/`` with one subclass of :class:`FeatureFamily`. It
reads the :class:`~mtdetect.analysis.Analysis` of a document (never writing to it) and returns
(a) a fixed-length vector of document features, named by ``feature_names``, and (b) the
findings (flagged spans) it can explain.

Its examples are tests (``tests/test_feature_examples.py``):
- ``flags``: texts on which it must report at least one finding;
- ``passes``: texts on which it must report none;
- ``checks``: ``(text, feature_name, op, value)`` — e.g. ``("I do not know.", "contraction_rate",
  "==", 0.0)`` for families whose evidence is a number rather than a span.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.findings import Finding
from mtdetect.resources import SHIPPED, Resources
from mtdetect.text import Document


class FeatureFamily:
    """Base class: subclass it, set the class attributes, implement :meth:`measure`."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    feature_names: ClassVar[tuple[str, ...]] = ()
    flags: ClassVar[tuple[str, ...]] = ()
    passes: ClassVar[tuple[str, ...]] = ()
    checks: ClassVar[tuple[tuple[str, str, str, float], ...]] = ()
    #: what a push of this family's features means, in words, for sentence evidence
    #: ("driven mostly by {explanation} and ...")
    explanation: ClassVar[str] = ""
    #: decision rules of their own fed by some of its features: rule name -> feature names
    #: whose sum (over every family declaring the rule) is the rule's density
    decision_rules: ClassVar[dict[str, tuple[str, ...]]] = {}

    def extract(
        self, source: Analysis | Document | str, res: Resources = SHIPPED
    ) -> tuple[Sequence[float], list[Finding]]:
        """The feature values (one per ``feature_names``) and the findings of a document (an
        Analysis is read as it is; a Document or text is analysed with ``res``)."""
        return self.measure(Analysis.of(source, res))

    def measure(self, a: Analysis) -> tuple[Sequence[float], list[Finding]]:
        """Return the feature values and the findings of the analysed document ``a``."""
        raise NotImplementedError


def per_1000(count: float, n_words: int) -> float:
    """A count as a density per 1,000 words (0 for an empty document)."""
    return 1000.0 * count / n_words if n_words else 0.0


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
