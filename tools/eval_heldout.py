"""Detection on generators and registers held out of training (issues 17 and 18).

A figure counts only on a generator the model never saw. Each fold removes one whole generator
(a spinner design, a round-trip pipeline, one-way PT->EN MT) or one human register from the
training AND validation splits (so neither the classifier nor its thresholds saw it), trains the
shipped recipe (:func:`mtdetect.training.fit_detector`) on the rest, and measures on the test
split's texts of the held-out unit (their content is held out too: splits are by content):

- machine folds: AUROC of ``machine`` (held-out generator's passages vs every human test
  passage, and vs the human versions of the same passages where the corpus has them, "paired"),
  and detection at the default threshold (label != human), with 95% intervals;
- register folds: the share of the held-out register's human test passages labelled machine.

Two units are held out of every fold by construction: WMT22 (train and valid hold WMT21 only)
and the ``checkonly`` spinner (test only); the ``all`` fold measures them.

    .venv/bin/python -m tools.eval_heldout [--folds spin,translation,register] [--jobs 2]

Features of the three splits are computed once and cached (``data/build/features.npz``, keyed
by the corpus files' sha256 and the feature names). Passages of 150-300 words, as the issues'
figures. One classifier per fold: ~1-2 minutes each on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from mtdetect.datasets import load_records
from mtdetect.regnorm import RegisterNormClassifier
from mtdetect.training import (
    extract_matrix,
    fit_detector,
    fit_label,
    make_classifier,
    register,
    register_class,
)
from mtdetect.vectorize import FeatureVectorizer
from tools.eval_registers import wilson

ROOT = Path(__file__).resolve().parent.parent
SPLITS = ("train", "valid", "test")
LO, HI = 150, 300
LENGTHS = ((50, 150), (150, 300), (300, 10**9))

#: Held-out machine units: name -> predicate on the record's generator.
SPIN_FOLDS = {
    f"spin:{d}": (lambda g, d=d: g == f"spin:{d}")
    for d in ("commercial", "contextual", "distributional", "thesaurus", "tortured_map")
}
#: Decodings of one sentence-level round-trip pipeline (greedy, wide and no shortlist) are
#: configurations of one generator: held out together.
TRANSLATION_FOLDS = {
    "rt:sentence (ft-greedy/wide/noshortlist)": lambda g: (
        g in ("rt:ft-greedy", "rt:ft-wide", "rt:ft-noshortlist")
    ),
    "rt:ft-twohop": lambda g: g == "rt:ft-twohop",
    "rt:ft-para": lambda g: g == "rt:ft-para",
    "pt2en (br, pt)": lambda g: g.startswith("pt2en:"),
}
REGISTERS = ("fiction", "general", "news", "science", "speech", "web")
#: Measured in the "all" fold: never in train/valid by construction.
ALWAYS_HELD = {
    "spin:checkonly": lambda g: g == "spin:checkonly",
    "wmt22 (all systems)": lambda g: g.startswith("wmt22:"),
}


def generator(r: dict) -> str:
    return "" if r["label"] == "human" else str(r.get("meta", {}).get("generator", ""))


def auroc_ci(pos, neg, reps: int = 200, seed: int = 0) -> tuple[float, float, float]:
    """AUROC with a 95% interval from a bootstrap over texts (positives and negatives resampled
    apart)."""
    a = auroc(pos, neg)
    if len(pos) < 5 or len(neg) < 5:
        return a, math.nan, math.nan
    rng = np.random.default_rng(seed)
    bs = [auroc(rng.choice(pos, len(pos)), rng.choice(neg, len(neg))) for _ in range(reps)]
    return a, float(np.percentile(bs, 2.5)), float(np.percentile(bs, 97.5))


def auroc(pos: np.ndarray, neg: np.ndarray) -> float:
    if len(pos) == 0 or len(neg) == 0:
        return math.nan
    y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    return float(roc_auc_score(y, np.r_[pos, neg]))


def features(records: dict[str, list[dict]], cache: Path, jobs: int) -> dict[str, np.ndarray]:
    """Feature matrix per split, cached by corpus sha256 (the cache keeps its feature names; the
    current ones are read from it when it has them all)."""
    names = list(FeatureVectorizer(None).fit().feature_names_)
    h = hashlib.sha256()
    for s in SPLITS:
        h.update((ROOT / f"data/build/{s}.jsonl").read_bytes())
    key = h.hexdigest()
    if cache.exists():
        z = np.load(cache, allow_pickle=False)
        have = [str(n) for n in z["names"]] if "names" in z.files else []
        if str(z["key"]) == key and set(names) <= set(have):
            cols = [have.index(n) for n in names]
            return {s: z[s][:, cols] for s in SPLITS} | {f"w_{s}": z[f"w_{s}"] for s in SPLITS}
    out = {}
    for s in SPLITS:
        t0 = time.time()
        out[s], out[f"w_{s}"] = extract_matrix([r["text"] for r in records[s]], None, jobs)
        print(f"features of {s}: {out[s].shape} in {time.time() - t0:.0f}s", file=sys.stderr)
    np.savez(cache, key=np.array(key), names=np.array(names), **out)
    return out


def run_fold(name, F, recs, keep_train, keep_valid, vec, measure, log, variant="base"):
    tr, va = recs["train"], recs["valid"]
    mt = np.array([keep_train(r) for r in tr])
    mv = np.array([keep_valid(r) for r in va])
    t0 = time.time()
    clf = None
    if variant == "regnorm":
        regs = [register_class(r) for r, k in zip(tr, mt) if k]
        clf = RegisterNormClassifier(make_classifier(), vec.feature_names_, regs)
    det = fit_detector(
        F["train"][mt],
        [fit_label(r) for r, k in zip(tr, mt) if k],
        vec,
        F["valid"][mv],
        [fit_label(r) for r, k in zip(va, mv) if k],
        F["w_valid"][mv],
        valid_registers=[register(r) for r, k in zip(va, mv) if k],
        classifier=clf,
    )
    _, machine, labels, _ = det.score(F["test"], F["w_test"])
    labels = np.array(labels)
    rows = measure(machine, labels)
    log(f"[{name}] fitted in {time.time() - t0:.0f}s")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--folds", default="all,spin,translation,register")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default=str(ROOT / "data/build/features.npz"))
    ap.add_argument("--variant", default="base", choices=("base", "regnorm"))
    ap.add_argument("--out", default="", help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    want = set(args.folds.split(","))

    recs = {s: load_records([ROOT / f"data/build/{s}.jsonl"]) for s in SPLITS}
    F = features(recs, Path(args.cache), args.jobs)
    vec = FeatureVectorizer(None).fit()
    te = recs["test"]
    w = F["w_test"]
    gen = np.array([generator(r) for r in te])
    reg = np.array([register_class(r) for r in te])
    group = np.array([str(r["group"]) for r in te])
    human = np.array([r["label"] == "human" for r in te])
    passage = (w >= LO) & (w < HI)
    hp = human & passage
    out: list[dict] = []

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    def machine_rows(units):
        def measure(machine, labels):
            rows = []
            flagged = labels != "human"
            k = int(flagged[hp].sum())
            fpr = (k / max(1, hp.sum()), *wilson(k, int(hp.sum())))
            for uname, pred in units.items():
                unit = np.array([pred(g) for g in gen])
                pos = unit & passage
                if not pos.any():
                    continue
                grp = set(group[pos])
                pair_neg = hp & np.isin(group, list(grp))
                a = auroc_ci(machine[pos], machine[hp])
                ap_ = auroc_ci(machine[pos], machine[pair_neg]) if pair_neg.sum() >= 5 else None
                kd = int(flagged[pos].sum())
                by_len = {}
                for lo, hi in LENGTHS:
                    m = unit & (w >= lo) & (w < hi)
                    if m.sum() >= 10:
                        k_ = int(flagged[m].sum())
                        by_len[f"{lo}-{hi}"] = (
                            k_ / m.sum(),
                            *wilson(k_, int(m.sum())),
                            int(m.sum()),
                        )
                rows.append(
                    {
                        "unit": uname,
                        "n": int(pos.sum()),
                        "auroc": a,
                        "auroc_paired": ap_,
                        "n_paired_human": int(pair_neg.sum()),
                        "detected": (kd / pos.sum(), *wilson(kd, int(pos.sum()))),
                        "human_fpr_all_test": fpr,
                        "detected_by_length": by_len,
                    }
                )
            return rows

        return measure

    def register_rows(r_name):
        def measure(machine, labels):
            m = hp & (reg == r_name)
            k = int((labels[m] != "human").sum())
            return [
                {
                    "unit": f"human:{r_name}",
                    "n": int(m.sum()),
                    "flagged": (k / max(1, m.sum()), *wilson(k, int(m.sum()))),
                }
            ]

        return measure

    plan = []
    if "all" in want:
        plan.append(("all", lambda r: True, machine_rows(ALWAYS_HELD)))
    if "spin" in want:
        for u, pred in SPIN_FOLDS.items():
            plan.append((u, lambda r, p=pred: not p(generator(r)), machine_rows({u: pred})))
    if "translation" in want:
        for u, pred in TRANSLATION_FOLDS.items():
            plan.append((u, lambda r, p=pred: not p(generator(r)), machine_rows({u: pred})))
    if "register" in want:
        for rg in REGISTERS:
            plan.append(
                (f"register:{rg}", lambda r, g=rg: register_class(r) != g, register_rows(rg))
            )
    for name, keep, measure in plan:
        rows = run_fold(name, F, recs, keep, keep, vec, measure, log, args.variant)
        for row in rows:
            row["fold"] = name
            out.append(row)
            print(fmt(row), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=1))
    return 0


def fmt(row: dict) -> str:
    def pct(t):
        return f"{100 * t[0]:.1f}% [{100 * t[1]:.1f}-{100 * t[2]:.1f}]"

    if "flagged" in row:
        return f"{row['unit']:<44} n={row['n']:<5} human flagged {pct(row['flagged'])}"
    a = row["auroc"]
    p = row["auroc_paired"]
    ps = f"paired {p[0]:.3f} [{p[1]:.3f}-{p[2]:.3f}]" if p else "paired -"
    lens = " ".join(
        f"{k.replace('-1000000000', '+')}w {100 * v[0]:.0f}% (n={v[3]})"
        for k, v in row.get("detected_by_length", {}).items()
    )
    return (
        f"{row['unit']:<44} n={row['n']:<5} AUROC {a[0]:.3f} [{a[1]:.3f}-{a[2]:.3f}] {ps} "
        f"detected {pct(row['detected'])} (human FPR {pct(row['human_fpr_all_test'])}); "
        f"by length: {lens}"
    )


if __name__ == "__main__":
    sys.exit(main())
