"""Span-level evaluation (and fitting) of the spinning detectors.

``fit``   fits the span models of ``synonym_swap`` (lower-case spans: gradient-boosted trees,
          exported as plain node arrays) and ``broken_names`` (capitalised spans mid-sentence:
          logistic) on the TRAIN split and sets each threshold on human passages of
          TRAIN+VALID so that false flags stay under ``--fp-per-1000`` per 1,000 human words
          (trees: out-of-fold scores for the TRAIN passages); the trees' threshold is also
          raised until the out-of-fold precision on TRAIN spun passages reaches
          ``--precision``. Lower-case spans are flagged by the trees OR by a logistic model on
          the per-span features (threshold: ``--lr-share`` of their false-flag budget), which
          keeps strong isolated swaps in short texts. Writes
          ``mtdetect/resources/refstats/swap_model.json``. Never reads the test split.
``eval``  on spun passages of a split: span precision/recall of the flagged spans against the
          spans the spinner changed (overlap-based), and how often the top suggestion equals the
          original; per spinner design (the test-only ones separately). On human passages:
          false flags per 1,000 words per source. Also the speed of the families.

    .venv/bin/python -m tools.eval_spans fit
    .venv/bin/python -m tools.eval_spans eval --split test
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.broken_names import BrokenNames
from mtdetect.features.synonym_swap import SynonymSwap
from mtdetect.features.tortured import TorturedPhrases
from mtdetect.swapscore import FEATURES
from mtdetect.text import Document
from tools.spinners import TEST_ONLY

ROOT = Path(__file__).resolve().parents[1]

MODEL_PATH = ROOT / "mtdetect" / "resources" / "refstats" / "swap_model.json"


def records(split: str, labels: tuple[str, ...] = ("spun", "human"), limit: int = 0) -> list[dict]:
    """Records of ``data/build/<split>.jsonl`` with the given labels."""
    out = []
    with open(ROOT / "data" / "build" / f"{split}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["label"] in labels:
                out.append(r)
    if limit:
        out = out[:limit]
    return out


def overlaps(a0: int, a1: int, spans: list) -> list[int]:
    """Indices of gold spans overlapping [a0, a1)."""
    return [k for k, (s, e, _) in enumerate(spans) if s < a1 and a0 < e]


# --------------------------------------------------------------------------- fit


def span_rows(
    recs: list[dict],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, names-span mask, record index, suggestion-correct) over all candidate spans."""
    xs, ys, nm, ri, good = [], [], [], [], []
    from mtdetect.refstats import load

    rs = load()
    for k, r in enumerate(recs):
        doc = Document(r["text"])
        sc = Analysis(doc).span_scores
        if sc is None:
            continue
        spans = r.get("spans") or []
        sw = sc.swaps
        toks = doc.tokens
        for s in range(sw.n_spans):
            a0, a1 = toks[int(sw.t0[s])].start, toks[int(sw.t1[s]) - 1].end
            hit = overlaps(a0, a1, spans) if r["label"] == "spun" else []
            ys.append(1 if hit else 0)
            ok = False
            if hit:
                cand = " ".join(rs.words[i] for i in sw.a[sc.best[s]] if i >= 0)
                ok = any(spans[h][2].lower().endswith(cand) for h in hit)
            good.append(ok)
        xs.append(sc.x)
        nm.append(sc.capital & ~sc.initial)
        ri.append(np.full(sw.n_spans, k))
    return (np.vstack(xs), np.array(ys), np.concatenate(nm), np.concatenate(ri), np.array(good))


LR_FEATURES = FEATURES[: FEATURES.index("n_better") + 1]  # per-span features only
GBM_PARAMS = dict(
    max_iter=100,
    learning_rate=0.2,
    max_leaf_nodes=15,
    min_samples_leaf=80,
    l2_regularization=1.0,
    random_state=0,
)
OOF_FOLDS = 4


def fit_lr(x: np.ndarray, y: np.ndarray) -> dict:
    """Standardised L2 logistic regression on :data:`LR_FEATURES` (``x`` has all FEATURES)."""
    from sklearn.linear_model import LogisticRegression

    x = x[:, : len(LR_FEATURES)]
    mu = x.mean(axis=0)
    sd = x.std(axis=0) + 1e-9
    lr = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    lr.fit((x - mu) / sd, y)
    return {
        "mean": mu.round(6).tolist(),
        "scale": sd.round(6).tolist(),
        "coef": lr.coef_[0].round(6).tolist(),
        "intercept": round(float(lr.intercept_[0]), 6),
        "features": list(LR_FEATURES),
    }


def fit_gbm(x: np.ndarray, y: np.ndarray) -> dict:
    """Gradient-boosted trees on all FEATURES, exported as padded node arrays."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    m = HistGradientBoostingClassifier(**GBM_PARAMS).fit(x, y)
    preds = [p[0].nodes for p in m._predictors]
    width = max(len(nd) for nd in preds)
    trees: dict[str, list] = {k: [] for k in ("feature", "threshold", "left", "right", "value")}
    trees["missing_left"] = []
    for nd in preds:
        pad = width - len(nd)
        leaf = nd["is_leaf"].astype(bool)
        trees["feature"].append(np.where(leaf, -1, nd["feature_idx"]).tolist() + [-1] * pad)
        trees["threshold"].append(np.where(leaf, 0.0, nd["num_threshold"]).tolist() + [0.0] * pad)
        trees["left"].append(np.where(leaf, 0, nd["left"]).tolist() + [0] * pad)
        trees["right"].append(np.where(leaf, 0, nd["right"]).tolist() + [0] * pad)
        trees["value"].append(np.where(leaf, nd["value"], 0.0).round(6).tolist() + [0.0] * pad)
        trees["missing_left"].append(
            np.where(leaf, 0, nd["missing_go_to_left"]).astype(int).tolist() + [0] * pad
        )
    out = {
        "features": list(FEATURES),
        "params": GBM_PARAMS,
        "baseline": float(np.ravel(m._baseline_prediction)[0]),
        "trees": trees,
    }
    from mtdetect.swapscore import model_scores

    check = x[: min(len(x), 5000)]
    diff = np.abs(model_scores(check, out) - m.predict_proba(check)[:, 1]).max()
    assert diff < 1e-4, f"exported trees disagree with sklearn ({diff:.2g})"
    return out


def oof_gbm(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Out-of-fold tree scores (folds by passage)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    out = np.zeros(len(y))
    fold = groups % OOF_FOLDS
    for f in range(OOF_FOLDS):
        m = HistGradientBoostingClassifier(**GBM_PARAMS).fit(x[fold != f], y[fold != f])
        out[fold == f] = m.predict_proba(x[fold == f])[:, 1]
    return out


def union_precision_threshold(
    scores: np.ndarray, fixed: np.ndarray, y: np.ndarray, precision: float
) -> float:
    """Lowest threshold on ``scores`` at which the spans flagged by it or by ``fixed`` reach
    ``precision`` (at least 50 flagged by the threshold)."""
    s, yr = scores[~fixed], y[~fixed]
    o = np.argsort(-s)
    cp = (y[fixed].sum() + np.cumsum(yr[o])) / (fixed.sum() + np.arange(1, len(o) + 1))
    ok = np.flatnonzero(cp >= precision)
    ok = ok[ok >= 50]
    return float(s[o][ok.max()]) if len(ok) else 1.0


def dump_model(model: dict) -> str:
    """JSON text: indented, except the tree arrays (one line each)."""
    compact = {}
    for name, m in model.items():
        if isinstance(m, dict) and "trees" in m:
            compact[name] = json.dumps(m["trees"], separators=(",", ":"))
            model = {**model, name: {**m, "trees": f"@@TREES_{name}@@"}}
    text = json.dumps(model, indent=1)
    for name, t in compact.items():
        text = text.replace(f'"@@TREES_{name}@@"', t)
    return text + "\n"


def threshold_for(scores: np.ndarray, human_words: int, fp_per_1000: float) -> float:
    """Lowest threshold with at most ``fp_per_1000`` human-span flags per 1,000 words."""
    allowed = int(fp_per_1000 * human_words / 1000)
    s = np.sort(scores)[::-1]
    if allowed >= len(s):
        return 0.5
    return float(np.nextafter(s[allowed], 1.0)) if allowed >= 0 else 1.0


def cmd_fit(args: argparse.Namespace) -> None:
    from mtdetect.swapscore import model_scores

    t0 = time.time()
    train = records("train")
    calib_valid = [r for r in records("valid") if r["label"] == "human"]
    x, y, nm, ri, _ = span_rows(train)
    human = np.array([r["label"] == "human" for r in train])[ri]
    xc, _, nmc, _, _ = span_rows(calib_valid)
    hw = sum(Document(r["text"]).n_words for r in train + calib_valid if r["label"] == "human")
    print(
        f"train spans {len(y)} (positives {int(y.sum())}); calibration human words {hw}", flush=True
    )
    model: dict = {"fp_per_1000": args.fp_per_1000, "calibration_human_words": hw}
    for name, mask, maskc, share in (
        ("lower", ~nm, ~nmc, args.lower_share),
        ("names", nm, nmc, 1 - args.lower_share),
    ):
        if name == "lower":
            # a logistic model on the per-span features keeps flagging strong isolated swaps
            # (short texts); the trees add spans using the rest of the document
            lr = fit_lr(x[mask], y[mask])
            lr_cal = np.concatenate(
                [model_scores(x[mask & human], lr), model_scores(xc[maskc], lr)]
            )
            lr["threshold"] = threshold_for(lr_cal, hw, args.fp_per_1000 * share * args.lr_share)
            m = fit_gbm(x[mask], y[mask])
            # the trees have seen the TRAIN human spans: calibrate on out-of-fold scores
            oof = oof_gbm(x[mask], y[mask], ri[mask])
            gb_cal = np.concatenate([oof[human[mask]], model_scores(xc[maskc], m)])
            lr_flag_cal = lr_cal >= lr["threshold"]
            allowed = int(args.fp_per_1000 * share * hw / 1000) - int(lr_flag_cal.sum())
            rest = np.sort(gb_cal[~lr_flag_cal])[::-1]
            t_fp = float(np.nextafter(rest[allowed], 1.0)) if 0 <= allowed < len(rest) else 1.0
            spun = ~human[mask]
            lr_tr = model_scores(x[mask], lr) >= lr["threshold"]
            t_prec = union_precision_threshold(
                oof[spun], lr_tr[spun], y[mask][spun], args.precision
            )
            m["threshold"] = max(t_fp, t_prec)
            m["lr"] = lr
            print(
                f"{name}: logistic threshold {lr['threshold']:.4f}; trees threshold for false "
                f"flags {t_fp:.4f}, for precision {t_prec:.4f}"
            )
            flag = lr_tr | (oof >= m["threshold"])
        else:
            m = fit_lr(x[mask], y[mask])
            sc = np.concatenate([model_scores(x[mask & human], m), model_scores(xc[maskc], m)])
            m["threshold"] = threshold_for(sc, hw, args.fp_per_1000 * share)
            flag = model_scores(x[mask], m) >= m["threshold"]
        prec = float(y[mask][flag].mean()) if flag.any() else 0.0
        how = " (out-of-fold)" if name == "lower" else ""
        print(
            f"{name}: spans {int(mask.sum())}, pos {int(y[mask].sum())}, threshold "
            f"{m['threshold']:.4f}; train precision {prec:.3f}, recall of positive spans "
            f"{float(flag[y[mask] == 1].mean()):.3f}{how}"
        )
        model[name] = m
    MODEL_PATH.write_text(dump_model(model), encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} in {time.time() - t0:.0f}s")


# --------------------------------------------------------------------------- eval


def cmd_eval(args: argparse.Namespace) -> None:
    fams = [SynonymSwap(), BrokenNames(), TorturedPhrases()]
    recs = records(args.split, ("spun", "human"), args.limit)
    tp = Counter()
    nflag = Counter()
    ngold = Counter()
    gold_hit = Counter()
    sugg_ok = Counter()
    by_rule = Counter()
    by_rule_tp = Counter()
    hum_words = Counter()
    hum_flags = Counter()
    hum_examples: dict[str, list[str]] = defaultdict(list)
    words = 0
    t_feat = 0.0
    for r in recs:
        doc = Document(r["text"])
        t = time.perf_counter()
        found = []
        for f in fams:
            found += f.extract(doc)[1]
        t_feat += time.perf_counter() - t
        words += doc.n_words
        if r["label"] == "human":
            src = r.get("subset", "?").split(":")[0]
            for g in (src, "ALL"):
                hum_words[g] += doc.n_words
                hum_flags[g] += len(found)
            for f in found[:2]:
                if len(hum_examples[src]) < args.show:
                    hum_examples[src].append(f"{f.rule}: {f.text!r} -> {f.suggestion!r}")
            continue
        spans = r["spans"]
        sub = r.get("subset", "?")
        # held out of training: a test-only spinner design (or the old held-out config)
        meta = r.get("meta", {})
        held = meta.get("design") in TEST_ONLY or bool(meta.get("held_out_config"))
        groups = [sub, "ALL-held-out" if held else "ALL-seen"]
        hit_gold: set[int] = set()
        for f in found:
            h = overlaps(f.start, f.end, spans)
            for g in groups:
                nflag[g] += 1
                tp[g] += bool(h)
            by_rule[f.rule] += 1
            by_rule_tp[f.rule] += bool(h)
            if h:
                ok = any((f.suggestion or "").lower() == spans[k][2].lower() for k in h)
                for g in groups:
                    sugg_ok[g] += ok
            hit_gold.update(h)
        for g in groups:
            ngold[g] += len(spans)
            gold_hit[g] += len(hit_gold)
    print(f"split {args.split}: {len(recs)} passages, {words} words")
    print(
        f"{'subset':28s} {'flags':>6s} {'prec':>6s} {'gold':>6s} {'recall':>6s} {'sugg=orig':>9s}"
    )
    for g in sorted(ngold):
        p = tp[g] / nflag[g] if nflag[g] else 0.0
        rc = gold_hit[g] / ngold[g] if ngold[g] else 0.0
        so = sugg_ok[g] / tp[g] if tp[g] else 0.0
        print(f"{g:28s} {nflag[g]:6d} {p:6.3f} {ngold[g]:6d} {rc:6.3f} {so:9.3f}")
    print(
        "by rule (spun passages): "
        + ", ".join(f"{k} {by_rule_tp[k]}/{by_rule[k]}" for k in sorted(by_rule))
    )
    print("false flags on human text per 1,000 words:")
    for g in sorted(hum_words):
        print(
            f"  {g:12s} {hum_flags[g]:5d} flags / {hum_words[g]:7d} words = "
            f"{1000 * hum_flags[g] / max(hum_words[g], 1):.2f}"
        )
    for src, ex in sorted(hum_examples.items()):
        for e in ex:
            print(f"  [{src}] {e}")
    print(
        f"speed: {words / t_feat:,.0f} words/s for the three span families "
        f"(incl. first-use loading)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit")
    f.add_argument("--fp-per-1000", type=float, default=0.8)
    f.add_argument(
        "--lower-share",
        type=float,
        default=0.75,
        help="share of the false-flag budget given to lower-case spans",
    )
    f.add_argument(
        "--lr-share",
        type=float,
        default=0.75,
        help="share of the lower-case budget given to the logistic model alone",
    )
    f.add_argument(
        "--precision",
        type=float,
        default=0.9,
        help="lower-case spans: out-of-fold span precision the threshold must reach on TRAIN",
    )
    e = sub.add_parser("eval")
    e.add_argument("--split", default="valid")
    e.add_argument("--limit", type=int, default=0)
    e.add_argument("--show", type=int, default=3, help="false-flag examples per source")
    args = ap.parse_args()
    {"fit": cmd_fit, "eval": cmd_eval}[args.cmd](args)


if __name__ == "__main__":
    main()
