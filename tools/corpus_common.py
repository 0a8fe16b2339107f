"""Shared helpers for the corpus build tools (tools/roundtrip.py, tools/build_corpus.py).

Loads the public originals (WMT sources/references/system outputs, Brown, ABC, CoNLL-2000)
from the data root, detokenizes the tagged corpora, cuts documents into passages of
consecutive units, and assigns documents to splits by content. Everything is deterministic
given the seed. Build-time only: nothing here is imported by the mtdetect package.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from mtdetect.persistence import sha256_file  # noqa: F401 - re-exported for the build scripts

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = 20240521
BLOCK_LINES = 100  # WMT: whole blocks of this many consecutive lines go to one split
VALID_FRAC = 0.15
TEST_FRAC_CORPORA = 0.15  # held-out slice of Brown / ABC / CoNLL-train documents
ROUNDTRIP_CACHE = PROJECT_ROOT / "data" / "cache" / "roundtrip.jsonl"

# Length buckets for passages (chosen uniformly per passage): (name, min_words, max_words).
# "s1-3" is by sentence count (1-3 units) rather than words.
BUCKETS: list[tuple[str, int, int]] = [
    ("s1-3", 0, 0),
    ("w50-150", 50, 150),
    ("w150-300", 150, 300),
    ("w300-800", 300, 800),
]


def data_root(cli_value: str | None = None) -> Path:
    """Return the public-data root: --data, else $MTDETECT_DATA, else ../shared/data."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get("MTDETECT_DATA")
    if env:
        return Path(env).expanduser().resolve()
    return (PROJECT_ROOT / ".." / "shared" / "data").resolve()


def sha1(text: str) -> str:
    """Hex sha1 of a UTF-8 string."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def rng_for(seed: int, *parts: object) -> random.Random:
    """A Random seeded from the seed and a tuple of labels (stable across runs/processes)."""
    return random.Random(f"{seed}:" + ":".join(str(p) for p in parts))


def norm_line(text: str) -> str:
    """Normalise a line for duplicate detection (case/space/quote-insensitive)."""
    t = text.lower().replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", t).strip()


def n_words(text: str) -> int:
    """Whitespace word count."""
    return len(text.split())


def interleave(pools: dict[str, list], weights: dict[str, float], n: int) -> list:
    """Take n items from per-key pools by deficit round robin on the weights."""
    taken = {k: 0 for k in pools}
    idx = {k: 0 for k in pools}
    out: list = []
    while len(out) < n:
        live = [k for k in sorted(pools) if idx[k] < len(pools[k]) and weights.get(k, 0) > 0]
        if not live:
            break
        k = min(live, key=lambda k: (taken[k] / weights[k], k))
        out.append(pools[k][idx[k]])
        idx[k] += 1
        taken[k] += 1
    return out


# --------------------------------------------------------------------------- detokenization

_ATTACH_LEFT = {",", ".", ";", ":", "?", "!", "%", ")", "]", "}", "...", "''"}
_CLITICS = {"n't", "'s", "'re", "'ve", "'d", "'ll", "'m", "'S", "N'T", "'RE", "'VE", "'LL", "'D"}
_ATTACH_RIGHT = {"(", "[", "{", "$", "US$", "C$", "A$", "HK$", "NZ$", "#"}
_PTB_MAP = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LCB-": "{",
    "-RCB-": "}",
    "-LSB-": "[",
    "-RSB-": "]",
    "\\*": "*",
    "\\*\\*": "**",
}


def _brown_fix(tokens: list[str]) -> list[str]:
    """Undo Brown markup: doubled sentence-final ; ? ! and , . ! ? moved outside quotes.

    American printed style (the Brown sources) puts , . ! ? inside the closing quote.
    """
    dedup: list[str] = []
    for tok in tokens:
        if tok in {";", "?", "!"} and dedup and dedup[-1] == tok:
            continue
        if tok == "''" and dedup and dedup[-1].endswith("''") and dedup[-1] != "''":
            continue  # 1/2'' '' (inch mark tagged twice)
        dedup.append(tok)
    fixed: list[str] = []
    for tok in dedup:
        if (
            tok in {",", ".", "!", "?"}
            and fixed
            and fixed[-1] in {"''", "'"}
            and (len(fixed) < 2 or fixed[-2] not in {",", ".", "!", "?"})
        ):
            fixed.insert(len(fixed) - 1, tok)
            continue
        fixed.append(tok)
    return fixed


def detokenize(tokens: list[str], ptb: bool = False) -> str:
    """Join corpus tokens into natural text.

    ``/'' become straight double quotes attached inward; punctuation attaches to the
    preceding word, brackets and currency signs to the following one; PTB clitics (n't,
    's, 're ...) are re-attached. With ``ptb`` a lone ' closes a quote or marks a plural
    possessive; in Brown a lone ' toggles single quotes.
    """
    if not ptb:
        tokens = _brown_fix(tokens)
    out: list[str] = []
    glue_next = False  # the next token attaches to the previous one (after an opener)
    squote_open = False
    for i, raw in enumerate(tokens):
        tok = _PTB_MAP.get(raw, raw)
        if ptb and tok == "#" and i + 1 < len(tokens) and re.match(r"[\d.]", tokens[i + 1]):
            tok = "\u00a3"
        left = False
        opener = False
        if tok == "``":
            tok, opener = '"', True
        elif tok == "''":
            tok, left = '"', True
        elif tok == "`":
            tok, opener, squote_open = "'", True, True
        elif tok == "'":
            if ptb:
                left = True
                squote_open = False
            elif squote_open:
                left, squote_open = True, False
            else:
                opener, squote_open = True, True
        elif tok in _ATTACH_LEFT or tok in _CLITICS:
            left = True
        elif tok in _ATTACH_RIGHT or tok == "\u00a3":
            opener = True
        if tok == "." and out and out[-1].endswith("."):
            continue  # "Jr." + "." at the end of a sentence
        if not out or glue_next or left:
            out.append(tok)
        else:
            out.append(" " + tok)
        glue_next = opener
    text = "".join(out)
    text = re.sub(r"\s+", " ", text).strip()
    return text


# --------------------------------------------------------------------------- sentence split

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sr",
    "jr",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "gen",
    "gov",
    "sen",
    "rep",
    "rev",
    "capt",
    "col",
    "lt",
    "sgt",
    "mt",
    "ft",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "a.m",
    "p.m",
    "approx",
    "dept",
    "est",
    "fig",
    "al",
}
_SPLIT_RE = re.compile(r"([.!?]+[\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Conservative regex sentence splitter (used to round-trip multi-sentence units)."""
    parts: list[str] = []
    start = 0
    for m in _SPLIT_RE.finditer(text):
        before = text[start : m.start()]
        last = before.split()[-1].lower().rstrip(".") if before.split() else ""
        if m.group(1).startswith(".") and (last in _ABBREV or len(last) == 1):
            continue
        parts.append(text[start : m.end(1)].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p]


# --------------------------------------------------------------------------- documents


@dataclass
class Doc:
    """A run of consecutive units that is the unit of split assignment.

    ``units`` are the text units (sentences/lines); ``breaks[i]`` is the separator placed
    before unit i in a passage ("" for the first, " " same paragraph, "\\n\\n" new one).
    """

    source: str  # wmt21-src, wmt22-src, brown, abc, conll
    doc_id: str
    units: list[str]
    breaks: list[str]
    path: str  # file path relative to the data root
    meta: dict = field(default_factory=dict)
    split: str = ""
    line_ids: list[int] = field(default_factory=list)  # original line numbers (0-based)


@dataclass
class Passage:
    """Consecutive units [start, end) of a Doc."""

    doc: Doc
    start: int
    end: int
    bucket: str

    @property
    def pid(self) -> str:
        """Stable passage id (also the group id of all its versions)."""
        return f"{self.doc.doc_id}:{self.start}-{self.end}"

    @property
    def units(self) -> list[str]:
        """The units of the passage."""
        return self.doc.units[self.start : self.end]

    def join(self, units: list[str]) -> str:
        """Join replacement units with this passage's separators."""
        seps = self.doc.breaks[self.start : self.end]
        out = []
        for i, (sep, u) in enumerate(zip(seps, units, strict=True)):
            out.append(("" if i == 0 else (sep or " ")) + u)
        return "".join(out)

    @property
    def text(self) -> str:
        """The original passage text."""
        return self.join(self.units)


def segment(units_words: list[int], rng: random.Random) -> list[tuple[int, int, str]]:
    """Cut a sequence of units (given their word counts) into consecutive passages.

    Each passage draws a bucket uniformly: 1-3 units, or a target word count in
    [50,150], [150,300], [300,800]; units are added until the target is reached.
    """
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(units_words)
    while i < n:
        name, lo, hi = BUCKETS[rng.randrange(len(BUCKETS))]
        if name == "s1-3":
            j = min(n, i + rng.randint(1, 3))
        else:
            target = rng.uniform(lo, hi)
            j, words = i, 0
            while j < n and words < target:
                if words and words + units_words[j] > hi:
                    break
                words += units_words[j]
                j += 1
        out.append((i, j, name))
        i = j
    return out


def passages_of(doc: Doc, seed: int) -> list[Passage]:
    """Deterministic passages of a document."""
    rng = rng_for(seed, "segment", doc.doc_id)
    return [
        Passage(doc, a, b, name) for a, b, name in segment([n_words(u) for u in doc.units], rng)
    ]


def _assign_splits(
    docs: list[Doc], seed: int, key: str, test_frac: float, valid_frac: float = VALID_FRAC
) -> None:
    """Assign test/valid/train to docs with exact proportions via a seeded shuffle."""
    order = sorted(docs, key=lambda d: d.doc_id)
    rng_for(seed, "split", key).shuffle(order)
    n = len(order)
    n_test = round(n * test_frac)
    n_valid = round((n - n_test) * valid_frac)
    if valid_frac > 0 and n - n_test >= 3:
        n_valid = max(1, n_valid)
    for k, d in enumerate(order):
        d.split = "test" if k < n_test else ("valid" if k < n_test + n_valid else "train")


def read_text(path: Path) -> str:
    """Read a text file: UTF-8, else cp1252; C1 control characters are mapped via cp1252."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")

    def _c1(m: re.Match[str]) -> str:
        try:
            return m.group(0).encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return " "

    return re.sub(r"[\x80-\x9f]", _c1, text)


def _read_lines(path: Path) -> list[str]:
    return [ln.rstrip("\r") for ln in read_text(path).split("\n")]


def load_wmt_sources(root: Path, year: str, seed: int) -> list[Doc]:
    """Original-English WMT source lines of a year, deduplicated by text across en-XX pairs.

    Lines are taken file by file (sorted), keeping the first occurrence of each text (a line
    is dropped if it or any of its sentences was seen before), and
    cut into blocks of BLOCK_LINES consecutive kept lines per file. WMT22 goes to test;
    WMT21 blocks are split train/valid.
    """
    seen: set[str] = set()
    # Some XX-en references are the original English of the en-XX set (WMT22 liv-en): the
    # corpus uses those lines as references, not again as sources.
    for path in sorted((root / year / "references").glob("*.en")):
        for line in _read_lines(path):
            if line.strip():
                seen.add(norm_line(line))
    docs: list[Doc] = []
    for path in sorted((root / year / "sources").glob("*.src.en")):
        pair = path.name.split(".")[1]
        kept: list[tuple[int, str]] = []
        for i, line in enumerate(_read_lines(path)):
            t = line.strip()
            # Some pairs segment by paragraph, others by sentence: compare both levels.
            keys = {norm_line(t)} | {norm_line(x) for x in split_sentences(t) if len(x) >= 25}
            if not t or keys & seen:
                continue
            seen |= keys
            kept.append((i, t))
        for b in range(0, len(kept), BLOCK_LINES):
            chunk = kept[b : b + BLOCK_LINES]
            docs.append(
                Doc(
                    source=f"{year}-src",
                    doc_id=f"{year}-src:{pair}:b{b // BLOCK_LINES:03d}",
                    units=[t for _, t in chunk],
                    breaks=[" "] * len(chunk),
                    path=str(path.relative_to(root)),
                    line_ids=[i for i, _ in chunk],
                    meta={
                        "year": year,
                        "langpair": pair,
                        "register": "news" if year == "wmt21" else "mixed",
                    },
                )
            )
    if year == "wmt22":
        for d in docs:
            d.split = "test"
    else:
        _assign_splits(docs, seed, f"{year}-src", test_frac=0.0)
    return docs


def brown_categories(root: Path) -> dict[str, str]:
    """Brown file id -> genre (from cats.txt)."""
    cats: dict[str, str] = {}
    for line in _read_lines(root / "corpora" / "brown" / "cats.txt"):
        parts = line.split()
        if len(parts) >= 2:
            cats[parts[0]] = parts[1]
    return cats


def load_brown(root: Path, seed: int) -> list[Doc]:
    """Brown files as documents of detokenized sentences (headline lines dropped).

    Paragraphs (blank-line separated in the corpus) are kept as "\\n\\n" breaks.
    Split: per genre, ~15% of files test, 15% of the rest valid.
    """
    cats = brown_categories(root)
    docs: list[Doc] = []
    for fid in sorted(cats):
        path = root / "corpora" / "brown" / fid
        raw = read_text(path)
        units: list[str] = []
        breaks: list[str] = []
        for para in re.split(r"\n\s*\n", raw):
            new_para = True
            for line in para.split("\n"):
                toks = line.split()
                if not toks:
                    continue
                pairs = [t.rsplit("/", 1) if "/" in t else [t, ""] for t in toks]
                words = [w for w, _ in pairs]
                tags = [tag for _, tag in pairs]
                if all(tag.endswith("-hl") for tag in tags):
                    continue  # headline
                sent = detokenize(list(words))
                if n_words(sent) < 2:
                    continue
                units.append(sent)
                breaks.append("\n\n" if new_para else " ")
                new_para = False
        docs.append(
            Doc(
                "brown",
                f"brown:{fid}",
                units,
                breaks,
                str(path.relative_to(root)),
                meta={"genre": cats[fid], "register": cats[fid], "file": fid},
            )
        )
    by_genre: dict[str, list[Doc]] = {}
    for d in docs:
        by_genre.setdefault(d.meta["genre"], []).append(d)
    for genre, ds in by_genre.items():
        _assign_splits(ds, seed, f"brown:{genre}", test_frac=TEST_FRAC_CORPORA)
    return docs


ABC_ARTICLES_PER_DOC = 20


def load_abc(root: Path, seed: int) -> list[Doc]:
    """ABC science/rural transcripts; a doc is a block of 20 consecutive articles.

    Articles are blank-line separated; the first line (headline) is dropped. Lines of an
    article are joined with spaces, articles with "\\n\\n".
    """
    docs: list[Doc] = []
    for name in ("rural", "science"):
        path = root / "corpora" / "abc" / f"{name}.txt"
        articles: list[list[str]] = []
        for block in re.split(r"\n\s*\n", read_text(path)):
            lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
            if len(lines) >= 2 and not re.search(r"[.!?\"']$", lines[0]):
                lines = lines[1:]
            lines = [ln for ln in lines if n_words(ln) >= 2]
            if lines:
                articles.append(lines)
        fdocs = []
        for b in range(0, len(articles), ABC_ARTICLES_PER_DOC):
            units, breaks = [], []
            for art in articles[b : b + ABC_ARTICLES_PER_DOC]:
                for k, ln in enumerate(art):
                    units.append(ln)
                    breaks.append("\n\n" if k == 0 else " ")
            fdocs.append(
                Doc(
                    "abc",
                    f"abc:{name}:b{b // ABC_ARTICLES_PER_DOC:03d}",
                    units,
                    breaks,
                    str(path.relative_to(root)),
                    meta={"register": f"abc-{name}", "file": f"{name}.txt"},
                )
            )
        _assign_splits(fdocs, seed, f"abc:{name}", test_frac=TEST_FRAC_CORPORA)
        docs.extend(fdocs)
    return docs


CONLL_SENTS_PER_DOC = 50


def load_conll(root: Path, seed: int) -> list[Doc]:
    """CoNLL-2000 WSJ sentences (detokenized), blocks of 50 consecutive sentences.

    test.txt (WSJ section 20) is held out for test; train.txt blocks are split train/valid.
    """
    docs: list[Doc] = []
    for name in ("train", "test"):
        path = root / "corpora" / "conll2000" / f"{name}.txt"
        sents: list[str] = []
        toks: list[str] = []
        for line in _read_lines(path) + [""]:
            if line.strip():
                toks.append(line.split()[0])
            elif toks:
                s = detokenize(toks, ptb=True)
                if n_words(s) >= 2:
                    sents.append(s)
                toks = []
        fdocs = []
        for b in range(0, len(sents), CONLL_SENTS_PER_DOC):
            chunk = sents[b : b + CONLL_SENTS_PER_DOC]
            fdocs.append(
                Doc(
                    "conll",
                    f"conll:{name}:b{b // CONLL_SENTS_PER_DOC:03d}",
                    chunk,
                    [" "] * len(chunk),
                    str(path.relative_to(root)),
                    meta={"register": "wsj", "file": f"{name}.txt"},
                )
            )
        if name == "test":
            for d in fdocs:
                d.split = "test"
        else:
            _assign_splits(fdocs, seed, "conll:train", test_frac=0.0)
        docs.extend(fdocs)
    return docs


def load_originals(
    root: Path,
    seed: int,
    sources: tuple[str, ...] = ("wmt21-src", "wmt22-src", "brown", "abc", "conll"),
) -> list[Doc]:
    """All original-English documents of the requested sources, with splits assigned."""
    docs: list[Doc] = []
    if "wmt21-src" in sources:
        docs += load_wmt_sources(root, "wmt21", seed)
    if "wmt22-src" in sources:
        docs += load_wmt_sources(root, "wmt22", seed)
    if "brown" in sources:
        docs += load_brown(root, seed)
    if "abc" in sources:
        docs += load_abc(root, seed)
    if "conll" in sources:
        docs += load_conll(root, seed)
    return docs


# --------------------------------------------------------------------------- round trip

RT_SOURCES = ("wmt21-src", "wmt22-src", "brown", "abc")
# Share of the round-trip sentence budget per source (deficit round robin; prefix-stable).
RT_WEIGHTS = {"wmt21-src": 0.10, "wmt22-src": 0.12, "brown": 0.46, "abc": 0.32}
RT_MAX_UNIT_WORDS = 80


def rt_sentences(passage: Passage) -> list[list[str]]:
    """Sentences to translate for each unit of a passage (units split into sentences)."""
    return [split_sentences(u) for u in passage.units]


def rt_eligible(passage: Passage) -> bool:
    """Round-trip only passages whose units are of reasonable length."""
    return all(0 < n_words(u) <= RT_MAX_UNIT_WORDS for u in passage.units)


def roundtrip_order(docs: list[Doc], seed: int) -> list[Passage]:
    """Deterministic, prefix-stable order of passages to round-trip.

    Each source's eligible passages are shuffled with the seed; sources are interleaved by
    deficit round robin on sentence counts according to RT_WEIGHTS, so truncating the list
    at any sentence budget keeps the source mix.
    """
    per: dict[str, list[Passage]] = {}
    for d in sorted(docs, key=lambda d: d.doc_id):
        if d.source in RT_SOURCES:
            per.setdefault(d.source, []).extend(p for p in passages_of(d, seed) if rt_eligible(p))
    for src, lst in per.items():
        rng_for(seed, "rt-order", src).shuffle(lst)
    taken = {s: 0 for s in per}
    idx = {s: 0 for s in per}
    out: list[Passage] = []
    while True:
        live = [s for s in sorted(per) if idx[s] < len(per[s])]
        if not live:
            break
        s = min(live, key=lambda s: (taken[s] / RT_WEIGHTS[s], s))
        p = per[s][idx[s]]
        idx[s] += 1
        taken[s] += sum(len(x) for x in rt_sentences(p))
        out.append(p)
    return out


def load_rt_cache(path: Path = ROUNDTRIP_CACHE) -> dict[str, dict]:
    """Round-trip cache: sha1(english sentence) -> record."""
    cache: dict[str, dict] = {}
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a torn last line from an interrupted run
                cache[rec["key"]] = rec
    return cache


def load_train_records(paths: list[str], split: str = "train") -> list[dict]:
    """Records of the labelled corpus files ``paths``; refuses anything but the train split
    (tables learned from the corpus must never see valid or test). ``split="valid"`` reads
    validation records the same way (for thresholds set on held-out data)."""
    recs: list[dict] = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            recs += [json.loads(line) for line in fh if line.strip()]
    bad = {r.get("split") for r in recs} - {split, None}
    if bad:
        raise SystemExit(f"{split}-split records only (found splits {sorted(bad)})")
    return recs
