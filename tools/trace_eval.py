"""Fit and measure ``mtdetect trace``: retrieval, alignment, substitutions, relation, direction.

``fit``    builds labelled pairs from the TRAIN split of the corpus and fits the relation and
           direction models (``mtdetect/resources/trace_relation.json``); prints their figures
           on VALID pairs. Never reads the test split.
``eval``   the figures of the issue on the TEST split (content and generators held out of the
           fit: WMT22, held-out Brown/ABC/CoNLL documents, the held-out spinner):
           * retrieval: every spun copy, round trip and light-edit copy of a test passage is
             searched among its source plus 10,000 distractor articles from the public data
             (WMT21/22 documents cut into runs of consecutive lines, Brown files, ABC articles,
             CoNLL blocks; any article sharing a sentence with a query's source is left out);
           * relation and direction on labelled pairs (both orientations);
           * substitution recall: share of the spinner's changed spans listed with their
             original (``spans`` of the corpus are the ground truth);
           * end to end: the relation to the first-ranked candidate, and for test passages
             whose source is absent from the index, how often a rewrite is claimed.
``scale``  index build time, size and memory for N articles (default 100,000, synthesised by
           recombining the distractor articles, as the public data has far fewer), and query
           latency.

Pairs (labels): spun version vs its original → ``spun``; round trip vs original →
``translated``; WMT system output vs the reference translation of the same lines →
``translated`` with no direction (siblings: two translations of one source); a light-edit copy
(a sentence dropped, a few function words and punctuation changed) → ``copy``; an original vs
the most similar passage of another group (first hit of an index over the split's originals)
→ ``independent``; an original vs a random passage of another collection → ``none``.

    .venv/bin/python -m tools.trace_eval fit
    .venv/bin/python -m tools.trace_eval eval
    .venv/bin/python -m tools.trace_eval scale --n 100000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from mtdetect.text import Document
from mtdetect.trace import relation as R
from mtdetect.trace.index import TraceIndex
from mtdetect.trace.pair import compare

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "mtdetect" / "resources" / R.RESOURCE
SEED = 19
#: Regularisation of the direction models (on columns scaled by their root mean square).
DIRECTION_C = 0.1
LINES_PER_ARTICLE = 8
#: Length buckets of passages of >= 50 words (``tools/build_corpus.length_bucket``); the others
#: are 1-3 sentence passages and passages under 50 words.
ARTICLE_BUCKETS = frozenset({"w50-150", "w150-300", "w300-800", "w>800"})
ORIGINAL_SUBSETS = ("wmt-src", "brown", "abc", "conll")


# --------------------------------------------------------------------------- pairs


@dataclass
class Pair:
    """A labelled pair: ``a`` is the suspect, ``b`` the source; ``rewrite`` names the rewritten
    side ('a', 'b') or None."""

    a: str
    b: str
    relation: str
    rewrite: str | None
    tag: str  # breakdown: subset / spinner config
    bucket: str
    group: str
    spans: list = field(default_factory=list)  # spinner spans in ``a`` (spun pairs)


def load(corpus: Path, split: str) -> list[dict]:
    with open(corpus / f"{split}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def unspin(r: dict) -> str:
    """The original of a spun record: its spans' original wording put back."""
    t = r["text"]
    for s, e, o in sorted(r["spans"], reverse=True):
        t = t[:s] + o + t[e:]
    return t


def is_original(r: dict) -> bool:
    return r["label"] == "human" and r["subset"].split(":")[0] in ORIGINAL_SUBSETS


def light_edit(text: str, rng: random.Random) -> str:
    """A near-verbatim copy: maybe one sentence dropped, a few function words and punctuation
    marks changed (what an editor does to a copied article)."""
    doc = Document(text)
    sents = [doc.sentence_text(s) for s in doc.sentences]
    if len(sents) >= 4 and rng.random() < 0.5:
        del sents[rng.randrange(1, len(sents))]
    words = " ".join(sents).split(" ")
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(words))
        op = rng.random()
        if op < 0.4 and words[k].lower() in {"the", "a", "that", "very", "also", "then"}:
            del words[k]
        elif op < 0.7:
            words.insert(k, rng.choice(["also", "now", "then", "still"]))
        else:
            words[k] = words[k].replace(",", "").replace('"', "\u201c")
    return " ".join(w for w in words if w)


def make_pairs(
    recs: list[dict], rng: random.Random, per_class: int, index_k: int = 5
) -> list[Pair]:
    """Labelled pairs of one split (at most ``per_class`` of each relation, 0 = all)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in recs:
        groups[r["group"]].append(r)
    pairs: dict[str, list[Pair]] = defaultdict(list)
    originals: list[dict] = []
    for g, rs in groups.items():
        orig = next((r for r in rs if is_original(r)), None)
        if orig is not None:
            originals.append(orig)
        refs = [r for r in rs if r["subset"] == "wmt-ref" and not r["meta"].get("extra")]
        for r in rs:
            b = r["meta"].get("length_bucket", "")
            if r["label"] == "spun":
                tag = r["subset"]
                pairs["spun"].append(Pair(r["text"], unspin(r), "spun", "a", tag, b, g, r["spans"]))
            elif r["subset"] == "roundtrip" and orig is not None:
                pairs["translated"].append(
                    Pair(r["text"], orig["text"], "translated", "a", "roundtrip", b, g)
                )
            elif r["subset"] == "wmt-mt" and refs and not r["meta"].get("extra"):
                pairs["translated"].append(
                    Pair(r["text"], refs[0]["text"], "translated", None, "wmt-sibling", b, g)
                )
    for k in pairs:
        rng.shuffle(pairs[k])
    originals.sort(key=lambda r: r["group"])
    rng.shuffle(originals)
    n = per_class or len(originals)
    for r in originals[:n]:
        pairs["copy"].append(
            Pair(
                light_edit(r["text"], rng),
                r["text"],
                "copy",
                None,
                "copy",
                r["meta"].get("length_bucket", ""),
                r["group"],
            )
        )
    # independent: the most similar passage of another group; none: a random other collection
    pool = originals[: max(n * 3, 3000)]
    idx = TraceIndex.build((r["group"], r["text"]) for r in pool)
    coll = [r["subset"].split(":")[0] for r in pool]
    for i, r in enumerate(pool[:n]):
        hits = [h for h in idx.search(r["text"], index_k, exclude=[i])]
        if hits:
            o = pool[hits[0].doc]
            pairs["independent"].append(
                Pair(
                    r["text"],
                    o["text"],
                    "independent",
                    None,
                    coll[i],
                    r["meta"].get("length_bucket", ""),
                    r["group"],
                )
            )
        others = [j for j in range(len(pool)) if coll[j] != coll[i]]
        if others:
            o = pool[rng.choice(others)]
            pairs["none"].append(
                Pair(
                    r["text"],
                    o["text"],
                    "none",
                    None,
                    coll[i],
                    r["meta"].get("length_bucket", ""),
                    r["group"],
                )
            )
    out: list[Pair] = []
    for k in R.RELATIONS:
        sel = pairs[k] if not per_class else pairs[k][:per_class]
        out += sel
    return out


def flipped(p: Pair) -> Pair:
    """The same pair with suspect and source swapped (spans dropped: they index ``a``)."""
    rw = {"a": "b", "b": "a"}.get(p.rewrite) if p.rewrite else None
    return Pair(p.b, p.a, p.relation, rw, p.tag, p.bucket, p.group)


# --------------------------------------------------------------------------- features


def detector_reports(texts: list[str], jobs: int = 1) -> dict[str, object]:
    """Detector reports of distinct texts (the shipped model), keyed by text."""
    import mtdetect

    det = mtdetect.load_model()
    uniq = list(dict.fromkeys(texts))
    reps = {}
    step = 64
    for i in range(0, len(uniq), step):
        chunk = uniq[i : i + step]
        for t, rep in zip(chunk, det.analyze_many(chunk)):
            reps[t] = rep
    return reps


def featurize(pairs: list[Pair], reports: dict | None):
    rel, dirf, comps = [], [], []
    for p in pairs:
        c = compare(p.a, p.b)
        comps.append(c)
        rel.append([R.relation_features(c)[k] for k in R.RELATION_FEATURES])
        reps = (reports[p.a], reports[p.b]) if reports is not None else None
        d = R.direction_features(c, reps)
        dirf.append([d[k] for k in R.DIRECTION_FEATURES])
    return np.array(rel), np.array(dirf), comps


# --------------------------------------------------------------------------- fit


def fit_relation(X: np.ndarray, y: list[str]) -> dict:
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, max_iter=5000)
    clf.fit((X - mean) / scale, y)
    order = [list(clf.classes_).index(c) for c in R.RELATIONS]
    return {
        "features": list(R.RELATION_FEATURES),
        "classes": list(R.RELATIONS),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": clf.coef_[order].round(5).tolist(),
        "intercept": clf.intercept_[order].round(5).tolist(),
    }


def fit_direction(D: np.ndarray, rewrite: list[str | None]) -> dict[str, list[float]]:
    """No-intercept logistic weights on the antisymmetric features of rewrite pairs given in
    both orientations (full), and the same without the detector's features (lexical).

    Columns are scaled by their root mean square (not centred: that would break the
    antisymmetry) and the scale is folded into the shipped weights."""
    from sklearn.linear_model import LogisticRegression

    sel = np.array([r is not None for r in rewrite])
    X2 = D[sel]
    y2 = np.array([r == "a" for r in rewrite])[sel]
    rms = np.sqrt((X2**2).mean(axis=0))
    rms[rms == 0] = 1.0

    def weights(cols: list[int]) -> np.ndarray:
        clf = LogisticRegression(C=DIRECTION_C, fit_intercept=False, max_iter=5000)
        clf.fit(X2[:, cols] / rms[cols], y2)
        w = np.zeros(len(R.DIRECTION_FEATURES))
        w[cols] = clf.coef_[0] / rms[cols]
        return w

    every = list(range(len(R.DIRECTION_FEATURES)))
    lex_cols = [i for i, k in enumerate(R.DIRECTION_FEATURES) if k not in R.DETECTOR_FEATURES]
    return {
        "full": weights(every).round(5).tolist(),
        "lexical": weights(lex_cols).round(5).tolist(),
    }


def with_flips(pairs: list[Pair]) -> list[Pair]:
    return pairs + [flipped(p) for p in pairs if p.rewrite or p.relation == "translated"]


def cmd_fit(a: argparse.Namespace) -> None:
    rng = random.Random(SEED)
    t0 = time.time()
    train = with_flips(make_pairs(load(a.corpus, "train"), rng, a.per_class))
    print(f"train pairs: {Counter(p.relation for p in train)} ({time.time() - t0:.0f}s)")
    reports = detector_reports([t for p in train for t in (p.a, p.b)])
    X, D, _ = featurize(train, reports)
    print(f"features ({time.time() - t0:.0f}s)")
    rel = fit_relation(X, [p.relation for p in train])
    weights = {}
    for name in ("spun", "translated"):
        sel = [i for i, p in enumerate(train) if p.relation == name]
        weights[name] = fit_direction(D[sel], [train[i].rewrite for i in sel])
    params = {
        "relation": rel,
        "direction": {
            "features": list(R.DIRECTION_FEATURES),
            "weights": weights,
            "margin": {"translated": a.margin},
        },
        "trained_on": {
            "corpus_split": "train",
            "pairs": dict(Counter(p.relation for p in train)),
            "seed": SEED,
            "per_class": a.per_class,
        },
    }
    OUT.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    R.load_relation_model.cache_clear()
    valid = with_flips(make_pairs(load(a.corpus, "valid"), random.Random(SEED + 1), a.per_class))
    vrep = detector_reports([t for p in valid for t in (p.a, p.b)])
    report_pairs(valid, vrep, "valid")


# --------------------------------------------------------------------------- eval


def report_pairs(pairs: list[Pair], reports: dict | None, name: str) -> dict:
    model = R.load_relation_model()
    conf: dict[str, Counter] = defaultdict(Counter)
    by_tag: dict[str, Counter] = defaultdict(Counter)
    dir_tag: dict[str, Counter] = defaultdict(Counter)
    dir_scores: dict[str, list[float]] = defaultdict(list)
    by_bucket: dict[str, Counter] = defaultdict(Counter)
    dir_len: dict[tuple[str, bool], Counter] = defaultdict(Counter)
    for p in pairs:
        c = compare(p.a, p.b)
        reps = (reports[p.a], reports[p.b]) if reports is not None else None
        rewrite = p.relation in ("spun", "translated")
        feats = R.direction_features(c, reps) if rewrite else None
        v = model.judge(c, reps, feats)
        conf[p.relation][v.relation] += 1
        by_tag[f"{p.relation}/{p.tag}"][v.relation == p.relation] += 1
        by_bucket[f"{p.relation} {p.bucket}"][v.relation == p.relation] += 1
        if rewrite:
            want = {"a": "suspect-rewrites-source", "b": "source-rewrites-suspect"}.get(
                p.rewrite or "", None
            )
            score = model.rewrite_score(p.relation, feats, reps is not None)
            dir_scores[p.tag].append(score if p.rewrite != "b" else 1 - score)
            got = "suspect-rewrites-source" if score >= 0.5 else "source-rewrites-suspect"
            if want is None:
                dir_tag[f"{p.tag} (no true direction)"][
                    "null" if v.direction is None else "decided"
                ] += 1
            else:
                dir_tag[p.tag][got == want] += 1
                long = p.bucket in ARTICLE_BUCKETS
                dir_len["spun" if p.relation == "spun" else p.tag, long][got == want] += 1
    n = sum(sum(c.values()) for c in conf.values())
    right = sum(conf[k][k] for k in conf)
    print(f"== relation on {name} pairs: {right}/{n} = {right / max(n, 1):.3f}")
    print("   confusion (rows true):", " ".join(f"{k[:5]:>6}" for k in R.RELATIONS))
    for k in R.RELATIONS:
        print(f"   {k:<12}", " ".join(f"{conf[k][j]:>6}" for j in R.RELATIONS))
    for t, c in sorted(by_tag.items()):
        print(f"   {t:<32} {c[True]}/{c[True] + c[False]} = {c[True] / (c[True] + c[False]):.3f}")
    dn = sum(c[True] + c[False] for t, c in dir_tag.items() if "no true" not in t)
    dr = sum(c[True] for t, c in dir_tag.items() if "no true" not in t)
    print(
        f"== direction of rewrites ({name}, both orientations): {dr}/{dn} = {dr / max(dn, 1):.3f}"
    )
    for t, c in sorted(dir_tag.items()):
        q = np.percentile(dir_scores[t.split(" ")[0]], [5, 25, 50, 75, 95]).round(3).tolist()
        print(f"   {t:<40} {dict(c)}  rewrite-score quantiles 5/25/50/75/95%: {q}")
    for (t, long), c in sorted(dir_len.items()):
        n_ = c[True] + c[False]
        size = ">= 50 words" if long else "1-3 sentences / < 50 words"
        print(f"   direction right, {t} {size:<28} {c[True]}/{n_} = {c[True] / n_:.3f}")
    rt = np.array(dir_scores.get("roundtrip", []))
    sib = np.array(dir_scores.get("wmt-sibling", []))
    if len(rt) and len(sib):
        print("   margin on translated pairs: round trips decided right / sibling pairs left null")
        for m in (0.0, 0.1, 0.2, 0.3, 0.4, 0.45):
            print(
                f"     {m:.2f}: {np.mean(rt >= 0.5 + m):.3f} / {np.mean(np.abs(sib - 0.5) < m):.3f}"
            )
    for t, c in sorted(by_bucket.items()):
        print(f"   relation right, {t:<28} {c[True]}/{c[True] + c[False]}")
    return {"relation_acc": right / max(n, 1), "direction_acc": dr / max(dn, 1)}


def sub_recall(pairs: list[Pair]) -> None:
    """Share of spinner spans listed with their original by the substitution list."""
    got: dict[str, Counter] = defaultdict(Counter)
    prec: dict[str, Counter] = defaultdict(Counter)
    for p in pairs:
        if p.relation != "spun" or not p.spans:
            continue
        c = compare(p.a, p.b)
        for s, e, orig in p.spans:
            want = " ".join(re.findall(r"\w+", orig.lower()))
            nw = len(p.a[s:e].split())
            ok = False
            for ch in c.changes:
                if ch.start < e and s < ch.end and ch.n_obs <= nw + 3:
                    have = " ".join(re.findall(r"\w+", ch.original.lower()))
                    if want and f" {want} " in f" {have} ":
                        ok = True
                        break
            got[p.tag][ok] += 1
        for ch in c.changes:
            if ch.n_obs:
                hit = any(s < ch.end and ch.start < e for s, e, _ in p.spans)
                prec[p.tag][hit] += 1
    tot = Counter()
    for c in got.values():
        tot.update(c)
    print(
        f"== substitutions: spinner spans listed with their original: {tot[True]}/"
        f"{tot[True] + tot[False]} = {tot[True] / max(1, tot[True] + tot[False]):.3f}"
    )
    for t in sorted(got):
        c, q = got[t], prec[t]
        print(
            f"   {t:<24} recall {c[True] / max(1, c[True] + c[False]):.3f} (n={c[True] + c[False]})"
            f"  precision {q[True] / max(1, q[True] + q[False]):.3f}"
        )


def distractor_articles(data: Path, seed: int = SEED) -> list[tuple[str, str]]:
    """Article-sized texts of the public data (150-300 words typically): WMT21/22 sources and
    one reference per pair in runs of 8 consecutive lines, Brown files in tenths, ABC
    articles, CoNLL runs of 12 sentences; texts under 40 words are left out."""
    from tools import corpus_common as cc

    out: list[tuple[str, str]] = []
    docs = cc.load_originals(data, seed)
    for d in docs:
        if d.source == "abc":
            art: list[str] = []
            k = 0
            for u, br in zip(d.units, d.breaks):
                if br == "\n\n" and art:
                    out.append((f"{d.doc_id}:{k}", " ".join(art)))
                    art, k = [], k + 1
                art.append(u)
            if art:
                out.append((f"{d.doc_id}:{k}", " ".join(art)))
            continue
        if d.source.startswith("wmt"):
            step = LINES_PER_ARTICLE
        elif d.source == "brown":
            step = max(1, len(d.units) // 10)
        else:
            step = 12
        for i in range(0, len(d.units), step):
            out.append((f"{d.doc_id}:{i}", " ".join(d.units[i : i + step])))
    for year in ("wmt21", "wmt22"):
        seen_pairs: set[str] = set()
        for path in sorted((data / year / "references").glob("*.en")):
            pair = path.name.split(".")[1]
            if pair in seen_pairs or not pair.endswith("-en"):
                continue
            seen_pairs.add(pair)
            lines = [ln.strip() for ln in cc.read_text(path).split("\n") if ln.strip()]
            for i in range(0, len(lines), LINES_PER_ARTICLE):
                out.append((f"{year}-ref:{pair}:{i}", " ".join(lines[i : i + LINES_PER_ARTICLE])))
    return [(k, t) for k, t in out if len(t.split()) >= 40]


def _sent_keys(text: str) -> set[str]:
    from tools.corpus_common import norm_line, split_sentences

    return {norm_line(s) for s in split_sentences(text) if len(s) >= 25}


def cmd_eval(a: argparse.Namespace) -> None:
    rng = random.Random(SEED + 2)
    t0 = time.time()
    recs = load(a.corpus, a.split)
    test = make_pairs(recs, rng, 0)
    if a.limit:  # every spun copy and round trip; at most ``limit`` pairs of each other kind
        by: dict[str, list[Pair]] = defaultdict(list)
        for p in test:
            by[p.relation if p.relation != "translated" else p.tag].append(p)
        test = [p for k in by for p in (by[k] if k in ("spun", "roundtrip") else by[k][: a.limit])]
    print(f"{a.split} pairs: {dict(Counter(p.relation for p in test))} ({time.time() - t0:.0f}s)")
    # ---- retrieval among distractors
    queries = [
        p
        for p in test
        if p.relation in ("spun", "translated", "copy")
        and p.rewrite != "b"
        and p.tag != "wmt-sibling"
    ]
    sources = list(dict.fromkeys(p.b for p in queries))
    banned = set()
    for s in sources:
        banned |= _sent_keys(s)
    arts = [x for x in distractor_articles(a.data) if not (_sent_keys(x[1]) & banned)]
    random.Random(SEED).shuffle(arts)
    arts = arts[: a.distractors]
    indexed = set(banned)  # every sentence of the index: an "absent" original shares none
    for _, t in arts:
        indexed |= _sent_keys(t)
    print(f"distractors: {len(arts)} articles (none shares a sentence with a query's source)")
    t1 = time.time()
    idx = TraceIndex.build([(f"src:{i}", s) for i, s in enumerate(sources)] + arts)
    print(f"index of {len(idx)} texts built in {time.time() - t1:.1f}s")
    src_id = {s: i for i, s in enumerate(sources)}
    rank: dict[str, Counter] = defaultdict(Counter)
    lat = []
    for p in queries:
        t1 = time.perf_counter()
        hits = idx.search(p.a, 10)
        lat.append(time.perf_counter() - t1)
        r = next((k + 1 for k, h in enumerate(hits) if h.doc == src_id[p.b]), 99)
        long = "" if p.bucket in ARTICLE_BUCKETS else " (1-3 sentences / < 50 words)"
        rank[f"{p.tag}{long}"][r] += 1
    print(f"== retrieval among {len(arts):,} distractors: source ranked first")
    for t in sorted(rank):
        c = rank[t]
        n = sum(c.values())
        top10 = sum(v for k, v in c.items() if k <= 10) / n
        print(f"   {t:<40} {c[1]}/{n} = {c[1] / n:.3f}   in top 10 {top10:.3f}")
    for group in ("spun:", "roundtrip", "copy"):
        c = Counter()
        for t, v in rank.items():
            if t.startswith(group) and "sentences" not in t:
                c.update(v)
        n = sum(c.values())
        if n:
            print(f"   ALL {group:<10} >= 50 words: {c[1]}/{n} = {c[1] / n:.4f}")
    lat_ms = np.array(lat) * 1000
    med, p95 = np.median(lat_ms), np.percentile(lat_ms, 95)
    print(f"   query latency: median {med:.1f} ms, p95 {p95:.1f} ms")
    end_to_end(a, recs, queries, idx, src_id, indexed)
    # ---- relation, direction, substitutions on labelled pairs
    pairs = with_flips(test)
    reports = detector_reports([t for p in pairs for t in (p.a, p.b)])
    report_pairs(pairs, reports, a.split)
    sub_recall(test)
    print(f"done in {time.time() - t0:.0f}s")


def end_to_end(
    a, recs: list[dict], queries: list[Pair], idx: TraceIndex, src_id: dict, indexed: set
) -> None:
    """``trace_one`` as the CLI runs it (shipped detector): the relation and direction found for
    each query against the distractor index, and for test originals whose source is not in the
    index, how often a rewrite is claimed (they should come out independent or none)."""
    import mtdetect
    from mtdetect.trace.api import trace_one

    det = mtdetect.load_model()
    model = R.load_relation_model()
    rel: dict[str, Counter] = defaultdict(Counter)
    by: dict[str, list[Pair]] = defaultdict(list)
    for p in queries:
        by[p.tag.split(":")[0]].append(p)
    rng = random.Random(SEED + 3)
    sample = [p for k in sorted(by) for p in rng.sample(by[k], min(len(by[k]), a.e2e or 10**9))]
    for p in sample:
        r = trace_one("q", p.a, idx, 5, detector=det, model=model)
        found = r.source == f"src:{src_id[p.b]}"
        want_dir = "suspect-rewrites-source" if p.relation != "copy" else None
        rel[p.tag.split(":")[0]][(found, r.relation == p.relation, r.direction == want_dir)] += 1
    print("== end to end (trace against the index; shipped detector):")
    for t, c in sorted(rel.items()):
        n = sum(c.values())
        src = sum(v for k, v in c.items() if k[0])
        ok = sum(v for k, v in c.items() if k[0] and k[1])
        both = sum(v for k, v in c.items() if all(k))
        print(
            f"   {t:<10} n={n}: source first {src / n:.3f}, + relation right {ok / n:.3f}, "
            f"+ direction right {both / n:.3f}"
        )
    in_index = {p.group for p in queries}
    absent = [
        r["text"]
        for r in recs
        if is_original(r) and r["group"] not in in_index and not (_sent_keys(r["text"]) & indexed)
    ]
    absent = rng.sample(absent, min(len(absent), a.e2e or 10**9))
    claims = Counter()
    for text in absent:
        r = trace_one("q", text, idx, 5, detector=det, model=model)
        claims[r.relation] += 1
    n = sum(claims.values())
    bad = sum(claims[k] for k in R.REWRITES)
    print(
        f"   originals whose source is absent (n={n}): rewrite claimed for {bad} "
        f"({bad / max(n, 1):.3f}); {dict(claims)}"
    )


# --------------------------------------------------------------------------- scale


def cmd_scale(a: argparse.Namespace) -> None:
    import resource

    arts = distractor_articles(a.data)
    rng = random.Random(SEED)
    units = [t for _, t in arts]
    texts: list[tuple[str, str]] = []
    for i in range(a.n):
        if i < len(units):
            texts.append((f"a{i}", units[i]))
        else:  # a new article: halves of two real ones
            x, y = rng.sample(units, 2)
            xs, ys = x.split(". "), y.split(". ")
            texts.append((f"s{i}", ". ".join(xs[: len(xs) // 2] + ys[len(ys) // 2 :])))
    words = sum(len(t.split()) for _, t in texts)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.time()
    idx = TraceIndex.build(texts)
    dt = time.time() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"index of {len(idx):,} articles ({words:,} words; {len(arts):,} real, the rest "
        f"recombined halves) built in {dt:.0f}s; peak RSS {rss1 / 1024:.0f} MiB "
        f"(before build {rss0 / 1024:.0f} MiB)"
    )
    print(
        f"postings {idx.meta['postings']:,} = {idx.meta['postings'] * 8 / 2**20:.0f} MiB; "
        f"text {len(idx._text) / 2**20:.0f} MiB"
    )
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="trace-index-"))
    try:
        t0 = time.time()
        idx.save(tmp / "ix")
        size = sum(f.stat().st_size for f in (tmp / "ix").iterdir())
        t_save = time.time() - t0
        t0 = time.time()
        disk = TraceIndex.load(tmp / "ix")
        print(
            f"saved in {t_save:.1f}s ({size / 2**20:.0f} MiB on disk), "
            f"opened in {time.time() - t0:.2f}s (memory-mapped)"
        )
        sample = rng.sample(texts, 300)
        for name, ix in (("in memory", idx), ("opened from disk", disk)):
            lat = []
            for _, t in sample:
                t1 = time.perf_counter()
                ix.search(t, 10)
                lat.append(time.perf_counter() - t1)
            lat_ms = np.array(lat) * 1000
            print(
                f"query latency, {name} (300 articles): median {np.median(lat_ms):.1f} ms, "
                f"p95 {np.percentile(lat_ms, 95):.1f} ms"
            )
    finally:
        shutil.rmtree(tmp)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "build")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit")
    f.add_argument("--per-class", type=int, default=3000)
    f.add_argument("--margin", type=float, default=0.0)
    e = sub.add_parser("eval")
    e.add_argument("--split", default="test")
    e.add_argument("--distractors", type=int, default=10000)
    e.add_argument(
        "--limit", type=int, default=1000, help="pairs of each kind but spun/round trip (0 = all)"
    )
    e.add_argument("--e2e", type=int, default=500, help="end-to-end queries of each kind (0 = all)")
    s = sub.add_parser("scale")
    s.add_argument("--n", type=int, default=100000)
    a = ap.parse_args()
    {"fit": cmd_fit, "eval": cmd_eval, "scale": cmd_scale}[a.cmd](a)


if __name__ == "__main__":
    main()
