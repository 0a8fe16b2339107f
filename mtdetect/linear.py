"""A fitted linear classifier as plain arrays: standardised features → multinomial logistic
regression, one pipeline or several sigmoid-calibrated folds (as shipped), to and from
JSON-ready dicts of numbers, so that a model file needs no pickle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mtdetect.detector import _calibrated_linear, _fast_proba
from mtdetect.regnorm import RegisterNorm, RegisterNormClassifier


# The detector reads a fitted classifier through scikit-learn's attribute names
# (``classes_``, ``calibrated_classifiers_[i].estimator.named_steps[...]``, ``calibrators``);
# these small read-only records carry the same names, so a loaded model is scored by exactly
# the code that scores a freshly trained one.
@dataclass(frozen=True)
class _Scaler:
    mean_: np.ndarray
    scale_: np.ndarray

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=float) - self.mean_) / self.scale_


@dataclass(frozen=True)
class _Logistic:
    coef_: np.ndarray  # (classes, features), as scikit-learn stores it
    intercept_: np.ndarray
    classes_: np.ndarray


@dataclass(frozen=True)
class _Sigmoid:
    a_: float
    b_: float


@dataclass(frozen=True)
class _Pipeline:
    named_steps: dict

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        sc, lr = self.named_steps["standardscaler"], self.named_steps["logisticregression"]
        return sc.transform(X) @ lr.coef_.T + lr.intercept_


@dataclass(frozen=True)
class _Fold:
    estimator: _Pipeline
    calibrators: list
    method: str = "sigmoid"


@dataclass
class CalibratedLinear:
    """Standardised features → multinomial logistic regression, either one pipeline (softmax
    probabilities) or, as shipped, several sigmoid-calibrated folds whose probabilities are
    averaged — scikit-learn's ``CalibratedClassifierCV(make_pipeline(StandardScaler(),
    LogisticRegression()), method="sigmoid")`` as plain arrays."""

    classes_: np.ndarray
    folds: list[_Fold]
    calibrated: bool = True
    _fast: list | None = field(default=None, init=False, repr=False)

    @property
    def calibrated_classifiers_(self) -> list[_Fold]:
        return self.folds if self.calibrated else []

    @property
    def named_steps(self) -> dict:
        if self.calibrated:
            raise AttributeError("named_steps")
        return self.folds[0].estimator.named_steps

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        if self.calibrated:
            raise AttributeError("decision_function")
        return self.folds[0].estimator.decision_function(X)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if self.calibrated:
            if self._fast is None:
                self._fast = _calibrated_linear(self)
            return _fast_proba(self._fast, X, len(self.classes_))
        z = self.decision_function(X)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def _linear_parts(clf) -> tuple[list[tuple], bool]:
    """((scaler, logistic regression, calibrators) per fold, calibrated?) of a classifier
    this format can hold; ModelError for any other."""
    folds = getattr(clf, "calibrated_classifiers_", None)
    if folds:
        if _calibrated_linear(clf) is None:
            raise ValueError(
                f"cannot store {type(clf).__name__} without pickle: only sigmoid-calibrated "
                "StandardScaler + LogisticRegression pipelines of 3+ classes are supported"
            )
        steps = [cc.estimator.named_steps for cc in folds]
        return [
            (st["standardscaler"], st["logisticregression"], list(cc.calibrators))
            for st, cc in zip(steps, folds)
        ], True
    steps = getattr(clf, "named_steps", None)
    if steps is None and hasattr(clf, "coef_"):  # a bare logistic regression: no scaling
        width = clf.coef_.shape[1]
        steps = {"standardscaler": _Scaler(np.zeros(width), np.ones(width))}
        steps["logisticregression"] = clf
    lr = (steps or {}).get("logisticregression")
    if lr is None or steps.get("standardscaler") is None or len(lr.classes_) < 3:
        raise ValueError(
            f"cannot store {type(clf).__name__} without pickle: only (StandardScaler +) "
            "LogisticRegression pipelines of 3+ classes, calibrated or not, are supported"
        )
    return [(steps["standardscaler"], lr, [])], False


def classifier_to_dict(clf) -> dict:
    """The parameters of a supported classifier as JSON-ready lists of numbers."""
    if isinstance(clf, RegisterNormClassifier):
        return {"type": "regnorm", "norm": clf.norm.to_dict(), "base": classifier_to_dict(clf.base)}
    parts, calibrated = _linear_parts(clf)
    folds = []
    for sc, lr, cals in parts:
        width = lr.coef_.shape[1]
        fold = {
            "classes": [str(c) for c in lr.classes_],
            "mean": np.broadcast_to(0.0 if sc.mean_ is None else sc.mean_, width).tolist(),
            "scale": np.broadcast_to(1.0 if sc.scale_ is None else sc.scale_, width).tolist(),
            "coef": np.asarray(lr.coef_, dtype=float).tolist(),
            "intercept": np.asarray(lr.intercept_, dtype=float).tolist(),
        }
        if calibrated:
            fold["a"] = [float(c.a_) for c in cals]
            fold["b"] = [float(c.b_) for c in cals]
        folds.append(fold)
    return {
        "type": "linear",
        "calibration": "sigmoid" if calibrated else "none",
        "classes": [str(c) for c in clf.classes_],
        "folds": folds,
    }


def _floats(value, shape: tuple[int, ...], what: str) -> np.ndarray:
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"model parameter {what} is not a list of numbers") from None
    if arr.shape != shape or not np.isfinite(arr).all():
        raise ValueError(f"model parameter {what} has shape {arr.shape}, expected {shape}")
    return arr


def _strings(value, what: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"model field {what} must be a non-empty list of strings")
    return value


def classifier_from_dict(d, n_features: int):
    """A :class:`CalibratedLinear` (or a :class:`RegisterNormClassifier` around one) from
    :func:`classifier_to_dict` output, every shape checked (a malformed file is a ModelError,
    never a crash later)."""
    if isinstance(d, dict) and d.get("type") == "regnorm":
        return _regnorm_from_dict(d, n_features)
    if not isinstance(d, dict) or d.get("type") != "linear":
        raise ValueError("model classifier must be an object of type 'linear'")
    calibrated = {"sigmoid": True, "none": False}.get(d.get("calibration"))
    if calibrated is None:
        raise ValueError("model classifier calibration must be 'sigmoid' or 'none'")
    classes = _strings(d.get("classes"), "classifier.classes")
    raw = d.get("folds")
    if not isinstance(raw, list) or not raw or (not calibrated and len(raw) != 1):
        raise ValueError("model classifier needs one fold, or one or more calibrated folds")
    folds = []
    for i, f in enumerate(raw):
        if not isinstance(f, dict):
            raise ValueError(f"model fold {i} is not an object")
        fc = _strings(f.get("classes"), f"folds[{i}].classes")
        if sorted(fc) != sorted(classes) or len(fc) < 3:
            raise ValueError(f"model fold {i} classes do not match the classifier's")
        k = len(fc)
        lr = _Logistic(
            _floats(f.get("coef"), (k, n_features), f"folds[{i}].coef"),
            _floats(f.get("intercept"), (k,), f"folds[{i}].intercept"),
            np.array(fc),
        )
        sc = _Scaler(
            _floats(f.get("mean"), (n_features,), f"folds[{i}].mean"),
            _floats(f.get("scale"), (n_features,), f"folds[{i}].scale"),
        )
        if (sc.scale_ == 0).any():
            raise ValueError(f"model parameter folds[{i}].scale has zeros")
        cals = []
        if calibrated:
            a = _floats(f.get("a"), (k,), f"folds[{i}].a")
            b = _floats(f.get("b"), (k,), f"folds[{i}].b")
            cals = [_Sigmoid(float(x), float(y)) for x, y in zip(a, b)]
        pipe = _Pipeline({"standardscaler": sc, "logisticregression": lr})
        folds.append(_Fold(pipe, cals))
    return CalibratedLinear(np.array(classes), folds, calibrated)


def _regnorm_from_dict(d: dict, n_features: int) -> RegisterNormClassifier:
    nd = d.get("norm")
    if not isinstance(nd, dict):
        raise ValueError("model register normalisation must be an object")
    classes = _strings(nd.get("classes"), "norm.classes")
    names = _strings(nd.get("feature_names"), "norm.feature_names")
    r = len(classes)
    if len(names) != n_features or r < 2:
        raise ValueError("model register normalisation does not match the features")
    try:
        cols = [int(i) for i in nd.get("cols")]
    except (TypeError, ValueError):
        raise ValueError("model parameter norm.cols is not a list of integers") from None
    if not cols or min(cols) < 0 or max(cols) >= n_features:
        raise ValueError("model parameter norm.cols is out of range")
    k = len(cols)
    norm = RegisterNorm(names, float(nd.get("C", 0.1)))
    norm.classes = classes
    norm.cols = cols
    norm.center = _floats(nd.get("center"), (k,), "norm.center")
    norm.scale = _floats(nd.get("scale"), (k,), "norm.scale")
    norm.coef = _floats(nd.get("coef"), (r, k), "norm.coef")
    norm.intercept = _floats(nd.get("intercept"), (r,), "norm.intercept")
    norm.mean = _floats(nd.get("mean"), (r, n_features), "norm.mean")
    norm.sd = _floats(nd.get("sd"), (r, n_features), "norm.sd")
    if (norm.scale == 0).any() or (norm.sd == 0).any():
        raise ValueError("model register normalisation has zero deviations")
    base = classifier_from_dict(d.get("base"), 2 * n_features)
    clf = RegisterNormClassifier(base, names, [])
    clf.norm = norm
    clf.classes_ = base.classes_
    return clf
