"""The spinner designs of tools/spinners/ and the corpus pieces around them, on fixtures written
here (tests/spinfix.py and the small tables below; nothing from ../shared/data).

Every design: deterministic, spans restore the source, protected quotations kept, the rate
honoured; and each design's own mechanism (context-free multi-word renderings, corpus
neighbours that are not synonyms, mined tortured word maps, LM-ranked candidates, WordNet walks
and phrase rewrites). A few tests use the real resources and are skipped when they are absent.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pytest

from tests.spinfix import write_data
from tools import corpus_common as cc
from tools import corpus_spun, spinners
from tools.corpus_informal import load_chat, load_reviews, restore_case
from tools.inflect import Inflector
from tools.spinners import tortured_split
from tools.spinners.checkonly import Checkonly
from tools.spinners.commercial import Commercial
from tools.spinners.common import (
    Morph,
    SpinOptions,
    draw_options,
    quoted_tokens,
    restore,
    tokenize,
)
from tools.spinners.contextual import Contextual
from tools.spinners.distributional import Distributional, fit
from tools.spinners.thesaurus import Design as ThesaurusDesign
from tools.spinners.thesaurus import Resources, Spinner
from tools.spinners.tortured_map import TorturedMap, align, mine
from tools.thesaurus import load_mythes, load_oewn

# ------------------------------------------------------------------------ extra fixtures

EXTRA_SYNSETS = """\
90000401-n:
  definition:
  - a motor vehicle with four wheels
  hypernym:
  - 90000402-n
  members:
  - car
  - automobile
  partOfSpeech: n
90000402-n:
  definition:
  - a self-propelled vehicle
  hypernym:
  - 90000403-n
  members:
  - motor vehicle
  partOfSpeech: n
90000403-n:
  definition:
  - a conveyance
  members:
  - vehicle
  partOfSpeech: n
90000404-n:
  definition:
  - a car with two doors
  hypernym:
  - 90000401-n
  members:
  - coupe
  partOfSpeech: n
90000405-n:
  definition:
  - people together
  members:
  - group
  partOfSpeech: n
"""
EXTRA_ADV = """\
90000501-r:
  definition:
  - with speed
  members:
  - quickly
  - speedily
  partOfSpeech: r
90000502-r:
  definition:
  - with effort
  members:
  - hard
  partOfSpeech: r
90000503-a:
  definition:
  - not easy
  members:
  - hard
  - difficult
  partOfSpeech: a
"""
EXTRA_ENTRIES = "".join(
    f"{lemma}:\n  {pos}:\n    sense:\n    - id: '{lemma.replace(' ', '_')}%0'\n"
    f"      synset: {sid}\n"
    for lemma, pos, sid in [
        ("automobile", "n", "90000401-n"),
        ("car", "n", "90000401-n"),
        ("coupe", "n", "90000404-n"),
        ("difficult", "a", "90000503-a"),
        ("group", "n", "90000405-n"),
        ("motor vehicle", "n", "90000402-n"),
        ("quickly", "r", "90000501-r"),
        ("speedily", "r", "90000501-r"),
        ("vehicle", "n", "90000403-n"),
    ]
) + (
    "hard:\n  a:\n    sense:\n    - id: 'hard%3'\n      synset: 90000503-a\n"
    "  r:\n    sense:\n    - id: 'hard%4'\n      synset: 90000502-r\n"
)
COMMERCIAL_MYTHES = """\
UTF-8
hard|3
(adj)|difficult|laborious
(adj)|firm|solid
(adv)|firmly
try|1
(verb)|attempt|essay
stop|1
(verb)|halt|cease
"""
ZIPF = {
    w: 4.0
    for w in "difficult laborious firm solid firmly attempting essaying attempt essay "
    "halting ceasing halt cease halted ceased making an attempt in opposition to".split()
}

TEXT = (
    "They were trying hard to stop the big house. Images of a quick child were running "
    "today. The leader of the group drove the car quickly against the wind.\n\n"
    'She said: "We work hard and we stop the car quickly." Children were trying again.'
)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = write_data(tmp_path_factory.mktemp("data"))
    yd = root / "thesaurus" / "oewn" / "src" / "yaml"
    (yd / "noun.extra.yaml").write_text(EXTRA_SYNSETS, encoding="utf-8")
    (yd / "adv.extra.yaml").write_text(EXTRA_ADV, encoding="utf-8")
    (yd / "entries-b.yaml").write_text(EXTRA_ENTRIES, encoding="utf-8")
    (root / "th_commercial.dat").write_text(COMMERCIAL_MYTHES, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def oewn(data):
    return load_oewn(data, cache=False)


@pytest.fixture(scope="module")
def morph(oewn, data) -> Morph:
    mythes = load_mythes(data / "th_commercial.dat")
    lex = lambda lemma, pos: oewn.has_lemma(lemma, pos) or mythes.has_lemma(lemma, pos)  # noqa: E731
    return Morph(Inflector(lexicon=lex, forms=oewn.forms))


def fake_scorer(favourite: str):
    """An LM that likes one word: +1 for every window containing it."""

    def score(windows):
        return np.array([float(favourite in w) for w, _ in windows])

    return score


@pytest.fixture(scope="module")
def designs(data, oewn, morph) -> dict:
    """Every design over the fixtures (distributional over a hand-made neighbour table)."""
    mythes = load_mythes(data / "th_commercial.dat")
    res = Resources(oewn=oewn, mythes=load_mythes(data / "th_test.dat"), tortured=[], zipf=None)
    neighbours = {
        "big": ["small", "large"],
        "house": ["city", "office"],
        "car": ["truck", "bus"],
        "wind": ["rain", "snow"],
        "leader": ["president", "member"],
        "group": ["party", "team"],
        "child": ["woman", "girl"],
    }
    wmap = mine([("big house", "colossal dwelling"), ("quick child", "speedy kid")])
    return {
        "commercial": Commercial(mythes, morph, zipf=ZIPF),
        "distributional": Distributional(neighbours),
        "tortured_map": TorturedMap(wmap, morph),
        "thesaurus": ThesaurusDesign(Spinner(res)),
        "contextual": Contextual(oewn, mythes, morph, fake_scorer("halt")),
        "checkonly": Checkonly(oewn, morph),
    }


def options(design: str, **kw) -> SpinOptions:
    """Options with a design's first choice (thesaurus: a config without a frequency filter)."""
    key, values = next(iter(spinners.module(design).OPTIONS.items()))
    first = "oewn-light" if design == "thesaurus" else values[0]
    return SpinOptions(**{"rate": 1.0, **kw}, extra=((key, first),))


# -------------------------------------------------------------------------- every design


def test_registry_lists_every_design(designs):
    assert set(spinners.DESIGNS) == set(designs)
    assert set(spinners.TRAIN_DESIGNS) | set(spinners.TEST_ONLY) == set(spinners.DESIGNS)
    assert not set(spinners.TRAIN_DESIGNS) & set(spinners.TEST_ONLY)
    assert spinners.TEST_ONLY == ("checkonly",)
    for d in spinners.DESIGNS:
        assert spinners.generator_id(d) == f"spin:{d}"
        assert spinners.module_file(d).name == f"{d}.py"


@pytest.mark.parametrize("design", list(spinners.DESIGNS))
def test_deterministic_and_restorable(designs, design):
    d = designs[design]
    changed = 0
    for seed in range(6):
        for names in (False, True):
            for articles in (False, True):
                opts = options(design, rate=0.5, break_names=names, fix_articles=articles)
                r = d.spin(TEXT, seed, opts)
                assert restore(r.text, r.spans) == TEXT
                assert [s for s, _, _ in r.spans] == sorted(s for s, _, _ in r.spans)
                for s, e, orig in r.spans:
                    assert 0 <= s < e <= len(r.text) and r.text[s:e] != orig
                again = d.spin(TEXT, seed, opts)
                assert (again.text, again.spans) == (r.text, r.spans)
                changed += bool(r.spans)
    assert changed > 0


@pytest.mark.parametrize("design", list(spinners.DESIGNS))
def test_protected_quotations(designs, design):
    d = designs[design]
    start = TEXT.index('"')
    end = TEXT.index('"', start + 1)
    inside = 0
    for seed in range(5):
        r = d.spin(TEXT, seed, options(design, protect_quotes=True))
        # map spun offsets back to the source: every change lies outside the quotation
        shift = 0
        for s, e, orig in r.spans:
            src_s = s - shift
            assert not (start < src_s < end), (design, orig)
            shift += (e - s) - len(orig)
        unprotected = d.spin(TEXT, seed, options(design, protect_quotes=False))
        shift = 0
        for s, e, orig in unprotected.spans:
            inside += start < s - shift < end
            shift += (e - s) - len(orig)
    assert inside > 0 or design == "tortured_map"  # the quotation has words each design swaps


@pytest.mark.parametrize("design", list(spinners.DESIGNS))
def test_rate_is_honoured(designs, design):
    d = designs[design]
    text = " ".join([TEXT.replace('"', "")] * 6)
    for rate in (0.05, 0.2, 0.4):
        got = []
        for seed in range(6):
            r = d.spin(text, seed, options(design, rate=rate, break_names=True))
            assert r.n_eligible >= 20
            got.append(r.n_replaced / r.n_eligible)
        assert abs(np.mean(got) - rate) <= 0.06, (design, rate, got)


def test_draw_options_ranges():
    rng = random.Random(0)
    drawn = [draw_options(rng, {"choice": ("a", "b")}) for _ in range(400)]
    rates = [o.rate for o in drawn]
    assert 0.05 <= min(rates) < 0.08 and 0.37 < max(rates) <= 0.40
    for flag in ("break_names", "fix_articles", "protect_quotes"):
        share = np.mean([getattr(o, flag) for o in drawn])
        assert 0.4 < share < 0.6
    assert {o.get("choice") for o in drawn} == {"a", "b"}
    assert drawn[0].record()["choice"] in ("a", "b") and "extra" not in drawn[0].record()
    for design in spinners.DESIGNS:
        opts = spinners.draw(design, random.Random(design))
        assert set(spinners.module(design).OPTIONS) <= set(opts.record())


def test_quoted_tokens():
    tk = tokenize('He said "stop the car" and left. “Go home” she said. "Open\n\nNext line')
    quoted = {tk.lows[i] for i in quoted_tokens(tk)}
    assert quoted == {"stop", "the", "car", "go", "home", "open"}


# ------------------------------------------------------------------------ the mechanisms


def test_commercial_is_context_free_and_multiword(designs):
    d = designs["commercial"]
    r = d.spin("They work hard. It is hard. They were trying it.", 0, options("commercial"))
    new = {orig: r.text[s:e] for s, e, orig in r.spans}
    # "hard" gets its dominant part of speech (adjective) whatever the context, every time
    assert r.text.count("difficult") == 2
    assert new["trying"] == "making an attempt"  # declared multi-word rendering, re-inflected
    r = d.spin("They voted against it.", 0, options("commercial"))
    assert r.text == "They voted in opposition to it."
    frequent = SpinOptions(rate=1.0, extra=(("choice", "phrase"),))
    assert "making an attempt" in d.spin("We are trying.", 1, frequent).text


def test_commercial_breaks_names_only_when_asked(designs):
    d = designs["commercial"]
    text = "The vote was Hard Against Time today."
    keep = d.spin(text, 0, options("commercial"))
    assert all(not o[0].isupper() for _, _, o in keep.spans)
    broken = d.spin(text, 0, options("commercial", break_names=True))
    assert {o for _, _, o in broken.spans} >= {"Hard", "Against"}
    assert "In opposition to" in broken.text  # capital kept, like "Russia At this time"


def test_distributional_neighbours_are_not_synonyms():
    lines = []
    for food in ("soup", "tea", "coffee", "water"):
        for temp in ("hot", "cold", "warm"):
            lines.append(f"the {food} was {temp} this morning and the {food} stayed {temp}")
    for colour in ("red", "blue", "green"):
        for thing in ("car", "door", "cars"):
            lines.append(f"she painted the {thing} {colour} and the {colour} {thing} shone")
    table = fit(lines * 3, params={"min_count": 2, "dim": 6, "top_k": 4})
    assert "cold" in table["hot"][:2] and "warm" in table["hot"][:2]  # antonym, co-hyponym
    assert set(table["red"][:2]) <= {"blue", "green"}
    assert "cars" not in table["car"]  # an inflection of the word itself is never a neighbour
    again = fit(lines * 3, params={"min_count": 2, "dim": 6, "top_k": 4})
    assert again == table


def test_distributional_swaps_surface_forms(designs):
    d = designs["distributional"]
    r = d.spin("The House voted.", 0, options("distributional", break_names=True))
    assert r.text == "The City voted."  # a co-occurring word, not a synonym, case matched


def test_tortured_alignment_and_inflection(designs):
    assert align("random forest", "irregular woodland") == [
        ("random", "irregular"),
        ("forest", "woodland"),
    ]
    assert align("deep neural network", "profound neural organization") == [
        ("deep", "profound"),
        ("network", "organization"),
    ]
    assert align("big data", "enormous measure of information") == []
    assert align("signal", "sign flag") == [("signal", "sign flag")]
    wmap = mine(
        [("random forest", "irregular woodland"), ("random forest", "arbitrary woodland")],
        drop={("random", "arbitrary")},
    )
    assert wmap == {"random": [("irregular", 1)], "forest": [("woodland", 2)]}
    d = designs["tortured_map"]
    r = d.spin("The big houses and quick children.", 0, options("tortured_map"))
    assert r.text == "The colossal dwellings and speedy kids."  # plural re-inflected


def test_contextual_takes_the_lm_favourite(data, oewn, morph):
    mythes = load_mythes(data / "th_commercial.dat")
    for favourite in ("halt", "cease"):
        d = Contextual(oewn, mythes, morph, fake_scorer(favourite))
        r = d.spin("They stop the car.", 0, options("contextual"))
        assert {r.text[s:e] for s, e, o in r.spans if o == "stop"} == {favourite}
    assert set(d.candidates(tokenize("They stop the car."), 1)) >= {"halt", "cease"}


def test_checkonly_walks_derives_and_rewrites(designs):
    d = designs["checkonly"]
    r = d.spin("The leader of the group left.", 0, options("checkonly"))
    assert r.text == "The group's leader left."
    r = d.spin("He drove quickly.", 0, options("checkonly"))
    assert r.text == "He drove in a quick manner."
    up = d.spin("A car stood there.", 0, SpinOptions(rate=1.0, extra=(("walk", "up"),)))
    down = d.spin("A car stood there.", 0, SpinOptions(rate=1.0, extra=(("walk", "down"),)))
    assert up.text == "A vehicle stood there."  # grandparent: car -> motor vehicle -> vehicle
    assert down.text == "A coupe stood there."  # hyponym
    r = d.spin("They were able to go, in spite of it.", 0, options("checkonly"))
    assert "notwithstanding" in r.text


def test_designs_differ_on_the_same_text(designs):
    outs = {
        name: d.spin(TEXT, 3, options(name, rate=0.6, break_names=True)).text
        for name, d in designs.items()
    }
    assert len(set(outs.values())) == len(outs)


# ----------------------------------------------------------------------- tortured split

VARIANTS = [
    {"correct": "random forest", "tortured": "irregular woodland"},
    {"correct": "Random Forests (RF)", "tortured": "arbitrary woodlands"},
    {"correct": "random forest", "tortured": "random timberland"},
]


def test_tortured_split_groups_variants():
    keys = {tortured_split.group_key(e) for e in VARIANTS}
    assert keys == {"forest random"}
    filler = [{"correct": f"term{i} word{i}", "tortured": f"x{i} y{i}"} for i in range(90)]
    entries = filler + VARIANTS
    parts = tortured_split.split_parts(entries)
    assert parts == tortured_split.split_parts(entries)  # deterministic
    assert len({parts[i] for i in range(90, 93)}) == 1  # the variants stay together
    counts = {p: parts.count(p) for p in tortured_split.PARTS}
    assert all(28 <= n <= 34 for n in counts.values()), counts
    idx = tortured_split.part_indices(entries)
    assert sorted(i for ix in idx.values() for i in ix) == list(range(len(entries)))


def test_thesaurus_applies_only_the_train_third(tmp_path):
    entries = [{"correct": f"alpha{i} beta", "tortured": f"gamma{i} delta"} for i in range(30)]
    p = tmp_path / "t.json"
    p.write_text(json.dumps({"phrases": entries}), encoding="utf-8")
    parts = tortured_split.split_parts(entries)
    train = tortured_split.load_pairs(p, part="train")
    assert {c for c, _ in train} == {f"alpha{i} beta" for i in range(30) if parts[i] == "train"}


# ------------------------------------------------------------------------- corpus pieces


def _doc(source: str, doc_id: str, split: str, n: int = 40, **meta) -> cc.Doc:
    units = [
        f"Sentence {k} of {doc_id} says the house was big and the car was fast." for k in range(n)
    ]
    return cc.Doc(source, doc_id, units, [" "] * n, "x", meta=meta, split=split)


def test_plan_keeps_checkonly_out_of_training():
    docs = [
        _doc("brown", f"brown:c{i}", split, genre=g, register=g)
        for i, (split, g) in enumerate(
            [(s, g) for s in ("train", "valid", "test") for g in ("news", "romance", "learned")]
        )
    ] + [_doc("chat", f"chat:{s}", s, register="chat") for s in ("train", "test")]
    for split in ("train", "valid", "test"):
        pool = [p for d in docs if d.split == split for p in cc.passages_of(d, 1)]
        plan = corpus_spun.choose(pool, [], split, seed=1)
        assert plan, split
        for designs in plan.values():
            if split == "test":
                assert designs == list(spinners.DESIGNS)
            else:
                assert len(designs) == corpus_spun.DESIGNS_PER_ORIGINAL
                assert "checkonly" not in designs
        if split == "train":
            per = {d: sum(d in v for v in plan.values()) for d in spinners.TRAIN_DESIGNS}
            assert max(per.values()) - min(per.values()) <= 2, per  # balanced by rotation


def test_register_classes():
    assert corpus_spun.register_class(_doc("brown", "b", "train", genre="romance")) == "fiction"
    assert corpus_spun.register_class(_doc("brown", "b", "train", genre="learned")) == "science"
    assert corpus_spun.register_class(_doc("abc", "a", "train", register="abc-science")) == (
        "science"
    )
    assert corpus_spun.register_class(_doc("wmt21-src", "w", "train")) == "news"
    assert corpus_spun.register_class(_doc("chat", "c", "train")) == "speech"
    assert corpus_spun.register_class(_doc("product-reviews", "r", "train")) == "web"


def test_restore_case():
    out = restore_case(
        "i bought my canon g3 on amazon and i 'm happy with the dvd .", {"Canon", "G3"}, {"amazon"}
    )
    assert out == "I bought my Canon G3 on Amazon and I 'm happy with the DVD ."


def test_informal_loaders(tmp_path):
    chat = tmp_path / "corpora" / "informal" / "nps_chat"
    chat.mkdir(parents=True)
    posts = "".join(
        f'<Post class="{"System" if k % 5 == 0 else "Statement"}" user="u{k}">post number {k} '
        f"here<terminals><t pos='NN' word='x'/></terminals></Post>"
        for k in range(30)
    )
    (chat / "01-01-20s_30posts.xml").write_text(f"<Session><Posts>{posts}</Posts></Session>")
    docs = load_chat(tmp_path, 1)
    units = [u for d in docs for u in d.units]
    assert len(units) == 24 and units[1] == "post number 2 here"  # system posts dropped
    rev = tmp_path / "corpora" / "informal" / "product_reviews_1"
    rev.mkdir(parents=True)
    (rev / "Gadget_X1.txt").write_text(
        "* Product name: Gadget X1\n\n[t]great thing\nbattery[+2]##i like the gadget x1 , "
        "it is n't big .\n##the lcd is fine .\n[t]meh\n##it broke after a week .\n",
        encoding="utf-8",
    )
    docs = load_reviews(tmp_path, 1)
    assert [d.units for d in docs] == [
        ["I like the Gadget X1, it isn't big.", "The LCD is fine.", "It broke after a week."]
    ]
    assert docs[0].breaks == ["\n\n", " ", "\n\n"]


# ----------------------------------------------------------------- with the real resources

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MYTHES = Path("/usr/share/mythes/th_en_US_v2.dat")
real = pytest.mark.skipif(
    not (SHARED / "tortured-phrases" / "tortured-phrases.json").is_file() or not MYTHES.is_file(),
    reason="needs ../shared/data and mythes-en-us",
)


@real
def test_real_tortured_split_and_map():
    path = SHARED / "tortured-phrases" / "tortured-phrases.json"
    entries = tortured_split.read_entries(path)
    parts = tortured_split.split_parts(entries)
    n = len(entries)
    for p in tortured_split.PARTS:
        assert abs(parts.count(p) - n / 3) < 0.02 * n
    by_group: dict[str, set[str]] = {}
    for e, p in zip(entries, parts, strict=True):
        by_group.setdefault(tortured_split.group_key(e), set()).add(p)
    assert all(len(v) == 1 for v in by_group.values())
    from tools.spinners.tortured_map import mine_file

    test_pairs = {
        pair for c, t in tortured_split.load_pairs(path, part="test") for pair in align(c, t)
    }
    wmap = mine_file(path)
    assert len(wmap) > 300
    assert not {(a, b) for a, lst in wmap.items() for b, _ in lst} & test_pairs


@real
def test_real_commercial_renderings():
    d = spinners.get("commercial", data=SHARED)
    opts = SpinOptions(rate=1.0, break_names=True, extra=(("choice", "first"),))
    r = d.spin("Soldiers were trying to prepare, against the House, today.", 0, opts)
    assert re.search(r"making an attempt", r.text) and "in opposition to" in r.text
    assert "Home" in r.text and "troopers" in r.text.lower()
