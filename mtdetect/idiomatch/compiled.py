"""The idiom tables compiled: the matcher's entries, tables and index as plain JSON, so that a
process reads them instead of parsing ~10,000 patterns, generating every word's forms and
indexing them at each start (a third of the start-up of ``mtdetect label``).

``tools/compile_idioms.py`` writes ``resources/idioms_compiled.json`` from the TSV tables
(:func:`to_json` of the matcher ``tables.read_matcher`` builds); a test checks that the
shipped file equals what the builder makes now, so the two cannot drift. The file records a
digest of what it was compiled from, the tables and the modules that compile them (patterns,
index, word forms): if any changed since, :func:`read` returns ``None`` and the caller builds
the matcher from the tables (correct, only slower). JSON, not pickle: reading it never runs
code.
"""

from __future__ import annotations

import json
from pathlib import Path

from mtdetect import compiledtables
from mtdetect.idiomatch.matcher import Index, Matcher
from mtdetect.idiomatch.patterns import Elem, Entry

#: bump when the layout below changes (a file of another format is stale)
FORMAT = 1


def digest(sources: list[Path]) -> str:
    """A digest of the format and of the names and bytes of the ``sources`` (files)."""
    return compiledtables.digest(sources, f"format {FORMAT}\n")


def to_json(m: Matcher, source_digest: str) -> dict:
    """The JSON value of matcher ``m``: sets as sorted lists, shared values by index."""
    ix = m.index_data
    form_ids: dict[frozenset[str], int] = {f: i for i, f in enumerate(ix.form_sets)}
    elem_ids: dict[Elem, int] = {}
    for e in m.entries:
        for el in e.elems:
            if el.forms not in form_ids:
                form_ids[el.forms] = len(form_ids)
            elem_ids.setdefault(el, len(elem_ids))
    kind_sets: dict[frozenset[str], int] = {}
    for ks in m.kinds.values():
        kind_sets.setdefault(ks, len(kind_sets))
    return {
        "format": FORMAT,
        "sources": source_digest,
        "forms": [sorted(f) for f in form_ids],
        "elems": [
            [el.kind, form_ids[el.forms], el.word, int(el.optional), int(el.content)]
            for el in elem_ids
        ],
        "entries": [
            [
                e.id,
                e.kind,
                e.pattern,
                [elem_ids[el] for el in e.elems],
                int(e.swappable),
                sorted(e.blocked),
                [list(k) for k in e.rel_keys],
                e.lang,
                e.source,
                e.english,
                e.variant,
                list(e.origin),
            ]
            for e in m.entries
        ],
        "related": {k: [list(r) for r in rels] for k, rels in m.related.items()},
        "kind_sets": [sorted(ks) for ks in kind_sets],
        "kinds": [[w, kind_sets[ks]] for w, ks in m.kinds.items()],
        "required": [[sorted(ids), sorted(swaps.items())] for ids, swaps in ix.required],
        "anchors": [
            [sid, [[check, [list(x) for x in group]] for check, group in groups.items()]]
            for sid, groups in ix.anchors.items()
        ],
        "anchor_elems": [list(x) for x in ix.anchor_elems],
        "open": [[sorted(ks), sorted(sids)] for ks, sids in ix.open],
        "kind_ok": [int(x) for x in ix.kind_ok],
        "n_form_sets": len(ix.form_sets),
    }


def from_json(data: dict) -> Matcher:
    """The matcher of a JSON value made by :func:`to_json`."""
    forms = [frozenset(f) for f in data["forms"]]
    elems = [
        Elem(kind, forms[f], word, bool(opt), bool(content))
        for kind, f, word, opt, content in data["elems"]
    ]
    entries = tuple(
        Entry(
            eid,
            kind,
            pattern,
            tuple([elems[i] for i in els]),
            bool(swappable),
            frozenset(blocked),
            tuple([(k, key) for k, key in keys]),
            lang,
            source,
            english,
            variant,
            tuple(origin),
        )
        for (
            eid,
            kind,
            pattern,
            els,
            swappable,
            blocked,
            keys,
            lang,
            source,
            english,
            variant,
            origin,
        ) in data["entries"]
    )
    related = {k: tuple([(r, c) for r, c in rels]) for k, rels in data["related"].items()}
    kind_sets = [frozenset(ks) for ks in data["kind_sets"]]
    kinds = {w: kind_sets[i] for w, i in data["kinds"]}
    index = Index(
        [(frozenset(ids), dict(swaps)) for ids, swaps in data["required"]],
        {
            sid: {check: [(eid, k) for eid, k in group] for check, group in groups}
            for sid, groups in data["anchors"]
        },
        [(eid, k) for eid, k in data["anchor_elems"]],
        [(frozenset(ks), frozenset(sids)) for ks, sids in data["open"]],
        [bool(x) for x in data["kind_ok"]],
        forms[: data["n_form_sets"]],
    )
    return Matcher(entries, related, kinds, index)


def write(m: Matcher, sources: list[Path], out: Path) -> None:
    """Write the compiled form of ``m``, built from ``sources``, to ``out``."""
    text = json.dumps(to_json(m, digest(sources)), ensure_ascii=False, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")


def read(path: Path, sources: list[Path]) -> Matcher | None:
    """The matcher compiled in ``path`` from ``sources``; ``None`` if there is no such file or
    a source changed since it was written."""
    if not path.is_file():
        return None
    data = json.loads(path.read_bytes())
    if data.get("format") != FORMAT or data.get("sources") != digest(sources):
        return None
    return from_json(data)
