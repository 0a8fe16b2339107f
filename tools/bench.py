"""Speed and memory figures for `make bench` (a script that prints figures, not a timed test).

One run prints: the reference speed of a plain read-and-split loop over the files, the start-up
of `mtdetect label` (one tiny file: Python, imports, model and tables), `label --jobs 1` over a
folder of news-length passages (words/s per core from its CPU time, without and with start-up,
and as a ratio to the reference, which stays put when the machine's speed varies), its peak
memory, `--jobs 1` against `--jobs 2` (wall time, start-up included, each repeated; with the
load average, since other work on the machine takes cores away; and from CPU times: the
start-up before the workers fork plus the busiest worker's CPU against `--jobs 1`'s CPU, the
ratio on 2 free cores whatever the load), the same folder on a local
Dask cluster (`--scheduler`; rows compared with the local run's), where the CPU time of one
process goes (shared views and each feature family, per document), and the growth of time and
memory from 10 KB to 10 MB (tools.bench_longdoc).

Passages: test-split texts of at least 100 words (data/build/test.jsonl) if built, else ABC
from the public data, else the shipped samples; written to a temporary folder only.

    python -m tools.bench [-n 1000] [--repeat 2] [--no-long] [--no-dask]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 16


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


def child(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of a command run to its end."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed (exit {code})")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (Linux /proc), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            f = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids.update(map(int, (task / "children").read_text().split()))
        except OSError:
            pass
    return kids


def critical_path(cmd: list[str]) -> tuple[float, list[float]] | None:
    """Run ``cmd`` (label --jobs N), sampling the CPU of its process and its workers: (CPU of
    the process when its first worker starts, each worker's CPU). The wall those need on free
    cores does not depend on the other work of the machine (Linux only; None elsewhere)."""
    if not Path("/proc/self/task").is_dir():
        return None
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serial, workers = None, {}
    while proc.poll() is None:
        parent = _cpu(proc.pid)
        for kid in _children(proc.pid):
            serial = parent if serial is None else serial
            workers[kid] = max(workers.get(kid, 0.0), _cpu(kid))  # (last sample before exit)
        time.sleep(0.05)
    if proc.returncode not in (0, 1) or serial is None:
        return None
    return serial, sorted(workers.values(), reverse=True)


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def label_cmd(folder: Path, out: Path, model: str | None, *extra: str) -> list[str]:
    cmd = [sys.executable, "-m", "mtdetect", "label", str(folder), "--out", str(out), *extra]
    return cmd + (["--model", model] if model else [])


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def reference(files: list[Path]) -> float:
    """Words/s (CPU) of reading each file and splitting it into words."""
    t0 = time.process_time()
    words = 0
    for _ in range(20):  # (too fast to time once)
        for f in files:
            words += len(f.read_text(encoding="utf-8").split())
    return words / (time.process_time() - t0)


def breakdown(texts: list[str], model: str | None) -> None:
    """Where one process's CPU time goes, per document, on chunks of CHUNK as `label` scores."""
    from mtdetect import batch, longdoc, normalize
    from mtdetect.analysis import Analysis
    from mtdetect.persistence import load_model

    det = load_model(model)
    for i in range(0, len(texts), CHUNK):  # tables loaded, word caches warm (steady state)
        det.analyze_many(texts[i : i + CHUNK])
    batch.settle()  # as `label` does once the tables are loaded
    n = len(texts)
    clock = time.process_time

    def per_doc(name: str, fn):
        t0 = clock()
        out = fn()
        print(f"    {name:<30} {(clock() - t0) * 1000 / n:7.3f} ms")
        return out

    print(f"  CPU time per document ({n} passages, chunks of {CHUNK}):")
    cleaned = per_doc("hostile-text check", lambda: [normalize.clean(t) for t in texts])
    docs = per_doc("tokenizer", lambda: [longdoc.document(c.text) for c in cleaned])
    chunks = [docs[i : i + CHUNK] for i in range(0, n, CHUNK)]
    batches = per_doc("analysis + LM (batched)", lambda: [Analysis.batch(c) for c in chunks])
    for view in ("tags", "swaps", "span_scores"):
        per_doc(f"view {view}", lambda: [getattr(a, view) for b in batches for a in b])  # noqa: B023
    for fam in det.vectorizer.families_:
        per_doc(f"family {fam.name}", lambda: [fam.measure_many(b) for b in batches])  # noqa: B023
    idiom_screening(docs, per_doc)
    for explain in (False, True):
        t0 = clock()
        for i in range(0, n, CHUNK):
            det.analyze_many(texts[i : i + CHUNK], explain=explain)
        dt = clock() - t0
        what = "with evidence sentences" if explain else "verdict + flags"
        words = sum(len(t.split()) for t in texts)
        rate = f"{words / dt:,.0f} words/s per core ({dt * 1000 / n:.2f} ms a document)"
        print(f"  analyze_many, {what}: {rate}")


def idiom_screening(docs: list, per_doc) -> None:
    """The idiom matcher's ``find`` with its pure-Python screening and, with numba installed,
    the compiled one (``MTDETECT_JIT=1``, see mtdetect/idiomatch/screen.py), and what the
    compiled one costs to set up in a process (numba's import, its arrays, the cached
    kernel's load or, the first time, its compilation)."""
    from mtdetect.idiomatch import Matcher, matcher, screen
    from mtdetect.idiomatch.matcher import token_forms as _words

    base = matcher()
    per_doc("idiom find, Python screening", lambda: [base._find_py(d, _words(d)) for d in docs])
    os.environ["MTDETECT_JIT"] = "1"
    try:
        if not screen.enabled():
            print("    (idiom find, compiled screening: numba not installed)")
            return
        m = Matcher(base.entries, base.related, base.kinds, base.index_data)
        t0 = time.perf_counter()
        m.find(docs[0])
        setup = time.perf_counter() - t0
        same = per_doc("idiom find, compiled screening", lambda: [m.find(d) for d in docs])
        assert same == [base._find_py(d, _words(d)) for d in docs], "the two differ"
        print(f"    (compiled screening set up in {setup:.2f} s wall; same matches)")
    finally:
        del os.environ["MTDETECT_JIT"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="passages (files)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of --jobs 1 and --jobs 2 each")
    ap.add_argument("--model", default=None)
    ap.add_argument("--no-long", action="store_true", help="skip the 10 KB ... 10 MB growth")
    ap.add_argument("--no-dask", action="store_true", help="skip the local Dask cluster run")
    args = ap.parse_args()

    texts = passages(args.n)
    print(f"machine: {os.cpu_count()} cores, {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "texts")
        folder.mkdir()
        files = []
        for i, t in enumerate(texts):
            files.append(Path(folder, f"{i:05d}.txt"))
            files[-1].write_text(t, encoding="utf-8")
        one = Path(tmp, "one")
        one.mkdir()
        (one / "a.txt").write_text(texts[0], encoding="utf-8")
        words = sum(len(t.split()) for t in texts)
        print(f"{len(texts)} files, {words:,} words ({words / len(texts):.0f} a file)")

        ref = reference(files)
        print(f"reference, read + split each file: {ref:,.0f} words/s (CPU)")
        out = Path(tmp, "out.csv")
        s_wall, s_cpu, s_mem = child(label_cmd(one, out, args.model))
        print(
            f"start-up, label of one file: {s_wall:.2f} s wall, {s_cpu:.2f} s CPU, {s_mem:.0f} MB"
        )

        walls: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for jobs in (1, 2):
                before = load()
                wall, cpu, mem = child(
                    label_cmd(folder, Path(tmp, f"jobs{jobs}.csv"), args.model, "--jobs", str(jobs))
                )
                walls[jobs].append(wall)
                line = f"label --jobs {jobs}: {wall:.1f} s wall ({before}, then {load()[5:]})"
                if jobs == 1:
                    rate = words / max(cpu - s_cpu, 1e-9)
                    line += (
                        f"; {rate:,.0f} words/s per core without start-up "
                        f"({rate / ref:.2e} of the reference), {words / cpu:,.0f} with it; "
                        f"peak {mem:.0f} MB"
                    )
                print(line)
            print(f"  --jobs 2 is {walls[1][-1] / walls[2][-1]:.2f}x faster than --jobs 1")
        print(
            f"best of {args.repeat}: --jobs 1 {min(walls[1]):.1f} s, "
            f"--jobs 2 {min(walls[2]):.1f} s: {min(walls[1]) / min(walls[2]):.2f}x"
        )
        crit = critical_path(label_cmd(folder, Path(tmp, "crit.csv"), args.model, "--jobs", "2"))
        if crit:  # what the wall ratio would be on 2 free cores, whatever the load now
            serial, cpus = crit
            one = child(label_cmd(folder, Path(tmp, "crit1.csv"), args.model, "--jobs", "1"))[1]
            busiest, even = serial + cpus[0], serial + sum(cpus) / len(cpus)
            print(
                f"--jobs 2 from CPU times ({load()}): start-up before the workers {serial:.2f} s, "
                f"workers {', '.join(f'{c:.2f}' for c in cpus)} s; --jobs 1 {one:.2f} s CPU: "
                f"{one / busiest:.2f}x on 2 free cores ({one / even:.2f}x with the work evenly "
                "shared)"
            )

        if not args.no_dask:
            try:
                from distributed import LocalCluster
            except ImportError:
                print("dask: not installed (pip install 'mtdetect[dask]')")
            else:
                with LocalCluster(
                    n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
                ) as cluster:
                    d_out = Path(tmp, "dask.csv")
                    wall, _, _ = child(
                        label_cmd(
                            folder, d_out, args.model, "--scheduler", cluster.scheduler_address
                        )
                    )
                same = rows(d_out) == rows(Path(tmp, "jobs1.csv"))
                print(
                    f"label on a local Dask cluster (2 worker processes, client start-up "
                    f"included, workers started before): {wall:.1f} s wall, "
                    f"rows {'identical to' if same else 'DIFFERENT from'} --jobs 1's"
                )
        breakdown(texts, args.model)

    if not args.no_long:
        print("long documents (`mtdetect score`, one process per size):")
        sys.stdout.flush()
        from tools import bench_longdoc

        bench_longdoc.main(["--sizes", "10000,100000,1000000,10000000"])


if __name__ == "__main__":
    main()
