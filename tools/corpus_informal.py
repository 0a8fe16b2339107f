"""Informal human registers for the corpus: chat posts and product reviews.

Read from ``<data>/corpora/informal`` (NLTK data distribution; research use).

* **chat** (NPS Chat, Naval Postgraduate School): the posts of each session file in order,
  system posts (JOIN/PART/NICK/actions) dropped, one post a line; a document is a block of
  :data:`CHAT_POSTS_PER_DOC` consecutive posts, so a passage is a stretch of conversation.
* **product-reviews** (Hu & Liu 2004; Ding, Liu & Yu 2008; Amazon): each ``[t]`` line starts a
  review (its title is dropped, like ABC headlines); sentences follow ``##``; reviews are
  separated by blank lines; a document is a block of :data:`REVIEWS_PER_DOC` reviews of one
  product (files without ``[t]`` markers: blocks of :data:`SENTS_PER_PSEUDO_REVIEW`
  sentences). The first five products are lower-cased and tokenised: they are detokenised and
  their case restored (:func:`restore_case`: sentence starts, "I", letter-only acronyms without
  vowels such as "DVD", the product's name from the file header, and words capitalised in most
  of their mid-sentence uses in the reference case table). Restoration is partial (a brand the
  table does not know stays lower case, as many web reviewers write it anyway).

``pros_cons`` (short pro/con phrases) is not used: a phrase list is not running text.
Splits are by document: 15% test, 15% of the rest valid (as ABC). Build-time only.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tools import corpus_common as cc

CHAT_POSTS_PER_DOC = 100
REVIEWS_PER_DOC = 10
SENTS_PER_PSEUDO_REVIEW = 8
_TOKENISED_UPPER_SHARE = 0.005  # below this share of capitals a file is lower-cased


def load_chat(root: Path, seed: int) -> list[cc.Doc]:
    """NPS Chat sessions as documents of consecutive posts."""
    docs: list[cc.Doc] = []
    for path in sorted((root / "corpora" / "informal" / "nps_chat").glob("*.xml")):
        posts = []
        for post in ET.parse(path).getroot().iter("Post"):
            text = " ".join((post.text or "").split())
            if post.get("class") == "System" or not text:
                continue
            posts.append(text)
        session = path.stem.split("_", 1)[0]
        for b in range(0, len(posts), CHAT_POSTS_PER_DOC):
            chunk = posts[b : b + CHAT_POSTS_PER_DOC]
            docs.append(
                cc.Doc(
                    "chat",
                    f"chat:{session}:b{b // CHAT_POSTS_PER_DOC:03d}",
                    chunk,
                    ["\n"] * len(chunk),
                    str(path.relative_to(root)),
                    meta={"register": "chat", "file": path.name},
                )
            )
    cc._assign_splits(docs, seed, "chat", test_frac=cc.TEST_FRAC_CORPORA)
    return docs


_ACRONYM = re.compile(r"[bcdfghjklmnpqrstvwxz]{2,4}")
_I_FORMS = {"i", "i'm", "i've", "i'd", "i'll"}


def restore_case(sentence: str, names: set[str], cap_words: set[str]) -> str:
    """Re-case a lower-cased sentence (see the module docstring for the rules)."""

    def fix(m: re.Match[str]) -> str:
        w = m.group()
        if w in _I_FORMS:
            return "I" + w[1:]
        if w in names_map:
            return names_map[w]
        if _ACRONYM.fullmatch(w):
            return w.upper()
        if w in cap_words:
            return w[:1].upper() + w[1:]
        return w

    names_map = {n.lower(): n for n in names}
    out = re.sub(r"[a-z0-9]+(?:'[a-z]+)?", fix, sentence)
    return out[:1].upper() + out[1:] if out[:1].islower() else out


def _ptb_quotes(tokens: list[str]) -> list[str]:
    """Straight double-quote tokens as PTB opening/closing quotes (alternating)."""
    out, opening = [], True
    for t in tokens:
        if t == '"':
            t, opening = ("``" if opening else "''"), not opening
        out.append(t)
    return out


def _cap_words(words: set[str]) -> set[str]:
    """Words capitalised in most of their mid-sentence uses in human text (reference tables)."""
    from mtdetect import refstats

    ws = sorted(words)
    rate, count = refstats.load().cap_rate(ws)
    return {w for w, r, n in zip(ws, rate, count, strict=True) if n >= 3 and r >= 0.5}


def _reviews_of(path: Path) -> tuple[list[list[str]], bool]:
    """(reviews as lists of raw sentences, whether the file is lower-cased and tokenised)."""
    text = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), cc.read_text(path))
    reviews: list[list[str]] = []
    marked = "[t]" in text
    cur: list[str] = []
    for line in text.split("\n"):
        if line.startswith("[t]"):
            if cur:
                reviews.append(cur)
            cur = []
        elif "##" in line:
            s = " ".join(line.split("##", 1)[1].split())
            if s:
                cur.append(s)
    if cur:
        reviews.append(cur)
    if not marked:
        sents = [s for r in reviews for s in r]
        reviews = [
            sents[i : i + SENTS_PER_PSEUDO_REVIEW]
            for i in range(0, len(sents), SENTS_PER_PSEUDO_REVIEW)
        ]
    body = " ".join(s for r in reviews for s in r)
    letters = sum(c.isalpha() for c in body)
    lowered = sum(c.isupper() for c in body) < _TOKENISED_UPPER_SHARE * max(letters, 1)
    return reviews, lowered


def load_reviews(root: Path, seed: int) -> list[cc.Doc]:
    """Product reviews as documents of consecutive reviews of one product."""
    docs: list[cc.Doc] = []
    base = root / "corpora" / "informal"
    paths = sorted(base.glob("product_reviews_*/*.txt"))
    for path in paths:
        if path.name.lower().startswith("readme"):
            continue
        reviews, lowered = _reviews_of(path)
        if lowered:
            header = re.search(r"Product name:\s*(.+)", cc.read_text(path))
            names = set(header.group(1).split()) if header else set()
            toks = [cc.detokenize(_ptb_quotes(s.split()), ptb=True) for r in reviews for s in r]
            cap = _cap_words({w for s in toks for w in re.findall(r"[a-z]+", s)})
            it = iter(toks)
            reviews = [[restore_case(next(it), names, cap) for _ in r] for r in reviews]
        product = re.sub(r"[^A-Za-z0-9]+", "_", path.stem).strip("_").lower()
        for b in range(0, len(reviews), REVIEWS_PER_DOC):
            units: list[str] = []
            breaks: list[str] = []
            for rev in reviews[b : b + REVIEWS_PER_DOC]:
                for k, s in enumerate(rev):
                    if cc.n_words(s) >= 1:
                        units.append(s)
                        breaks.append("\n\n" if k == 0 else " ")
            if units:
                docs.append(
                    cc.Doc(
                        "product-reviews",
                        f"reviews:{product}:b{b // REVIEWS_PER_DOC:03d}",
                        units,
                        breaks,
                        str(path.relative_to(root)),
                        meta={
                            "register": "product-reviews",
                            "file": path.name,
                            "case_restored": lowered,
                        },
                    )
                )
    cc._assign_splits(docs, seed, "product-reviews", test_frac=cc.TEST_FRAC_CORPORA)
    return docs


def load_informal(root: Path, seed: int) -> list[cc.Doc]:
    """Chat and product-review documents with splits assigned."""
    return load_chat(root, seed) + load_reviews(root, seed)
