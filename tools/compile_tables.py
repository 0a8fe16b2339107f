"""Compile shipped text tables (and the trees of the span models) into the numpy form
``mtdetect`` reads at start-up (see ``mtdetect/compiledtables.py``): ``word_choice.tsv`` ->
``word_choice.npz``, ``translationese_ngrams.tsv`` -> ``translationese_ngrams.npz``, and the
leaf table of the trees of ``refstats/swap_model.json`` -> ``refstats/swap_model.npz``. Run
after rebuilding any of them (``make tables`` runs it): ``tests/test_compiled_tables.py`` fails
until then, and ``mtdetect`` parses or builds them at each start (correct, slower).

    python -m tools.compile_tables
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mtdetect import compiledtables, swapscore, treemodel
from mtdetect.features import translationese, word_choice
from mtdetect.resources import resource_path

#: (text table, compiled file, format, builder of the arrays) of each compiled table
TABLES: tuple[tuple[str, str, str, Callable[[Path], dict[str, np.ndarray]]], ...] = (
    (
        word_choice.TABLE,
        word_choice.COMPILED,
        word_choice.COMPILED_FORMAT,
        word_choice.matrix_arrays,
    ),
    (
        translationese.TABLE,
        translationese.COMPILED,
        translationese.compiled_format(),
        translationese.table_arrays,
    ),
    (
        swapscore.MODELS,
        f"{swapscore.DIR}/{swapscore.COMPILED}",
        treemodel.TABLE_FORMAT,
        swapscore.lower_tree_arrays,
    ),
)


def main() -> int:
    for table, out_name, fmt, build in TABLES:
        src, out = resource_path(table), resource_path(out_name)
        compiledtables.write(out, [src], fmt, build(src))
        print(f"{out}: {out.stat().st_size:,} bytes from {table}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
