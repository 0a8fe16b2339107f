"""Hostile text: invisible characters and look-alike letters are undone before analysis, every
offset still points into the original, and the obfuscation is itself reported."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mtdetect
from mtdetect.normalize import _INVISIBLE_RE, RULE, clean, lookalikes

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "The city council voted on Tuesday night to add bus lanes to three of the busiest streets, "
    "ending months of argument between shop owners and commuter groups.\n"
    "Work is due to start in March and should take about six weeks, officials said.\n"
)
ZWSP = "\u200b"
#: Cyrillic letters that look like Latin ones (а е о р с у х)
CYRILLIC = str.maketrans("aeopcyx", "\u0430\u0435\u043e\u0440\u0441\u0443\u0445")


def test_clean_text_is_left_as_it_is():
    c = clean(TEXT)
    assert c.text is TEXT and not c.changed and not c.findings
    assert clean("Café déjà vu — «quoted» Москва").text == "Café déjà vu — «quoted» Москва"


def test_every_format_character_is_invisible_to_the_analysis():
    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert cf and all(_INVISIBLE_RE.fullmatch(c) for c in cf)
    for c in "\u00ad\u200b\u200c\u200d\u200e\u200f\u202e\u2066\u2060\ufeff\ufe0f\u034f":
        assert clean(f"wo{c}rd").text == "word"


def test_zero_width_spaces_are_removed_and_spans_map_back():
    hostile = TEXT.replace(" ", " " + ZWSP)
    c = clean(hostile)
    assert c.text == TEXT
    for start in range(0, len(TEXT) - 5, 7):
        s, e = c.span(start, start + 5)
        assert hostile[s:e].replace(ZWSP, "") == TEXT[start : start + 5]
    ((pos, s, e, reason, suggestion, score),) = c.findings
    n = hostile.count(ZWSP)
    assert reason.startswith(f"{n} invisible characters") and "zero width space" in reason
    assert ZWSP in hostile[s:e] and suggestion == hostile[s:e].replace(ZWSP, "") and score == 1


def test_lookalike_letters_inside_latin_words_are_read_as_latin():
    hostile = TEXT.translate(CYRILLIC)
    c = clean(hostile)
    assert c.text == TEXT and len(c.text) == len(hostile)
    ((_, s, e, reason, suggestion, score),) = c.findings
    assert "Cyrillic" in reason and "for" in reason and suggestion == TEXT[s:e] and score == 1
    assert lookalikes()["\u0430"] == "a" and lookalikes()["\u03bf"] == "o"
    assert lookalikes()["\u0406"] == "I" and lookalikes()["\u0399"] == "I"  # capitals: I, not l
    # real Cyrillic and a lone Greek letter are left alone
    assert clean("He said «Москва» and the level α was 0.05.").text.count("Москва") == 1
    assert "α" in clean("He said the level α was 0.05 in the study.").text


@pytest.mark.parametrize(
    ("insert", "what"),
    [(ZWSP, "zero width space"), ("\u00ad", "soft hyphen"), ("\u202e", "bidirectional")],
)
def test_report_offsets_point_into_the_original(tiny_model, insert, what):
    hostile = TEXT.replace("e", "e" + insert, 9)
    clean_rep = tiny_model.analyze(TEXT)
    rep = tiny_model.analyze(hostile)
    assert rep.scores == clean_rep.scores and rep.label == clean_rep.label
    obf = [f for f in rep.flags if f.rule == RULE]
    assert len(obf) == 1 and what in obf[0].reason and insert in obf[0].text
    assert len(rep.flags) == len(clean_rep.flags) + 1
    lines = hostile.split("\n")
    for f in rep.flags:
        assert hostile[f.start : f.end] == f.text
        line = lines[f.line - 1]
        assert line[f.column - 1 : f.column - 1 + len(f.text)] == f.text.split("\n")[0]
    for s in rep.sentences:
        assert hostile[s.start : s.end] == s.text


def test_round_trip_with_a_zero_width_space_after_every_space_scores_as_the_clean_text():
    det = mtdetect.load_model()
    text = (ROOT / "samples" / "farming-roundtrip.txt").read_text(encoding="utf-8")
    clean_rep = det.analyze(text)
    assert clean_rep.label == "translated"
    for hostile in (text.replace(" ", " " + ZWSP), text.translate(CYRILLIC)):
        rep = det.analyze(hostile)
        assert (rep.label, rep.machine, rep.scores) == (
            clean_rep.label,
            clean_rep.machine,
            clean_rep.scores,
        )
        (obf,) = [f for f in rep.flags if f.rule == RULE]
        assert obf.score == 1.0 and hostile[obf.start : obf.end] == obf.text
        assert [f.rule for f in rep.flags if f.rule != RULE] == [f.rule for f in clean_rep.flags]


@pytest.mark.parametrize(
    "text",
    [
        " ".join(str(i) for i in range(1000)),
        "12.5 % 3,400 17/09 1990s 42 " * 30,
        "!!! ??? ... --- *** ### " * 40,
    ],
)
def test_numbers_or_symbols_only_are_not_reliable(tiny_model, text):
    assert tiny_model.analyze(text).reliable is False


def test_prose_with_some_numbers_stays_reliable(tiny_model):
    text = TEXT + " The 3 lanes cost 4.5 million dollars in 2023, about 12 percent more."
    assert tiny_model.analyze(text * 2).reliable is True


_invisible = st.sampled_from([ZWSP, "\u200c", "\u200d", "\u00ad", "\u2060", "\u202e", "\ufeff"])


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300), st.lists(st.tuples(st.integers(0, 300), _invisible), max_size=30))
def test_inserted_invisibles_never_change_the_clean_text(base, inserts):
    base = _INVISIBLE_RE.sub("", base)
    chars = list(base)
    for pos, ch in sorted(inserts, reverse=True):
        chars.insert(min(pos, len(chars)), ch)
    hostile = "".join(chars)
    c = clean(hostile)
    assert c.text == clean(base).text
    for a in range(0, len(c.text), 5):
        b = min(len(c.text), a + 4)
        s, e = c.span(a, b)
        assert _INVISIBLE_RE.sub("", hostile[s:e]) == c.text[a:b]


def test_emoji_sequences_and_a_byte_order_mark_are_not_obfuscation():
    for text in (
        "I love it \u2764\ufe0f so much.",
        "The family \U0001f468\u200d\U0001f469\u200d\U0001f467 came too.",
        "\ufeffHello there.",
    ):
        c = clean(text)
        assert not c.findings and _INVISIBLE_RE.search(c.text) is None
    assert clean("wo\u200drd").findings  # a joiner inside a word is not an emoji


def test_a_stray_lookalike_letter_is_weak_evidence(tiny_model):
    text = TEXT.replace("world", "w\u043erld").replace("council", "c\u043euncil")
    human = tiny_model.analyze(text, threshold=1.0)
    machine = tiny_model.analyze(text, threshold=0.0)
    assert not [f for f in human.flags if f.rule == RULE]
    (weak,) = [f for f in machine.flags if f.rule == RULE]
    assert weak.score < 0.5 and "1 Cyrillic letter that looks like a Latin one" in weak.reason
