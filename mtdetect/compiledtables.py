"""Text tables compiled to numpy arrays, read at start-up instead of parsing the text.

A shipped text table (``word_choice.tsv``) is the source of truth, built by its tool; its
compiled form (``word_choice.npz``, written by ``tools/compile_tables.py``) holds the same
values as plain arrays and is read with ``allow_pickle=False`` (reading it never runs code).
The file records a digest of the text it was compiled from: if the text changed since,
:func:`read` returns ``None`` and the caller parses the text (correct, only slower). A test
checks that each shipped compiled file equals what the builder makes now, so the two cannot
drift.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

#: the array of an .npz file that holds the digest of its sources
DIGEST = "_sources"


def digest(sources: list[Path], salt: str = "") -> str:
    """A digest of ``salt`` (the compiled format) and of the names and bytes of ``sources``."""
    h = hashlib.sha256(salt.encode())
    for path in sources:
        h.update(f"{path.parent.name}/{path.name}\n".encode())
        h.update(path.read_bytes() if path.is_file() else b"(missing)")
    return h.hexdigest()


def write(out: Path, sources: list[Path], salt: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` (no object arrays) and the digest of ``sources`` to the .npz ``out``."""
    stamp = np.frombuffer(digest(sources, salt).encode(), dtype=np.uint8)
    # compressed: a tenth of the size for ~0.01 s more to read; a file object, as np.savez
    # would add .npz to another suffix
    with out.open("wb") as f:
        np.savez_compressed(f, **{DIGEST: stamp}, **arrays)


def read(path: Path, sources: list[Path], salt: str) -> dict[str, np.ndarray] | None:
    """The arrays of the .npz ``path`` compiled from ``sources``; ``None`` if there is no such
    file or it was compiled from other sources (or another ``salt``)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if DIGEST not in z.files or z[DIGEST].tobytes().decode() != digest(sources, salt):
                return None
            return {k: z[k] for k in z.files if k != DIGEST}
    except (OSError, ValueError, UnicodeDecodeError):  # not a readable .npz: parse the text
        return None


def strings(words: list[str]) -> np.ndarray:
    """``words`` (none holding a newline) as one array of UTF-8 bytes (see :func:`words_of`):
    a tenth of the size of a fixed-width unicode array."""
    return np.frombuffer("\n".join(words).encode(), dtype=np.uint8)


def words_of(a: np.ndarray) -> list[str]:
    """The strings stored by :func:`strings`."""
    return a.tobytes().decode().split("\n") if len(a) else []
