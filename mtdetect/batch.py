"""Labelling many files: one row per file found, in bounded memory, never losing a result.

* **Finding files** (:func:`walk`): folders are walked with ``os.scandir`` as a stream (a tree
  is never listed first); hidden folders, ``.venv`` and ``node_modules`` are skipped. Every
  entry that matches the pattern gets a row, and so does every folder that cannot be read:
  dangling or looping links, named pipes, sockets and devices get an error row (they are never
  opened, so nothing hangs). A file reached twice (overlapping targets, links) gets one row.
* **Scoring** (:func:`label_rows`): files are read and scored in chunks of CHUNK; with
  ``jobs > 1`` in worker processes, with at most 2 × jobs chunks in flight, so memory does not
  grow with the number of files (apart from ~60 bytes a file to remember which were done).
  Workers die with the parent whatever kills it (``PR_SET_PDEATHSIG`` on Linux, and a
  parent-pid watch everywhere); a worker that dies (e.g. killed for memory) costs a restart,
  the files of its chunk are retried one by one, and a file that kills a worker again gets an
  error row.
* **Writing** (:class:`RowSink`): rows go to standard output, or to ``OUT`` through
  ``OUT.partial``: each row is written whole and flushed, and ``OUT.partial`` is renamed to
  ``OUT`` only when the run is complete — an empty, interrupted or crashed run never touches an
  earlier ``OUT``. An interrupted run (Ctrl-C, SIGTERM) keeps its rows in ``OUT.partial``;
  ``resume`` continues from it (or from a finished ``OUT``), skipping the files that already
  have a row: rows are only ever appended, never rewritten. ``OUT`` is never one of the inputs.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import os
import shutil
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mtdetect import report as rp
from mtdetect.inputs import DEFAULT_MAX_BYTES, InputError, check_text, read_text_file, stat_error

#: Files read and scored together (one classifier call per chunk).
CHUNK = 16
#: Folders never searched (besides hidden ones): environments and dependency trees.
SKIP_DIRS = frozenset({".venv", "node_modules"})
#: Worker pools restarted after a worker died, before the run gives up.
MAX_RESTARTS = 5


@dataclass(frozen=True)
class Options:
    """How each file is read and scored (sent to worker processes)."""

    model: str | None = None
    trust: bool = False
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    threshold: float | None = None


# -- finding files ---------------------------------------------------------------------------
def check_pattern(pattern: str) -> None:
    """Refuse a pattern that is not relative to the folders searched (``/etc/*``, ``../x``)."""
    parts = PurePosixPath(pattern).parts
    if not pattern or pattern.startswith(("/", "\\")) or ".." in parts:
        raise InputError(
            f"--glob {pattern!r}: give a file pattern relative to the folders searched, such "
            "as '*.txt' or 'notes/*.md'"
        )


def _matches(name: str, rel: str, pattern: str) -> bool:
    if "/" in pattern:
        return PurePosixPath(rel).match(pattern)
    return fnmatch.fnmatchcase(name, pattern)


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
            if not entry.name.startswith(".") and entry.name not in SKIP_DIRS:
                subdirs.append(entry.path)
            return None
        rel = os.path.relpath(entry.path, root).replace(os.sep, "/")
        if not _matches(entry.name, rel, self.pattern):
            return None
        try:
            st = os.stat(entry.path)
        except OSError as e:
            return entry.path, stat_error(entry.path, e)
        if stat.S_ISDIR(st.st_mode) or not self._new(os.path.realpath(entry.path)):
            return None
        return entry.path, (None if stat.S_ISREG(st.st_mode) else _special(entry.path, st.st_mode))


# -- scoring ---------------------------------------------------------------------------------
_WORKER: dict = {}


def preload(det, options: Options) -> None:
    """Use ``det`` for ``options.model`` in this process (and in forked workers)."""
    _WORKER[(options.model, options.trust)] = det


def _detector(options: Options):
    key = (options.model, options.trust)
    if key not in _WORKER:
        from mtdetect.persistence import load_model

        _WORKER[key] = load_model(options.model, trust=options.trust)
    return _WORKER[key]


def label_chunk(items: list[tuple[str, str | None]], options: Options) -> list[dict]:
    """Rows for a chunk of (path, error) items: read each file, then score the readable ones
    in one batch; a file that fails is isolated, one bad file never stops a batch."""
    det = _detector(options)
    rows: list[dict | None] = []
    texts, where = [], []
    for path, error in items:
        if error is None:
            try:
                text = read_text_file(path, options.encoding, options.max_bytes, special=False)
                check_text(text, path)
            except InputError as e:
                error = str(e)
            except MemoryError:
                error = f"{path}: out of memory while reading"
        if error is not None:
            rows.append(rp.label_row(path, error=error))
            continue
        where.append(len(rows))
        rows.append(None)
        texts.append(text)
    paths = [items[i][0] for i in where]
    try:
        reports: list = det.analyze_many(texts, paths, options.threshold)
    except Exception:  # noqa: BLE001 - find the file that fails, score the others
        reports = []
        for text, path in zip(texts, paths):
            try:
                reports.append(det.analyze(text, path, options.threshold))
            except Exception as e:  # noqa: BLE001
                reports.append(f"{path}: internal error: {type(e).__name__}: {e}")
    for i, rep in zip(where, reports):
        path = items[i][0]
        rows[i] = rp.label_row(path, error=rep) if isinstance(rep, str) else rp.label_row(path, rep)
    return rows  # type: ignore[return-value]


def _die_with_parent(parent: int) -> None:
    """Make this worker die when ``parent`` does, whatever kills the parent (SIGKILL, OOM)."""
    import ctypes
    import signal
    import sys
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (fork copies it)
    if sys.platform.startswith("linux"):
        try:  # PR_SET_PDEATHSIG = 1: the kernel sends SIGKILL when the parent exits
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:  # elsewhere, or if prctl failed: notice being orphaned
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_init(parent: int) -> None:
    _die_with_parent(parent)
    # one process per core: keep native thread pools from oversubscribing the machine
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Pool:
    """Worker processes with at most ``2 × jobs`` chunks in flight, results in order; a
    worker that dies is replaced and its chunk retried file by file."""

    def __init__(self, jobs: int, options: Options):
        self.jobs, self.options = jobs, options
        self.restarts = 0
        self.pending: deque = deque()  # (items, future, retried)
        self.pool = self._start()

    def _start(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork (where there is one): workers share the loaded model instead of loading it
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        return ProcessPoolExecutor(
            self.jobs, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
        )

    def submit(self, items: list, retried: bool = False, front: bool = False) -> None:
        entry = (items, self.pool.submit(label_chunk, items, self.options), retried)
        (self.pending.appendleft if front else self.pending.append)(entry)

    def full(self) -> bool:
        return len(self.pending) >= 2 * self.jobs

    def next_rows(self) -> list[dict]:
        from concurrent.futures.process import BrokenProcessPool

        items, future, retried = self.pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart()
            if retried:  # this file alone took a worker down: report it, go on
                path = items[0][0]
                msg = f"{path}: a worker process died scoring it (killed: out of memory?)"
                return [rp.label_row(path, error=msg)]
            # resubmit the chunks that were in flight, in order, after this one's files
            rest = [e[0] for e in self.pending]
            flags = [e[2] for e in self.pending]
            self.pending.clear()
            for one in items:  # retried one by one, first
                self.submit([one], retried=True)
            for r, f in zip(rest, flags):
                self.submit(r, retried=f)
            return []

    def _restart(self) -> None:
        self.restarts += 1
        self.stop()
        if self.restarts > MAX_RESTARTS:
            raise RuntimeError(f"worker processes died {self.restarts} times; giving up")
        self.pool = self._start()

    def stop(self) -> None:
        """Cancel what is queued and end the workers now (not after their current chunk)."""
        # the executor has no public way to end running workers before Python 3.14
        procs = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            if proc.is_alive():
                proc.kill()
        for proc in procs:
            proc.join(5)


def label_rows(
    items: Iterable[tuple[str, str | None]], options: Options, jobs: int = 1
) -> Iterator[dict]:
    """One row per item, in order; chunks scored in this process or in ``jobs`` workers."""
    if jobs <= 1:
        for chunk in _chunks(items, CHUNK):
            yield from label_chunk(chunk, options)
        return
    pool = _Pool(jobs, options)
    try:
        for chunk in _chunks(items, CHUNK):
            pool.submit(chunk)
            while pool.full():
                yield from pool.next_rows()
        while pool.pending:
            yield from pool.next_rows()
    finally:
        pool.stop()


# -- writing ---------------------------------------------------------------------------------
class OutputError(InputError):
    """An output that cannot be written, or that would overwrite an input."""


def _row_key(path: str) -> int:
    return hash(os.path.realpath(path))


@dataclass
class Done:
    """Rows already in the output (``resume``): their paths (hashed) and verdicts."""

    keys: set[int] = field(default_factory=set)
    rows: int = 0
    errors: int = 0
    machine: int = 0

    def add(self, path: str, label: str, error: str) -> None:
        self.keys.add(_row_key(path))
        self.rows += 1
        self.errors += bool(error)
        self.machine += bool(label) and label != "human" and not error


class RowSink:
    """Rows to standard output, or to ``out`` through ``out.partial`` (see module doc)."""

    def __init__(self, out: Path | None, fmt: str = "csv", stream=None):
        self.out = Path(out) if out is not None else None
        self.fmt = fmt
        self.stream = stream
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
                self._emit(rp.csv_header())
            return self.done
        if self.real.is_dir():
            raise OutputError(f"{self.out}: is a directory; give a file name to --out")
        if self.partial.exists() and not resume:
            raise OutputError(
                f"{self.partial} exists: the rows of an unfinished run. Rerun with --resume to "
                "continue it, or delete it to start over"
            )
        try:
            if resume and not self.partial.exists() and self.real.is_file():
                shutil.copyfile(self.real, self.partial)  # OUT stays untouched until the end
            if resume and self.partial.exists():
                self._read_done()
                self.fh = open(self.partial, "a", encoding="utf-8", newline="")
            else:
                self.fh = open(self.partial, "x", encoding="utf-8", newline="")
                if self.fmt == "csv":
                    self._emit(rp.csv_header())
        except OutputError:
            raise
        except OSError as e:
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
            if header != list(rp.LABEL_COLUMNS):
                raise OutputError(
                    f"{self.partial}: not a CSV output of mtdetect label (its header differs); "
                    "cannot resume it"
                )
            col = {c: i for i, c in enumerate(rp.LABEL_COLUMNS)}
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
        self._emit(rp.csv_row(row) if self.fmt == "csv" else rp.jsonl_row(row))

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
            if _matches(os.path.basename(real), rel, pattern):
                raise OutputError(
                    f"--out {out} is inside {t} and matches {pattern!r}: it would be read as an "
                    "input; choose another file"
                )


@dataclass
class Summary:
    """What a labelling run did: rows written now and before (``resume``), their verdicts."""

    found: int = 0
    written: int = 0
    skipped: int = 0
    errors: int = 0
    machine: int = 0
    kept: Path | None = None


def run(
    targets: list[str],
    sink: RowSink,
    options: Options,
    pattern: str = "*.txt",
    jobs: int = 1,
    resume: bool = False,
    on_row: Callable[[dict], None] | None = None,
) -> Summary:
    """Label every file under ``targets`` into ``sink``; the summary counts every row of the
    output, including those a resumed run found there. KeyboardInterrupt (Ctrl-C, or SIGTERM
    turned into it by the caller) leaves complete rows in ``out.partial`` and is re-raised
    with ``summary.kept`` set on the exception's ``summary`` attribute."""
    check_pattern(pattern)
    if sink.out is not None:
        check_out_is_not_input(sink.out, targets, pattern)
    done = sink.open(resume)
    summary = Summary(skipped=0, errors=done.errors, machine=done.machine)
    exclude = (
        frozenset({str(sink.real), str(sink.partial)}) if sink.out is not None else frozenset()
    )
    walk = Walk(pattern, exclude)

    def todo() -> Iterator[tuple[str, str | None]]:
        for path, error in walk(targets):
            if done.keys and _row_key(path) in done.keys:
                summary.skipped += 1
                continue
            yield path, error

    try:
        for row in label_rows(todo(), options, jobs):
            sink.write(row)
            summary.written += 1
            if row["error"]:
                summary.errors += 1
            elif row["label"] != "human":
                summary.machine += 1
            if on_row is not None:
                on_row(row)
    except BaseException as e:
        summary.found = walk.found
        summary.kept = sink.keep()
        e.summary = summary  # type: ignore[attr-defined]
        raise
    summary.found = walk.found
    if not walk.found and not done.rows:
        sink.discard()
    else:
        sink.finish()
    return summary
