"""Evaluate the idiom family: the written sets, false flags per register of human text, speed.

Usage:
    .venv/bin/python -m tools.eval_idioms                    # sets (dev + test) and registers
    .venv/bin/python -m tools.eval_idioms --split dev        # tune on dev only
    .venv/bin/python -m tools.eval_idioms --no-human         # the sets only
    .venv/bin/python -m tools.eval_idioms --registers chat,product-reviews --show 30
    .venv/bin/python -m tools.eval_idioms --fixture          # also the older fixture set
    .venv/bin/python -m tools.eval_idioms --unlisted dev     # two unlisted-calque designs

**Sets** (``tests/fixtures/idiom_sets/{dev,test}.jsonl``, see its README): recall of distorted
idioms and of calques held out of every lexicon, per variant (base, tense, order, insert); a
rendering is found when a flag of the family overlaps its span. A hit through a hand-written
relative (relation ``t``) or a listed calque is a leak (the entry is then not held out) and does
not count. Precision is over all flags raised on the set (renderings and ordinary sentences):
those overlapping a rendering's span are right. Ordinary sentences (canonical idioms, literal
uses) report their false flags, per 30 sentences.

**Human text** is read from the data folder (``--data``, ``$MTDETECT_DATA`` or
``../shared/data``) with the corpus loaders of the build (same documents and splits): Brown per
genre, ABC rural / science, CoNLL-2000 train (WSJ sections 15-18, which the table build prunes
on) and test (section 20, never seen), WMT21 and WMT22 English sources, NPS chat and product
reviews. Every flag there is a false flag; the figures are per 1,000 words, per register and
rule, for all documents, for the valid split (``VALID:``; the tuning set: the table build prunes
on the train split only) and for the test split (``TEST:``; never used to tune).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from mtdetect import refstats
from mtdetect.features.idioms import IdiomFamily
from mtdetect.idiomatch import matcher
from mtdetect.lexicon import GRAMMAR_WORDS
from mtdetect.refstats import RefStats
from mtdetect.text import Document
from tools import corpus_common as cc
from tools import corpus_informal

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "fixtures" / "idiom_sets"
FIXTURE = ROOT / "tests" / "fixtures" / "idioms_eval.jsonl"
VARIANTS = ("base", "tense", "order", "insert")


# ---------------------------------------------------------------------------- the sets


def load_set(split: str, base: Path = SETS) -> list[dict]:
    """The records of one split of the written sets."""
    with open(base / f"{split}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _leak(rec: dict, doc: Document, lo: int, hi: int) -> str | None:
    """Why a rendering is not held out, if it is not: a listed calque or a hand-written
    relative matches it (the family would be right for a reason that does not generalise)."""
    for m in matcher().find(doc):
        s, e = doc.tokens[m.tok_start].start, doc.tokens[m.tok_end - 1].end
        if s >= hi or e <= lo:
            continue
        if m.entry.kind == "calque":
            return f"listed calque '{m.entry.pattern}'"
        if m.swap is not None and m.swap.relation == "t":
            return f"hand-written relative '{m.swap.related}' of '{m.swap.original}'"
    return None


def score_set(fam: IdiomFamily, records: list[dict]) -> dict:
    """Recall per kind and variant, precision of all flags, false flags on ordinary sentences,
    leaks and misses (see the module docstring)."""
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    by_rule: Counter = Counter()
    right = wrong = 0
    ordinary = ordinary_flagged = 0
    named = 0  # distorted renderings found whose flag suggests the original word
    leaks: list[tuple[str, str, str]] = []
    misses: list[tuple[str, str, str]] = []
    false: list[tuple[str, str, str]] = []
    for rec in records:
        doc = Document(rec["text"])
        _, fs = fam.extract(doc)
        if rec["kind"] == "ordinary":
            ordinary += 1
            ordinary_flagged += bool(fs)
            wrong += len(fs)
            false += [(rec["id"], rec["text"], f"{f.rule}: '{f.text}'") for f in fs]
            continue
        lo = rec["text"].index(rec["span"])
        hi = lo + len(rec["span"])
        on = [f for f in fs if f.start < hi and lo < f.end]
        right += len(on)
        wrong += len(fs) - len(on)
        false += [(rec["id"], rec["text"], f"{f.rule}: '{f.text}'") for f in fs if f not in on]
        leak = _leak(rec, doc, lo, hi) if on else None
        found = bool(on) and leak is None
        if found and rec["kind"] == "distorted":
            # the flag names the idiom: its suggestion puts back the original word
            named += any(rec["original"].removesuffix("'s") in f.suggestion.lower() for f in on)
        for key in ((rec["kind"], rec["variant"]), (rec["kind"], "all")):
            hits[key][0] += found
            hits[key][1] += 1
        if leak:
            leaks.append((rec["id"], rec["text"], leak))
        elif on:
            by_rule[(rec["kind"], on[0].rule)] += 1
        else:
            misses.append((rec["id"], rec["variant"], rec["text"]))
    return {
        "recall": {k: tuple(v) for k, v in hits.items()},
        "by_rule": by_rule,
        "precision": (right, right + wrong),
        "ordinary": (ordinary_flagged, ordinary),
        "leaks": leaks,
        "misses": misses,
        "false": false,
        "named": named,
    }


def _ratio(a: int, n: int) -> str:
    return f"{a}/{n} ({a / n:.2f})" if n else "0/0"


def print_set(split: str, res: dict, show: int) -> None:
    rec = res["recall"]
    for kind in ("distorted", "calque"):
        if (kind, "all") not in rec:
            continue
        parts = [f"{v} {_ratio(*rec[(kind, v)])}" for v in VARIANTS if (kind, v) in rec]
        print(f"{split} {kind}: recall {_ratio(*rec[(kind, 'all')])}; " + ", ".join(parts))
        if kind == "distorted":
            print(
                f"{split} distorted found with the idiom's own word suggested: "
                f"{_ratio(res['named'], rec[(kind, 'all')][1])}"
            )
    both = [rec[(k, "all")] for k in ("distorted", "calque") if (k, "all") in rec]
    print(
        f"{split} all renderings: recall {_ratio(sum(a for a, _ in both), sum(n for _, n in both))}"
        f"; precision of flags {_ratio(*res['precision'])}; ordinary sentences flagged "
        f"{_ratio(*res['ordinary'])} = {30 * res['ordinary'][0] / max(res['ordinary'][1], 1):.2f}"
        f" per 30; leaks {len(res['leaks'])}"
    )
    print(f"{split} hits by rule: {dict(sorted(res['by_rule'].items()))}")
    for what, rows in (("LEAK", res["leaks"]), ("FALSE", res["false"]), ("MISS", res["misses"])):
        for row in rows[:show]:
            print(f"  [{what}] {' | '.join(row)}")


# ---------------------------------------------------------------------------- human text


def register_docs(dd: Path, names: set[str] | None = None) -> Iterator[tuple[str, str, str]]:
    """(register, split, text) of every human document of the build's loaders."""
    seed = cc.DEFAULT_SEED
    docs = cc.load_originals(dd, seed) + corpus_informal.load_informal(dd, seed)
    for d in docs:
        if d.source == "brown":
            reg = f"brown-{d.meta['genre']}"
        elif d.source == "conll":
            reg = f"conll-{d.meta['file'].removesuffix('.txt')}"
        elif d.source in ("abc",):
            reg = d.meta["register"]
        else:
            reg = d.source.removesuffix("-src")
        if names and not any(reg == n or reg.startswith(n + "-") for n in names):
            continue
        text = "".join(b + u for b, u in zip(["", *d.breaks[1:]], d.units))
        yield reg, d.split, text


def eval_human(fam: IdiomFamily, dd: Path, names: set[str] | None, show: int) -> None:
    """False flags per 1,000 words per register (all documents, and test-split documents)."""
    words: Counter = Counter()
    flags: Counter = Counter()
    shown = 0
    by_entry: Counter = Counter()
    t0 = time.perf_counter()
    for reg, split, text in register_docs(dd, names):
        doc = Document(text)
        _, fs = fam.extract(doc)
        held = ("TEST:" + reg, "TEST:ALL") if split == "test" else ()
        if split == "valid":
            held = ("VALID:" + reg, "VALID:ALL")
        for key in (reg, "ALL", *held):
            words[key] += doc.n_words
            for f in fs:
                flags[(key, f.rule)] += 1
                flags[(key, "*")] += 1
        for f in fs:
            by_entry[(f.rule, f.suggestion)] += 1
            if shown < show:
                shown += 1
                s = doc.sentences[f.sentence]
                print(
                    f"  FALSE [{reg}] {f.rule}: '{f.text}' -> {f.suggestion!r} | "
                    f"{doc.sentence_text(s)[:150]}"
                )
    dt = time.perf_counter() - t0
    rules = sorted({r for _, r in flags if r != "*"})
    print(f"{'register':24} {'words':>9} {'flags':>6} {'per 1k':>7}  " + "  ".join(rules))
    for key in sorted(words, key=lambda k: (k.split(":")[0] if ":" in k else "", "ALL" in k, k)):
        n = words[key]
        cells = "  ".join(f"{1000 * flags[(key, r)] / n:.3f}" for r in rules)
        print(
            f"{key:24} {n:>9} {flags[(key, '*')]:>6} {1000 * flags[(key, '*')] / n:>7.3f}  {cells}"
        )
    worst = max(
        (k for k in words if ":" not in k and k != "ALL"),
        key=lambda k: flags[(k, "*")] / words[k],
        default=None,
    )
    if worst:
        print(
            f"highest register: {worst} {1000 * flags[(worst, '*')] / words[worst]:.3f} per "
            f"1,000 words; {words['ALL'] / dt:,.0f} words/s (loading included)"
        )
    if by_entry:
        print("most frequent false flags:", by_entry.most_common(12))


# ---------------------------------------------------------------------------- LM surprisal


def _pmi(rs: RefStats, ws: list[str]) -> np.ndarray:
    """The trigram log10 P of each word minus its unigram log10 P (0 for an unknown word: a
    name or a number says nothing either way)."""
    ids = rs.lm_ids(ws)
    known = (ids >= 0) & (ids < rs.lm_size)
    p1 = np.concatenate([[-1], ids[:-1]])
    p2 = np.concatenate([[-1, -1], ids[:-2]])[: len(ids)]
    p2[p1 < 0] = -1
    lp = rs.cond_logprob(ids, p1, p2)[0]
    return np.where(known, lp - rs.uni_lp[np.clip(ids, 0, rs.lm_size - 1)], 0.0)


def _sentence_words(doc: Document) -> Iterator[tuple[list, list[str], np.ndarray, np.ndarray]]:
    """The word tokens of each sentence of four words or more, their lower forms, PMIs (see
    ``_pmi``) and which are content words."""
    rs = refstats.load()
    for s in doc.sentences:
        toks = [t for t in doc.tokens[s.tok_start : s.tok_end] if t.is_word]
        ws = [t.norm.lower() for t in toks]
        if len(ws) >= 4:
            content = np.array([w not in GRAMMAR_WORDS and w.isalpha() and len(w) > 2 for w in ws])
            yield toks, ws, _pmi(rs, ws), content


def _surprisal_windows(doc: Document) -> Iterator[tuple[float, int, int]]:
    """Design 1: (score, start char, end char) of each pair of content words at most three
    tokens apart: the summed PMI of the words from the one after the first to the one after
    the second, plus how far the pair's own PMI falls below the sentence's median content-word
    PMI. Low: words English does not put together, in a sentence whose other words it does."""
    for toks, ws, pmi, content in _sentence_words(doc):
        cidx = np.flatnonzero(content & (pmi != 0))
        if len(cidx) < 3:
            continue
        med = float(np.median(pmi[cidx]))
        for i, j in zip(cidx[:-1], cidx[1:]):
            if j - i <= 3:
                hi = min(j + 2, len(ws))
                score = float(pmi[i + 1 : hi].sum()) + float(pmi[[i, j]].mean()) - med
                yield score, toks[i].start, toks[hi - 1].end


#: the kinds of concrete nouns (WordNet lexicographer files) a figurative phrase is made of
_CONCRETE = frozenset({"noun.animal", "noun.food", "noun.plant", "noun.body"})


def _figurative_windows(doc: Document) -> Iterator[tuple[float, int, int]]:
    """Design 2: each lowercase concrete noun (an animal, food, plant or body part) scored by
    its PMI in its words before and the PMI of the word after it, plus the other content words
    of its sentence of its kind ("noodles on the ears" among words of politics): low, a
    concrete word English does not expect there, in a sentence not about such things."""
    kinds = matcher().kinds
    for toks, ws, pmi, content in _sentence_words(doc):
        ks = [kinds.get(w, frozenset()) for w in ws]
        for i in range(len(ws)):
            kc = ks[i] & _CONCRETE
            if not kc or not content[i] or toks[i].text[:1].isupper():
                continue
            share = sum(1 for j, k in enumerate(ks) if j != i and content[j] and k & kc)
            after = float(pmi[i + 1]) if i + 1 < len(ws) else 0.0
            yield float(pmi[i]) + after + share, toks[i].start, toks[i].end


def unlisted_designs(dd: Path, split: str) -> None:
    """Would either design find unlisted calques? For each budget of false flags per 1,000
    words of the human VALID documents, the cut it allows and the calque renderings of
    ``split`` with a window under it."""
    designs = {"surprisal": _surprisal_windows, "figurative": _figurative_windows}
    human: dict[str, list[float]] = {name: [] for name in designs}
    words = 0
    for _, part, text in register_docs(dd):
        if part == "valid":
            doc = Document(text)
            words += doc.n_words
            for name, windows in designs.items():
                human[name] += [sc for sc, _, _ in windows(doc)]
    for name, windows in designs.items():
        best: list[float] = []  # the lowest window on each calque rendering
        for rec in load_set(split):
            if rec["kind"] == "calque":
                lo = rec["text"].index(rec["span"])
                hi = lo + len(rec["span"])
                doc = Document(rec["text"])
                best.append(
                    min((sc for sc, s, e in windows(doc) if s < hi and lo < e), default=np.inf)
                )
        low = np.sort(human[name])
        print(f"{name}: {len(low)} windows in {words} human VALID words")
        for per_1k in (0.1, 0.3, 1.0, 3.0):
            cut = float(low[min(int(per_1k * words / 1000), len(low) - 1)])
            print(
                f"  {per_1k} false flags per 1,000 words: cut {cut:.2f}; {split} calques found "
                f"{_ratio(sum(b < cut for b in best), len(best))}"
            )


# ---------------------------------------------------------------------------- the old fixture


def eval_fixture(fam: IdiomFamily, path: Path) -> None:
    """Precision/recall of 'has an idiom finding' on the older labelled fixture."""
    tp = fp = fn = tn = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ex = json.loads(line)
            flagged = bool(fam.extract(Document(ex["text"]))[1])
            if ex["label"] == "flag":
                tp += flagged
                fn += not flagged
            else:
                fp += flagged
                tn += not flagged
    print(
        f"fixture {path.name}: precision {_ratio(tp, tp + fp)} recall {_ratio(tp, tp + fn)} "
        f"(tn {tn})"
    )


def speed(fam: IdiomFamily, dd: Path, n: int) -> None:
    """Words/s of the family alone on Brown passages (documents built beforehand)."""
    texts = [t for reg, _, t in register_docs(dd, {"brown"})][:n]
    docs = [Document(t) for t in texts]
    words = sum(d.n_words for d in docs)
    t0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        fam.extract(d)
    rate = words / (time.perf_counter() - t0)
    cpu = words / (time.process_time() - c0)  # steadier than the clock on a shared machine
    print(
        f"speed: {len(docs)} Brown documents, {words} words: {rate:,.0f} words/s "
        f"({cpu:,.0f} per CPU second)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--split", default="dev,test", help="sets to score (dev, test)")
    ap.add_argument("--no-human", action="store_true")
    ap.add_argument("--registers", default="", help="comma-separated register prefixes")
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--fixture", action="store_true", help="also the older fixture set")
    ap.add_argument("--speed", type=int, default=0, help="time the family on N Brown documents")
    ap.add_argument(
        "--unlisted", default="", help="the two unlisted-calque designs on this set (dev, test)"
    )
    args = ap.parse_args()
    fam = IdiomFamily()
    t0 = time.perf_counter()
    fam.extract(Document("Warm-up loads the tables."))
    print(f"table load + index build: {time.perf_counter() - t0:.2f} s")
    for split in [s for s in args.split.split(",") if s]:
        print_set(split, score_set(fam, load_set(split)), args.show)
    if args.fixture:
        eval_fixture(fam, FIXTURE)
    dd = cc.data_root(args.data)
    if args.speed:
        speed(fam, dd, args.speed)
    if args.unlisted:
        unlisted_designs(dd, args.unlisted)
    if not args.no_human:
        names = {r for r in args.registers.split(",") if r} or None
        eval_human(fam, dd, names, args.show)


if __name__ == "__main__":
    main()
