"""False-positive rate of the shipped model on human text of many registers (test split only).

The corpus holds only a few dozen test passages per Brown genre, so one false positive moves a
genre's FPR by 3 points. This script cuts EVERY test-split original-English document (Brown per
genre, ABC rural/science, CoNLL-2000 WSJ, WMT22 English sources) into consecutive passages of
150-300 words and reports, at the model's default thresholds, the share labelled non-human,
with a 95% Wilson interval. No record of these documents is ever trained on (the split is by
document), so this is a held-out figure.

    .venv/bin/python -m tools.eval_registers [--model PATH] [--min-words 150 --max-words 300]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from tools import corpus_common as cc

ROOT = Path(__file__).resolve().parent.parent


def register_of(doc: cc.Doc) -> str:
    """Brown genre, ABC file, or source name."""
    if doc.source == "brown":
        return f"brown:{doc.meta.get('genre', '?')}"
    if doc.source == "abc":
        return f"abc:{Path(doc.path).stem}"
    return doc.source


def passages(doc: cc.Doc, lo: int, hi: int) -> list[str]:
    """Texts of consecutive passages of lo..hi words (units are never split; a unit longer than
    hi words is skipped), joined with the document's own separators."""
    out, cur, n = [], [], 0
    for i, u in enumerate(doc.units):
        w = cc.n_words(u)
        if n + w > hi:
            if n >= lo:
                out.append(cur)
            cur, n = [], 0
            if w > hi:
                continue
        cur.append(i)
        n += w
        if n >= lo:
            out.append(cur)
            cur, n = [], 0
    return [cc.Passage(doc, ids[0], ids[-1] + 1, "").text for ids in out]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of k/n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=None, help="public data root")
    ap.add_argument("--model", default=None)
    ap.add_argument("--seed", type=int, default=cc.DEFAULT_SEED)
    ap.add_argument("--min-words", type=int, default=150)
    ap.add_argument("--max-words", type=int, default=300)
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    from mtdetect.persistence import load_model

    det = load_model(args.model)
    root = cc.data_root(args.data)
    docs = [d for d in cc.load_originals(root, args.seed) if d.split == "test"]
    by_reg: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        by_reg[register_of(d)].extend(passages(d, args.min_words, args.max_words))
    rows, tot_k, tot_n = {}, 0, 0
    lo_w, hi_w = args.min_words, args.max_words
    print(f"model threshold {det.threshold:.3f}; passages of {lo_w}-{hi_w} words")
    print(f"{'register':<24}{'passages':>9}{'flagged':>9}{'FPR':>8}   95% CI")
    for reg in sorted(by_reg):
        texts = by_reg[reg]
        reports = det.analyze_many(texts, explain=False)
        k = sum(r.label != "human" for r in reports)
        lo, hi = wilson(k, len(texts))
        rows[reg] = {"passages": len(texts), "flagged": k, "fpr": k / max(1, len(texts))}
        tot_k += k
        tot_n += len(texts)
        rate = k / max(1, len(texts))
        print(f"{reg:<24}{len(texts):>9}{k:>9}{rate:>8.3f}   [{lo:.3f}, {hi:.3f}]")
    lo, hi = wilson(tot_k, tot_n)
    print(f"{'all':<24}{tot_n:>9}{tot_k:>9}{tot_k / max(1, tot_n):>8.3f}   [{lo:.3f}, {hi:.3f}]")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
