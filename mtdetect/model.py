"""Saving and loading the detector with its card.

A model is two files: ``NAME.joblib`` (the fitted vectorizer settings and classifier) and
``NAME.card.json`` beside it, a human-readable card naming every feature family and version, the
libraries, the data it saw (with hashes), its held-out metrics, the decision thresholds and the
sha256 of the joblib file. Loading checks that sha256 *before* unpickling, then checks the
feature families against the installed ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from pathlib import Path

import joblib
import numpy as np

from mtdetect.decision import MIN_RELIABLE_WORDS
from mtdetect.detector import Detector
from mtdetect.vectorize import FeatureVectorizer

FORMAT = 1
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "mtdetect.joblib"


class ModelError(Exception):
    """A model that cannot be used: missing, tampered with, or built for other features."""


def card_path(model_path: Path) -> Path:
    name = model_path.name
    stem = name[: -len(".joblib")] if name.endswith(".joblib") else name
    return model_path.with_name(stem + ".card.json")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    import sklearn

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "joblib": joblib.__version__,
    }


def save_model(det: Detector, path: Path) -> dict:
    """Write ``path`` (joblib) and its card; return the card."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "families": list(det.vectorizer.family_versions_),
        "family_versions": dict(det.vectorizer.family_versions_),
        "classifier": det.classifier,
        "threshold": det.threshold,
        "short_threshold": det.short_threshold,
        "class_thresholds": det.class_thresholds,
    }
    tmp = path.with_name(path.name + ".tmp")
    joblib.dump(payload, tmp, compress=3)
    os.replace(tmp, path)
    card = dict(det.card)
    card.update(
        format=FORMAT,
        features={f.name: f.version for f in det.vectorizer.families_},
        n_features=len(det.vectorizer.feature_names_),
        threshold=det.threshold,
        short_threshold=det.short_threshold,
        class_thresholds=det.class_thresholds,
        min_reliable_words=MIN_RELIABLE_WORDS,
        libraries=library_versions(),
        sha256=sha256_file(path),
    )
    card_path(path).write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    det.card = card
    return card


def resolve_model_path(path: str | os.PathLike | None = None) -> Path:
    """``path``, else ``$MTDETECT_MODEL``, else the shipped ``models/mtdetect.joblib``."""
    if path:
        return Path(path)
    env = os.environ.get("MTDETECT_MODEL")
    return Path(env) if env else DEFAULT_MODEL


def load_model(path: str | os.PathLike | None = None) -> Detector:
    """Load a model after checking its card: sha256 first, then feature families/versions."""
    from mtdetect.features import family_classes

    p = resolve_model_path(path)
    if not p.is_file():
        raise ModelError(f"model not found: {p} (run `make train`, or pass --model PATH)")
    cp = card_path(p)
    if not cp.is_file():
        raise ModelError(f"model card not found: {cp} (run `make train`)")
    try:
        card = json.loads(cp.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"model card {cp} is unreadable: {e} (run `make train`)") from None
    if not isinstance(card, dict):
        raise ModelError(f"model card {cp} is not a JSON object (run `make train`)")
    digest = sha256_file(p)
    if card.get("sha256") != digest:
        raise ModelError(
            f"model {p} does not match its card (sha256 {digest[:12]}… ≠ "
            f"{str(card.get('sha256'))[:12]}…); refusing to unpickle it. Run `make train`."
        )
    installed = {c.name: c.version for c in family_classes()}
    wanted = card.get("features", {})
    diffs = [
        f"{n} (model {v}, installed {installed.get(n, 'missing')})"
        for n, v in wanted.items()
        if installed.get(n) != v
    ]
    if diffs:
        raise ModelError(
            "model was trained with other feature versions: " + ", ".join(diffs) + ". "
            "Run `make train`."
        )
    try:
        payload = joblib.load(p)
    except Exception as e:  # noqa: BLE001 - any unpickling failure is a model error
        raise ModelError(f"cannot load model {p}: {e} (run `make train`)") from None
    if payload.get("format") != FORMAT:
        raise ModelError(f"model {p} has format {payload.get('format')}, expected {FORMAT}")
    stale = {n: v for n, v in payload.get("family_versions", {}).items() if installed.get(n) != v}
    if stale or not wanted:
        raise ModelError(
            f"model {p} was trained with other feature versions than its card or the installed "
            f"ones ({', '.join(stale) or 'card lists none'}). Run `make train`."
        )
    vec = FeatureVectorizer(payload["families"]).fit()
    short = payload.get("short_threshold")
    return Detector(
        vec,
        payload["classifier"],
        float(payload["threshold"]),
        card,
        None if short is None else float(short),
        payload.get("class_thresholds"),
    )
