"""Where the rows of ``mtdetect label`` go: standard output, or ``OUT`` through ``OUT.partial``.

Each row is written whole and flushed; ``OUT.partial`` is renamed to ``OUT`` only when the run
is complete, so an empty, interrupted or crashed run never touches an earlier ``OUT``. An
interrupted run keeps its rows in ``OUT.partial``; resuming continues from it (or from a
finished ``OUT``), skipping the paths that already have a row: rows are only ever appended,
never rewritten. ``OUT`` is never one of the inputs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mtdetect import report as rp
from mtdetect.inputs import InputError
from mtdetect.walk import matches


class OutputError(InputError):
    """An output that cannot be written, or that would overwrite an input."""


def row_key(path: str) -> int:
    return hash(os.path.realpath(path))


@dataclass
class Done:
    """Rows already in the output (``resume``): their paths (hashed) and verdicts."""

    keys: set[int] = field(default_factory=set)
    rows: int = 0
    errors: int = 0
    machine: int = 0

    def add(self, path: str, label: str, error: str) -> None:
        self.keys.add(row_key(path))
        self.rows += 1
        self.errors += bool(error)
        self.machine += bool(label) and label != "human" and not error


class RowSink:
    """Rows to standard output, or to ``out`` through ``out.partial`` (see module doc)."""

    def __init__(
        self,
        out: Path | None,
        fmt: str = "csv",
        stream=None,
        columns: tuple[str, ...] | None = None,
        extra: Callable[[dict], dict] | None = None,
    ):
        """``columns``: the output columns (default ``report.LABEL_COLUMNS``); ``extra``: adds
        cells of further columns to each row before it is written (``label --trace``)."""
        self.out = Path(out) if out is not None else None
        self.fmt = fmt
        self.stream = stream
        self.columns = tuple(columns or rp.LABEL_COLUMNS)
        self.extra = extra
        self.fh = None
        self.done = Done()
        if self.out is not None:
            real = Path(os.path.realpath(self.out))  # write where a symlink points
            self.real = real
            self.partial = real.with_name(real.name + ".partial")

    def open(self, resume: bool = False) -> Done:
        """Start writing; with ``resume``, read the rows already there first."""
        if self.out is None:
            if resume:
                raise OutputError("--resume needs --out FILE (the output to continue)")
            if self.fmt == "csv":
                self._emit(rp.csv_header(self.columns))
            return self.done
        if self.real.is_dir():
            raise OutputError(f"{self.out}: is a directory; give a file name to --out")
        if self.partial.exists() and not resume:
            raise OutputError(
                f"{self.partial} exists: the rows of an unfinished run. Rerun with --resume to "
                "continue it, or delete it to start over"
            )
        copied = False
        try:
            if resume and not self.partial.exists() and self.real.is_file():
                shutil.copyfile(self.real, self.partial)  # OUT stays untouched until the end
                copied = True
            if resume and self.partial.exists():
                self._read_done()
                self.fh = open(self.partial, "a", encoding="utf-8", newline="")
            else:
                self.fh = open(self.partial, "x", encoding="utf-8", newline="")
                if self.fmt == "csv":
                    self._emit(rp.csv_header(self.columns))
        except (OutputError, OSError) as e:
            if copied:  # a copy of a file that cannot be resumed: leave nothing behind
                self.partial.unlink(missing_ok=True)
            if isinstance(e, OutputError):
                raise
            raise OutputError(f"{self.out}: cannot write ({e.strerror or e})") from None
        return self.done

    def _read_done(self) -> None:
        """The rows of ``out.partial``; an incomplete last line (a crash mid-row) is cut."""
        with open(self.partial, "rb+") as fh:
            data = fh.read()
            if data and not data.endswith(b"\n"):
                fh.truncate(data.rfind(b"\n") + 1)
                data = data[: data.rfind(b"\n") + 1]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise OutputError(f"{self.partial}: not an output of mtdetect label") from None
        if self.fmt == "csv":
            reader = csv.reader(io.StringIO(text))
            header = next(reader, None)
            if header != list(self.columns):
                raise OutputError(
                    f"{self.partial}: not a CSV output of mtdetect label (its header differs); "
                    "cannot resume it"
                )
            col = {c: i for i, c in enumerate(self.columns)}
            for row in reader:
                if len(row) == len(col):
                    self.done.add(row[col["path"]], row[col["label"]], row[col["error"]])
            return
        for n, line in enumerate(text.splitlines(), 1):
            try:
                row = json.loads(line)
                self.done.add(row["path"], row.get("label") or "", row.get("error") or "")
            except (ValueError, KeyError, TypeError, RecursionError):
                raise OutputError(
                    f"{self.partial}:{n}: not a JSONL row of mtdetect label; cannot resume it"
                ) from None

    def _emit(self, line: str) -> None:
        target = self.fh if self.fh is not None else self.stream
        target.write(line)  # one write per complete row, then flush: no half-written rows
        target.flush()

    def write(self, row: dict) -> None:
        if self.extra is not None:
            row = self.extra(row)
        line = (
            rp.csv_row(row, self.columns) if self.fmt == "csv" else rp.jsonl_row(row, self.columns)
        )
        self._emit(line)

    def finish(self) -> None:
        """The run is complete: ``out.partial`` becomes ``out``."""
        if self.fh is not None:
            self.fh.close()
            os.replace(self.partial, self.real)

    def keep(self) -> Path | None:
        """The run was interrupted: keep ``out.partial`` as it is; return it."""
        if self.fh is not None:
            self.fh.close()
            return self.partial
        return None

    def discard(self) -> None:
        """Nothing was labelled: remove a ``out.partial`` this run created."""
        if self.fh is not None:
            self.fh.close()
            if not self.done.rows:
                self.partial.unlink(missing_ok=True)


def check_out_is_not_input(out: Path, targets: Iterable[str], pattern: str) -> None:
    """Refuse an ``out`` that is one of the inputs: a target itself, or a file the walk of a
    target folder would label."""
    real = os.path.realpath(out)
    for t in targets:
        rt = os.path.realpath(t)
        if real == rt:
            raise OutputError(f"--out {out} is one of the inputs; choose another file")
        if os.path.isdir(rt) and real.startswith(rt.rstrip(os.sep) + os.sep):
            rel = os.path.relpath(real, rt).replace(os.sep, "/")
            if matches(os.path.basename(real), rel, pattern):
                raise OutputError(
                    f"--out {out} is inside {t} and matches {pattern!r}: it would be read as an "
                    "input; choose another file"
                )
