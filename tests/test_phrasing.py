"""The round-trip phrasing family: paired sentences we wrote, cross-fitting, evidence."""

import re

import numpy as np

from mtdetect import folds
from mtdetect.features import phrasing
from mtdetect.resources import Resources, resource_path
from mtdetect.text import Document

# (original English, a round trip in the style of EN→PT→EN output); written for these tests
PAIRS = [
    (
        "The organisation says it's analysed the figures and won't cut jobs this year.",
        "The organization says that it analyzed the numbers and will not cut jobs this year.",
    ),
    (
        "Growers reckon the levy will be scrapped before the harvest, per cent by per cent.",
        "Producers believe that the tax will be eliminated before the harvest, percent by percent.",
    ),
    (
        "She'd never seen the town so quiet on a Saturday, she told the ABC.",
        "She had never seen the city so quiet on a Saturday, she told ABC.",
    ),
    (
        "Council workers spent the morning clearing fallen trees from the main road.",
        "The council's workers spent the morning cleaning the fallen trees on the main road.",
    ),
]


def _mean(text):
    v, _ = phrasing.Phrasing().extract(Document(text))
    return v[phrasing.Phrasing.feature_names.index("ph_rt_mean")]


def test_round_trips_score_above_their_originals():
    human = np.array([_mean(h) for h, _ in PAIRS])
    rt = np.array([_mean(r) for _, r in PAIRS])
    assert (rt > human).sum() >= 3, (human, rt)
    assert rt.mean() - human.mean() > 0.5


def test_training_texts_use_their_out_of_fold_version():
    text = PAIRS[0][1]
    full, _ = phrasing.Phrasing().extract(Document(text))
    fold_table = {folds.text_key(text): 2}  # a fold table in which the text is in fold 2
    assert folds.table_of(text, fold_table) == 3
    oof, _ = phrasing.Phrasing().extract(Document(text), Resources({folds.FOLDS: fold_table}))
    assert not np.allclose(full, oof)


def test_evidence_names_ngrams_of_its_sentence():
    fam = phrasing.Phrasing()
    doc = Document(phrasing.PHRASING.flags[0])
    _, found = fam.extract(doc)
    assert found and all(f.rule == "translation.phrasing" and f.score < 0.5 for f in found)
    for f in found:
        grams = re.findall(r"'([^']+)'", f.reason.split(" (")[0])
        assert grams and all(g in f.text for g in grams), f.reason


def test_short_and_empty_texts():
    v, found = phrasing.Phrasing().extract(Document(""))
    assert not np.any(v) and not found
    v, _ = phrasing.Phrasing().extract(Document("Yes."))
    assert not np.any(v)


def test_fast_scores_equal_the_scikit_learn_hashing():
    model = phrasing.read_model(resource_path(phrasing.META))
    bits = int(model.meta["bits"])
    w = model.float_weights(0, 0)
    sents = [s for pair in PAIRS for s in pair] + [
        "A  tab\there, ünïcödé words, and   spaces.",
        "Ok",
        "-- ... !",
    ]
    ref = phrasing.sentence_matrix(sents, bits) @ w
    fast = phrasing.sentence_scores(sents, w, bits)
    assert np.allclose(fast, ref, rtol=0, atol=1e-9)


def test_typography_does_not_change_the_scores():
    straight = "He said: \"It's over - we don't know why.\""
    curly = "He said: \u201cIt\u2019s over \u2014 we don\u2019t know why.\u201d"
    a, _ = phrasing.Phrasing().extract(Document(straight))
    b, _ = phrasing.Phrasing().extract(Document(curly))
    assert np.array_equal(a, b)


def test_hash_equals_scikit_learn():
    from sklearn.feature_extraction import FeatureHasher

    rng = np.random.default_rng(0)
    alphabet = list("abcxyz ÄéñЖ中'-.") + ["\u2014", "😀"]
    sizes = [*rng.integers(1, 40, size=3000), *rng.integers(40, 700, size=30)]  # every group
    strings = ["".join(rng.choice(alphabet, size=k)) for k in sizes]
    for nf in (2**20, 1000, 7):
        ref = FeatureHasher(n_features=nf, input_type="string", alternate_sign=False)
        want = ref.transform([[s] for s in strings]).indices
        assert np.array_equal(phrasing._hash_many(strings, nf), want)
    assert len(phrasing._hash_many([], 8)) == 0
