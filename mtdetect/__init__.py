"""mtdetect: is this English text human, machine-translated, or spun — and where, and why.

>>> import mtdetect
>>> report = mtdetect.analyze("Some English text ...")      # doctest: +SKIP
>>> report.label, report.machine, report.flags               # doctest: +SKIP
"""

from __future__ import annotations

from mtdetect.findings import Finding, Report, SentenceReport
from mtdetect.model import Detector, ModelError, load_model

__version__ = "0.1.0"

_default: dict[str, Detector] = {}


def analyze(text: str, model: Detector | str | None = None, path: str = "-") -> Report:
    """Score ``text`` with ``model`` (a Detector, a model path, or the default model)."""
    if not isinstance(model, Detector):
        key = str(model) if model else ""
        if key not in _default:
            _default[key] = load_model(model)
        model = _default[key]
    return model.analyze(text, path=path)


__all__ = ["Detector", "Finding", "ModelError", "Report", "SentenceReport", "analyze",
           "load_model", "__version__"]
