"""False positives on kinds of text the model never saw (train + valid only; never reads test).

Validation texts come from the same registers and years as the training texts, so a false-positive
budget met on them is not met on text of a new kind. This check holds one group of registers (or
WMT21 language pairs) out of training AND out of threshold fitting at a time, then measures, at
the thresholds fit on the rest of the validation split with a given union budget, the share of
the held-out group's human texts (train + valid records, which that fold never fit on) labelled
non-human, and the share of its machine texts detected. This is how `model.VALID_FPR` was chosen:
the largest mean detection among budgets whose pooled held-out FPR on passages (>= 150 words)
is <= 1%.

    .venv/bin/python -m tools.eval_unseen [--budgets 0.01,0.005,0.004,0.003] [--jobs 2]

About 10 minutes on 2 cores (features of train + valid, then one classifier per fold).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from mtdetect.datasets import load_records
from mtdetect.decision import MIN_RELIABLE_WORDS, THRESHOLD_BUCKETS
from mtdetect.detector import Detector
from mtdetect.thresholds import fit_class_thresholds
from mtdetect.training import extract_matrix, fit_label, make_classifier, register
from mtdetect.vectorize import FeatureVectorizer

ROOT = Path(__file__).resolve().parent.parent

#: Held out in turn: (record field in ``meta``, values).
FOLDS = {
    "brown non-fiction": (
        "register",
        {"hobbies", "learned", "lore", "religion", "government"},
    ),
    "brown fiction": (
        "register",
        {
            "fiction",
            "adventure",
            "mystery",
            "romance",
            "science_fiction",
            "humor",
            "belles_lettres",
        },
    ),
    "news (brown, wmt21) + abc science + wsj + editorial + reviews": (
        "register",
        {"abc-science", "wsj", "editorial", "reviews", "news"},
    ),
    "wmt21 cs+ru": ("langpair", {"cs-en", "ru-en"}),
    "wmt21 zh+ja": ("langpair", {"zh-en", "ja-en"}),
}
KINDS = {"round trip": "translated/roundtrip", "MT": "translated", "spun": "spun"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--train", default=str(ROOT / "data/build/train.jsonl"))
    ap.add_argument("--valid", default=str(ROOT / "data/build/valid.jsonl"))
    ap.add_argument("--budgets", default="0.01,0.005,0.004,0.003")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    budgets = [float(b) for b in args.budgets.split(",")]

    tr, va = load_records([args.train]), load_records([args.valid])
    X, w = extract_matrix([r["text"] for r in tr], None, args.jobs)
    Xv, wv = extract_matrix([r["text"] for r in va], None, args.jobs)
    vec = FeatureVectorizer(None).fit()
    names = list(vec.feature_names_)
    passage, reliable = THRESHOLD_BUCKETS["passage"], MIN_RELIABLE_WORDS
    y = np.array([fit_label(r) for r in tr])
    yv = np.array([fit_label(r) for r in va])
    regs_v = np.array([register(r) for r in va])

    def field(recs: list[dict], key: str) -> np.ndarray:
        return np.array([str(r.get("meta", {}).get(key, "")) for r in recs])

    folds = []
    for name, (key, values) in FOLDS.items():
        htr, hva = np.isin(field(tr, key), list(values)), np.isin(field(va, key), list(values))
        clf = make_classifier(0).fit(X[~htr], y[~htr])
        Xh, wh = np.vstack([X[htr], Xv[hva]]), np.concatenate([w[htr], wv[hva]])
        yh = np.concatenate([y[htr], yv[hva]])
        folds.append((name, hva, clf, Xh, wh, yh))
        print(f"fold {name}: {int(htr.sum())} train + {int(hva.sum())} valid records held out")

    print("\nbudget  FPR held-out human >=150 w (pooled; per fold)    50-150 w   detected >=150 w")
    for budget in budgets:
        flagged = {"h150": [0, 0], "h50": [0, 0], **{k: [0, 0] for k in KINDS}}
        per_fold = []
        for _name, hva, clf, Xh, wh, yh in folds:
            ct = fit_class_thresholds(
                clf, Xv[~hva], yv[~hva], regs_v[~hva], wv[~hva], fpr=budget, feature_names=names
            )
            det = Detector(vec, clf, 0.5, {}, 0.5, ct)
            _, _, labels, _ = det.score(Xh, wh)
            fl = np.array([lab != "human" for lab in labels])
            human = yh == "human"
            masks = {
                "h150": human & (wh >= passage),
                "h50": human & (wh >= reliable) & (wh < passage),
                **{k: (yh == c) & (wh >= passage) for k, c in KINDS.items()},
            }
            for k, m in masks.items():
                flagged[k][0] += int(fl[m].sum())
                flagged[k][1] += int(m.sum())
            per_fold.append(f"{fl[masks['h150']].mean():.3f}")
        rate = {k: a / max(b, 1) for k, (a, b) in flagged.items()}
        det_s = " ".join(f"{k} {rate[k]:.3f}" for k in KINDS)
        print(
            f"{budget:<7g} {rate['h150']:.3f} ({flagged['h150'][0]}/{flagged['h150'][1]}; "
            f"{' '.join(per_fold)})   {rate['h50']:.3f}   {det_s}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
