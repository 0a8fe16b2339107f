"""Flags per 1,000 words of human text, per evidence rule (``decision.EVIDENCE_HUMAN_RATE``).

Counts the flags of each rule of :func:`mtdetect.decision.evidence_rules` (density × words /
1,000 from its feature columns) over the human texts of the corpus *train* split (the feature
cache of :mod:`tools.eval_heldout`) and prints flags per 1,000 words.

Usage: ``python -m tools.evidence_rate``
"""

from __future__ import annotations

import numpy as np

from mtdetect.datasets import load_records
from mtdetect.decision import evidence_rules, rule_densities
from mtdetect.vectorize import FeatureVectorizer
from tools.eval_heldout import ROOT, SPLITS, features


def main() -> int:
    recs = {s: load_records([ROOT / f"data/build/{s}.jsonl"]) for s in SPLITS}
    F = features(recs, ROOT / "data/build/features.npz", 2)
    names = [str(n) for n in FeatureVectorizer(None).fit().feature_names_]
    human = np.array([r["label"] == "human" for r in recs["train"]])
    w = F["w_train"][human]
    for rule, density in rule_densities(F["train"][human], names, evidence_rules()).items():
        flags = np.round(np.clip(density, 0, None) * w / 1000).sum()
        print(
            f"{rule}: {1000 * flags / w.sum():.3f} flags per 1,000 words "
            f"({int(flags)} in {int(w.sum())} words of {int(human.sum())} human train texts)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
