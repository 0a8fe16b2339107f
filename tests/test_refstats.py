"""Tests of the shipped reference statistics (mtdetect.refstats), the document's LM view and the
candidate swaps, on small sentences written here (integration tests: the real tables)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from mtdetect import refstats
from mtdetect.analysis import Analysis
from mtdetect.search import BlockIndex
from mtdetect.swaps import candidates, swap_candidates
from mtdetect.text import Document


@pytest.fixture(scope="module")
def rs() -> refstats.RefStats:
    return refstats.load()


def test_load_is_fast_and_lazy() -> None:
    t = time.perf_counter()
    r = refstats.read()
    assert time.perf_counter() - t < 1.0  # ≤ 0.3 s measured; generous for slow CI machines
    assert r.lm_size == 65536
    assert r.words[0] == "<s>" and r.words[1] == "</s>"


def test_known_bigram_beats_swapped_one(rs: refstats.RefStats) -> None:
    assert rs.bigram_logprob("working", "hard") > rs.bigram_logprob("working", "laborious") + 2
    assert rs.bigram_logprob("heavy", "rain") > rs.bigram_logprob("weighty", "rain") + 1


def test_logprob_tokens_shape_and_range(rs: refstats.RefStats) -> None:
    words = ["we", "were", "working", "hard", "to", "stop", "the", "fighting"]
    lp = rs.logprob_tokens(words)
    assert lp.shape == (len(words),)
    assert np.all(lp < 0) and np.all(lp > -8)
    # the sentence is more probable than a spun version of it
    spun = ["we", "were", "working", "laborious", "to", "cease", "the", "fighting"]
    assert lp.sum() > rs.logprob_tokens(spun).sum() + 2


def test_unknown_words(rs: refstats.RefStats) -> None:
    lp = rs.logprob_tokens(["qwzxv", "the"])
    assert lp[0] == refstats.OOV_LP
    assert rs.word_id("qwzxv") == -1
    assert rs.zipf(["qwzxv"])[0] == 0.0


def test_zipf_and_case(rs: refstats.RefStats) -> None:
    z = rs.zipf(["the", "hard", "laborious"])
    assert z[0] > 7 and z[1] > z[2] > 2
    rate, n = rs.cap_rate(["at", "house"])
    assert n[0] > 100 and rate[0] < 0.01  # "At" is almost never capitalised mid-sentence
    assert rate[1] > rate[0]


def test_pmi(rs: refstats.RefStats) -> None:
    pmi, seen = rs.pmi([("heavy", "rain"), ("qwzxv", "rain")])
    assert seen[0] and pmi[0] > 1
    assert np.isnan(pmi[1]) and not seen[1]


def test_doc_lm_alignment(rs: refstats.RefStats) -> None:
    doc = Document("Getty's well-known photos, 2019. Russia Today reported it.")
    a = Analysis(doc)
    d = a.lm
    assert len(d.lp) == len(doc.tokens)
    for i, t in enumerate(doc.tokens):
        if t.is_word:
            assert d.tok_u0[i] >= 0 and d.tok_u1[i] > d.tok_u0[i]
        else:
            assert np.isnan(d.lp[i])
    assert a.lm is d  # kept by the analysis
    assert d.units[0] == refstats.BOS and d.units[-1] == refstats.EOS


def test_candidates_propose_originals(rs: refstats.RefStats) -> None:
    ct = candidates()
    assert "stop" in ct.lookup(["cease"], rs)
    assert "heavy" in ct.lookup(["weighty"], rs)
    assert "today" in ct.lookup(["at", "this", "time"], rs)
    assert ct.lookup(["qwzxv"], rs) == []


def test_swap_candidates_scores_the_original_higher() -> None:
    doc = Document("The storm caused weighty rain across the region.")
    rs = refstats.load()
    sw = swap_candidates(rs, candidates(), Analysis(doc).lm)
    rows = [
        j
        for j in range(len(sw.span))
        if doc.tokens[int(sw.t0[sw.span[j]])].norm == "weighty" and rs.words[sw.a[j, 0]] == "heavy"
    ]
    assert rows and sw.delta[rows[0]] > 1.0


def test_tortured_table_skips_allow_list() -> None:
    from mtdetect.features.tortured import TABLE, read_table
    from mtdetect.resources import resource_path

    table = read_table(resource_path(TABLE)).by_first
    assert ("counterfeit", "consciousness") in {e.words for e in table["counterfeit"]}
    assert all(e.words != ("machine", "learning") for e in table.get("machine", ()))


def test_block_index_search_is_searchsorted(rs: refstats.RefStats) -> None:
    rng = np.random.default_rng(0)
    for keys in (rs.big_key, rs.tri.keys):
        q = np.concatenate(
            [
                keys[rng.integers(0, len(keys), 3000)],
                rng.integers(0, int(keys[-1]) + 2, 3000).astype(keys.dtype),
                keys[:3],
                keys[-3:],
                np.array([0, int(keys[-1]) + 1], dtype=keys.dtype),
            ]
        )
        got = BlockIndex(keys).search(q)
        assert np.array_equal(got, np.searchsorted(keys, q))
