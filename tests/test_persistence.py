"""Model files hold plain numbers: what is saved is what is scored, and a pickle never runs."""

from __future__ import annotations

import builtins
import json
import pickle

import numpy as np
import pytest
from typer.testing import CliRunner

from mtdetect.cli import app
from mtdetect.linear import CalibratedLinear
from mtdetect.persistence import (
    DEFAULT_MODEL,
    ModelError,
    card_path,
    load_model,
    save_model,
    sha256_file,
)

TEXTS = [
    "The council said it would publish journey times every quarter, starting in the spring.",
    '"We are not able to wait," he said. The work is expected to begin in March and end soon.',
    "It is raining ropes in the metropolis and the assembly has concurred on the funds.",
]


@pytest.fixture(scope="module")
def calibrated_detector(tiny_model):
    """A detector with the shipped classifier's shape (sigmoid-calibrated folds, 4 classes),
    fit on random features of the real width."""
    from mtdetect.detector import Detector
    from mtdetect.training import make_classifier

    vec = tiny_model.vectorizer
    rng = np.random.default_rng(0)
    n, width = 160, len(vec.feature_names_)
    y = np.array(["human", "spun", "translated", "translated/roundtrip"] * (n // 4))
    X = rng.normal(0, 1, (n, width)) + (np.arange(n) % 4)[:, None] * 0.05
    clf = make_classifier(0).fit(X, y)
    t = {"spun": 1.0, "translated": 1.5, "translated/roundtrip": 1.2}
    ct = {"short": t, "long": t, "passage": t}
    return Detector(vec, clf, 0.5, {"name": "calibrated"}, 0.5, ct), X


def test_saved_model_is_json_and_scores_as_the_fitted_one(calibrated_detector, tmp_path):
    det, X = calibrated_detector
    path = tmp_path / "c.model.json"
    save_model(det, path)
    payload = json.loads(path.read_text())  # plain JSON, no pickle anywhere
    assert payload["format"] == "mtdetect-model" and payload["classifier"]["type"] == "linear"
    again = load_model(path)
    assert isinstance(again.classifier, CalibratedLinear)
    assert list(again.classifier.classes_) == list(det.classifier.classes_)
    rng = np.random.default_rng(1)
    Z = np.vstack([X[:20], rng.normal(0, 3, (20, X.shape[1]))])
    ref = det.classifier.predict_proba(Z)  # scikit-learn's own computation
    assert np.allclose(again.classifier.predict_proba(Z), ref, rtol=0, atol=1e-12)
    assert np.allclose(again.raw_proba(Z), ref, rtol=0, atol=1e-12)
    from mtdetect.explain import family_contributions

    for label in ("translated", "spun"):
        fa, ta = family_contributions(det, Z, label)
        fb, tb = family_contributions(again, Z, label)
        assert fa == fb and np.allclose(ta, tb, rtol=0, atol=1e-12) and np.abs(ta).sum() > 0
    for a, b in zip(det.analyze_many(TEXTS, explain=True), again.analyze_many(TEXTS, explain=True)):
        assert a.label == b.label and abs(a.machine - b.machine) <= 1e-12
        assert all(abs(a.scores[k] - b.scores[k]) <= 1e-12 for k in a.scores)
        assert [f.to_dict() for f in a.flags] == [f.to_dict() for f in b.flags]
    card = json.loads(card_path(path).read_text())
    assert card["sha256"] == sha256_file(path) and card["format"] == "mtdetect-model/2"


def test_uncalibrated_pipeline_round_trip(tiny_model_path, tiny_model):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # the fixture model is a plain pipeline: refit one like it and compare with scikit-learn
    rng = np.random.default_rng(2)
    width = len(tiny_model.vectorizer.feature_names_)
    X = rng.normal(0, 1, (60, width))
    y = np.array(["human", "translated", "spun"] * 20)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(X, y)
    from mtdetect.linear import classifier_from_dict, classifier_to_dict

    back = classifier_from_dict(json.loads(json.dumps(classifier_to_dict(pipe))), width)
    assert np.allclose(back.predict_proba(X), pipe.predict_proba(X), rtol=0, atol=1e-12)
    assert np.allclose(back.decision_function(X), pipe.decision_function(X), atol=1e-12)


class _Trap:
    """A pickle whose loading writes a file: proof that code ran."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (builtins.exec, (f"open({self.target!r}, 'w').write('code ran')",))


def _booby_trapped_model(tiny_model_path, tmp_path):
    """A pickle model with a card that carries its own sha256 and the installed features."""
    target = tmp_path / "pwned.txt"
    model = tmp_path / "evil.joblib"
    model.write_bytes(pickle.dumps(_Trap(target)))  # unpickles to None: not a dict either
    card = json.loads(card_path(tiny_model_path).read_text())
    card["sha256"] = sha256_file(model)
    card_path(model).write_text(json.dumps(card))
    return model, target


def test_pickle_model_is_refused_and_never_run(tiny_model_path, tmp_path, monkeypatch):
    model, target = _booby_trapped_model(tiny_model_path, tmp_path)
    with pytest.raises(ModelError, match="pickle.*--trust-model"):
        load_model(model)
    assert not target.exists()
    # the standing injection point: MTDETECT_MODEL
    monkeypatch.setenv("MTDETECT_MODEL", str(model))
    with pytest.raises(ModelError, match="pickle"):
        load_model()
    r = CliRunner().invoke(app, ["score", "-"], input="The council met on Tuesday night.")
    assert r.exit_code == 2 and "--trust-model" in r.stderr and "Traceback" not in r.output
    assert not target.exists()
    # the trap is real: trusting the file runs it (and a non-dict payload is still refused)
    with pytest.raises(ModelError, match="not an mtdetect pickle model"):
        load_model(model, trust=True)
    assert target.read_text() == "code ran"


def test_trusted_pickle_model_still_loads(calibrated_detector, tmp_path):
    import joblib

    det, X = calibrated_detector
    path = tmp_path / "old.joblib"
    save_model(det, tmp_path / "old.model.json")  # writes old.card.json
    payload = {
        "format": 1,
        "families": list(det.vectorizer.family_versions_),
        "family_versions": dict(det.vectorizer.family_versions_),
        "classifier": det.classifier,
        "threshold": 0.5,
        "short_threshold": 0.5,
        "class_thresholds": det.class_thresholds,
    }
    joblib.dump(payload, path)
    card = json.loads(card_path(path).read_text())
    card["sha256"] = sha256_file(path)
    card_path(path).write_text(json.dumps(card))
    with pytest.raises(ModelError, match="pickle"):
        load_model(path)
    old = load_model(path, trust=True)
    assert np.allclose(old.raw_proba(X[:5]), det.raw_proba(X[:5]), atol=0)
    r = CliRunner().invoke(
        app, ["score", "-", "--model", str(path), "--trust-model"], input=TEXTS[0]
    )
    assert r.exit_code in (0, 1), r.output


def _with_card(tiny_model_path, tmp_path, text: str):
    m = tmp_path / "m.model.json"
    m.write_text(text)
    card = json.loads(card_path(tiny_model_path).read_text())
    card["sha256"] = sha256_file(m)
    card_path(m).write_text(json.dumps(card))
    return m


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda p: p["classifier"]["folds"][0].update(coef=[[1.0]]), "shape"),
        (lambda p: p["classifier"]["folds"][0].update(mean="x"), "numbers"),
        (lambda p: p["classifier"].update(type="pickle"), "linear"),
        (lambda p: p.update(version=99), "format version"),
        (lambda p: p.update(feature_names=["a"]), "other features"),
        (lambda p: p.update(class_thresholds={"long": 3}), "thresholds"),
        (lambda p: p.update(format="other"), "not an mtdetect model"),
    ],
)
def test_malformed_model_files_are_refused(tiny_model_path, tmp_path, edit, match):
    payload = json.loads(tiny_model_path.read_text())
    edit(payload)
    m = _with_card(tiny_model_path, tmp_path, json.dumps(payload))
    with pytest.raises(ModelError, match=match):
        load_model(m)


def test_deeply_nested_model_file_is_a_model_error(tiny_model_path, tmp_path):
    m = _with_card(tiny_model_path, tmp_path, '{"a":' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ModelError, match="nested too deeply"):
        load_model(m)


def test_the_shipped_model_is_json():
    assert DEFAULT_MODEL.name == "mtdetect.model.json"
    det = load_model(DEFAULT_MODEL)
    assert isinstance(det.classifier, CalibratedLinear) and det.classifier.calibrated
    assert det._fast is not None  # scored by the detector's numpy path
    det.raw_proba(np.zeros((1, len(det.vectorizer.feature_names_))))


def test_train_refuses_to_overwrite_its_input(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text('{"text": "a", "label": "human"}\n')
    r = CliRunner().invoke(app, ["train", str(data), "--out", str(data)])
    assert r.exit_code == 2 and "input" in r.stderr
    assert data.read_text() == '{"text": "a", "label": "human"}\n'
