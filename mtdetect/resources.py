"""The shipped tables: where they are, the one cached loader, and the set an analysis reads.

Every table in ``mtdetect/resources/`` is read by :func:`load` with the parser of the module
that owns it (``load("tortured.tsv", parse_tortured)``): nothing is read at import time, each
table is read on first use and then shared by the process. Every table has a provenance
header or an entry in ``mtdetect/resources/NOTICE``.

:class:`Resources` is the set of tables one :class:`~mtdetect.analysis.Analysis` reads: the
shipped ones by default, or small in-memory tables that a test passes by name
(``Resources({"tortured.tsv": parse_tortured_rows(rows)})``), as lingua-py's tests inject
fake models, so a unit test never loads the real tables.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib import resources as _ir
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

T = TypeVar("T")


def resource_path(name: str) -> Path:
    """Path of a shipped resource file or folder."""
    return Path(str(_ir.files("mtdetect") / "resources" / name))


@cache
def load(name: str, parse: Callable[[Path], T]) -> T:
    """``parse(path of resource name)``, computed once per process (on first use), with the
    garbage collector paused; then every object made so far is moved out of the collector's
    reach (``gc.freeze``): a table lives as long as the process, and the collections that
    follow would traverse its objects again and again (~0.1 s of the start-up of ``mtdetect
    label``); frozen objects are still freed by reference counting, only cycles among them
    are never collected."""
    with gc_paused():
        table = parse(resource_path(name))
        gc.freeze()
        return table


@contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection inside (then as before). A table is many thousands of long-lived
    objects: the collections their allocation triggers would traverse all the objects made so
    far again and again (a quarter of the start-up of ``mtdetect label``); nothing they make
    is garbage in a cycle worth collecting early."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def rows(path: Path) -> list[list[str]]:
    """The tab-separated rows of a text table, without blank and ``#`` comment lines."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


class Resources:
    """The tables an analysis reads: each shipped table, unless one of the same name is given.

    ``tables`` maps a resource name (as given to :func:`load`) to the parsed table to use
    instead; the set is immutable.
    """

    def __init__(self, tables: Mapping[str, object] | None = None) -> None:
        self._tables = MappingProxyType(dict(tables or {}))

    def get(self, name: str, parse: Callable[[Path], T]) -> T:
        """The table ``name``: the one given for it, else the shipped one parsed by ``parse``."""
        table = self._tables.get(name)
        return load(name, parse) if table is None else table  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Resources({sorted(self._tables)})"


#: The shipped tables.
SHIPPED = Resources()
