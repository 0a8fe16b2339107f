"""The original-English passages that the round-trip generators translate: passages that
tools/roundtrip.py round-trips with its default settings (so each has its greedy round trip
and its original in the corpus), taken per split in a seeded hash order."""

from __future__ import annotations

from pathlib import Path

from tools import corpus_common as cc
from tools.mt.select import by_quota
from tools.roundtrip import select_sentences

# tools/roundtrip.py's settings in `make roundtrip`.
RT_LIMIT = 15000
RT_EXTRA_TRAIN = 80000
# Passages per split for a full-price generator; dearer ones take a prefix (select.scaled).
QUOTA = {"train": 400, "valid": 100, "test": 315}


def candidates(root: Path, seed: int) -> list[cc.Passage]:
    """Round-trip-eligible passages all of whose sentences tools/roundtrip.py translates."""
    sents, _ = select_sentences(root, seed, RT_LIMIT, extra_train=RT_EXTRA_TRAIN)
    chosen = set(sents)
    docs = cc.load_originals(root, seed, cc.RT_SOURCES)
    out = []
    for d in docs:
        for p in cc.passages_of(d, seed):
            if cc.rt_eligible(p) and all(s in chosen for u in cc.rt_sentences(p) for s in u):
                out.append(p)
    return out


def passages(root: Path, seed: int, quota: dict[str, int] = QUOTA) -> list[cc.Passage]:
    """The passages of a round-trip generator (the same hash order for all of them)."""
    return by_quota(candidates(root, seed), seed, "mt-rt", quota)


def sentences(ps: list[cc.Passage]) -> list[str]:
    """Their sentences, in passage order."""
    return [s for p in ps for u in cc.rt_sentences(p) for s in u]
