"""Spun terms: a phrase whose word-by-word synonym variant is an established term.

Paper mills and spinners turn established terms into nonsense ("haphazard woods" for "random
forest", "enormous information" for "big data"). The Problematic Paper Screener list
(``tortured.py``) knows some of them; this family catches unlisted ones. A term bank
(``resources/termbank.npz``, built by ``tools/build_termbank.py``: multi-word lemmas of Open
English WordNet, the correct side of the train third of the tortured-phrase list, idioms, and
collocations of the reference LM and of human train-split text) holds established 2-4-word
expressions as hashed keys. A 2-4-word phrase of a document has a *variant* when replacing some
of its words (or 2-3-word parts) by candidate originals — the best of the inverse-thesaurus table
of :mod:`mtdetect.swaps` and the best of the bank's own table (thesaurus neighbours of its words,
and renderings mined from real spinner output) — gives a bank term while the phrase itself is not
one. A small logistic model over what each variant shows (the term's sources, how many words
changed and how, whether the reference LM knows the phrase, how much likelier it finds the term)
decides the flag (``resources/terms_model.json``, fitted by ``tools/eval_terms.py fit`` on the
valid third of the list and valid-split human text).

Look-ups are vectorised over the whole document: a lattice of partial variants grows one piece
at a time, and only the variants that are a prefix of some bank term survive each step.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, per_1000
from mtdetect.findings import Finding
from mtdetect.lexicon import GRAMMAR_WORDS
from mtdetect.refstats import RefStats
from mtdetect.search import SortedKeys
from mtdetect.swaps import CandidateTable, candidates
from mtdetect.wording import recase, times

TERMBANK = "termbank.npz"
MODEL = "terms_model.json"
MAX_WORDS = 4  # longest observed phrase and longest term
MAX_PIECE = 3  # longest observed part replaced at once (the candidate tables' keys)
MAP_PRIOR = 220  # priors of the bank's table from this up: renderings of real spinner output
#: the hash of a phrase: FNV-1a over 64-bit word hashes (collisions: ~1e-13 per look-up)
_OFFSET = np.uint64(0xCBF29CE484222325)
_PRIME = np.uint64(0x100000001B3)
_BUCKET_BITS = 18  # buckets of the bank's look-up index (about one key each)
#: source bits of a bank term (``src``)
SOURCES = {"oewn": 1, "tortured": 2, "idiom": 4, "lm": 8, "corpus": 16}

TERM = Rule(
    id="tortured-phrase.term",
    kind="tortured-phrase",
    severity="warning",
    catches="a phrase that is a word-by-word synonym variant of an established term and is "
    'not itself established ("haphazard woods" for "random forest")',
    reasons={
        "likely": "'{text}': '{term}' is the established term ({ratio} more likely in English)",
        "term": "'{text}': '{term}' is the established term",
    },
    flags=(
        "The haphazard woods classifier was trained on every image.",
        "Firms now store enormous information about every customer.",
        "We trained a profound neural system on the pictures.",
    ),
    passes=(
        "The random forest classifier was trained on every image.",
        "Firms now store big data about every customer.",
        "We trained a deep neural network on the pictures.",
        "She walked through the dark woods to the old house.",
    ),
)


def word_hashes(words: list[str]) -> np.ndarray:
    """64-bit hashes of words (stable across processes and machines)."""
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little")
            for w in words
        ),
        dtype=np.uint64,
        count=len(words),
    )


def extend(keys: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Phrase keys with one more word (arrays of equal length; uint64 arithmetic wraps)."""
    return (keys ^ words) * _PRIME


def phrase_keys(phrases: list[list[str]]) -> np.ndarray:
    """The keys of phrases (lists of lower-case words)."""
    flat = [w for p in phrases for w in p]
    h = word_hashes(flat)
    keys = np.full(len(phrases), _OFFSET, dtype=np.uint64)
    lens = np.array([len(p) for p in phrases], dtype=np.int64)
    starts = np.cumsum(lens) - lens
    for j in range(int(lens.max()) if len(lens) else 0):
        on = lens > j
        keys[on] = extend(keys[on], h[starts[on] + j])
    return keys


@dataclass
class TermBank:
    """Established terms (sorted keys ``keys`` with source bits ``src``), the keys of their
    proper prefixes (``prefix``), and the bank's own candidate table (observed word → bank words
    it may have replaced; vocabulary ids of the reference LM whose vocabulary digest is
    ``meta["vocab_sha1"]``)."""

    keys: np.ndarray
    src: np.ndarray
    prefix: np.ndarray
    cand: CandidateTable
    meta: dict

    @cached_property
    def terms(self) -> SortedKeys:
        return SortedKeys(self.keys)

    @cached_property
    def prefixes(self) -> SortedKeys:
        return SortedKeys(self.prefix)

    @cached_property
    def _merged(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Terms and prefixes in one sorted array, with whether each is a term, a prefix, and
        its source bits (one search per lattice step instead of two)."""
        allk = np.concatenate([self.keys, self.prefix])
        flag = np.concatenate(
            [np.ones(len(self.keys), np.uint8), np.full(len(self.prefix), 2, np.uint8)]
        )
        src = np.concatenate([self.src, np.zeros(len(self.prefix), np.uint8)])
        keys, inv = np.unique(allk, return_inverse=True)
        flags = np.zeros(len(keys), np.uint8)
        np.bitwise_or.at(flags, inv, flag)
        srcs = np.zeros(len(keys), np.uint8)
        np.bitwise_or.at(srcs, inv, src)
        # the keys are uniform hashes: their top bits index a bucket of about one key, so a
        # look-up is a few direct reads instead of a binary search
        edges = np.arange(1 << _BUCKET_BITS, dtype=np.uint64) << np.uint64(64 - _BUCKET_BITS)
        off = np.append(np.searchsorted(keys, edges), len(keys)).astype(np.int64)
        return keys, flags, srcs, off

    def classify(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For phrase keys ``q``: whether each is a term, whether it is a proper prefix of one,
        and its source bits (0 if not a term)."""
        keys, flags, srcs, off = self._merged
        hit = np.full(len(q), -1, dtype=np.int64)
        b = (q >> np.uint64(64 - _BUCKET_BITS)).astype(np.int64)
        lo, cnt = off[b], off[b + 1] - off[b]
        j = 0
        live = np.flatnonzero(cnt > 0)
        while len(live):
            i = lo[live] + j
            eq = keys[i] == q[live]
            hit[live[eq]] = i[eq]
            j += 1
            live = live[~eq & (cnt[live] > j)]
        f = np.where(hit >= 0, flags[np.maximum(hit, 0)], 0)
        return (
            (f & 1) > 0,
            (f & 2) > 0,
            np.where(f & 1, srcs[np.maximum(hit, 0)], 0).astype(np.uint8),
        )

    def for_vocab(self, rs: RefStats) -> tuple[np.ndarray, CandidateTable]:
        """The word hashes of the vocabulary of ``rs``, and the bank's candidate table if it was
        built for that vocabulary (else an empty one: its ids would name other words). Computed
        once per bank and reference tables."""
        got = self.__dict__.get("_for_vocab")
        if got is None or got[0] is not rs:
            same = self.meta.get("vocab_sha1") == vocab_digest(rs.words)
            table = self.cand if same else _EMPTY_TABLE
            got = (rs, word_hashes(rs.words), table)
            self.__dict__["_for_vocab"] = got
        return got[1], got[2]


_EMPTY_TABLE = CandidateTable(
    np.zeros(0, np.uint64), np.zeros(1, np.uint32), np.zeros(0, np.uint64), np.zeros(0, np.uint8)
)


def read_bank(path: Path) -> TermBank:
    """The term bank of ``path`` (an ``.npz`` of plain arrays: loading runs no code)."""
    with np.load(path, allow_pickle=False) as z:
        arr = {k: z[k] for k in z.files}
    meta = json.loads(bytes(arr["meta"]).decode("utf-8"))
    cand = CandidateTable(arr["cand_key"], arr["cand_off"], arr["cand_a"], arr["cand_prior"])
    return TermBank(arr["keys"], arr["src"], arr["prefix"], cand, meta)


def make_bank(terms: Mapping[tuple[str, ...], int], cand: CandidateTable, meta: dict) -> TermBank:
    """The bank of ``terms`` (lower-case word tuples -> source bits) with candidate table
    ``cand``."""
    phrases = [list(t) for t in terms]
    keys = phrase_keys(phrases)
    src = np.fromiter(terms.values(), dtype=np.uint8, count=len(terms))
    o = np.argsort(keys, kind="stable")
    keys, src = keys[o], src[o]
    if len(np.unique(keys)) != len(keys):
        raise ValueError("two terms have the same key: change the hash")
    prefixes = sorted({tuple(p[:j]) for p in phrases for j in range(1, len(p))})
    prefix = np.unique(phrase_keys([list(p) for p in prefixes]))
    return TermBank(keys, src, prefix, cand, meta)


def save_bank(bank: TermBank, path: Path) -> None:
    """Write ``bank`` as :func:`read_bank` reads it."""
    meta = json.dumps(bank.meta, sort_keys=True).encode("utf-8")
    with open(path, "wb") as fh:
        np.savez_compressed(
            fh,
            keys=bank.keys,
            src=bank.src,
            prefix=bank.prefix,
            cand_key=bank.cand.key,
            cand_off=bank.cand.off,
            cand_a=bank.cand.a,
            cand_prior=bank.cand.prior,
            meta=np.frombuffer(meta, dtype=np.uint8),
        )


def vocab_digest(words: list[str]) -> str:
    """Digest of a vocabulary (the bank's candidate table is keyed by its ids)."""
    return hashlib.sha1("\n".join(words).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- options


@dataclass
class Options:
    """What each observed piece may stand for, sorted by start word: a piece of ``length``
    observed words starting at word ``pos`` stands for the term words ``ids`` (vocabulary ids,
    -1 padding; ``-2 - k`` = the observed word k itself) with hashes ``h``; ``changed``: not the
    observed word itself; ``rank``: position in its candidate list (0 = best); ``mapped``: a
    rendering that real spinner output shows (the bank's word map, prior >= ``MAP_PRIOR``)."""

    pos: np.ndarray
    length: np.ndarray
    ids: np.ndarray
    h: np.ndarray
    nw: np.ndarray
    changed: np.ndarray
    rank: np.ndarray
    mapped: np.ndarray
    off: np.ndarray  # CSR: options of word p are off[p]:off[p+1]


def _table_options(
    ct: CandidateTable, vid: np.ndarray, adj: np.ndarray, testable: np.ndarray, top: int
) -> list[tuple[np.ndarray, ...]]:
    """(pos, length, originals (n,3 ids), rank, prior) of every observed 1-3-word piece in
    ``ct``."""
    m = len(vid)
    ok = vid >= 0
    f = np.where(ok, vid + 1, 0).astype(np.uint64)
    out = []
    if not len(ct.key):
        return out
    for n in range(1, MAX_PIECE + 1):
        cnt = m - n + 1
        if cnt <= 0:
            break
        valid = ok[:cnt] & testable[:cnt]
        key = f[:cnt] << np.uint64(40)
        for j in range(1, n):
            valid &= ok[j : cnt + j] & adj[j - 1 : cnt + j - 1]
            key = key | (f[j : cnt + j] << np.uint64(20 * (2 - j)))
        idx = np.flatnonzero(valid)
        if not len(idx):
            continue
        row, found = ct.keys.lookup(key[idx])
        idx, row = idx[found], row[found]
        if not len(idx):
            continue
        lo = ct.off[row].astype(np.int64)
        hi = np.minimum(ct.off[row + 1].astype(np.int64), lo + top)
        cnt_c = hi - lo
        rep = np.repeat(np.arange(len(idx)), cnt_c)
        first = np.repeat(lo - (np.cumsum(cnt_c) - cnt_c), cnt_c)
        ci = first + np.arange(int(cnt_c.sum()))
        rank = ci - np.repeat(lo, cnt_c)
        a = CandidateTable.unpack(ct.a[ci])
        out.append((idx[rep], np.full(len(rep), n), a, rank, ct.prior[ci].astype(np.int64)))
    return out


def _respelt(part: tuple[np.ndarray, ...], us: np.ndarray) -> tuple[np.ndarray, ...]:
    """``part`` without the candidates that are the observed word in American spelling
    ("organised" -> "organized" changes no word)."""
    pos, length, ids = part[0], part[1], part[2]
    same = (length == 1) & (ids[:, 1] < 0) & (ids[:, 0] == us[pos])
    return tuple(x[~same] for x in part)


def options(
    a: Analysis, bank: TermBank, top: int, word_h: np.ndarray, vid: np.ndarray, adj: np.ndarray
) -> Options:
    """Every piece of the document and what it may stand for (itself, or candidate originals
    from :func:`mtdetect.swaps.candidates` and the bank's table)."""
    m = len(vid)
    testable = np.fromiter((w not in GRAMMAR_WORDS for w in a.words), dtype=bool, count=m)
    vh, table = bank.for_vocab(a.rs)
    us = np.where(vid >= 0, a.rs.us_arr[np.maximum(vid, 0)], -1)  # American spelling
    parts = [_respelt(p, us) for p in _table_options(candidates(a.res), vid, adj, testable, top)]
    mine = [_respelt(p, us) for p in _table_options(table, vid, adj, testable, top)]
    mapped = np.concatenate(
        [np.zeros(m + sum(len(p[0]) for p in parts), bool), *(p[4] >= MAP_PRIOR for p in mine)]
    )
    parts += mine
    ident = np.arange(m)
    pos = np.concatenate([ident, *(p[0] for p in parts)])
    length = np.concatenate([np.ones(m, np.int64), *(p[1] for p in parts)])
    ids = np.concatenate(
        [np.column_stack([-2 - ident, np.full((m, 2), -1)]), *(p[2] for p in parts)]
    ).astype(np.int64)
    rank = np.concatenate([np.zeros(m, np.int64), *(p[3] for p in parts)])
    changed = np.ones(len(pos), dtype=bool)
    changed[:m] = False
    h = np.where(ids >= 0, vh[np.maximum(ids, 0)], np.uint64(0))
    h[:m, 0] = word_h
    nw = (ids != -1).sum(axis=1)
    o = np.argsort(pos, kind="stable")
    off = np.searchsorted(pos[o], np.arange(m + 1))
    return Options(pos[o], length[o], ids[o], h[o], nw[o], changed[o], rank[o], mapped[o], off)


# --------------------------------------------------------------------------- the lattice


@dataclass
class Matches:
    """Phrases whose variant is a bank term: observed words ``start:end``, the term's words
    (``ids`` as in :class:`Options`, (n, MAX_WORDS)), its source bits, the number of changed
    pieces, the worst candidate rank used and the pieces rendered as real spinners do."""

    start: np.ndarray
    end: np.ndarray
    ids: np.ndarray
    src: np.ndarray
    changed: np.ndarray
    rank: np.ndarray
    mapped: np.ndarray


def lattice(opt: Options, bank: TermBank, starts: np.ndarray, adj: np.ndarray) -> Matches:
    """Every variant of every 2-4-word phrase beginning at ``starts`` that is a bank term."""
    m = len(opt.off) - 1
    # states: observed start and next word, key, term length, term words, changed, worst rank
    st_start = starts.astype(np.int64)
    st_pos = st_start.copy()
    st_key = np.full(len(starts), _OFFSET, dtype=np.uint64)
    st_len = np.zeros(len(starts), dtype=np.int64)
    st_ids = np.full((len(starts), MAX_WORDS), -1, dtype=np.int64)
    st_chg = np.zeros(len(starts), dtype=np.int64)
    st_rank = np.zeros(len(starts), dtype=np.int64)
    st_map = np.zeros(len(starts), dtype=np.int64)
    found: list[tuple] = []
    while len(st_start):
        # each state with each option at its next word
        lo = opt.off[st_pos]
        cnt = opt.off[st_pos + 1] - lo
        s = np.repeat(np.arange(len(st_start)), cnt)
        o = np.repeat(lo - (np.cumsum(cnt) - cnt), cnt) + np.arange(int(cnt.sum()))
        new_pos = st_pos[s] + opt.length[o]
        new_len = st_len[s] + opt.nw[o]
        keep = (new_pos - st_start[s] <= MAX_WORDS) & (new_len <= MAX_WORDS)
        s, o, new_pos, new_len = s[keep], o[keep], new_pos[keep], new_len[keep]
        key = st_key[s]
        for j in range(MAX_PIECE):
            on = opt.nw[o] > j
            key = np.where(on, extend(key, opt.h[o, j]), key)
        is_term, is_prefix, src = bank.classify(key)
        ids = st_ids[s].copy()
        base = st_len[s]
        for j in range(MAX_PIECE):
            on = opt.nw[o] > j
            rows = np.flatnonzero(on)
            ids[rows, base[rows] + j] = opt.ids[o[rows], j]
        chg = st_chg[s] + opt.changed[o]
        rank = np.maximum(st_rank[s], opt.rank[o])
        mapped = st_map[s] + opt.mapped[o]
        nobs = new_pos - st_start[s]
        done = is_term & (new_len >= 2) & (nobs >= 2) & (chg > 0)
        if done.any():
            d = np.flatnonzero(done)
            found.append((st_start[s[d]], new_pos[d], ids[d], src[d], chg[d], rank[d], mapped[d]))
        # continue where the variant is a prefix of a term and the next word is adjacent
        go = is_prefix & (new_pos < m) & (new_len < MAX_WORDS)
        go &= adj[np.minimum(new_pos - 1, m - 1)]
        g = np.flatnonzero(go)
        st_start, st_pos, st_key = st_start[s[g]], new_pos[g], key[g]
        st_len, st_ids, st_chg, st_rank = new_len[g], ids[g], chg[g], rank[g]
        st_map = mapped[g]
    if not found:
        z = np.zeros(0, dtype=np.int64)
        return Matches(z, z, np.zeros((0, MAX_WORDS), np.int64), z.astype(np.uint8), z, z, z)
    cols = list(zip(*found))
    return Matches(*(np.concatenate(c) for c in cols))


# --------------------------------------------------------------------------- the family


def term_text(ids: np.ndarray, words: list[str], rs: RefStats) -> str:
    """The words of a term (observed words for ids ``-2 - k``)."""
    out = []
    for x in ids.tolist():
        if x >= 0:
            out.append(rs.words[x])
        elif x <= -2:
            out.append(words[-2 - x])
    return " ".join(out)


@dataclass
class Variant:
    """A phrase of the document (words ``start:end``) and an established term it may stand for,
    with what the model reads (:meth:`features`): the term's source bits, the changed pieces
    (``mapped``: of them, renderings seen in real spinner output), the content words of the
    phrase left unchanged, the worst candidate rank, the LM gain (log10 P(term) - log10
    P(phrase)), whether the LM knows every word pair of the phrase, how much more frequent the
    term's words are than the phrase's (mean Zipf), the term's LM log10 probability per word and
    the lowest PMI of its word pairs, and the share of the phrase's words capitalised
    mid-sentence (names)."""

    start: int
    end: int
    term: str
    src: int
    changed: int
    mapped: int
    kept: int
    rank: int
    gain: float
    phrase_seen: bool
    commoner: float
    term_lp: float
    term_pmi: float
    capitalised: float

    def features(self) -> dict[str, float]:
        """The model's inputs."""
        return {
            "gain": min(max(self.gain, -5.0), 10.0),
            "phrase_seen": float(self.phrase_seen),
            "oewn": float(bool(self.src & SOURCES["oewn"])),
            "tortured": float(bool(self.src & SOURCES["tortured"])),
            "idiom": float(bool(self.src & SOURCES["idiom"])),
            "lm": float(bool(self.src & SOURCES["lm"])),
            "corpus_only": float(self.src == SOURCES["corpus"]),
            "changed": float(self.changed),
            "mapped": float(self.mapped),
            "kept": float(self.kept),
            "rank": math.log1p(self.rank),
            "commoner": self.commoner,
            "words": float(self.end - self.start),
            "term_words": float(self.term.count(" ") + 1),
            "term_lp": min(max(self.term_lp, -8.0), 0.0),
            "term_pmi": min(max(self.term_pmi, -3.0), 4.0),
            "capitalised": self.capitalised,
        }


@dataclass(frozen=True)
class TermModel:
    """Logistic model of a variant being spun: weights by feature name, intercept, and the
    probability from which a variant is flagged."""

    weights: dict[str, float]
    intercept: float
    threshold: float

    def prob(self, v: Variant) -> float:
        f = v.features()
        z = self.intercept + sum(w * f[k] for k, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))


def parse_model(obj: dict) -> TermModel:
    """The model of the JSON object ``terms_model.json`` holds."""
    return TermModel(dict(obj["weights"]), float(obj["intercept"]), float(obj["threshold"]))


def read_model(path: Path) -> TermModel:
    return parse_model(json.loads(path.read_text(encoding="utf-8")))


class Terms(FeatureFamily):
    name = "terms"
    explanation = "phrases that are synonym variants of established terms"
    version = "1"
    feature_names = ("term_variants_per_1000",)
    rules = (TERM,)
    # Opt-in: with spinner designs held out in turn (binary spun-vs-human check on the corpus's
    # train/valid/test splits) its feature changed no held-out AUROC by more than 0.002 and it
    # slows the vectorizer by 22-28%; its flags (recall 0.16 on the held-out tortured third, 0.43
    # false flags per 1,000 human words) are for users who train with it.
    opt_in = True
    #: candidate originals tried per observed piece and table (chosen on the valid third)
    top = 8

    def measure(self, a: Analysis) -> tuple[list[float], list[Finding]]:
        model = a.res.get(MODEL, read_model)
        scored = [(v, model.prob(v)) for v in self.variants(a)]
        findings = self.findings(a, [(v, p) for v, p in scored if p >= model.threshold])
        return [per_1000(len(findings), a.doc.n_words)], findings

    def variants(self, a: Analysis) -> list[Variant]:
        """Every phrase of the document with a variant that is an established term."""
        m = a.n
        if m < 2:
            return []
        bank = a.res.get(TERMBANK, read_bank)
        rs = a.rs
        words = a.words
        vid = rs.ids(words)
        wtok = a.wtok
        adj = np.zeros(m, dtype=bool)  # word k+1 directly follows word k in one sentence
        adj[:-1] = (wtok[1:] == wtok[:-1] + 1) & (a.wsent[1:] == a.wsent[:-1])
        distinct = list(dict.fromkeys(words))
        hd = dict(zip(distinct, word_hashes(distinct).tolist()))
        word_h = np.fromiter((hd[w] for w in words), dtype=np.uint64, count=m)
        opt = options(a, bank, self.top, word_h, vid, adj)
        mt = lattice(opt, bank, np.flatnonzero(adj), adj)
        if not len(mt.start):
            return []
        # the phrase itself must not be a term of the bank
        key = np.full(len(mt.start), _OFFSET, dtype=np.uint64)
        for j in range(MAX_WORDS):
            on = mt.start + j < mt.end
            key[on] = extend(key[on], word_h[(mt.start + j)[on]])
        _, in_bank = bank.terms.lookup(key)
        return _variants(a, vid, mt, np.flatnonzero(~in_bank))

    def findings(self, a: Analysis, flagged: list[tuple[Variant, float]]) -> list[Finding]:
        """Findings of the flagged variants: the likeliest term of each phrase, longer phrases
        first where they overlap."""
        toks = a.word_tokens
        best: dict[tuple[int, int], tuple[Variant, float]] = {}
        for v, p in flagged:
            k = (v.start, v.end)
            if k not in best or p > best[k][1]:
                best[k] = (v, p)
        out: list[Finding] = []
        taken = np.zeros(a.n, dtype=bool)
        for (s, e), (v, p) in sorted(best.items(), key=lambda x: (x[0][0] - x[0][1], -x[1][1])):
            if taken[s:e].any():
                continue
            taken[s:e] = True
            start, end = toks[s].start, toks[e - 1].end
            text = a.doc.text[start:end]
            if v.gain >= 1.0:
                reason = TERM.reason("likely", text=text, term=v.term, ratio=times(v.gain))
            else:
                reason = TERM.reason("term", text=text, term=v.term)
            sugg = recase(v.term, text, per_word=False)
            out.append(TERM.finding(a, start, end, reason, sugg, score=p))
        out.sort(key=lambda f: f.start)
        return out


FEATURES = tuple(Variant(0, 2, "a b", 0, 0, 0, 0, 0, 0.0, False, 0.0, 0.0, 0.0, 0.0).features())
VARIANT_FIELDS = tuple(f.name for f in fields(Variant))


def _variants(a: Analysis, vid: np.ndarray, mt: Matches, idx: np.ndarray) -> list[Variant]:
    """Matches ``idx`` with what the model reads, scored in one pass over all of them."""
    if not len(idx):
        return []
    rs, words = a.rs, a.words
    m = len(vid)
    s, e, tw = mt.start[idx], mt.end[idx], mt.ids[idx]
    # vocabulary ids of the term's and of the phrase's words (-1: unknown), and which are there
    t_on = tw != -1
    t_ids = np.where(tw <= -2, vid[np.maximum(-2 - tw, 0)], tw)
    pos = s[:, None] + np.arange(MAX_WORDS)
    p_on = pos < e[:, None]
    p_ids = np.where(p_on, vid[np.minimum(pos, m - 1)], -1)
    t_lp, t_pmi = _phrase_lm(rs, t_ids, t_on)
    p_lp, _ = _phrase_lm(rs, p_ids, p_on)
    p_lm = np.where(p_ids < rs.lm_size, p_ids, -1)
    pairs = p_on[:, 1:]
    seen = rs.bigram_seen(p_lm[:, :-1].ravel(), p_lm[:, 1:].ravel()).reshape(pairs.shape)
    p_seen = ((p_lm >= 0) | ~p_on).all(axis=1) & (seen | ~pairs).all(axis=1)
    t_n = t_on.sum(axis=1)
    commoner = (rs.zipf_ids(t_ids) * t_on).sum(axis=1) / t_n
    commoner -= (rs.zipf_ids(p_ids) * p_on).sum(axis=1) / p_on.sum(axis=1)
    content = np.fromiter((w not in GRAMMAR_WORDS for w in words), dtype=bool, count=m)
    kept = ((tw <= -2) & content[np.maximum(-2 - tw, 0)]).sum(axis=1)
    caps = ((a.cap & ~a.first)[np.minimum(pos, m - 1)] & p_on).sum(axis=1) / p_on.sum(axis=1)
    out = []
    for r, k in enumerate(idx.tolist()):
        out.append(
            Variant(
                start=int(s[r]),
                end=int(e[r]),
                term=term_text(tw[r], words, rs),
                src=int(mt.src[k]),
                changed=int(mt.changed[k]),
                mapped=int(mt.mapped[k]),
                kept=int(kept[r]),
                rank=int(mt.rank[k]),
                gain=float(t_lp[r] - p_lp[r]),
                phrase_seen=bool(p_seen[r]),
                commoner=float(commoner[r]),
                term_lp=float(t_lp[r] / t_n[r]),
                term_pmi=float(t_pmi[r]),
                capitalised=float(caps[r]),
            )
        )
    return out


def _phrase_lm(rs: RefStats, ids: np.ndarray, on: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log10 probability under the reference LM (no sentence start) of each row of vocabulary
    ids (words where ``on``; an unknown word breaks the history), and the lowest PMI of its
    adjacent pairs of known words (-3 if none)."""
    lm = np.where((ids >= 0) & (ids < rs.lm_size) & on, ids, -1)
    p1 = np.full_like(lm, -1)
    p1[:, 1:] = lm[:, :-1]
    p2 = np.full_like(lm, -1)
    p2[:, 2:] = lm[:, :-2]
    p2 = np.where(p1 < 0, -1, p2)
    lp, _ = rs.cond_logprob(lm.ravel(), p1.ravel(), p2.ravel())
    total = (lp.reshape(lm.shape) * on).sum(axis=1)
    pmi, _ = rs.pmi((lm[:, :-1].ravel(), lm[:, 1:].ravel()))
    pmi = pmi.reshape(len(lm), -1)
    pmi = np.where(np.isnan(pmi), np.inf, pmi).min(axis=1)
    return total, np.where(np.isinf(pmi), -3.0, pmi)


def _lm(rs: RefStats, words: list[str]) -> float:
    """log10 probability of a phrase under the reference LM (no sentence start)."""
    return float(rs.logprob_tokens(words, bos=False).sum())
