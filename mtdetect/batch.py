"""Labelling many files (``mtdetect label``): one row per file found, in bounded memory,
never losing a result.

Files come from :mod:`mtdetect.walk` as a stream and are read and scored in chunks of CHUNK;
with ``jobs > 1`` in worker processes, with at most 2 × jobs chunks in flight, so memory does
not grow with the number of files (apart from ~60 bytes a file to remember which were done).
Workers die with the parent whatever kills it (``PR_SET_PDEATHSIG`` on Linux, and a parent-pid
watch everywhere); a worker that dies (e.g. killed for memory) costs a restart, the files of its
chunk are retried one by one, and a file that kills a worker again gets an error row. Rows go
to a :class:`mtdetect.rows.RowSink` (``OUT.partial``, resumable).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mtdetect import report as rp
from mtdetect.inputs import DEFAULT_MAX_BYTES, InputError, check_text, read_text_file
from mtdetect.review import prose
from mtdetect.rows import RowSink, check_out_is_not_input, row_key
from mtdetect.walk import Walk, check_pattern

#: Files read and scored together (one classifier call per chunk).
CHUNK = 16
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


# -- scoring ---------------------------------------------------------------------------------
#: Per process: the detector each (model, trust) scores with; forked workers inherit it.
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


def model_digest(options: Options) -> str | None:
    """The sha256 of the model this process scores with (from its card)."""
    return _detector(options).card.get("sha256")


#: A paragraph that reaches every family, so that warming up loads every table they read.
WARM_TEXT = (
    "The city council said on Tuesday that it won't cut the bus service this year. "
    '"We have listened to everyone," the well-known chair told reporters in the town hall, '
    "adding that the organisation would publish its figures every quarter.\n\n"
    "Work is due to start in March."
)


def warm_up(options: Options) -> None:
    """Load the detector and every table it reads in this process, then :func:`settle`
    (each worker does, as it starts: see :func:`_worker_init`)."""
    from mtdetect.resources import gc_paused

    with gc_paused():  # (the model and tables are long-lived: see gc_paused)
        _detector(options).analyze_many([WARM_TEXT])
    settle()


def settle() -> None:
    """Move the objects loaded so far (the model and its tables) out of the garbage
    collector's reach (``gc.freeze``): its full collections no longer traverse them (they
    took ~7% of the time of scoring news articles), and collections in a forked worker never
    write to the pages it shares with its parent (which would copy them)."""
    import gc

    gc.collect()
    gc.freeze()


def read_chunk(items: list[tuple[str, str | None]], options: Options) -> Chunk:
    """Read the files of a chunk of (path, error) items: an error row for each one that
    cannot be read or judged, the text of the others (scored by :func:`score_chunk`)."""
    rows: list[dict | None] = []
    texts, where = [], []
    for path, error in items:
        if error is None:
            try:
                text = read_text_file(path, options.encoding, options.max_bytes, special=False)
                check_text(text, path)
                # Markdown code, URLs, front matter and `mtdetect off` regions not scored
                text = prose(text, path).text
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
    return Chunk(rows, where, texts, [items[i][0] for i in where])


def score_rows(texts: list[str], paths: list[str], options: Options) -> list[dict]:
    """The rows of texts scored in one batch; a text that fails is isolated (an error row),
    one bad text never stops a batch."""
    det = _detector(options)
    try:
        reports: list = det.analyze_many(texts, paths, options.threshold)
    except Exception:  # noqa: BLE001 - find the text that fails, score the others
        reports = []
        for text, path in zip(texts, paths):
            try:
                reports.append(det.analyze(text, path, options.threshold))
            except Exception as e:  # noqa: BLE001
                reports.append(f"{path}: internal error: {type(e).__name__}: {e}")
    return [
        rp.label_row(path, error=rep) if isinstance(rep, str) else rp.label_row(path, rep)
        for path, rep in zip(paths, reports)
    ]


@dataclass
class Chunk:
    """A chunk of files read: ``rows`` in file order, None where a text awaits its score;
    ``where`` indexes those rows, ``texts``/``paths`` are theirs."""

    rows: list[dict | None]
    where: list[int]
    texts: list[str]
    paths: list[str]

    def fill(self, scored: list[dict]) -> list[dict]:
        """The rows of the chunk, with the rows of its scored texts in place."""
        for i, row in zip(self.where, scored):
            self.rows[i] = row
        return self.rows  # type: ignore[return-value]


def label_chunk(items: list[tuple[str, str | None]], options: Options) -> list[dict]:
    """Rows for a chunk of (path, error) items: read each file, then score the readable ones
    in one batch."""
    chunk = read_chunk(items, options)
    return chunk.fill(score_rows(chunk.texts, chunk.paths, options))


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


def _worker_init(parent: int, options: Options) -> None:
    _die_with_parent(parent)
    # one process per core: keep native thread pools from oversubscribing the machine
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    # The tables are read here, by each worker at once, not by the parent before the fork:
    # read in the parent they were serial start-up (~0.5 s) and each worker then paid ~0.3 s
    # of copy-on-write faults on them anyway (reference counts and the collector write to
    # every page they touch), so sharing them saved memory but not time.
    try:
        warm_up(options)
    except Exception:  # noqa: BLE001 - a failure here is reported by the chunk that meets it
        pass


def chunks(items: Iterable, size: int) -> Iterator[list]:
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
            self.jobs,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(os.getpid(), self.options),
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
        for k, chunk in enumerate(chunks(items, CHUNK)):
            yield from label_chunk(chunk, options)
            if k == 0 and len(chunk) == CHUNK:  # more may follow: the tables are loaded now
                settle()
        return
    pool = _Pool(jobs, options)  # each worker reads the tables (see _worker_init)
    try:
        for chunk in chunks(items, CHUNK):
            pool.submit(chunk)
            while pool.full():
                yield from pool.next_rows()
        while pool.pending:
            yield from pool.next_rows()
    finally:
        pool.stop()


#: What scores a stream of (path, error) items into rows, in order (see :func:`run`).
Engine = Callable[[Iterable[tuple[str, str | None]], Options], Iterator[dict]]


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
    skip: tuple[str, ...] = (),
    engine: Engine | None = None,
) -> Summary:
    """Label every file under ``targets`` into ``sink``; the summary counts every row of the
    output, including those a resumed run found there. KeyboardInterrupt (Ctrl-C, or SIGTERM
    turned into it by the caller) leaves complete rows in ``out.partial`` and is re-raised
    with ``summary.kept`` set on the exception's ``summary`` attribute. ``skip``: glob
    patterns of files and folders left out (the configuration's ``exclude``). ``engine`` scores
    the files (default: :func:`label_rows` in this process or ``jobs`` local workers; a Dask
    cluster's is :func:`mtdetect.cluster.engine`)."""
    check_pattern(pattern)
    if sink.out is not None:
        check_out_is_not_input(sink.out, targets, pattern)
    done = sink.open(resume)
    summary = Summary(skipped=0, errors=done.errors, machine=done.machine)
    exclude = (
        frozenset({str(sink.real), str(sink.partial)}) if sink.out is not None else frozenset()
    )
    walk = Walk(pattern, exclude, skip)

    def todo() -> Iterator[tuple[str, str | None]]:
        for path, error in walk(targets):
            if done.keys and row_key(path) in done.keys:
                summary.skipped += 1
                continue
            yield path, error

    try:
        rows = engine(todo(), options) if engine else label_rows(todo(), options, jobs)
        for row in rows:
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
