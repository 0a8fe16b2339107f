"""Tiny in-memory tables for unit tests, built with the same code paths as the shipped ones.

A test hands them to an analysis as ``Resources({name: table})`` (see ``mtdetect.resources``), so
the families and the detector run without the real tables, as lingua-py's tests inject fake
language models. Every table here is written for the tests.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mtdetect import folds, refstats, resources, swaps, swapscore, tagger
from mtdetect.refstats import RefStats
from mtdetect.swaps import CandidateTable

LP_STEP, BO_STEP, ZIPF_SCALE = 0.03, 0.02, 30.0


def fake_refstats(
    unigrams: Mapping[str, float],
    bigrams: Mapping[tuple[str, str], float] = {},
    trigrams: Mapping[tuple[str, str, str], float] = {},
    backoff: Mapping[str, float] = {},
    zipf: Mapping[str, float] = {},
    caps: Mapping[str, tuple[int, int]] = {},
    default_zipf: float = 4.0,
) -> RefStats:
    """A trigram LM over the words of ``unigrams`` (log10 P), with log10 P of the ``bigrams``
    and ``trigrams`` given and unigram ``backoff`` weights; ``zipf`` frequencies (others
    ``default_zipf``) and ``caps``: word -> (mid-sentence occurrences, capitalised ones)."""
    words = ["<s>", "</s>", *unigrams]
    ids = {w: i for i, w in enumerate(words)}
    n = len(words)
    uni_lp = np.array([-99.0, -1.0, *unigrams.values()], dtype=np.float16)
    uni_bo = np.array([backoff.get(w, 0.0) for w in words], dtype=np.float16)
    big = sorted(((ids[a] << 16) | ids[b], lp) for (a, b), lp in bigrams.items())
    # contexts (w1 w2) with their trigrams; one unused context if none (the LM needs one)
    ctx: dict[int, list[tuple[int, float]]] = {}
    for (a, b, c), lp in trigrams.items():
        ctx.setdefault((ids[a] << 16) | ids[b], []).append((ids[c], lp))
    if not ctx:
        ctx[(1 << 16) | 1] = [(1, -1.0)]
    keys = sorted(ctx)
    tri = [sorted(ctx[k]) for k in keys]
    arrays = {
        "uni_lp": uni_lp,
        "uni_bo": uni_bo,
        "big_key": np.array([k for k, _ in big], dtype=np.uint32),
        "big_lp": np.array([round(-lp / LP_STEP) for _, lp in big], dtype=np.uint8),
        "ctx_key": np.array(keys, dtype=np.uint32),
        "ctx_bo": np.zeros(len(keys), dtype=np.int8),
        "ctx_off": np.cumsum([0, *map(len, tri)]).astype(np.uint32),
        "tri_w3": np.array([w for t in tri for w, _ in t], dtype=np.uint16),
        "tri_lp": np.array([round(-lp / LP_STEP) for t in tri for _, lp in t], dtype=np.uint8),
        "zipf": np.array(
            [round(zipf.get(w, default_zipf) * ZIPF_SCALE) for w in words], dtype=np.uint8
        ),
        "case_mid": np.array([caps.get(w, (0, 0))[0] for w in words], dtype=np.uint16),
        "case_cap": np.array([caps.get(w, (0, 0))[1] for w in words], dtype=np.uint16),
        "us_map": np.full(n, -1, dtype=np.int32),
    }
    meta = {"lm_size": n, "lp_step": LP_STEP, "bo_step": BO_STEP, "zipf_scale": ZIPF_SCALE}
    return RefStats(meta, words, arrays)


def fake_candidates(rs: RefStats, originals: Mapping[str, list[str]]) -> CandidateTable:
    """Observed word or phrase -> the originals it may have replaced (best first)."""
    rows = []
    for observed, cands in originals.items():
        key = CandidateTable.pack([rs.vocab[w] for w in observed.split()])
        packed = [CandidateTable.pack([rs.vocab[w] for w in c.split()]) for c in cands]
        rows.append((key, packed))
    rows.sort()
    off = np.cumsum([0, *(len(p) for _, p in rows)]).astype(np.uint32)
    a = [x for _, p in rows for x in p]
    prior = [255 - 10 * i for _, p in rows for i in range(len(p))]
    return CandidateTable(
        np.array([k for k, _ in rows], dtype=np.uint64),
        off,
        np.array(a, dtype=np.uint64),
        np.array(prior, dtype=np.uint8),
    )


def logistic(features: Mapping[str, float], intercept: float, threshold: float) -> dict:
    """A span model of the shipped JSON format: logistic over the named features."""
    names = list(features)
    return {
        "features": names,
        "mean": [0.0] * len(names),
        "scale": [1.0] * len(names),
        "coef": [features[n] for n in names],
        "intercept": intercept,
        "threshold": threshold,
    }


def spinning_resources(
    rs: RefStats, originals: Mapping[str, list[str]], lower: dict, names: dict, **more
) -> resources.Resources:
    """Resources for the spinning families: the LM, the candidates, the span models, an empty
    tagger lexicon (every word is tagged by its suffix) and no training texts."""
    return resources.Resources(
        {
            refstats.DIR: rs,
            swaps.CANDIDATES: fake_candidates(rs, originals),
            swapscore.MODELS: swapscore.parse_models({"lower": lower, "names": names}),
            tagger.LEXICON: tagger.parse_lexicon([]),
            folds.FOLDS: {},
            **more,
        }
    )
