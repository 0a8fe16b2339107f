"""Finding the files to label: folders walked as a stream with ``os.scandir`` (a tree is never
listed first); hidden folders, Python environments, ``node_modules`` and what the ``skip``
globs name (the configuration's ``exclude``) skipped. Every entry that matches the pattern
yields a row, and so does every folder that cannot be read: dangling or looping links, named
pipes, sockets and devices come with an error (they are never opened, so nothing hangs). A file
reached twice (overlapping targets, links) is yielded once.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from mtdetect.inputs import InputError, stat_error

#: Folders never searched (besides hidden ones): environments and dependency trees; also any
#: Python environment (a folder holding ``pyvenv.cfg``, whatever its name) and build metadata
#: (``*.egg-info``), whose files are not prose anyone wrote.
SKIP_DIRS = frozenset({".venv", "node_modules", "__pycache__", "site-packages"})


def skipped_dir(path: str, name: str) -> bool:
    """Whether a folder is never searched (see SKIP_DIRS)."""
    return (
        name.startswith(".")
        or name in SKIP_DIRS
        or name.endswith(".egg-info")
        or os.path.isfile(os.path.join(path, "pyvenv.cfg"))
    )


def check_pattern(pattern: str) -> None:
    """Refuse a pattern that is not relative to the folders searched (``/etc/*``, ``../x``)."""
    parts = PurePosixPath(pattern).parts
    if not pattern or pattern.startswith(("/", "\\")) or ".." in parts:
        raise InputError(
            f"--glob {pattern!r}: give a file pattern relative to the folders searched, such "
            "as '*.txt' or 'notes/*.md'"
        )


def matches(name: str, rel: str, pattern: str) -> bool:
    if "/" in pattern:
        return PurePosixPath(rel).match(pattern)
    return fnmatch.fnmatchcase(name, pattern)


def excluded(rel: str, name: str, globs: Iterable[str], folder: bool = False) -> bool:
    """Whether a file or folder (path ``rel`` from the searched folder, ``name``) matches one of
    ``globs``: a glob without ``/`` matches the name at any depth (``*.draft.md``, ``build``),
    one with ``/`` the relative path (``drafts/**``, ``notes/old/*``; ``*`` crosses ``/``)."""
    rel = rel.replace(os.sep, "/")
    for g in globs:
        if "/" not in g.rstrip("/"):
            if fnmatch.fnmatchcase(name, g.rstrip("/")):
                return True
        elif fnmatch.fnmatchcase(rel, g) or (folder and fnmatch.fnmatchcase(rel + "/", g)):
            return True
    return False


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _special(path: str, mode: int) -> str:
    return f"{path}: {_kind(mode)}, not a regular file; not read"


@dataclass
class Walk:
    """State of one walk: what was seen (hashes of real paths) and what to leave out."""

    pattern: str = "*.txt"
    exclude: frozenset[str] = frozenset()
    #: glob patterns of files and folders left out (see :func:`excluded`)
    skip: tuple[str, ...] = ()
    seen: set[int] = field(default_factory=set)
    dirs: set[int] = field(default_factory=set)
    found: int = 0

    def _new(self, real: str) -> bool:
        key = hash(real)
        if key in self.seen or real in self.exclude:
            return False
        self.seen.add(key)
        return True

    def __call__(self, targets: Iterable[str]) -> Iterator[tuple[str, str | None]]:
        """(path, error) for every file under ``targets`` (error None: a file to label)."""
        for t in targets:
            try:
                st = os.stat(t)
            except OSError as e:
                self.found += 1
                yield t, stat_error(t, e)
                continue
            if stat.S_ISDIR(st.st_mode):
                yield from self._tree(t)
            elif self._new(os.path.realpath(t)):
                self.found += 1
                yield t, (None if stat.S_ISREG(st.st_mode) else _special(t, st.st_mode))

    def _tree(self, root: str) -> Iterator[tuple[str, str | None]]:
        stack = [root]
        while stack:
            folder = stack.pop()
            real = os.path.realpath(folder)
            if hash(real) in self.dirs:
                above = os.path.realpath(os.path.dirname(folder.rstrip(os.sep)) or ".")
                if above == real or above.startswith(real.rstrip(os.sep) + os.sep):
                    self.found += 1
                    yield folder, f"{folder}: symbolic link loop (a link to a folder above it)"
                continue  # otherwise a folder already searched through another path
            self.dirs.add(hash(real))
            subdirs: list[str] = []
            try:
                with os.scandir(folder) as it:
                    for entry in it:
                        row = self._entry(root, entry, subdirs)
                        if row is not None:
                            self.found += 1
                            yield row
            except OSError as e:
                self.found += 1
                reason = "permission denied" if isinstance(e, PermissionError) else e.strerror
                yield (
                    folder,
                    f"{folder}: cannot read folder ({reason or e}); its files not labelled",
                )
            stack.extend(sorted(subdirs, reverse=True))

    def _entry(self, root: str, entry: os.DirEntry, subdirs: list[str]):
        try:
            is_dir = entry.is_dir()  # follows links
        except OSError:
            is_dir = False  # a link loop: reported below if its name matches
        if is_dir:
            if not skipped_dir(entry.path, entry.name) and not (
                self.skip
                and excluded(os.path.relpath(entry.path, root), entry.name, self.skip, True)
            ):
                subdirs.append(entry.path)
            return None
        rel = os.path.relpath(entry.path, root) if "/" in self.pattern or self.skip else entry.name
        if not matches(entry.name, rel.replace(os.sep, "/"), self.pattern):
            return None
        if self.skip and excluded(rel, entry.name, self.skip):
            return None
        try:
            st = os.stat(entry.path)
        except OSError as e:
            return entry.path, stat_error(entry.path, e)
        if stat.S_ISDIR(st.st_mode) or not self._new(os.path.realpath(entry.path)):
            return None
        return entry.path, (None if stat.S_ISREG(st.st_mode) else _special(entry.path, st.st_mode))
