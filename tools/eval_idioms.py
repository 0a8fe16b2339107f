"""Evaluate the idiom family: precision/recall on the fixture, false flags on human text, speed.

Usage:
    .venv/bin/python -m tools.eval_idioms                  # everything
    .venv/bin/python -m tools.eval_idioms --no-human       # fixture only
    .venv/bin/python -m tools.eval_idioms --corpora brown  # one corpus (brown, abc, wmt)
    .venv/bin/python -m tools.eval_idioms --show 50        # print up to 50 false flags

Human text is read from the data folder (``--data``, ``$MTDETECT_DATA`` or ``../shared/data``);
every finding on it counts as a false flag.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from mtdetect.features.idioms import IdiomFamily
from mtdetect.text import Document

ROOT = Path(__file__).resolve().parent.parent


def data_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("MTDETECT_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def _detok(words: list[str]) -> str:
    s = " ".join(words)
    s = s.replace("``", '"').replace("''", '"')
    s = re.sub(r" ([.,;:!?)'])", r"\1", s)
    s = re.sub(r"([($]) ", r"\1", s)
    return s


def brown_passages(dd: Path) -> Iterator[str]:
    """Brown paragraphs as plain text (tags stripped)."""
    for f in sorted((dd / "corpora" / "brown").glob("c[a-r][0-9][0-9]")):
        for para in f.read_text(encoding="utf-8", errors="replace").split("\n\n"):
            words = [t.rsplit("/", 1)[0] for t in para.split()]
            if words:
                yield _detok(words)


def abc_passages(dd: Path) -> Iterator[str]:
    """ABC transcripts, blank-line separated chunks."""
    for name in ("rural.txt", "science.txt"):
        text = (dd / "corpora" / "abc" / name).read_text(encoding="utf-8", errors="replace")
        for para in re.split(r"\n\s*\n", text):
            if para.strip():
                yield para.strip()


def wmt_passages(dd: Path, chunk: int = 10) -> Iterator[str]:
    """Original English news (WMT sources), ``chunk`` consecutive lines at a time."""
    for f in sorted(dd.glob("wmt2*/sources/*.src.en")):
        lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
        for i in range(0, len(lines), chunk):
            yield "\n".join(lines[i : i + chunk])


CORPORA = {"brown": brown_passages, "abc": abc_passages, "wmt": wmt_passages}


def eval_fixture(fam: IdiomFamily, path: Path) -> dict:
    """Precision/recall of 'has an idiom finding' against the fixture labels."""
    tp = fp = fn = tn = 0
    rule_ok = sugg_ok = sugg_n = 0
    errors = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        ex = json.loads(line)
        _, fs = fam.extract(Document(ex["text"]))
        flagged = bool(fs)
        if ex["label"] == "flag":
            if flagged:
                tp += 1
                if ex.get("rule") and any(f.rule == ex["rule"] for f in fs):
                    rule_ok += 1
                if ex.get("suggestion"):
                    sugg_n += 1
                    if any(ex["suggestion"].lower() in (f.suggestion or "").lower() for f in fs):
                        sugg_ok += 1
                    else:
                        errors.append(("suggestion", ex["text"], [f.suggestion for f in fs]))
            else:
                fn += 1
                errors.append(("missed", ex["text"], ex.get("rule")))
        else:
            if flagged:
                fp += 1
                errors.append(("false flag", ex["text"], [(f.text, f.suggestion) for f in fs]))
            else:
                tn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": p,
        "recall": r,
        "rule_correct": rule_ok,
        "suggestion_correct": sugg_ok,
        "suggestion_checked": sugg_n,
        "errors": errors,
    }


def eval_spun(fam: IdiomFamily, n: int, configs: list[str], seed: int = 7) -> None:
    """Recall on distortions made by tools/spinner.py: canonical idioms spun until exactly one
    word inside the idiom changed; every such variant should be flagged ``idiom.distorted``."""
    import random

    from mtdetect.idiomatch import load_entries
    from tools.spinner import spin

    rng = random.Random(seed)
    fill = {"{sb}": "him", "{sth}": "it", "{self}": "himself", "one's": "his"}
    idioms = [e for e in load_entries() if e.kind == "idiom" and e.swappable]
    rng.shuffle(idioms)
    for cfg in configs:
        made = hit = 0
        misses = []
        for e in idioms:
            if made >= n:
                break
            text = " ".join(fill.get(w, w) for w in e.pattern.split())
            text = text[0].upper() + text[1:] + "."
            for s in range(6):
                out, spans = spin(text, cfg, seed=rng.randrange(10**6) + s)
                inside = [sp for sp in spans if sp[0] < len(out) - 1]
                if len(inside) == 1 and " " not in inside[0][2].strip():
                    break
            else:
                continue
            made += 1
            _, fs = fam.extract(Document(out))
            if any(f.rule == "idiom.distorted" for f in fs):
                hit += 1
            elif len(misses) < 15:
                misses.append(f"{text} -> {out}")
        print(
            f"spun idioms ({cfg}): {hit}/{made} one-word distortions flagged "
            f"(recall {hit / max(made, 1):.3f})"
        )
        for m in misses:
            print("   missed:", m)


def eval_petci(fam: IdiomFamily, dd: Path, show: int = 20) -> None:
    """PETCI (Chinese idioms with Google/DeepL renderings): how many machine renderings of the
    idioms in calques.tsv are flagged, and how often anything fires on the dictionary ("book")
    translations and on all machine renderings."""
    from mtdetect.idiomatch import load_entries

    rows = json.loads((dd / "idioms" / "petci-raw.json").read_text(encoding="utf-8"))
    ours = {e.source for e in load_entries() if e.kind == "calque" and e.lang == "zh"}
    covered = [r for r in rows if r["chinese"] in ours]
    n = hit = 0
    misses = []
    for r in covered:
        for t in r.get("google", []) + r.get("deepl", []):
            n += 1
            _, fs = fam.extract(Document(t))
            if fs:
                hit += 1
            elif len(misses) < show:
                misses.append(f"{r['chinese']}: {t}")
    print(
        f"PETCI: {len(covered)} of our {len(ours)} Chinese calque sources are in PETCI; "
        f"{hit}/{n} of their Google/DeepL renderings flagged ({hit / max(n, 1):.3f})"
    )
    for m in misses:
        print("   not flagged:", m)
    for key in ("google", "deepl", "book"):
        m = f = 0
        for r in rows:
            for t in r.get(key, []):
                m += 1
                f += bool(fam.extract(Document(t))[1])
        print(f"PETCI {key}: {f}/{m} renderings with an idiom flag ({f / max(m, 1):.3f})")


def wmt_signal(fam: IdiomFamily, dd: Path, max_files: int = 4) -> None:
    """Flags per 1,000 words in WMT machine translations into English vs the human references
    of the same source lines (per language pair; at most ``max_files`` systems per pair)."""
    for year in ("wmt21", "wmt22"):
        refs = sorted((dd / year / "references").glob("*.en"))
        pairs = sorted({f.name.split(".")[1] for f in refs})
        for pair in pairs:
            out = []
            for kind, files in (
                (
                    "MT",
                    sorted((dd / year / "system-outputs").glob(f"*.{pair}.hyp.*.en"))[:max_files],
                ),
                ("ref", [f for f in refs if f.name.split(".")[1] == pair]),
            ):
                words = dist = calq = 0
                for f in files:
                    lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
                    for i in range(0, len(lines), 20):
                        doc = Document("\n".join(lines[i : i + 20]))
                        _, fs = fam.extract(doc)
                        words += doc.n_words
                        dist += sum(x.rule == "idiom.distorted" for x in fs)
                        calq += sum(x.rule == "idiom.calque" for x in fs)
                out.append(
                    f"{kind} {len(files)} files {words} words: distorted "
                    f"{1000 * dist / max(words, 1):.3f}, calque "
                    f"{1000 * calq / max(words, 1):.3f} per 1,000"
                )
            print(f"{year} {pair}: " + " | ".join(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None)
    ap.add_argument("--fixture", default=str(ROOT / "tests" / "fixtures" / "idioms_eval.jsonl"))
    ap.add_argument("--corpora", default="brown,abc,wmt")
    ap.add_argument("--no-human", action="store_true")
    ap.add_argument("--max-words", type=int, default=0, help="per corpus (0 = all)")
    ap.add_argument("--show", type=int, default=40)
    ap.add_argument("--bench", type=int, default=300, help="passages for the speed figure")
    ap.add_argument(
        "--spun",
        type=int,
        default=0,
        help="also measure recall on N idioms distorted by tools/spinner.py",
    )
    ap.add_argument("--spun-configs", default="oewn-light,mythes-heavy")
    ap.add_argument("--petci", action="store_true", help="also test on PETCI renderings")
    ap.add_argument(
        "--wmt-signal",
        action="store_true",
        help="flag rates in WMT machine translations vs human references",
    )
    args = ap.parse_args()
    fam = IdiomFamily()
    t0 = time.perf_counter()
    fam.extract(Document("Warm-up loads the tables."))
    print(f"table load + index build: {time.perf_counter() - t0:.2f} s")

    fx = Path(args.fixture)
    if fx.exists():
        res = eval_fixture(fam, fx)
        print(
            f"fixture {fx.name}: precision {res['precision']:.3f} recall {res['recall']:.3f} "
            f"(tp {res['tp']} fp {res['fp']} fn {res['fn']} tn {res['tn']}); right rule on "
            f"{res['rule_correct']}/{res['tp']} hits; expected suggestion found on "
            f"{res['suggestion_correct']}/{res['suggestion_checked']}"
        )
        for kind, text, info in res["errors"]:
            print(f"  [{kind}] {text}  -> {info}")
    if args.spun:
        eval_spun(fam, args.spun, args.spun_configs.split(","))
    if args.wmt_signal:
        wmt_signal(fam, data_dir(args.data))
    if args.petci:
        eval_petci(fam, data_dir(args.data))
    if args.no_human:
        return
    dd = data_dir(args.data)
    total_w = total_f = 0
    shown = 0
    bench_texts: list[str] = []
    by_pattern: Counter = Counter()
    for name in args.corpora.split(","):
        words = flags = 0
        t = time.perf_counter()
        for text in CORPORA[name](dd):
            if len(bench_texts) < args.bench and name == "brown":
                bench_texts.append(text)
            doc = Document(text)
            _, fs = fam.extract(doc)
            words += doc.n_words
            flags += len(fs)
            for f in fs:
                by_pattern[
                    (
                        f.rule,
                        f.suggestion
                        if f.rule == "idiom.calque"
                        else f.reason.split("expression '")[-1].split("'")[0],
                    )
                ] += 1
                if shown < args.show:
                    shown += 1
                    s = doc.sentences[f.sentence]
                    print(
                        f"  FALSE [{name}] {f.rule}: '{f.text}' -> {f.suggestion!r}  | "
                        f"{doc.sentence_text(s)[:160]}"
                    )
            if args.max_words and words >= args.max_words:
                break
        dt = time.perf_counter() - t
        total_w += words
        total_f += flags
        print(
            f"human {name}: {words} words, {flags} false flags, "
            f"{1000 * flags / max(words, 1):.3f} per 1,000 words ({words / dt:,.0f} words/s)"
        )
    print(
        f"human all: {total_w} words, {total_f} false flags, "
        f"{1000 * total_f / max(total_w, 1):.3f} per 1,000 words"
    )
    if by_pattern:
        print("most frequent false-flag entries:", by_pattern.most_common(15))
    if bench_texts:
        docs = [Document(t) for t in bench_texts]
        n = sum(d.n_words for d in docs)
        t = time.perf_counter()
        for d in docs:
            fam.extract(d)
        dt = time.perf_counter() - t
        print(f"speed: {len(docs)} Brown passages, {n} words, extract only: {n / dt:,.0f} words/s")


if __name__ == "__main__":
    main()
