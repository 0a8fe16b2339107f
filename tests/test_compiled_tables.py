"""Compiled text tables (mtdetect/compiledtables.py): each shipped compiled file is what the
builder makes from its text table now and reads back to the same values as the text; a stale,
missing or broken file is not used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from mtdetect import compiledtables, swapscore
from mtdetect.features import translationese, word_choice
from mtdetect.resources import resource_path
from tools.compile_tables import TABLES


@pytest.mark.parametrize("table, out, fmt, build", TABLES, ids=[t[0] for t in TABLES])
def test_shipped_file_is_what_the_builder_makes(table, out, fmt, build) -> None:
    src = resource_path(table)
    shipped = compiledtables.read(resource_path(out), [src], fmt)
    # (on failure: the text table or its compiled form changed; run python -m tools.compile_tables)
    assert shipped is not None, f"{out} is missing or stale"
    fresh = build(src)
    assert sorted(shipped) == sorted(fresh)
    for name, a in fresh.items():
        assert shipped[name].dtype == a.dtype and np.array_equal(shipped[name], a), name


def _matrix_equal(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and a[1].dtype == b[1].dtype and np.array_equal(a[1], b[1])


def test_word_choice_reads_the_same_matrix_compiled_or_parsed() -> None:
    path = resource_path(word_choice.TABLE)
    assert _matrix_equal(word_choice.read_matrix(path), word_choice.parse_matrix(path))


def test_translationese_reads_the_same_table_compiled_or_parsed() -> None:
    path = resource_path(translationese.TABLE)
    got, want = translationese.read_table(path), translationese.parse_table(path.read_text())
    for a, b in zip(got, want, strict=True):
        assert type(a) is type(b) and np.asarray(a).dtype == np.asarray(b).dtype
        assert np.array_equal(a, b)


def test_span_models_read_the_same_trees_compiled_or_built() -> None:
    path = resource_path(swapscore.MODELS)
    got = swapscore.read_models(path).lower.trees
    want = swapscore.parse_models(json.loads(path.read_text(encoding="utf-8"))).lower.trees
    assert got is not None and want is not None
    for a, b in zip(got.arrays, want.arrays, strict=True):
        assert type(a) is type(b) and np.asarray(a).dtype == np.asarray(b).dtype
        assert np.array_equal(a, b)


def _rows(weights: list[float]) -> str:
    k = len(word_choice.COLUMNS)
    return "".join(
        f"{w}\t" + "\t".join(str(x + i) for i in range(2 * k)) + "\n" for w, x in zip("ab", weights)
    )


def test_a_stale_missing_or_broken_file_is_not_read(tmp_path: Path) -> None:
    tsv = tmp_path / word_choice.TABLE
    npz = tmp_path / word_choice.COMPILED
    tsv.write_text("# a small table\n" + _rows([0.5, -1.25]), encoding="utf-8")
    assert word_choice.read_matrix(tsv)[0] == {"a": 0, "b": 1}  # no compiled file: parsed
    compiledtables.write(npz, [tsv], word_choice.COMPILED_FORMAT, word_choice.matrix_arrays(tsv))
    assert compiledtables.read(npz, [tsv], word_choice.COMPILED_FORMAT) is not None
    assert compiledtables.read(npz, [tsv], "another format") is None
    # the text changes after compiling: the compiled file is stale and the text is read
    tsv.write_text("# a small table\n" + _rows([2.0, 3.0]), encoding="utf-8")
    assert compiledtables.read(npz, [tsv], word_choice.COMPILED_FORMAT) is None
    got = word_choice.read_matrix(tsv)
    assert _matrix_equal(got, word_choice.parse_matrix(tsv)) and got[1][0, 0, 0] == 2.0
    npz.write_bytes(b"not a zip file")
    assert compiledtables.read(npz, [tsv], word_choice.COMPILED_FORMAT) is None
    assert _matrix_equal(word_choice.read_matrix(tsv), word_choice.parse_matrix(tsv))
    shutil.copy(resource_path(word_choice.COMPILED), npz)  # another table's compiled form
    assert compiledtables.read(npz, [tsv], word_choice.COMPILED_FORMAT) is None


def test_strings_round_trip() -> None:
    words = ["a", "über", "<s>_the", "x_y"]
    assert compiledtables.words_of(compiledtables.strings(words)) == words
    assert compiledtables.words_of(compiledtables.strings([])) == []
