"""The tortured-phrase list split into three parts by group: train / valid / test.

Spinners mine or apply tortured phrases only from the ``train`` part; the ``test`` part is held
out so that detection of *unlisted* tortured phrases can be measured (issue 17, point 5), and
``valid`` is there to choose things on. Entries are grouped by the content words of their
``correct`` side (lower case, parenthesised acronyms dropped, a plural ``s`` stripped, order
ignored), so every variant of one term ("random forest", "random forests", "Random Forest
(RF)") lands in one part. Groups are dealt to the parts in a seeded shuffle, each to the part
with the fewest entries so far: about a third of the entries each, deterministic for the
list and :data:`SPLIT_SEED`.

The split is a function of the file, not a committed list:
``python -m tools.spinners.tortured_split`` prints the counts and (``--indices``) the entry
indices of each part as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sys
from pathlib import Path

PARTS = ("train", "valid", "test")
SPLIT_SEED = 17  # issue 17; changing it changes every part
_STOP = frozenset("a an the of in on for to and or with by from at as into its is are be".split())


def default_path(data: str | os.PathLike[str] | None = None) -> Path:
    """``<data>/tortured-phrases/tortured-phrases.json`` (``data``: argument, $MTDETECT_DATA
    or ../shared/data)."""
    from tools.thesaurus import data_dir

    return data_dir(data) / "tortured-phrases" / "tortured-phrases.json"


def read_entries(path: str | os.PathLike[str]) -> list[dict]:
    """The raw ``{"tortured", "correct"}`` entries in file order."""
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    return list(raw["phrases"] if isinstance(raw, dict) else raw)


def group_key(entry: dict) -> str:
    """The group of an entry: sorted content-word stems of its correct side (of its tortured
    side when the correct one has none, e.g. "???")."""
    for side in ("correct", "tortured"):
        t = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(entry.get(side, "")).lower())
        words = {
            w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in re.findall(r"[a-z0-9]+", t)
            if w not in _STOP
        }
        if words:
            return " ".join(sorted(words))
    return ""


def split_parts(entries: list[dict], seed: int = SPLIT_SEED) -> list[str]:
    """The part (``train``/``valid``/``test``) of every entry, by group."""
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        groups.setdefault(group_key(e), []).append(i)
    order = sorted(groups)
    random.Random(f"tortured-split:{seed}").shuffle(order)
    size = dict.fromkeys(PARTS, 0)
    part_of: list[str] = [""] * len(entries)
    for g in order:
        part = min(PARTS, key=lambda p: (size[p], PARTS.index(p)))
        for i in groups[g]:
            part_of[i] = part
        size[part] += len(groups[g])
    return part_of


def part_indices(entries: list[dict], seed: int = SPLIT_SEED) -> dict[str, list[int]]:
    """Entry indices of each part."""
    out: dict[str, list[int]] = {p: [] for p in PARTS}
    for i, p in enumerate(split_parts(entries, seed)):
        out[p].append(i)
    return out


def summary(path: str | os.PathLike[str], seed: int = SPLIT_SEED) -> dict:
    """Counts and a fingerprint (sha256 of the index lists) of the split, for manifests."""
    entries = read_entries(path)
    idx = part_indices(entries, seed)
    groups = {p: len({group_key(entries[i]) for i in ix}) for p, ix in idx.items()}
    blob = json.dumps(idx, sort_keys=True).encode()
    return {
        "seed": seed,
        "entries": {p: len(ix) for p, ix in idx.items()},
        "groups": groups,
        "indices_sha256": hashlib.sha256(blob).hexdigest(),
    }


# ------------------------------------------------------------------------ cleaned pairs


def clean_pair(entry: dict, stopwords: frozenset[str]) -> tuple[str, str] | None:
    """``(correct, tortured)`` cleaned for use by a spinner, or None for unusable entries.

    Drops parenthesised acronyms/comments and ``[optional]`` parts, ``?`` marks, entries with
    unknown (``???``), URL or over-long correct forms, and pairs whose sides are equal.
    """
    correct = str(entry.get("correct", "")).lower()
    tortured = str(entry.get("tortured", "")).strip()
    if "http" in correct or ":" in correct or "/" in correct:
        return None
    correct = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", correct)
    correct = re.sub(r"[?\"\\]", " ", correct)
    correct = " ".join(correct.split())
    tortured = " ".join(tortured.split())
    if not correct or not tortured or correct == tortured.lower():
        return None
    if not re.fullmatch(r"[a-z0-9]+(?:['-][a-z0-9]+)*(?: [a-z0-9]+(?:['-][a-z0-9]+)*)*", correct):
        return None
    if not re.fullmatch(r"[A-Za-z0-9' -]+", tortured):
        return None
    words = correct.split()
    if len(words) > 6:
        return None
    if len(words) == 1 and (correct in stopwords or len(correct) < 4):
        return None
    return correct, tortured


def load_pairs(
    path: str | os.PathLike[str] | None = None,
    part: str | None = "train",
    stopwords: frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:
    """Cleaned, de-duplicated ``(correct, tortured)`` pairs of one part (``None``: all)."""
    p = Path(path) if path is not None else default_path()
    entries = read_entries(p)
    parts = split_parts(entries) if part is not None else [None] * len(entries)
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for e, q in zip(entries, parts, strict=True):
        if part is not None and q != part:
            continue
        pair = clean_pair(e, stopwords)
        if pair is not None and pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out


def _main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Show the train/valid/test split of the list.")
    ap.add_argument("--data", default=None, help="shared data dir (default ../shared/data)")
    ap.add_argument("--indices", action="store_true", help="print the entry indices as JSON")
    a = ap.parse_args(argv)
    path = default_path(a.data)
    if not path.is_file():
        print(f"error: {path} not found", file=sys.stderr)
        return 2
    if a.indices:
        print(json.dumps(part_indices(read_entries(path))))
    else:
        print(json.dumps(summary(path), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
