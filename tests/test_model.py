import json
import shutil

import numpy as np
import pytest
from conftest import DOC_KEYS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mtdetect
from mtdetect.findings import LABELS
from mtdetect.persistence import DEFAULT_MODEL, ModelError, card_path, load_model, sha256_file


def test_analyze_report_fields(tiny_model):
    text = '"We do not know," the mayor said. The city council met on Tuesday.'
    rep = mtdetect.analyze(text, model=tiny_model)
    d = rep.to_dict()
    assert set(d) >= DOC_KEYS
    assert d["label"] in ("human", "translated", "spun")
    assert abs(sum(d["scores"].values()) - 1) < 1e-5
    assert (d["label"] != "human") == (d["machine"] >= d["threshold"] == 0.5)
    assert d["reliable"] is False and d["words"] == 13
    for f in rep.flags:
        assert text[f.start : f.end] == f.text


def test_save_load_round_trip(tiny_model_path, tiny_model):
    again = load_model(tiny_model_path)
    text = "Rain is expected across the region tonight."
    assert again.analyze(text).scores == tiny_model.analyze(text).scores
    card = json.loads(card_path(tiny_model_path).read_text())
    assert card["sha256"] == sha256_file(tiny_model_path)
    assert set(card["features"]) == {f.name for f in tiny_model.vectorizer.families_}


def _copy_model(src, tmp_path, card_text=None):
    """A copy of model ``src`` in ``tmp_path`` with its card (or ``card_text`` as the card)."""
    m = tmp_path / "m.joblib"
    shutil.copy(src, m)
    if card_text is None:
        shutil.copy(card_path(src), card_path(m))
    else:
        card_path(m).write_text(card_text)
    return m


def _edited_card(src, edit) -> str:
    card = json.loads(card_path(src).read_text())
    edit(card)
    return json.dumps(card)


def test_tampered_model_is_refused_before_unpickling(tiny_model_path, tmp_path):
    bad = _copy_model(tiny_model_path, tmp_path)
    with open(bad, "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="sha256.*make train"):
        load_model(bad)


def test_feature_version_mismatch_is_refused(tiny_model_path, tmp_path):
    def old(card):
        card["features"][next(iter(card["features"]))] = "0-old"

    m = _copy_model(tiny_model_path, tmp_path, _edited_card(tiny_model_path, old))
    with pytest.raises(ModelError, match="make train"):
        load_model(m)


def test_missing_model_and_card(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "none.joblib")
    (tmp_path / "x.joblib").write_bytes(b"junk")
    with pytest.raises(ModelError, match="card not found"):
        load_model(tmp_path / "x.joblib")


def test_env_var_picks_model(tiny_model_path, monkeypatch):
    monkeypatch.setenv("MTDETECT_MODEL", str(tiny_model_path))
    assert load_model().card["name"] == "tiny"


def test_shipped_model_matches_its_card():
    card = json.loads(card_path(DEFAULT_MODEL).read_text())
    assert card["sha256"] == sha256_file(DEFAULT_MODEL)
    det = load_model(DEFAULT_MODEL)
    assert card["data"]["manifest"] and card["metrics"], "the card must say what it saw"
    assert 0 < det.threshold < 1


def test_baseline_threshold_bounds_false_positives():
    from mtdetect.evaluate import fpr_threshold

    rng = np.random.default_rng(0)
    human = rng.random(1000)
    t = fpr_threshold(human, np.ones(1000, bool), fpr=0.01)
    assert (human >= t).mean() <= 0.01
    assert (human >= t - 0.01).mean() > 0.005


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=400))
def test_analyze_never_raises(tiny_model, text):
    rep = tiny_model.analyze(text)
    assert rep.label in ("human", "translated", "spun")
    for f in rep.flags:
        assert text[f.start : f.end] == f.text


def test_a_threshold_moves_the_cut_for_every_text(tiny_model):
    assert list(tiny_model.thresholds_for([10, 49, 50, 400])) == [0.5] * 4
    assert list(tiny_model.thresholds_for([10, 400], threshold=0.3)) == [0.3, 0.3]
    text = "Rain is expected across the region tonight."
    rep = tiny_model.analyze(text)
    assert rep.threshold == 0.5
    assert tiny_model.analyze(text, threshold=0.0).label != "human"
    assert tiny_model.analyze(text, threshold=1.0).label == "human"


def test_a_model_without_per_class_thresholds_is_refused(tiny_model):
    from mtdetect.detector import Detector

    with pytest.raises(ValueError, match="make train"):
        Detector(tiny_model.vectorizer, tiny_model.classifier, 0.5, {}, 0.5, None)


def test_folder_versions_of_a_passage_share_a_group(tmp_path):
    from mtdetect.datasets import load_records

    for label in ("human", "translated", "spun"):
        (tmp_path / label).mkdir()
        (tmp_path / label / "p1.txt").write_text(f"A {label} text.")
    assert len({r["group"] for r in load_records([tmp_path])}) == 1


def test_card_that_is_not_an_object_is_refused(tiny_model_path, tmp_path):
    m = _copy_model(tiny_model_path, tmp_path, "[]")
    with pytest.raises(ModelError, match="JSON object"):
        load_model(m)


def test_card_without_features_is_refused(tiny_model_path, tmp_path):
    m = _copy_model(
        tiny_model_path, tmp_path, _edited_card(tiny_model_path, lambda c: c.pop("features"))
    )
    with pytest.raises(ModelError, match="make train"):
        load_model(m)


def test_family_contributions_add_up_to_the_linear_score(tiny_model):
    from mtdetect.explain import family_contributions, family_pushes
    from mtdetect.text import Document

    texts = [
        "The council said it would publish journey times every quarter.",
        '"We are not able to wait," he said. The work is expected to begin in March.',
    ]
    X = np.vstack([tiny_model.vectorizer.extract(Document(t))[0] for t in texts])
    classes = [str(c) for c in tiny_model.classifier.classes_]
    h = classes.index("human")
    # "translated" has a round-trip sub-class: each row is explained by the likelier one
    subs = [j for j, c in enumerate(classes) if c.split("/")[0] == "translated"]
    pick = np.array(subs)[np.argmax(tiny_model.raw_proba(X)[:, subs], axis=1)]
    rows = np.arange(len(X))
    expected = np.zeros(len(X))
    folds = tiny_model.classifier.calibrated_classifiers_
    for fold in folds:  # the linear score over human, less the intercepts, in every fold
        lr = fold.estimator.named_steps["logisticregression"]
        order = [list(map(str, lr.classes_)).index(c) for c in classes]
        z = fold.estimator.decision_function(X)[:, order]
        b = lr.intercept_[order]
        expected += (z[rows, pick] - z[:, h]) - (b[pick] - b[h])
    fams, total = family_contributions(tiny_model, X, "translated")
    assert set(fams) == set(tiny_model.vectorizer.family_versions_)
    assert np.allclose(total.sum(axis=1), expected / len(folds))
    pushes = family_pushes(tiny_model, X, "translated")
    for row, names in zip(total, pushes):
        vals = [row[fams.index(n)] for n in names]
        assert all(v > 0 for v in vals) and vals == sorted(vals, reverse=True)


def test_text_report_names_evidence_sentences():
    from mtdetect.findings import Report, SentenceReport
    from mtdetect.terminal import Style, render

    why = (
        "this sentence alone reads as translated (model score 0.70), driven mostly by its "
        "learned word preferences (words machine output favours)"
    )
    sent = SentenceReport(1, 3, 40, 80, "They are still in pain every day.", 0.7, (why,))
    scores = {"human": 0.2, "translated": 0.7, "spun": 0.1}
    rep = Report("a.txt", "translated", 0.8, scores, True, 120, 0.6, [], [sent])
    out = " ".join(render(rep, Style(False, 200)).split())
    assert (
        "line 3: “They are still in pain every day.” — reads as translated on its own (0.70), "
        "mostly from its learned word preferences" in out
    )
    rep.label = "human"
    assert "evidence" not in render(rep, Style(False, 200))


class _LogitColumns:
    """A stand-in classifier: softmax of the first four features as the log-scores of human,
    spun, translated and translated/roundtrip (to test per-class thresholds)."""

    classes_ = np.array(["human", "spun", "translated", "translated/roundtrip"])

    def fit(self, X, y):
        return self

    def predict_proba(self, X):
        z = np.exp(X[:, :4] - X[:, :4].max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


def _class_data(rng, n_h, reg, tail=0.0):
    """Human rows of one register (log-odds around -3, with an optional heavier tail)."""
    X = np.zeros((n_h, 4))
    X[:, 1:] = rng.normal(-3 + tail, 1 + tail, (n_h, 3))
    return X, ["human"] * n_h, [reg] * n_h


def _machine_rows(rng, n=150):
    """Rows of each machine class of _LogitColumns, whose own log-odds are higher."""
    parts, ys = [], []
    for j, cls in ((1, "spun"), (2, "translated"), (3, "translated/roundtrip")):
        X = np.zeros((n, 4))
        X[:, 1:] = rng.normal(-3, 1, (n, 3))
        X[:, j] = rng.normal(3.0, 1.0, n)
        parts.append(X)
        ys += [cls] * n
    return np.vstack(parts), ys


def test_class_thresholds_hold_in_every_large_register(tiny_model):
    from mtdetect.training import fit_detector

    rng = np.random.default_rng(0)
    Xa, ya, ra = _class_data(rng, 400, "abc")
    Xb, yb, rb = _class_data(rng, 150, "brown", tail=0.8)  # a heavier tail
    Xm, ym = _machine_rows(rng)
    X, y = np.vstack([Xa, Xb, Xm]), ya + yb + ym
    words = np.full(len(X), 200)

    def fit(human_regs=None):
        regs = None if human_regs is None else human_regs + ["machine"] * len(ym)
        det = fit_detector(
            X,
            y,
            tiny_model.vectorizer,
            X,
            y,
            words,
            classifier=_LogitColumns(),
            valid_registers=regs,
        )
        return det.class_thresholds["passage"]

    pooled, per_reg = fit(), fit(ra + rb)
    assert all(per_reg[c] >= pooled[c] for c in pooled)
    assert any(per_reg[c] > pooled[c] for c in pooled)
    # registers under 30 human texts count only pooled
    assert fit(["abc"] * 521 + ["x"] * 29) == pooled


def test_class_thresholds_hold_union_fpr_pooled_and_per_register(tiny_model):
    from mtdetect.thresholds import VALID_FPR
    from mtdetect.training import fit_detector

    rng = np.random.default_rng(1)
    Xa, ya, ra = _class_data(rng, 400, "abc")
    Xb, yb, rb = _class_data(rng, 200, "brown", tail=0.8)
    parts, ys = [Xa, Xb], ya + yb
    for j, cls in ((1, "spun"), (2, "translated"), (3, "translated/roundtrip")):
        X = np.zeros((150, 4))
        X[:, 1:] = rng.normal(-3, 1, (150, 3))
        X[:, j] = rng.normal(3.0, 1.0, 150)  # this class's own log-odds are higher
        parts.append(X)
        ys += [cls] * 150
    X = np.vstack(parts)
    regs = ra + rb + ["spun"] * 150 + ["wmt-mt"] * 150 + ["roundtrip"] * 150
    words = np.full(len(X), 200)
    det = fit_detector(
        X,
        ys,
        tiny_model.vectorizer,
        X,
        ys,
        words,
        classifier=_LogitColumns(),
        valid_registers=regs,
    )
    ct = det.class_thresholds
    assert set(ct["long"]) == {"spun", "translated", "translated/roundtrip"}
    assert det.threshold == 0.5 and ct["short"] == ct["long"]
    P, machine, labels, ts = det.score(X, words)
    human = np.array(ys) == "human"
    flagged = np.array([lab != "human" for lab in labels])
    # machine is a calibrated P(not human): the label is human exactly below the cut in force
    assert np.array_equal(flagged, machine >= ts)
    assert det.calibration and all(a > 0 for a, _ in det.calibration.values())
    for reg in ("abc", "brown"):
        sel = human & (np.array(regs) == reg)
        assert flagged[sel].mean() <= VALID_FPR
    assert flagged[human].mean() <= VALID_FPR
    # the classes are detected, and a round trip is reported as `translated`
    rt = np.array(ys) == "translated/roundtrip"
    assert flagged[rt].mean() > 0.2
    assert {labels[i] for i in np.flatnonzero(rt & flagged)} <= {"translated"}
    # the probabilities agree with machine and the label: human = 1 - machine, and a text
    # labelled machine-made is labelled with its most probable machine class
    assert np.allclose(P.sum(axis=1), 1) and np.allclose(P[:, 0], 1 - machine)
    for i in np.flatnonzero(flagged):
        assert LABELS[1 + int(np.argmax(P[i, 1:]))] == labels[i]
    # calibrated on these (validation) texts: predicted and observed rates agree
    from mtdetect.evaluate import reliability

    assert reliability(machine, ~human)["ece"] < 0.05


def test_round_trips_are_fit_as_their_own_class():
    from mtdetect.training import fit_label

    assert fit_label({"label": "translated", "subset": "roundtrip"}) == "translated/roundtrip"
    assert fit_label({"label": "translated", "subset": "wmt-mt"}) == "translated"
    assert fit_label({"label": "translated"}) == "translated"
    assert fit_label({"label": "spun", "subset": "spun:tortured"}) == "spun"


def test_span_evidence_rule_labels_a_densely_flagged_text_spun():
    from types import SimpleNamespace

    from scipy.stats import poisson

    from mtdetect.decision import EVIDENCE_HUMAN_RATE, decision_scores, evidence_rules
    from mtdetect.detector import Detector

    cols = evidence_rules()["spun/flags"]
    assert set(cols) == {
        "synonym_swap.swap_per_1000",
        "broken_names.broken_names_per_1000",
        "tortured.tortured_per_1000",
    }
    names = ["h", "s", "t", "r", *cols]
    # the classifier finds both texts human (log-odds -3); the second has 40 flags per 1,000
    X = np.array([[0, -3, -3, -3, 0, 0, 0], [0, -3, -3, -3, 30, 10, 0]], float)
    vec = SimpleNamespace(feature_names_=np.array(names))
    R = decision_scores(
        _LogitColumns.classes_, _LogitColumns().predict_proba(X), X, names, [200, 200]
    )
    # 8 flags in 200 words, where human text shows 0.146 on average
    lam = EVIDENCE_HUMAN_RATE["spun/flags"] * 200 / 1000
    assert np.allclose(R["spun/flags"], [0.0, 2 * np.log1p(-poisson.logsf(7, lam))])
    t = {"spun": 1.0, "translated": 1.0, "translated/roundtrip": 1.0, "spun/flags": 6.0}
    det = Detector(vec, _LogitColumns(), 0.5, {}, 0.5, {"long": t, "short": t})
    _, machine, labels, _ = det.score(X, [200, 200])
    assert labels == ["human", "spun"]
    assert machine[0] < 0.5 <= machine[1]


def test_evidence_score_is_how_unlikely_the_flag_count_is_for_human_text():
    from scipy.stats import poisson

    from mtdetect.decision import (
        EVIDENCE_HUMAN_RATE,
        EVIDENCE_MAX_WORDS,
        evidence_rules,
        evidence_score,
    )

    # every evidence rule has the human rate its score needs
    assert set(evidence_rules()) <= set(EVIDENCE_HUMAN_RATE)
    rate = EVIDENCE_HUMAN_RATE["spun/flags"]
    words = np.array([30, 60, 137, 300, 800, 1000, 1000, 1000])
    flags = np.array([1, 1, 6, 2, 5, 1, 12, 40])
    got = evidence_score("spun/flags", flags * 1000 / words, words)
    want = 2 * np.log1p(-poisson.logsf(flags - 1, rate * words / 1000))
    assert np.allclose(got, want, rtol=1e-9, atol=1e-9)
    assert evidence_score("spun/flags", np.zeros(3), np.array([10, 500, 5000])).tolist() == [0] * 3
    # one flag in a short text is common in human text, six in 137 words are not, though the
    # first is the higher density (16.7 against 43.8 per 1,000 words is not what orders them)
    one_short, six, one_long = evidence_score(
        "spun/flags", np.array([1000 / 60, 6000 / 137, 1000 / 300]), np.array([60, 137, 300])
    )
    assert six > 2 * one_short and one_short > one_long
    # beyond EVIDENCE_MAX_WORDS only the density counts: a book is judged as an article
    cap = EVIDENCE_MAX_WORDS
    d = np.array([3.0, 3.0])
    a, b = evidence_score("spun/flags", d, np.array([cap, 100 * cap]))
    assert a == b


def test_basis_words_the_deciding_rule():
    from mtdetect.decision import BASIS, EVIDENCE_MAX_WORDS, basis, evidence_rules, hard_rules

    # every rule that can decide has words (the classes too: see _LogitColumns)
    for rule in [*hard_rules(), "translated", "translated/roundtrip", "spun"]:
        assert rule in BASIS and basis(rule) == BASIS[rule]
    assert set(evidence_rules()) and all(r not in BASIS for r in evidence_rules())
    assert basis("spun/flags", 1000 / 200, 200) == (
        "1 spinning flag (swapped words, broken names, tortured phrases) in 200 words, "
        "where human text of that length shows about 0.1"
    )
    long = basis("spun/flags", 4.25, 10 * EVIDENCE_MAX_WORDS)
    assert long.startswith("spinning flags") and "4.2 per 1,000 words" in long


def test_every_family_explains_its_push_in_words():
    from mtdetect.features import family_classes

    assert all(c.explanation for c in family_classes())


def test_fast_probabilities_equal_scikit_learns():
    from mtdetect.text import Document

    det = load_model(None)
    rng = np.random.default_rng(3)
    X = rng.normal(0, 2, (50, len(det.vectorizer.feature_names_)))
    texts = ["The council said it would publish journey times.", "Yes.", "It is raining ropes."]
    X = np.vstack([X] + [det.vectorizer.extract(Document(t))[0] for t in texts])
    fast = det.raw_proba(X)
    assert det._fast is not None  # the shipped classifier takes the numpy path
    assert np.allclose(fast, det.classifier.predict_proba(X), rtol=0, atol=1e-12)


def test_quantile_threshold_holds_out_of_sample():
    from mtdetect.thresholds import quantile_threshold

    rng = np.random.default_rng(3)
    fit, fresh = rng.exponential(1.0, 300), rng.exponential(1.0, 200_000)
    for fpr in (0.0, 0.002, 0.0075, 0.05):
        t = quantile_threshold(fit, fpr)
        assert (fit >= t).mean() <= fpr  # the budget holds in sample ...
        assert (fresh >= t).mean() <= max(1.5 * fpr, 0.003)  # ... and on new texts
    # a budget too small for the sample is estimated from its tail, beyond the largest score
    assert quantile_threshold(fit, 0.001) > fit.max() + 0.5


def test_texts_are_held_to_the_thresholds_of_their_length():
    from types import SimpleNamespace

    from mtdetect.detector import Detector

    t = {"spun": 1.0}
    vec = SimpleNamespace(feature_names_=np.array([]))
    three = Detector(vec, None, 0.5, {}, 0.5, {"short": t, "long": t, "passage": t})
    assert three.buckets_for([10, 49, 50, 149, 150, 900]) == [
        "short",
        "short",
        "long",
        "long",
        "passage",
        "passage",
    ]
    # a model fit before the passage bucket holds passages to its "long" thresholds
    two = Detector(vec, None, 0.5, {}, 0.5, {"short": t, "long": t})
    assert two.buckets_for([10, 100, 200]) == ["short", "long", "long"]


def test_weighted_auroc_equals_scikit_learns_and_interval_covers_it():
    from sklearn.metrics import roc_auc_score

    from mtdetect.evaluate import _weighted_auroc, auroc_ci

    rng = np.random.default_rng(3)
    pos = np.round(rng.normal(1.0, 1.0, 60), 1)  # rounded: ties between and within classes
    neg = np.round(rng.normal(0.0, 1.0, 80), 1)
    y = np.r_[np.ones(60), np.zeros(80)]
    ours = _weighted_auroc(pos, np.ones(60), neg, np.ones(80))
    assert ours == pytest.approx(roc_auc_score(y, np.r_[pos, neg]))
    # a weight of 2 is the record counted twice
    dup = _weighted_auroc(pos, np.r_[2.0, np.ones(59)], neg, np.ones(80))
    y2 = np.r_[np.ones(61), np.zeros(80)]
    assert dup == pytest.approx(roc_auc_score(y2, np.r_[pos[:1], pos, neg]))
    # every machine version of a passage shares the group of its human versions
    gp = [f"g{k % 40}" for k in range(60)]
    gn = [f"g{k % 40}" for k in range(80)]
    lo, hi = auroc_ci(pos, neg, gp, gn)
    assert lo < ours < hi and hi - lo < 0.3
    assert auroc_ci(pos, neg, gp, gn) == [lo, hi]  # seeded
    # fewer passages, wider interval; too few, none
    lo5, hi5 = auroc_ci(pos[:15], neg[:20], gp[:15], gn[:20])
    assert hi5 - lo5 > hi - lo
    assert auroc_ci(pos[:5], neg[:5], gp[:5], gn[:5]) is None
