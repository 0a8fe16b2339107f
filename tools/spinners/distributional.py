"""Spinner design ``distributional``: neighbours in a word space learned from co-occurrence.

Spinners built on word embeddings swap a word for its nearest neighbours, which share the
word's contexts but are often not synonyms at all: co-hyponyms ("navy" for "military",
"Tuesday" for "Monday"), antonyms ("cold" for "hot"), related words ("Photos" for "Images").
This design learns such a space itself: PPMI of word co-occurrence within two words (context
distribution smoothed with exponent 0.75), reduced by truncated SVD to 100 dimensions, cosine
neighbours; trained on the human text of the corpus's *train* split only (the corpus build
passes it; ``python -m tools.spinners.distributional`` builds it on its own).

* **Units**: content words with a neighbour list (words seen at least ``min_count`` times).
* **Choice** (per passage, ``options.choice``): the ``nearest`` neighbour, or a ``top5`` draw.
  Neighbours that are an inflection of the word itself are never used. The surface form is
  swapped as it is (neighbours usually share the word's inflection already).

The table is cached in ``data/cache/spin-neighbours.json`` with a fingerprint of its training
text; its sha256 goes into the corpus manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from tools.inflect import lemmatize
from tools.spinners.common import (
    STOPWORDS,
    WORD_RE,
    SpinOptions,
    SpinResult,
    Tokens,
    Unit,
    content_word,
    run,
)

NAME = "distributional"
CHOICES = ("nearest", "top5")
#: Per-passage choices of this design (drawn by tools.spinners.draw, recorded in the corpus).
OPTIONS = {"choice": CHOICES}
CACHE = Path(__file__).resolve().parents[2] / "data" / "cache" / "spin-neighbours.json"
PARAMS = {"window": 2, "min_count": 20, "dim": 100, "top_k": 10, "cds": 0.75, "max_vocab": 40000}


# -------------------------------------------------------------------------------- training


def _tokens(text: str) -> list[str]:
    return [m.group().lower() for m in WORD_RE.finditer(text)]


def fingerprint(texts: list[str]) -> str:
    """sha1 over the training texts and the parameters (the cache key)."""
    h = hashlib.sha1(json.dumps({**PARAMS, "pos_filter": "oewn"}, sort_keys=True).encode())
    for t in texts:
        h.update(t.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _same_word(a: str, b: str) -> bool:
    """Whether two forms may be inflections of one word ("house"/"houses", "run"/"ran")."""
    la = {x.lemma for x in lemmatize(a)} | {a}
    lb = {x.lemma for x in lemmatize(b)} | {b}
    return bool(la & lb)


def fit(
    texts: Iterable[str],
    params: dict | None = None,
    pos_of: Callable[[str], set[str]] | None = None,
) -> dict[str, list[str]]:
    """Neighbour lists (nearest first) of every content word frequent enough in ``texts``.

    With ``pos_of`` (word -> its possible parts of speech) a neighbour must share one with the
    word when both are known: an embedding spinner's swaps are mostly grammatical ("said" ->
    "told", not "chairman"), which makes them harder to spot.
    """
    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD

    p = {**PARAMS, **(params or {})}
    docs = [_tokens(t) for t in texts]
    freq = Counter(w for d in docs for w in d)
    vocab = [w for w, c in sorted(freq.items(), key=lambda x: (-x[1], x[0])) if c >= p["min_count"]]
    vocab = vocab[: p["max_vocab"]]
    index = {w: i for i, w in enumerate(vocab)}
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for d in docs:
        ids = np.array([index.get(w, -1) for w in d], dtype=np.int64)
        for k in range(1, p["window"] + 1):
            a, b = ids[:-k], ids[k:]
            ok = (a >= 0) & (b >= 0)
            rows += [a[ok], b[ok]]
            cols += [b[ok], a[ok]]
    n = len(vocab)
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    m = sparse.coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    wsum = np.asarray(m.sum(axis=1)).ravel()
    csum = np.asarray(m.sum(axis=0)).ravel() ** p["cds"]
    csum /= csum.sum()
    m = m.tocoo()
    pmi = np.log((m.data / total) / ((wsum[m.row] / total) * csum[m.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=(n, n))
    dim = min(p["dim"], n - 1)
    svd = TruncatedSVD(n_components=dim, algorithm="arpack", random_state=0)
    u = svd.fit_transform(ppmi)
    u /= np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-12)
    targets = [i for i, w in enumerate(vocab) if w not in STOPWORDS and w.isalpha() and len(w) > 2]
    tset = np.array(targets, dtype=np.int64)
    out: dict[str, list[str]] = {}
    for lo in range(0, len(tset), 512):
        block = tset[lo : lo + 512]
        # rounded so that last-bit differences between machines cannot reorder neighbours
        sims = np.round(u[block] @ u[tset].T, 4)
        for bi, i in enumerate(block):
            order = np.lexsort((tset, -sims[bi]))
            nb: list[str] = []
            for j in tset[order]:
                if j == i:
                    continue
                if _same_word(vocab[i], vocab[j]):
                    continue
                if pos_of is not None:
                    pa, pb = pos_of(vocab[i]), pos_of(vocab[j])
                    if pa and pb and not pa & pb:
                        continue
                nb.append(vocab[j])
                if len(nb) >= p["top_k"]:
                    break
            out[vocab[i]] = nb
    return out


def build(texts: list[str], path: str | os.PathLike[str] = CACHE) -> Path:
    """Fit the table on ``texts`` unless ``path`` already holds one fitted on them."""
    path = Path(path)
    fp = fingerprint(texts)
    if path.is_file():
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("fingerprint") == fp:
                return path
        except (OSError, ValueError):
            pass  # a torn cache file is rebuilt
    table = fit(texts, pos_of=_oewn_pos())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    blob = {"fingerprint": fp, "params": PARAMS, "neighbours": table}
    tmp.write_text(json.dumps(blob, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    return path


def _oewn_pos() -> Callable[[str], set[str]]:
    """Parts of speech of a word form by its OEWN-validated readings."""
    from tools.inflect import Inflector
    from tools.thesaurus import load_oewn

    inf = Inflector.from_oewn(load_oewn())
    return lambda w: {a.pos for a in inf.lemmatize(w)}


# ---------------------------------------------------------------------------------- design


class Distributional:
    """The design over a neighbour table ``word -> neighbours``."""

    name = NAME

    def __init__(self, neighbours: dict[str, list[str]]) -> None:
        self.neighbours = neighbours

    def units(self, tokens: Tokens, opts: SpinOptions) -> list[Unit]:
        """Content words with neighbours."""
        return [
            Unit(i, 1, self.neighbours[low])
            for i, (tok, low) in enumerate(zip(tokens.toks, tokens.lows, strict=True))
            if content_word(tok, low) and self.neighbours.get(low)
        ]

    def choose(
        self, tokens: Tokens, unit: Unit, opts: SpinOptions, rng: random.Random
    ) -> str | None:
        """The nearest neighbour, or one of the five nearest."""
        nb: list[str] = unit.data  # type: ignore[assignment]
        if opts.get("choice", "nearest") == "top5":
            return nb[rng.randrange(min(5, len(nb)))]
        return nb[0]

    def spin(self, text: str, seed: int, opts: SpinOptions) -> SpinResult:
        """Spin one passage."""
        return run(self, text, seed, opts)


_LOADED: dict[str, Distributional] = {}


def load(
    data: str | os.PathLike[str] | None = None, path: str | os.PathLike[str] = CACHE
) -> Distributional:
    """The design over a built table (``build`` first; the corpus build does). ``data`` is
    not read (the table is built from the corpus's documents); it is accepted like every
    design's ``load``."""
    key = str(Path(path).resolve())
    if key not in _LOADED:
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(
                f"{p} missing: run `python -m tools.spinners.distributional` (or the corpus build)"
            )
        _LOADED[key] = Distributional(json.loads(p.read_text(encoding="utf-8"))["neighbours"])
    return _LOADED[key]


def train_texts(docs: Iterable[object]) -> list[str]:
    """The human training text: every unit of the corpus's train-split original documents,
    in document-id order (so the table's fingerprint does not depend on how docs were listed)."""
    train = sorted((d for d in docs if d.split == "train"), key=lambda d: d.doc_id)  # type: ignore[attr-defined]
    return [u for d in train for u in d.units]  # type: ignore[attr-defined]


def _main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    import time

    from tools import corpus_common as cc
    from tools.corpus_informal import load_informal

    ap = argparse.ArgumentParser(description="Build the neighbour table from the train split.")
    ap.add_argument("--data", default=None, help="shared data dir (default ../shared/data)")
    ap.add_argument("--seed", type=int, default=cc.DEFAULT_SEED)
    ap.add_argument("--show", nargs="*", default=[], help="print these words' neighbours")
    a = ap.parse_args(argv)
    t0 = time.time()
    root = cc.data_root(a.data)
    if not root.is_dir():
        print(f"error: data root {root} not found", file=sys.stderr)
        return 2
    docs = cc.load_originals(root, a.seed) + load_informal(root, a.seed)
    path = build(train_texts(docs))
    d = load(path)
    print(f"{path}: {len(d.neighbours)} words ({time.time() - t0:.0f}s)")
    for w in a.show:
        print(f"{w}: {', '.join(d.neighbours.get(w.lower(), []))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
