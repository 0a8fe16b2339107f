"""Register normalisation: features against the human baseline of the text's register."""

import json

import numpy as np
import pytest

from mtdetect.linear import classifier_from_dict, classifier_to_dict
from mtdetect.regnorm import RegisterNorm, RegisterNormClassifier
from mtdetect.training import make_classifier

NAMES = ["function_words.the", "contractions.rate", "fluency.zipf_mean", "other.x"]


def _data(rng, n=240):
    regs = np.array(["chat", "science"] * (n // 2))
    X = rng.normal(0, 1, (n, 4))
    X[regs == "chat", 1] += 3.0  # chat uses contractions, science does not
    X[regs == "science", 2] -= 2.0  # science uses rarer words
    return X, regs


def test_features_are_measured_against_their_registers_baseline():
    rng = np.random.default_rng(0)
    X, regs = _data(rng)
    norm = RegisterNorm(NAMES).fit(X, regs)
    assert norm.classes == ["chat", "science"] and norm.cols == [0, 1, 2]
    P = norm.posterior(X)
    assert np.allclose(P.sum(axis=1), 1)
    assert (P[regs == "chat", 0] > 0.5).mean() > 0.9  # the register is recognised
    Z = norm.transform(X)
    # in within-register deviations the registers lie ~3 apart on contractions; against their
    # own baselines much less (the posterior is not certain, so not 0)
    within = X[regs == "chat", 1].std()
    gap_raw = abs(X[regs == "chat", 1].mean() - X[regs == "science", 1].mean()) / within
    gap_norm = abs(Z[regs == "chat", 1].mean() - Z[regs == "science", 1].mean())
    assert gap_raw > 2.5 and gap_norm < 0.4 * gap_raw
    # a chat text without contractions stands out; raw it looked like science
    odd = X[regs == "chat"][:1].copy()
    odd[0, 1] -= 3.0
    assert norm.transform(odd)[0, 1] < -1.0


def test_one_register_is_refused():
    with pytest.raises(ValueError, match="two registers"):
        RegisterNorm(NAMES).fit(np.zeros((50, 4)), ["chat"] * 50)


def test_classifier_round_trips_through_json():
    rng = np.random.default_rng(1)
    X, regs = _data(rng, 600)
    y = np.array(["human", "spun", "translated"] * 200)
    X[y == "spun", 3] += 2
    X[y == "translated", 0] += 2
    clf = RegisterNormClassifier(make_classifier(), NAMES, regs).fit(X, y)
    d = json.loads(json.dumps(classifier_to_dict(clf)))
    back = classifier_from_dict(d, len(NAMES))
    assert list(back.classes_) == list(clf.classes_)
    assert np.allclose(back.predict_proba(X), clf.predict_proba(X), atol=1e-12)
    d["norm"]["mean"] = d["norm"]["mean"][:1]
    with pytest.raises(ValueError, match="norm.mean"):
        classifier_from_dict(d, len(NAMES))


def test_training_normalises_by_register_only_when_the_data_names_registers():
    from mtdetect.training import default_classifier

    def rec(label, reg):
        return {"label": label, "meta": {"register_class": reg} if reg else {}}

    named = [rec("human", "news")] * 40 + [rec("human", "fiction")] * 40 + [rec("spun", "news")]
    assert isinstance(default_classifier(named, NAMES), RegisterNormClassifier)
    one = [rec("human", "news")] * 80 + [rec("human", "fiction")] * 10
    assert not isinstance(default_classifier(one, NAMES), RegisterNormClassifier)
    assert not isinstance(
        default_classifier([rec("human", "")] * 90, NAMES), RegisterNormClassifier
    )
