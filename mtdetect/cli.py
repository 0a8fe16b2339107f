"""The ``mtdetect`` command line: thin Typer commands over the library. Only this module exits.

Exit status: 0 every document human; 1 at least one document not human; 2 a usage or input
error (2 wins over 1).
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from mtdetect.inputs import DEFAULT_MAX_BYTES, InputError, check_text, decode_bytes, read_text_file

app = typer.Typer(
    help="Tell whether English text was written by a person, machine-translated, or spun — "
    "and show where and why.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class LabelFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"


class EvalFormat(str, Enum):
    text = "text"
    json = "json"


class TraceFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"


def _err(msg: str) -> None:
    typer.echo(f"mtdetect: {msg}", err=True)


def _load(model: Optional[Path]):
    from mtdetect.model import ModelError, load_model

    try:
        return load_model(model)
    except ModelError as e:
        _err(str(e))
        raise typer.Exit(2) from None


ModelOpt = Annotated[
    Optional[Path],
    typer.Option("--model", help="Model file (default: $MTDETECT_MODEL or the shipped model)."),
]
EncodingOpt = Annotated[
    Optional[str],
    typer.Option(help="Text encoding (default: UTF-8, or UTF-8/UTF-16 by BOM)."),
]
MaxBytesOpt = Annotated[int, typer.Option(help="Refuse files larger than this many bytes.")]


def _read(path: str, encoding: Optional[str], max_bytes: int) -> str:
    if path == "-":
        if sys.stdin is None or sys.stdin.closed:
            raise InputError("-: no standard input")
        data = (
            sys.stdin.buffer.read(max_bytes + 1)
            if hasattr(sys.stdin, "buffer")
            else (sys.stdin.read().encode("utf-8"))
        )
        if len(data) > max_bytes:
            raise InputError(f"-: input is over the limit of {max_bytes:,} bytes")
        text = decode_bytes(data, encoding, "-")
    else:
        text = read_text_file(path, encoding, max_bytes)
    check_text(text, path)
    return text


@app.command()
def score(
    paths: Annotated[list[str], typer.Argument(help="Text files to score; '-' reads stdin.")],
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.text,
    threshold: Annotated[
        Optional[float],
        typer.Option(min=0.0, max=1.0, help="Decision threshold on `machine` (default: model's)."),
    ] = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Score files: a verdict per document and every flagged span with its reason."""
    from mtdetect import report as rp

    det = _load(model)
    reports, errors = [], 0
    for path in paths:
        try:
            text = _read(path, encoding, max_bytes)
        except InputError as e:
            _err(str(e))
            errors += 1
            continue
        rep = det.analyze(text, path=path, threshold=threshold)
        reports.append(rep)
        if format is ScoreFormat.text:
            typer.echo(rp.render_text(rep))
        elif format is ScoreFormat.jsonl:
            typer.echo(rp.render_jsonl_line(rep))
    if format is ScoreFormat.json:
        typer.echo(rp.render_json(reports))
    elif format is ScoreFormat.text:
        typer.echo(rp.render_summary(reports, errors))
    raise typer.Exit(2 if errors else int(any(r.label != "human" for r in reports)))


def _collect(targets: list[str], pattern: str) -> list[tuple[str, Optional[str]]]:
    """(path, error) pairs: files under each target, or the target with its error."""
    out: list[tuple[str, Optional[str]]] = []
    for t in targets:
        p = Path(t)
        if p.is_dir():
            files = sorted(f for f in p.rglob(pattern) if f.is_file())
            out.extend((str(f), None) for f in files)
        elif p.exists():
            out.append((t, None))
        else:
            out.append((t, f"{t}: no such file or directory"))
    return out


_WORKER: dict = {}


def _worker_init() -> None:
    # One process per core: keep native thread pools from oversubscribing the machine.
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _label_chunk(args: tuple[list[str], Optional[str], Optional[str], int, Optional[float]]):
    """Rows for a chunk of files: read each, then score the readable ones in one batch."""
    from mtdetect import report as rp

    paths, encoding, model, max_bytes, threshold = args
    det = _WORKER.get(model)
    if det is None:
        from mtdetect.model import load_model

        det = _WORKER[model] = load_model(model)
    rows: list[Optional[dict]] = []
    texts, where = [], []
    for path in paths:
        try:
            text = read_text_file(path, encoding, max_bytes)
            check_text(text, path)
        except InputError as e:
            rows.append(rp.label_row(path, error=str(e)))
            continue
        where.append(len(rows))
        rows.append(None)
        texts.append(text)
    try:
        reports = det.analyze_many(texts, [paths[i] for i in where], threshold)
    except Exception:  # noqa: BLE001 - isolate the file that fails, one bad file must not stop a batch
        reports = []
        for text, i in zip(texts, where):
            try:
                reports.append(det.analyze(text, paths[i], threshold))
            except Exception as e:  # noqa: BLE001
                reports.append(f"{paths[i]}: internal error: {type(e).__name__}: {e}")
    for i, rep in zip(where, reports):
        rows[i] = (
            rp.label_row(paths[i], error=rep)
            if isinstance(rep, str)
            else rp.label_row(paths[i], rep)
        )
    return rows


@app.command()
def label(
    targets: Annotated[list[str], typer.Argument(help="Folders (searched recursively) or files.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write rows here.")] = None,
    format: Annotated[LabelFormat, typer.Option("--format", "-f")] = LabelFormat.csv,
    glob: Annotated[str, typer.Option(help="File pattern inside folders.")] = "*.txt",
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    threshold: Annotated[Optional[float], typer.Option(min=0.0, max=1.0)] = None,
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    trace: Annotated[
        bool,
        typer.Option(
            "--trace",
            help="Add source and relation columns (files traced "
            "against each other, see `mtdetect trace`).",
        ),
    ] = False,
) -> None:
    """Label every file under folders: one row per file; bad files get an error row."""
    from mtdetect import report as rp

    det = _load(model)  # fail early, once, on a bad model
    model_key = str(model) if model else None
    _WORKER[model_key] = det  # in-process chunks reuse it; worker processes load their own
    items = _collect(targets, glob)
    columns, links = rp.LABEL_COLUMNS, None
    if trace:
        from mtdetect.trace.api import TRACE_COLUMNS, trace_files

        columns = rp.LABEL_COLUMNS + TRACE_COLUMNS
        links = trace_files([p for p, e in items if not e], encoding, max_bytes, det)
    try:
        sink = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    except OSError as e:
        _err(f"{out}: cannot write ({e.strerror or e})")
        raise typer.Exit(2) from None
    errors = machine = 0

    def write(row: dict) -> None:
        nonlocal errors, machine
        if row["error"]:
            errors += 1
            _err(row["error"])
        elif row["label"] != "human":
            machine += 1
        if links is not None:
            row = {**row, **links.get(row["path"], dict.fromkeys(TRACE_COLUMNS, ""))}
        line = rp.csv_row(row, columns) if format is LabelFormat.csv else rp.jsonl_row(row, columns)
        sink.write(line)  # one write per complete row, then flush: no half-written rows
        sink.flush()

    try:
        if format is LabelFormat.csv:
            sink.write(rp.csv_header(columns))
            sink.flush()
        todo = []
        for path, error in items:
            if error:
                write(rp.label_row(path, error=error))
            else:
                todo.append(path)
        chunk = 16
        chunks = [
            (todo[i : i + chunk], encoding, model_key, max_bytes, threshold)
            for i in range(0, len(todo), chunk)
        ]
        pool = None
        if jobs > 1 and len(chunks) > 1:
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(jobs, initializer=_worker_init)
            results = pool.map(_label_chunk, chunks)
        else:
            results = map(_label_chunk, chunks)
        bar = None
        if sys.stderr.isatty() and len(todo) > 1:
            bar = typer.progressbar(length=len(todo), label="labelling", file=sys.stderr)
            bar.__enter__()
        try:
            for rows in results:
                for row in rows:
                    write(row)
                if bar is not None:
                    bar.update(len(rows))
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    except KeyboardInterrupt:
        _err("interrupted; rows written so far are complete")
        raise typer.Exit(130) from None
    finally:
        if out:
            sink.close()
    if not items:
        _err(f"no files matching {glob!r} under {', '.join(targets)}")
        raise typer.Exit(2)
    raise typer.Exit(2 if errors else int(machine > 0))


@app.command()
def train(
    data: Annotated[list[Path], typer.Argument(help="Labelled JSONL files or label folders.")],
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("models/mtdetect.joblib"),
    seed: Annotated[int, typer.Option()] = 0,
    jobs: Annotated[int, typer.Option(min=1)] = 2,
) -> None:
    """Train a model (records with split=test are left out) and write it with its card."""
    from mtdetect.training import train as do_train

    try:
        do_train(data, out, seed=seed, jobs=jobs, log=lambda m: typer.echo(m, err=True))
    except (InputError, ValueError) as e:
        _err(str(e))
        raise typer.Exit(2) from None


@app.command()
def evaluate(
    data: Annotated[list[Path], typer.Argument(help="Labelled JSONL files or label folders.")],
    model: ModelOpt = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f")] = EvalFormat.text,
    threshold: Annotated[Optional[float], typer.Option(min=0.0, max=1.0)] = None,
    baseline: Annotated[
        Optional[list[Path]],
        typer.Option(help="Training data for the char-n-gram baseline (reported side by side)."),
    ] = None,
    typography: Annotated[
        bool, typer.Option(help="Also score curly-quote re-typeset text.")
    ] = False,
    update_card: Annotated[
        bool, typer.Option(help="Write the figures into the model card.")
    ] = False,
    jobs: Annotated[int, typer.Option(min=1)] = 2,
) -> None:
    """Evaluate a model on labelled data: accuracy, macro-F1, per class, AUROC, FPR, breakdowns."""
    from mtdetect import report as rp
    from mtdetect.datasets import load_records
    from mtdetect.evaluate import baseline as run_baseline
    from mtdetect.evaluate import evaluate as run_eval
    from mtdetect.evaluate import write_card_metrics

    det = _load(model)
    try:
        records = load_records(data)
        base_train = load_records(baseline) if baseline else None
    except InputError as e:
        _err(str(e))
        raise typer.Exit(2) from None
    if not records:
        _err("no records to evaluate")
        raise typer.Exit(2)
    res = run_eval(det, records, threshold, jobs, typography_check=typography)
    if base_train:
        res["baseline"] = run_baseline(base_train, records)
    if update_card:
        write_card_metrics(model, res, data)
    typer.echo(
        json.dumps(res, indent=2) if format is EvalFormat.json else rp.render_evaluation(res)
    )


def _read_all(
    targets: list[str], glob: str, encoding: Optional[str], max_bytes: int
) -> tuple[list[tuple[str, str]], int]:
    """(path, text) of every readable file under ``targets``, and the number of bad ones (each
    reported on one line)."""
    items, errors = [], 0
    for path, error in _collect(targets, glob):
        try:
            if error:
                raise InputError(error)
            text = read_text_file(path, encoding, max_bytes)
            check_text(text, path)
        except InputError as e:
            _err(str(e))
            errors += 1
            continue
        items.append((path, text))
    return items, errors


@app.command("trace")
def trace_cmd(
    suspects: Annotated[list[str], typer.Argument(help="Suspect files or folders.")],
    against: Annotated[
        Optional[list[str]],
        typer.Option("--against", help="Candidate sources: files or folders (repeatable)."),
    ] = None,
    index: Annotated[
        Optional[Path], typer.Option("--index", help="A saved index (`mtdetect index build`).")
    ] = None,
    format: Annotated[TraceFormat, typer.Option("--format", "-f")] = TraceFormat.text,
    top: Annotated[int, typer.Option(min=1, help="Candidate sources listed per suspect.")] = 5,
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    glob: Annotated[str, typer.Option(help="File pattern inside folders.")] = "*.txt",
    model: ModelOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Find the source each suspect was rewritten from, the relation (copy, spun, translated,
    independent, none), which is the rewrite, and every substitution. Without --against or
    --index the suspects are traced against each other. Exit 1 if any suspect is a rewrite."""
    from mtdetect.trace import render
    from mtdetect.trace.api import trace
    from mtdetect.trace.index import IndexFileError, TraceIndex

    if against and index:
        _err("use either --against or --index, not both")
        raise typer.Exit(2)
    det = _load(model)  # fail early, once, on a bad model
    items, errors = _read_all(suspects, glob, encoding, max_bytes)
    sources = None
    if index:
        try:
            sources = TraceIndex.load(index)
        except IndexFileError as e:
            _err(str(e))
            raise typer.Exit(2) from None
    elif against:
        sources, bad = _read_all(against, glob, encoding, max_bytes)
        errors += bad
        if not sources:
            if not bad:  # bad files were reported, one line each
                _err(f"no files matching {glob!r} under {', '.join(against)}")
            raise typer.Exit(2)
    if not items:
        if not errors:
            _err(f"no files matching {glob!r} under {', '.join(suspects)}")
        raise typer.Exit(2)
    results = trace(
        items,
        sources,
        top=top,
        detector=det if jobs <= 1 else None,
        jobs=jobs,
        detector_path=str(model) if model else None,
    )
    if format is TraceFormat.text:
        for r in results:
            typer.echo(render.render_text(r))
        typer.echo(render.render_summary(results, errors))
    elif format is TraceFormat.jsonl:
        for r in results:
            typer.echo(render.render_jsonl_line(r))
    elif format is TraceFormat.json:
        typer.echo(render.render_json(results))
    else:
        typer.echo(render.render_html(results), nl=False)
    raise typer.Exit(2 if errors else int(any(r.is_rewrite for r in results)))


index_app = typer.Typer(
    help="Indexes of source articles for `trace --index`.", no_args_is_help=True
)
app.add_typer(index_app, name="index")


@index_app.command("build")
def index_build(
    targets: Annotated[list[str], typer.Argument(help="Folders (searched recursively) or files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="New folder to write the index to.")],
    glob: Annotated[str, typer.Option(help="File pattern inside folders.")] = "*.txt",
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Index source articles for `mtdetect trace --index` (unreadable files are reported and
    left out; exit 2 if there were any)."""
    from mtdetect.trace.index import IndexFileError, TraceIndex

    if out.exists():
        _err(f"{out}: already exists; choose a new path for the index")
        raise typer.Exit(2)
    items, errors = _read_all(targets, glob, encoding, max_bytes)
    if not items:
        if not errors:
            _err(f"no files matching {glob!r} under {', '.join(targets)}")
        raise typer.Exit(2)
    try:
        TraceIndex.build(items).save(out)
    except IndexFileError as e:
        _err(str(e))
        raise typer.Exit(2) from None
    typer.echo(f"indexed {len(items)} file{'s' if len(items) != 1 else ''} into {out}")
    raise typer.Exit(2 if errors else 0)


def main() -> None:  # console-script entry point
    app()
