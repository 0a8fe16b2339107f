"""The ``terms`` family on a tiny term bank, LM and candidate tables written for these tests
(never the shipped tables, except in the last tests, which check the shipped bank and model)."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import fake_candidates, fake_refstats
from hypothesis import given, settings
from hypothesis import strategies as st

from mtdetect import folds, refstats, resources, swaps, tagger
from mtdetect.analysis import Analysis
from mtdetect.features.terms import (
    FEATURES,
    MODEL,
    SOURCES,
    TERM,
    TERMBANK,
    TermModel,
    Terms,
    make_bank,
    parse_model,
    phrase_keys,
    read_bank,
    read_model,
    save_bank,
    vocab_digest,
)
from mtdetect.text import Document

WORDS = (
    "the we a classifier was trained on haphazard woods random forest bosom malignant growth "
    "breast cancer kills many women dark walked through old house big data enormous information "
    "store firms"
).split()
# an LM in which the terms are far likelier than their spun variants
LM = fake_refstats(
    {w: -4.0 for w in WORDS},
    bigrams={
        ("random", "forest"): -0.5,
        ("breast", "cancer"): -0.5,
        ("big", "data"): -0.5,
        ("dark", "woods"): -0.7,
        ("old", "house"): -0.7,
    },
)
TERMS = {
    ("random", "forest"): SOURCES["oewn"],
    ("breast", "cancer"): SOURCES["oewn"],
    ("big", "data"): SOURCES["tortured"],
    ("old", "house"): SOURCES["corpus"],
    # two terms that are variants of each other
    ("dark", "woods"): SOURCES["oewn"],
    ("dark", "forest"): SOURCES["lm"],
}
#: the inverse thesaurus of mtdetect.swaps: observed word or phrase -> originals
SWAP_TABLE = {"haphazard": ["random"], "woods": ["forest"], "malignant growth": ["cancer"]}
#: the bank's own table: thesaurus neighbours of its words
BANK_TABLE = {"bosom": ["breast"], "enormous": ["big"], "information": ["data"]}
#: flags a variant whose term is 10x likelier (gain 1) and the LM does not know the phrase
MODEL_ = TermModel({"gain": 2.0, "phrase_seen": -10.0}, intercept=-1.0, threshold=0.5)
ALWAYS = TermModel({}, intercept=5.0, threshold=0.5)  # flags every variant


def bank(vocab: list[str] = LM.words, table: dict = BANK_TABLE):
    return make_bank(TERMS, fake_candidates(LM, table), {"vocab_sha1": vocab_digest(vocab)})


def res(b=None, model: TermModel = MODEL_) -> resources.Resources:
    return resources.Resources(
        {
            refstats.DIR: LM,
            swaps.CANDIDATES: fake_candidates(LM, SWAP_TABLE),
            tagger.LEXICON: tagger.parse_lexicon([]),
            folds.FOLDS: {},
            TERMBANK: b or bank(),
            MODEL: model,
        }
    )


RES = res()


@pytest.fixture(autouse=True)
def no_shipped_tables(monkeypatch, request):
    """Reading a shipped table is an error here (except in the tests of the shipped files)."""
    if "shipped" in request.node.name:
        return

    def refuse(name, parse):
        raise AssertionError(f"a unit test read the shipped table {name}")

    monkeypatch.setattr(resources, "load", refuse)


def found(text: str, r: resources.Resources = RES) -> list[tuple[str, str | None]]:
    return [(f.text, f.suggestion) for f in Terms().extract(text, r)[1]]


def test_flags_a_word_by_word_variant_with_the_term_as_suggestion():
    values, fs = Terms().extract("The haphazard woods classifier was trained.", RES)
    assert [(f.rule, f.text, f.suggestion) for f in fs] == [
        (TERM.id, "haphazard woods", "random forest")
    ]
    assert fs[0].reason.startswith("'haphazard woods': 'random forest' is the established term")
    assert TERM.pattern("likely").fullmatch(fs[0].reason)
    assert values == [pytest.approx(1000 / 6)]


def test_a_part_replaced_by_one_word_and_the_banks_own_table():
    # "malignant growth" -> "cancer" (a two-word key of the swap table), "bosom" -> "breast"
    # (the bank's table): together the term "breast cancer"
    assert found("Bosom malignant growth kills many women.") == [
        ("Bosom malignant growth", "Breast cancer")
    ]
    assert found("Firms store enormous information.") == [("enormous information", "big data")]


def test_the_terms_themselves_and_known_phrases_pass():
    assert found("The random forest classifier was trained.") == []
    assert found("Breast cancer kills many women.") == []
    # 'dark woods' varies to the term 'dark forest' but is a term itself
    assert found("We walked through the dark woods.") == []
    assert found("We walked through the dark woods.", res(model=ALWAYS)) == []


def test_the_model_decides():
    never = TermModel({"gain": 0.0}, intercept=-5.0, threshold=0.5)
    assert found("The haphazard woods classifier was trained.", res(model=never)) == []


def test_a_bank_built_for_another_vocabulary_does_not_use_its_table():
    other = res(bank(vocab=["<s>", "</s>", "other"]))
    # "bosom" -> "breast" is only in the bank's table; the swap table still works
    assert found("Bosom malignant growth kills many women.", other) == []
    assert found("The haphazard woods classifier was trained.", other) == [
        ("haphazard woods", "random forest")
    ]


def test_variants_carry_what_the_model_reads():
    a = Analysis(Document("Firms store enormous information."), RES)
    (v,) = Terms().variants(a)
    assert (v.term, v.changed, v.kept, v.src) == ("big data", 2, 0, SOURCES["tortured"])
    assert v.mapped == 2  # the fake table's priors are those of mined renderings
    assert not v.phrase_seen and v.gain > 3
    assert set(v.features()) == set(FEATURES)


def test_bank_round_trip_and_keys(tmp_path):
    b = bank()
    path = tmp_path / "bank.npz"
    save_bank(b, path)
    got = read_bank(path)
    for name in ("keys", "src", "prefix"):
        assert np.array_equal(getattr(got, name), getattr(b, name))
    assert got.meta == b.meta and np.array_equal(got.cand.key, b.cand.key)
    keys = phrase_keys([["random", "forest"], ["forest", "random"], ["random"]])
    assert len(set(keys.tolist())) == 3  # order matters
    assert np.array_equal(
        keys, phrase_keys([["random", "forest"], ["forest", "random"], ["random"]])
    )
    _, hit = b.terms.lookup(phrase_keys([["random", "forest"], ["random", "woods"]]))
    assert hit.tolist() == [True, False]
    _, pre = b.prefixes.lookup(phrase_keys([["random"], ["forest"]]))
    assert pre.tolist() == [True, False]


def test_model_json():
    m = parse_model({"weights": {"gain": 1.5}, "intercept": -3.0, "threshold": 0.4})
    assert m.threshold == 0.4 and m.weights == {"gain": 1.5}


#: texts of the fake vocabulary, often with terms and their spun variants in them
TEXT_WORDS = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from([" ".join(t) for t in TERMS]),
        st.sampled_from(["haphazard woods", "bosom malignant growth", "enormous information"]),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=150, deadline=None)
@given(TEXT_WORDS)
def test_an_established_term_is_never_flagged(words):
    """Whatever surrounds them, the words of a flag are never a term of the bank."""
    text = " ".join(words).capitalize() + "."
    terms = {" ".join(t) for t in TERMS}
    for f in Terms().extract(text, res(model=ALWAYS))[1]:
        assert f.text.lower() not in terms
        assert f.suggestion.lower() in terms


# --------------------------------------------------------------------------- shipped files


def test_shipped_bank_is_for_the_shipped_vocabulary_and_model_reads_known_features():
    b = resources.load(TERMBANK, read_bank)
    assert b.meta["vocab_sha1"] == vocab_digest(refstats.load().words)
    assert len(b.keys) > 100_000 and b.meta["word_map"] is True
    m = resources.load(MODEL, read_model)
    assert set(m.weights) == set(FEATURES) and 0 < m.threshold < 1


# --------------------------------------------------------------------------- the eval tool


def test_eval_carriers_have_one_slot_and_suggestions_are_checked_in_place():
    from tools import eval_terms as ev

    for t in (*ev.SENTENCES, *ev.PARAGRAPHS):
        assert t.count(ev.SLOT) == 1
    assert ev.carrier("sentence", "haphazard woods") == ev.carrier("sentence", "haphazard woods")
    text = "We used the convolutional neural system here."
    s, e = text.index("convolutional"), text.index(" here")
    at = text.index("neural")
    assert ev.right_term(text, s, e, at, e, "neural network", "convolutional neural network")
    assert ev.right_term(text, s, e, at, e, "neural networks", "convolutional neural network")
    assert not ev.right_term(text, s, e, at, e, "nervous system", "convolutional neural network")


def test_terms_family_is_opt_in():
    from mtdetect.vectorize import resolve_families

    assert "terms" not in {f.name for f in resolve_families(None)}
    assert [f.name for f in resolve_families(["terms"])] == ["terms"]


def test_train_with_an_unknown_family_is_a_one_line_error(tmp_path):
    from typer.testing import CliRunner

    from mtdetect.cli import app

    r = CliRunner().invoke(
        app,
        [
            "train",
            str(tmp_path / "x.jsonl"),
            "--out",
            str(tmp_path / "m.json"),
            "--with-family",
            "nope",
        ],
    )
    assert r.exit_code == 2 and "unknown feature families: nope" in r.output
    assert "Traceback" not in r.output
