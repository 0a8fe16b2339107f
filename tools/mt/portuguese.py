"""Portuguese news for one-way PT->EN translation: MAC-MORPHO (Brazilian) and Floresta
(European), read into documents of natural sentences.

MAC-MORPHO has one ``word_TAG`` token a line and sentences ending in ``._.``; about half of
its files mark articles with a header (read_mac_morpho), the rest have no document markers.
Its contractions and enclitics are split into tokens joined by a ``|+`` tag suffix
(``em_PREP|+ a_ART`` = "na", ``tornou_V|+ se_PROPESS`` = "tornou-se"), which we put back. Its
files are one newspaper section and month each: a file is the unit of split assignment (no
article can straddle two splits); articles (where marked, else the whole file) cut into runs
of at most ``MM_SENTS_PER_DOC`` sentences are the documents passages are cut from.

Floresta keeps each sentence's raw text on its ``#N ID text`` line; ``CPn-k`` is sentence k
of extract n of CETEMPublico (European), ``CFn-k`` of CETENFolha (Brazilian: Folha de S.
Paulo, the newspaper MAC-MORPHO is drawn from, so it is left out rather than risk the same
text on both sides of a split). Extracts are short and unrelated to each other: an extract is
a paragraph and blocks of ``FL_EXTRACTS_PER_DOC`` consecutive extracts are the documents
(split unit). Titles and bylines (units without final punctuation) are dropped.

Both files are ISO-8859-1.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools import corpus_common as cc

MM_DIR = Path("corpora") / "portuguese" / "mac_morpho"
FL_FILE = Path("corpora") / "portuguese" / "floresta" / "Floresta_7.4.ptb"
MM_SENTS_PER_DOC = 40
FL_EXTRACTS_PER_DOC = 20
# Floresta gives only ~500 passages: a larger test share makes its held-out figure readable.
FL_TEST_FRAC = 0.3
ENCODING = "iso-8859-1"

# Preposition + following word -> the contracted form written in Portuguese (the pairs
# MAC-MORPHO splits; lower case, the case of the preposition is restored).
_DEMONSTRATIVES = [
    f"{base}{end}" for base in ("est", "ess", "aquel") for end in ("e", "a", "es", "as")
] + ["isto", "isso", "aquilo"]
_PERSONAL = ["ele", "ela", "eles", "elas"]
CONTRACTIONS: dict[tuple[str, str], str] = {
    **{
        ("de", w): "d" + w
        for w in ["o", "a", "os", "as", *_PERSONAL, *_DEMONSTRATIVES, "aqui", "aí", "ali", "entre"]
    },
    **{("em", w): "n" + w for w in ["o", "a", "os", "as", *_PERSONAL, *_DEMONSTRATIVES]},
    **{("em", w): "n" + w for w in ["um", "uma", "uns", "umas"]},
    **{("a", w): "à" + w[1:] for w in ["aquele", "aquela", "aqueles", "aquelas", "aquilo"]},
    ("a", "o"): "ao",
    ("a", "os"): "aos",
    ("a", "a"): "à",
    ("a", "as"): "às",
    **{("por", w): "pel" + w for w in ["o", "a", "os", "as"]},
    **{("para", w): "pr" + w for w in ["o", "a", "os", "as"]},
}
# Words after which MAC-MORPHO's sentence-final period is an abbreviation's.
ABBREVIATIONS = {
    "tel",
    "pág",
    "pg",
    "p",
    "r",
    "av",
    "art",
    "arts",
    "dr",
    "dra",
    "sr",
    "sra",
    "srs",
    "prof",
    "profa",
    "n",
    "nº",
    "º",
    "ª",
    "cia",
    "ltda",
    "jr",
    "ex",
    "gen",
    "cel",
    "ten",
    "cap",
    "dep",
    "sen",
    "min",
    "vol",
    "ed",
    "apt",
    "aprox",
    "s",
    "inc",
    "co",
}
_ATTACH_LEFT = {",", ".", ";", ":", "?", "!", "%", ")", "]", "}", "...", "»"}
_ATTACH_RIGHT = {"(", "[", "{", "«"}
_QUOTES = {'"', "'"}


def _split_token(line: str) -> tuple[str, str]:
    """``word_TAG`` -> (word, tag); the word may itself contain underscores."""
    word, _, tag = line.strip().rpartition("_")
    return (word, tag) if word else (tag, "")


def _contract(prep: str, nxt: str) -> str | None:
    """The contracted form of ``prep`` + ``nxt`` ("Em" + "a" -> "Na"), or None."""
    form = CONTRACTIONS.get((prep.lower(), nxt.lower()))
    if form is None:
        return None
    if prep[:1].isupper():
        form = form[:1].upper() + form[1:]
    return form


def mm_words(tokens: list[tuple[str, str]]) -> list[str]:
    """Re-join MAC-MORPHO's split contractions (``|+``) into written words."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        word, tag = tokens[i]
        while tag.endswith("|+") and i + 1 < len(tokens):
            nxt, ntag = tokens[i + 1]
            if tag.startswith(("V", "VAUX")):
                word, tag = f"{word}-{nxt}", ntag  # enclisis: tornou-se, fazê-lo
            else:
                form = _contract(word, nxt) if tag.startswith("PREP") else None
                if form is None:
                    break  # a multiword unit (a partir de, além de): the words stay apart
                word, tag = form, ntag
            i += 1
        out.append(word)
        i += 1
    return out


def detokenize_pt(words: list[str]) -> str:
    """Join Portuguese tokens into text: punctuation attaches left, brackets and guillemets
    right, straight quotes open or close by parity (and close before punctuation)."""
    out: list[str] = []
    glue = False
    open_q: dict[str, bool] = {q: False for q in _QUOTES}
    for i, w in enumerate(words):
        left = w in _ATTACH_LEFT
        opener = w in _ATTACH_RIGHT
        if w in _QUOTES:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            closing = open_q[w] or (bool(out) and (nxt in _ATTACH_LEFT or not nxt))
            left, opener = closing, not closing
            open_q[w] = not closing
        out.append(w if not out or glue or left else " " + w)
        glue = opener
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _abbreviation(word: str) -> bool:
    """MAC-MORPHO ends a sentence at the period of "tel.", "av.", initials...: not an end."""
    return word.lower().rstrip(".") in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def read_mac_morpho(path: Path) -> list[list[str]]:
    """The articles of one MAC-MORPHO file, each a list of sentences of natural text.

    About half the files mark articles with a header "Editoria: SECTION PáGINA: PAGE" glued
    into the token stream after the headline: the header starts a new article, and it and
    the headline (the words since the last sentence end) are dropped. A file without headers
    is one article.
    """
    toks = [_split_token(ln) for ln in path.read_text(encoding=ENCODING).splitlines()]
    toks = [t for t in toks if t[0]]
    articles: list[list[str]] = [[]]
    sent: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        word, tag = toks[i]
        if word == "Editoria" and i + 1 < len(toks) and toks[i + 1][0] == ":":
            sent = []  # the headline
            page = next(
                (k for k in range(i + 2, min(len(toks), i + 12)) if toks[k][0].upper() == "PÁGINA"),
                i,
            )
            i = page + 3 if page > i else i + 2  # PáGINA : N
            if articles[-1]:
                articles.append([])
            continue
        sent.append((word, tag))
        if word == "." and tag == "." and not (len(sent) > 1 and _abbreviation(sent[-2][0])):
            articles[-1].append(detokenize_pt(mm_words(sent)))
            sent = []
        i += 1
    if sent:
        articles[-1].append(detokenize_pt(mm_words(sent)))
    # A few sentences start in lower case (a lost headline before them): capitalise.
    return [
        [s[:1].upper() + s[1:] for s in art if cc.n_words(s) >= 2]
        for art in articles
        if any(cc.n_words(s) >= 2 for s in art)
    ]


def _ends_sentence(text: str) -> bool:
    """Titles and bylines carry no final punctuation."""
    return bool(re.search(r"[.!?:;…][\"'»)]*$", text.strip()))


def read_floresta(path: Path, prefix: str = "CP") -> list[tuple[str, list[str]]]:
    """(extract id, sentences) of the Floresta extracts whose ids start with ``prefix``."""
    extracts: dict[str, list[str]] = {}
    pat = re.compile(r"^#\d+ (C[A-Z]\d+)-\d+\S* (.*)$")
    for line in path.read_text(encoding=ENCODING).splitlines():
        m = pat.match(line)
        if not m or not m.group(1).startswith(prefix):
            continue
        text = re.sub(r"\s+", " ", m.group(2)).strip()
        if text and _ends_sentence(text) and cc.n_words(text) >= 2:
            extracts.setdefault(m.group(1), []).append(text)
    return list(extracts.items())


def load_mac_morpho(root: Path, seed: int) -> list[cc.Doc]:
    """MAC-MORPHO pseudo-documents (``MM_SENTS_PER_DOC`` sentences); splits by file, per
    newspaper section (the first two letters of the file name)."""
    seen: set[str] = set()
    by_file: dict[str, list[cc.Doc]] = {}
    for path in sorted((root / MM_DIR).glob("*.txt")):
        docs = []
        for a, article in enumerate(read_mac_morpho(path)):
            sents = []
            for s in article:
                key = cc.norm_line(s)
                if key not in seen:  # boilerplate lines repeat across issues
                    seen.add(key)
                    sents.append(s)
            for b in range(0, len(sents), MM_SENTS_PER_DOC):
                chunk = sents[b : b + MM_SENTS_PER_DOC]
                docs.append(
                    cc.Doc(
                        "pt2en:br",
                        f"pt2en:br:{path.stem}:a{a:03d}b{b // MM_SENTS_PER_DOC:02d}",
                        chunk,
                        [" "] * len(chunk),
                        str(path.relative_to(root)),
                        meta={"variety": "pt-BR", "file": path.name, "section": path.stem[:2]},
                    )
                )
        by_file[path.stem] = docs
    assign_by_unit(by_file, seed, "pt2en:br", key=lambda stem: stem[:2])
    return [d for stem in sorted(by_file) for d in by_file[stem]]


def load_floresta(root: Path, seed: int) -> list[cc.Doc]:
    """Floresta CETEMPublico sentences in blocks of ``FL_EXTRACTS_PER_DOC`` extracts; each
    extract is a paragraph; splits by block."""
    path = root / FL_FILE
    extracts = read_floresta(path, "CP")
    docs = []
    for b in range(0, len(extracts), FL_EXTRACTS_PER_DOC):
        block = extracts[b : b + FL_EXTRACTS_PER_DOC]
        units = [s for _, sents in block for s in sents]
        breaks = [("\n\n" if k == 0 else " ") for _, sents in block for k in range(len(sents))]
        docs.append(
            cc.Doc(
                "pt2en:pt",
                f"pt2en:pt:b{b // FL_EXTRACTS_PER_DOC:03d}",
                units,
                breaks,
                str(path.relative_to(root)),
                meta={"variety": "pt-PT", "extracts": [x for x, _ in block]},
            )
        )
    cc._assign_splits(docs, seed, "pt2en:pt", test_frac=FL_TEST_FRAC)
    return docs


def assign_by_unit(units: dict[str, list[cc.Doc]], seed: int, name: str, key) -> None:
    """Give every doc of a unit (a file) the unit's split; units are split per stratum."""
    strata: dict[str, list[cc.Doc]] = {}
    for unit in sorted(units):
        # One stand-in Doc per unit carries the split choice.
        strata.setdefault(key(unit), []).append(cc.Doc(name, unit, [], [], ""))
    for stratum, stand_ins in sorted(strata.items()):
        cc._assign_splits(stand_ins, seed, f"{name}:{stratum}", test_frac=cc.TEST_FRAC_CORPORA)
        for s in stand_ins:
            for d in units[s.doc_id]:
                d.split = s.split
