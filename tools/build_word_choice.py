"""Learn the word-choice table ``mtdetect/resources/word_choice.tsv``.

Reads the labelled corpus (``data/build/train.jsonl``; records of the ``train`` split only —
valid and test records are refused) and counts lower-cased words and word bigrams in two
content-controlled pairings:

* ``rt``: EN→PT→EN round trips vs the original passages of the same groups;
* ``mt``: WMT21 system outputs vs the human reference translations (same source lines).

Because both sides of a pairing say the same thing, the difference in counts is a word
*preference* ("however" over "yet", "crops" over "cultures", "do not" over "don't"), not a topic.
Each item gets the smoothed log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
& Quinn 2008; prior = both sides pooled) and its z-score; items with ``|z| >= --min-z`` in
either pairing are kept with their shrunken log-odds (``delta * |z|/(|z|+z0)``) per column.

Usage: ``.venv/bin/python -m tools.build_word_choice [--data data/build/train.jsonl]``
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from mtdetect import folds as fo
from mtdetect.features import word_choice as wc
from mtdetect.text import Document
from tools.corpus_common import load_train_records

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "mtdetect" / "resources" / wc.TABLE


def log_odds(a: Counter, b: Counter, alpha0: float) -> dict[str, tuple[float, float]]:
    """item -> (log-odds a vs b with informative Dirichlet prior, z-score)."""
    na, nb = sum(a.values()), sum(b.values())
    prior = a + b
    np_ = sum(prior.values())
    out = {}
    for w, c in prior.items():
        aw = alpha0 * c / np_
        ya, yb = a.get(w, 0), b.get(w, 0)
        la = np.log((ya + aw) / (na + alpha0 - ya - aw))
        lb = np.log((yb + aw) / (nb + alpha0 - yb - aw))
        var = 1.0 / (ya + aw) + 1.0 / (yb + aw)
        d = la - lb
        out[w] = (float(d), float(d / np.sqrt(var)))
    return out


def _fmt(x: float) -> str:
    """Compact weight: '0' when it rounds to zero, else 2 decimals."""
    return "0" if round(x, 2) == 0 else f"{x:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", nargs="+", default=[str(ROOT / "data/build/train.jsonl")])
    ap.add_argument("--min-z", type=float, default=1.0)
    ap.add_argument("--min-count", type=int, default=4)
    ap.add_argument("--alpha0", type=float, default=8000.0)
    ap.add_argument("--z0", type=float, default=2.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    recs = load_train_records(args.data)
    rt_groups = {r["group"] for r in recs if r.get("subset") == "roundtrip"}
    K = fo.N_FOLDS
    # sides[fold][key] = (translated counts, human counts); fold K = all of train
    sides = [{k: (Counter(), Counter()) for k in wc.COLUMNS} for _ in range(K + 1)]
    n_docs: Counter = Counter()
    fold_of_text: dict[str, int] = {}
    for r in recs:
        fold = fo.fold_of_group(r.get("group", ""))
        fold_of_text[fo.text_key(r["text"])] = fold
        sub = r.get("subset", "")
        if sub == "roundtrip":
            key, side = "rt", 0
        elif r["label"] == "human" and r["group"] in rt_groups:
            key, side = "rt", 1
        elif sub == "wmt-mt":
            key, side = "mt", 0
        elif sub == "wmt-ref":
            key, side = "mt", 1
        else:
            continue
        n_docs[(key, side)] += 1
        items = wc.doc_items(Document(r["text"]))
        for f in range(K + 1):
            if f != fold:
                sides[f][key][side].update(items)
    weights: dict[str, list[float]] = {}
    for f in (K, *range(K)):  # the full table first
        for j, k in enumerate(wc.COLUMNS):
            a, b = sides[f][k]
            tot = a + b
            for w, (d, z) in log_odds(a, b, args.alpha0).items():
                if tot[w] < args.min_count or abs(z) < args.min_z:
                    continue
                row = weights.setdefault(w, [0.0] * (2 * (K + 1)))
                col = (0 if f == K else f + 1) * len(wc.COLUMNS) + j
                row[col] = d * abs(z) / (abs(z) + args.z0)
    keep = weights
    order = sorted(keep, key=lambda w: -max(abs(x) for x in keep[w][:2]))
    lines = [
        "# Word-choice log-odds for mtdetect (tools/build_word_choice.py), corpus train split.",
        "# Derived from: round trips EN>PT>EN of Brown / ABC / CoNLL-2000 passages vs the",
        "# originals; WMT21 news system outputs vs reference translations (see NOTICE).",
        "# Items: lower-cased words, word bigrams ('a_b') and sentence-initial words ('<s>_w').",
        "# Weight = shrunken log-odds (informative Dirichlet prior, Monroe et al. 2008),",
        f"# alpha0 {args.alpha0}, min_z {args.min_z}, min_count {args.min_count}, z0 {args.z0};",
        f"# docs {dict((f'{k}{s}', v) for (k, s), v in sorted(n_docs.items()))}",
        f"# columns: rt mt of the full table, then rt mt of each of the {K} out-of-fold tables",
        *(w + "\t" + "\t".join(_fmt(x) for x in keep[w]) for w in order),
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folds = ROOT / "mtdetect" / "resources" / fo.FOLDS
    folds.write_text(
        "# Fold (0-4) of each train-split text of the mtdetect corpus, by sha1 of the text\n"
        "# (tools/build_word_choice.py): train texts are scored with the table learned\n"
        "# without their fold, so a classifier fit on train sees out-of-fold scores.\n"
        + "".join(f"{h}\t{f}\n" for h, f in sorted(fold_of_text.items())),
        encoding="utf-8",
    )
    print(f"wrote {folds}: {len(fold_of_text)} texts, {folds.stat().st_size} bytes")
    print(f"wrote {args.out}: {len(keep)} items, {args.out.stat().st_size} bytes")
    for k in wc.COLUMNS:
        j = wc.COLUMNS.index(k)
        top = sorted(keep, key=lambda w: -keep[w][j])
        print(k, "translated:", top[:25])
        print(k, "human:", top[::-1][:25])


if __name__ == "__main__":
    main()
