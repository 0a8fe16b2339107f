"""Thesaurus readers: Open English WordNet (YAML source) and the LibreOffice MyThes thesaurus.

Build-time helper (not used by the package at run time). Sources:

* Open English WordNet (CC BY 4.0; derived from Princeton WordNet, WordNet licence), read from
  its YAML source at ``<data>/thesaurus/oewn/src/yaml``. ``<data>`` defaults to ``../shared/data``
  relative to the project root and can be overridden with the ``MTDETECT_DATA`` env variable or an
  explicit argument. Parsing uses a small line parser for the fixed layout of the OEWN YAML files
  (no PyYAML); the result is cached in ``data/cache/oewn.pkl``.
* Debian ``mythes-en-us`` (``/usr/share/mythes/th_en_US_v2.dat``): ``word|count`` lines followed by
  ``count`` lines ``(pos)|term|term (generic term)|...``.

Both expose ``synonyms(word, pos)`` returning ``(synonym, relation)`` pairs, with relation one of
``synonym``, ``hypernym``, ``similar``, ``also``, ``related`` (and ``antonym``, only on request).
Multi-word entries are kept as they are (``"at this time"``, ``"make an attempt"``).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MYTHES = Path("/usr/share/mythes/th_en_US_v2.dat")
CACHE_DIR = PROJECT_ROOT / "data" / "cache"
_PARSER_VERSION = 2

#: Coarse parts of speech used throughout: noun, verb, adjective, adverb.
POS_CODES = ("n", "v", "a", "r")
_POS_ALIASES = {
    "n": "n",
    "noun": "n",
    "nn": "n",
    "v": "v",
    "verb": "v",
    "vb": "v",
    "a": "a",
    "s": "a",
    "adj": "a",
    "adjective": "a",
    "jj": "a",
    "r": "r",
    "adv": "r",
    "adverb": "r",
    "rb": "r",
}
#: Relations returned by default (antonyms are never returned unless asked for).
DEFAULT_RELATIONS = ("synonym", "similar", "also", "related", "hypernym")


def norm_pos(pos: str | None) -> str | None:
    """Map ``noun``/``verb``/``adj``/``adv``/WordNet letters (incl. ``s``) to n/v/a/r."""
    if pos is None:
        return None
    try:
        return _POS_ALIASES[pos.lower()]
    except KeyError:
        raise ValueError(f"unknown part of speech: {pos!r}") from None


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the shared data directory: argument, else $MTDETECT_DATA, else ../shared/data."""
    if path is not None:
        return Path(path)
    env = os.environ.get("MTDETECT_DATA")
    if env:
        return Path(env)
    return PROJECT_ROOT.parent / "shared" / "data"


class Synset(NamedTuple):
    """One OEWN synset with the relations the thesaurus uses (ids of related synsets)."""

    id: str
    pos: str  # coarse: n/v/a/r
    members: tuple[str, ...]
    hypernyms: tuple[str, ...] = ()
    similar: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    entails: tuple[str, ...] = ()


def _unquote(s: str) -> str:
    """Decode a YAML scalar as written by the OEWN exporter (plain, '...' or "...")."""
    s = s.strip()
    if len(s) >= 2 and s[0] == "'" and s[-1] == "'":
        return s[1:-1].replace("''", "'")
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        return json.loads(s)
    return s


_SYNSET_LIST_FIELDS = {
    "members": "members",
    "hypernym": "hypernyms",
    "similar": "similar",
    "also": "also",
    "entails": "entails",
}


def _parse_synset_file(path: Path, out: dict[str, Synset]) -> None:
    """Parse one ``{noun,verb,adj,adv}.*.yaml`` file into ``out`` (id -> Synset)."""
    cur_id: str | None = None
    lists: dict[str, list[str]] = {}
    fld: str | None = None

    def flush() -> None:
        if cur_id is not None:
            out[cur_id] = Synset(
                id=cur_id,
                pos=norm_pos(cur_id[-1]) or "n",
                members=tuple(lists.get("members", ())),
                hypernyms=tuple(lists.get("hypernyms", ())),
                similar=tuple(lists.get("similar", ())),
                also=tuple(lists.get("also", ())),
                entails=tuple(lists.get("entails", ())),
            )

    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            if line[0] != " ":
                flush()
                cur_id = _unquote(line.rstrip()[:-1])
                lists = {}
                fld = None
            elif line.startswith("  - "):
                if fld is not None:
                    lists.setdefault(fld, []).append(_unquote(line[4:]))
            elif line[2] != " ":
                name = line[2:].split(":", 1)[0]
                fld = _SYNSET_LIST_FIELDS.get(name)
            # deeper indentation: wrapped scalars (definitions, examples) -> ignored
    flush()


def _parse_entries_file(
    path: Path,
    index: dict[str, dict[str, list[str]]],
    forms: dict[tuple[str, str], tuple[str, ...]],
) -> None:
    """Parse one ``entries-*.yaml`` file: lemma -> pos -> synset ids (sense order), forms."""
    lemma: str | None = None
    pos: str | None = None
    fld: str | None = None
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        if line[0] != " ":
            lemma = _unquote(line.rstrip()[:-1])
            pos = None
            fld = None
            continue
        if lemma is None:
            continue
        if line[2] != " ":  # "  n:" / "  n-1:"
            pos = norm_pos(line[2:].split(":", 1)[0].split("-", 1)[0])
            fld = None
            continue
        if pos is None:
            continue
        if line[4] != " " and line[4] != "-":  # "    sense:" / "    form:"
            fld = line[4:].split(":", 1)[0]
            continue
        body = line.strip()
        if fld == "form" and body.startswith("- "):
            key = (lemma, pos)
            forms[key] = forms.get(key, ()) + (_unquote(body[2:]),)
        elif fld == "sense":
            if body.startswith("- "):
                body = body[2:]
            if body.startswith("synset:"):
                index.setdefault(lemma, {}).setdefault(pos, []).append(
                    _unquote(body[len("synset:") :])
                )


@dataclass
class OEWN:
    """Open English WordNet: lemma+POS -> synsets (sense order) and synset relations."""

    synsets: dict[str, Synset]
    #: exact-case lemma -> coarse pos -> synset ids in the entry's sense order
    index: dict[str, dict[str, list[str]]]
    #: (lemma, pos) -> irregular/spelled-out inflected forms listed by OEWN (unordered)
    forms: dict[tuple[str, str], tuple[str, ...]]
    _lower: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._lower:
            for lemma in self.index:
                self._lower.setdefault(lemma.lower(), []).append(lemma)

    # ----------------------------------------------------------------- lookups
    def lemma_variants(self, word: str, case_sensitive: bool = False) -> list[str]:
        """Exact-case lemma keys matching ``word`` (the exact spelling first)."""
        if case_sensitive:
            return [word] if word in self.index else []
        variants = self._lower.get(word.lower(), [])
        return sorted(variants, key=lambda v: v != word)

    def has_lemma(self, lemma: str, pos: str | None = None, case_sensitive: bool = True) -> bool:
        """True if ``lemma`` is an OEWN lemma (with part of speech ``pos`` if given)."""
        p = norm_pos(pos)
        for v in self.lemma_variants(lemma, case_sensitive):
            if p is None or p in self.index[v]:
                return True
        return False

    def sense_counts(self, word: str, case_sensitive: bool = True) -> dict[str, int]:
        """Number of senses per coarse POS for ``word`` (e.g. house -> {'n': 12, 'v': 2})."""
        counts: dict[str, int] = {}
        for v in self.lemma_variants(word, case_sensitive):
            for p, ids in self.index[v].items():
                counts[p] = counts.get(p, 0) + len(ids)
        return counts

    def senses(
        self, word: str, pos: str | None = None, case_sensitive: bool = False
    ) -> list[Synset]:
        """Synsets of ``word`` in sense order (most frequent first), optionally by POS."""
        p = norm_pos(pos)
        out: list[Synset] = []
        seen: set[str] = set()
        for v in self.lemma_variants(word, case_sensitive):
            for q, ids in self.index[v].items():
                if p is not None and q != p:
                    continue
                for sid in ids:
                    if sid not in seen and sid in self.synsets:
                        seen.add(sid)
                        out.append(self.synsets[sid])
        return out

    def synonyms(
        self,
        word: str,
        pos: str | None = None,
        relations: Iterable[str] = DEFAULT_RELATIONS,
        max_senses: int | None = None,
        case_sensitive: bool = False,
    ) -> list[tuple[str, str]]:
        """``(synonym, relation)`` pairs for ``word``, sense order then member order, deduplicated.

        Relations: ``synonym`` (same synset), ``similar`` (adjective clusters), ``also``
        (see-also), ``hypernym`` (direct hypernym synsets), ``entails`` (verbs).
        """
        rels = set(relations)
        out: dict[str, str] = {}
        lw = word.lower()

        def add(terms: Iterable[str], rel: str) -> None:
            for t in terms:
                if t.lower() != lw and t not in out:
                    out[t] = rel

        for i, ss in enumerate(self.senses(word, pos, case_sensitive)):
            if max_senses is not None and i >= max_senses:
                break
            if "synonym" in rels:
                add(ss.members, "synonym")
            for rel, ids in (
                ("similar", ss.similar),
                ("also", ss.also),
                ("hypernym", ss.hypernyms),
                ("entails", ss.entails),
            ):
                if rel in rels:
                    for sid in ids:
                        rs = self.synsets.get(sid)
                        if rs is not None:
                            add(rs.members, rel)
        return list(out.items())

    def lemmas(self, pos: str | None = None) -> Iterator[str]:
        """Iterate over all lemmas (exact case), optionally of one POS."""
        p = norm_pos(pos)
        for lemma, by_pos in self.index.items():
            if p is None or p in by_pos:
                yield lemma


def _oewn_fingerprint(yaml_dir: Path) -> str:
    h = hashlib.sha1(f"v{_PARSER_VERSION}:{yaml_dir.resolve()}".encode())
    for p in sorted(yaml_dir.glob("*.yaml")):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()


def parse_oewn_yaml(yaml_dir: str | os.PathLike[str]) -> OEWN:
    """Parse an OEWN YAML source directory (no cache)."""
    yd = Path(yaml_dir)
    synsets: dict[str, Synset] = {}
    index: dict[str, dict[str, list[str]]] = {}
    forms: dict[tuple[str, str], tuple[str, ...]] = {}
    files = sorted(yd.glob("*.yaml"))
    if not files:
        raise FileNotFoundError(f"no OEWN YAML files in {yd}")
    for p in files:
        if p.name.startswith(("noun.", "verb.", "adj.", "adv.")):
            _parse_synset_file(p, synsets)
        elif p.name.startswith("entries-"):
            _parse_entries_file(p, index, forms)
    return OEWN(synsets=synsets, index=index, forms=forms)


_OEWN_CACHE: dict[str, OEWN] = {}


def load_oewn(
    data: str | os.PathLike[str] | None = None,
    cache: bool | str | os.PathLike[str] = True,
) -> OEWN:
    """Load OEWN from ``<data>/thesaurus/oewn/src/yaml`` (or ``data`` if it is the YAML dir).

    ``cache=True`` stores/reads a pickle in ``data/cache/oewn.pkl`` (keyed on file sizes and
    mtimes); a path selects another pickle file; ``False`` always parses. Loaded objects are
    also memoised per process.
    """
    d = data_dir(data)
    yaml_dir = d if any(d.glob("entries-*.yaml")) else d / "thesaurus" / "oewn" / "src" / "yaml"
    fp = _oewn_fingerprint(yaml_dir)
    if fp in _OEWN_CACHE:
        return _OEWN_CACHE[fp]
    pkl: Path | None = None
    if cache:
        pkl = CACHE_DIR / "oewn.pkl" if cache is True else Path(cache)
        if pkl.exists():
            try:
                with open(pkl, "rb") as fh:
                    stored_fp, obj = pickle.load(fh)
                if stored_fp == fp:
                    _OEWN_CACHE[fp] = obj
                    return obj
            except Exception:  # noqa: BLE001 - a stale/corrupt cache is just rebuilt
                pass
    obj = parse_oewn_yaml(yaml_dir)
    if pkl is not None:
        pkl.parent.mkdir(parents=True, exist_ok=True)
        tmp = pkl.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((fp, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(pkl)
    _OEWN_CACHE[fp] = obj
    return obj


# ---------------------------------------------------------------------------------- MyThes

_MYTHES_POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
_MYTHES_REL = {
    "generic term": "hypernym",
    "similar term": "similar",
    "related term": "related",
    "antonym": "antonym",
}


class MythesSense(NamedTuple):
    """One MyThes sense: coarse POS, ``(term, relation)`` pairs, and whether it is a name sense.

    A sense is a *name* sense when it lists the headword itself with other capitalisation
    (``russia`` -> ``Russia``, ``march`` -> ``March``): MyThes headwords are lowercase, so this
    is how proper-noun senses are told from common ones.
    """

    pos: str
    terms: tuple[tuple[str, str], ...]
    proper: bool


@dataclass
class Mythes:
    """MyThes thesaurus: lowercase headword -> senses in file order."""

    entries: dict[str, list[MythesSense]]

    def _senses(self, word: str, case_sensitive: bool) -> list[MythesSense]:
        senses = self.entries.get(word.lower(), [])
        if not case_sensitive:
            return senses
        want_proper = word != word.lower()
        return [s for s in senses if s.proper == want_proper]

    def has_lemma(self, lemma: str, pos: str | None = None, case_sensitive: bool = True) -> bool:
        """True if ``lemma`` is a headword (with a sense of ``pos`` if given).

        Case-sensitive lookups of a lowercase word ignore name senses (``russia`` is not a
        common word); of a capitalised word they consider only name senses.
        """
        p = norm_pos(pos)
        return any(p is None or s.pos == p for s in self._senses(lemma, case_sensitive))

    def is_name(self, word: str) -> bool:
        """True if some sense of ``word`` is a proper-noun sense (Russia, Smith, March)."""
        return any(s.proper for s in self.entries.get(word.lower(), ()))

    def sense_counts(self, word: str, case_sensitive: bool = True) -> dict[str, int]:
        """Number of senses per coarse POS for ``word``."""
        counts: dict[str, int] = {}
        for s in self._senses(word, case_sensitive):
            counts[s.pos] = counts.get(s.pos, 0) + 1
        return counts

    def synonyms(
        self,
        word: str,
        pos: str | None = None,
        relations: Iterable[str] = DEFAULT_RELATIONS,
        max_senses: int | None = None,
        case_sensitive: bool = False,
    ) -> list[tuple[str, str]]:
        """``(term, relation)`` pairs in file order (sense order), deduplicated."""
        p = norm_pos(pos)
        rels = set(relations)
        lw = word.lower()
        out: dict[str, str] = {}
        n = 0
        for s in self._senses(word, case_sensitive):
            if p is not None and s.pos != p:
                continue
            if max_senses is not None and n >= max_senses:
                break
            n += 1
            for t, rel in s.terms:
                if rel in rels and t.lower() != lw and t not in out:
                    out[t] = rel
        return list(out.items())


def parse_mythes_line(line: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """Parse one sense line ``(noun)|a|b (generic term)`` -> ``('n', (('a','synonym'), ...))``."""
    parts = line.rstrip("\n").split("|")
    head = parts[0].strip()
    if not (head.startswith("(") and head.endswith(")")):
        return None
    p = _MYTHES_POS.get(head[1:-1].strip())
    if p is None:
        return None
    terms: list[tuple[str, str]] = []
    for t in parts[1:]:
        t = t.strip()
        if not t:
            continue
        rel = "synonym"
        if t.endswith(")") and " (" in t:
            base, _, ann = t[:-1].rpartition(" (")
            if ann in _MYTHES_REL:
                t, rel = base.strip(), _MYTHES_REL[ann]
        terms.append((t, rel))
    return p, tuple(terms)


_MYTHES_CACHE: dict[str, Mythes] = {}


def load_mythes(path: str | os.PathLike[str] | None = None) -> Mythes:
    """Load a MyThes ``.dat`` file (default: Debian mythes-en-us), memoised per process."""
    p = Path(path) if path is not None else DEFAULT_MYTHES
    key = str(p.resolve())
    if key in _MYTHES_CACHE:
        return _MYTHES_CACHE[key]
    entries: dict[str, list[MythesSense]] = {}
    with open(p, encoding="utf-8", errors="replace") as fh:
        first = fh.readline()  # encoding line, e.g. "UTF-8"
        if "|" in first:
            fh.seek(0)
        for line in fh:
            word, sep, count = line.rstrip("\n").rpartition("|")
            if not sep or not count.isdigit() or line.startswith("("):
                continue
            lw = word.lower()
            senses = entries.setdefault(lw, [])
            for _ in range(int(count)):
                parsed = parse_mythes_line(fh.readline())
                if parsed is not None:
                    proper = any(
                        t != lw and t.lower() == lw for t, r in parsed[1] if r == "synonym"
                    )
                    senses.append(MythesSense(parsed[0], parsed[1], proper))
    obj = Mythes(entries=entries)
    _MYTHES_CACHE[key] = obj
    return obj


# ------------------------------------------------------------------------- convenience API


def synonyms(
    word: str,
    pos: str | None = None,
    source: str = "oewn",
    relations: Iterable[str] = DEFAULT_RELATIONS,
    max_senses: int | None = None,
    data: str | os.PathLike[str] | None = None,
) -> list[tuple[str, str]]:
    """Synonym candidates for ``word`` from ``source`` = ``oewn`` | ``mythes`` | ``both``.

    Returns ``(synonym, relation)`` pairs; with ``both``, OEWN pairs come first and MyThes
    adds the terms OEWN lacks. Antonyms are excluded unless ``relations`` asks for them.
    """
    rels = tuple(relations)
    if source not in ("oewn", "mythes", "both"):
        raise ValueError(f"source must be oewn, mythes or both, not {source!r}")
    out: dict[str, str] = {}
    if source in ("oewn", "both"):
        for t, r in load_oewn(data).synonyms(word, pos, rels, max_senses):
            out.setdefault(t, r)
    if source in ("mythes", "both"):
        for t, r in load_mythes().synonyms(word, pos, rels, max_senses):
            out.setdefault(t, r)
    return list(out.items())


def _main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Look up thesaurus synonyms.")
    ap.add_argument("words", nargs="+")
    ap.add_argument("--pos", default=None)
    ap.add_argument("--source", default="both", choices=["oewn", "mythes", "both"])
    ap.add_argument("--max-senses", type=int, default=None)
    ap.add_argument("--data", default=None)
    a = ap.parse_args()
    for w in a.words:
        syns = synonyms(w, a.pos, a.source, max_senses=a.max_senses, data=a.data)
        print(f"{w}: " + "; ".join(f"{t} [{r}]" for t, r in syns))


if __name__ == "__main__":
    _main()
