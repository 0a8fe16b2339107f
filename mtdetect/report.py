"""Renderers: reports → text, JSON, JSONL; label rows → CSV/JSONL. No analysis here."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable

from mtdetect.findings import LABELS, Report

LABEL_COLUMNS = (
    "path",
    "label",
    "machine",
    "human",
    "translated",
    "spun",
    "words",
    "reliable",
    "flags",
    "error",
)


def render_text(report: Report) -> str:
    """A verdict line, then one ``path:line:col: rule: reason (suggest: …)`` line per flag."""
    s = report.scores
    head = (
        f"{report.path}: {report.label.upper()} (machine {report.machine:.2f}; "
        + " ".join(f"{k} {s[k]:.2f}" for k in LABELS)
        + f"; {report.words} words"
    )
    if not report.reliable:
        head += ", too short to judge reliably"
    lines = [head + ")"]
    for f in report.flags:
        sugg = f" (suggest: {f.suggestion})" if f.suggestion else ""
        lines.append(f"{report.path}:{f.line}:{f.column}: {f.rule}: {f.reason}{sugg}")
    if report.label != "human" and report.sentences:
        lines.append(f"{report.path}: evidence sentences ({report.label}):")
        for s in report.sentences:
            text = " ".join(s.text.split())
            text = text if len(text) <= 100 else text[:99] + "…"
            why = "; ".join(r.rstrip(".") for r in s.reasons)
            lines.append(f'{report.path}:{s.line}: [{s.score:.2f}] "{text}" — {why}')
    return "\n".join(lines)


def render_summary(reports: list[Report], errors: int = 0) -> str:
    counts = Counter(r.label for r in reports)
    flags = sum(len(r.flags) for r in reports)
    parts = ", ".join(f"{counts.get(k, 0)} {k}" for k in LABELS)
    n = len(reports)
    text = f"{n} document{'s' if n != 1 else ''}: {parts}; {flags} flag{'s' if flags != 1 else ''}"
    if errors:
        text += f"; {errors} error{'s' if errors != 1 else ''}"
    return text


def render_json(reports: Iterable[Report]) -> str:
    return json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False)


def render_jsonl_line(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False)


def label_row(path: str, report: Report | None = None, error: str = "") -> dict:
    """One row of ``mtdetect label`` output; scores empty when there is an error."""
    if report is None:
        return {
            "path": path,
            "label": "",
            "machine": "",
            "human": "",
            "translated": "",
            "spun": "",
            "words": "",
            "reliable": "",
            "flags": "",
            "error": error,
        }
    return {
        "path": path,
        "label": report.label,
        "machine": round(report.machine, 4),
        "human": round(report.scores["human"], 4),
        "translated": round(report.scores["translated"], 4),
        "spun": round(report.scores["spun"], 4),
        "words": report.words,
        "reliable": report.reliable,  # False: too short to judge reliably
        "flags": len(report.flags),
        "error": error,
    }


def csv_header(columns: tuple[str, ...] = LABEL_COLUMNS) -> str:
    return _csv_line(columns)


def csv_row(row: dict, columns: tuple[str, ...] = LABEL_COLUMNS) -> str:
    return _csv_line([_csv_value(row[k]) for k in columns])


def _csv_value(v):
    return ("true" if v else "false") if isinstance(v, bool) else v


def _csv_line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def jsonl_row(row: dict, columns: tuple[str, ...] = LABEL_COLUMNS) -> str:
    return (
        json.dumps({k: (None if row[k] == "" else row[k]) for k in columns}, ensure_ascii=False)
        + "\n"
    )
