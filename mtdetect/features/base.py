"""The feature-family contract: a family, and the rules it declares.

A family is one file in ``mtdetect/features/`` with one subclass of :class:`FeatureFamily`
(adding a family is adding one file: families are discovered). It reads the
:class:`~mtdetect.analysis.Analysis` of a document (never writing to it) and returns (a) a
fixed-length vector of document features, named by ``feature_names``, and (b) findings, each
raised by one of the :class:`Rule` values it declares in ``rules``. It also declares what its
features mean in words (``explanation``) and which feed a decision rule of their own
(``decision_rules``).

Its examples are tests (``tests/test_features.py``):
- each rule's ``flags``: texts on which the family must raise that rule;
- each rule's ``passes``: texts on which the family must raise nothing;
- ``checks``: ``(text, feature_name, op, value)`` — e.g. ``("I do not know.", "contraction_rate",
  "==", 0.0)`` for families whose evidence is a number rather than a span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.findings import SEVERITIES, Finding
from mtdetect.resources import SHIPPED, Resources
from mtdetect.text import Document


@dataclass(frozen=True)
class Rule:
    """A rule a family raises findings by, declared as a value.

    ``id`` names it (``collocation.synonym-swap``), ``kind`` its kind of evidence (the Finding's
    ``kind``), ``severity`` how much one finding says: ``error`` proves rewriting on its own (a
    listed tortured phrase, a calque), ``warning`` is strong evidence, ``info`` weak evidence.
    ``catches`` says what it catches; ``reasons`` are its reason templates by name
    (``str.format`` fields), ``score`` the score of its findings when fixed (``None``: each
    finding has its own). ``flags`` / ``passes``: examples it must flag / pass (tests).
    """

    id: str
    kind: str
    severity: str
    catches: str
    reasons: Mapping[str, str]
    score: float | None = None
    flags: tuple[str, ...] = ()
    passes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id}: severity must be one of {SEVERITIES}")

    def reason(self, template: str, **fields: object) -> str:
        """The reason of a finding: template ``template`` filled with ``fields``."""
        return self.reasons[template].format(**fields)

    def pattern(self, template: str) -> re.Pattern:
        """A regular expression that the reasons of template ``template`` match."""
        parts = re.split(r"\{[^{}]*\}", self.reasons[template])
        return re.compile(".*?".join(map(re.escape, parts)), re.DOTALL)

    def finding(
        self,
        a: Analysis,
        start: int,
        end: int,
        reason: str,
        suggestion: str | None = None,
        score: float | None = None,
    ) -> Finding:
        """A finding of this rule on ``a.doc.text[start:end]``, with its line, column and
        sentence; ``score`` defaults to the rule's."""
        doc = a.doc
        line, col = doc.line_col(start)
        return Finding(
            rule=self.id,
            kind=self.kind,
            start=start,
            end=end,
            text=doc.text[start:end],
            reason=reason,
            suggestion=suggestion,
            score=float(self.score if score is None else score),
            line=line,
            column=col,
            sentence=doc.sentence_of(start),
            severity=self.severity,
        )


class FeatureFamily:
    """Base class: subclass it, set the class attributes, implement :meth:`measure`."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    feature_names: ClassVar[tuple[str, ...]] = ()
    #: the rules its findings are raised by
    rules: ClassVar[tuple[Rule, ...]] = ()
    checks: ClassVar[tuple[tuple[str, str, str, float], ...]] = ()
    #: what a push of this family's features means, in words, for sentence evidence
    #: ("driven mostly by {explanation} and ...")
    explanation: ClassVar[str] = ""
    #: decision rules of their own fed by some of its features: rule name -> feature names
    #: whose sum (over every family declaring the rule) is the rule's density
    decision_rules: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: an opt-in family is left out of models unless named (``mtdetect train --with-family``):
    #: for families that cost speed without improving the held-out figures
    opt_in: ClassVar[bool] = False
    #: hard-evidence rules: rule name -> feature names (densities per 1,000 words) whose sum
    #: reaching :data:`mtdetect.decision.HARD_MIN_DENSITY` decides alone (see
    #: :data:`mtdetect.decision.HARD_MARGIN`); only for evidence that (measured) human text
    #: practically never shows, such as a listed tortured phrase
    hard_rules: ClassVar[dict[str, tuple[str, ...]]] = {}

    def extract(
        self, source: Analysis | Document | str, res: Resources = SHIPPED
    ) -> tuple[Sequence[float], list[Finding]]:
        """The feature values (one per ``feature_names``) and the findings of a document (an
        Analysis is read as it is; a Document or text is analysed with ``res``)."""
        return self.measure(Analysis.of(source, res))

    def measure(self, a: Analysis) -> tuple[Sequence[float], list[Finding]]:
        """Return the feature values and the findings of the analysed document ``a``."""
        raise NotImplementedError

    def measure_many(
        self, analyses: Sequence[Analysis]
    ) -> list[tuple[Sequence[float], list[Finding]]]:
        """:meth:`measure` of each analysed document; a family that can share work across
        documents (one pass over a batch) overrides it, with the same results."""
        return [self.measure(a) for a in analyses]


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


def top_sentences(
    scores: np.ndarray, threshold: float, ok: np.ndarray | None = None, k: int = 3
) -> list[int]:
    """The sentences a family reports as evidence, in text order: of the ``k`` with the highest
    ``scores``, those above ``threshold`` (and ``ok``)."""
    top = np.argsort(-scores)[:k]
    return sorted(int(s) for s in top if scores[s] > threshold and (ok is None or ok[s]))


def quoted(texts: Iterable[str]) -> list[str]:
    """Each distinct text once, in order, in single quotes (for a reason)."""
    return [f"'{t}'" for t in dict.fromkeys(texts)]
