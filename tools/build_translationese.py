"""Learn the translationese n-gram table ``mtdetect/resources/translationese_ngrams.tsv``.

Reads the labelled corpus (``data/build/train.jsonl``; records of the ``train`` split only —
valid and test records are refused), turns every human and translated record into the
function-word / part-of-speech symbol stream of :mod:`mtdetect.features.translationese`, counts
its 1–3-grams as rates per 100 symbols, and fits an L1-regularised logistic regression
(translated = 1: WMT21 system outputs and EN→PT→EN round trips; human = 0: WMT21 reference
translations, original English of Brown, ABC, CoNLL-2000 and WMT sources). The non-zero weights
are written with the intercept and the per-sentence report threshold (the 99th percentile of
the per-sentence score over human training sentences).

Cross-fitting: besides the full fit, each regression is refit five times without one fold of
the training documents (the folds of :mod:`mtdetect.folds`, shared with
``word_choice``; the text -> fold map is ``word_choice_folds.tsv``, written by
``tools/build_word_choice.py``). Training texts are scored with the version that never saw them.

Usage: ``.venv/bin/python -m tools.build_translationese [--data data/build/train.jsonl] [--C 1]``
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from mtdetect import folds as fo  # noqa: E402
from mtdetect.features import translationese as tn  # noqa: E402
from mtdetect.text import Document  # noqa: E402
from tools.corpus_common import load_train_records  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mtdetect" / "resources" / tn.TABLE


def _fmt(x: float) -> str:
    """Compact weight: '0' for zero, else 5 decimals without trailing zeros."""
    return "0" if x == 0 else f"{x:.5f}".rstrip("0").rstrip(".")


def main() -> None:
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", nargs="+", default=[str(ROOT / "data/build/train.jsonl")])
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--scale", type=float, default=100.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    recs = load_train_records(args.data)
    recs = [r for r in recs if r["label"] in ("human", "translated")]
    rows, cols, vals = [], [], []
    vocab: dict[int, int] = {}
    df: dict[int, int] = {}
    per_doc = []
    for r in recs:
        sym, _ = tn.symbol_stream(Document(r["text"]))
        keys, pos, _ = tn.ngram_keys(sym)
        u, c = np.unique(keys, return_counts=True)
        n_sym = max(1, int((sym != tn._S).sum()))
        per_doc.append((u, c / n_sym * args.scale, sym, keys, pos))
        for k in u.tolist():
            df[k] = df.get(k, 0) + 1
    for k, d in df.items():
        if d >= args.min_df:
            vocab[k] = len(vocab)
    for i, (u, rate, *_rest) in enumerate(per_doc):
        for k, x in zip(u.tolist(), rate.tolist()):
            j = vocab.get(k)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(x)
    X = sp.csr_matrix((vals, (rows, cols)), shape=(len(recs), len(vocab)))
    y = np.array([r["label"] == "translated" for r in recs], dtype=int)
    sub = np.array([r.get("subset", "") for r in recs])
    grp = np.array([str(r.get("group", "")) for r in recs])
    rt_groups = set(grp[sub == "roundtrip"])
    tasks = {
        "all": np.ones(len(recs), dtype=bool),
        "mt": np.isin(sub, ["wmt-mt", "wmt-ref"]),
        "rt": (sub == "roundtrip") | ((y == 0) & np.isin(grp, list(rt_groups))),
    }
    fold = np.array([fo.fold_of_group(str(r.get("group", ""))) for r in recs])
    K = fo.N_FOLDS
    coefs, intercepts = [], []
    for f in (K, *range(K)):  # the full fit first, then one without each fold
        for name, m in tasks.items():
            m = m & (fold != f)
            clf = LogisticRegression(
                C=args.C, l1_ratio=1.0, solver="liblinear", max_iter=5000, random_state=0
            )
            clf.fit(X[m], y[m])
            coefs.append(clf.coef_[0])
            intercepts.append(float(clf.intercept_[0]))
            tag = "full" if f == K else f"without fold {f}"
            print(f"{name} ({tag}): {int(m.sum())} records, {(clf.coef_[0] != 0).sum()} non-zero")
    W = np.vstack(coefs).T  # n-gram x (table x task); table 0 = full, 1 + f = without fold f
    coef = W[:, 0]
    inv = np.array(list(vocab))
    nz = np.flatnonzero((W != 0).any(axis=1))
    # per-sentence report threshold: 99th percentile over human training sentences ("all")
    w_of = dict(zip(inv[nz].tolist(), coef[nz].tolist()))
    s_scores = []
    for r, (_u, _rate, sym, keys, pos) in zip(recs, per_doc):
        if r["label"] != "human":
            continue
        w = np.array([w_of.get(k, 0.0) for k in keys.tolist()])
        sent = np.cumsum(sym == tn._S) - 1
        ns = int(sent[-1]) + 1 if len(sent) else 0
        s_w = np.bincount(sent[pos], weights=w, minlength=ns)
        s_n = np.bincount(sent, minlength=ns) - 1
        s_scores += (s_w / np.maximum(1, s_n))[s_n >= 6].tolist()
    report = float(np.percentile(s_scores, 99)) if s_scores else 0.1
    order = nz[np.argsort(-coef[nz])]
    lines = [
        "# Translationese n-gram weights for mtdetect (tools/build_translationese.py).",
        "# L1 logistic regressions on function-word/POS 1-3-gram rates per 100 symbols, corpus",
        "# train split. Weight columns: all = translated (WMT21 system outputs, EN>PT>EN round",
        "# trips) vs human (WMT21 reference translations; Brown, ABC, CoNLL-2000, WMT21 original",
        "# English); mt = WMT21 system outputs vs reference translations of the same lines;",
        "# rt = round trips vs the original passages they were made from.",
        f"# records {len(recs)}, n-grams {len(vocab)} (min_df {args.min_df}), C {args.C}",
        f"# columns {' '.join(tasks)}",
        f"# tables {K + 1} (the full fit, then one without each of the {K} folds of",
        "# mtdetect.features._folds; weight and intercept columns repeat the columns per table)",
        f"# intercept {' '.join(repr(x) for x in intercepts)}",
        f"# scale {args.scale!r}",
        f"# sent_report {report!r}",
        *(tn.ngram_text(int(inv[j])) + "\t" + "\t".join(_fmt(x) for x in W[j]) for j in order),
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"wrote {args.out}: {len(nz)} of {len(vocab)} n-grams; "
        f"sentence report threshold {report:.4f}"
    )
    print("top translated:", [tn.ngram_text(int(inv[j])) for j in order[:15]])
    print("top human:", [tn.ngram_text(int(inv[j])) for j in order[::-1][:15]])


if __name__ == "__main__":
    main()
