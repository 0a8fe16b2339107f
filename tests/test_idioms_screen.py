"""The compiled screening of the idiom matcher (mtdetect/idiomatch/screen.py, numba,
``MTDETECT_JIT=1``) finds the same matches as the pure-Python one (skipped without numba:
``pip install 'mtdetect[fast]'``)."""

from __future__ import annotations

import pytest

from mtdetect.idiomatch import Matcher, matcher, screen
from mtdetect.idiomatch.matcher import token_forms as _words
from mtdetect.text import Document

pytest.importorskip("numba")

TEXTS = [
    # canonical, one-swap (a relative), passive and inserted-word matches, calques, nothing
    "He finally kicked the pail last week. She spilled all the beans and bit the proverbial "
    "bullet; they were barking up the wrong tree.",
    "The beans were spilled before lunch. It is raining cats and dogs, and the early bird "
    "catches the beetle.",
    "We must not throw the baby out with the bathwater. Let sleeping dogs lie, he said, and "
    "then he let the cat out of the sack.",
    "Nothing here is an idiom at all. The committee met on Tuesday to discuss the budget.",
    "He gave me the cold shoulder. She burned the midnight candles; they took the cake.",
    "",
    "One. Two! Three?",
]


@pytest.fixture(scope="module")
def jit() -> Matcher:
    """A matcher over the shipped tables that uses the compiled screening."""
    base = matcher()
    m = Matcher(base.entries, base.related, base.kinds, base.index_data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MTDETECT_JIT", "1")
        assert screen.enabled() and m._screener is not None
    return m


@pytest.mark.parametrize("text", TEXTS)
def test_compiled_screening_finds_what_the_python_loop_finds(text: str, jit: Matcher) -> None:
    doc = Document(text)
    assert jit.find(doc) == jit._find_py(doc, _words(doc))


def test_the_compiled_screening_finds_swaps(jit: Matcher) -> None:
    found = jit.find(Document(TEXTS[0]))
    assert any(x.swap is not None for x in found) and any(x.swap is None for x in found)


def test_jit_only_on_request(monkeypatch) -> None:
    monkeypatch.delenv("MTDETECT_JIT", raising=False)
    assert not screen.enabled()
    monkeypatch.setenv("MTDETECT_JIT", "0")
    assert not screen.enabled()


def _sentence(pattern: str, swap: str | None = None) -> str:
    """A sentence holding ``pattern`` written out (first alternatives, slots filled), with its
    first content word replaced by ``swap`` if given."""
    out = []
    for w in pattern.split():
        w = w.strip("()").split("|")[0].lstrip("=")
        w = {"{sb}": "him", "{sth}": "it", "{self}": "himself", "{pp}": "his"}.get(w, w)
        w = {"{poss}": "their", "one's": "his", "someone's": "her"}.get(w, w)
        if swap and len(w) > 3 and w.isalpha():
            w, swap = swap, None
        out.append(w)
    return "Yesterday they said that " + " ".join(out) + " again."


def test_same_matches_on_sentences_built_from_the_table(jit: Matcher) -> None:
    m = jit
    related = m.related
    texts = []
    for e in m.entries[::23]:
        texts.append(_sentence(e.pattern))
        rel = next((r for _, key in e.rel_keys for r, _ in related.get(key, ())[:1]), None)
        if rel:
            texts.append(_sentence(e.pattern, rel))
    doc = Document("\n\n".join(texts))
    got = m.find(doc)
    assert got == m._find_py(doc, _words(doc))
    assert len(got) > len(texts) // 2
