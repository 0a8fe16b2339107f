"""Fit and measure the ``terms`` family: unlisted tortured phrases, their correct forms, human text.

* **Held-out tortured phrases**: the entries of one third of the tortured-phrase list (the bank
  is built from the train third only), each put into a one-sentence carrier and a paragraph
  carrier written for this script (templates with a slot; no text of the data folder). Recall:
  share of tortured phrases with a ``terms`` flag on the slot; right term: share whose flag's
  suggestion, put in place of the flagged words, gives the correct form. Correct forms: share of
  correct forms flagged in the same carriers. Reported for every cleaned entry and for the
  rule's scope (tortured side of 2-4 words), with 95% Wilson intervals.
* **Human text**: false flags per 1,000 words on every human register (Brown genres, ABC
  rural/science, CoNLL-2000 WSJ, WMT sources and references, chat, reviews), documents of one
  split, cut into passages of 50-400 words (every flag on human text counts as false).
* **Speed**: words per second of the family alone on those passages (the ``tortured`` family's
  beside it for scale).

``fit`` chooses the model on the VALID third and valid-split human text only: a logistic
regression over the variants' features (5-fold cross-fitting grouped by tortured entry and by
human passage gives out-of-fold probabilities), its threshold the lowest that keeps out-of-fold
false flags on valid human text at or below ``--max-false`` per 1,000 words and correct forms
flagged at or below 5% in both carriers; it writes ``mtdetect/resources/terms_model.json``.
``eval`` (``make terms``) measures the shipped bank and model on the TEST third and test-split
human text, which nothing was fitted or chosen on.

    .venv/bin/python -m tools.eval_terms fit  [--max-false 0.5]
    .venv/bin/python -m tools.eval_terms eval [--part test] [--human-split test] [--show N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import numpy as np

from mtdetect import resources
from mtdetect.analysis import Analysis
from mtdetect.features.terms import FEATURES, MODEL, TERMBANK, Terms, Variant, read_bank, read_model
from mtdetect.features.tortured import TorturedPhrases
from mtdetect.text import Document
from tools import corpus_common as cc
from tools.build_corpus import load_wmt_pairs
from tools.corpus_informal import load_informal
from tools.eval_registers import passages, register_of, wilson
from tools.spinners.tortured_split import default_path, load_pairs

ROOT = Path(__file__).resolve().parents[1]
MODEL_OUT = ROOT / "mtdetect" / "resources" / MODEL
SLOT = "{t}"
KINDS = ("sentence", "paragraph")
MAX_CORRECT_FLAGGED = 0.05
#: one-sentence carriers (written for this script)
SENTENCES = (
    "In this paper we study how the {t} behaves under realistic conditions.",
    "The results show that the {t} improves the accuracy of the whole system.",
    "Several authors have recently examined the {t} in some detail.",
    "We then compared the {t} with two simpler methods on the same data.",
    "A short review of the {t} is given in the next section.",
    "Most of the errors we observed were related to the {t} itself.",
    "Table 2 summarises the main properties of the {t} for each sample.",
    "Our experiments confirm that the {t} plays a central role here.",
)
#: paragraph carriers (written for this script)
PARAGRAPHS = (
    "Over the last decade, many groups have tried to make these measurements cheaper and "
    "faster. Our approach is simple. We collected samples from three sites over two years and "
    "prepared them in the same way. The {t} was then estimated for every sample, and the values "
    "were checked by two people who did not know where each sample came from. The agreement "
    "between them was high, and the few disagreements were settled by a third person.",
    "The second part of the study looks at what happens when conditions change. We varied the "
    "temperature and the load in small steps and recorded the response each time. As expected, "
    "the {t} changed most at the extremes, while the middle of the range stayed stable. These "
    "findings agree with earlier reports, although the effect we saw was somewhat smaller than "
    "the one they describe.",
    "Before drawing conclusions, it is worth listing the limits of this work. The number of "
    "cases is modest, and all of them come from one region. We relied on the {t} because it is "
    "widely used and easy to compute, but other choices are possible. Future work should test "
    "whether the same pattern holds elsewhere, and whether it survives a larger sample.",
)


# --------------------------------------------------------------------------- carriers


def carrier(kind: str, phrase: str) -> str:
    """The template of ``kind`` for a tortured phrase, chosen by a stable hash of the phrase
    (the correct form goes into the same template)."""
    templates = SENTENCES if kind == "sentence" else PARAGRAPHS
    return templates[zlib.crc32(phrase.encode()) % len(templates)]


def in_slot(template: str, phrase: str, res: resources.Resources) -> tuple[Analysis, int, int]:
    """The analysis of ``template`` with ``phrase`` in its slot, and the slot's span."""
    s = template.index(SLOT)
    return Analysis(Document(template.replace(SLOT, phrase)), res), s, s + len(phrase)


def entries(part: str) -> list[tuple[str, str]]:
    """Cleaned (correct, tortured) pairs of a third of the list."""
    return load_pairs(default_path(), part=part)


def right_term(text: str, s: int, e: int, start: int, end: int, sugg: str, correct: str) -> bool:
    """Whether the slot text ``text[s:e]`` with ``text[start:end]`` replaced by ``sugg`` is the
    correct form (either number of its last word)."""
    got = (text[s:start] + sugg + text[end:e]).lower()
    return got == correct or got.rstrip("s") == correct.rstrip("s")


# --------------------------------------------------------------------------- human text


def wmt_ref_docs(root: Path, seed: int) -> list[cc.Doc]:
    """The first reference of every WMT language pair, in the corpus's blocks and splits."""
    docs: list[cc.Doc] = []
    for year in ("wmt21", "wmt22"):
        for wp in load_wmt_pairs(root, year, set()):
            if not wp.refs:
                continue
            first = wp.refs[sorted(wp.refs)[0]]
            ds = []
            for b in range(0, wp.n_lines, cc.BLOCK_LINES):
                units = [x for x in first[b : b + cc.BLOCK_LINES] if x]
                doc_id = f"{year}:{wp.pair}:b{b // cc.BLOCK_LINES:03d}"
                ds.append(cc.Doc(f"{year}-ref", doc_id, units, [" "] * len(units), ""))
            if year == "wmt22":
                for d in ds:
                    d.split = "test"
            else:
                cc._assign_splits(ds, seed, f"{year}:{wp.pair}", test_frac=0.0)
            docs += ds
    return docs


def human_passages(split: str, seed: int) -> dict[str, list[str]]:
    """Passages of 50-400 words of every human document of ``split``, by register."""
    root = cc.data_root(None)
    docs = cc.load_originals(root, seed) + load_informal(root, seed) + wmt_ref_docs(root, seed)
    out: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.split == split:
            reg = d.source if d.source in ("chat", "product-reviews") else register_of(d)
            out[reg].extend(passages(d, 50, 400))
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- fit


def variant_rows(
    fam: Terms, part: str, split: str, seed: int, res: resources.Resources
) -> tuple[list[dict], int, int]:
    """Every variant on the slots of tortured phrases and correct forms of ``part`` (labels:
    ``set`` = tort / corr / human) and in human text of ``split``; the number of entries and of
    human words."""
    rows: list[dict] = []
    pairs = entries(part)
    for kind in KINDS:
        for i, (correct, tortured) in enumerate(pairs):
            tmpl = carrier(kind, tortured)
            for name, phrase in (("tort", tortured.lower()), ("corr", correct)):
                a, s, e = in_slot(tmpl, phrase, res)
                toks = a.word_tokens
                for v in fam.variants(a):
                    if toks[v.start].start < e and toks[v.end - 1].end > s:
                        rows.append({"set": name, "kind": kind, "group": f"p{i}", **asdict(v)})
    words = 0
    for reg, texts in human_passages(split, seed).items():
        for j, text in enumerate(texts):
            a = Analysis(Document(text), res)
            words += a.doc.n_words
            for v in fam.variants(a):
                rows.append({"set": "human", "kind": reg, "group": f"{reg}:{j}", **asdict(v)})
    return rows, len(pairs), words


def _matrix(rows: list[dict]) -> np.ndarray:
    fs = [Variant(**{k: r[k] for k in r if k not in ("set", "kind", "group")}) for r in rows]
    return np.array([[v.features()[n] for n in FEATURES] for v in fs], dtype=np.float64)


def _rates(rows: list[dict], p: np.ndarray, t: float, n_pairs: int, words: int) -> dict:
    """Out-of-fold figures at threshold ``t``: recall and correct forms flagged per carrier,
    false flags (distinct flagged phrase starts) per 1,000 human words."""
    on = p >= t
    out: dict = {}
    for kind in KINDS:
        for name in ("tort", "corr"):
            g = {
                r["group"] for r, o in zip(rows, on) if o and r["set"] == name and r["kind"] == kind
            }
            out[f"{kind}/{name}"] = len(g) / max(1, n_pairs)
    flags = {(r["group"], r["start"]) for r, o in zip(rows, on) if o and r["set"] == "human"}
    out["human_per_1000"] = 1000 * len(flags) / max(1, words)
    return out


def cmd_fit(args: argparse.Namespace) -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    t0 = time.time()
    fam = Terms()
    rows, n_pairs, words = variant_rows(fam, "valid", "valid", args.seed, tables(args))
    x = _matrix(rows)
    y = np.array([r["set"] == "tort" for r in rows])
    groups = np.array([r["group"] for r in rows])
    p = np.zeros(len(rows))
    for tr, te in GroupKFold(5).split(x, y, groups):
        m = LogisticRegression(C=args.c, max_iter=5000).fit(x[tr], y[tr])
        p[te] = m.predict_proba(x[te])[:, 1]
    chosen = None
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    for t in grid:
        r = _rates(rows, p, float(t), n_pairs, words)
        ok = r["human_per_1000"] <= args.max_false
        ok &= all(r[f"{k}/corr"] <= MAX_CORRECT_FLAGGED for k in KINDS)
        if ok:
            chosen = (float(t), r)
            break
    if chosen is None:
        print("error: no threshold meets the limits", file=sys.stderr)
        return 1
    m = LogisticRegression(C=args.c, max_iter=5000).fit(x, y)
    model = {
        "weights": {n: round(float(w), 6) for n, w in zip(FEATURES, m.coef_[0])},
        "intercept": round(float(m.intercept_[0]), 6),
        "threshold": chosen[0],
        "fitted_on": "valid third of the tortured-phrase list in the carriers of "
        "tools/eval_terms.py, and valid-split human text (tools/eval_terms.py fit)",
        "variants": {s: int(sum(r["set"] == s for r in rows)) for s in ("tort", "corr", "human")},
        "valid_out_of_fold": {k: round(v, 4) for k, v in chosen[1].items()},
        "limits": {"max_false_per_1000": args.max_false, "max_correct": MAX_CORRECT_FLAGGED},
    }
    Path(args.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model, indent=1))
    print(f"{len(rows)} variants, {n_pairs} entries, {words} human words, {time.time() - t0:.0f}s")
    return 0


# --------------------------------------------------------------------------- eval


def tables(args: argparse.Namespace) -> resources.Resources:
    """The shipped tables, or the bank and model named by ``--bank`` / ``--model``."""
    given: dict = {}
    if getattr(args, "bank", None):
        given[TERMBANK] = read_bank(Path(args.bank))
    if getattr(args, "model", None):
        given[MODEL] = read_model(Path(args.model))
    return resources.Resources(given)


def eval_tortured(
    fam: Terms, part: str, show: int, res: resources.Resources
) -> tuple[dict, list[str]]:
    pairs = entries(part)
    out: dict = {}
    examples: list[str] = []
    for kind in KINDS:
        hits: dict[str, list[int]] = {"all": [0, 0, 0, 0], "2-4 words": [0, 0, 0, 0]}
        for correct, tortured in pairs:
            tmpl = carrier(kind, tortured)
            scopes = ["all"] + (["2-4 words"] if 2 <= len(tortured.split()) <= 4 else [])
            a, s, e = in_slot(tmpl, tortured.lower(), res)
            fs = [f for f in fam.extract(a)[1] if f.start < e and f.end > s]
            text = a.doc.text
            right = any(
                right_term(text, s, e, f.start, f.end, (f.suggestion or "").lower(), correct)
                for f in fs
            )
            a2, s2, e2 = in_slot(tmpl, correct, res)
            fc = [f for f in fam.extract(a2)[1] if f.start < e2 and f.end > s2]
            for sc in scopes:
                h = hits[sc]
                h[0] += 1
                h[1] += bool(fs)
                h[2] += right
                h[3] += bool(fc)
            if kind == "sentence" and len(examples) < show:
                if fs:
                    sugg = ", ".join(f"{f.text} -> {f.suggestion}" for f in fs)
                    examples.append(f"  {'right' if right else 'hit  '} '{tortured}': {sugg}")
                if fc:
                    examples.append(f"  CORRECT FLAGGED '{correct}': {fc[0].reason}")
        for sc, (n, hit, right, corr) in hits.items():
            out[f"{kind}/{sc}"] = {
                "entries": n,
                "recall": hit / max(1, n),
                "recall_ci": wilson(hit, n),
                "right_term": right / max(1, n),
                "right_term_ci": wilson(right, n),
                "correct_flagged": corr / max(1, n),
                "correct_flagged_ci": wilson(corr, n),
            }
    return out, examples


def _timed(fam, analyses: list[Analysis]) -> tuple[int, float]:
    t = time.perf_counter()
    n = sum(len(fam.measure(a)[1]) for a in analyses)
    return n, time.perf_counter() - t


def eval_human(
    fam: Terms, split: str, seed: int, show: int, res: resources.Resources
) -> tuple[dict, list[str], dict]:
    rows: dict[str, dict] = {}
    shown: list[str] = []
    secs = {"terms": 0.0, "tortured": 0.0}
    tortured = TorturedPhrases()
    for reg, texts in human_passages(split, seed).items():
        analyses = [Analysis(Document(t), res) for t in texts]
        for a in analyses:
            _ = a.words, a.wsent  # the word view every family shares, outside the timing
        nf = 0
        for a in analyses:
            t = time.perf_counter()
            _, fs = fam.measure(a)
            secs["terms"] += time.perf_counter() - t
            nf += len(fs)
            shown += [f"  {reg}: {f.reason} (p={f.score:.2f})" for f in fs][: show - len(shown)]
        secs["tortured"] += _timed(tortured, analyses)[1]
        nw = sum(a.doc.n_words for a in analyses)
        rows[reg] = {"words": nw, "flags": nf, "per_1000": 1000 * nf / max(1, nw)}
    tw = sum(r["words"] for r in rows.values())
    tf = sum(r["flags"] for r in rows.values())
    rows["all"] = {"words": tw, "flags": tf, "per_1000": 1000 * tf / max(1, tw)}
    speed = {k: tw / max(v, 1e-9) for k, v in secs.items()}
    return rows, shown, speed


def _fmt_ci(ci: tuple[float, float]) -> str:
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def cmd_eval(args: argparse.Namespace) -> int:
    fam = Terms()
    report: dict = {}
    if not args.no_tortured:
        t, examples = eval_tortured(fam, args.part, args.show, tables(args))
        print(f"tortured phrases of the {args.part} third (never fitted on), in our carriers:")
        for k, v in t.items():
            print(
                f"  {k:<20} n={v['entries']:>5}  recall {v['recall']:.3f} "
                f"{_fmt_ci(v['recall_ci'])}  right term {v['right_term']:.3f}  correct forms "
                f"flagged {v['correct_flagged']:.3f} {_fmt_ci(v['correct_flagged_ci'])}"
            )
        print("\n".join(examples))
        report["tortured"] = t
    if not args.no_human:
        rows, shown, speed = eval_human(fam, args.human_split, args.seed, args.show, tables(args))
        print(f"human text ({args.human_split} split): false flags per 1,000 words")
        for reg, r in rows.items():
            print(f"  {reg:<24}{r['words']:>9} words{r['flags']:>6} flags{r['per_1000']:>8.3f}")
        print("\n".join(shown))
        print(
            f"speed, family alone: terms {speed['terms']:,.0f} words/s "
            f"(tortured {speed['tortured']:,.0f} words/s)"
        )
        report.update(human=rows, words_per_second=speed)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


def _subcommands() -> Iterator[tuple[str, str]]:
    yield "fit", "fit the model on the valid third and valid human text"
    yield "eval", "measure on the test third and test human text"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name, help_ in _subcommands():
        p = sub.add_parser(name, help=help_)
        p.add_argument("--seed", type=int, default=cc.DEFAULT_SEED, help="corpus split seed")
        p.add_argument("--bank", default=None, help="a term bank instead of the shipped one")
    fit = sub.choices["fit"]
    fit.add_argument("--max-false", type=float, default=0.5, help="per 1,000 valid human words")
    fit.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    fit.add_argument("--out", default=str(MODEL_OUT))
    ev = sub.choices["eval"]
    ev.add_argument("--part", default="test", choices=("valid", "test"))
    ev.add_argument("--human-split", default="test", choices=("valid", "test"))
    ev.add_argument("--no-human", action="store_true")
    ev.add_argument("--no-tortured", action="store_true")
    ev.add_argument("--show", type=int, default=0, help="print up to N examples of each kind")
    ev.add_argument("--json", default=None, help="also write the figures to this file")
    ev.add_argument("--model", default=None, help="a model instead of the shipped one")
    args = ap.parse_args(argv)
    if not default_path().is_file():
        print(f"error: {default_path()} not found", file=sys.stderr)
        return 2
    return cmd_fit(args) if args.cmd == "fit" else cmd_eval(args)


if __name__ == "__main__":
    sys.exit(main())
