"""Feature-family ablation for the translated class (train/valid data only — never test).

Trains a fast binary classifier (translated vs human; HistGradientBoosting with early stopping)
and reports AUROC on two paired tasks, on passages of ``--min-words``–``--max-words`` words:

* ``mt-vs-ref``: WMT system outputs vs the human reference translations of the same lines
  (subsets ``wmt-mt`` vs ``wmt-ref``);
* ``rt-vs-orig``: EN→PT→EN round trips vs the original passages they were made from (subset
  ``roundtrip`` vs the human records of the same groups);

plus ``fpr-other``: the share of other human passages (Brown, ABC, CoNLL, WMT sources) scored
above the threshold that keeps 1% false positives on the human side of the two tasks.

Protocols: ``valid`` (fit on the train split, score the valid split — the clean one: families
with tables learned on the train split, such as ``translationese``, are in-sample in the
others), ``cv`` (5-fold group cross-validation over train+valid, out-of-fold scores pooled) and
``lpo`` (the same with WMT passages grouped by language pair: source languages unseen in
training, a pessimistic proxy for a new test year). Configurations: all families, each family
left out, each family alone. ``--baseline`` adds the character 1–4-gram TF-IDF + logistic
regression baseline of :func:`mtdetect.evaluate.baseline` on the same valid passages.
``--speed`` measures words/s of each family (after the shared tokenizer) over a few hundred
passages. Feature matrices are cached per family version in ``data/cache/ablate/``.

Usage::

    .venv/bin/python -m tools.ablate --data data/build/train.jsonl data/build/valid.jsonl \\
        [--families a b ...] [--protocol valid cv] [--baseline] [--speed] [--out FILE.md]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: other jobs share the machine

import numpy as np  # noqa: E402

from mtdetect.text import Document  # noqa: E402
from mtdetect.vectorize import resolve_families  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "data" / "cache" / "ablate"
OTHER_HUMAN = ("brown", "abc", "conll", "wmt-src")


def load(paths: list[str]) -> list[dict]:
    """Records of the JSONL files, minus any test split (refused loudly)."""
    recs = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    recs.append(json.loads(line))
    if any(r.get("split") == "test" for r in recs):
        raise SystemExit("refusing to ablate on test records: pass train/valid files only")
    return recs


def family_matrix(name: str, texts: list[str], key: str) -> np.ndarray:
    """Feature matrix of one family over ``texts`` (cached by family version and texts)."""
    fam = resolve_families([name])[0]
    path = CACHE / f"{name}-v{fam.version}-{key}.npy"
    if path.is_file():
        return np.load(path)
    rows = []
    for t in texts:
        vals, _ = fam.extract(Document(t))
        rows.append(np.asarray(vals, dtype=float))
    X = np.nan_to_num(np.vstack(rows), nan=0.0, posinf=0.0, neginf=0.0)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, X)
    return X


def n_words(texts: list[str]) -> np.ndarray:
    return np.array([len(t.split()) for t in texts])


def classifier(seed: int = 0):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=400,
        learning_rate=0.06,
        max_leaf_nodes=31,
        l2_regularization=1.0,
        early_stopping=True,
        validation_fraction=0.12,
        n_iter_no_change=30,
        random_state=seed,
    )


def task_masks(recs: list[dict], words: np.ndarray, lo: int, hi: int) -> dict[str, np.ndarray]:
    """Boolean masks of the evaluation sets (within the length range)."""
    sub = np.array([r.get("subset", "") for r in recs])
    lab = np.array([r["label"] for r in recs])
    grp = np.array([str(r.get("group", "")) for r in recs])
    in_len = (words >= lo) & (words <= hi)
    rt = sub == "roundtrip"
    rt_groups = set(grp[rt])
    orig = (lab == "human") & np.isin(grp, list(rt_groups))
    other = (lab == "human") & np.array([s.split(":")[0] in OTHER_HUMAN for s in sub])
    return {
        "mt-vs-ref": in_len & np.isin(sub, ["wmt-mt", "wmt-ref"]),
        "rt-vs-orig": in_len & (rt | orig),
        "other-human": in_len & other,
    }


def scores_of(machine: np.ndarray, y: np.ndarray, masks: dict[str, np.ndarray]) -> dict:
    """AUROC of each paired task and FPR on other human text at the 1%-FPR task threshold."""
    from sklearn.metrics import roc_auc_score

    out = {}
    paired_h = np.zeros(len(y), bool)
    for k in ("mt-vs-ref", "rt-vs-orig"):
        m = masks[k]
        yy = y[m]
        out[k] = float(roc_auc_score(yy, machine[m])) if 0 < yy.sum() < len(yy) else float("nan")
        out[f"n:{k}"] = int(m.sum())
        paired_h |= m & (y == 0)
    h = np.sort(machine[paired_h])
    if len(h):
        t = h[min(len(h) - 1, int(np.ceil(0.99 * len(h))) - 1)]
        o = masks["other-human"]
        out["fpr-other"] = float((machine[o] > t).mean()) if o.any() else float("nan")
        out["n:other"] = int(o.sum())
    return out


def run_valid(X, y, is_train, is_valid, masks, seed=0) -> dict:
    clf = classifier(seed)
    clf.fit(X[is_train], y[is_train])
    machine = np.zeros(len(y))
    machine[is_valid] = clf.predict_proba(X[is_valid])[:, 1]
    return scores_of(machine, y, {k: m & is_valid for k, m in masks.items()})


def run_cv(X, y, groups, usable, masks, folds=5, seed=0) -> dict:
    from sklearn.model_selection import GroupKFold

    idx = np.flatnonzero(usable)
    machine = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=folds).split(idx, y[idx], groups[idx]):
        clf = classifier(seed)
        clf.fit(X[idx[tr]], y[idx[tr]])
        machine[idx[te]] = clf.predict_proba(X[idx[te]])[:, 1]
    return scores_of(machine, y, {k: m & usable for k, m in masks.items()})


def speed(names: list[str], texts: list[str]) -> list[tuple[str, float]]:
    """Words/s of each family on fresh documents (tokenizer and shared views included once)."""
    docs = [Document(t) for t in texts[:5]]
    fams = resolve_families(names)
    for f in fams:  # warm up lazy tables
        for d in docs:
            f.extract(d)
    t0 = time.perf_counter()
    docs = [Document(t) for t in texts]
    tok = time.perf_counter() - t0
    words = sum(d.n_words for d in docs)
    out = [("tokenizer", words / tok)]
    from mtdetect.analysis import Analysis

    t0 = time.perf_counter()
    analyses = [Analysis(d) for d in docs]
    for a in analyses:
        a.tags  # noqa: B018 - computes the tags
        a.lm  # noqa: B018 - computes the LM scores
    total = time.perf_counter() - t0
    out.append(("shared views (tags, LM scores)", words / total))
    for f in fams:
        t0 = time.perf_counter()
        for a in analyses:
            f.extract(a)
        dt = time.perf_counter() - t0
        total += dt
        out.append((f.name, words / dt))
    out.append(("all families (shared views)", words / total))
    out.append(("tokenizer + all families", words / (total + tok)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--data", nargs="+", default=["data/build/train.jsonl", "data/build/valid.jsonl"]
    )
    ap.add_argument("--families", nargs="*", default=None, help="default: all installed")
    ap.add_argument("--protocol", nargs="+", default=["valid"], choices=["valid", "cv", "lpo"])
    ap.add_argument("--min-words", type=int, default=150)
    ap.add_argument("--max-words", type=int, default=300)
    ap.add_argument(
        "--cv-max-words",
        type=int,
        default=800,
        help="upper length bound of the cv protocol's evaluation passages",
    )
    ap.add_argument("--no-single", action="store_true", help="skip the family-alone runs")
    ap.add_argument(
        "--base",
        nargs="*",
        default=None,
        help="also run base families + each other family (forward selection)",
    )
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the tables here")
    args = ap.parse_args()

    recs = load(args.data)
    recs = [r for r in recs if r["label"] in ("human", "translated")]
    texts = [r["text"] for r in recs]
    key = hashlib.sha1("\0".join(texts).encode()).hexdigest()[:12]
    names = args.families or [f.name for f in resolve_families(None)]
    lines: list[str] = []

    def say(s: str = "") -> None:
        print(s, flush=True)
        lines.append(s)

    if args.speed:
        say("## words/s per family (1 core)")
        n = min(300, len(texts))
        sample = [t for t in texts if len(t.split()) >= 100][:n]
        say(f"{len(sample)} passages, {sum(len(t.split()) for t in sample)} words")
        say("")
        say("| family | words/s |")
        say("|---|---:|")
        for name, wps in speed(names, sample):
            say(f"| {name} | {wps:,.0f} |")
        say("")

    t0 = time.time()
    mats = {n: family_matrix(n, texts, key) for n in names}
    print(f"features of {len(texts)} records in {time.time() - t0:.0f}s", file=sys.stderr)
    y = np.array([r["label"] == "translated" for r in recs], dtype=int)
    words = n_words(texts)
    split = np.array([r.get("split", "train") for r in recs])
    groups = np.array([str(r.get("group", i)) for i, r in enumerate(recs)])
    lp_groups = np.array(
        [
            f"lp:{(r.get('meta') or {}).get('langpair')}"
            if r.get("subset") in ("wmt-mt", "wmt-ref")
            else g
            for r, g in zip(recs, groups)
        ]
    )
    configs = [("all", names)]
    configs += [(f"- {n}", [m for m in names if m != n]) for n in names]
    if not args.no_single:
        configs += [(f"only {n}", [n]) for n in names]
    if args.base:
        base = [n for n in args.base if n in names]
        configs += [("base: " + " + ".join(base), base)]
        configs += [(f"base + {n}", [*base, n]) for n in names if n not in base]

    for proto in args.protocol:
        if proto == "valid":
            lo, hi = args.min_words, args.max_words
            masks = task_masks(recs, words, lo, hi)
            desc = f"fit on train, scored on valid, passages of {lo}-{hi} words"
        else:
            lo, hi = args.min_words, args.cv_max_words
            masks = task_masks(recs, words, lo, hi)
            desc = f"5-fold group CV over train+valid, passages of {lo}-{hi} words"
            if proto == "lpo":
                desc += "; WMT passages grouped by language pair (unseen source languages)"
        say(f"## {proto}: {desc}")
        say("")
        say("| features | n feats | MT vs ref AUROC | RT vs orig AUROC | FPR other human |")
        say("|---|---:|---:|---:|---:|")
        for label, fams in configs:
            X = np.hstack([mats[f] for f in fams])
            if proto == "valid":
                r = run_valid(X, y, split == "train", split == "valid", masks)
            else:
                g = groups if proto == "cv" else lp_groups
                r = run_cv(X, y, g, np.ones(len(y), bool), masks)
            say(
                f"| {label} | {X.shape[1]} | {r['mt-vs-ref']:.3f} (n={r['n:mt-vs-ref']}) | "
                f"{r['rt-vs-orig']:.3f} (n={r['n:rt-vs-orig']}) | "
                f"{r.get('fpr-other', float('nan')):.3f} (n={r.get('n:other', 0)}) |"
            )
        say("")

    if args.baseline:
        from mtdetect.evaluate import baseline

        all_recs = load(args.data)
        tr = [r for r in all_recs if r.get("split") != "valid"]
        va_recs = [r for r in all_recs if r.get("split") == "valid"]
        # the baseline's own threshold uses valid records; it fits on train ones
        say("## baseline: char 1-4-gram TF-IDF + LR (mtdetect.evaluate.baseline), valid split")
        say("")
        for task in ("mt-vs-ref", "rt-vs-orig"):
            va = [r for r in va_recs if r["label"] != "spun"]
            w = n_words([r["text"] for r in va])
            m = task_masks(va, w, args.min_words, args.max_words)[task]
            sel = [r for r, k in zip(va, m) if k]
            res = baseline(tr + [dict(r, split="valid") for r in va_recs], sel)
            say(f"- {task}: AUROC {res['auroc']:.3f} (n={len(sel)})")
        say("")
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
