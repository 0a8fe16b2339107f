"""Build the candidate-originals table and the tortured-phrase table shipped with mtdetect.

A spinner replaces an original word/phrase A by a thesaurus neighbour B. The detector sees B and
should propose A, so the table maps every B a thesaurus can produce to the A's that list B as a
neighbour (inverse synonym lists), re-inflected with the same tag (``laboriously`` ← ``hard``...).

Sources, each recorded as a bit so their contribution can be measured (``--measure``):

* OEWN (Open English WordNet 2024+, CC BY 4.0; Princeton WordNet licence) — same synset,
  similar (adjective clusters), see-also, hypernyms;
* MyThes (Debian ``mythes-en-us``, LibreOffice thesaurus) — synonyms, similar, related, generic
  terms (hypernyms);
* multi-word ↔ single-word pairs come out of both when a lemma is a phrase
  (``at this time`` ↔ ``now``...); a short hand list adds idiomatic ones the thesauri lack
  (``earlier than`` ↔ ``before``...), see :data:`EXTRA_PAIRS`;
* re-inflection with :mod:`mtdetect.morphology` for every tag of the part of speech.

Candidates are ranked by a prior (Zipf frequency of A from ``wordfreq``, closeness of the
relation, sense rank) and the top ``--top`` are kept per B.

The PPS tortured-phrase list (Problematic Paper Screener, Cabanac, Labbé & Magazinov, CC BY 4.0;
packaged by torturedcheck) is shipped as ``tortured.tsv`` with an allow-list: entries that occur
in human text (train/valid originals) or that the reference LM knows as an ordinary English
phrase are kept but marked ``allow`` and never flagged.

Usage::

    .venv/bin/python -m tools.build_candidates            # write mtdetect/resources/...
    .venv/bin/python -m tools.build_candidates --measure  # recall of originals on VALID spun
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from mtdetect.text import Document
from tools.build_lm import american
from tools.spinner import STOPWORDS

ROOT = Path(__file__).resolve().parents[1]

RES = ROOT / "mtdetect" / "resources"
OUT = RES / "refstats"
CACHE = ROOT / "data" / "cache" / "candidates_full.pkl"

SRC_OEWN = 1
SRC_MYTHES = 2
SRC_EXTRA = 4
REL_BITS = {"synonym": 1, "similar": 2, "also": 4, "related": 8, "hypernym": 16, "extra": 32}
RELATIONS = ("synonym", "similar", "also", "related", "hypernym")
MAX_SENSES = 4
PRIOR_FANOUT = 0.0  # weight of the fan-out term of the prior (measured: it hurts recall)
PRIOR_ZIPF = 1.0
PRIOR_BONUS = (0.3, 0.2, 0.2)  # synonym/extra relation, first sense, both thesauri
BITS = 20  # bits per word id in packed phrase keys (3 words ≤ 60 bits)
SYN_OK = re.compile(r"^[a-z][a-z' -]*[a-z]$")

# Idiomatic multi-word ↔ single-word pairs that spinners use and thesauri lack, both ways.
# (observed, original): the detector sees the first and proposes the second.
EXTRA_PAIRS = [
    ("earlier than", "before"),
    ("before", "earlier than"),
    ("prior to", "before"),
    ("at this time", "today"),
    ("at the moment", "now"),
    ("at this time", "now"),
    ("right now", "now"),
    ("at present", "now"),
    ("nowadays", "today"),
    ("making an attempt", "trying"),
    ("make an attempt", "try"),
    ("made an attempt", "tried"),
    ("makes an attempt", "tries"),
    ("attempting", "trying"),
    ("attempt", "try"),
    ("marketing campaign", "campaign"),
    ("marketing campaigns", "campaigns"),
    ("later than", "after"),
    ("subsequent to", "after"),
    ("in order to", "to"),
    ("a lot of", "many"),
    ("quite a few", "many"),
    ("a number of", "several"),
    ("as well as", "and"),
    ("in addition to", "besides"),
    ("due to the fact that", "because"),
    ("in spite of", "despite"),
    ("with regard to", "about"),
    ("regarding", "about"),
    ("concerning", "about"),
    ("approximately", "about"),
    ("roughly", "about"),
    # name words that spinners break (the examples)
    ("chief", "leader"),
    ("photos", "images"),
    ("pictures", "images"),
    ("home", "house"),
]


# --------------------------------------------------------------------------- inverse table


def _phrase_ok(s: str) -> bool:
    return bool(SYN_OK.match(s)) and "  " not in s and s.count(" ") < 3


def build_inverse() -> dict[tuple[str, str], list[int]]:
    """(observed B, original A) → [source bits, relation bits, best sense rank, tag-count].

    Mirrors what a thesaurus spinner can do: for each lemma L (single words and 2–3-word
    phrases) and part of speech, each neighbour S among the first senses, and each tag of the
    part of speech, the spinner turns inflect(L) into inflect(S).
    """
    from mtdetect.morphology import TAGS, Inflector
    from tools.thesaurus import OEWN, load_mythes, load_oewn

    oewn = load_oewn()
    mythes = load_mythes()
    srcs = {SRC_OEWN: oewn, SRC_MYTHES: mythes}

    def lexicon(lemma: str, pos: str) -> bool:
        return oewn.has_lemma(lemma, pos) or mythes.has_lemma(lemma, pos)

    inf = Inflector(lexicon=lexicon, forms=oewn.forms)
    out: dict[tuple[str, str], list[int]] = {}
    base_tag = {"n": "NN", "v": "VB", "a": "JJ", "r": "RB"}
    for sbit, s in srcs.items():
        keys = s.index.keys() if isinstance(s, OEWN) else s.entries.keys()
        for lemma in keys:
            if lemma != lemma.lower() or not _phrase_ok(lemma):
                continue
            multi = " " in lemma
            for pos in s.sense_counts(lemma, case_sensitive=True):
                first = {t for t, _ in s.synonyms(lemma, pos, RELATIONS, 1, case_sensitive=True)}
                for syn, rel in s.synonyms(lemma, pos, RELATIONS, MAX_SENSES, case_sensitive=True):
                    if not _phrase_ok(syn) or syn == lemma:
                        continue
                    rank = 1 if syn in first else 2
                    tags = (base_tag[pos],) if multi else TAGS[pos]
                    for tag in tags:
                        try:
                            a = inf.inflect(lemma, pos, tag)
                            b = inf.inflect(syn, pos, tag)
                        except ValueError:
                            continue
                        if a == b:
                            continue
                        rec = out.get((b, a))
                        if rec is None:
                            out[(b, a)] = [sbit, REL_BITS[rel], rank, 1]
                        else:
                            rec[0] |= sbit
                            rec[1] |= REL_BITS[rel]
                            rec[2] = min(rec[2], rank)
                            rec[3] += 1
    for b, a in EXTRA_PAIRS:
        rec = out.setdefault((b, a), [0, 0, 1, 1])
        rec[0] |= SRC_EXTRA
        rec[1] |= REL_BITS["extra"]
    return out


def load_inverse(rebuild: bool = False) -> dict[tuple[str, str], list[int]]:
    """The full inverse table (cached in data/cache)."""
    if CACHE.exists() and not rebuild:
        with open(CACHE, "rb") as fh:
            return pickle.load(fh)
    t0 = time.time()
    inv = build_inverse()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with open(CACHE, "wb") as fh:
        pickle.dump(inv, fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"inverse table: {len(inv)} pairs in {time.time() - t0:.1f}s", flush=True)
    return inv


# --------------------------------------------------------------------------- encoding


def tokens_of(phrase: str) -> list[str]:
    """Lower-cased word tokens of a phrase, by the package tokenizer."""
    return [t.lower for t in Document(phrase).tokens if t.is_word]


def pack(ids: list[int]) -> int:
    """Pack up to 3 vocabulary ids (each +1) into one integer key."""
    k = 0
    for i in range(3):
        k = (k << BITS) | ((ids[i] + 1) if i < len(ids) else 0)
    return k


def prior(rec: list[int], zipf_a: float, n_out: int) -> float:
    """Ranking prior log10 P(A | B) up to a constant: a spinner that met A picks B among the
    ``n_out`` neighbours of A, so P(A|B) ∝ freq(A) / n_out(A); closer relations get a bonus."""
    rel = rec[1]
    p = PRIOR_ZIPF * zipf_a - PRIOR_FANOUT * math.log10(max(n_out, 1))
    if rel & (REL_BITS["synonym"] | REL_BITS["extra"]):
        p += PRIOR_BONUS[0]
    if rec[2] == 1:
        p += PRIOR_BONUS[1]
    if rec[0] & SRC_OEWN and rec[0] & SRC_MYTHES:
        p += PRIOR_BONUS[2]
    return p


def select(
    inv: dict[tuple[str, str], list[int]],
    rs,
    top: int,
    min_zipf: float,
    src_mask: int = 7,
    rel_mask: int = 63,
) -> dict[str, list[tuple[str, float, list]]]:
    """Observed B → top candidate originals (A, prior, rec), filtered for the LM.

    A must be made of LM words with Zipf ≥ ``min_zipf`` (as a whole: its least frequent word)
    and B of known words.
    """
    by_b: dict[str, list[tuple[str, float, list]]] = defaultdict(list)
    cache: dict[str, tuple[list[int], float] | None] = {}

    def info(phrase: str) -> tuple[list[int], float] | None:
        r = cache.get(phrase, 0)
        if r != 0:
            return r  # type: ignore[return-value]
        toks = tokens_of(phrase)
        ids = [rs.vocab.get(t, -1) for t in toks]
        if not toks or len(toks) > 3 or min(ids) < 0:
            r = None
        else:
            r = (ids, float(min(rs.zipf_ids(np.array(ids)))))
        cache[phrase] = r
        return r

    n_out: Counter = Counter()
    for (_b, a), rec in inv.items():
        if rec[0] & src_mask and rec[1] & rel_mask:
            n_out[a] += 1
    for (b, a), rec in inv.items():
        if not (rec[0] & src_mask) or not (rec[1] & rel_mask):
            continue
        if " " not in a and (len(a) < 3 or a in STOPWORDS):
            continue  # spinners leave function words alone
        if a in american(b) or b in american(a):
            continue  # a spelling variant (colours/colors) is not a swap
        ia = info(a)
        if ia is None or ia[1] < min_zipf or max(ia[0]) >= rs.lm_size:
            continue
        ib = info(b)
        if ib is None:
            continue
        by_b[b].append((a, prior(rec, ia[1], n_out[a]), rec))
    for b in by_b:
        by_b[b].sort(key=lambda x: -x[1])
        del by_b[b][top:]
    return by_b


def write_table(by_b: dict[str, list[tuple[str, float, list]]], rs) -> dict:
    """Write cand_key/cand_off/cand_a/cand_prior .npy files."""
    rows = []
    for b, cands in by_b.items():
        kb = pack([rs.vocab[t] for t in tokens_of(b)])
        rows.append((kb, [(pack([rs.vocab[t] for t in tokens_of(a)]), p) for a, p, _ in cands]))
    rows.sort(key=lambda r: r[0])
    keys = np.array([r[0] for r in rows], dtype=np.uint64)
    off = np.zeros(len(rows) + 1, dtype=np.uint32)
    off[1:] = np.cumsum([len(r[1]) for r in rows])
    cand = np.array([c for r in rows for c, _ in r[1]], dtype=np.uint64)
    pri = np.array(
        [min(255, max(0, round((p + 4) * 25))) for r in rows for _, p in r[1]], dtype=np.uint8
    )
    np.save(OUT / "cand_key.npy", keys)
    np.save(OUT / "cand_off.npy", off)
    np.save(OUT / "cand_a.npy", cand)
    np.save(OUT / "cand_prior.npy", pri)
    return {
        "observed": len(rows),
        "pairs": int(len(cand)),
        "bytes": int(keys.nbytes + off.nbytes + cand.nbytes + pri.nbytes),
    }


# --------------------------------------------------------------------------- tortured phrases


def _clean_correct(s: str) -> str:
    s = re.sub(r"\(\s*\?\s*\)|\?", " ", s)
    s = re.sub(r"\[([^\]]*)\]", r"\1", s)
    s = re.sub(r"\s*\([^)]*\)", " ", s)
    s = s.split("/")[0] if "/" in s and " " not in s.split("/")[0][-3:] else s
    return " ".join(s.split()).strip(" ,;")


def human_phrase_counts(data: Path, seed: int, phrases: set[str]) -> tuple[Counter, int]:
    """Occurrences of the given lower-cased phrases in train+valid human text (word tokens)."""
    from tools import corpus_common as cc

    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for ph in phrases:
        w = tuple(ph.split())
        by_first[w[0]].append(w)
    counts: Counter = Counter()
    n_words = 0
    for d in cc.load_originals(data, seed):
        if d.split == "test":
            continue
        for unit in d.units:
            toks = [t.lower for t in Document(unit).tokens if t.is_word]
            n_words += len(toks)
            for i, t in enumerate(toks):
                for w in by_first.get(t, ()):
                    if tuple(toks[i : i + len(w)]) == w:
                        counts[" ".join(w)] += 1
    return counts, n_words


def build_tortured(data: Path, seed: int, rs) -> dict:
    """Write ``tortured.tsv`` (tortured → correct, status flag/allow) with attribution."""
    raw = json.loads((data / "tortured-phrases" / "tortured-phrases.json").read_text("utf-8"))
    pairs = [(" ".join(tokens_of(it["tortured"])), it["correct"]) for it in raw["phrases"]]
    grams, n_words = human_phrase_counts(data, seed, {t for t, _ in pairs if t})
    rows = []
    stats = Counter()
    for tort, corr in pairs:
        corr = _clean_correct(corr.lower())
        if not tort or not corr or tort == " ".join(tokens_of(corr)):
            stats["dropped"] += 1
            continue
        words = tort.split()
        status, why = "flag", ""
        if len(words) < 2:
            status, why = "allow", "single word"
        elif grams.get(tort, 0) > 0:
            status, why = "allow", f"human text x{grams[tort]}"
        else:
            ids = rs.lm_ids(words)
            if (ids >= 0).all():
                n = len(ids)
                p1 = np.concatenate([[-1], ids[:-1]])
                p2 = np.concatenate([[-1, -1], ids[:-2]])[:n]
                lp, order = rs.cond_logprob(ids, p1, p2)
                full = np.minimum(np.arange(n) + 1, 3)
                pmi = lp[1:] - rs.uni_lp[ids[1:]]
                # an ordinary English phrase: the LM has it as a whole (every n-gram of the
                # phrase at full order) and its words attract each other
                if (order[1:] == full[1:]).all() and float(np.min(pmi)) > 0.2:
                    status, why = "allow", f"LM phrase (min PMI {float(np.min(pmi)):.1f})"
        stats[status] += 1
        rows.append((tort, corr, status, why))
    rows.sort()
    header = [
        "# Tortured phrases -> correct wording, derived from the Problematic Paper Screener list",
        "# (Cabanac, Labbé & Magazinov; packaged by the torturedcheck project), CC BY 4.0.",
        "# Changes: lower-cased and tokenised; comments/acronyms removed from the correct form;",
        "# status 'allow' = ordinary English (seen in human text or a common LM phrase): never",
        "# flagged. Built by tools/build_candidates.py.",
        "# tortured\tcorrect\tstatus\treason",
    ]
    body = [f"{t}\t{c}\t{s}\t{w}" for t, c, s, w in rows]
    (RES / "tortured.tsv").write_text("\n".join(header + body) + "\n", encoding="utf-8")
    return dict(stats) | {"human_words_checked": n_words}


# --------------------------------------------------------------------------- measurement


def spun_records(split: str, path: Path | None = None) -> list[dict]:
    """Spun records of a split from data/build (never pass 'test' when tuning)."""
    p = path or ROOT / "data" / "build" / f"{split}.jsonl"
    out = []
    with open(p, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("label") == "spun" and r.get("spans"):
                out.append(r)
    return out


def measure(
    inv, rs, split: str = "valid", top: int = 12, min_zipf: float = 2.0, path: Path | None = None
) -> None:
    """Recall of the spinner's originals among the candidates, by source and by top-K."""
    if split == "test":
        raise SystemExit("refusing to tune on the test split")
    recs = spun_records(split, path)
    gold = []
    for r in recs:
        for s, e, orig in r["spans"]:
            gold.append((r["text"][s:e], orig, r.get("subset", "")))
    print(f"{len(recs)} spun records, {len(gold)} changed spans ({split})")
    variants = {
        "all sources": dict(src_mask=7, rel_mask=63),
        "OEWN only": dict(src_mask=SRC_OEWN, rel_mask=63),
        "MyThes only": dict(src_mask=SRC_MYTHES, rel_mask=63),
        "synonym rel only": dict(src_mask=7, rel_mask=REL_BITS["synonym"]),
        "no hypernyms": dict(src_mask=7, rel_mask=63 & ~REL_BITS["hypernym"]),
        "no extra pairs": dict(src_mask=3, rel_mask=63),
    }
    for name, kw in variants.items():
        for k in [1, 3, 6, 12, 24] if name == "all sources" else [top]:
            by_b = select(inv, rs, k, min_zipf, **kw)
            hit = Counter()
            tot = Counter()
            for obs, orig, sub in gold:
                key = " ".join(tokens_of(obs))
                o = " ".join(tokens_of(orig))
                # the spinner's span may include a re-written article ("an ardent" <- "a keen")
                cands = {" ".join(tokens_of(a)) for a, _, _ in by_b.get(key, [])}
                parts = key.split(" ", 1)
                if len(parts) == 2 and parts[0] in ("a", "an"):
                    cands |= {" ".join(tokens_of(a)) for a, _, _ in by_b.get(parts[1], [])}
                    o = o.split(" ", 1)[1] if " " in o else o
                ok = o in cands
                for s in (sub, "ALL"):
                    tot[s] += 1
                    hit[s] += ok
            cells = ", ".join(f"{s}: {hit[s] / tot[s]:.3f}" for s in sorted(tot))
            print(f"{name:18s} top{k:<3d} recall {cells}")


# --------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--min-zipf", type=float, default=2.0)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached inverse table")
    ap.add_argument("--measure", action="store_true", help="recall on the VALID spun passages")
    ap.add_argument("--records", default=None, help="JSONL of spun records (default: valid)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    from mtdetect import refstats
    from tools import corpus_common as cc

    data = cc.data_root(args.data)
    seed = cc.DEFAULT_SEED if args.seed is None else args.seed
    rs = refstats.read()
    inv = load_inverse(args.rebuild)
    if args.measure:
        measure(
            inv, rs, "valid", args.top, args.min_zipf, Path(args.records) if args.records else None
        )
    if not args.no_write:
        by_b = select(inv, rs, args.top, args.min_zipf)
        info = write_table(by_b, rs)
        info["tortured"] = build_tortured(data, seed, rs)
        meta_p = OUT / "candidates.json"
        info |= {
            "top": args.top,
            "min_zipf": args.min_zipf,
            "bits": BITS,
            "inverse_pairs": len(inv),
            "sources": "OEWN (CC BY 4.0; Princeton WordNet licence), Debian mythes-en-us "
            "(LibreOffice thesaurus), hand list EXTRA_PAIRS; ranked with wordfreq",
        }
        meta_p.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
