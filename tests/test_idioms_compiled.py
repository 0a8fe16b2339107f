"""The compiled idiom tables (mtdetect/idiomatch/compiled.py): the shipped file is what the
builder makes from the TSV tables now, it reads back to the same matcher, and a stale file is
not used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mtdetect.idiomatch import compiled, tables
from mtdetect.idiomatch.matcher import Matcher
from mtdetect.resources import resource_path
from mtdetect.text import Document

IDIOMS = resource_path(tables.IDIOMS)


@pytest.fixture(scope="module")
def built() -> Matcher:
    return tables.read_matcher(IDIOMS)


def _state(m: Matcher) -> tuple:
    return m.entries, m.related, m.kinds, m.index_data, m._holders, m._anchored


def test_shipped_file_is_what_the_builder_makes(built: Matcher) -> None:
    shipped = json.loads(resource_path(tables.COMPILED).read_bytes())
    fresh = json.loads(json.dumps(compiled.to_json(built, compiled.digest(_sources()))))
    # (on failure: the TSV tables or the matcher changed; run python -m tools.compile_idioms)
    assert shipped == fresh


def _sources() -> list[Path]:
    return tables.source_files(IDIOMS)


def test_shipped_file_reads_back_to_the_built_matcher(built: Matcher) -> None:
    got = compiled.read(resource_path(tables.COMPILED), _sources())
    assert got is not None
    assert _state(got) == _state(built)
    doc = Document(
        "He finally kicked the pail last week. She spilled all the beans and bit the "
        "proverbial bullet; they were barking up the wrong tree."
    )
    assert got.find(doc) == built.find(doc) and built.find(doc)


def test_a_stale_or_missing_file_is_not_read(tmp_path: Path, built: Matcher) -> None:
    folder = tmp_path / "res"
    folder.mkdir()
    for path in tables.source_tables(IDIOMS):
        (folder / path.relative_to(IDIOMS.parent)).parent.mkdir(exist_ok=True)
        shutil.copy(path, folder / path.relative_to(IDIOMS.parent))
    src = tables.source_files(folder / tables.IDIOMS)
    assert tables.compiled.__file__ in map(str, src)  # the code is part of the digest
    out = folder / tables.COMPILED
    compiled.write(built, src, out)
    assert compiled.read(out, src) is not None
    with open(folder / tables.IDIOMS, "a", encoding="utf-8") as fh:
        fh.write("kick the bucket twice\t0\n")
    assert compiled.read(out, src) is None
    # the loader then builds the matcher from the tables, with the new row
    m = tables.load_matcher(folder / tables.IDIOMS)
    assert any(e.pattern == "kick the bucket twice" for e in m.entries)
    assert compiled.read(folder / "absent.json", src) is None
