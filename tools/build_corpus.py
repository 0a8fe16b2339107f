"""Build the labelled mtdetect corpus: data/build/{train,valid,test}.jsonl.

Labels: ``human`` (WMT references, original-English WMT sources, Brown, ABC, CoNLL-2000,
chat posts and product reviews), ``translated`` (WMT21/22 system outputs into English;
EN->PT->EN round trips from the cache written by tools/roundtrip.py) and ``spun`` (original
passages rewritten by the spinner designs of tools/spinners/, with character spans of every
change and the original wording; which originals and designs: tools/corpus_spun.py).

Every version of one content passage shares a ``group`` and a split. Splits are by content:
test = all of WMT22 + held-out Brown/ABC/CoNLL/chat/review documents + their round trips and
spins (by every spinner design, including the test-only ``checkonly``); train/valid = WMT21
and the rest (valid ~15% of documents). WMT texts are split in blocks of 100 consecutive
lines per language pair; source lines shared by several en-XX pairs are deduplicated by text;
a final guard drops any train/valid group that shares a (non-trivial) line of text with a
group of another split.

The build is done in three parts (human, translated, spun) written to data/build/parts/ and
merged; ``--only spun`` re-runs just the spinner part (e.g. after tools/spinners/ changes).
A plan fingerprint guards against merging parts built from different inputs.

Usage: python -m tools.build_corpus --data ../shared/data --out data/build [--only PART]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools import corpus_common as cc
from tools import corpus_spun, spinners
from tools.corpus_informal import load_informal
from tools.mt import corpus as mt_corpus
from tools.mt.cache import outputs as cached_outputs
from tools.mt.generators import GENERATORS, GREEDY_RT

LABELS = ("human", "translated", "spun")
SPLITS = ("train", "valid", "test")
# Target label shares per split (passages).
TARGET = {"human": 0.45, "translated": 0.35, "spun": 0.20}
P_TWO_SYSTEMS = 0.6  # share of WMT passages that get two system outputs (else one)
# Training years only: every passage also gets the outputs of up to this many systems in all and
# every reference, marked ``meta.extra`` (more MT systems and translators per passage, so the
# classifier learns translation rather than one system's habits). The plan of the other parts
# counts only the primary records, so adding extras changes nothing else, and the test year
# (WMT22) gets none.
TRAIN_SYSTEMS_PER_PASSAGE = 6
# Training splits only: every original passage not otherwise used also goes into human (marked
# ``meta.extra``), so the classifier and its threshold see every register of Brown/ABC/CoNLL and
# the WMT sources, not a sample of them.
ALL_ORIGINALS_IN_TRAINING = True
# Source mix (by passage count) for extra human-only passages (spun originals: corpus_spun).
HUMAN_MIX = {
    "wmt-src": 0.15,
    "brown": 0.40,
    "abc": 0.20,
    "conll": 0.10,
    "chat": 0.075,
    "product-reviews": 0.075,
}
GUARD_MIN_CHARS = 25  # shorter lines ("Thank you.") may legitimately repeat across splits


# --------------------------------------------------------------------------- helpers


def length_bucket(text: str, n_units: int) -> str:
    """Actual length bucket of a passage (for breakdowns)."""
    w = cc.n_words(text)
    if n_units <= 3 and w < 100:
        return "s1-3"
    if w < 150:
        return "w50-150" if w >= 50 else "w<50"
    if w < 300:
        return "w150-300"
    return "w300-800" if w <= 800 else "w>800"


def orig_subset(doc: cc.Doc) -> str:
    """Breakdown tag of an original-English document."""
    if doc.source in ("wmt21-src", "wmt22-src"):
        return "wmt-src"
    if doc.source == "brown":
        return f"brown:{doc.meta['genre']}"
    return doc.source


def mix_key(doc: cc.Doc) -> str:
    """Key into HUMAN_MIX."""
    return "wmt-src" if doc.source.endswith("-src") else doc.source


def orig_meta(p: cc.Passage) -> dict:
    """Meta of an original passage (shared by its versions)."""
    d = p.doc
    meta = dict(d.meta)
    meta["register_class"] = corpus_spun.register_class(d)
    meta["doc"] = d.doc_id
    meta["units"] = [p.start, p.end]
    if d.line_ids:
        meta["lines"] = [d.line_ids[p.start], d.line_ids[p.end - 1] + 1]
    return meta


def record(
    text: str,
    label: str,
    group: str,
    split: str,
    subset: str,
    source: str,
    meta: dict,
    n_units: int,
    spans: list | None = None,
) -> dict:
    """A corpus record."""
    meta = dict(meta)
    meta["n_words"] = cc.n_words(text)
    meta["length_bucket"] = length_bucket(text, n_units)
    rec = {
        "text": text,
        "label": label,
        "group": group,
        "split": split,
        "subset": subset,
        "source": source,
        "meta": meta,
    }
    if spans is not None:
        rec["spans"] = spans
    return rec


# --------------------------------------------------------------------------- WMT translated


@dataclass
class WmtPair:
    """Line-aligned English files of one WMT language pair."""

    year: str
    pair: str
    refs: dict[str, list[str]]
    systems: dict[str, list[str]]
    ref_paths: dict[str, str]
    sys_paths: dict[str, str]
    n_lines: int
    skipped: list[str] = field(default_factory=list)


def load_wmt_pairs(root: Path, year: str, inputs: set[Path]) -> list[WmtPair]:
    """All XX-en pairs of a WMT year with references and system outputs."""
    pairs: dict[str, WmtPair] = {}
    for path in sorted((root / year / "references").glob("*.ref.*.en")):
        pair, rid = path.name.split(".")[1], path.name.split(".")[3]
        lines = [ln.strip() for ln in cc._read_lines(path)]
        if lines and lines[-1] == "":
            lines = lines[:-1]
        wp = pairs.setdefault(pair, WmtPair(year, pair, {}, {}, {}, {}, len(lines)))
        if len(lines) != wp.n_lines:
            wp.skipped.append(str(path.relative_to(root)))
            continue
        wp.refs[rid] = lines
        wp.ref_paths[rid] = str(path.relative_to(root))
        inputs.add(path)
    for path in sorted((root / year / "system-outputs").glob("*.hyp.*.en")):
        name = path.name
        pair = name.split(".")[1]
        system = name[name.index(".hyp.") + 5 : -3]
        if pair not in pairs:
            continue
        wp = pairs[pair]
        lines = [ln.strip() for ln in cc._read_lines(path)]
        if lines and lines[-1] == "":
            lines = lines[:-1]
        if len(lines) != wp.n_lines:
            wp.skipped.append(str(path.relative_to(root)))
            continue
        wp.systems[system] = lines
        wp.sys_paths[system] = str(path.relative_to(root))
        inputs.add(path)
    return [pairs[k] for k in sorted(pairs)]


def add_distinct(
    rng: random.Random, outputs: dict[str, str], chosen: list[str], limit: int
) -> None:
    """Append systems to ``chosen``, in a random order drawn from ``rng``, whose output differs
    from every chosen one, until ``chosen`` holds ``limit``."""
    for s in rng.sample(list(outputs), len(outputs)):
        if len(chosen) >= limit:
            break
        if s not in chosen and all(outputs[s] != outputs[c] for c in chosen):
            chosen.append(s)


def build_translated_wmt(
    root: Path, seed: int, inputs: set[Path], log: list[str]
) -> tuple[list[dict], list[dict]]:
    """WMT system outputs (translated) and the references of the same lines (human)."""
    wmt21_systems: dict[str, set[str]] = collections.defaultdict(set)
    mt: list[dict] = []
    refs: list[dict] = []
    for year in ("wmt21", "wmt22"):
        for wp in load_wmt_pairs(root, year, inputs):
            for s in wp.skipped:
                log.append(f"skipped (line count differs from the reference): {s}")
            if year == "wmt21":
                for s in wp.systems:
                    wmt21_systems[s].add(wp.pair)
            ref_ids = sorted(wp.refs)
            if not ref_ids or not wp.systems:
                continue
            first = wp.refs[ref_ids[0]]
            docs = []
            for b in range(0, wp.n_lines, cc.BLOCK_LINES):
                ids = list(range(b, min(wp.n_lines, b + cc.BLOCK_LINES)))
                docs.append(
                    cc.Doc(
                        source=f"{year}-mt",
                        doc_id=f"{year}:{wp.pair}:b{b // 100:03d}",
                        units=[first[i] for i in ids],
                        breaks=[" "] * len(ids),
                        path="",
                        line_ids=ids,
                    )
                )
            if year == "wmt22":
                for d in docs:
                    d.split = "test"
            else:
                cc._assign_splits(docs, seed, f"{year}:{wp.pair}", test_frac=0.0)
            systems = sorted(wp.systems)
            for d in docs:
                for p in cc.passages_of(d, seed):
                    rng = cc.rng_for(seed, "wmt-pick", p.pid)
                    a, b = d.line_ids[p.start], d.line_ids[p.end - 1] + 1
                    rid = ref_ids[rng.randrange(len(ref_ids))]
                    ref_lines = wp.refs[rid][a:b]
                    if not all(ref_lines):
                        continue
                    ref_text = " ".join(ref_lines)
                    outputs = {
                        s: " ".join(wp.systems[s][a:b])
                        for s in systems
                        if all(wp.systems[s][a:b]) and " ".join(wp.systems[s][a:b]) != ref_text
                    }
                    if not outputs:
                        continue
                    k = 2 if rng.random() < P_TWO_SYSTEMS else 1
                    chosen: list[str] = []
                    add_distinct(rng, outputs, chosen, k)
                    base = {
                        "year": year,
                        "langpair": wp.pair,
                        "lines": [a, b],
                        "register": "news" if year == "wmt21" else "mixed",
                    }
                    versions = [(rid, {**base, "ref": rid})]
                    if year != "wmt22":
                        add_distinct(rng, outputs, chosen, TRAIN_SYSTEMS_PER_PASSAGE)
                        versions += [
                            (r, {**base, "ref": r, "extra": True})
                            for r in ref_ids
                            if r != rid
                            and all(wp.refs[r][a:b])
                            and " ".join(wp.refs[r][a:b]) != ref_text
                        ]
                    primary = set(chosen[:k])
                    for r, meta in versions:
                        refs.append(
                            record(
                                " ".join(wp.refs[r][a:b]),
                                "human",
                                p.pid,
                                d.split,
                                "wmt-ref",
                                wp.ref_paths[r],
                                meta,
                                b - a,
                            )
                        )
                    for s in sorted(chosen):
                        meta = {**base, "system": s, "generator": f"{year}:{s}"}
                        if s not in primary:
                            meta["extra"] = True
                        if year == "wmt22":
                            meta["system_seen_wmt21"] = s in wmt21_systems
                            meta["system_seen_wmt21_pair"] = wp.pair in wmt21_systems.get(s, ())
                        mt.append(
                            record(
                                outputs[s],
                                "translated",
                                p.pid,
                                d.split,
                                "wmt-mt",
                                wp.sys_paths[s],
                                meta,
                                b - a,
                            )
                        )
    return mt, refs


# --------------------------------------------------------------------------- plan


@dataclass
class Plan:
    """What to emit from the original-English passages."""

    passages: dict[str, cc.Passage]
    roundtrip: dict[str, str]  # pid -> back-translated passage text
    spun: dict[str, list[str]]  # pid -> spinner designs
    human: set[str]  # pids whose original goes into human
    fingerprint: str
    designs: list[str]
    human_extra: set[str] = field(default_factory=set)  # train/valid passages beyond the mix


def rt_text(p: cc.Passage, cache: dict[str, dict]) -> str | None:
    """Back-translated passage if every sentence round-tripped cleanly, else None."""
    units = cached_outputs(cc.rt_sentences(p), cache, "back")
    if units is None:
        return None
    text = p.join([" ".join(backs) for backs in units])
    if text.split() == p.text.split():
        return None  # identical round trip carries no signal
    return text


def make_plan(
    docs: list[cc.Doc],
    seed: int,
    n_translated: dict[str, int],
    n_refs: dict[str, int],
    cache: dict[str, dict],
    designs: list[str],
) -> Plan:
    """Choose round trips, spun originals and human-only extras per split to hit TARGET."""
    passages: dict[str, cc.Passage] = {}
    by_split: dict[str, list[cc.Passage]] = collections.defaultdict(list)
    for d in sorted(docs, key=lambda d: d.doc_id):
        for p in cc.passages_of(d, seed):
            passages[p.pid] = p
            by_split[d.split].append(p)
    roundtrip: dict[str, str] = {}
    for pid, p in passages.items():
        if p.doc.source in cc.RT_SOURCES and cc.rt_eligible(p):
            t = rt_text(p, cache)
            if t is not None:
                roundtrip[pid] = t
    spun: dict[str, list[str]] = {}
    human: set[str] = set(roundtrip)
    human_extra: set[str] = set()
    for split in SPLITS:
        pool = by_split.get(split, [])
        n_tr = n_translated.get(split, 0) + sum(1 for p in pool if p.pid in roundtrip)
        total = n_tr / TARGET["translated"]
        n_human = round(total * TARGET["human"])
        rng = cc.rng_for(seed, "plan", split)
        shuffled = list(pool)
        rng.shuffle(shuffled)
        pools: dict[str, list[cc.Passage]] = collections.defaultdict(list)
        for p in shuffled:
            pools[mix_key(p.doc)].append(p)
        # Spun originals and their designs (a third of them also round-tripped).
        if designs:
            for pid, ds in corpus_spun.choose(shuffled, roundtrip, split, seed).items():
                spun[pid] = ds
                human.add(pid)
        # Human-only extras to reach the human target.
        have = n_refs.get(split, 0) + sum(1 for p in pool if p.pid in human)
        need = max(0, n_human - have)
        rest = {k: [p for p in v if p.pid not in human] for k, v in pools.items()}
        for p in cc.interleave(rest, HUMAN_MIX, need):
            human.add(p.pid)
        if split != "test" and ALL_ORIGINALS_IN_TRAINING:
            extra = {p.pid for p in pool if p.pid not in human}
            human |= extra
            human_extra |= extra
    fp_src = json.dumps(
        {
            "seed": seed,
            "rt": sorted(cc.sha1(t) for t in roundtrip.values()),
            "spun": sorted(f"{k}:{','.join(v)}" for k, v in spun.items()),
            "human": sorted(human),
            "target": TARGET,
            "p2": P_TWO_SYSTEMS,
            "extra_human": sorted(human_extra),
        },
        sort_keys=True,
    )
    return Plan(passages, roundtrip, spun, human, cc.sha1(fp_src), designs, human_extra)


# --------------------------------------------------------------------------- parts


def build_human_from_plan(plan: Plan) -> list[dict]:
    """Original passages chosen for the human class."""
    out = []
    for pid in sorted(plan.human):
        p = plan.passages[pid]
        meta = orig_meta(p)
        meta["role"] = (
            "+".join(
                r
                for r, on in (
                    ("roundtrip-original", pid in plan.roundtrip),
                    ("spun-original", pid in plan.spun),
                )
                if on
            )
            or "human-only"
        )
        if pid in plan.human_extra:
            meta["extra"] = True
        out.append(
            record(
                p.text,
                "human",
                pid,
                p.doc.split,
                orig_subset(p.doc),
                p.doc.path,
                meta,
                p.end - p.start,
            )
        )
    return out


def build_roundtrip_from_plan(plan: Plan) -> list[dict]:
    """EN->PT->EN round trips of original passages."""
    out = []
    for pid in sorted(plan.roundtrip):
        p = plan.passages[pid]
        meta = orig_meta(p)
        meta.update(
            {
                "generator": GREEDY_RT.id,
                "engine": GREEDY_RT.engine,
                "pivot": "pt",
                "orig_subset": orig_subset(p.doc),
            }
        )
        out.append(
            record(
                plan.roundtrip[pid],
                "translated",
                pid,
                p.doc.split,
                "roundtrip",
                p.doc.path,
                meta,
                p.end - p.start,
            )
        )
    return out


def check_spans(orig: str, spun: str, spans: list) -> bool:
    """True if replacing every span of ``spun`` by its original wording restores ``orig``."""
    last = len(spun) + 1
    text = spun
    for start, end, original in sorted(spans, key=lambda s: -s[0]):
        if not (0 <= start <= end <= len(spun)) or end > last:
            return False
        text = text[:start] + original + text[end:]
        last = start
    return text == orig


def build_spun_from_plan(plan: Plan, seed: int, log: list[str], root: Path) -> list[dict]:
    """Spin the planned originals with their spinner designs (tools/spinners/), whose
    resources are read from the data root ``root``."""
    corpus_spun.prepare({p.doc.doc_id: p.doc for p in plan.passages.values()}.values(), log)
    out = []
    stats: collections.Counter[str] = collections.Counter()
    for pid in sorted(plan.spun):
        p = plan.passages[pid]
        orig = p.text
        for design in plan.spun[pid]:
            if design in spinners.TEST_ONLY and p.doc.split != "test":
                raise SystemExit(f"{design} is a test-only spinner; planned for {pid}")
            s_seed = int(cc.sha1(f"{seed}:{pid}:{design}")[:8], 16)
            opts = spinners.draw(design, cc.rng_for(seed, "spin-options", pid, design))
            try:
                res = spinners.spin(design, orig, s_seed, opts, data=str(root))
            except Exception as exc:  # a spinner bug on one passage must not stop the build
                stats[f"{design}:error:{type(exc).__name__}"] += 1
                continue
            spans = [[int(a), int(b), str(o)] for a, b, o in res.spans]
            if not spans or res.text == orig:
                stats[f"{design}:unchanged"] += 1
                continue
            if not check_spans(orig, res.text, spans):
                stats[f"{design}:spans-mismatch"] += 1
                continue
            stats[f"{design}:ok"] += 1
            meta = orig_meta(p)
            meta.update(corpus_spun.spin_meta(design, opts, res))
            meta.update({"design": design, "spin_seed": s_seed, "orig_subset": orig_subset(p.doc)})
            out.append(
                record(
                    res.text,
                    "spun",
                    pid,
                    p.doc.split,
                    f"spun:{design}",
                    p.doc.path,
                    meta,
                    p.end - p.start,
                    spans=spans,
                )
            )
    log.append(f"spun: {dict(sorted(stats.items()))}")
    return out


# --------------------------------------------------------------------------- guard, io


def leak_guard(records: list[dict], log: list[str]) -> list[dict]:
    """Drop train/valid groups sharing a human line (>= GUARD_MIN_CHARS) with another split."""
    lines_of: dict[str, set[str]] = collections.defaultdict(set)
    split_of: dict[str, str] = {}
    for r in records:
        split_of[r["group"]] = r["split"]
        if r["label"] == "human":
            for para in r["text"].split("\n\n"):
                for s in cc.split_sentences(para):
                    if len(s) >= GUARD_MIN_CHARS:
                        lines_of[r["group"]].add(cc.norm_line(s))
    owner: dict[str, str] = {}
    dropped: set[str] = set()
    for split in ("test", "valid", "train"):
        groups = sorted(g for g, s in split_of.items() if s == split)
        for g in groups:
            if any(owner.get(ln, split) != split for ln in lines_of[g]):
                dropped.add(g)
        for g in groups:
            if g not in dropped:
                for ln in lines_of[g]:
                    owner.setdefault(ln, split)
    if dropped:
        log.append(
            f"leak guard: dropped {len(dropped)} groups sharing text across splits: "
            f"{sorted(dropped)[:10]}"
        )
    return [r for r in records if r["group"] not in dropped]


def write_jsonl(path: Path, records: list[dict]) -> None:
    """Write records as UTF-8 JSON lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def read_part(path: Path) -> tuple[dict, list[dict]]:
    """A part file: header line then records."""
    with open(path, encoding="utf-8") as fh:
        header = json.loads(fh.readline())
        return header, [json.loads(ln) for ln in fh if ln.strip()]


def generator_of(rec: dict) -> str:
    """The unit a leave-one-generator-out evaluation holds out: ``meta.generator`` if the
    record has one, else ``human`` or its subset."""
    gen = rec["meta"].get("generator")
    if gen:
        return str(gen)
    return "human" if rec["label"] == "human" else str(rec["subset"])


def counts_by(records: list[dict], key: Callable[[dict], str]) -> dict[str, int]:
    """Record counts by ``key``, sorted."""
    return dict(sorted(collections.Counter(key(r) for r in records).items()))


def summary(records: list[dict]) -> str:
    """Counts by split x label x subset as a text table."""
    c = collections.Counter((r["split"], r["label"], r["subset"]) for r in records)
    lines = []
    for split in SPLITS:
        recs = [r for r in records if r["split"] == split]
        lab = collections.Counter(r["label"] for r in recs)
        tot = max(1, len(recs))
        lines.append(
            f"{split}: {len(recs)} passages, {len({r['group'] for r in recs})} groups; "
            + ", ".join(f"{k} {lab[k]} ({100 * lab[k] / tot:.0f}%)" for k in LABELS)
        )
        for label in LABELS:
            for (s, lb, sub), n in sorted(c.items()):
                if s == split and lb == label:
                    lines.append(f"  {label:10s} {sub:28s} {n:6d}")
    tot = collections.Counter(r["label"] for r in records)
    lines.append(
        f"total: {len(records)}; "
        + ", ".join(f"{k} {tot[k]} ({100 * tot[k] / max(1, len(records)):.0f}%)" for k in LABELS)
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", default=None, help="public data root (default: $MTDETECT_DATA or ../shared/data)"
    )
    ap.add_argument("--out", default=str(cc.PROJECT_ROOT / "data" / "build"))
    ap.add_argument(
        "--only",
        choices=("spun", "translated", "human"),
        default=None,
        help="rebuild only this part, then merge with the other existing parts",
    )
    ap.add_argument("--seed", type=int, default=cc.DEFAULT_SEED)
    ap.add_argument("--roundtrip-cache", default=str(cc.ROUNDTRIP_CACHE))
    args = ap.parse_args(argv)
    t0 = time.time()
    root = cc.data_root(args.data)
    out_dir = Path(args.out)
    parts_dir = out_dir / "parts"
    log: list[str] = []
    inputs: set[Path] = set()

    docs = cc.load_originals(root, args.seed) + load_informal(root, args.seed)
    for d in docs:
        inputs.add(root / d.path)
    inputs.add(root / "corpora" / "brown" / "cats.txt")
    mt, refs = build_translated_wmt(root, args.seed, inputs, log)
    cache_path = Path(args.roundtrip_cache)
    cache = cc.load_rt_cache(cache_path)
    designs = list(spinners.DESIGNS)
    n_tr = collections.Counter(r["split"] for r in mt if not r["meta"].get("extra"))
    n_ref = collections.Counter(r["split"] for r in refs if not r["meta"].get("extra"))
    plan = make_plan(docs, args.seed, n_tr, n_ref, cache, designs)
    log.append(
        f"plan {plan.fingerprint[:12]}: {len(plan.passages)} original passages, "
        f"{len(plan.roundtrip)} complete round trips (cache: {len(cache)} sentences), "
        f"{len(plan.spun)} spun originals, {len(plan.human)} human originals; "
        f"spinner designs {designs} (test only: {list(spinners.TEST_ONLY)})"
    )

    inputs.update(mt_corpus.inputs(root))
    mt_caches: dict = {}

    def translated() -> list[dict]:
        # Further engines, decodings and PT->EN (tools/mt); the plan does not count them.
        extra, caches = mt_corpus.build(plan, root, args.seed, log)
        mt_caches.update(caches)
        return mt + build_roundtrip_from_plan(plan) + extra

    builders = {
        "translated": translated,
        "human": lambda: refs + build_human_from_plan(plan),
        "spun": lambda: build_spun_from_plan(plan, args.seed, log, root),
    }
    todo = [args.only] if args.only else list(LABELS)
    for part in todo:
        t = time.time()
        recs = builders[part]()
        header = {"part": part, "plan": plan.fingerprint, "seed": args.seed}
        parts_dir.mkdir(parents=True, exist_ok=True)
        with open(parts_dir / f"{part}.jsonl", "w", encoding="utf-8") as fh:
            fh.write(json.dumps(header) + "\n")
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        log.append(f"part {part}: {len(recs)} records in {time.time() - t:.1f}s")

    records: list[dict] = []
    for part in LABELS:
        path = parts_dir / f"{part}.jsonl"
        if not path.exists():
            log.append(f"part {part} missing; run without --only to build it")
            continue
        header, recs = read_part(path)
        if header.get("plan") != plan.fingerprint:
            print(
                f"error: part {part} was built from a different plan "
                f"({header.get('plan', '')[:12]} != {plan.fingerprint[:12]}); "
                "rerun without --only",
                file=sys.stderr,
            )
            return 2
        records.extend(recs)
    records = leak_guard(records, log)

    manifest = {
        "seed": args.seed,
        "plan": plan.fingerprint,
        "data_root": str(root),
        "spinners": corpus_spun.manifest(root, corpus_spun.distributional.CACHE),
        "roundtrip_cache": {
            "path": str(cache_path),
            "sentences": len(cache),
            "ok": sum(1 for r in cache.values() if r.get("ok")),
        },
        "inputs": [],
        "outputs": {},
    }
    manifest["roundtrip_cache"]["sha256"] = (
        cc.sha256_file(cache_path) if cache_path.exists() else None
    )
    manifest["mt_caches"] = mt_caches or "translated part not rebuilt in this run"
    manifest["generators"] = mt_corpus.counts_by_generator(records)
    manifest["generator_specs"] = {
        g.id: {"family": g.family, "cache": g.cache, "engine": g.engine}
        for g in GENERATORS.values()
    }
    for path in sorted(inputs):
        manifest["inputs"].append(
            {"path": str(path.relative_to(root)), "sha256": cc.sha256_file(path)}
        )
    for split in SPLITS:
        recs = [r for r in records if r["split"] == split]
        cc.rng_for(args.seed, "shuffle", split).shuffle(recs)
        path = out_dir / f"{split}.jsonl"
        write_jsonl(path, recs)
        counts = collections.Counter(r["label"] for r in recs)
        subsets = collections.Counter(f"{r['label']}/{r['subset']}" for r in recs)
        manifest["outputs"][split] = {
            "path": str(path.name),
            "sha256": cc.sha256_file(path),
            "records": len(recs),
            "labels": dict(sorted(counts.items())),
            "subsets": dict(sorted(subsets.items())),
            "generators": counts_by(recs, generator_of),
            "registers": counts_by(
                recs, lambda r: f"{r['label']}/{r['meta'].get('register_class', '-')}"
            ),
        }
    manifest["log"] = log
    manifest["seconds"] = round(time.time() - t0, 1)
    with open(out_dir / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=False)
    for line in log:
        print(line)
    print(summary(records))
    print(f"done in {time.time() - t0:.1f}s -> {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
