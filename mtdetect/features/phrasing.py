"""Phrasing of machine round trips: a sentence-level n-gram model of EN→PT→EN output.

A round trip keeps the content of the English it started from and changes its surface: British
spellings become American ("organisation" → "organization"), "says" gains a "that", names and
titles lose their capitals, quotation marks and dashes are normalised, idiomatic pairs turn
literal ("made by the puny man"). Many weak cues spread over the sentence; a linear model over
hashed word 1–3-grams and character 2–4-grams (within words) adds them up.

``tools/build_phrasing.py`` learns one logistic model per head from the sentences of the train
split: head ``rt`` = round-trip sentences vs the sentences of every human text (original English
of all registers and human translations), so what it learns is the round trip's phrasing, not
the topic or the register. Weights are quantised to int8 (``phrasing.npy``, memory-mapped;
``phrasing.json`` holds scales, intercepts and the hashing set-up).

Cross-fitting: like ``word_choice``, the table has five out-of-fold versions and a training text
is scored with the version that never saw it (:mod:`mtdetect.folds`).

Document features per head: mean, upper quartile and maximum sentence log-odds, share of sentences
above 0, spread. Evidence: ``translation.phrasing`` — in the sentences whose log-odds exceed the
``report`` threshold (set on validation human sentences by the build tool), the (up to
MAX_NAMED) heaviest word n-grams with a content word, one flag each, or the whole sentence when
only function words weigh (weak evidence, score < 0.5).
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, top_sentences
from mtdetect.lexicon import GRAMMAR_WORDS
from mtdetect.text import Document

WEIGHTS = "phrasing.npy"
META = "phrasing.json"
#: word n-grams and within-word character n-grams, each hashed into 2**bits slots
WORD_PATTERN = r"(?u)\b\w+\b|[^\w\s]"
MIN_SENT_WORDS = 3
MAX_REPORTED = 3
#: n-grams flagged per reported sentence
MAX_NAMED = 2
STATS = ("mean", "q75", "max", "pos_share", "std")
PHRASING = Rule(
    id="translation.phrasing",
    kind="translation",
    severity="info",
    catches="phrasing that machine round trips (English to another language and back, such as "
    "EN→PT→EN) produce far more often than people write it",
    reasons={
        "phrase": "'{span}' is phrasing that machine round trips (English to another language "
        "and back) produce far more often than people write it",
        "sentence": "this sentence as a whole is phrased the way machine round trips (English "
        "to another language and back) phrase English; no single phrase stands out",
    },
    score=0.3,
    flags=("The organization says that it analyzed the numbers and will not cut jobs this year.",),
    passes=(
        "We'd been there before, of course, but never in winter, and the lake looked "
        "different: grey, flat, oddly quiet.",
    ),
)


class PhrasingModel:
    """A model of ``build_phrasing``: ``meta`` (heads, hash bits, scales, intercepts, report
    thresholds) and int8 ``weights`` [version x head x 2 * 2**bits].

    It keeps the float32 weights of each (version, head) it has scored with, and the hashed
    character n-grams of the words it has seen (at most :data:`_CACHE_MAX` words), so most
    words of a new text are not hashed again.
    """

    def __init__(self, meta: dict, weights: np.ndarray) -> None:
        self.meta = meta
        self.weights = weights
        self._float: dict[tuple[int, int], np.ndarray] = {}
        self.char_ids: dict[str, np.ndarray] = {}

    def float_weights(self, version: int, head: int) -> np.ndarray:
        """float32 weights of one version and head (dequantised once)."""
        w = self._float.get((version, head))
        if w is None:
            w = self._float[(version, head)] = self.weights[version, head].astype(np.float32)
        return w


def read_model(meta: Path) -> PhrasingModel:
    """The model of ``phrasing.json`` and the weights beside it (memory-mapped)."""
    spec = json.loads(meta.read_text(encoding="utf-8"))
    return PhrasingModel(spec, np.load(meta.with_name(WEIGHTS), mmap_mode="r"))


@cache
def hashers(bits: int):
    """The word and character hashers (scikit-learn, stateless)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    common = dict(n_features=2**bits, alternate_sign=False, norm="l2", lowercase=False)
    word = HashingVectorizer(ngram_range=(1, 3), token_pattern=WORD_PATTERN, **common)
    char = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), **common)
    return word, char


def sentence_matrix(sentences: list[str], bits: int):
    """Sparse [sentence x 2 * 2**bits] features: word block, then character block."""
    from scipy.sparse import hstack

    word, char = hashers(bits)
    return hstack([word.transform(sentences), char.transform(sentences)]).tocsr()


_TOKEN = re.compile(WORD_PATTERN)
_WORD_CHAR = re.compile(r"\w")
_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char_wb preprocessing
_CACHE_MAX = 200_000  # words whose hashed character n-grams a model keeps


@lru_cache(maxsize=4096)
def _standing_alone(gram: str) -> re.Pattern:
    """A pattern for ``gram`` not inside a longer word (compiled once per n-gram: the evidence
    of a batch tries many, more than ``re``'s own cache keeps)."""
    return re.compile(r"(?<!\w)" + re.escape(gram) + r"(?!\w)")


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
#: strings are hashed in groups of similar byte length, each group one array this many
#: 4-byte blocks wide at most (one long string never makes every row long)
_GROUP_WIDTHS = (4, 8, 16, 64)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _murmur(b: list[bytes], lens: np.ndarray) -> np.ndarray:
    """murmurhash3_32 (seed 0) of byte strings, as int32, in numpy: the 4-byte blocks of all
    the strings column by column."""
    n = len(b)
    width = (int(lens.max()) // 4 + 1) * 4  # one spare block: the tail read never overruns
    blocks = np.array(b, dtype=f"S{width}").view("<u4").reshape(n, width // 4)
    full = lens // 4
    h = np.zeros(n, np.uint32)
    with np.errstate(over="ignore"):
        for j in range(int(full.max())):
            k = _rotl(blocks[:, j] * _C1, 15) * _C2
            h = np.where(full > j, _rotl(h ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64), h)
        k = _rotl(blocks[np.arange(n), full] * _C1, 15) * _C2  # the zero-padded tail
        h = np.where(lens % 4 > 0, h ^ k, h) ^ lens.astype(np.uint32)
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return h.view(np.int32)


def _hash_many(strings: list[str], nf: int) -> np.ndarray:
    """Hashed ids of ``strings`` as scikit-learn's hashers give them: |murmurhash3_32(utf-8,
    0)| mod nf (scikit-learn's value for -2**31 included), vectorised over all the strings of a
    batch (scikit-learn's compiled hash is one call per string, and importing it costs 0.7 s
    a process)."""
    n = len(strings)
    if not n:
        return np.zeros(0, np.int64)
    b = list(map(str.encode, strings))  # (UTF-8)
    lens = np.fromiter(map(len, b), np.int64, n)
    s = np.empty(n, np.int64)
    group = np.searchsorted(np.array(_GROUP_WIDTHS) * 4, lens)
    for g in sorted(set(group.tolist())):  # (np.unique's first call imports numpy.ma: 10 ms)
        idx = np.flatnonzero(group == g)
        s[idx] = _murmur([b[i] for i in idx.tolist()], lens[idx])
    return np.where(s == -(2**31), (2**31 - 1 - (nf - 1)) % nf, np.abs(s) % nf)


def _char_grams(word: str) -> list[str]:
    """scikit-learn's char_wb 2–4-grams of one whitespace-separated word."""
    w = " " + word + " "
    out: list[str] = []
    for n in (2, 3, 4):
        if len(w) <= n:  # a word shorter than n: counted once, and no longer n-grams
            out.append(w)
            break
        out += [w[i : i + n] for i in range(len(w) - n + 1)]
    return out


def _word_grams(text: str) -> list[str]:
    """scikit-learn's word 1–3-grams of ``text`` (token pattern WORD_PATTERN)."""
    toks = _TOKEN.findall(text)
    return (
        toks
        + [a + " " + b for a, b in zip(toks, toks[1:])]
        + [a + " " + b + " " + c for a, b, c in zip(toks, toks[1:], toks[2:])]
    )


def _char_ids(types: list[str], nf: int, cache: dict[str, np.ndarray]) -> list[np.ndarray]:
    """Hashed character n-gram ids of each word type (kept per word in ``cache``; new words
    hashed at once). Safe with threads sharing ``cache`` (a Dask worker's): the ids of this
    call are kept aside while another call may clear it."""
    get = cache.get
    got = dict(zip(types, map(get, types)))
    miss = [x for x, v in got.items() if v is None]
    if miss:
        cg = [_char_grams(x) for x in miss]
        flat = _hash_many([g for gs in cg for g in gs], nf)
        new = dict(zip(miss, np.split(flat, np.cumsum([len(gs) for gs in cg])[:-1])))
        got.update(new)
        if len(cache) > _CACHE_MAX:
            cache.clear()
        cache.update(new)
    return [got[x] for x in types]


def _block_scores(ids: np.ndarray, sid: np.ndarray, w: np.ndarray, n: int) -> np.ndarray:
    """Per sentence: hashed counts (ids, sentence ``sid``) dotted with ``w``, over their l2 norm."""
    u, c = np.unique(sid * len(w) + ids, return_counts=True)
    s, i = np.divmod(u, len(w))
    c = c.astype(float)
    dot = np.bincount(s, weights=c * w[i], minlength=n)
    norm = np.sqrt(np.bincount(s, weights=c * c, minlength=n))
    return np.divide(dot, norm, out=np.zeros(n), where=norm > 0)


def sentence_scores(
    sentences: list[str], w: np.ndarray, bits: int, char_cache: dict | None = None
) -> np.ndarray:
    """``sentence_matrix(sentences, bits) @ w`` without building the matrix (equal to 1e-9):
    every word n-gram of the document hashed in one call, each word's character n-grams cached
    per word, counts and norms per sentence by ``bincount`` — ~2× faster than building the
    matrix with scikit-learn's vectorizers."""
    nf, n = 2**bits, len(sentences)
    grams = [_word_grams(t) for t in sentences]
    words = [_SPACES.sub(" ", t).split() for t in sentences]
    z = np.zeros(n)
    ng = [len(g) for g in grams]
    if sum(ng):
        ids = _hash_many([g for gs in grams for g in gs], nf)
        z += _block_scores(ids, np.repeat(np.arange(n), ng), w[:nf], n)
    nw = [len(ws) for ws in words]
    if sum(nw):
        flat = [x for ws in words for x in ws]
        types = list(dict.fromkeys(flat))
        per_type = _char_ids(types, nf, {} if char_cache is None else char_cache)
        pos = {x: i for i, x in enumerate(types)}
        occ = np.fromiter(map(pos.__getitem__, flat), np.int64, len(flat))
        size = np.array([len(a) for a in per_type])
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        cnt = size[occ]  # char n-grams of each word occurrence
        first = np.repeat(start[occ] - (np.cumsum(cnt) - cnt), cnt)
        ids = np.concatenate(per_type)[first + np.arange(cnt.sum())]
        sid = np.repeat(np.repeat(np.arange(n), nw), cnt)
        z += _block_scores(ids, sid, w[nf:], n)
    return z


def scored_sentences(source: Analysis | Document) -> tuple[list, list[str]]:
    """The sentences the model scores (≥ MIN_SENT_WORDS words) and their typography-normalised
    text, as the family reads them and the build tool learns them."""
    a = Analysis.of(source)
    doc = a.doc
    nw = a.sent_nw
    sents = [s for s in doc.sentences if nw[s.index] >= MIN_SENT_WORDS]
    return sents, [doc.norm[s.start : s.end] for s in sents]


class Phrasing(FeatureFamily):
    """Sentence log-odds of a hashed n-gram model of round-trip phrasing."""

    name = "phrasing"
    explanation = "phrasing common in round trips through another language"
    version = "2"
    feature_names = tuple(f"ph_rt_{s}" for s in STATS)
    rules = (PHRASING,)
    checks = (("", "ph_rt_mean", "==", 0.0),)

    def measure(self, a: Analysis):
        return self.measure_many([a])[0]

    def measure_many(self, analyses):
        """The documents of a batch scored together: the sentences of all the documents that
        read one version of the table in one :func:`sentence_scores` call (each sentence's
        score is its own, so the same values as document by document)."""
        read = [scored_sentences(a) for a in analyses]
        scores: list[np.ndarray | None] = [None] * len(analyses)
        versions: dict[int, list[int]] = {}
        for i, (a, (sents, _)) in enumerate(zip(analyses, read)):
            if sents:
                versions.setdefault(a.table_version, []).append(i)
        model = analyses[0].res.get(META, read_model) if versions else None
        for t, docs in versions.items():
            meta = model.meta
            j = meta["heads"].index("rt")
            texts = [x for i in docs for x in read[i][1]]
            z = sentence_scores(texts, model.float_weights(t, j), int(meta["bits"]), model.char_ids)
            z = z * meta["scale"][t][j] + meta["intercept"][t][j]
            ends = np.cumsum([len(read[i][1]) for i in docs])
            for i, zi in zip(docs, np.split(z, ends[:-1])):
                scores[i] = zi
        out = []
        for a, (sents, _), z in zip(analyses, read, scores):
            v = np.zeros(len(self.feature_names))
            if z is None:
                out.append((v, []))
                continue
            meta = model.meta
            j = meta["heads"].index("rt")
            v[:] = (z.mean(), np.percentile(z, 75), z.max(), (z > 0).mean(), z.std())
            out.append((v, self._evidence(a, sents, z, model.weights[0, j], meta)))
        return out

    def _evidence(self, a: Analysis, sents, z: np.ndarray, w: np.ndarray, meta: dict):
        """Findings for the sentences with the highest log-odds above the report threshold."""
        doc = a.doc
        report = float(meta["report"]["rt"])
        nf = 2 ** int(meta["bits"])
        out = []
        for i in top_sentences(z, report, None, MAX_REPORTED):
            s = sents[i]
            text = doc.norm[s.start : s.end]
            # the 8 heaviest n-grams as written in the sentence (not those across punctuation),
            # checked in order of weight
            grams = list(dict.fromkeys(_word_grams(text)))
            ws = w[_hash_many(grams, nf)].astype(float).tolist()
            ranked = []
            for x, g in sorted(zip(ws, grams), reverse=True):
                if _WORD_CHAR.search(g) and _standing_alone(g).search(text):
                    ranked.append((x, g))
                    if len(ranked) == 8:
                        break
            # the n-grams that weigh at least a quarter of the heaviest one and name a content
            # word ('that the' or 'of' would tell a reader nothing), one flag each
            top = [g for x, g in ranked if x > 0 and x >= 0.25 * ranked[0][0]]
            taken: list[tuple[int, int]] = []
            for g in top:
                words = re.findall(r"\w+", g.lower())
                if all(w in GRAMMAR_WORDS or w.isdigit() for w in words):
                    continue
                m = re.search(r"(?<!\w)" + re.escape(g) + r"(?!\w)", text)
                lo, hi = s.start + m.start(), s.start + m.end()
                if any(lo < e and b < hi for b, e in taken):
                    continue
                taken.append((lo, hi))
                reason = PHRASING.reason("phrase", span=doc.text[lo:hi])
                out.append(PHRASING.finding(a, lo, hi, reason))
                if len(taken) == MAX_NAMED:
                    break
            if not taken:
                out.append(PHRASING.finding(a, s.start, s.end, PHRASING.reason("sentence")))
        return out
