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
    assert batch[first].swaps is not None
    for doc, a in zip(docs, batch):
        assert "swaps" in a.__dict__, doc.text  # scored along with the first
        alone = Analysis(doc).swaps
        for f in dataclasses.fields(alone):
            assert _equal(getattr(a.swaps, f.name), getattr(alone, f.name)), (doc.text, f.name)
    assert any(a.swaps.n_spans for a in batch)


@pytest.mark.parametrize("first", [0, 6, 7])
def test_the_span_scores_of_a_batch_are_each_documents_own(first):
    # the context features count the spans of the document only, never a neighbour's
    docs = [Document(t) for t in [TEXTS[6], *TEXTS, TEXTS[6]]]
    batch = Analysis.batch(docs)
    _ = batch[first].span_scores  # (document 6 has no spans)
    for doc, a in zip(docs, batch):
        alone = Analysis(doc).span_scores
        got = a.__dict__["span_scores"]  # scored along with the first
        assert (got is None) == (alone is None), doc.text
        if alone is not None:
            for name in ("best", "x", "capital", "initial"):
                assert _equal(getattr(got, name), getattr(alone, name)), (doc.text, name)


@pytest.mark.parametrize("order", [1, -1])
def test_features_and_findings_of_a_batch_are_each_documents_own(order):
    from mtdetect.vectorize import FeatureVectorizer

    vec = FeatureVectorizer().fit()
    docs = [Document(t) for t in TEXTS[::order]]
    for doc, (x, found) in zip(docs, vec.extract_many(docs)):
        x1, found1 = vec.extract(doc)
        assert np.array_equal(x, x1), doc.text  # bit for bit
        assert found == found1, doc.text


def test_reviews_of_a_batch_are_each_texts_own():
    # `score` with many paths reviews them in batches: each report as the text's alone, and a
    # text with nothing left to score an InputError in its place
    from mtdetect.inputs import InputError
    from mtdetect.persistence import DEFAULT_MODEL, load_model
    from mtdetect.review import review, review_many

    det = load_model(DEFAULT_MODEL)
    items = [(TEXTS[0], "a.txt"), ("```\ncode only\n```\n", "b.md"), (TEXTS[6], "c.md")]
    out = review_many(det, items)
    assert isinstance(out[1], InputError) and "nothing to score" in str(out[1])
    with pytest.raises(InputError):
        review(det, *items[1])
    for (text, path), rep in zip(items[::2], out[::2]):
        alone = review(det, text, path)
        assert rep.label == alone.label and rep.flags == alone.flags and rep.path == path
        # (the classifier's sums over a batch may round differently in the last bit)
        assert [dataclasses.replace(p, machine=0.0) for p in rep.paragraphs] == [
            dataclasses.replace(p, machine=0.0) for p in alone.paragraphs
        ]
        machines = [(rep.machine, alone.machine)]
        machines += [(p.machine, q.machine) for p, q in zip(rep.paragraphs, alone.paragraphs)]
        assert all(abs(x - y) <= 1e-9 for x, y in machines)
