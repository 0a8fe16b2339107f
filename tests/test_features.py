"""Every feature family's own examples are tests; the vectorizer's contract."""

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


def test_families_are_discovered_and_declared():
    names = [c.name for c in family_classes()]
    assert len(names) >= 2 and names == sorted(names)
    for f in FAMILIES:
        assert f.version and f.feature_names
        assert len(set(f.feature_names)) == len(f.feature_names)
        assert f.flags or f.checks, f"{f.name} declares no examples"


@pytest.mark.parametrize(("family", "text"), _cases("flags"))
def test_family_flags_its_examples(family, text):
    values, found = family.extract(Document(text))
    assert found, f"{family.name} did not flag: {text!r}"
    for f in found:
        assert text[f.start : f.end] == f.text and f.reason and f.rule and f.kind


@pytest.mark.parametrize(("family", "text"), _cases("passes"))
def test_family_passes_its_examples(family, text):
    _, found = family.extract(Document(text))
    assert not found, f"{family.name} flagged {[f.text for f in found]} in {text!r}"


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
