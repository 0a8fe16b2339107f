"""Result types: a Finding (one flagged span), a SentenceReport, a Paragraph and the document
Report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LABELS = ("human", "translated", "spun")
#: How much one finding says, strongest first (see ``mtdetect.features.base.Rule``).
SEVERITIES = ("error", "warning", "info")
FINDING_KEYS = (
    "rule",
    "kind",
    "severity",
    "line",
    "column",
    "start",
    "end",
    "text",
    "reason",
    "suggestion",
    "sentence",
    "score",
    "also",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span.

    ``rule`` is a dotted id (``collocation.synonym-swap``); ``kind`` its family of evidence
    (``collocation``, ``name``, ``tortured-phrase``, ``idiom``, ``translation``…); ``start``/``end``
    index the original text and ``text`` is exactly that span; ``reason`` is a sentence a person can
    act on; ``suggestion`` the likely original wording, or ``None``; ``score`` in [0, 1] is how
    strongly the span points to machine rewriting; ``severity`` is its rule's (``error``: proves
    rewriting on its own, ``warning``, ``info``); ``also`` names other rules that flagged the same
    span (merged into this one, see :mod:`mtdetect.spanmerge`), and ``absorbed`` holds their
    findings (not in ``to_dict``): the configuration may turn this one's rule off.
    """

    rule: str
    kind: str
    start: int
    end: int
    text: str
    reason: str
    suggestion: str | None = None
    score: float = 1.0
    line: int = 0
    column: int = 0
    sentence: int = 0
    severity: str = "warning"
    also: tuple[str, ...] = ()
    absorbed: tuple[Finding, ...] = ()

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in FINDING_KEYS}
        d["also"] = list(self.also)
        return d


@dataclass(frozen=True, slots=True)
class SentenceReport:
    """A sentence that carries evidence, with its score in [0, 1]."""

    index: int
    line: int
    start: int
    end: int
    text: str
    score: float
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph scored on its own: ``index`` counts from 1 (as the summary line does),
    ``line`` is its first line, ``start``/``end`` index the original text."""

    index: int
    line: int
    start: int
    end: int
    words: int
    machine: float
    label: str

    def to_dict(self) -> dict:
        d = asdict(self)
        d["machine"] = round(self.machine, 6)
        return d


@dataclass
class Report:
    """The verdict on one document. ``paragraphs`` is filled by the report path
    (:mod:`mtdetect.paragraphs`), ``tool_version``/``model_sha256`` say what produced it."""

    path: str
    label: str
    machine: float
    scores: dict[str, float]
    reliable: bool
    words: int
    threshold: float
    flags: list[Finding] = field(default_factory=list)
    sentences: list[SentenceReport] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tool_version: str = ""
    model_sha256: str = ""
    #: why the verdict is not human, in words (the deciding rule); "" for a human verdict
    basis: str = ""

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "tool_version": self.tool_version,
            "model_sha256": self.model_sha256,
            "label": self.label,
            "machine": round(self.machine, 6),
            "scores": {k: round(v, 6) for k, v in self.scores.items()},
            "reliable": self.reliable,
            "words": self.words,
            "threshold": self.threshold,
            "basis": self.basis or None,
            "flags": [f.to_dict() for f in self.flags],
            "sentences": [s.to_dict() for s in self.sentences],
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }
