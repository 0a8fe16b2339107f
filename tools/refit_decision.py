"""Refit the decision thresholds and calibration of a model whose classifier stays as it is.

When only the decision rules change (:mod:`mtdetect.decision`: how a rule scores a text), the
classifier need not be retrained: this re-chooses every threshold and the calibration on the
validation split exactly as ``mtdetect train`` does (:func:`mtdetect.training.fit_decision`,
on the validation features computed afresh by the current code), and writes the model and its
card (the card's metrics are then stale: run
``mtdetect evaluate ... --update-card`` as ``make train`` does).

Usage: ``python -m tools.refit_decision [--model models/mtdetect.model.json] [--out PATH]``
"""

from __future__ import annotations

import argparse
from pathlib import Path

from mtdetect.datasets import load_records
from mtdetect.persistence import CHECKOUT_MODEL, load_model, save_model
from mtdetect.training import (
    THRESHOLD_RULE,
    extract_matrix,
    fit_decision,
    fit_label,
    register,
    split_records,
)
from mtdetect.vectorize import FeatureVectorizer

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(CHECKOUT_MODEL))
    ap.add_argument("--out", default=None, help="where to write (default: over --model)")
    ap.add_argument("--valid", default=str(ROOT / "data/build/valid.jsonl"))
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args(argv)
    det = load_model(a.model)
    _, va, _ = split_records(load_records([a.valid]))  # the validation records, as train picks
    if list(FeatureVectorizer(None).fit().feature_names_) != list(det.vectorizer.feature_names_):
        raise SystemExit("the model's features are not this version's default ones: retrain it")
    Xv, wv = extract_matrix([r["text"] for r in va], None, a.jobs)
    labels, regs = [fit_label(r) for r in va], [register(r) for r in va]
    new = fit_decision(det.vectorizer, det.classifier, Xv, labels, wv, regs)
    new.card = dict(det.card, threshold_rule=THRESHOLD_RULE)
    before, after = det.class_thresholds, new.class_thresholds
    for b in after:
        was = before.get(b, {})
        print(
            b, {r: (round(was.get(r, float("nan")), 3), round(t, 3)) for r, t in after[b].items()}
        )
    save_model(new, Path(a.out or a.model))
    print("wrote", a.out or a.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
