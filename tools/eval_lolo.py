"""How well does MT detection carry over to a language pair it never saw? (train split only.)

Validation texts share their WMT year, systems and translators with the training texts, so they
overstate how well a model tells machine translation from human translation on new data. Here
every WMT21 language pair of the train split is held out in turn: a classifier fit on the rest
scores that pair's MT passages against the human translations of the same passages (paired
AUROC, as in `make eval`). Three classifiers on the same features:

- ``main``: the shipped recipe (calibrated logistic regression, all classes, all train texts),
  ranking by P(machine) = 1 - P(human);
- ``lr-mt`` / ``hgb-mt``: specialist heads fit on WMT MT vs WMT references only (logistic
  regression; gradient-boosted trees).

Each runs on three feature sets: all features; without the columns learned from WMT21 machine
translation (``word_choice``'s ``mt`` column, ``translationese``'s ``mt`` and ``all`` columns),
whose tables saw every language pair of the train split (cross-fitted by document, not by
language pair), so with them the held-out pair is not fully unseen; and without any learned-table
family (``phrasing`` and the round-trip columns too, which are learned from round trips and
human text, not from WMT MT). The gaps show how much of the MT signal is learned from the year's
own systems and translators.

``--refit-tables`` makes the held-out pair fully unseen: in a temporary copy of the project it
rebuilds the three learned tables with the WMT cross-fitting folds assigned by language pair
(``MTDETECT_FOLDS=langpair``, see ``mtdetect.folds``), so every WMT training text is
scored by tables that never saw its language pair, then runs the same comparison there.

    .venv/bin/python -m tools.eval_lolo [--jobs 2] [--refit-tables]

About 7 minutes on 2 cores (features of the train split, then 21 fits per feature set); with
``--refit-tables`` about 25 minutes more (the table builds).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from mtdetect.datasets import load_records
from mtdetect.evaluate import paired
from mtdetect.report import interval_text
from mtdetect.training import extract_matrix, fit_label, make_classifier
from mtdetect.vectorize import FeatureVectorizer

ROOT = Path(__file__).resolve().parent.parent

#: families whose tables are learned from the train split
LEARNED = ("word_choice", "translationese", "phrasing")
#: their columns learned from WMT21 machine translation (the rest: round trips vs human text)
MT_LEARNED = (
    "translationese.tn_score",
    "translationese.tn_mt_score",
    "translationese.tn_pos_mass",
    "translationese.tn_neg_mass",
    "translationese.tn_sent_max",
    "translationese.tn_sent_pos_share",
    "translationese.tn_sent_std",
    "word_choice.wc_mt_",
)


def heads() -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "main": None,
        "lr-mt": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=5000)),
        "hgb-mt": lambda: HistGradientBoostingClassifier(
            learning_rate=0.05,
            max_iter=300,
            max_leaf_nodes=15,
            l2_regularization=1.0,
            random_state=0,
        ),
    }


def lolo_scores(X, y, subset, langpair, make_head) -> np.ndarray:
    """P(machine) of every WMT record by a classifier that never saw its language pair (NaN for
    the other records): 1 - P(human) for the shipped recipe, P(MT) for a head."""
    wmt = np.isin(subset, ("wmt-mt", "wmt-ref"))
    out = np.full(len(y), np.nan)
    for pair in sorted(set(langpair[wmt])):
        held = wmt & (langpair == pair)
        if make_head is None:
            clf = make_classifier(0).fit(X[~held], y[~held])
            proba = clf.predict_proba(X[held])
            out[held] = 1 - proba[:, list(clf.classes_).index("human")]
        else:
            fit = wmt & ~held
            clf = make_head().fit(X[fit], subset[fit] == "wmt-mt")
            out[held] = clf.predict_proba(X[held])[:, 1]
    return out


#: the builds of the learned tables, in the order `make tables` runs them
TABLE_BUILDS = ("tools.build_translationese", "tools.build_word_choice", "tools.build_phrasing")


def refit_tables(train: str, jobs: int) -> int:
    """Rebuild the learned tables with WMT folds by language pair in a temporary copy of the
    project and run this comparison there; the shipped tables are not touched."""
    with tempfile.TemporaryDirectory(prefix="mtdetect-lolo-") as tmp:
        copy = Path(tmp)
        shutil.copytree(
            ROOT / "mtdetect",
            copy / "mtdetect",
            ignore=shutil.ignore_patterns("refstats", "__pycache__"),
        )
        # the reference LM tables are read, never rebuilt here: link them
        (copy / "mtdetect" / "resources" / "refstats").symlink_to(
            ROOT / "mtdetect" / "resources" / "refstats"
        )
        shutil.copytree(
            ROOT / "tools", copy / "tools", ignore=shutil.ignore_patterns("__pycache__")
        )
        (copy / "data").symlink_to(ROOT / "data")
        env = dict(os.environ, MTDETECT_FOLDS="langpair", PYTHONPATH=str(copy))
        for build in TABLE_BUILDS:
            print(f"rebuilding the table of {build} with WMT folds by language pair", flush=True)
            done = subprocess.run(
                [sys.executable, "-m", build],
                cwd=copy,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
                return done.returncode
        cmd = [sys.executable, "-m", "tools.eval_lolo", "--train", str(Path(train).resolve())]
        return subprocess.run(cmd + ["--jobs", str(jobs)], cwd=copy, env=env).returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--train", default=str(ROOT / "data/build/train.jsonl"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--refit-tables",
        action="store_true",
        help="rebuild the learned tables with WMT folds by language pair first (temporary copy)",
    )
    args = ap.parse_args(argv)
    if args.refit_tables:
        return refit_tables(args.train, args.jobs)

    tr = [r for r in load_records([args.train]) if r.get("split", "train") == "train"]
    X, words = extract_matrix([r["text"] for r in tr], None, args.jobs)
    for r, n in zip(tr, words):
        r["_words"] = int(n)
    names = list(FeatureVectorizer(None).fit().feature_names_)
    learned = np.array([n.split(".")[0] in LEARNED for n in names])
    mt_learned = np.array([n.startswith(MT_LEARNED) for n in names])
    y = np.array([fit_label(r) for r in tr])
    subset = np.array([str(r.get("subset", "")) for r in tr])
    langpair = np.array([str((r.get("meta") or {}).get("langpair", "")) for r in tr])
    wmt = np.flatnonzero(np.isin(subset, ("wmt-mt", "wmt-ref")))
    recs = [tr[i] for i in wmt]
    pairs = sorted(set(langpair[wmt]))
    if os.environ.get("MTDETECT_FOLDS") == "langpair":
        print("learned tables rebuilt with WMT cross-fitting folds by language pair")
    print(
        f"train split: {len(tr)} texts; WMT21 MT / references: "
        f"{int((subset == 'wmt-mt').sum())} / {int((subset == 'wmt-ref').sum())} in {len(pairs)} "
        "language pairs, each held out in turn"
    )
    print("paired AUROC, MT vs human translation of the same passages (95% interval):")
    for variant, cols in (
        ("all features", np.ones(len(names), bool)),
        ("without the columns learned from WMT21 MT", ~mt_learned),
        (f"without {'/'.join(LEARNED)}", ~learned),
    ):
        print(f"  {variant} ({int(cols.sum())} features)")
        for name, make_head in heads().items():
            s = lolo_scores(X[:, cols], y, subset, langpair, make_head)[wmt]
            row = paired(recs, s)["wmt-mt"]
            mid, long_ = row["150-300"], row[">=150"]
            per = []
            for pair in pairs:
                m = langpair[wmt] == pair
                sub = paired([recs[i] for i in np.flatnonzero(m)], s[m]).get("wmt-mt", {})
                per.append(f"{pair} {sub['all']['auroc']:.2f}" if "all" in sub else f"{pair} -")
            print(
                f"    {name:<7} 150-300 w {mid['auroc']:.3f}{interval_text(mid['ci95'])} "
                f"(n={mid['n_machine']}+{mid['n_human']})  >=150 w {long_['auroc']:.3f}  "
                f"all lengths by pair: {', '.join(per)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
