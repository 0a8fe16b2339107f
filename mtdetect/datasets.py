"""Labelled data: JSONL records or folders of ``human/``, ``translated/``, ``spun/`` texts.

A JSONL line is ``{"text": ..., "label": "human"|"translated"|"spun", "group": optional, ...}``;
extra keys (``split``, ``subset``, ``meta``, ``spans``) are kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from mtdetect.findings import LABELS
from mtdetect.inputs import InputError, check_unicode, read_text_file

#: A record (a JSONL line, or a text file of a label folder) may be at most this long:
#: training and evaluation read each text whole (corpus passages are under 10 KB).
MAX_RECORD_BYTES = 256 * 1024


def _check(rec: dict, where: str) -> dict:
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise InputError(f"{where}: each record needs a string 'text'")
    check_unicode(rec["text"], where)
    if rec.get("label") not in LABELS:
        raise InputError(
            f"{where}: label must be one of {', '.join(LABELS)}, got {rec.get('label')!r}"
        )
    return rec


def iter_records(path: str | Path) -> Iterator[dict]:
    """Records from a JSONL file or a label folder (recursively: ``*/human/*.txt`` etc.)."""
    p = Path(path)
    if p.is_dir():
        found = False
        for label in LABELS:
            for sub in sorted(p.rglob(label)):
                if not sub.is_dir():
                    continue
                for f in sorted(sub.rglob("*.txt")):
                    found = True
                    yield {
                        "text": read_text_file(f, max_bytes=MAX_RECORD_BYTES),
                        "label": label,
                        # The same relative name under human/ and translated/ is one passage in
                        # two versions: one group, so a split never separates them.
                        "group": f"{sub.parent}:{f.relative_to(sub).as_posix()}",
                        "source": str(f),
                    }
        for f in sorted(p.glob("*.jsonl")):
            found = True
            yield from iter_records(f)
        if not found:
            raise InputError(f"{p}: no human/, translated/ or spun/ folders and no .jsonl files")
        return
    if not p.is_file():
        raise InputError(f"{p}: no such file or folder")
    with open(p, "rb") as fh:
        n = 0
        while True:  # line by line, each read bounded: a file is never read whole
            raw = fh.readline(MAX_RECORD_BYTES + 1)
            if not raw:
                break
            n += 1
            if len(raw) > MAX_RECORD_BYTES:
                raise InputError(
                    f"{p}:{n}: record over the limit of {MAX_RECORD_BYTES:,} bytes "
                    "(split long texts into passages)"
                )
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise InputError(f"{p}:{n}: not valid UTF-8 (byte {e.start})") from None
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except RecursionError:
                raise InputError(f"{p}:{n}: invalid JSON (nested too deeply)") from None
            except ValueError as e:
                raise InputError(f"{p}:{n}: invalid JSON ({e.msg})") from None
            rec = _check(rec, f"{p}:{n}")
            rec.setdefault("group", f"{p.name}:{n}")
            yield rec


def load_records(paths) -> list[dict]:
    out: list[dict] = []
    for p in paths:
        out.extend(iter_records(p))
    return out


def manifest(paths) -> list[dict]:
    """File name, sha256 and size of each data file (folders: each file under them)."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p])
    out = []
    for f in files:
        h = hashlib.sha256(f.read_bytes()).hexdigest()
        out.append({"path": str(f), "sha256": h, "bytes": f.stat().st_size})
    return out
