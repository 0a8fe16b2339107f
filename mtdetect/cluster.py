"""Labelling on a Dask distributed cluster: ``mtdetect label ... --scheduler ADDRESS``
(``pip install 'mtdetect[dask]'`` on the client and on every worker).

The client walks the folders and reads the files as a local run does (the same error rows),
sends chunks of texts to the cluster, and gets each chunk's rows back; rows are yielded in the
order the files were found, each chunk as soon as it and those before it are done, so they are
written as they arrive through the same :class:`~mtdetect.rows.RowSink` (``--resume`` works as
locally). At most 2 × (worker threads) chunks are in flight, so the client's memory stays
bounded whatever the number of files. Workers score with their own installed mtdetect and model
(the shipped one, or ``--model PATH`` at the same path on every worker); the client checks
before it starts that every worker has the model it has (the sha256 of its card).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from mtdetect import report as rp
from mtdetect.batch import CHUNK, Chunk, Engine, Options, chunks, model_digest, read_chunk
from mtdetect.batch import score_rows as _score_rows
from mtdetect.inputs import InputError

#: Seconds to wait for the scheduler before giving up.
CONNECT_TIMEOUT = 30


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'mtdetect[dask]'") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {e}") from None


def _check_workers(client, options: Options) -> None:
    """Every worker scores with the model this client has (the same card sha256)."""
    want = model_digest(options)
    try:
        got = client.run(model_digest, options)
    except Exception as e:  # noqa: BLE001 - a worker without mtdetect or the model
        raise InputError(f"a Dask worker cannot load the model: {type(e).__name__}: {e}") from None
    if not got:
        raise InputError("the Dask cluster has no workers")
    other = sorted(w for w, digest in got.items() if digest != want)
    if other:
        raise InputError(
            f"Dask worker {other[0]} has another model than this client "
            f"({len(other)} of {len(got)}): install the same mtdetect and model on every worker"
        )


@contextmanager
def connect(address: str, options: Options) -> Iterator[Engine]:
    """An engine for :func:`mtdetect.batch.run` that scores on the cluster at ``address``
    (connected and checked now: a bad address is an InputError before any row is written)."""
    client = _client(address)
    try:
        _check_workers(client, options)

        def engine(items: Iterable[tuple[str, str | None]], opts: Options) -> Iterator[dict]:
            return _rows(client, items, opts)

        yield engine
    finally:
        client.close()


def _rows(client, items: Iterable[tuple[str, str | None]], options: Options) -> Iterator[dict]:
    window = 2 * max(1, sum(client.nthreads().values()))
    pending: deque = deque()
    for items_ in chunks(items, CHUNK):
        chunk = read_chunk(items_, options)
        pending.append((chunk, _submit(client, chunk.texts, chunk.paths, options)))
        while len(pending) >= window:
            yield from _done(client, *pending.popleft(), options)
    while pending:
        yield from _done(client, *pending.popleft(), options)


def _submit(client, texts: list[str], paths: list[str], options: Options):
    if not texts:
        return None
    # pure=False: no hashing of the texts for a task key (each chunk is scored once)
    return client.submit(_score_rows, texts, paths, options, pure=False)


def _done(client, chunk: Chunk, future, options: Options) -> list[dict]:
    """The rows of a chunk; if its task killed workers, its files scored one by one, and a
    file that kills a worker again gets an error row (as a local run's)."""
    from distributed import KilledWorker

    if future is None:
        return chunk.fill([])
    try:
        return chunk.fill(future.result())
    except KilledWorker:
        rows = []
        for text, path in zip(chunk.texts, chunk.paths):
            try:
                rows += _submit(client, [text], [path], options).result()
            except KilledWorker:
                msg = f"{path}: a worker process died scoring it (killed: out of memory?)"
                rows.append(rp.label_row(path, error=msg))
        return chunk.fill(rows)
