"""Span-level evaluation (and fitting) of the spinning detectors.

``fit``   fits the logistic span models of ``synonym_swap`` (lower-case spans) and
          ``broken_names`` (capitalised spans mid-sentence) on the TRAIN split and sets each
          threshold on human passages of TRAIN+VALID so that false flags stay under
          ``--fp-per-1000`` per 1,000 human words. Writes
          ``mtdetect/resources/refstats/swap_model.json``. Never reads the test split.
``eval``  on spun passages of a split: span precision/recall of the flagged spans against the
          spans the spinner changed (overlap-based), and how often the top suggestion equals the
          original; per spinner configuration (the HELD_OUT one separately). On human passages:
          false flags per 1,000 words per source. Also the speed of the families.

    .venv/bin/python tools/eval_spans.py fit
    .venv/bin/python tools/eval_spans.py eval --split test
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtdetect.features.broken_names import BrokenNames  # noqa: E402
from mtdetect.features.synonym_swap import FEATURES, SynonymSwap, span_scores  # noqa: E402
from mtdetect.features.tortured import TorturedPhrases  # noqa: E402
from mtdetect.text import Document  # noqa: E402

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
        sc = span_scores(doc)
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


def fit_lr(x: np.ndarray, y: np.ndarray) -> dict:
    """Standardised L2 logistic regression; returns the coefficients as plain lists."""
    from sklearn.linear_model import LogisticRegression

    mu = x.mean(axis=0)
    sd = x.std(axis=0) + 1e-9
    lr = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    lr.fit((x - mu) / sd, y)
    return {
        "mean": mu.round(6).tolist(),
        "scale": sd.round(6).tolist(),
        "coef": lr.coef_[0].round(6).tolist(),
        "intercept": round(float(lr.intercept_[0]), 6),
        "features": list(FEATURES),
    }


def threshold_for(scores: np.ndarray, human_words: int, fp_per_1000: float) -> float:
    """Lowest threshold with at most ``fp_per_1000`` human-span flags per 1,000 words."""
    allowed = int(fp_per_1000 * human_words / 1000)
    s = np.sort(scores)[::-1]
    if allowed >= len(s):
        return 0.5
    return float(np.nextafter(s[allowed], 1.0)) if allowed >= 0 else 1.0


def cmd_fit(args: argparse.Namespace) -> None:
    from mtdetect.features.synonym_swap import model_scores

    t0 = time.time()
    train = records("train")
    calib = [r for r in records("train") + records("valid") if r["label"] == "human"]
    x, y, nm, _, _ = span_rows(train)
    xc, _, nmc, _, _ = span_rows(calib)
    hw = sum(Document(r["text"]).n_words for r in calib)
    print(
        f"train spans {len(y)} (positives {int(y.sum())}); calibration human words {hw}", flush=True
    )
    model: dict = {"fp_per_1000": args.fp_per_1000, "calibration_human_words": hw}
    for name, mask, maskc, share in (
        ("lower", ~nm, ~nmc, args.lower_share),
        ("names", nm, nmc, 1 - args.lower_share),
    ):
        m = fit_lr(x[mask], y[mask])
        sc = model_scores(xc[maskc], m)
        m["threshold"] = threshold_for(sc, hw, args.fp_per_1000 * share)
        st = model_scores(x[mask], m)
        flag = st >= m["threshold"]
        prec = float(y[mask][flag].mean()) if flag.any() else 0.0
        print(
            f"{name}: spans {int(mask.sum())}, pos {int(y[mask].sum())}, threshold "
            f"{m['threshold']:.4f}; train precision {prec:.3f}, recall of positive spans "
            f"{float(flag[y[mask] == 1].mean()):.3f}"
        )
        model[name] = m
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
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
        held = bool(r.get("meta", {}).get("held_out_config"))
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
    e = sub.add_parser("eval")
    e.add_argument("--split", default="valid")
    e.add_argument("--limit", type=int, default=0)
    e.add_argument("--show", type=int, default=3, help="false-flag examples per source")
    args = ap.parse_args()
    {"fit": cmd_fit, "eval": cmd_eval}[args.cmd](args)


if __name__ == "__main__":
    main()
