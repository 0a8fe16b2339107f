"""``python -m tools.spinners [--design D] [--rate R] [--names] [--quotes] < text``: spin stdin
with one design (default: every design) and list the changed spans."""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace

from tools.spinners import DESIGNS, draw, spin


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--design", choices=sorted(DESIGNS), default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rate", type=float, default=None, help="share of eligible units (0-1)")
    ap.add_argument("--names", action="store_true", help="break names")
    ap.add_argument("--quotes", action="store_true", help="protect quotations")
    ap.add_argument("--no-articles", action="store_true", help="no a/an repair")
    a = ap.parse_args(argv)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
