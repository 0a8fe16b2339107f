"""mtdetect: is this English text human, machine-translated, or spun — and where, and why.

>>> import mtdetect
>>> report = mtdetect.analyze("Some English text ...")      # doctest: +SKIP
>>> report.label, report.machine, report.flags               # doctest: +SKIP

Heavy modules (scikit-learn, the model) load on first use, not at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtdetect.findings import Finding, Report, SentenceReport
from mtdetect.inputs import InputError
from mtdetect.version import __version__

if TYPE_CHECKING:
    from mtdetect.config import Config
    from mtdetect.detector import Detector


_default: dict[str, Detector] = {}


def load_model(path=None, trust: bool = False) -> Detector:
    """Load a model (default: ``$MTDETECT_MODEL`` or the shipped one) after checking its card.
    A pickle model is refused (ModelError) unless ``trust``: unpickling runs its code."""
    from mtdetect.persistence import load_model as _load

    return _load(path, trust=trust)


def analyze(
    text: str,
    model: Detector | str | None = None,
    path: str = "-",
    threshold: float | None = None,
    config: Config | None = None,
) -> Report:
    """Score ``text`` with ``model`` (a Detector, a model path, or the default model): the
    report ``mtdetect score`` prints, with per-paragraph scores and provenance.

    Input is checked as the CLI checks it: :class:`InputError` (a ``ValueError``) for anything
    but a ``str``, text that is not valid Unicode (unpaired surrogates), empty text, text
    clearly not in English, or a ``threshold`` outside [0, 1]. ``threshold`` moves the cut on
    ``machine`` for this text (default: the model's, or ``config``'s); ``config`` (a
    :class:`mtdetect.config.Config`, e.g. ``mtdetect.config.load()``) selects the flags shown.
    A ``path`` ending in ``.md`` is read as Markdown (code, URLs, front matter not scored)."""
    from mtdetect.config import Config
    from mtdetect.detector import Detector
    from mtdetect.inputs import check_text
    from mtdetect.review import review

    check_text(text, path if path != "-" else "text")
    if threshold is not None and not (
        isinstance(threshold, (int, float))
        and not isinstance(threshold, bool)
        and 0.0 <= threshold <= 1.0
    ):
        raise InputError(f"threshold must be a number in [0, 1], got {threshold!r}")
    if not isinstance(model, Detector):
        key = str(model) if model else ""
        if key not in _default:
            _default[key] = load_model(model)
        model = _default[key]
    cfg = (config or Config()).override(threshold=threshold)
    return review(model, text, path, cfg)


def __getattr__(name: str):
    if name == "Detector":
        from mtdetect.detector import Detector

        return Detector
    if name == "ModelError":
        from mtdetect.persistence import ModelError

        return ModelError
    raise AttributeError(name)


__all__ = [
    "Detector",
    "Finding",
    "InputError",
    "ModelError",
    "Report",
    "SentenceReport",
    "analyze",
    "load_model",
    "__version__",
]
