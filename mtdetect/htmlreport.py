"""Reports as one self-contained HTML page for a run: no script, no external resource.

Per document: the verdict, where the machine text is (the summary line and a strip of one cell
per paragraph, coloured by its score, each a link to the paragraph), the text with every flagged
span highlighted — its severity, reason and suggestion shown on hover and on keyboard focus
(each highlight is a tab stop; the note is tied to it with ``aria-describedby``) — the list of
flags and the evidence sentences. Everything from the input is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from mtdetect import paragraphs as para
from mtdetect.findings import LABELS, Finding, Report
from mtdetect.report import evidence
from mtdetect.version import __version__

CSS = """
:root{--human:#1a7f37;--translated:#c0392b;--spun:#8e44ad;--ink:#1f2328;--muted:#59636e}
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
 margin:0;background:#f6f8fa}
header,main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
header{padding-top:1.5rem}
h1{font-size:1.4rem;margin:0 0 .25rem}
h2{font-size:1.1rem;margin:0;word-break:break-all}
.meta,.muted{color:var(--muted);font-size:.9rem}
section.doc{background:#fff;border:1px solid #d0d7de;border-radius:8px;margin:1rem 0;
 padding:1rem 1.25rem}
.verdict{display:inline-block;font-weight:700;border-radius:4px;padding:0 .45rem;color:#fff;
 margin-right:.4rem}
.v-human{background:var(--human)}.v-translated{background:var(--translated)}
.v-spun{background:var(--spun)}
.where{font-weight:600;margin:.4rem 0}
.strip{display:flex;gap:2px;margin:.5rem 0 1rem;flex-wrap:wrap}
.strip a{display:block;width:1.6rem;height:1.1rem;border-radius:2px;border:1px solid #0002}
.strip a:focus{outline:3px solid #0969da;outline-offset:1px}
.text p{margin:.6rem 0;padding:.1rem .5rem;border-left:4px solid transparent;white-space:pre-wrap}
.text p.p-translated{border-left-color:var(--translated);background:#fdf2f1}
.text p.p-spun{border-left-color:var(--spun);background:#f7f0fb}
.pnum{color:var(--muted);font-size:.75rem;user-select:none;margin-right:.4rem}
mark.flag{position:relative;background:#fff1b8;border-bottom:2px solid #bf8700;
 border-radius:2px;cursor:help;color:inherit;padding:0 1px}
mark.sev-error{background:#ffd8d3;border-bottom-color:#cf222e}
mark.sev-info{background:#ddf4ff;border-bottom-color:#0969da}
mark.flag:focus{outline:3px solid #0969da;outline-offset:1px}
.tip{display:none;position:absolute;left:0;top:1.6em;z-index:10;width:max-content;
 max-width:26rem;background:#1f2328;color:#fff;font-size:.85rem;line-height:1.4;
 padding:.45rem .6rem;border-radius:6px;white-space:normal;box-shadow:0 4px 12px #0004}
mark.flag:hover .tip,mark.flag:focus .tip,mark.flag:focus-within .tip{display:block}
.tip b{color:#ffd33d}.tip .muted{color:#c9d1d9}
ol.flags{padding-left:1.3rem}ol.flags li{margin:.25rem 0}
.sev{font-weight:700;font-size:.8rem;text-transform:uppercase}
.s-error{color:#cf222e}.s-warning{color:#9a6700}.s-info{color:#0969da}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #d0d7de;color:#3d444d}
.err{color:#cf222e;font-weight:600}
a.skip{position:absolute;left:-999px}a.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}
"""


def render(
    items: Sequence[tuple[Report, str]], errors: Sequence[tuple[str, str]] = (), title: str = ""
) -> str:
    """The page for a run: ``items`` are (report, the text it was made from); ``errors`` the
    (path, message) of inputs that could not be read."""
    reports = [r for r, _ in items]
    counts = {k: sum(r.label == k for r in reports) for k in LABELS}
    flags = sum(len(r.flags) for r in reports)
    sha = next((r.model_sha256 for r in reports if r.model_sha256), "")
    head = (
        f"{len(reports)} document{'s' if len(reports) != 1 else ''}: "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
        + f"; {flags} flag{'s' if flags != 1 else ''}"
    )
    body = [
        '<a class="skip" href="#main">Skip to the reports</a>',
        "<header>",
        f"<h1>{escape(title or 'mtdetect report')}</h1>",
        f'<p class="summary">{escape(head)}</p>',
        f'<p class="meta">mtdetect {escape(__version__)}'
        + (f" · model sha256 {escape(sha[:12])}…" if sha else "")
        + "</p>",
        "</header>",
        '<main id="main">',
    ]
    for path, message in errors:
        body.append(
            f'<section class="doc" aria-label="{escape(path)}"><h2>{escape(path)}</h2>'
            f'<p class="err">could not be read: {escape(message)}</p></section>'
        )
    for i, (rep, text) in enumerate(items):
        body.append(_document(i, rep, text))
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title or 'mtdetect report')}</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _document(i: int, rep: Report, text: str) -> str:
    did = f"d{i}"
    out = [f'<section class="doc" id="{did}" aria-labelledby="{did}-h">']
    out.append(f'<h2 id="{did}-h">{escape(rep.path)}</h2>')
    others = ", ".join(f"{k} {rep.scores.get(k, 0):.2f}" for k in LABELS if k != "human")
    short = "" if rep.reliable else "; too short to judge reliably"
    out.append(
        f'<p><span class="verdict v-{escape(rep.label)}">{escape(rep.label.upper())}</span>'
        f"machine {rep.machine:.2f} (threshold {rep.threshold:.2f}; {others}); "
        f"{rep.words} words{short}</p>"
    )
    if rep.basis:
        out.append(f'<p class="why">Why: {escape(rep.basis)}</p>')
    where = para.summary(rep.paragraphs)
    if where:
        out.append(f'<p class="where">Where: {escape(where)}</p>')
    if len(rep.paragraphs) > 1:
        out.append(f'<nav class="strip" aria-label="paragraphs of {escape(rep.path)}">')
        for p in rep.paragraphs:
            tip = f"paragraph {p.index}: {p.label}, machine {p.machine:.2f}, {p.words} words"
            out.append(
                f'<a href="#{did}-p{p.index}" style="background:{_color(p.machine)}" '
                f'title="{escape(tip)}" aria-label="{escape(tip)}"></a>'
            )
        out.append("</nav>")
    out.append(f'<div class="text">{_text(did, rep, text)}</div>')
    if rep.flags:
        out.append(f'<h3>Flags ({len(rep.flags)})</h3><ol class="flags">')
        for k, f in enumerate(rep.flags):
            out.append(
                f'<li><a href="#{did}-f{k}">line {f.line}, column {f.column}</a> '
                f'<span class="sev s-{escape(f.severity)}">{escape(f.severity)}</span> '
                f"{_note(f, severity=False)}</li>"
            )
        out.append("</ol>")
    sentences = evidence(rep)
    if sentences:
        out.append(f"<h3>Evidence: the sentences that read most as {escape(rep.label)}</h3>")
        for s, reasons in sentences:
            out.append(
                f"<blockquote><p>{escape(' '.join(s.text.split()))}</p>"
                f'<p class="muted">line {s.line} · {escape("; ".join(reasons))}</p></blockquote>'
            )
    out.append("</section>")
    return "".join(out)


def _text(did: str, rep: Report, text: str) -> str:
    """The text, paragraph by paragraph, with the flagged spans as focusable highlights."""
    spans = para.spans(text) or [(0, len(text))]
    by_index = {p.index: p for p in rep.paragraphs}
    flags = sorted(enumerate(rep.flags), key=lambda kf: (kf[1].start, kf[1].end))
    out = []
    fi = 0
    for n, (s, e) in enumerate(spans, 1):
        p = by_index.get(n)
        cls = f' class="p-{p.label}"' if p is not None and p.label != "human" else ""
        html = [f'<p id="{did}-p{n}"{cls}><span class="pnum" aria-hidden="true">¶{n}</span>']
        pos = s
        while fi < len(flags) and flags[fi][1].start < e:
            k, f = flags[fi]
            fi += 1
            if f.start < pos:  # overlaps one already shown: listed below only
                continue
            end = min(f.end, e)
            html.append(escape(text[pos : f.start]))
            html.append(
                f'<mark class="flag sev-{escape(f.severity)}" id="{did}-f{k}" tabindex="0" '
                f'aria-describedby="{did}-t{k}">{escape(text[f.start : end])}'
                f'<span class="tip" role="tooltip" id="{did}-t{k}">{_note(f)}</span></mark>'
            )
            pos = end
        html.append(escape(text[pos:e]) + "</p>")
        out.append("".join(html))
    return "".join(out)


def _note(f: Finding, severity: bool = True) -> str:
    sugg = f" <b>Suggest: {escape(f.suggestion)}</b>" if f.suggestion else ""
    sev = f"{escape(f.severity)}: " if severity else ""
    return (
        f'{sev}{escape(f.reason.rstrip("."))}.{sugg} <span class="muted">[{escape(f.rule)}]</span>'
    )


def _color(machine: float) -> str:
    """Green (0) through yellow to red (1)."""
    m = min(1.0, max(0.0, machine))
    hue = int(130 * (1 - m))
    return f"hsl({hue},70%,{45 + 10 * (1 - abs(m - 0.5) * 2):.0f}%)"
