"""mtdetect: is this English text human, machine-translated, or spun — and where, and why.

>>> import mtdetect
>>> report = mtdetect.analyze("Some English text ...")      # doctest: +SKIP
>>> report.label, report.machine, report.flags               # doctest: +SKIP

Heavy modules (scikit-learn, the model) load on first use, not at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtdetect.findings import Finding, Report, SentenceReport

if TYPE_CHECKING:
    from mtdetect.model import Detector

__version__ = "0.1.0"

_default: dict[str, Detector] = {}


def load_model(path=None) -> Detector:
    """Load a model (default: ``$MTDETECT_MODEL`` or the shipped one) after checking its card."""
    from mtdetect.persistence import load_model as _load

    return _load(path)


def analyze(text: str, model: Detector | str | None = None, path: str = "-") -> Report:
    """Score ``text`` with ``model`` (a Detector, a model path, or the default model)."""
    from mtdetect.model import Detector

    if not isinstance(model, Detector):
        key = str(model) if model else ""
        if key not in _default:
            _default[key] = load_model(model)
        model = _default[key]
    return model.analyze(text, path=path)


def __getattr__(name: str):
    if name == "Detector":
        from mtdetect.model import Detector

        return Detector
    if name == "ModelError":
        from mtdetect.persistence import ModelError

        return ModelError
    raise AttributeError(name)


__all__ = [
    "Detector",
    "Finding",
    "ModelError",
    "Report",
    "SentenceReport",
    "analyze",
    "load_model",
    "__version__",
]
