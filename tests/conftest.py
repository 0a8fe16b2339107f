"""Shared fixtures: a tiny model of the shape that ships, trained on self-written fixtures
(never the shipped model)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
#: The keys every document object of `score --format json` must have (the CLI contract).
DOC_KEYS = {"path", "label", "machine", "scores", "reliable", "words", "flags", "sentences"}
#: A news paragraph we wrote (English, human), for CLI tests.
ARTICLE = (
    "The city council voted on Tuesday night to add bus lanes to three of the busiest streets, "
    "ending months of argument between shop owners and commuter groups. \"We've listened to "
    "everyone, and we don't think this can wait another year,\" said the chair of the transport "
    "committee. Work is due to start in March and should take about six weeks.\n"
)


def cli(args, **kw):
    """Run the ``mtdetect`` command line in-process (typer's CliRunner)."""
    from typer.testing import CliRunner

    from mtdetect.cli import app

    return CliRunner().invoke(app, args, **kw)


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory) -> Path:
    """A real (tiny, fast) model trained on tests/fixtures/tiny.jsonl and saved with its card,
    of the shape that ships: the default classifier (calibrated scaler + logistic regression)
    with a round-trip class of its own (every second translated record here) and per-class
    thresholds for every length bucket, chosen on the same records (it has no others)."""
    from mtdetect.datasets import load_records
    from mtdetect.persistence import save_model
    from mtdetect.training import extract_matrix, fit_detector, fit_label
    from mtdetect.vectorize import FeatureVectorizer

    recs = load_records([FIXTURES / "tiny.jsonl"])
    for r in [r for r in recs if r["label"] == "translated"][::2]:
        r["subset"] = "roundtrip"
    vec = FeatureVectorizer().fit()
    X, _ = extract_matrix([r["text"] for r in recs])
    y = [fit_label(r) for r in recs]
    det = fit_detector(X, y, vec, X, y, valid_registers=["tiny"] * len(y))
    det.card = {"name": "tiny", "data": {"inputs": ["tests/fixtures/tiny.jsonl"]}}
    path = tmp_path_factory.mktemp("model") / "tiny.model.json"
    save_model(det, path)
    return path


@pytest.fixture(scope="session")
def tiny_model(tiny_model_path):
    from mtdetect.persistence import load_model

    return load_model(tiny_model_path)
