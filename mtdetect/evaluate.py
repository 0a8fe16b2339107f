"""Held-out evaluation: overall, per class, per subset and per length bucket, with a baseline.

Rendered as text by :func:`mtdetect.report.render_evaluation`; :func:`write_card_metrics` puts
the figures into the model's card.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from mtdetect.datasets import manifest
from mtdetect.decision import MIN_RELIABLE_WORDS, THRESHOLD_BUCKETS
from mtdetect.detector import Detector
from mtdetect.findings import LABELS
from mtdetect.persistence import card_path, resolve_model_path
from mtdetect.text import normalize
from mtdetect.training import extract_matrix

BOOTSTRAP = 1000  # resamples of source passages for the AUROC intervals of the paired figures
LENGTH_BUCKETS = ((0, 50, "<50"), (50, 150, "50-150"), (150, 300, "150-300"), (300, 10**9, ">300"))


def _auroc(machine: np.ndarray, y: np.ndarray) -> float | None:
    pos = y != "human"
    if pos.all() or not pos.any():
        return None
    return float(roc_auc_score(pos, machine))


def metrics(y: Sequence[str], pred: Sequence[str], machine: np.ndarray, threshold: float) -> dict:
    """The standard block of figures for one set of predictions (rates from the labels)."""
    y = np.asarray(y)
    pred = np.asarray(pred)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=list(LABELS), zero_division=0)
    human = y == "human"
    return {
        "n": int(len(y)),
        "accuracy": float((y == pred).mean()) if len(y) else None,
        "macro_f1": float(
            f1_score(
                y,
                pred,
                labels=[lab for lab in LABELS if (y == lab).any()],
                average="macro",
                zero_division=0,
            )
        )
        if len(y)
        else None,
        "per_class": {
            lab: {
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(s[i]),
            }
            for i, lab in enumerate(LABELS)
        },
        "auroc": _auroc(machine, y),
        "false_positive_rate": float((pred[human] != "human").mean()) if human.any() else None,
        "detection_rate": float((pred[~human] != "human").mean()) if (~human).any() else None,
        "threshold": float(threshold),
        "confusion_matrix": {
            "labels": list(LABELS),
            "matrix": confusion_matrix(y, pred, labels=list(LABELS)).tolist(),
        },
    }


def _short(m: dict) -> dict:
    keys = ("n", "accuracy", "macro_f1", "auroc", "false_positive_rate", "detection_rate")
    return {k: m[k] for k in keys}


def breakdowns(records: list[dict], y, pred, machine, threshold) -> dict:
    """Figures per subset, per source-language/system/spinner (from ``meta``) and per length."""
    y = np.asarray(y)
    pred = np.asarray(pred)
    out: dict[str, dict] = {}

    def add(kind: str, keys: list[str | None]) -> None:
        groups: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            if k is not None:
                groups.setdefault(str(k), []).append(i)
        if groups:
            out[kind] = {
                k: _short(metrics(y[ix], pred[ix], machine[ix], threshold))
                for k, ix in sorted(groups.items())
            }

    add("subset", [r.get("subset") for r in records])
    for key in ("langpair", "system", "spinner", "register", "year"):
        add(key, [(r.get("meta") or {}).get(key) for r in records])
    out["paired"] = paired(records, machine)
    words = np.array([r["_words"] for r in records])
    add("length", [next(n for lo, hi, n in LENGTH_BUCKETS if lo <= w < hi) for w in words])
    return out


def paired(records: list[dict], machine: np.ndarray) -> dict:
    """Content-controlled AUROC of each machine subset against the human versions of the same
    passages (records sharing its ``group``): all lengths, 150–300 words, and ≥ 150 words."""
    human_by_group: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        if r["label"] == "human":
            human_by_group.setdefault(str(r.get("group")), []).append(i)
    subsets: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        if r["label"] != "human" and str(r.get("group")) in human_by_group:
            subsets.setdefault(str(r.get("subset", r["label"])), []).append(i)
    out = {}
    for name, pos in sorted(subsets.items()):
        neg = sorted({j for i in pos for j in human_by_group[str(records[i].get("group"))]})
        row = {}
        for tag, lo, hi in (("all", 0, 10**9), ("150-300", 150, 300), (">=150", 150, 10**9)):
            p = [i for i in pos if lo <= records[i]["_words"] < hi]
            n = [j for j in neg if lo <= records[j]["_words"] < hi]
            if p and n:
                y = np.r_[np.ones(len(p)), np.zeros(len(n))]
                groups = [str(records[i].get("group")) for i in p + n]
                row[tag] = {
                    "auroc": float(roc_auc_score(y, machine[p + n])),
                    "ci95": auroc_ci(machine[p], machine[n], groups[: len(p)], groups[len(p) :]),
                    "n_machine": len(p),
                    "n_human": len(n),
                }
        out[name] = row
    return out


def _weighted_auroc(sp: np.ndarray, wp: np.ndarray, sn: np.ndarray, wn: np.ndarray) -> float:
    """Mann-Whitney AUROC with weights per positive and negative (ties count a half)."""
    order = np.argsort(sn, kind="stable")
    sn, wn = sn[order], wn[order]
    cum = np.concatenate([[0.0], np.cumsum(wn)])
    below = cum[np.searchsorted(sn, sp, side="left")]
    tied = cum[np.searchsorted(sn, sp, side="right")] - below
    den = wp.sum() * cum[-1]
    return float((wp * (below + 0.5 * tied)).sum() / den) if den > 0 else float("nan")


def auroc_ci(
    pos: np.ndarray,
    neg: np.ndarray,
    pos_groups: Sequence[str],
    neg_groups: Sequence[str],
    n_boot: int = BOOTSTRAP,
    seed: int = 0,
) -> list[float] | None:
    """95% percentile interval of the AUROC of ``pos`` vs ``neg`` scores under a bootstrap that
    resamples whole groups (a source passage with all its versions), so the interval reflects
    how many independent passages there are, not how many records. None below 10 groups."""
    names = sorted(set(pos_groups) | set(neg_groups))
    if len(names) < 10:
        return None
    index = {g: k for k, g in enumerate(names)}
    gp = np.array([index[g] for g in pos_groups])
    gn = np.array([index[g] for g in neg_groups])
    rng = np.random.default_rng(seed)
    stats = []
    for _ in range(n_boot):
        mult = np.bincount(rng.integers(0, len(names), len(names)), minlength=len(names))
        a = _weighted_auroc(pos, mult[gp].astype(float), neg, mult[gn].astype(float))
        if a == a:  # a resample without positives or negatives has no AUROC
            stats.append(a)
    if not stats:
        return None
    lo, hi = np.percentile(stats, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def curly(text: str) -> str:
    """Re-typeset text with curly quotes and em dashes (to show features ignore typography)."""
    out, dq = [], False
    for i, c in enumerate(text):
        if c == '"':
            out.append("\u201d" if dq else "\u201c")
            dq = not dq
        elif c == "'":
            prev = text[i - 1] if i else " "
            out.append("\u2019" if prev.isalnum() else "\u2018")
        elif c == "-" and 0 < i < len(text) - 1 and text[i - 1] == " " and text[i + 1] == " ":
            out.append("\u2014")
        else:
            out.append(c)
    return "".join(out)


def evaluate(
    det: Detector,
    records: list[dict],
    threshold: float | None = None,
    jobs: int = 2,
    typography_check: bool = False,
) -> dict:
    """Score ``records`` with ``det`` and return all figures."""
    families = list(det.vectorizer.family_versions_)
    X, words = extract_matrix([r["text"] for r in records], families, jobs)
    for r, w in zip(records, words):
        r["_words"] = int(w)
    p, machine, pred, _ = det.score(X, words, threshold)
    # the cut reported: the one in force for passages (per-bucket cuts listed below)
    t = float(det.thresholds_for([10**6], threshold)[0])
    y = [r["label"] for r in records]
    res = metrics(y, pred, machine, t)
    if threshold is None:
        res["class_thresholds"] = det.class_thresholds
        if det.calibration:
            res["machine_thresholds"] = {
                b: float(det.thresholds_for([w], None)[0]) for b, w in THRESHOLD_BUCKETS.items()
            }
    human = np.asarray(y) == "human"
    words_a = np.asarray(words)
    res["calibration"] = {
        "all": reliability(machine, ~human),
        f"{MIN_RELIABLE_WORDS}+ words": reliability(
            machine[words_a >= MIN_RELIABLE_WORDS], ~human[words_a >= MIN_RELIABLE_WORDS]
        ),
        f"under {MIN_RELIABLE_WORDS} words": reliability(
            machine[words_a < MIN_RELIABLE_WORDS], ~human[words_a < MIN_RELIABLE_WORDS]
        ),
    }
    res["breakdown"] = breakdowns(records, y, pred, machine, t)
    # ``machine`` is the decision margin (max over rules of score − threshold): it decides, but
    # its ranking depends on how the rules' thresholds sit against each other. The classifier's
    # own probability ranks on its own; both are reported.
    own = det.proba(X)
    res["auroc_probability"] = _auroc(1.0 - own[:, 0], np.asarray(y))
    res["breakdown"]["paired_probability"] = paired(records, 1.0 - own[:, 0])
    if typography_check:
        Xc, _ = extract_matrix([curly(r["text"]) for r in records], families, jobs)
        pc, mc, predc, _ = det.score(Xc, words, threshold)
        res["typography"] = {
            "note": "same texts re-typeset with curly quotes and em dashes",
            "max_abs_score_change": float(np.abs(mc - machine).max()) if len(p) else 0.0,
            **_short(metrics(y, predc, mc, t)),
        }
    return res


def reliability(machine: np.ndarray, is_machine: np.ndarray, bins: int = 10) -> dict:
    """Reliability diagram and expected calibration error of ``machine`` as P(not human), with
    human and machine texts weighted equally (as ``machine`` is calibrated: as if both were
    equally common): per equal-width bin of ``machine``, the texts, their weighted mean
    ``machine`` and weighted share machine-made; ECE = Σ (weight of bin) · |mean − share|."""
    machine = np.asarray(machine, dtype=float)
    is_machine = np.asarray(is_machine, dtype=bool)
    n_m, n_h = int(is_machine.sum()), int((~is_machine).sum())
    if not len(machine) or not n_m or not n_h:
        return {"n": int(len(machine)), "ece": None, "bins": []}
    w = np.where(is_machine, 0.5 / n_m, 0.5 / n_h)
    rows, ece = [], 0.0
    idx = np.minimum((machine * bins).astype(int), bins - 1)
    for k in range(bins):
        m = idx == k
        if not m.any():
            continue
        wk = w[m].sum()
        mean = float((w[m] * machine[m]).sum() / wk)
        share = float((w[m] * is_machine[m]).sum() / wk)
        ece += wk * abs(mean - share)
        rows.append(
            {
                "lo": k / bins,
                "hi": (k + 1) / bins,
                "n": int(m.sum()),
                "mean": mean,
                "share_machine": share,
            }
        )
    return {"n": int(len(machine)), "ece": float(ece), "bins": rows}


def baseline(train_records: list[dict], test_records: list[dict], fpr: float = 0.01) -> dict:
    """Character 1–4-gram TF-IDF + logistic regression on typography-normalised text."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    tr = [r for r in train_records if r.get("split") not in ("valid", "test")]
    va = [r for r in train_records if r.get("split") == "valid"]
    vec = TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 4),
        min_df=3,
        max_features=300_000,
        sublinear_tf=True,
        preprocessor=lambda s: normalize(s).lower(),
    )
    Xtr = vec.fit_transform([r["text"] for r in tr])
    clf = LogisticRegression(C=4.0, max_iter=2000)
    clf.fit(Xtr, [r["label"] for r in tr])
    order = [list(clf.classes_).index(lab) for lab in LABELS]
    t = 0.5
    if va:
        pv = clf.predict_proba(vec.transform([r["text"] for r in va]))[:, order]
        keep = np.array([len(r["text"].split()) >= MIN_RELIABLE_WORDS for r in va])
        yv = np.array([r["label"] for r in va])
        t = fpr_threshold(1 - pv[keep, 0], yv[keep] == "human", fpr)
    p = clf.predict_proba(vec.transform([r["text"] for r in test_records]))[:, order]
    machine = 1 - p[:, 0]
    pred = ["human" if m < t else LABELS[1 + int(np.argmax(row[1:]))] for m, row in zip(machine, p)]
    y = [r["label"] for r in test_records]
    res = metrics(y, pred, machine, t)
    for r in test_records:
        r.setdefault("_words", len(r["text"].split()))
    res["breakdown"] = breakdowns(test_records, y, pred, machine, t)
    return res


def fpr_threshold(machine: np.ndarray, is_human: np.ndarray, fpr: float = 0.01) -> float:
    """The baseline's decision: the lowest threshold on its 1 − P(human) whose false-positive
    rate on human texts is ≤ ``fpr``."""
    h = np.sort(machine[is_human])
    if len(h) == 0:
        return 0.5
    k = int(np.floor(fpr * len(h)))  # at most k human texts may score ≥ t
    t = h[len(h) - k - 1] if k < len(h) else 0.0
    return float(min(1.0, np.nextafter(t, np.inf)))


def write_card_metrics(model: str | os.PathLike | None, res: dict, data: Sequence) -> None:
    """Write the held-out figures ``res`` (of the labelled files ``data``) into the card of the
    model at ``model`` (default: the shipped one); the baseline without its breakdowns."""
    cp = card_path(resolve_model_path(model))
    card = json.loads(cp.read_text(encoding="utf-8"))
    card["metrics"] = {
        "held_out": {k: v for k, v in res.items() if k != "baseline"},
        "data": manifest(data),
    }
    if "baseline" in res:
        card["metrics"]["baseline"] = {k: v for k, v in res["baseline"].items() if k != "breakdown"}
    tmp = cp.with_name(cp.name + ".tmp")
    tmp.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, cp)
