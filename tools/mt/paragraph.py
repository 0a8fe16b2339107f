"""Paragraph-level round trips (generator ``rt:ft-para``): each paragraph goes through the
engine in multi-sentence chunks, as a user pasting text would, instead of sentence by
sentence; the model then sees (and may reorder or merge across) sentence boundaries.

The model stops after ~80 output words, dropping what follows, so a chunk holds consecutive
sentences of one paragraph up to ``CHUNK_WORDS`` words (a longer sentence is a chunk alone),
and an output that lost a sentence or much of its length is rejected (engine.lost_text); such
a chunk is retried in halves (roundtrip_chunk). The model glues the sentences of its output
("setting.But"); the space is put back in the final English (engine.unglue), so that what
marks these texts is the translation.
"""

from __future__ import annotations

from pathlib import Path

from tools import corpus_common as cc
from tools.mt import cache, engine, rtselect
from tools.mt.generators import GENERATORS

CHUNK_WORDS = 50


def paragraphs(p: cc.Passage) -> list[list[str]]:
    """The sentences of each paragraph of a passage (a unit after a blank-line break starts
    a new paragraph)."""
    paras: list[list[str]] = []
    for k, (brk, unit) in enumerate(zip(p.doc.breaks[p.start : p.end], p.units)):
        if k == 0 or brk == "\n\n":
            paras.append([])
        paras[-1].extend(cc.split_sentences(unit))
    return paras


def chunks(sentences: list[str], limit: int = CHUNK_WORDS) -> list[str]:
    """Consecutive sentences packed into chunks of at most ``limit`` words."""
    out: list[list[str]] = []
    words = 0
    for s in sentences:
        n = cc.n_words(s)
        if out and words + n <= limit:
            out[-1].append(s)
            words += n
        else:
            out.append([s])
            words = n
    return [" ".join(c) for c in out]


def passage_chunks(p: cc.Passage) -> list[list[str]]:
    """The chunks of each paragraph of a passage."""
    return [chunks(sents) for sents in paragraphs(p)]


def text(p: cc.Passage, found: dict[str, dict]) -> str | None:
    """The round-tripped passage if every chunk passed, else None."""
    paras = cache.outputs(passage_chunks(p), found, "back")
    return None if paras is None else "\n\n".join(" ".join(backs) for backs in paras)


def roundtrip_chunk(chunk: str, en_pt, pt_en) -> dict:
    """The round trip of a chunk; if its output lost text (the model tends to drop a short
    last sentence), the two halves of the chunk are tried instead, down to single
    sentences. ``parts`` counts the calls the chunk took."""
    rec = engine.roundtrip(chunk, en_pt, pt_en, strict=True)
    sents = cc.split_sentences(chunk)
    if rec["ok"] or len(sents) < 2:
        rec.update(back=engine.unglue(rec["back"]), parts=1)
        return rec
    mid = len(sents) // 2
    halves = [roundtrip_chunk(" ".join(h), en_pt, pt_en) for h in (sents[:mid], sents[mid:])]
    bad = next((h for h in halves if not h["ok"]), None)
    return {
        "en": chunk,
        "pt": " ".join(h["pt"] for h in halves),
        "back": " ".join(h["back"] for h in halves),
        "ok": bad is None,
        "reason": bad and bad["reason"],
        "parts": sum(h["parts"] for h in halves),
    }


def run(gen_id: str, root: Path, seed: int, deadline: float | None = None) -> dict:
    """Round-trip the chunks of the selected passages."""
    dirs: list = []

    def work(chunk: str) -> dict:
        if not dirs:
            dirs.extend(
                engine.load_direction(engine.package_model_dir(d)) for d in ("en-pt", "pt-en")
            )
        return roundtrip_chunk(chunk, *dirs)

    ps = rtselect.passages(root, seed)
    inputs = [c for p in ps for cs in passage_chunks(p) for c in cs]
    return cache.run(gen_id, inputs, work, cache.CACHE_DIR / GENERATORS[gen_id].cache, deadline)
