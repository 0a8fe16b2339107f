"""Resumable JSONL caches under data/cache: one record a line keyed by ``key`` (the sha1 of
the input), appended and flushed one at a time, with a progress log beside the file."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from tools import corpus_common as cc

CACHE_DIR = cc.PROJECT_ROOT / "data" / "cache"
LOG_EVERY = 500


def load(path: Path) -> dict[str, dict]:
    """key -> record (a torn last line from a killed run is skipped)."""
    return cc.load_rt_cache(path)


def outputs(groups: Iterable[Iterable[str]], found: dict[str, dict], field: str):
    """The cached ``field`` of every input of every group (a list of lists), or None if any
    input is missing or was rejected: a passage is used only if all of it translated."""
    out = []
    for group in groups:
        texts = []
        for x in group:
            rec = found.get(cc.sha1(x))
            if rec is None or not rec.get("ok"):
                return None
            texts.append(rec[field])
        out.append(texts)
    return out


def _end_torn_line(path: Path) -> None:
    """Close a last line torn by a killed run, so the next record starts a line of its own."""
    if path.exists() and path.stat().st_size:
        with open(path, "rb+") as fh:
            fh.seek(-1, 2)
            if fh.read(1) != b"\n":
                fh.write(b"\n")


def logger(path: Path) -> Callable[[str], None]:
    """A function that prints a time-stamped line and appends it to ``path``."""

    def log(msg: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {msg}"
        print(line, flush=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    return log


def run(
    name: str,
    inputs: Iterable[str],
    work: Callable[[str], dict],
    path: Path,
    deadline: float | None = None,
) -> dict[str, int]:
    """Apply ``work`` to every input whose sha1 is not yet in the cache at ``path`` (in input
    order, one at a time), appending each record; stop early at ``deadline`` (epoch seconds).
    Returns counts: selected, cached, done, rejected."""
    log = logger(path.with_suffix(".log"))
    seen: set[str] = set()
    todo: list[str] = []
    cache = load(path)
    n_sel = 0
    for x in inputs:
        k = cc.sha1(x)
        if k in seen:
            continue
        seen.add(k)
        n_sel += 1
        if k not in cache:
            todo.append(x)
    log(f"{name}: selected {n_sel} inputs; cached {n_sel - len(todo)}; to do {len(todo)}")
    done = bad = 0
    t0 = time.time()
    path.parent.mkdir(parents=True, exist_ok=True)
    _end_torn_line(path)
    with open(path, "a", encoding="utf-8") as out:
        for x in todo:
            if deadline is not None and time.time() > deadline:
                log(f"{name}: time budget reached after {done}; rerun to continue")
                break
            rec = work(x)
            rec["key"] = cc.sha1(x)
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()  # a killed run loses nothing
            done += 1
            bad += not rec.get("ok")
            if done % LOG_EVERY == 0 or done == len(todo):
                rate = done / max(1e-9, time.time() - t0)
                log(f"{name}: {done}/{len(todo)}, {rate:.1f} inputs/s, rejected {bad}")
    return {"selected": n_sel, "cached": n_sel - len(todo), "done": done, "rejected": bad}
