"""Hard evidence decides (issues 17.4 and 20.2): a listed tortured phrase or a listed calque
makes even a one-sentence text machine-made; the verdict's numbers agree with each other."""

import numpy as np
import pytest

import mtdetect
from mtdetect.decision import HARD_MARGIN, hard_margins, hard_rules


def test_hard_rules_are_declared_by_the_families():
    rules = hard_rules()
    assert rules["spun/listed"] == ("tortured.tortured_any",)
    assert rules["translated/listed"] == ("idioms.idiom_calque_count",)


def test_hard_margins_fire_on_any_positive_count():
    names = ["a.x", "tortured.tortured_any", "idioms.idiom_calque_count"]
    X = np.array([[5.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.2]])
    m = hard_margins(X, names)
    assert list(m["spun/listed"]) == [-50.0, HARD_MARGIN, -50.0]
    # a long document's features are the mean of its windows: one calque in five windows
    assert list(m["translated/listed"]) == [-50.0, -50.0, HARD_MARGIN]
    assert hard_margins(X[:, :2], names[:2]).keys() == {"spun/listed"}


@pytest.mark.parametrize(
    "text,label,rule",
    [
        (
            "Counterfeit consciousness is changing how we study irregular woodland models.",
            "spun",
            "tortured-phrase.pps",
        ),
        (
            "Take your coat, it is raining ropes outside and the bus is late.",
            "translated",
            "idiom.calque",
        ),
    ],
)
def test_one_sentence_with_listed_evidence_is_machine_made(text, label, rule):
    rep = mtdetect.analyze(text)
    assert rep.label == label
    assert rep.machine >= rep.threshold
    assert rule in {f.rule for f in rep.flags}


@pytest.mark.parametrize(
    "text",
    [
        "Artificial intelligence is changing how we study random forest models.",
        "Take your coat, it is raining heavily outside and the bus is late.",
        "The cat sat on the mat.",
    ],
)
def test_their_plain_english_forms_stay_human(text):
    rep = mtdetect.analyze(text)
    assert rep.label == "human"
    assert rep.machine < rep.threshold


def test_numbers_agree_with_the_verdict(tmp_path):
    texts = [
        "Counterfeit consciousness is changing how we study irregular woodland models.",
        "The cat sat on the mat.",
        "He said he would come back tomorrow, but nobody believed him. " * 8,
    ]
    for rep in mtdetect.load_model().analyze_many(texts):
        assert abs(rep.scores["human"] - (1 - rep.machine)) < 1e-9
        assert abs(sum(rep.scores.values()) - 1) < 1e-9
        assert (rep.label == "human") == (rep.machine < rep.threshold)
        if rep.label != "human":
            machine_kinds = {k: v for k, v in rep.scores.items() if k != "human"}
            assert max(machine_kinds, key=machine_kinds.get) == rep.label
