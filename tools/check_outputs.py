"""Check that a change leaves every output of the detector identical.

``dump`` scores a fixed set of texts with the shipped model — ``analyze_many(..., explain=True)``
in batches of 16, as ``mtdetect label`` does — and writes, per text, the label, ``machine``,
``scores``, threshold, words, every flag (rule, kind, span, text, reason, suggestion, score,
line, column, sentence), every sentence report and the feature vector, floats at full
precision. ``compare`` reports every difference between two dumps (floats to 1e-12).

The texts: ``samples/*.txt``, the examples the feature families declare, a few edge cases,
and several hundred passages read from the public data at run time (WMT21 system outputs and
references, Brown, ABC, the round-trip cache, and some of those passages spun by
``tools/spinner``), plus a labelled JSONL file (``--jsonl``, e.g. the test split) when given.
A dump holds the texts themselves, so ``dump --inputs OLD`` scores exactly the texts of an
earlier dump. Dumps hold text from the public data: write them outside the repository.

    python -m tools.check_outputs dump --out /tmp/base.json [--jsonl data/build/test.jsonl]
    python -m tools.check_outputs dump --inputs /tmp/base.json --out /tmp/new.json
    python -m tools.check_outputs compare /tmp/base.json /tmp/new.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 16
TOLERANCE = 1e-12


def _wmt_texts(data: Path, rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Runs of 1-12 consecutive lines of WMT21 system outputs and references."""
    files = sorted((data / "wmt21" / "system-outputs").glob("*.en"))
    files += sorted((data / "wmt21" / "references").glob("*.en"))
    out = []
    for k in range(n):
        f = files[rng.randrange(len(files))]
        lines = f.read_text(encoding="utf-8").splitlines()
        size = rng.choice((1, 2, 3, 6, 8, 12))
        i = rng.randrange(max(1, len(lines) - size))
        out.append((f"wmt21:{f.name}:{i}:{size}:{k}", "\n".join(lines[i : i + size])))
    return out


def _corpus_texts(data: Path, rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Passages of Brown and ABC documents, cut as the corpus build cuts them."""
    from tools import corpus_common as cc

    out = []
    for name, docs in (("brown", cc.load_brown(data, 0)), ("abc", cc.load_abc(data, 0))):
        passages = [p for d in docs for p in cc.passages_of(d, 0)]
        for p in rng.sample(passages, n):
            out.append((f"{name}:{p.pid}", p.text))
    return out


def _roundtrip_texts(path: Path, rng: random.Random, n: int) -> list[tuple[str, str]]:
    """Runs of 2-10 consecutive round-tripped sentences of the (read-only) cache."""
    if not path.is_file():
        return []
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                r = json.loads(line)
            except ValueError:  # a line being written
                continue
            if r.get("ok"):
                rows.append(r["back"])
    out = []
    for k in range(min(n, len(rows) // 10)):
        size = rng.randrange(2, 11)
        i = rng.randrange(len(rows) - size)
        out.append((f"roundtrip:{i}:{size}:{k}", " ".join(rows[i : i + size])))
    return out


def _spun_texts(texts: list[tuple[str, str]], rng: random.Random, n: int):
    """``n`` of ``texts`` spun, each with a spinner configuration in turn."""
    from tools import spinner

    # (configurations with a frequency filter need wordfreq, a build-time extra)
    configs = sorted(k for k, c in spinner.CONFIGS.items() if c.get("min_zipf") is None)
    out = []
    for k, (key, text) in enumerate(rng.sample(texts, n)):
        cfg = configs[k % len(configs)]
        out.append((f"spun:{cfg}:{key}", spinner.spin(text, cfg, k)[0]))
    return out


def _example_texts() -> list[tuple[str, str]]:
    """The examples the feature families declare (their rules' flag and pass texts, checks)."""
    from mtdetect.features import family_classes

    out = []
    for cls in family_classes():
        texts = [t for r in cls.rules for t in (*r.flags, *r.passes)]
        texts += [c[0] for c in cls.checks]
        out += [(f"example:{cls.name}:{i}", t) for i, t in enumerate(texts)]
    return out


EDGE = (
    "",
    "   \n ",
    "Yes.",
    "THE HOUSE VOTED ON FRIDAY. THE SENATE DID NOT.",
    "Line one\r\nline two, \u201cquoted\u201d \u2014 and more\u2026\r\n\r\nA new paragraph.",
    "Dr. J. Smith (U.S. Army) said: \u2018we don\u2019t know\u2019. 3.5% of 1,000 in the 1990s.",
)


def collect(args) -> list[tuple[str, str]]:
    """The texts of a new dump."""
    rng = random.Random(args.seed)
    data = Path(args.data)
    texts = [
        (f"sample:{p.name}", p.read_text(encoding="utf-8"))
        for p in sorted(ROOT.glob("samples/*.txt"))
    ]
    texts += _example_texts()
    texts += [(f"edge:{i}", t) for i, t in enumerate(EDGE)]
    wmt = _wmt_texts(data, rng, args.n)
    corpus = _corpus_texts(data, rng, args.n)
    texts += wmt + corpus + _roundtrip_texts(Path(args.roundtrip), rng, args.n // 2)
    texts += _spun_texts(wmt + corpus, rng, args.n)
    # one long document: beyond the sentence limit of the per-sentence evidence
    texts.append(("long", "\n\n".join(t for _, t in corpus[:120])))
    if args.jsonl:
        with open(args.jsonl, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                rec = json.loads(line)
                texts.append((f"jsonl:{n}", rec["text"]))
    return texts


def _finite(x: float):
    return x if math.isfinite(x) else repr(x)


def dump(args) -> None:
    from mtdetect.findings import FINDING_KEYS
    from mtdetect.persistence import load_model

    if args.inputs:
        texts = [(d["id"], d["text"]) for d in json.loads(Path(args.inputs).read_text())["docs"]]
    else:
        texts = collect(args)
    det = load_model(args.model)
    t0 = time.time()
    docs = []
    for i in range(0, len(texts), BATCH):
        chunk = texts[i : i + BATCH]
        reports = det.analyze_many([t for _, t in chunk], [k for k, _ in chunk], explain=True)
        X = det.vectorizer.transform([t for _, t in chunk])
        for (key, text), rep, x in zip(chunk, reports, X):
            docs.append(
                {
                    "id": key,
                    "text": text,
                    "label": rep.label,
                    "machine": rep.machine,
                    "scores": rep.scores,
                    "reliable": rep.reliable,
                    "words": rep.words,
                    "threshold": rep.threshold,
                    "flags": [{k: getattr(f, k) for k in FINDING_KEYS} for f in rep.flags],
                    "sentences": [s.to_dict() for s in rep.sentences],
                    "features": [_finite(float(v)) for v in x],
                }
            )
        print(f"\r{len(docs)}/{len(texts)} texts, {time.time() - t0:.0f}s", end="", file=sys.stderr)
    print(file=sys.stderr)
    names = [str(n) for n in det.vectorizer.get_feature_names_out()]
    out = {"feature_names": names, "docs": docs}
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    labels: dict[str, int] = {}
    for d in docs:
        labels[d["label"]] = labels.get(d["label"], 0) + 1
    flags = sum(len(d["flags"]) for d in docs)
    print(f"{len(docs)} texts ({labels}), {flags} flags -> {args.out} in {time.time() - t0:.0f}s")


def _diff(a, b, where: str, out: list[str]) -> None:
    """Append a line to ``out`` for every difference between ``a`` and ``b``."""
    if isinstance(a, float) or isinstance(b, float):
        ok = isinstance(a, (int, float)) and isinstance(b, (int, float))
        if not ok or not (abs(a - b) <= TOLERANCE or (a != a and b != b)):
            out.append(f"{where}: {a!r} != {b!r}")
    elif isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{where}.{k}: only in {'new' if k in b else 'old'}")
            else:
                _diff(a[k], b[k], f"{where}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} items != {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b)):
            _diff(x, y, f"{where}[{i}]", out)
    elif a != b:
        out.append(f"{where}: {a!r} != {b!r}")


def compare(args) -> int:
    old = json.loads(Path(args.old).read_text())
    new = json.loads(Path(args.new).read_text())
    diffs: list[str] = []
    _diff(old["feature_names"], new["feature_names"], "feature_names", diffs)
    a = {d["id"]: d for d in old["docs"]}
    b = {d["id"]: d for d in new["docs"]}
    if set(a) != set(b):
        diffs.append(f"texts: {len(set(a) - set(b))} only old, {len(set(b) - set(a))} only new")
    worst = 0.0
    for key in sorted(set(a) & set(b)):
        _diff(a[key], b[key], key, diffs)
        pairs = zip(
            [a[key]["machine"], *a[key]["features"]], [b[key]["machine"], *b[key]["features"]]
        )
        for x, y in pairs:
            if isinstance(x, float) and isinstance(y, float):
                worst = max(worst, abs(x - y))
    n_flags = sum(len(d["flags"]) for d in a.values())
    n_sents = sum(len(d["sentences"]) for d in a.values())
    for line in diffs[:50]:
        print(line)
    print(
        f"{len(a)} texts, {n_flags} flags, {n_sents} sentence reports compared: "
        f"{len(diffs)} differences (max |float difference| {worst:.1e}, tolerance {TOLERANCE:g})"
    )
    return 1 if diffs else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="score the texts and write a dump")
    d.add_argument("--out", required=True)
    d.add_argument("--inputs", help="score the texts of this earlier dump")
    d.add_argument("--jsonl", help="also score the texts of this labelled JSONL file")
    d.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    d.add_argument("--model", default=None)
    d.add_argument("--roundtrip", default=str(ROOT / "data/cache/roundtrip.jsonl"))
    d.add_argument("--n", type=int, default=300, help="texts per public-data source")
    d.add_argument("--seed", type=int, default=0)
    c = sub.add_parser("compare", help="compare two dumps")
    c.add_argument("old")
    c.add_argument("new")
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        dump(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
