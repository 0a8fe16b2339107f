"""The corpus records of the tools/mt generators (called by tools/build_corpus.py): whatever
their caches hold, assembled into passages.

* Round-trip generators (decodings, two-hop, paragraph) give a record for every passage that
  has a greedy round trip in the plan (so its original is a human record of the same group
  and split) and whose every sentence (chunk) is cached and clean, unless it is word for word
  the greedy round trip (counted in the log). Subset ``roundtrip`` (the
  classifier's round-trip class); ``meta.generator`` tells them apart.
* PT->EN generators give a record for every passage of the Portuguese documents whose every
  sentence is cached and clean; their groups and splits are their own (``pt2en:br:...``),
  subset = generator id.

Nothing here changes the plan: the human and spun parts are the same with or without these
records.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path

from tools import corpus_common as cc
from tools.mt import cache, paragraph, portuguese, pt2en
from tools.mt.generators import GENERATORS, GREEDY_RT, Generator

# How each round-trip family assembles a passage from its cache.
RT_TEXT: dict[str, Callable] = {"paragraph": paragraph.text}


def _rt_text(gen: Generator) -> Callable:
    from tools import build_corpus as bc

    return RT_TEXT.get(gen.family, bc.rt_text)


def roundtrip_records(plan, gen: Generator, found: dict[str, dict], stats: dict) -> list[dict]:
    """Records of a round-trip generator for the plan's round-trip originals."""
    from tools import build_corpus as bc

    assemble = _rt_text(gen)
    out = []
    for pid in sorted(plan.roundtrip):
        p = plan.passages[pid]
        text = assemble(p, found)
        if text is None or text.split() == p.text.split():
            continue
        if text == plan.roundtrip[pid]:
            stats["same_as_greedy"] += 1  # a copy of the greedy record teaches nothing new
            continue
        meta = bc.orig_meta(p)
        meta.update(
            generator=gen.id, engine=gen.engine, pivot="pt", orig_subset=bc.orig_subset(p.doc)
        )
        out.append(
            bc.record(
                text, "translated", pid, p.doc.split, "roundtrip", p.doc.path, meta, p.end - p.start
            )
        )
    return out


def pt2en_records(gen: Generator, root: Path, seed: int, found: dict[str, dict]) -> list[dict]:
    """Records of a PT->EN generator: every passage whose sentences are all translated."""
    from tools import build_corpus as bc

    out = []
    for d in pt2en.LOADERS[gen.id](root, seed):
        for p in cc.passages_of(d, seed):
            text = pt2en.text(p, found)
            if text is None:
                continue
            meta = {k: v for k, v in d.meta.items() if k != "extracts"}
            meta.update(
                doc=d.doc_id,
                units=[p.start, p.end],
                generator=gen.id,
                engine=gen.engine,
                source_lang="pt",
            )
            out.append(
                bc.record(text, "translated", p.pid, d.split, gen.id, d.path, meta, p.end - p.start)
            )
    return out


def build(plan, root: Path, seed: int, log: list[str], cache_dir: Path = cache.CACHE_DIR):
    """(records, manifest entry) of every tools/mt generator whose cache exists."""
    records: list[dict] = []
    caches = {}
    for gen in GENERATORS.values():
        if gen.id == GREEDY_RT.id:
            continue
        path = cache_dir / gen.cache
        if not path.exists():
            log.append(f"mt: no cache for {gen.id} ({path.name}); no records")
            continue
        found = cache.load(path)
        stats = collections.Counter()
        if gen.family == "pt2en":
            recs = pt2en_records(gen, root, seed, found)
        else:
            recs = roundtrip_records(plan, gen, found, stats)
        records += recs
        caches[gen.id] = {
            "path": str(path),
            "sha256": cc.sha256_file(path),
            "entries": len(found),
            "ok": sum(1 for r in found.values() if r.get("ok")),
        }
        extra = (
            f", {stats['same_as_greedy']} more identical to the greedy round trip left out"
            if gen.family != "pt2en"
            else ""
        )
        log.append(f"mt: {gen.id}: {len(recs)} passages from {len(found)} cached inputs{extra}")
    return records, caches


def inputs(root: Path) -> list[Path]:
    """The Portuguese source files (for the manifest)."""
    return sorted((root / portuguese.MM_DIR).glob("*.txt")) + [root / portuguese.FL_FILE]


def counts_by_generator(records: list[dict]) -> dict[str, dict[str, int]]:
    """Translated records per ``meta.generator`` and split."""
    c: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in records:
        if r["label"] == "translated":
            c[str(r["meta"].get("generator"))][r["split"]] += 1
    return {g: dict(sorted(v.items())) for g, v in sorted(c.items())}
