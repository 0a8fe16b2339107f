"""Translation generators for the corpus: ``python -m tools.mt run [GENERATOR ...]``.

Runs single-threaded (the machine is shared), in the order given (default: all, PT->EN first),
each cached in data/cache/mt-*.jsonl and resumable; ``--minutes`` stops at a time budget.
``python -m tools.mt check`` measures how differently each decoding variant translates.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from tools import corpus_common as cc
from tools.mt import engine
from tools.mt.generators import GENERATORS

ORDER = ["pt2en:br", "pt2en:pt", "rt:ft-twohop", "rt:ft-para", "rt:ft-wide", "rt:ft-noshortlist"]


def runner(gen_id: str):
    """The run() of the module that makes ``gen_id``."""
    return importlib.import_module(f"tools.mt.{GENERATORS[gen_id].family}").run


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="translate (cached, resumable)")
    r.add_argument("generators", nargs="*", default=ORDER, help=f"default: {' '.join(ORDER)}")
    r.add_argument("--minutes", type=float, default=None, help="stop after this many minutes")
    c = sub.add_parser("check", help="measure how differently each decoding variant translates")
    c.add_argument("--sentences", type=int, default=300)
    for p in (r, c):
        p.add_argument("--data", default=None, help="data root ($MTDETECT_DATA, ../shared/data)")
        p.add_argument("--seed", type=int, default=cc.DEFAULT_SEED)
    args = ap.parse_args(argv)
    unknown = [g for g in getattr(args, "generators", []) if g not in ORDER]
    if unknown:
        print(f"error: unknown generator(s) {unknown}; known: {ORDER}", file=sys.stderr)
        return 2
    engine.set_threads(1)
    root = cc.data_root(args.data)
    if args.cmd == "check":
        from tools.mt import decodings

        return decodings.check(root, args.seed, args.sentences)
    deadline = time.time() + 60 * args.minutes if args.minutes else None
    for g in args.generators:
        counts = runner(g)(g, root, args.seed, deadline)
        print(f"{g}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
