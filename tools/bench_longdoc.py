"""Long documents: time, peak memory and verdict of `mtdetect score` on human prose of
10 KB … 10 MB (Brown, then ABC, read from the public data at run time and written only to a
temporary folder). Each size runs in its own process under /usr/bin/time -v.

    python -m tools.bench_longdoc [--sizes 10000,100000,1000000,5000000,10000000]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def human_prose(root: Path, nbytes: int) -> str:
    from tools import corpus_common as cc

    docs = cc.load_brown(root, cc.DEFAULT_SEED) + cc.load_abc(root, cc.DEFAULT_SEED)
    parts, size = [], 0
    for d in docs:
        parts.append("".join(b + u for u, b in zip(d.units, d.breaks)).strip())
        size += len(parts[-1]) + 2
        if size >= nbytes:
            break
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    from tools import corpus_common as cc

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=None, help="public data root (default ../shared/data)")
    ap.add_argument("--sizes", default="10000,100000,1000000,5000000,10000000")
    ap.add_argument("--model", default=None)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    prose = human_prose(cc.data_root(args.data), max(sizes))
    print(f"{'bytes':>11} {'words':>9} {'label':>10} {'machine':>8} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            part = prose[:size]
            part = part[: part.rfind("\n\n")] if "\n\n" in part else part
            path = Path(tmp, f"prose{size}.txt")
            path.write_text(part, encoding="utf-8")
            cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "mtdetect", "score", str(path)]
            cmd += ["-f", "json"] + (["--model", args.model] if args.model else [])
            r = subprocess.run(cmd, capture_output=True, text=True)
            doc = json.loads(r.stdout)[0]
            wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", r.stderr)
            h, m, s = wall.groups()
            seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
            peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)[1])
            print(
                f"{len(part.encode()):>11,} {doc['words']:>9,} {doc['label']:>10} "
                f"{doc['machine']:>8.3f} {seconds:>8.1f} {peak / 1024:>8.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
