"""Reports as text for a person at a terminal: wrapped to the width, grouped by document and
paragraph, coloured only on a terminal, severity on every flag, each reason said once.

Built on ``rich`` (installed with typer, which depends on it): styled words inside wrapped
lines need wrapping that knows escape codes are zero-width, and it handles terminal detection,
``NO_COLOR`` and consoles that are not ANSI terminals. Plain ``textwrap`` would count escape
codes as characters.
"""

from __future__ import annotations

import io
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from mtdetect import paragraphs as para
from mtdetect.findings import LABELS, SEVERITIES, Finding, Report
from mtdetect.report import evidence

LABEL_STYLE = {"human": "bold green", "translated": "bold red", "spun": "bold magenta"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
EXCERPT = 110


@dataclass(frozen=True)
class Style:
    """How to print: ``color`` on or off, ``width`` in columns."""

    color: bool = False
    width: int = 80


def style(color: str = "auto", isatty: bool = False, env: dict | None = None) -> Style:
    """The style for ``--color`` (auto | always | never): colour in ``auto`` only on a terminal
    and without ``NO_COLOR`` (https://no-color.org: set to anything non-empty); the width of
    the terminal (or ``COLUMNS``; 80 when neither is known)."""
    env = os.environ if env is None else env
    on = color == "always" or (
        color == "auto" and isatty and not env.get("NO_COLOR") and env.get("TERM") != "dumb"
    )
    return Style(on, max(40, shutil.get_terminal_size((80, 24)).columns))


def render(report: Report, st: Style) -> str:
    """One document: verdict line, where the machine text is, flags by paragraph, evidence."""
    out = _Out(st)
    out.line(verdict(report))
    if report.basis:
        out.wrapped(Text.assemble(("why: ", "bold"), report.basis), "  ", "    ")
    where = para.summary(report.paragraphs)
    if where:
        out.wrapped(Text.assemble(("where: ", "bold"), where), "  ", "  ")
    by_para = _group(report)
    multi = len(report.paragraphs) > 1
    said: dict[str, str] = {}
    for p, flags in by_para:
        if multi and p is not None:
            head = Text(f"paragraph {p.index} (line {p.line}): ", style="bold")
            head.append(p.label, LABEL_STYLE.get(p.label, ""))
            head.append(f", machine {p.machine:.2f}")
            out.wrapped(head, "  ", "    ")
        for f in flags:
            first = "    " if multi else "  "
            out.wrapped(_flag(f, said), first, first + "    ")
    sentences = evidence(report)
    if sentences:
        out.line(Text(f"  evidence: the sentences that read most as {report.label}", "bold"))
        for s, reasons in sentences:
            t = Text(f"line {s.line}: ", style="dim")
            t.append(f"“{_excerpt(s.text)}”", "italic")
            t.append(" — " + "; ".join(reasons))
            out.wrapped(t, "    ", "      ")
    return out.text()


def verdict(report: Report) -> Text:
    """``path: LABEL (machine 0.86, threshold 0.50; translated 0.97, spun 0.00; 189 words)``."""
    t = Text(f"{report.path}: ")
    t.append(report.label.upper(), LABEL_STYLE.get(report.label, "bold"))
    s = report.scores
    others = ", ".join(f"{k} {s[k]:.2f}" for k in LABELS if k != "human" and k in s)
    t.append(
        f" (machine {report.machine:.2f}, threshold {report.threshold:.2f}; {others}; "
        f"{report.words} words"
    )
    if not report.reliable:
        t.append(", too short to judge reliably", "yellow")
    t.append(")")
    return t


def quiet(report: Report, st: Style) -> str:
    """The verdict line alone (``--quiet``)."""
    out = _Out(st)
    out.line(verdict(report))
    return out.text()


def error_line(path: str, message: str, st: Style) -> str:
    out = _Out(st)
    out.wrapped(Text.assemble((f"{path}: ", ""), ("ERROR", "bold red"), f" {message}"), "", "  ")
    return out.text()


def summary(reports: Sequence[Report], errors: int, st: Style) -> str:
    """``13 documents: 11 human, 2 translated, 0 spun; 13 flags (2 error, 8 warning, 3 info)``."""
    counts = Counter(r.label for r in reports)
    sev = Counter(f.severity for r in reports for f in r.flags)
    n, nf = len(reports), sum(sev.values())
    t = Text(f"{n} document{'s' if n != 1 else ''}: ")
    t.append(", ".join(f"{counts.get(k, 0)} {k}" for k in LABELS))
    t.append(f"; {nf} flag{'s' if nf != 1 else ''}")
    if nf:
        t.append(" (" + ", ".join(f"{sev[k]} {k}" for k in SEVERITIES if sev[k]) + ")")
    if errors:
        t.append(f"; {errors} error{'s' if errors != 1 else ''} reading input", "red")
    out = _Out(st)
    out.wrapped(t, "", "  ")
    return out.text()


def statistics(reports: Iterable[Report], st: Style, precision=None) -> str:
    """Flags per rule, most frequent first (``--statistics``), with each rule's measured
    precision when ``precision(rule_id)`` gives one."""
    counts = Counter((f.rule, f.severity) for r in reports for f in r.flags)
    out = _Out(st)
    if not counts:
        out.line(Text("no flags"))
    for (rule, sev), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        t = Text(f"{n:>6}  ")
        t.append(f"{sev:<8}", SEVERITY_STYLE.get(sev, ""))
        t.append(f" {rule}")
        m = precision(rule) if precision else None
        if m and m.get("precision") is not None:
            t.append(f"  (precision {m['precision']:.0%} on held-out text)", "dim")
        out.wrapped(t, "", "  ")
    return out.text()


def rules(chosen, st: Style, precision, full: bool = False, about: dict | None = None) -> str:
    """The rules table (``mtdetect rules``), or each rule in full (``mtdetect rules RULE``)."""
    out = _Out(st)
    for r in chosen:
        m = precision(r.id) or {}
        p = m.get("precision")
        head = Text(r.id, style="bold")
        head.append("  ")
        head.append(r.severity, SEVERITY_STYLE.get(r.severity, ""))
        head.append(f"  {r.kind}")
        judged = m.get("true", 0) + m.get("false", 0)
        head.append(
            f"  precision {p:.0%} ({judged:,} flags judged)"
            if p is not None
            else "  precision not measured (the shipped model raised no such flag on held-out text)"
        )
        out.wrapped(head, "", "  ")
        out.wrapped(Text(f"catches {r.catches}"), "  ", "    ")
        if full:
            if r.flags:
                out.wrapped(Text(f"example it flags: “{r.flags[0]}”", "italic"), "  ", "    ")
            if r.passes:
                out.wrapped(Text(f"example it passes: “{r.passes[0]}”", "italic"), "  ", "    ")
            if m:
                out.wrapped(
                    Text(
                        f"measured on the {about.get('split', 'test') if about else 'test'} "
                        f"split: {m['flags']:,} flags, {m['true']:,} right, {m['false']:,} wrong "
                        f"({m['on_human']:,} on human text: "
                        f"{m['false_per_1000_human_words']:.2f} per 1,000 words), "
                        f"{m['other']:,} on text of the other machine class"
                    ),
                    "  ",
                    "    ",
                )
    if about and about.get("rules"):
        texts = about.get("texts", {})
        mix = ", ".join(f"{n:,} {k}" for k, n in texts.items())
        out.wrapped(
            Text(
                f"Precision: the share of a rule's flags that are right, as `score` shows them, "
                f"on held-out text ({about.get('split')} split: {mix}). A flag on human text is "
                "wrong; a spinning flag is right on a span the spinner changed, a translation "
                "flag on translated text. Measured with `make rule-precision`.",
                style="dim",
            ),
            "",
            "",
        )
    return out.text()


def _flag(f: Finding, said: dict[str, str] | None = None) -> Text:
    """One flag; a reason that ``said`` holds (the same rule saying the same about other
    words) is not said again but pointed at."""
    t = Text(f"{f.line}:{f.column} ", style="dim")
    t.append(f.severity, SEVERITY_STYLE.get(f.severity, ""))
    t.append(" ")
    key = f"{f.rule}\0" + (f.reason.replace(f.text, "\0") if f.text else f.reason)
    where = said.get(key) if said is not None else None
    if where:
        t.append(f"'{_excerpt(f.text, 40)}': same reason as {where}")
    else:
        t.append(f.reason.rstrip("."))
        if said is not None:
            said[key] = f"{f.line}:{f.column}"
    # the suggestion, unless the reason just said it word for word
    if f.suggestion and (where or f"'{f.suggestion}'" not in f.reason):
        t.append(" → ")
        t.append(f.suggestion, "bold")
    t.append(f" [{f.rule}" + (f", also {', '.join(f.also)}" if f.also else "") + "]", "dim")
    return t


def _group(report: Report) -> list[tuple[object, list[Finding]]]:
    """The flags by paragraph, and the non-human paragraphs of a document of several (other
    paragraphs without flags left out; None: no paragraph info)."""
    if not report.paragraphs:
        return [(None, list(report.flags))] if report.flags else []
    groups: dict[int, list[Finding]] = {}
    ps = report.paragraphs
    for f in report.flags:
        p = next((p for p in ps if p.start <= f.start < max(p.end, p.start + 1)), None)
        if p is None:  # between paragraphs (whitespace): the one before
            p = max((p for p in ps if p.start <= f.start), key=lambda p: p.start, default=ps[0])
        groups.setdefault(p.index, []).append(f)
    for p in ps:  # where the machine text is: non-human paragraphs, flagged or not
        if p.label != "human" and p.words >= para.MIN_WORDS and len(ps) > 1:
            groups.setdefault(p.index, [])
    return [(ps[i - 1], fs) for i, fs in sorted(groups.items())]


def _excerpt(text: str, size: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


class _Out:
    """Lines rendered with a console that writes to a string."""

    def __init__(self, st: Style):
        self.buf = io.StringIO()
        self.width = st.width
        self.console = Console(
            file=self.buf,
            width=st.width,
            force_terminal=st.color,
            no_color=not st.color,
            color_system="standard" if st.color else None,
            highlight=False,
            markup=False,
            emoji=False,
            legacy_windows=False,
        )

    def line(self, t: Text) -> None:
        self.wrapped(t, "", "  ")

    def wrapped(self, t: Text, first: str, rest: str) -> None:
        """``t`` wrapped to the width: the first line after ``first``, the others after
        ``rest``."""
        width = max(20, self.width - len(rest))
        lines = t.wrap(self.console, width, overflow="fold")
        for i, ln in enumerate(lines):
            ln.rstrip()
            self.console.print(Text(first if i == 0 else rest) + ln, soft_wrap=True)

    def text(self) -> str:
        return self.buf.getvalue().rstrip("\n")
