"""The ``mtdetect`` command line: thin Typer commands over the library. Only this module exits.

Exit status: 0 every document human; 1 at least one document not human; 2 a usage or input
error (2 wins over 1); 3 an internal error (a bug, or the machine ran out of memory) — never 1,
which a script would read as "machine text found". Every error is one line on stderr, never a
traceback; 130 / 143 after Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from mtdetect.inputs import DEFAULT_MAX_BYTES, InputError, check_text, decode_bytes, read_text_file

app = typer.Typer(
    help="Tell whether English text was written by a person, machine-translated, or spun — "
    "and show where and why.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

#: Exit status of an internal error (distinct from 1, "machine text found").
EXIT_INTERNAL = 3
#: ``score``: a batch of files analysed together is closed once it holds this many characters
BATCH_CHARS = 1_000_000


def _version(value: bool) -> None:
    if value:
        from mtdetect import __version__

        typer.echo(f"mtdetect {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """Tell whether English text was written by a person, machine-translated, or spun — and
    show where and why."""


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    html = "html"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


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
        except BrokenPipeError:  # `mtdetect score ... | head`: the reader has gone, stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
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


def _reviewed(det, paths: list[str], encoding, max_bytes: int, cfg, markdown):
    """(report or InputError, text, path) of each path in order; the files read are analysed
    in batches of up to CHUNK texts (as ``label`` scores them), a batch closed once it holds
    BATCH_CHARS characters (long files are analysed alone, in bounded memory)."""
    from mtdetect.batch import CHUNK, settle
    from mtdetect.review import review_many

    def flush(read: list) -> Iterator[tuple]:
        ok = [r for _, r in read if not isinstance(r, InputError)]
        done = iter(review_many(det, ok, cfg, markdown))
        for path, r in read:
            yield (r, "", path) if isinstance(r, InputError) else (next(done), r[0], path)

    read: list[tuple[str, tuple[str, str] | InputError]] = []
    size = 0
    for k, path in enumerate(paths, 1):
        try:
            text = _read(path, encoding, max_bytes)
            read.append((path, (text, path)))
            size += len(text)
        except InputError as e:
            read.append((path, e))
        if len(read) >= CHUNK or size >= BATCH_CHARS:
            yield from flush(read)
            if k == len(read) and k < len(paths):  # more follow: the tables are loaded now
                settle()
            read, size = [], 0
    yield from flush(read)


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


ConfigOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        help="Settings file (.mtdetect.toml or pyproject.toml with \\[tool.mtdetect]; default: "
        "the first found going up from the working directory).",
    ),
]
NoConfigOpt = Annotated[bool, typer.Option("--no-config", help="Ignore every configuration file.")]
ColorOpt = Annotated[
    Color,
    typer.Option(
        "--color",
        help="Colour the text output: auto (on a terminal, unless NO_COLOR is set), always "
        "or never.",
    ),
]


def _config(path: Optional[Path], none: bool, **options):
    """The settings of a run: the config file (unless ``none``) overridden by ``options``."""
    from mtdetect import config

    if options.get("select") is not None and options.get("ignore") is None:
        options["ignore"] = ()  # --select on the command line replaces the file's selection
    try:
        cfg = config.Config() if none else config.load(path)
        if options.get("select") is not None or options.get("ignore") is not None:
            from mtdetect.rules import check_selectors

            for key in ("select", "ignore"):
                if options.get(key) is not None:
                    options[key] = check_selectors(options[key], f"--{key}")
        return cfg.override(**options)
    except InputError as e:
        _err(str(e))
        raise typer.Exit(2) from None


class _Output:
    """Where a run's output goes: standard output as it comes, or ``--out FILE``, written
    whole at the end (created, never overwritten: a file that exists is refused)."""

    def __init__(self, out: Optional[Path], inputs: list[str]):
        self.out, self.parts = out, []
        if out is None:
            return
        real = os.path.realpath(out)
        if any(p != "-" and os.path.realpath(p) == real for p in inputs):
            _err(f"--out {out} is one of the inputs; choose another file")
            raise typer.Exit(2)
        if os.path.lexists(out):
            _err(f"--out {out} already exists; choose a new file (mtdetect never overwrites one)")
            raise typer.Exit(2)

    def write(self, text: str, nl: bool = True) -> None:
        if self.out is None:  # colour codes were added only if wanted: click must keep them
            typer.echo(text, nl=nl, color=True)
        else:
            self.parts.append(text + ("\n" if nl else ""))

    def close(self) -> None:
        if self.out is None:
            return
        try:
            with open(self.out, "x", encoding="utf-8") as fh:
                fh.write("".join(self.parts))
        except OSError as e:
            _err(f"--out {self.out}: cannot write ({e.strerror or e})")
            raise typer.Exit(2) from None


@app.command()
@guarded
def score(
    paths: Annotated[list[str], typer.Argument(help="Text files to score; '-' reads stdin.")],
    format: Annotated[
        ScoreFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (for a person), json (one array), jsonl (one object a line), sarif "
            "(SARIF 2.1.0 for code review and CI) or html (one self-contained page).",
        ),
    ] = ScoreFormat.text,
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out", "-o", help="Write the output to this new file instead of standard output."
        ),
    ] = None,
    threshold: ThresholdOpt = None,
    fail_on: Annotated[
        Optional[FailOn],
        typer.Option(
            "--fail-on",
            help="Exit 1 on flags of at least this severity, as on a non-human verdict "
            "(error | warning | never; default: error, or the config's fail-on).",
        ),
    ] = None,
    select: Annotated[
        Optional[list[str]],
        typer.Option(help="Show only these rules (ids or prefixes; repeatable)."),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],
        typer.Option(help="Never show these rules (ids or prefixes; repeatable)."),
    ] = None,
    markdown: Annotated[
        Optional[bool],
        typer.Option(
            "--markdown/--no-markdown",
            help="Read the input as Markdown: code, URLs and front matter are not scored "
            "(default: for .md files).",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Text output: the verdict lines only.")
    ] = False,
    statistics: Annotated[
        bool,
        typer.Option(
            "--statistics", help="Text output: end with the flags per rule (with --quiet too)."
        ),
    ] = False,
    color: ColorOpt = Color.auto,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    model: ModelOpt = None,
    trust_model: TrustOpt = False,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Score files: a verdict per document, where its machine text is, and every flag and why.

    Each flagged span comes with its severity, reason and suggestion. Exit status: 0 every
    document human and no flag at the --fail-on severity; 1 otherwise;
    2 an input error."""
    from mtdetect import report as rp
    from mtdetect import terminal
    from mtdetect.review import fails

    cfg = _config(
        config,
        no_config,
        threshold=threshold,
        fail_on=fail_on.value if fail_on else None,
        select=select,
        ignore=ignore,
    )
    sink = _Output(out, paths)
    det = _load(model, trust_model)
    st = terminal.style(color.value, out is None and sys.stdout.isatty())
    items, errors = [], []
    entries: list = []  # reports and (path, error), in input order
    for rep, text, path in _reviewed(det, paths, encoding, max_bytes, cfg, markdown):
        if isinstance(rep, InputError):
            _err(str(rep))
            errors.append((path, str(rep)))
            entries.append(errors[-1])
            if format is ScoreFormat.jsonl:
                sink.write(rp.render_error_line(path, str(rep)))
            continue
        entries.append(rep)
        items.append((rep, text) if format is ScoreFormat.html else (rep, ""))
        if format is ScoreFormat.text:
            sink.write(terminal.quiet(rep, st) if quiet else terminal.render(rep, st))
        elif format is ScoreFormat.jsonl:
            sink.write(rp.render_jsonl_line(rep))
    reports = [r for r, _ in items]
    if format is ScoreFormat.json:
        sink.write(rp.render_json(entries))
    elif format is ScoreFormat.sarif:
        from mtdetect import sarif

        sink.write(sarif.render(reports, errors))
    elif format is ScoreFormat.html:
        from mtdetect import htmlreport

        sink.write(htmlreport.render(items, errors), nl=False)
    elif format is ScoreFormat.text:
        if not quiet:
            sink.write(terminal.summary(reports, len(errors), st))
        if statistics:  # asked for, so shown with --quiet too (after the verdict lines)
            from mtdetect.rules import precision

            sink.write(terminal.statistics(reports, st, precision))
    sink.close()
    raise typer.Exit(2 if errors else int(any(fails(r, cfg.fail_on) for r in reports)))


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
    format: Annotated[
        LabelFormat, typer.Option("--format", "-f", help="Rows as csv or jsonl.")
    ] = LabelFormat.csv,
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
    exclude: Annotated[
        Optional[list[str]],
        typer.Option(
            "--exclude",
            help="Leave out files and folders matching this glob (repeatable; adds to the "
            "config's exclude). Hidden folders, Python environments, *.egg-info and "
            "node_modules are always left out.",
        ),
    ] = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> None:
    """Label every file under folders: one row per file; bad files get an error row."""
    from mtdetect import batch
    from mtdetect import report as rp
    from mtdetect.rows import RowSink

    cfg = _config(config, no_config, threshold=threshold)
    skip = cfg.exclude + tuple(exclude or ())
    det = _load(model, trust_model)  # fail early, once, on a bad model
    options = batch.Options(
        str(model) if model else None, trust_model, encoding, max_bytes, cfg.threshold
    )
    batch.preload(det, options)  # this process and forked workers reuse it
    columns, extra = None, None
    if trace:  # tracing needs every text first: the files are listed before labelling
        from mtdetect.trace.api import TRACE_COLUMNS, trace_files
        from mtdetect.walk import Walk

        paths = [p for p, err in Walk(glob, skip=skip)(list(targets)) if err is None]
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
            summary = batch.run(
                list(targets), sink, options, glob, jobs, resume, on_row, skip, engine
            )
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
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Model file to write (its card goes beside it).")
    ] = Path("models/mtdetect.model.json"),
    seed: Annotated[int, typer.Option(help="Random seed of the validation split and fits.")] = 0,
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
    with_family: Annotated[
        Optional[list[str]],
        typer.Option(help="Add an opt-in feature family (e.g. terms) to the default ones."),
    ] = None,
    register_norm: Annotated[
        bool,
        typer.Option(
            help="Also give the classifier each feature against its register's human baseline "
            "(needs records with meta.register_class)."
        ),
    ] = False,
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
            register_norm=register_norm,
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
    format: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="Figures as text or json.")
    ] = EvalFormat.text,
    threshold: ThresholdOpt = None,
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
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
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
    format: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="text, json, jsonl or html.")
    ] = TraceFormat.text,
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


class RulesFormat(str, Enum):
    text = "text"
    json = "json"


@app.command("rules")
@guarded
def rules_cmd(
    rule: Annotated[
        Optional[str],
        typer.Argument(help="A rule id or prefix: show its rules in full (default: list all)."),
    ] = None,
    format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="text or json.")
    ] = RulesFormat.text,
    color: ColorOpt = Color.auto,
) -> None:
    """The rules flags come from: id, kind, severity, what each catches, an example it flags,
    and its precision measured on held-out text."""
    from mtdetect import rules as rl
    from mtdetect import terminal

    chosen = list(rl.all_rules())
    if rule is not None:
        chosen = [r for r in chosen if r.id.startswith(rule)]
        if not chosen:
            _err(f"no rule {rule!r}; `mtdetect rules` lists them")
            raise typer.Exit(2)
    if format is RulesFormat.json:
        docs = [
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity,
                "catches": r.catches,
                "example": r.flags[0] if r.flags else None,
                "measured": rl.precision(r.id),
            }
            for r in chosen
        ]
        typer.echo(json.dumps(docs, indent=2, ensure_ascii=False))
        return
    st = terminal.style(color.value, sys.stdout.isatty())
    about = rl.measured()
    typer.echo(
        terminal.rules(chosen, st, rl.precision, full=rule is not None, about=about), color=True
    )


def _reflow(doc: str) -> str:
    """A docstring as help text: typer's rich help keeps the line breaks of its paragraphs
    (after the first), which then break lines mid-sentence; paragraphs stay apart."""
    paras = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paras)


for _typer in (app, index_app):
    for _cmd in _typer.registered_commands:
        if _cmd.help is None and _cmd.callback is not None and _cmd.callback.__doc__:
            _cmd.help = _reflow(_cmd.callback.__doc__)


def main() -> None:  # console-script entry point
    try:
        # not standalone: a usage error is ours to print, as one line (typer boxes it)
        status = app(standalone_mode=False)
    except typer.Abort:
        _err("aborted")
        sys.exit(1)
    except KeyboardInterrupt:  # outside a command (e.g. while parsing arguments)
        _err("interrupted")
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the exit contract, outside the commands too
        # click's exceptions (vendored by recent typer, so matched by what they have)
        if hasattr(e, "format_message") and isinstance(getattr(e, "exit_code", None), int):
            if type(e).__name__ == "NoArgsIsHelpError":  # bare `mtdetect`: the help
                typer.echo(e.format_message())
            else:
                ctx = getattr(e, "ctx", None)
                cmd = ctx.command_path if ctx is not None else "mtdetect"
                _err(f"{e.format_message()} (see `{cmd} --help`)")
            sys.exit(e.exit_code)
        _err(f"internal error: {type(e).__name__}: {e}")
        sys.exit(EXIT_INTERNAL)
    sys.exit(status if isinstance(status, int) else 0)
