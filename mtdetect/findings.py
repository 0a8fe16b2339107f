"""Result types: a Finding (one flagged span), a SentenceReport and the document Report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LABELS = ("human", "translated", "spun")
FINDING_KEYS = (
    "rule",
    "kind",
    "line",
    "column",
    "start",
    "end",
    "text",
    "reason",
    "suggestion",
    "sentence",
    "score",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span.

    ``rule`` is a dotted id (``collocation.synonym-swap``); ``kind`` its family of evidence
    (``collocation``, ``name``, ``tortured-phrase``, ``idiom``, ``translation``…); ``start``/``end``
    index the original text and ``text`` is exactly that span; ``reason`` is a sentence a person can
    act on; ``suggestion`` the likely original wording, or ``None``; ``score`` in [0, 1] is how
    strongly the span points to machine rewriting.
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

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in FINDING_KEYS}


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


@dataclass
class Report:
    """The verdict on one document."""

    path: str
    label: str
    machine: float
    scores: dict[str, float]
    reliable: bool
    words: int
    threshold: float
    flags: list[Finding] = field(default_factory=list)
    sentences: list[SentenceReport] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "label": self.label,
            "machine": round(self.machine, 6),
            "scores": {k: round(v, 6) for k, v in self.scores.items()},
            "reliable": self.reliable,
            "words": self.words,
            "threshold": self.threshold,
            "flags": [f.to_dict() for f in self.flags],
            "sentences": [s.to_dict() for s in self.sentences],
        }
