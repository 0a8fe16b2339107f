"""Two-hop round trips, EN->PT->EN->PT->EN (generator ``rt:ft-twohop``): the greedy round trip
of tools/roundtrip.py (read from its cache when there) round-tripped once more. Translation
errors compound and the wording drifts further from the original than one round trip."""

from __future__ import annotations

from pathlib import Path

from tools import corpus_common as cc
from tools.mt import cache, engine, rtselect
from tools.mt.generators import GENERATORS, GREEDY_RT
from tools.roundtrip import degenerate


def second_hop(en: str, first: dict, en_pt, pt_en) -> dict:
    """The two-hop record of ``en`` given its first round trip ``first``; shaped like a
    round-trip record (``back`` is the final English), with the first hop in ``hop1``."""
    rec = {"en": en, "hop1": first.get("back", ""), "pt": "", "back": "", "ok": False}
    if not first.get("ok"):
        rec["reason"] = f"hop1-{first.get('reason')}"
        return rec
    again = engine.roundtrip(first["back"], en_pt, pt_en)
    rec.update(pt=again["pt"], back=again["back"], reason=again["reason"])
    if again["ok"]:
        bad = degenerate(en, again["back"])  # against the original, not the first hop
        rec["ok"], rec["reason"] = bad is None, (f"hop2-{bad}" if bad else None)
    else:
        rec["reason"] = f"hop2-{again['reason']}"
    return rec


def run(gen_id: str, root: Path, seed: int, deadline: float | None = None) -> dict:
    """Two-hop round trips of the selected passages' sentences."""
    greedy = cache.load(cache.CACHE_DIR / GREEDY_RT.cache)
    dirs: list = []

    def work(en: str) -> dict:
        if not dirs:
            dirs.extend(
                engine.load_direction(engine.package_model_dir(d)) for d in ("en-pt", "pt-en")
            )
        first = greedy.get(cc.sha1(en)) or engine.roundtrip(en, *dirs)
        return second_hop(en, first, *dirs)

    ps = rtselect.passages(root, seed)
    path = cache.CACHE_DIR / GENERATORS[gen_id].cache
    return cache.run(gen_id, rtselect.sentences(ps), work, path, deadline)
