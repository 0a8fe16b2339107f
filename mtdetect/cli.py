"""The ``mtdetect`` command line: thin Typer commands over the library. Only this module exits.

Exit status: 0 every document human; 1 at least one document not human; 2 a usage or input
error (2 wins over 1); 3 an internal error (a bug, or the machine ran out of memory) — never 1,
which a script would read as "machine text found". Every error is one line on stderr, never a
traceback; 130 / 143 after Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
from contextlib import contextmanager
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

#: Exit status of an internal error (distinct from 1, "machine text found").
EXIT_INTERNAL = 3


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
    typer.echo(f"mtdetect: {' '.join(str(msg).split())}", err=True)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interrupt so that outputs are closed as after Ctrl-C."""


def _on_sigterm(signum, frame) -> None:
    raise _Terminated()


def guarded(command):
    """Run a command with the exit contract: internal errors → one line and exit 3."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:  # SIGTERM closes outputs as Ctrl-C does (only the main thread may set it)
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:
            previous = None
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except _Terminated:
            _err("terminated")
            raise typer.Exit(143) from None
        except KeyboardInterrupt:
            _err("interrupted")
            raise typer.Exit(130) from None
        except MemoryError:
            _err("internal error: out of memory (try a smaller --max-bytes or fewer --jobs)")
            raise typer.Exit(EXIT_INTERNAL) from None
        except RecursionError:
            _err("internal error: input nested too deeply")
            raise typer.Exit(EXIT_INTERNAL) from None
        except Exception as e:  # noqa: BLE001 - the exit contract: never a traceback
            _err(f"internal error: {type(e).__name__}: {e}")
            raise typer.Exit(EXIT_INTERNAL) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return run


def _load(model: Optional[Path], trust: bool = False):
    from mtdetect.persistence import ModelError, load_model

    try:
        return load_model(model, trust=trust)
    except ModelError as e:
        _err(str(e))
        raise typer.Exit(2) from None


ModelOpt = Annotated[
    Optional[Path],
    typer.Option("--model", help="Model file (default: $MTDETECT_MODEL or the shipped model)."),
]
TrustOpt = Annotated[
    bool,
    typer.Option(
        "--trust-model",
        help="Load a pickle (joblib) model: it can run any code, so only one you made.",
    ),
]
EncodingOpt = Annotated[
    Optional[str],
    typer.Option(help="Text encoding (default: UTF-8, or UTF-8/UTF-16 by BOM)."),
]
MaxBytesOpt = Annotated[int, typer.Option(min=1, help="Refuse files larger than this many bytes.")]
ThresholdOpt = Annotated[
    Optional[float],
    typer.Option(min=0.0, max=1.0, help="Decision threshold on `machine` (default: model's)."),
]


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
@guarded
def score(
    paths: Annotated[list[str], typer.Argument(help="Text files to score; '-' reads stdin.")],
    format: Annotated[ScoreFormat, typer.Option("--format", "-f")] = ScoreFormat.text,
    threshold: ThresholdOpt = None,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Score files: a verdict per document and every flagged span with its reason."""
    from mtdetect import report as rp

    det = _load(model, trust_model)
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


@contextmanager
def _engine(scheduler: str | None, options):
    """The Dask cluster's engine with ``--scheduler``, else None (local workers)."""
    if not scheduler:
        yield None
        return
    from mtdetect import cluster

    with cluster.connect(scheduler, options) as engine:
        yield engine


@app.command()
@guarded
def label(
    targets: Annotated[list[str], typer.Argument(help="Folders (searched recursively) or files.")],
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out",
            "-o",
            help="Write rows here (through OUT.partial, renamed to OUT when the run is complete).",
        ),
    ] = None,
    format: Annotated[LabelFormat, typer.Option("--format", "-f")] = LabelFormat.csv,
    glob: Annotated[
        str, typer.Option(help="File pattern inside folders (relative, e.g. '*.txt').")
    ] = "*.txt",
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    resume: Annotated[
        bool,
        typer.Option(help="Continue an interrupted run: keep the rows in --out, label the rest."),
    ] = False,
    threshold: ThresholdOpt = None,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    scheduler: Annotated[
        Optional[str],
        typer.Option(
            "--scheduler",
            help="Score on the Dask cluster of this scheduler (e.g. tcp://host:8786; "
            "pip install 'mtdetect[dask]').",
        ),
    ] = None,
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
    from mtdetect import batch
    from mtdetect import report as rp
    from mtdetect.rows import RowSink

    det = _load(model, trust_model)  # fail early, once, on a bad model
    options = batch.Options(
        str(model) if model else None, trust_model, encoding, max_bytes, threshold
    )
    batch.preload(det, options)  # this process and forked workers reuse it
    columns, extra = None, None
    if trace:  # tracing needs every text first: the files are listed before labelling
        from mtdetect.trace.api import TRACE_COLUMNS, trace_files
        from mtdetect.walk import Walk

        paths = [p for p, err in Walk(glob)(list(targets)) if err is None]
        links = trace_files(paths, encoding, max_bytes, det)
        blank = dict.fromkeys(TRACE_COLUMNS, "")
        columns = rp.LABEL_COLUMNS + TRACE_COLUMNS

        def extra(row: dict) -> dict:
            return {**row, **links.get(row["path"], blank)}

    sink = RowSink(out, format.value, sys.stdout, columns, extra)
    progress = sys.stderr.isatty()
    count = 0

    def on_row(row: dict) -> None:
        nonlocal count
        count += 1
        if row["error"]:
            _err(row["error"])
        if progress:
            sys.stderr.write(f"\rlabelled {count:,} files")
            sys.stderr.flush()

    try:
        with _engine(scheduler, options) as engine:
            summary = batch.run(list(targets), sink, options, glob, jobs, resume, on_row, engine)
    except InputError as e:
        _err(str(e))
        raise typer.Exit(2) from None
    except BaseException as e:
        kept = getattr(getattr(e, "summary", None), "kept", None)
        if kept is not None:
            _err(f"{count:,} new rows kept in {kept}; rerun with --resume to finish the run")
        raise
    finally:
        if progress and count:
            sys.stderr.write("\n")
    if summary.skipped:
        _err(f"resumed: {summary.skipped:,} files already labelled in {out}")
    if not summary.found:
        _err(f"no files matching {glob!r} under {', '.join(targets)}")
        raise typer.Exit(2)
    raise typer.Exit(2 if summary.errors else int(summary.machine > 0))


@app.command()
@guarded
def train(
    data: Annotated[list[Path], typer.Argument(help="Labelled JSONL files or label folders.")],
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("models/mtdetect.model.json"),
    seed: Annotated[int, typer.Option()] = 0,
    jobs: Annotated[int, typer.Option(min=1)] = 2,
    with_family: Annotated[
        Optional[list[str]],
        typer.Option(help="Add an opt-in feature family (e.g. terms) to the default ones."),
    ] = None,
) -> None:
    """Train a model (records with split=test are left out) and write it with its card."""
    from mtdetect.persistence import ModelError, card_path
    from mtdetect.training import train as do_train

    real = {os.path.realpath(p) for p in data}
    for target in (out, card_path(out)):
        if os.path.realpath(target) in real:
            _err(f"--out {out}: would overwrite the input {target}; choose another file")
            raise typer.Exit(2)
    try:
        families = None
        if with_family:
            from mtdetect.vectorize import resolve_families

            families = [f.name for f in resolve_families(None)] + list(with_family)
            resolve_families(families)  # unknown names: a one-line error
        do_train(
            data,
            out,
            seed=seed,
            jobs=jobs,
            families=families,
            log=lambda m: typer.echo(m, err=True),
        )
    except KeyError as e:
        _err(str(e.args[0]))
        raise typer.Exit(2) from None
    except (InputError, ValueError, ModelError) as e:
        _err(str(e))
        raise typer.Exit(2) from None


@app.command()
@guarded
def evaluate(
    data: Annotated[list[Path], typer.Argument(help="Labelled JSONL files or label folders.")],
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
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

    det = _load(model, trust_model)
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
    from mtdetect.walk import Walk, check_pattern

    try:
        check_pattern(glob)
    except InputError as e:
        _err(str(e))
        raise typer.Exit(2) from None
    items, errors = [], 0
    for path, error in Walk(glob)(list(targets)):
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
@guarded
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
    trust_model: TrustOpt = False,
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
    det = _load(model, trust_model)  # fail early, once, on a bad model
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
@guarded
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
    try:
        app()
    except KeyboardInterrupt:  # outside a command (e.g. while parsing arguments)
        _err("interrupted")
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the exit contract, outside the commands too
        _err(f"internal error: {type(e).__name__}: {e}")
        sys.exit(EXIT_INTERNAL)
