"""Tests for tools/thesaurus.py, the inflector of mtdetect.morphology and tools/spinner.py, on
self-written fixtures.

The fixtures are a tiny OEWN-format YAML source, a tiny MyThes file and a tiny tortured-phrase
list written here (no data from ../shared/data), so the tests are fast and offline.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtdetect.morphology import Inflector, Reading, inflect
from tests.spinfix import write_data
from tools.spinner import CONFIGS, Resources, Spinner, load_tortured
from tools.thesaurus import load_mythes, load_oewn

# --------------------------------------------------------------------------------- fixtures

# all tests use no frequency filter unless they say otherwise
TEST_CONFIGS = {name: {**cfg, "min_zipf": None} for name, cfg in CONFIGS.items()}
ALL = {
    "source": "oewn",
    "rate": (1.0, 1.0),
    "relations": ("synonym",),
    "max_senses": 3,
    "multiword": False,
    "break_names": False,
    "pos_mode": "context",
    "fix_articles": True,
    "min_zipf": None,
    "tortured": 0.0,
    "function_words": False,
}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def oewn(data):
    return load_oewn(data, cache=False)


@pytest.fixture(scope="module")
def spinner(data, oewn) -> Spinner:
    res = Resources(
        oewn=oewn,
        mythes=load_mythes(data / "th_test.dat"),
        tortured=load_tortured(data / "tortured-phrases" / "tortured-phrases.json"),
        zipf=None,
    )
    return Spinner(res, configs={**TEST_CONFIGS, "all": ALL})


def unspin(text: str, spans) -> str:
    """Put the original wording back into the spun text (spans are spun-text offsets)."""
    for s, e, orig in sorted(spans, reverse=True):
        text = text[:s] + orig + text[e:]
    return text


# ------------------------------------------------------------------------------ thesaurus


def test_oewn_parse(oewn):
    assert oewn.synsets["90000001-v"].members == ("stop", "halt", "cease")
    assert oewn.synsets["90000202-s"].pos == "a"
    assert oewn.synsets["90000106-n"].members == ("true",)  # quoted scalar
    assert "'tis" in oewn.index  # quoted key with '' escape
    assert oewn.forms[("child", "n")] == ("children",)
    assert oewn.sense_counts("house") == {"n": 1}
    syns = oewn.synonyms("stop", "v")
    assert ("halt", "synonym") in syns and ("change", "hypernym") in syns
    assert oewn.synonyms("stop", "v", relations=("synonym",)) == [
        ("halt", "synonym"),
        ("cease", "synonym"),
    ]
    assert ("home", "hypernym") in oewn.synonyms("house")
    assert ("huge", "similar") in oewn.synonyms("big", "adj")
    assert ("at this time", "synonym") in oewn.synonyms("today")  # multi-word kept
    assert ("make an attempt", "synonym") in oewn.synonyms("try", "verb")


def test_mythes_parse(data):
    m = load_mythes(data / "th_test.dat")
    assert m.synonyms("house", "noun") == [("dwelling", "hypernym"), ("home", "hypernym")]
    assert ("end", "related") in m.synonyms("stop")
    assert all(r != "antonym" for _, r in m.synonyms("stop"))
    assert ("go", "antonym") in m.synonyms("stop", relations=("antonym",))
    assert m.is_name("Russia") and not m.is_name("house")
    assert not m.has_lemma("russia")  # case-sensitive: only a name
    assert m.has_lemma("russia", case_sensitive=False)


# -------------------------------------------------------------------------------- inflect


@pytest.mark.parametrize(
    ("lemma", "pos", "tag", "form"),
    [
        ("make an attempt", "v", "VBG", "making an attempt"),
        ("stop", "v", "VBG", "stopping"),
        ("stop", "v", "VBD", "stopped"),
        ("cease", "v", "VBG", "ceasing"),
        ("try", "v", "VBZ", "tries"),
        ("take", "v", "VBN", "taken"),
        ("child", "n", "NNS", "children"),
        ("photo", "n", "NNS", "photos"),
        ("business firm", "n", "NNS", "business firms"),
        ("point of view", "n", "NNS", "points of view"),
        ("crisis", "n", "NNS", "crises"),
        ("happy", "a", "JJS", "happiest"),
        ("big", "a", "JJR", "bigger"),
        ("laborious", "a", "JJR", "more laborious"),
    ],
)
def test_inflect(lemma, pos, tag, form):
    assert inflect(lemma, pos, tag) == form


def test_lemmatize_with_lexicon(oewn):
    inf = Inflector.from_oewn(oewn)
    assert inf.lemmatize("children") == [Reading("child", "n", "NNS")]
    assert Reading("run", "v", "VBD") in inf.lemmatize("ran")
    assert Reading("run", "v", "VBG") in inf.lemmatize("running")
    assert Reading("stop", "v", "VBN") in inf.lemmatize("stopped")
    assert inf.lemmatize("images") == [Reading("image", "n", "NNS")]
    assert inf.lemmatize("biggest") == [Reading("big", "a", "JJS")]
    assert inf.lemmatize("xyzzies") == []
    assert inf.inflect("run", "v", "VBG") == "running"


# -------------------------------------------------------------------------------- spinner


def test_configs_declared():
    assert len(CONFIGS) >= 4
    keys = set(ALL)
    for name, cfg in CONFIGS.items():
        assert set(cfg) == keys, name
        lo, hi = cfg["rate"]
        assert 0.1 <= lo <= hi <= 0.4
    assert {c["source"] for c in CONFIGS.values()} == {"oewn", "mythes", "both"}
    assert any(c["break_names"] for c in CONFIGS.values())
    assert any(c["tortured"] > 0 for c in CONFIGS.values())
    assert any("hypernym" in c["relations"] for c in CONFIGS.values())


def test_load_tortured(data):
    pairs = load_tortured(data / "tortured-phrases" / "tortured-phrases.json")
    assert pairs == [
        ("artificial intelligence", "counterfeit consciousness"),
        ("big data", "colossal information"),
    ]


TEXTS = [
    "They were trying to stop the big house. Images of a quick child were running today.",
    "Leaders work hard. The House stopped the Leader, and 42 children ran to the big home.",
    "Artificial intelligence and big data are trying to stop the leader of the house.",
]


@pytest.mark.parametrize("config", [*CONFIGS, "all"])
@pytest.mark.parametrize("text", TEXTS)
def test_spans_and_determinism(spinner, config, text):
    for seed in range(5):
        r = spinner.spin_detailed(text, config, seed)
        spun, spans = r.text, r.spans
        # offsets refer to the spun text; putting the originals back restores the input
        assert unspin(spun, spans) == text
        for s, e, orig in spans:
            assert 0 <= s < e <= len(spun)
            assert spun[s:e] != orig
            assert re.fullmatch(r"[A-Za-z][A-Za-z' -]*", spun[s:e])
        assert [s for s, _, _ in spans] == sorted(s for s, _, _ in spans)
        r2 = spinner.spin_detailed(text, config, seed)
        assert (r2.text, r2.spans) == (spun, spans)


def test_seeds_differ(spinner):
    text = " ".join(TEXTS * 3)
    outs = {spinner.spin_detailed(text, "naive-both", seed).text for seed in range(6)}
    assert len(outs) > 1


@pytest.mark.parametrize("config", list(CONFIGS))
def test_rate_within_config_range(spinner, config):
    text = " ".join(TEXTS * 8)
    lo, hi = CONFIGS[config]["rate"]
    for seed in range(8):
        r = spinner.spin_detailed(text, config, seed)
        assert r.n_eligible >= 20
        tol = 1.0 / r.n_eligible  # (stochastic) rounding to whole words
        assert lo - tol <= r.rate <= hi + tol, (config, r.rate)
        assert len(r.spans) == r.n_replaced + r.n_tortured


def test_all_rate_replaces_every_eligible_word(spinner):
    text = "They were trying to stop the big house today."
    r = spinner.spin_detailed(text, "all", 0)
    # house/today have no single-word same-synset synonym in the fixture: not eligible
    assert {o for _, _, o in r.spans} == {"trying", "stop", "big"}
    assert r.n_eligible == r.n_replaced == 3
    assert r.text.startswith("They were attempting to ")  # re-inflected (VBG)
    assert " to " in r.text and " the " in r.text  # stop words untouched


def test_capitalisation_kept(spinner):
    text = "Stopped trains were quick. Images were big."
    r = spinner.spin_detailed(text, "all", 1)
    for s, _e, orig in r.spans:
        assert r.text[s].isupper() == orig[0].isupper()
    assert r.text.startswith(("Halted ", "Ceased "))
    assert ". Pictures " in r.text or ". Photos " in r.text


def test_names_untouched_unless_breaking(spinner):
    text = "The vote in the House was quick, said the Leader of the group."
    keep = spinner.spin_detailed(text, "all", 0)
    assert all(o not in ("House", "Leader") for _, _, o in keep.spans)
    breaking = {**ALL, "break_names": True}
    sp = Spinner(spinner.res, configs={"b": breaking})
    r = sp.spin_detailed(text, "b", 0)
    origs = {o: r.text[s:e] for s, e, o in r.spans}
    assert origs.get("Leader") == "Chief"
    assert "House" not in origs  # "house" has no same-synset synonym in the fixture
    hyper = Spinner(spinner.res, configs={"h": {**breaking, "relations": ("hypernym",)}})
    r = hyper.spin_detailed(text, "h", 0)
    assert {r.text[s:e] for s, e, o in r.spans if o == "House"} <= {"Dwelling", "Home"}
    assert any(o == "House" for _, _, o in r.spans)
    # a name with no common-word reading is never touched, even by a name-breaking spinner
    r = sp.spin_detailed("They met Russia today.", "b", 0)
    assert all(o != "Russia" for _, _, o in r.spans)


def test_multiword_and_names(spinner):
    cfg = {**ALL, "multiword": True, "break_names": True}
    sp = Spinner(spinner.res, configs={"m": cfg})
    seen = set()
    for seed in range(20):
        r = sp.spin_detailed("Russia Today is trying.", "m", seed)
        seen.update(r.text[s:e] for s, e, o in r.spans)
    assert "At this time" in seen  # "Russia Today" -> "Russia At this time"
    assert "making an attempt" in seen or "attempting" in seen


def test_function_words_only_when_configured(spinner):
    text = "They stop now and then stop again."
    assert {o for _, _, o in spinner.spin_detailed(text, "all", 0).spans} == {"stop"}
    sp = Spinner(spinner.res, configs={"f": {**ALL, "function_words": True}})
    r = sp.spin_detailed(text, "f", 0)
    assert {o for _, _, o in r.spans} == {"stop", "now"}  # "then"/"again": no fixture entry
    assert "presently" in r.text


def test_numbers_and_stopwords_untouched(spinner):
    text = "The 42 big houses and the 7 quick kids were there."
    r = spinner.spin_detailed(text, "all", 0)
    changed = {o for _, _, o in r.spans}
    assert changed <= {"big", "houses", "quick", "kids"}
    assert "42" in r.text and "7" in r.text


def test_article_fixed(spinner):
    r = spinner.spin_detailed("It was a big day.", "all", 0)
    assert r.text == "It was an enormous day."
    assert r.spans == [(7, 18, "a big")]
    naive = Spinner(spinner.res, configs={"n": {**ALL, "fix_articles": False}})
    assert naive.spin_detailed("It was a big day.", "n", 0).text == "It was a enormous day."


def test_tortured_phrases(spinner):
    text = "Artificial intelligence needs big data."
    r = spinner.spin_detailed(text, "tortured", 0)
    assert r.n_tortured >= 1
    got = {o: r.text[s:e] for s, e, o in r.spans}
    assert got.get("Artificial intelligence", got.get("big data")) in (
        "Counterfeit consciousness",
        "colossal information",
    )
    assert unspin(r.text, r.spans) == text


def test_min_zipf_filter(spinner):
    res = Resources(
        spinner.res.oewn, spinner.res.mythes, [], zipf=lambda s: 5.0 if s == "halt" else 1.0
    )
    sp = Spinner(res, configs={"z": {**ALL, "min_zipf": 3.0}})
    r = sp.spin_detailed("They stop.", "z", 0)
    assert r.text == "They halt."


def test_mythes_only_config(spinner):
    sp = Spinner(spinner.res, configs={"m": {**ALL, "source": "mythes"}})
    r = sp.spin_detailed("They stop.", "m", 0)
    assert r.text in ("They halt.", "They block.")
