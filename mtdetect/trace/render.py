"""Renderers of trace results: text, JSON, JSONL, label columns and one self-contained HTML page.
No analysis here."""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Sequence

from mtdetect.trace.api import TraceResult
from mtdetect.trace.relation import RELATIONS


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def render_text(r: TraceResult) -> str:
    """A verdict line, the candidates, then one ``path:line:col: kind: observed ← original``
    line per substitution (first place it occurs)."""
    if r.source is None:
        return f"{r.path}: NONE (no candidate source shares content with it)"
    d = f"; {r.direction}" if r.direction else ""
    lines = [f"{r.path}: {r.relation.upper()} {r.source} (similarity {r.similarity:.2f}{d})"]
    if r.candidates:
        lines.append(
            f"{r.path}: candidates: "
            + ", ".join(f"{c['path']} {c['similarity']:.2f}" for c in r.candidates)
        )
    if r.aligned:
        lines.append(f"{r.path}: {len(r.aligned)} aligned sentence blocks")
    for s in r.substitutions:
        line, col = _line_col(r.suspect_text, s.at[0][0])
        times = f" (×{s.count})" if s.count > 1 else ""
        lines.append(f"{r.path}:{line}:{col}: {s.kind}: {s.observed!r} ← {s.original!r}{times}")
    return "\n".join(lines)


def render_summary(results: Sequence[TraceResult], errors: int = 0) -> str:
    c = Counter(r.relation for r in results)
    n = len(results)
    parts = ", ".join(f"{c.get(k, 0)} {k}" for k in RELATIONS)
    out = f"{n} suspect{'s' if n != 1 else ''}: {parts}"
    return out + (f"; {errors} error{'s' if errors != 1 else ''}" if errors else "")


def render_json(results: Sequence[TraceResult]) -> str:
    return json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False)


def render_jsonl_line(r: TraceResult) -> str:
    return json.dumps(r.to_dict(), ensure_ascii=False)


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:75rem;padding:1rem;color:#1a1a1a}
a{color:#0b4f9c}.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;
padding:.5rem;z-index:1}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #999;padding:.4rem .6rem;vertical-align:top;text-align:left}
caption{text-align:left;font-weight:600;padding:.3rem 0}
.sbs td{width:50%}
mark{background:#ffe28a;color:#1a1a1a;border-bottom:2px solid #8a6d00;padding:0 .1em}
mark.k-deletion,mark.k-insertion{background:#f3c2c2;border-color:#8f1d1d}
mark.k-phrase,mark.k-reorder{background:#cfe3ff;border-color:#0b4f9c}
mark:focus::after,mark:hover::after{content:" \\2190  " attr(data-other);font-style:italic}
td.src mark:focus::after,td.src mark:hover::after{content:" \\2192  " attr(data-other)}
.verdict{font-size:1.1rem}.rel{font-weight:700;text-transform:uppercase}
"""


def _marked(
    text: str, lo: int, hi: int, marks: list[tuple[int, int, str, str]], other_side: str
) -> str:
    """``text[lo:hi]`` escaped, with each (start, end, kind, other side's words) range in a
    <mark> labelled "<words> (<kind>); <other_side>: <other side's words>"."""
    out, pos = [], lo
    for s, e, kind, other in sorted(m for m in marks if lo <= m[0] and m[1] <= hi):
        if s < pos or s == e:
            continue
        out.append(html.escape(text[pos:s]))
        label = f"{text[s:e]} ({kind}); {other_side}: {other or 'nothing'}"
        out.append(
            f'<mark class="k-{kind}" tabindex="0" data-other="{html.escape(other or "—")}" '
            f'title="{html.escape(label)}" aria-label="{html.escape(label)}">'
            f"{html.escape(text[s:e])}</mark>"
        )
        pos = e
    out.append(html.escape(text[pos:hi]))
    return "".join(out)


def _section(i: int, r: TraceResult) -> str:
    h = html.escape
    sid = f"s{i}"
    parts = [
        f'<section id="{sid}" aria-labelledby="{sid}-h">',
        f'<h2 id="{sid}-h">{h(r.path)}</h2>',
    ]
    if r.source is None:
        parts.append('<p class="verdict"><span class="rel">none</span>: no candidate source.</p>')
        return "\n".join(parts + ["</section>"])
    direction = {
        "suspect-rewrites-source": "this text is the rewrite",
        "source-rewrites-suspect": "the source is the rewrite of this text",
        None: "not decided",
    }[r.direction]
    parts.append(
        f'<p class="verdict"><span class="rel">{h(r.relation)}</span> of <strong>{h(r.source)}'
        f"</strong> · similarity {r.similarity:.2f} · direction: {direction}</p>"
    )
    cands = "".join(f"<li>{h(c['path'])} ({c['similarity']:.2f})</li>" for c in r.candidates)
    n = len(r.candidates)
    parts.append(f"<details><summary>Candidate sources ({n})</summary><ol>{cands}</ol></details>")
    if r.aligned:
        sus = [(c.start, c.end, c.kind, c.original) for c in r.changes]
        src = [(c.src_start, c.src_end, c.kind, c.observed) for c in r.changes]
        rows = []
        for blk in r.aligned:
            a, b = blk["suspect"], blk["source"]
            rows.append(
                "<tr><td>"
                + _marked(r.suspect_text, a["start"], a["end"], sus, "source")
                + '</td><td class="src">'
                + _marked(r.source_text, b["start"], b["end"], src, "this text")
                + "</td></tr>"
            )
        parts.append(
            '<table class="sbs"><caption>Aligned sentences — changed words highlighted; focus a '
            "highlighted word (Tab) to read the other side's wording</caption>"
            '<thead><tr><th scope="col">This text</th><th scope="col">Source: '
            f"{h(r.source)}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    if r.substitutions:
        rows = "".join(
            f"<tr><td>{h(s.observed) or '—'}</td><td>{h(s.original) or '—'}</td>"
            f"<td>{s.count}</td><td>{h(s.kind)}</td></tr>"
            for s in r.substitutions
        )
        parts.append(
            "<table><caption>Substitutions</caption><thead><tr>"
            '<th scope="col">In this text</th><th scope="col">In the source</th>'
            '<th scope="col">Count</th><th scope="col">Kind</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return "\n".join(parts + ["</section>"])


def render_html(results: Sequence[TraceResult]) -> str:
    """One self-contained page (no scripts, no external resources): a summary with links, then
    per suspect its verdict, candidates, aligned sentences side by side and substitutions."""
    h = html.escape
    nav = "".join(
        f'<li><a href="#s{i}">{h(r.path)}</a> — {h(r.relation)}</li>' for i, r in enumerate(results)
    )
    body = "\n".join(_section(i, r) for i, r in enumerate(results))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>mtdetect trace</title><style>{_CSS}</style></head><body>"
        '<a class="skip" href="#main">Skip to the results</a>'
        f"<header><h1>mtdetect trace</h1><p>{h(render_summary(results))}</p>"
        f'<nav aria-label="Suspects"><ul>{nav}</ul></nav></header>'
        f'<main id="main">{body}</main></body></html>\n'
    )
