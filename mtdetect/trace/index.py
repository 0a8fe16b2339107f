"""Retrieval: an inverted index of source articles, robust to rewording.

Why an inverted TF-IDF index and not MinHash LSH: a spun copy keeps only 60% of its content
words and a round trip about half, so the Jaccard similarity of a rewrite and its source is
often 0.2-0.4 — where LSH needs many small bands and returns large candidate sets that must be
re-scored anyway. An inverted index scores exactly (cosine of sublinear TF-IDF vectors), and a
query only reads the posting lists of its own terms, so its cost grows with the number of
documents sharing those terms, not with the size of the index. Terms (see :func:`terms`):

* content-word stems (Snowball), which survive inflection changes;
* names (capitalised mid-sentence words) and numbers a second time: spinners and translators
  keep them, so they weigh double;
* at query time only, the stems of each word's thesaurus candidates at a lower weight, so a
  spun "massacre" still meets the source's "carnage".

Terms are hashed (scikit-learn's ``FeatureHasher``, murmurhash3) into ``N_FEATURES`` columns: no
vocabulary is stored and any text can be queried. On disk an index is a folder of ``.npy``
arrays, a raw UTF-8 text file and JSON, loaded memory-mapped with ``allow_pickle=False``: a
user's index file is data, never code. Memory: 8 bytes per (document, distinct term) posting,
16 MiB of pointers and 8 MiB of IDF weights, plus the texts, memory-mapped (read on demand).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mtdetect.trace.words import WORD_RE, is_content, linked, stem

N_FEATURES = 1 << 21
FORMAT = 1
#: Weight of a thesaurus candidate's stem in a query, relative to a word of the text.
EXPANSION_WEIGHT = 0.25
#: One-word candidates added per query word.
EXPANSION_LINKS = 6
#: Query terms whose document frequency is above this share are skipped: they rank almost
#: nothing (IDF near its floor) and their posting lists are the longest.
MAX_DF_SHARE = 0.1
_OPENERS = frozenset(" \t\"'“‘([")
_ENDERS = frozenset(".!?\n:;")


class IndexFileError(Exception):
    """An index that cannot be read or written; ``str(e)`` is the one-line reason."""


def _word_terms(text: str) -> Iterator[tuple[str, str, bool]]:
    """(word as written, content key, is a name or number) for each content word of a text."""
    for m in WORD_RE.finditer(text):
        w = m.group()
        low = w.lower()
        if not is_content(low):
            continue
        special = w[0].isdigit()
        if not special and w[0].isupper():
            j = m.start() - 1
            while j >= 0 and text[j] in _OPENERS:
                j -= 1
            special = j >= 0 and text[j] not in _ENDERS  # capitalised mid-sentence: a name
        yield w, stem(low), special


def terms(text: str) -> list[str]:
    """Index terms of a text: content stems, and names/numbers once more (prefixed ``@``)."""
    out: list[str] = []
    for _, key, special in _word_terms(text):
        out.append(key)
        if special:
            out.append("@" + key)
    return out


def query_terms(text: str) -> list[tuple[str, float]]:
    """Weighted query terms: :func:`terms` plus thesaurus candidates of the content words."""
    out: list[tuple[str, float]] = []
    for w, key, special in _word_terms(text):
        out.append((key, 1.0))
        if special:
            out.append(("@" + key, 1.0))
            continue
        n = 0
        for c in linked(w.lower()):
            if " " in c:
                continue
            ck = stem(c)
            if ck != key:
                out.append((ck, EXPANSION_WEIGHT))
                n += 1
                if n >= EXPANSION_LINKS:
                    break
    return out


def _hasher(input_type: str):
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=N_FEATURES, input_type=input_type, alternate_sign=False)


@dataclass
class Hit:
    """A retrieved document: its number in the index and its cosine similarity (0-1)."""

    doc: int
    similarity: float


class TraceIndex:
    """Inverted TF-IDF index of articles. Build with :meth:`build`, or :meth:`load` a saved one."""

    def __init__(
        self,
        paths: list[str],
        idf: np.ndarray,
        ptr: np.ndarray,
        docs: np.ndarray,
        weights: np.ndarray,
        text_bytes: np.ndarray,
        text_off: np.ndarray,
        meta: dict | None = None,
    ) -> None:
        self.paths = paths
        self.idf = idf
        self.ptr = ptr
        self.post_doc = docs
        self.post_w = weights
        self._text = text_bytes
        self._off = text_off
        self.meta = meta or {}

    def __len__(self) -> int:
        return len(self.paths)

    def text(self, i: int) -> str:
        """The text of document ``i``."""
        return bytes(self._text[self._off[i] : self._off[i + 1]]).decode("utf-8")

    # ------------------------------------------------------------------ build

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]], chunk: int = 2000) -> TraceIndex:
        """Index ``(path, text)`` pairs (chunked, so the term lists of only ``chunk`` documents
        are held at a time)."""
        import scipy.sparse as sp

        hasher = _hasher("string")
        paths: list[str] = []
        blobs: list[bytes] = []
        mats = []
        batch: list[list[str]] = []

        def flush() -> None:
            if batch:
                m = hasher.transform(batch).astype(np.float32)
                m.sum_duplicates()
                mats.append(m.tocsr())
                batch.clear()

        for path, text in items:
            paths.append(path)
            blobs.append(text.encode("utf-8"))
            batch.append(terms(text))
            if len(batch) >= chunk:
                flush()
        flush()
        n = len(paths)
        if mats:
            X = sp.vstack(mats, format="csr")
        else:
            X = sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
        mats.clear()
        df = np.bincount(X.indices, minlength=N_FEATURES)
        idf = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)
        X.data = (1 + np.log(X.data)) * idf[X.indices]
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        X = sp.diags(1 / np.maximum(norms, 1e-12)).astype(np.float32) @ X
        C = X.tocsc()
        C.sort_indices()
        del X
        off = np.zeros(n + 1, dtype=np.int64)
        off[1:] = np.cumsum([len(b) for b in blobs])
        text = np.frombuffer(b"".join(blobs), dtype=np.uint8)
        meta = {"format": FORMAT, "n_docs": n, "n_features": N_FEATURES, "postings": C.nnz}
        return cls(
            paths,
            idf,
            C.indptr.astype(np.int64),
            C.indices.astype(np.int32),
            C.data.astype(np.float32),
            text,
            off,
            meta,
        )

    # ------------------------------------------------------------------ query

    def query_vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature columns, L2-normalised TF-IDF weights) of a query text."""
        m = _hasher("pair").transform([query_terms(text)]).tocsr()
        m.sum_duplicates()
        cols = m.indices.astype(np.int64)
        w = (1 + np.log(np.maximum(m.data, 1e-9))).clip(min=0.0)
        # an expansion-only term (weight < 1) keeps a proportional share of a word's weight
        w = np.where(m.data < 1, m.data, w) * self.idf[cols]
        nrm = np.sqrt((w * w).sum())
        return cols, (w / nrm if nrm > 0 else w).astype(np.float32)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of ``text`` with every indexed document (only the posting lists of
        its terms are read)."""
        n = len(self)
        out = np.zeros(n, dtype=np.float64)
        if n == 0:
            return out
        cols, w = self.query_vector(text)
        lo = self.ptr[cols]
        hi = self.ptr[cols + 1]
        df = hi - lo
        keep = (df > 0) & ((df <= MAX_DF_SHARE * n) | (n < 50))
        if not keep.any():
            return out
        lo, hi, w = lo[keep], hi[keep], w[keep]
        cnt = hi - lo
        idx = np.repeat(lo - np.cumsum(cnt) + cnt, cnt) + np.arange(int(cnt.sum()))
        docs = self.post_doc[idx]
        vals = self.post_w[idx] * np.repeat(w, cnt)
        return np.bincount(docs, weights=vals, minlength=n)

    def search(self, text: str, k: int = 5, exclude: Iterable[int] = ()) -> list[Hit]:
        """The ``k`` most similar documents (best first), leaving out the ``exclude`` ones."""
        s = self.scores(text)
        for i in exclude:
            s[i] = -1.0
        k = min(k, len(s))
        if k <= 0:
            return []
        top = np.argpartition(-s, k - 1)[:k] if k < len(s) else np.arange(len(s))
        top = top[np.argsort(-s[top], kind="stable")]
        return [Hit(int(i), float(s[i])) for i in top if s[i] > 0]

    # ------------------------------------------------------------------ disk

    def save(self, out: str | os.PathLike[str]) -> None:
        """Write the index into a new folder ``out`` (refuses to replace anything)."""
        out = Path(out)
        if out.exists():
            raise IndexFileError(f"{out}: already exists; choose a new path for the index")
        try:
            out.mkdir(parents=True)
            np.save(out / "idf.npy", self.idf)
            np.save(out / "ptr.npy", self.ptr)
            np.save(out / "post_doc.npy", self.post_doc)
            np.save(out / "post_w.npy", self.post_w)
            np.save(out / "text_off.npy", self._off)
            (out / "texts.bin").write_bytes(np.asarray(self._text).tobytes())
            (out / "paths.json").write_text(json.dumps(self.paths), encoding="utf-8")
            (out / "meta.json").write_text(json.dumps(self.meta, indent=1), encoding="utf-8")
        except OSError as e:
            raise IndexFileError(f"{out}: cannot write the index ({e.strerror or e})") from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TraceIndex:
        """Open a saved index (memory-mapped; arrays only, never pickles)."""
        p = Path(path)
        if not (p / "meta.json").is_file():
            raise IndexFileError(
                f"{p}: not an mtdetect index (no meta.json; build one with "
                "`mtdetect index build DIR --out INDEX`)"
            )
        try:
            meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT or meta.get("n_features") != N_FEATURES:
                raise IndexFileError(
                    f"{p}: index format {meta.get('format')} is not supported; "
                    "rebuild it with `mtdetect index build`"
                )
            paths = json.loads((p / "paths.json").read_text(encoding="utf-8"))

            def arr(name: str) -> np.ndarray:
                return np.load(p / name, mmap_mode="r", allow_pickle=False)

            idf, ptr, docs, w, off = (
                arr(f) for f in ("idf.npy", "ptr.npy", "post_doc.npy", "post_w.npy", "text_off.npy")
            )
            size = (p / "texts.bin").stat().st_size
            text = (
                np.memmap(p / "texts.bin", dtype=np.uint8, mode="r")
                if size
                else np.zeros(0, dtype=np.uint8)
            )
        except (OSError, ValueError, json.JSONDecodeError) as e:
            raise IndexFileError(f"{p}: damaged index ({e})") from None
        n = len(paths)
        if (
            not isinstance(paths, list)
            or len(off) != n + 1
            or len(ptr) != N_FEATURES + 1
            or len(idf) != N_FEATURES
            or int(off[-1]) != size
            or int(ptr[-1]) != len(docs)
            or len(docs) != len(w)
            or (len(docs) and int(np.max(docs)) >= n)
        ):
            raise IndexFileError(f"{p}: damaged index (array sizes do not agree)")
        return cls(paths, idf, ptr, docs, w, text, off, meta)
