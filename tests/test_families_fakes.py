"""Families and the detector on tiny in-memory tables (tests/fakes.py), never the shipped ones:
every test here fails if a shipped table is read."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import fake_refstats, logistic, spinning_resources

from mtdetect import folds, refstats, resources, tagger
from mtdetect.analysis import Analysis
from mtdetect.features.broken_names import BrokenNames
from mtdetect.features.collocation import Collocation
from mtdetect.features.fluency import Fluency
from mtdetect.features.idioms import IdiomFamily
from mtdetect.features.phrasing import META, Phrasing, PhrasingModel
from mtdetect.features.synonym_swap import SynonymSwap
from mtdetect.features.tortured import TABLE as TORTURED
from mtdetect.features.tortured import TorturedPhrases
from mtdetect.features.tortured import parse_table as parse_tortured
from mtdetect.features.translationese import TABLE as TRANSLATIONESE
from mtdetect.features.translationese import Translationese
from mtdetect.features.translationese import parse_table as parse_translationese
from mtdetect.features.word_choice import TABLE as WORD_CHOICE
from mtdetect.features.word_choice import WordChoice, matrix_of
from mtdetect.features.word_choice import parse_table as parse_word_choice
from mtdetect.idiomatch import Matcher
from mtdetect.idiomatch.tables import IDIOMS, parse_entries, parse_related
from mtdetect.resources import Resources
from mtdetect.text import Document
from mtdetect.wording import times


@pytest.fixture(autouse=True)
def no_shipped_tables(monkeypatch):
    """Reading a shipped table is an error in these tests."""

    def refuse(name, parse):
        raise AssertionError(f"a unit test read the shipped table {name}")

    monkeypatch.setattr(resources, "load", refuse)


def test_reading_a_shipped_table_fails_here():
    with pytest.raises(AssertionError, match="shipped table"):
        TorturedPhrases().extract("A text.")


# a language model in which "heavy rain" and "the White House" are English
LM = fake_refstats(
    {w: -4.0 for w in "the storm caused weighty heavy rain he works at white house home".split()},
    bigrams={
        ("heavy", "rain"): -0.5,
        ("caused", "heavy"): -1.5,
        ("white", "house"): -0.3,
        ("the", "white"): -1.0,
    },
    caps={"house": (100, 60), "home": (100, 2), "white": (100, 50)},
)
SPANS = logistic({"delta": 1.0}, intercept=-2.0, threshold=0.5)  # flags a gain of 1 (log10) up
NAMES = logistic({"delta": 0.0}, intercept=-5.0, threshold=0.9)  # flags nothing by itself
RES = spinning_resources(LM, {"weighty": ["heavy"], "home": ["house"]}, SPANS, NAMES)


def test_synonym_swap_flags_the_word_the_tiny_lm_does_not_expect():
    values, found = SynonymSwap().extract("The storm caused weighty rain.", RES)
    assert [(f.rule, f.text, f.suggestion) for f in found] == [
        ("collocation.synonym-swap", "weighty", "heavy")
    ]
    # log10 P(heavy | caused) + P(rain | heavy) against the unigram backoffs: -1.5 - 0.51 vs -8
    assert f"'caused heavy rain' is {times(8 - 1.5 - 0.51)} more likely" in found[0].reason
    assert values[0] == pytest.approx(1000 / 5)  # one flag in five words
    _, none = SynonymSwap().extract("The storm caused heavy rain.", RES)
    assert none == []


def test_broken_name_by_the_case_model():
    text = "He works at the White Home."
    found = BrokenNames().extract(text, RES)[1]
    assert [(f.rule, f.text, f.suggestion) for f in found] == [("name.broken", "Home", "House")]
    # the span is a name's: the lower-case swap rule leaves it alone
    assert SynonymSwap().extract(text, RES)[1] == []


def test_collocation_and_fluency_read_the_injected_lm():
    a = Analysis(Document("Heavy rain."), RES)
    names = Collocation.feature_names
    values, _ = Collocation().measure(a)
    # log10 P(rain | heavy) - log10 P(rain) = -0.5 - (-4)
    assert values[names.index("coll_pmi_mean")] == pytest.approx(3.5, abs=0.02)
    assert values[names.index("coll_unseen_share")] == 0.0
    fl, _ = Fluency().measure(a)
    assert fl[Fluency.feature_names.index("oov_share")] == 0.0
    assert fl[Fluency.feature_names.index("bigram_share")] == 0.5  # "rain" given "heavy"


def test_tortured_phrases_come_from_the_injected_table():
    table = parse_tortured([["counterfeit consciousness", "artificial intelligence", "flag"]])
    res = Resources({TORTURED: table})
    found = TorturedPhrases().extract("Counterfeit consciousness ranks the images.", res)[1]
    assert [(f.text, f.suggestion, f.score) for f in found] == [
        ("Counterfeit consciousness", "Artificial intelligence", 0.95)
    ]
    assert TorturedPhrases().extract("Bosom peril kills.", res)[1] == []  # not in this table


def test_word_choice_scores_with_the_injected_table():
    rows = [["however", "0.6", "0.2"], ["<s>_however", "0.5", "0.1"], ["crops", "0.5", "0.0"]]
    res = Resources({WORD_CHOICE: matrix_of(parse_word_choice(rows)), folds.FOLDS: {}})
    text = "However the crops of the valley grew well this year."
    values, found = WordChoice().extract(text, res)
    names = WordChoice.feature_names
    # items: each word and its bigram (or <s>_word); 10 words, weights 0.6 + 0.5 + 0.5
    assert values[names.index("wc_rt_mean")] == pytest.approx(1.6 / 10)
    assert values[names.index("wc_mt_mean")] == pytest.approx(0.3 / 10)
    # one flag on each of the two words that lean most, its reason naming exactly those words
    assert [f.rule for f in found] == ["translation.word_choice"] * 2
    assert [f.text for f in found] == ["However", "crops"]
    assert all(f.reason.startswith(f"'{f.text}' ") for f in found)


@pytest.mark.parametrize(
    "rows",
    [
        [["however", "0.6", "-0.2", "0.1", "3e-5"], ["<s>_however", "0.5", "0.1", "0", "1"]],
        [["however", "0.6", "-0.2"], ["crops", "0.5", "0.0", "0.25", "2"]],  # ragged
        [["however", "0.6", "-0.2"], ["however", "0.5", "0.1"]],  # repeated
    ],
)
def test_word_choice_table_is_read_as_parse_table_reads_it(tmp_path, rows):
    from mtdetect.features.word_choice import read_matrix

    path = tmp_path / "wc.tsv"
    path.write_text("# a header\n" + "".join("\t".join(r) + "\n" for r in rows), "utf-8")
    index, m = read_matrix(path)
    index1, m1 = matrix_of(parse_word_choice(rows))
    assert list(index.items()) == list(index1.items())
    assert m.shape == m1.shape and m.tobytes() == m1.tobytes()


def test_translationese_scores_with_the_injected_table():
    # one pattern: "at", a noun (every unknown word is a noun here), a comma
    table = "# intercept 0 0 0\n# scale 100\n# sent_report 0.1\nat NOUN ,\t2\t2\t2\n"
    lexicon = tagger.parse_lexicon([])
    res = Resources(
        {TRANSLATIONESE: parse_translationese(table), tagger.LEXICON: lexicon, folds.FOLDS: {}}
    )
    text = "At present, there are five parks in the city."
    values, found = Translationese().extract(text, res)
    # 2 (its weight) x 100 (scale) / 11 symbols (the tokens; <s> is not counted)
    assert values[Translationese.feature_names.index("tn_score")] == pytest.approx(200 / 11)
    assert [f.rule for f in found] == ["translation.pattern"]
    assert "'At present,'" in found[0].reason
    assert Translationese().extract("There are five parks in the city.", res)[1] == []


def test_phrasing_scores_with_an_injected_model():
    bits = 4  # 16 hashed slots per block: every n-gram weighs 1
    meta = {
        "heads": ["rt"],
        "bits": bits,
        "scale": [[1.0]],
        "intercept": [[0.0]],
        "report": {"rt": 0.5},
    }
    model = PhrasingModel(meta, np.ones((1, 1, 2 * 2**bits), dtype=np.int8))
    res = Resources({META: model, folds.FOLDS: {}})
    values, found = Phrasing().extract("It was analyzed by the organization.", res)
    assert values[Phrasing.feature_names.index("ph_rt_mean")] > 1.0  # two l2-normed blocks
    # one flag per named n-gram with a content word (at most two), on exactly those words
    assert [f.rule for f in found] == ["translation.phrasing"] * 2
    assert all(f.reason.startswith(f"'{f.text}' ") for f in found)


def _idiom_resources(bucket_after_the: float) -> Resources:
    """One idiom, one relative and one calque, with an LM in which "the bucket" has log10 P
    ``bucket_after_the`` and "the pail" -3."""
    entries = parse_entries(
        [["kick the bucket", "1", "", "2:bucket/n"]],
        [["have tomatoes on {pp} eyes", "de", "Tomaten auf den Augen haben", "be blind"]],
    )
    words = "he kicked the bucket pail she has tomatoes on her eyes".split()
    lm = fake_refstats(
        {w: -4.0 for w in words},
        bigrams={("the", "bucket"): bucket_after_the, ("the", "pail"): -3.0},
    )
    return Resources(
        {IDIOMS: Matcher(entries, parse_related([["bucket/n", "pail:s"]])), refstats.DIR: lm}
    )


def test_idioms_match_the_injected_tables():
    res = _idiom_resources(-0.5)
    found = IdiomFamily().extract("He kicked the pail. She has tomatoes on her eyes.", res)[1]
    assert [(f.rule, f.text, f.suggestion) for f in found] == [
        ("idiom.distorted", "kicked the pail", "kicked the bucket"),
        ("idiom.calque", "has tomatoes on her eyes", "is blind"),
    ]
    assert IdiomFamily().extract("He kicked the bucket.", res)[1] == []


def test_a_swap_the_lm_finds_as_ordinary_as_the_idiom_is_not_flagged():
    # "the pail" as likely as "the bucket": the phrase is no evidence of a distorted idiom
    found = IdiomFamily().extract("He kicked the pail.", _idiom_resources(-3.0))[1]
    assert found == []


def test_an_open_swap_needs_a_frame_of_three_content_words():
    entries = parse_entries(
        [["burn the midnight oil", "1", "", "3:oil/n"], ["kick the bucket", "1", "", "2:bucket/n"]],
        [],
    )
    related = parse_related([["oil/n", "petrol:s"], ["bucket/n", "pail:s"]])
    words = "she burned burn the midnight oil lamps petrol kicked kick bucket ball".split()
    lm = fake_refstats(
        {w: -4.0 for w in words},
        bigrams={("midnight", "oil"): -0.3, ("the", "bucket"): -0.5},
    )
    lexicon = tagger.parse_lexicon([["lamps", "NOUN"], ["ball", "NOUN"], ["petrol", "NOUN"]])
    res = Resources({IDIOMS: Matcher(entries, related), refstats.DIR: lm, tagger.LEXICON: lexicon})
    found = IdiomFamily().extract("She burned the midnight lamps. She kicked the ball.", res)
    # "lamps" is no relative of "oil", but the rest of a three-word frame holds it; "kick the
    # ball" leaves one content word, too loose a frame to flag any noun in
    assert [(f.rule, f.text, f.suggestion) for f in found[1]] == [
        ("idiom.unlisted", "burned the midnight lamps", "burned the midnight oil")
    ]
    # findings only: the feature values do not count it
    assert dict(zip(IdiomFamily.feature_names, found[0]))["idiom_distorted_count"] == 0
    assert IdiomFamily().extract("She burned the midnight oil.", res)[1] == []


def test_tags_come_from_the_injected_lexicon():
    lx = tagger.parse_lexicon([["the", "DET"], ["dog", "NOUN", "VERB"], ["-s", "VERB"]])
    a = Analysis(Document("The dog barks."), Resources({tagger.LEXICON: lx}))
    assert [tagger.TAGS[t] for t in a.tags] == ["DET", "NOUN", "VERB"]


def test_the_detector_runs_on_injected_tables():
    from mtdetect.training import fit_detector
    from mtdetect.vectorize import FeatureVectorizer

    table = parse_tortured([["counterfeit consciousness", "artificial intelligence", "flag"]])
    res = Resources({TORTURED: table, tagger.LEXICON: tagger.parse_lexicon([])})
    families = ["contractions", "function_words", "repetition", "tortured"]
    vec = FeatureVectorizer(families, resources=res).fit()
    human = ["We don't know what happened, the mayor said.", "They'll be back soon, he said."]
    spun = ["We rely on counterfeit consciousness.", "The counterfeit consciousness ranks it."]
    texts = (human + spun) * 3
    y = (["human"] * 2 + ["spun"] * 2) * 3
    X = np.vstack([vec.extract(t)[0] for t in texts])
    det = fit_detector(X, y, vec, X, y)
    rep = det.analyze("Their counterfeit consciousness ranks every image.")
    assert [f.rule for f in rep.flags] == ["tortured-phrase.pps"]
    assert rep.label in ("human", "spun") and set(det.class_thresholds) == {
        "short",
        "long",
        "passage",
    }


def test_a_word_of_the_same_kind_needs_a_frame_of_three_content_words():
    entries = parse_entries(
        [
            ["the early bird catches the worm", "1", "", "5:worm/n"],
            ["kick the bucket", "1", "", "2:bucket/n"],
        ],
        [],
    )
    related = parse_related([["worm/n", "maggot:o"], ["bucket/n", "pail:s"]])
    kinds = {
        "bird": frozenset({"noun.animal"}),
        "catches": frozenset({"verb.contact"}),
        "worm": frozenset({"noun.animal"}),
        "beetle": frozenset({"noun.animal"}),
        "train": frozenset({"noun.artifact"}),
        "bucket": frozenset({"noun.artifact"}),
        "barrel": frozenset({"noun.artifact"}),
    }
    words = "the early bird catches caught worm beetle train he kicked bucket barrel".split()
    lm = fake_refstats(
        {w: -4.0 for w in words},
        bigrams={("the", "worm"): -0.3, ("the", "bucket"): -0.3},
    )
    lexicon = tagger.parse_lexicon([["beetle", "NOUN"], ["train", "NOUN"], ["barrel", "NOUN"]])
    res = Resources(
        {IDIOMS: Matcher(entries, related, kinds), refstats.DIR: lm, tagger.LEXICON: lexicon}
    )
    text = (
        "The early bird caught the beetle. The early bird caught the train. He kicked the barrel."
    )
    found = IdiomFamily().extract(text, res)
    # "beetle" is no listed relative of "worm", but an animal for an animal in a frame of three
    # content words; "train" is not an animal (only an open swap, unlisted); "kick the barrel"
    # leaves one content word
    assert [(f.rule, f.text, f.suggestion) for f in found[1]] == [
        ("idiom.distorted", "The early bird caught the beetle", "The early bird caught the worm"),
        ("idiom.unlisted", "The early bird caught the train", "The early bird caught the worm"),
    ]
    assert "a word of the same kind" in found[1][0].reason
    # a finding only: the feature values do not count it
    assert dict(zip(IdiomFamily.feature_names, found[0]))["idiom_distorted_count"] == 0
    assert IdiomFamily().extract("The early bird caught the worm.", res)[1] == []
