"""Deterministic passage subsets for the generators: every split gets a quota, filled in the
order of a seeded hash of the passage id, so a smaller quota is a prefix of a larger one (the
passages of a cheaper generator include those of a dearer one: paired across engines)."""

from __future__ import annotations

from collections.abc import Iterable

from tools import corpus_common as cc

SPLITS = ("train", "valid", "test")


def rank(seed: int, name: str, pid: str) -> str:
    """The seeded hash that orders passages."""
    return cc.sha1(f"{seed}:{name}:{pid}")


def by_quota(
    passages: Iterable[cc.Passage], seed: int, name: str, quota: dict[str, int] | None
) -> list[cc.Passage]:
    """The first ``quota[split]`` passages of each split in hash order (all if no quota),
    returned in hash order (splits interleaved, so a partial run covers every split)."""
    ordered = sorted(passages, key=lambda p: rank(seed, name, p.pid))
    if quota is None:
        return ordered
    taken = dict.fromkeys(SPLITS, 0)
    out = []
    for p in ordered:
        if taken.get(p.doc.split, 0) < quota.get(p.doc.split, 0):
            taken[p.doc.split] += 1
            out.append(p)
    return out


def scaled(quota: dict[str, int], share: float) -> dict[str, int]:
    """A quota scaled by ``share`` (at least one passage a split)."""
    return {k: max(1, round(v * share)) for k, v in quota.items()}
