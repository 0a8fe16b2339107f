"""Every feature family's declared examples, run on the shipped tables (integration tests: the
unit tests on tiny injected tables are in test_families_fakes.py); the vectorizer's contract."""

import operator

import numpy as np
import pytest

from mtdetect.features import all_families, family_classes
from mtdetect.text import Document
from mtdetect.vectorize import FeatureVectorizer

FAMILIES = all_families()
OPS = {"==": operator.eq, ">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le}


def _cases(attr):
    return [
        pytest.param(f, ex, id=f"{f.name}:{i}")
        for f in FAMILIES
        for i, ex in enumerate(getattr(f, attr))
    ]


def _rule_cases(attr):
    return [
        pytest.param(f, rule, ex, id=f"{rule.id}:{i}")
        for f in FAMILIES
        for rule in f.rules
        for i, ex in enumerate(getattr(rule, attr))
    ]


def test_families_are_discovered_and_declared():
    names = [c.name for c in family_classes()]
    assert len(names) >= 2 and names == sorted(names)
    ids = [r.id for f in FAMILIES for r in f.rules]
    assert len(set(ids)) == len(ids), "two rules share an id"
    for f in FAMILIES:
        assert f.version and f.feature_names and f.explanation
        assert len(set(f.feature_names)) == len(f.feature_names)
        assert any(r.flags for r in f.rules) or f.checks, f"{f.name} declares no examples"
        for r in f.rules:
            assert r.catches and r.reasons and r.flags and r.passes, r.id
        for cols in f.decision_rules.values():
            assert set(cols) <= set(f.feature_names)


@pytest.mark.parametrize(("family", "rule", "text"), _rule_cases("flags"))
def test_family_raises_each_rule_on_its_examples(family, rule, text):
    values, found = family.extract(Document(text))
    assert rule.id in {f.rule for f in found}, f"{rule.id} did not flag: {text!r}"
    for f in found:
        assert text[f.start : f.end] == f.text and f.reason and f.rule and f.kind


@pytest.mark.parametrize(("family", "rule", "text"), _rule_cases("passes"))
def test_family_passes_each_rules_examples(family, rule, text):
    _, found = family.extract(Document(text))
    assert not found, f"{family.name} flagged {[f.text for f in found]} in {text!r}"


def _texts_with_findings():
    """Every declared example and the samples: texts on which every family has findings."""
    from pathlib import Path

    texts = [t for f in FAMILIES for r in f.rules for t in (*r.flags, *r.passes)]
    samples = Path(__file__).parent.parent / "samples"
    return texts + [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))]


def test_every_emitted_finding_is_of_a_declared_rule():
    seen = set()
    for text in _texts_with_findings():
        doc = Document(text)
        for fam in FAMILIES:
            rules = {r.id: r for r in fam.rules}
            for f in fam.extract(doc)[1]:
                rule = rules.get(f.rule)
                assert rule is not None, f"{fam.name} raised undeclared rule {f.rule}"
                assert f.kind == rule.kind, (f.rule, f.kind)
                assert rule.score is None or f.score == rule.score, (f.rule, f.score)
                assert any(rule.pattern(k).fullmatch(f.reason) for k in rule.reasons), f.reason
                seen.add(f.rule)
    declared = {r.id for fam in FAMILIES for r in fam.rules}
    assert seen == declared  # every rule was exercised


def test_rule_reasons_fill_their_templates():
    from mtdetect.features.base import Rule

    rule = Rule("x.y", "x", "info", "a test rule", {"t": "'{word}' is {ratio:.1f}× rarer"})
    reason = rule.reason("t", word="Home", ratio=3.14159)
    assert reason == "'Home' is 3.1× rarer" and rule.pattern("t").fullmatch(reason)
    assert not rule.pattern("t").fullmatch("'Home' is more likely")
    with pytest.raises(ValueError):
        Rule("x.y", "x", "fatal", "a rule of no severity", {})


@pytest.mark.parametrize(("family", "check"), _cases("checks"))
def test_family_checks(family, check):
    text, name, op, value = check
    values, _ = family.extract(Document(text))
    got = float(np.asarray(values)[family.feature_names.index(name)])
    assert OPS[op](round(got, 6), value), f"{family.name}.{name} = {got} not {op} {value}"


def test_vectorizer_contract():
    vec = FeatureVectorizer().fit()
    names = vec.get_feature_names_out()
    texts = ["A short text.", 'Another one, with "quotes" and don\'t.', ""]
    X = vec.transform(texts)
    assert X.shape == (3, len(names)) and np.isfinite(X).all()
    assert np.array_equal(X, vec.transform(texts))
    assert len(set(names)) == len(names)
    assert all("." in n for n in names)


def test_vectorizer_family_subset_and_unknown():
    vec = FeatureVectorizer(["contractions"]).fit()
    assert all(n.startswith("contractions.") for n in vec.get_feature_names_out())
    with pytest.raises(KeyError):
        FeatureVectorizer(["no-such-family"]).fit()


def test_tree_table_scores_equal_a_walk_down_the_trees() -> None:
    from mtdetect import swapscore, treemodel

    rng = np.random.default_rng(0)

    def forest(n_trees: int, max_inner: int) -> dict:
        width = 2 * max_inner + 1
        cols = {k: [] for k in ("feature", "threshold", "left", "right", "value")}
        cols["missing_left"] = []
        for _ in range(n_trees):
            feat, thr = [-1] * width, [0.0] * width
            left, right, miss = [0] * width, [0] * width, [0] * width
            value = rng.normal(size=width).round(3).tolist()
            todo, nxt = [0], 1
            for _ in range(int(rng.integers(0, max_inner + 1))):
                k = todo.pop(int(rng.integers(len(todo))))
                feat[k], thr[k] = int(rng.integers(0, 4)), round(float(rng.normal()), 1)
                left[k], right[k], miss[k] = nxt, nxt + 1, int(rng.integers(0, 2))
                todo += [nxt, nxt + 1]
                nxt += 2
            for name, col in zip(cols, (feat, thr, left, right, value, miss)):
                cols[name].append(col)
        return cols

    x = rng.normal(size=(300, 4)).round(1)  # values on thresholds too
    x[rng.random(x.shape) < 0.1] = np.nan
    for max_inner in (0, 5, 14, 20):  # 20: more than a leaf table takes, rows walk the trees
        trees = forest(30, max_inner)
        model = {"trees": trees, "baseline": 0.25}
        walk = 0.25 + treemodel._walk_trees(x, treemodel._walk_arrays(trees))
        assert np.array_equal(treemodel.tree_scores(x, model), walk)
    model = swapscore.models().lower.spec
    xs = rng.normal(size=(500, len(model["features"])))
    walk = model["baseline"] + treemodel._walk_trees(xs, treemodel._walk_arrays(model["trees"]))
    assert np.array_equal(treemodel.tree_scores(xs, model), walk)
