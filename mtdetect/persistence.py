"""Model files without pickle: a detector saved as plain numbers (JSON) and loaded back.

A model is two files: ``NAME.model.json`` (feature families, the classifier's parameters and
the decision thresholds, all plain numbers and strings) and ``NAME.card.json`` beside it, a
human-readable card naming every feature family and version, the libraries, the data it saw
(with hashes), its held-out metrics, the thresholds and the sha256 of the model file. Loading
checks that sha256 and the feature versions, then reads numbers: a model file can never run
code. A pickle (joblib) model, the format before, is refused unless the caller trusts it
(``trust=True``; CLI ``--trust-model``), because unpickling runs whatever code the file names.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from pathlib import Path

import numpy as np

from mtdetect import resources
from mtdetect.decision import MIN_RELIABLE_WORDS
from mtdetect.detector import Detector
from mtdetect.linear import classifier_from_dict, classifier_to_dict
from mtdetect.vectorize import FeatureVectorizer

#: ``format`` of a JSON model file; ``version`` changes when its layout does.
FORMAT_NAME = "mtdetect-model"
FORMAT_VERSION = 2
#: The pickle (joblib) payload format this version can still read, when trusted.
PICKLE_FORMAT = 1
MODEL_SUFFIX = ".model.json"
#: The model of a checkout, where ``make train`` writes it.
CHECKOUT_MODEL = Path(__file__).resolve().parent.parent / "models" / f"mtdetect{MODEL_SUFFIX}"
#: Where a built wheel carries its copy of it (package data, see setup.py).
PACKAGED_MODEL = f"model/mtdetect{MODEL_SUFFIX}"


def shipped_model() -> Path:
    """The shipped model: the package's own copy in an installed wheel (read through
    ``importlib.resources``), else the checkout's ``models/`` (a checkout or editable install
    never has the copy: it exists only in a build)."""
    packaged = resources.resource_path(PACKAGED_MODEL)
    return packaged if packaged.is_file() else CHECKOUT_MODEL


DEFAULT_MODEL = shipped_model()
#: A model file is a few hundred KB; anything far larger is not one (and is not read whole).
MAX_MODEL_BYTES = 64 * 1024 * 1024


class ModelError(Exception):
    """A model that cannot be used: missing, tampered with, untrusted, or built for other
    features."""


# -- files -----------------------------------------------------------------------------------
def card_path(model_path: Path) -> Path:
    """``NAME.card.json`` beside ``NAME.model.json`` (or a legacy ``NAME.joblib``)."""
    name = Path(model_path).name
    for suffix in (MODEL_SUFFIX, ".joblib", ".json"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return Path(model_path).with_name(name + ".card.json")


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
    }


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` beside ``path`` and rename it into place: a reader never sees half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def save_model(det: Detector, path: Path) -> dict:
    """Write ``path`` (JSON, no pickle) and its card beside it; return the card."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "families": list(det.vectorizer.family_versions_),
        "family_versions": dict(det.vectorizer.family_versions_),
        "feature_names": [str(n) for n in det.vectorizer.feature_names_],
        "classifier": _classifier_dict(det.classifier),
        "threshold": det.threshold,
        "short_threshold": det.short_threshold,
        "class_thresholds": det.class_thresholds,
        "calibration": det.calibration,
    }
    # repr-exact floats: the numbers read back are the numbers written, bit for bit
    _write_atomic(path, json.dumps(payload) + "\n")
    card = dict(det.card)
    card.pop("sha256", None)
    card.update(
        format=f"{FORMAT_NAME}/{FORMAT_VERSION}",
        features={f.name: f.version for f in det.vectorizer.families_},
        n_features=len(det.vectorizer.feature_names_),
        threshold=det.threshold,
        short_threshold=det.short_threshold,
        class_thresholds=det.class_thresholds,
        calibration=det.calibration,
        min_reliable_words=MIN_RELIABLE_WORDS,
        libraries=library_versions(),
        sha256=sha256_file(path),
    )
    _write_atomic(card_path(path), json.dumps(card, indent=2, sort_keys=False) + "\n")
    det.card = card
    return card


def _classifier_dict(clf) -> dict:
    try:
        return classifier_to_dict(clf)
    except ValueError as e:
        raise ModelError(str(e)) from None


def resolve_model_path(path: str | os.PathLike | None = None) -> Path:
    """``path``, else ``$MTDETECT_MODEL``, else the shipped model (:func:`shipped_model`)."""
    if path:
        return Path(path)
    env = os.environ.get("MTDETECT_MODEL")
    return Path(env) if env else DEFAULT_MODEL


def _read_json(path: Path, what: str):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as e:
        reason = "nested too deeply" if isinstance(e, RecursionError) else e
        raise ModelError(f"{what} {path} is unreadable: {reason} (run `make train`)") from None


def _check_card(p: Path) -> dict:
    """The card of model ``p``, after checking the model's sha256 and feature versions."""
    from mtdetect.features import family_classes

    cp = card_path(p)
    if not cp.is_file():
        raise ModelError(f"model card not found: {cp} (run `make train`)")
    card = _read_json(cp, "model card")
    if not isinstance(card, dict):
        raise ModelError(f"model card {cp} is not a JSON object (run `make train`)")
    digest = sha256_file(p)
    if card.get("sha256") != digest:
        raise ModelError(
            f"model {p} does not match its card (sha256 {digest[:12]}… ≠ "
            f"{str(card.get('sha256'))[:12]}…); refusing to load it. Run `make train`."
        )
    installed = {c.name: c.version for c in family_classes()}
    wanted = card.get("features")
    if not isinstance(wanted, dict) or not wanted:
        raise ModelError(f"model card {cp} lists no feature families. Run `make train`.")
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
    return card


def _is_json(p: Path) -> bool:
    with open(p, "rb") as fh:
        head = fh.read(64).lstrip(b" \t\r\n\xef\xbb\xbf")
    return head.startswith(b"{")


def load_model(path: str | os.PathLike | None = None, trust: bool = False) -> Detector:
    """Load a model after checking its card (sha256, then feature families and versions).

    A JSON model is read as numbers. Anything else is taken for a pickle and refused unless
    ``trust`` is set: unpickling a file runs the code it names, so trust only models you made.
    """
    p = resolve_model_path(path)
    if not p.is_file():
        raise ModelError(f"model not found: {p} (run `make train`, or pass --model PATH)")
    size = p.stat().st_size
    if size > MAX_MODEL_BYTES:
        raise ModelError(f"model {p} is {size:,} bytes: not a model file")
    card = _check_card(p)
    if _is_json(p):
        payload = _read_json(p, "model")
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
            raise ModelError(f"model {p} is not an mtdetect model file (run `make train`)")
        if payload.get("version") != FORMAT_VERSION:
            raise ModelError(
                f"model {p} has format version {payload.get('version')!r}, this mtdetect reads "
                f"{FORMAT_VERSION} (run `make train`)"
            )
        vec = _vectorizer(p, payload, card)
        names = payload.get("feature_names")
        if names != [str(n) for n in vec.feature_names_]:
            raise ModelError(f"model {p} was built on other features (run `make train`)")
        try:
            classifier = classifier_from_dict(payload.get("classifier"), len(names))
        except ValueError as e:
            raise ModelError(f"model {p}: {e} (run `make train`)") from None
    else:
        if not trust:
            raise ModelError(
                f"model {p} is not a JSON model; it looks like a pickle (joblib) file, and "
                "loading a pickle runs any code it contains. Pass --trust-model (API: "
                "trust=True) only for a model you made yourself, or retrain (`make train`)."
            )
        payload = _unpickle(p)
        vec = _vectorizer(p, payload, card)
        classifier = payload.get("classifier")
        if not hasattr(classifier, "predict_proba") or not hasattr(classifier, "classes_"):
            raise ModelError(f"model {p} holds no fitted classifier (run `make train`)")
    try:
        threshold = float(payload.get("threshold", 0.5))
        short = payload.get("short_threshold")
        short = None if short is None else float(short)
        class_thresholds = _class_thresholds(payload.get("class_thresholds"))
        calibration = _calibration(payload.get("calibration"))
    except (TypeError, ValueError, KeyError, AttributeError):
        raise ModelError(f"model {p} has malformed thresholds (run `make train`)") from None
    return Detector(vec, classifier, threshold, card, short, class_thresholds, calibration)


def _unpickle(p: Path) -> dict:
    import joblib

    try:
        payload = joblib.load(p)
    except Exception as e:  # noqa: BLE001 - any unpickling failure is a model error
        raise ModelError(f"cannot load model {p}: {type(e).__name__}: {e}") from None
    if not isinstance(payload, dict) or payload.get("format") != PICKLE_FORMAT:
        raise ModelError(f"model {p} is not an mtdetect pickle model (run `make train`)")
    return payload


def _vectorizer(p: Path, payload: dict, card: dict) -> FeatureVectorizer:
    """The feature vectorizer a model names, if its families match its card's."""
    families = payload.get("families")
    versions = payload.get("family_versions")
    if (
        not isinstance(families, list)
        or not isinstance(versions, dict)
        or versions != card.get("features")
        or sorted(families) != sorted(versions)
    ):
        raise ModelError(
            f"model {p} was trained with other feature versions than its card or the installed "
            "ones. Run `make train`."
        )
    try:
        return FeatureVectorizer(families).fit()
    except KeyError as e:
        raise ModelError(f"model {p}: {e.args[0]}. Run `make train`.") from None


def _class_thresholds(ct) -> dict | None:
    if ct is None:
        return None
    if not isinstance(ct, dict) or not ct or "long" not in ct:
        raise ValueError("class thresholds")
    rules = list(ct["long"])
    return {
        str(b): {str(r): float(v[r]) for r in rules} for b, v in ct.items() if isinstance(v, dict)
    }


def _calibration(cal) -> dict | None:
    """``{bucket: [a, c]}`` with a > 0, or None (an older model: machine = σ(margin))."""
    if cal is None:
        return None
    if not isinstance(cal, dict):
        raise ValueError("calibration")
    out = {}
    for b, v in cal.items():
        a, c = (float(x) for x in v)
        if not (a > 0 and np.isfinite(a) and np.isfinite(c)):
            raise ValueError("calibration")
        out[str(b)] = [a, c]
    return out
