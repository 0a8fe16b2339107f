"""Cached, lazy loaders for the tables shipped in ``mtdetect/resources/``.

Nothing is read at import time; each loader reads its file on first use and caches it.
Every table has a provenance header or an entry in ``mtdetect/resources/NOTICE``.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources as _ir
from pathlib import Path


def resource_path(name: str) -> Path:
    """Path of a shipped resource file."""
    return Path(str(_ir.files("mtdetect") / "resources" / name))


def data_dir() -> Path:
    """The public-data folder: ``$MTDETECT_DATA`` or ``../shared/data`` beside the project."""
    env = os.environ.get("MTDETECT_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@cache
def word_list(name: str) -> frozenset[str]:
    """A one-word-a-line list (``#`` comments allowed), lower-cased."""
    out = set()
    for line in resource_path(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.add(line)
    return frozenset(out)
