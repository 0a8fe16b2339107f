"""Tests for the evaluation scripts in tools/ on synthetic data."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

# tools/ is not an installed package: make the project root importable under plain `pytest`
from tools.eval_lolo import lolo_scores


def _pairs_with_opposite_cues(n: int = 60, seed: int = 0):
    """Two language pairs whose MT is told from references by the same feature with opposite
    signs, plus non-WMT human texts: only a model that saw a pair can rank its MT right."""
    rng = np.random.default_rng(seed)
    rows, subset, pair = [], [], []
    for lp, sign in (("aa-en", 1.0), ("bb-en", -1.0)):
        for kind in ("wmt-mt", "wmt-ref"):
            cue = sign * (1.0 if kind == "wmt-mt" else -1.0)
            rows.append(np.c_[cue + 0.3 * rng.standard_normal(n), rng.standard_normal(n)])
            subset += [kind] * n
            pair += [lp] * n
    rows.append(rng.standard_normal((n, 2)))
    subset += ["abc"] * n
    pair += [""] * n
    X = np.vstack(rows)
    subset, pair = np.array(subset), np.array(pair)
    y = np.where(subset == "wmt-mt", "translated", "human")
    return X, y, subset, pair


def test_lolo_scores_each_pair_with_a_model_that_never_saw_it():
    X, y, subset, pair = _pairs_with_opposite_cues()
    wmt = pair != ""
    s = lolo_scores(X, y, subset, pair, lambda: LogisticRegression())
    assert np.isnan(s[~wmt]).all() and np.isfinite(s[wmt]).all()
    # in-sample, the cue ranks each pair perfectly; held out, the other pair's sign misleads
    for lp in ("aa-en", "bb-en"):
        m = pair == lp
        assert roc_auc_score(subset[m] == "wmt-mt", s[m]) < 0.1
    # the shipped recipe (all classes, human texts of other registers included) likewise
    s = lolo_scores(X, y, subset, pair, None)
    assert np.isfinite(s[wmt]).all()
    assert roc_auc_score(subset[wmt] == "wmt-mt", s[wmt]) < 0.5


def test_langpair_folds_only_when_asked_and_only_for_wmt_groups(monkeypatch):
    from mtdetect import folds as fo

    groups = [
        "wmt21:zh-en:b003:44-46",
        "wmt21:cs-en:b1:4-8",
        "abc:science:b000:213-226",
        "wmt21-src:en-cs:b004:14-24",  # English sources: not a pair into English
    ]
    monkeypatch.delenv("MTDETECT_FOLDS", raising=False)
    by_document = [fo.fold_of_group(g) for g in groups]
    # passages of one document share a fold whatever their line range
    assert fo.fold_of_group("wmt21:zh-en:b003:1-9") == by_document[0]
    monkeypatch.setenv("MTDETECT_FOLDS", "langpair")
    assert fo.fold_of_group(groups[0]) == fo.LANGPAIR_FOLDS["zh-en"]
    assert fo.fold_of_group(groups[1]) == fo.LANGPAIR_FOLDS["cs-en"]
    assert [fo.fold_of_group(g) for g in groups[2:]] == by_document[2:]
    assert set(fo.LANGPAIR_FOLDS.values()) == set(range(fo.N_FOLDS))


def test_rule_precision_truth():
    """tools.eval_rules: a flag on human text is wrong; a spinning flag is right on a changed
    span of a spun text; a translation flag is right on translated text; across the machine
    classes it is 'other'."""
    from tools.eval_rules import verdict

    swap = {"rule": "collocation.synonym-swap", "kind": "collocation", "start": 10, "end": 15}
    pattern = {"rule": "translation.pattern", "kind": "translation", "start": 0, "end": 5}
    spun = {"label": "spun", "spans": [[12, 20, "city"]]}
    assert verdict(swap, {"label": "human"}) == "false"
    assert verdict(swap, spun) == "true"
    assert verdict(swap, {"label": "spun", "spans": [[30, 40, "x"]]}) == "false"
    assert verdict(swap, {"label": "translated"}) == "other"
    assert verdict(pattern, {"label": "translated"}) == "true"
    assert verdict(pattern, spun) == "other"
    assert verdict(pattern, {"label": "human"}) == "false"
    assert verdict({"rule": "idiom.distorted", "kind": "idiom", "start": 12, "end": 13}, spun) == (
        "true"
    )
    assert verdict({"rule": "idiom.calque", "kind": "idiom", "start": 0, "end": 1}, spun) == (
        "other"
    )
