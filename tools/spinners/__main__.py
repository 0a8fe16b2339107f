"""``python -m tools.spinners [--design D] [--rate R] [--names] [--quotes] < text``: spin stdin
with one design (default: every design) and list the changed spans.

``--save OUT.txt`` (one design) writes the spun text to ``OUT.txt`` and its spans, options and
seed to ``OUT.spans.json``; existing files are never overwritten."""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

from tools.spinners import DESIGNS, draw, generator_id, spin


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--design", choices=sorted(DESIGNS), default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rate", type=float, default=None, help="share of eligible units (0-1)")
    ap.add_argument("--names", action="store_true", help="break names")
    ap.add_argument("--quotes", action="store_true", help="protect quotations")
    ap.add_argument("--no-articles", action="store_true", help="no a/an repair")
    ap.add_argument("--save", type=Path, default=None, help="write the spun text here")
    a = ap.parse_args(argv)
    if a.save is not None:
        spans_path = a.save.with_suffix(".spans.json")
        if a.design is None:
            print("error: --save needs --design", file=sys.stderr)
            return 2
        if a.save.exists() or spans_path.exists():
            print(f"error: {a.save} or {spans_path} exists; not overwriting", file=sys.stderr)
            return 2
    text = sys.stdin.read()
    if not text.strip():
        print("error: no text on standard input", file=sys.stderr)
        return 2
    for design in [a.design] if a.design else list(DESIGNS):
        opts = draw(design, random.Random(f"{a.seed}:{design}"))
        opts = replace(
            opts,
            break_names=a.names,
            protect_quotes=a.quotes,
            fix_articles=not a.no_articles,
            **({"rate": a.rate} if a.rate is not None else {}),
        )
        r = spin(design, text, a.seed, opts)
        print(f"=== {design} {opts.record()} ({r.n_replaced} of {r.n_eligible} units)")
        print(r.text)
        for s, e, orig in r.spans:
            print(f"  [{s}:{e}] {r.text[s:e]!r} <- {orig!r}")
        if a.save is not None:
            a.save.write_text(r.text, encoding="utf-8")
            head = {"generator": generator_id(design), "seed": a.seed, "options": opts.record()}
            rows = ",\n".join(f"  {json.dumps([s, e, orig])}" for s, e, orig in r.spans)
            body = json.dumps(head)[:-1] + ',\n "spans": [\n' + rows + "\n ]\n}\n"
            json.loads(body)  # well-formed before it is written
            spans_path.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
