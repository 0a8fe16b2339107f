"""Loading the shipped tables of fixed expressions: English idioms, calques of foreign idioms,
and the relatives (synonyms, broader and narrower words, sister terms...) a distorted idiom may
swap in.

``idioms_en.tsv`` / ``idiom_related.tsv`` are built by ``tools/build_idioms.py``; the calques are
written by hand, one file per source language (``calques/<language code>.tsv``). Rows: ``pattern,
swappable (1/0), blocked swaps, related-table keys`` (idioms); ``pattern, source idiom, English,
example`` (calques; the language is the file's name); ``word/pos, related:relation|...``
(relatives).
"""

from __future__ import annotations

from dataclasses import replace
from importlib import import_module
from pathlib import Path

from mtdetect import resources
from mtdetect.idiomatch import compiled
from mtdetect.idiomatch.matcher import Matcher
from mtdetect.idiomatch.patterns import Entry, compile_pattern, passive

IDIOMS = "idioms_en.tsv"
CALQUES = "calques"
RELATED = "idiom_related.tsv"
KINDS = "idiom_kinds.tsv"
#: the matcher of the tables above, compiled by ``tools/compile_idioms.py`` (see .compiled)
COMPILED = "idioms_compiled.json"


def parse_related(rows: list[list[str]]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Content word → ((related word or phrase, relation code), ...)."""
    out = {}
    for row in rows:
        rels = []
        for item in row[1].split("|"):
            r, _, t = item.rpartition(":")
            rels.append((r, t))
        out[row[0]] = tuple(rels)
    return out


def parse_entries(idioms: list[list[str]], calques: list[list[str]]) -> tuple[Entry, ...]:
    """All entries: the English idioms, then the calques."""
    entries: list[Entry] = []
    for row in idioms:
        pat = row[0]
        blocked = frozenset(b for b in (row[2].split("|") if len(row) > 2 else []) if b)
        keys = tuple(
            (int(k), key)
            for k, _, key in (
                x.partition(":") for x in (row[3].split("|") if len(row) > 3 else []) if x
            )
        )
        entries.append(
            Entry(
                len(entries),
                "idiom",
                pat,
                compile_pattern(pat),
                swappable=len(row) > 1 and row[1] == "1",
                blocked=blocked,
                rel_keys=keys,
            )
        )
    for row in calques:
        pat, lang, source, english = row[:4]  # (the example, row[4], is for the tests)
        entries.append(
            Entry(
                len(entries),
                "calque",
                pat,
                compile_pattern(pat),
                lang=lang,
                source=source,
                english=english,
            )
        )
    return tuple(entries) + passives(entries)


def passives(entries: list[Entry]) -> tuple[Entry, ...]:
    """The passive variants of the entries that have one (ids following theirs), with the
    element indices of their swap keys and blocked swaps mapped to the new order."""
    out: list[Entry] = []
    for e in entries:
        got = passive(e.elems)
        if got is None:
            continue
        elems, origin = got
        new = {old: i for i, old in enumerate(origin) if old >= 0}
        blocked = frozenset(
            f"{new[int(k)]}:{w}" for k, _, w in (b.partition(":") for b in e.blocked)
        )
        keys = tuple((new[k], key) for k, key in e.rel_keys)
        out.append(
            replace(
                e,
                id=len(entries) + len(out),
                elems=elems,
                blocked=blocked,
                rel_keys=keys,
                variant="passive",
                origin=origin,
            )
        )
    return tuple(out)


def read_calques(folder: Path) -> list[list[str]]:
    """The calque rows of every language file of ``folder``, as ``pattern, language, source,
    English, example`` (the language is the file name: ``de.tsv``)."""
    return [
        [row[0], path.stem, *row[1:]]
        for path in sorted(folder.glob("*.tsv"))
        for row in resources.rows(path)
    ]


def read_entries(idioms: Path) -> tuple[Entry, ...]:
    """The entries of the idiom table ``idioms`` and the calque files beside it."""
    return parse_entries(resources.rows(idioms), read_calques(idioms.with_name(CALQUES)))


def read_kinds(path: Path) -> dict[str, frozenset[str]]:
    """Word → its kinds (WordNet lexicographer files; the header's ``# kinds:`` line names them
    by index; built by ``tools/build_idiom_kinds.py``). No table: no kinds."""
    if not path.is_file():
        return {}
    names: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# kinds:"):
            names = line.split(":", 1)[1].split()
            break
    sets: dict[str, frozenset[str]] = {}  # one frozenset per distinct row (few hundred)
    return {
        row[0]: sets.setdefault(row[1], frozenset(names[int(i)] for i in row[1].split()))
        for row in resources.rows(path)
    }


def read_related(path: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    return parse_related(resources.rows(path))


def read_matcher(idioms: Path) -> Matcher:
    """A matcher over the idiom table ``idioms`` and the calque, related and kind tables
    beside it, read now (not cached: ``tools/build_idioms.py`` reads the tables it has just
    written)."""
    return Matcher(
        read_entries(idioms),
        read_related(idioms.with_name(RELATED)),
        read_kinds(idioms.with_name(KINDS)),
    )


def source_tables(idioms: Path) -> list[Path]:
    """The tables ``read_matcher(idioms)`` reads."""
    calques = sorted(idioms.with_name(CALQUES).glob("*.tsv"))
    return [idioms, idioms.with_name(RELATED), idioms.with_name(KINDS), *calques]


#: the modules that make a matcher of the tables
_CODE = (
    "idiomatch.tables",
    "idiomatch.patterns",
    "idiomatch.matcher",
    "idiomatch.compiled",
    "lexicon",
    "morphology.forms",
    "morphology.inflector",
    "morphology.rules",
    "morphology.table",
)


def source_files(idioms: Path) -> list[Path]:
    """What the compiled form of the matcher over ``idioms`` is made from: its tables, and the
    modules that turn them into a matcher (a change to either makes the compiled form stale)."""
    code = [import_module(f"mtdetect.{m}") for m in _CODE]
    return [*source_tables(idioms), *(Path(str(m.__file__)) for m in code)]


def load_matcher(idioms: Path) -> Matcher:
    """The matcher over the idiom table ``idioms`` and those beside it: read from their
    compiled form if it is up to date (see :mod:`.compiled`), else built from the tables."""
    got = compiled.read(idioms.with_name(COMPILED), source_files(idioms))
    return read_matcher(idioms) if got is None else got


def load_entries() -> tuple[Entry, ...]:
    """The entries of the shipped tables (read once)."""
    return resources.load(IDIOMS, read_entries)


def related_words() -> dict[str, tuple[tuple[str, str], ...]]:
    """The related words of the shipped table (read once)."""
    return resources.load(RELATED, read_related)


def matcher(res: resources.Resources = resources.SHIPPED) -> Matcher:
    """The matcher of ``res`` (by default over the shipped tables, built once)."""
    return res.get(IDIOMS, load_matcher)
