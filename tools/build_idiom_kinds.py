"""Build the word-kind table of the idiom matcher (build time only).

A distorted idiom keeps the idiom and changes one word for a word *of the same kind*: "let the
cat out of the box" (an artifact for an artifact), "the early bird catches the beetle" (an
animal for an animal). The relatives table (``idiom_related.tsv``) lists at most 120 relatives of
each idiom word; this table generalises it: for every word of the reference LM's vocabulary
that Open English WordNet knows as a noun or a verb, the lexicographer files (``noun.animal``,
``noun.artifact``, ``verb.consumption``...) of its first senses, so the matcher can accept any
word whose kind agrees with the idiom word's (see ``Matcher``), whatever the tables list.

Writes ``mtdetect/resources/idiom_kinds.tsv``: a header naming the kinds in order, then rows
``word<TAB>kind indices`` (space-separated). Adjectives and adverbs get no kind of their own
(WordNet files them all under ``adj.all``); a quality adjective is matched through its noun
senses ("blue", "green": ``noun.attribute``).

Usage: ``.venv/bin/python -m tools.build_idiom_kinds [--data ../shared/data]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mtdetect import refstats
from tools.corpus_common import data_root
from tools.idiom_relatives import WordNet, _pos

OUT = Path(__file__).resolve().parent.parent / "mtdetect" / "resources" / "idiom_kinds.tsv"
#: senses per part of speech whose lexicographer file counts (later senses are rare uses)
SENSES = 3
#: files too broad to say two words are of a kind
SKIP = frozenset({"noun.Tops"})


def kinds_of(wn: WordNet, word: str) -> list[str]:
    """The lexicographer files of the first ``SENSES`` noun and verb senses of ``word``."""
    out: list[str] = []
    for pos in ("n", "v"):
        senses = [s for s in wn.lookup(word) if _pos(s) == pos][:SENSES]
        for s in senses:
            name = wn.lexname.get(s, "")
            if name and name not in SKIP and name not in out:
                out.append(name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    wn = WordNet(data_root(args.data) / "thesaurus" / "oewn" / "src" / "yaml")
    rs = refstats.load()
    names: dict[str, int] = {}
    rows = []
    for word in rs.words[: rs.lm_size]:
        if not word.isalpha() or not word.islower() or len(word) < 3:
            continue
        ks = kinds_of(wn, word)
        if ks:
            rows.append((word, sorted(names.setdefault(k, len(names)) for k in ks)))
    rows.sort()
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(
            "# Word kinds for the idiom matcher: the WordNet lexicographer files of the first\n"
            f"# {SENSES} noun and verb senses of each lowercase word of the reference LM's\n"
            "# vocabulary (refstats/). Derived from Open English WordNet (CC BY 4.0; derived from\n"
            "# Princeton WordNet 3.0, WordNet licence) by tools/build_idiom_kinds.py.\n"
            "# kinds: " + " ".join(sorted(names, key=names.get)) + "\n"
        )
        for word, ids in rows:
            f.write(f"{word}\t{' '.join(map(str, ids))}\n")
    print(f"wrote {len(rows)} words, {len(names)} kinds to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
