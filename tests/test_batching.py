"""Documents analysed as a batch give exactly what each gives alone (the LM view, every
family's features and findings): batching is a speed-up, never a change."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import ARTICLE

from mtdetect.analysis import Analysis
from mtdetect.text import Document

TEXTS = [
    ARTICLE,
    "",  # no tokens at all
    "!!! ... ???",  # tokens, no words
    "Yes.",
    # split tokens (well-known, Getty's), a British spelling, numbers, a line break, quotes
    "The well-known organisation said Getty's archive holds 3,000 photos.\nIt won't sell them.",
    "THE HOUSE VOTED ON FRIDAY. THE SENATE DID NOT.",
    ARTICLE.replace("city", "metropolis").replace("voted", "balloted"),
    "We'd been there before, of course, but never in winter; the lake looked grey and quiet.",
]


def _equal(a, b) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def test_the_lm_view_of_a_batch_is_each_documents_own():
    docs = [Document(t) for t in TEXTS]
    batch = Analysis.batch(docs)
    for doc, a in zip(docs, batch):
        alone = Analysis(doc)
        for f in dataclasses.fields(alone.lm):
            assert _equal(getattr(a.lm, f.name), getattr(alone.lm, f.name)), (doc.text, f.name)
        for x, y in zip(a.pairs, alone.pairs):
            assert _equal(x, y), doc.text


@pytest.mark.parametrize("first", [0, 4, 7])
def test_the_swaps_of_a_batch_are_each_documents_own(first):
    # whichever document asks first, the candidate windows of the batch are scored together
    docs = [Document(t) for t in TEXTS]
    batch = Analysis.batch(docs)
    batch[first].swaps
    for doc, a in zip(docs, batch):
        assert "swaps" in a.__dict__, doc.text  # scored along with the first
        alone = Analysis(doc).swaps
        for f in dataclasses.fields(alone):
            assert _equal(getattr(a.swaps, f.name), getattr(alone, f.name)), (doc.text, f.name)
    assert any(a.swaps.n_spans for a in batch)


@pytest.mark.parametrize("order", [1, -1])
def test_features_and_findings_of_a_batch_are_each_documents_own(order):
    from mtdetect.vectorize import FeatureVectorizer

    vec = FeatureVectorizer().fit()
    docs = [Document(t) for t in TEXTS[::order]]
    for doc, (x, found) in zip(docs, vec.extract_many(docs)):
        x1, found1 = vec.extract(doc)
        assert np.array_equal(x, x1), doc.text  # bit for bit
        assert found == found1, doc.text
