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
) -> None:
    """Label every file under folders: one row per file; bad files get an error row."""
    from mtdetect import batch
    from mtdetect.rows import RowSink

    det = _load(model, trust_model)  # fail early, once, on a bad model
    options = batch.Options(
        str(model) if model else None, trust_model, encoding, max_bytes, threshold
    )
    batch.preload(det, options)  # this process and forked workers reuse it
    sink = RowSink(out, format.value, sys.stdout)
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
        summary = batch.run(list(targets), sink, options, glob, jobs, resume, on_row)
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
        do_train(data, out, seed=seed, jobs=jobs, log=lambda m: typer.echo(m, err=True))
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


def main() -> None:  # console-script entry point
    try:
        app()
    except KeyboardInterrupt:  # outside a command (e.g. while parsing arguments)
        _err("interrupted")
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the exit contract, outside the commands too
        _err(f"internal error: {type(e).__name__}: {e}")
        sys.exit(EXIT_INTERNAL)
