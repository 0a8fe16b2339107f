"""Speed and memory figures for `make bench` (a script that prints figures, not a timed test).

Reads human passages from the built corpus (data/build/test.jsonl) if present, else from the
public data folder (Brown/ABC), else from the shipped samples. Prints: import and model-load
time, tokenizer words/s, words/s of each feature family, of the spinning families together and
of all features on fresh documents, end-to-end analyze words/s, batch `label` throughput over a
temporary folder, and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the span families that find spinning, timed together (tokenizing included)
SPINNING = ("broken_names", "synonym_swap", "tortured", "collocation")


def passages(n: int) -> list[str]:
    test = ROOT / "data" / "build" / "test.jsonl"
    out: list[str] = []
    if test.is_file():
        with open(test, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if len(r["text"].split()) >= 100:
                    out.append(r["text"])
                if len(out) >= n:
                    return out
    data = Path(os.environ.get("MTDETECT_DATA", ROOT.parent / "shared" / "data"))
    abc = data / "corpora" / "abc" / "science.txt"
    if abc.is_file():
        lines = abc.read_text(encoding="utf-8", errors="replace").splitlines()
        for i in range(0, len(lines), 8):
            out.append(" ".join(lines[i : i + 8]))
            if len(out) >= n:
                return out
    return out or [p.read_text() for p in sorted((ROOT / "samples").glob("*.txt"))]


def rate(fn, texts, words) -> float:
    t0 = time.perf_counter()
    for t in texts:
        fn(t)
    return words / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=300, help="passages")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()

    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import mtdetect"], capture_output=True)
    print(f"python + import mtdetect (fresh process): {time.perf_counter() - t0:.2f} s")

    from mtdetect.analysis import Analysis
    from mtdetect.persistence import load_model
    from mtdetect.text import Document

    texts = passages(args.n)
    docs = [Document(t) for t in texts]
    words = sum(d.n_words for d in docs)
    print(f"passages: {len(texts)}, words: {words}")
    t0 = time.perf_counter()
    det = load_model(args.model)
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    print(f"tokenizer: {rate(Document, texts, words):,.0f} words/s")
    # First call per family pays for loading its resources: time it apart.
    analyses = [Analysis(d) for d in docs]
    for fam in det.vectorizer.families_:
        t0 = time.perf_counter()
        fam.extract(docs[0])
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        for a in analyses:
            fam.extract(a)
        r = words / (time.perf_counter() - t0)
        print(f"  family {fam.name:<22} {r:>12,.0f} words/s   first call {first:.2f} s")
    # Shared per-document work (LM look-ups, tags) is kept by the document's Analysis and
    # charged to the first family that needs it, so the per-family figures above are not
    # additive.
    spin = [f for f in det.vectorizer.families_ if f.name in SPINNING]

    def spinning(text: str) -> None:
        a = Analysis(Document(text))
        for fam in spin:
            fam.extract(a)

    r = rate(spinning, texts, words)
    print(f"spinning families ({'+'.join(SPINNING)}), fresh documents (1 core): {r:,.0f} words/s")
    r = rate(det.vectorizer.extract, texts, words)
    print(f"all features, fresh documents (1 core): {r:,.0f} words/s")
    r = rate(lambda t: det.analyze_many([t]), texts, words)
    print(
        f"analyze, verdict + flags (1 core): {r:,.0f} words/s "
        f"({r * len(texts) / words:,.1f} docs/s)"
    )
    r = rate(det.analyze, texts, words)
    print(f"analyze + sentence evidence for non-human verdicts (1 core): {r:,.0f} words/s")
    with tempfile.TemporaryDirectory() as tmp:
        for i, t in enumerate(texts):
            Path(tmp, f"{i:05d}.txt").write_text(t, encoding="utf-8")
        for jobs in (1, 2):
            cmd = [
                sys.executable,
                "-m",
                "mtdetect",
                "label",
                tmp,
                "--jobs",
                str(jobs),
                "--out",
                str(Path(tmp, "out.csv")),
            ]
            if args.model:
                cmd += ["--model", args.model]
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True)
            dt = time.perf_counter() - t0
            print(
                f"label {len(texts)} files, --jobs {jobs}: {dt:.1f} s "
                f"({len(texts) / dt:,.1f} files/s, {words / dt:,.0f} words/s, incl. start-up)"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
