"""Measured precision of every rule's flags, as `mtdetect score` shows them, on a held-out split.

Each text of the split is scored with the shipped model (flags after the detector's filters and
the one-flag-per-span merge). A flag is counted

- **false** on a human text (nothing was rewritten there);
- for the spinning rules (kinds ``collocation``, ``name``, ``tortured-phrase`` and the
  distorted-idiom rule) **true** on a spun text when it overlaps a span the spinner changed
  (the corpus records them), false otherwise, and **other** on a translated text;
- for the translation rules (kind ``translation``, the calque rule) **true** on a translated
  text (one-way MT or round trip: the evidence is about the document, no gold spans exist) and
  **other** on a spun text;
- for ``input.obfuscation`` true on any machine text (the corpus has no obfuscated class).

``precision`` = true / (true + false): a flag on a text of the other machine class is wrong
about *how* the text was made but not that it was, so it is reported (``other``) and left out.
The figures depend on the class mix of the split, which is written with them; the false flags
per 1,000 words of human text do not.

    .venv/bin/python -m tools.eval_rules --split test            # prints the table
    .venv/bin/python -m tools.eval_rules --split test --write    # also rule_precision.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import mtdetect
from mtdetect.resources import resource_path
from mtdetect.rules import PRECISION, all_rules

ROOT = Path(__file__).resolve().parents[1]
SPINNING_KINDS = {"collocation", "name", "tortured-phrase"}
SPINNING_RULES = {"idiom.distorted"}


def target(rule_id: str, kind: str) -> str:
    """The class a rule's flags point to: ``spun``, ``translated`` or ``machine``."""
    if rule_id == "input.obfuscation":
        return "machine"
    return "spun" if kind in SPINNING_KINDS or rule_id in SPINNING_RULES else "translated"


def verdict(flag: dict, record: dict) -> str:
    """``true``, ``false`` or ``other`` for one flag on one labelled record."""
    label = record["label"]
    if label == "human":
        return "false"
    want = target(flag["rule"], flag["kind"])
    if want == "machine":
        return "true"
    if want != label:
        return "other"
    if label == "spun" and record.get("spans") is not None:
        hit = any(s < flag["end"] and flag["start"] < e for s, e, *_ in record["spans"])
        return "true" if hit else "false"
    return "true"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test", choices=("valid", "test"))
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "build")
    ap.add_argument("--write", action="store_true", help=f"write resources/{PRECISION}")
    args = ap.parse_args(argv)
    path = args.data / f"{args.split}.jsonl"
    res = run(path, lambda m: print(m, file=sys.stderr, flush=True))
    for rid, m in res["rules"].items():
        p = "n/a" if m["precision"] is None else f"{m['precision']:.3f}"
        print(
            f"{rid:<36} flags {m['flags']:>6}  true {m['true']:>6}  false {m['false']:>5}  "
            f"(on human {m['on_human']:>5}, {m['false_per_1000_human_words']:.3f}/1,000 words)  "
            f"other {m['other']:>5}  precision {p}"
        )
    if args.write:
        out = resource_path(PRECISION)
        out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)


def run(path: Path, log=print) -> dict:
    """The table written to ``rule_precision.json``: per rule, the counts and precision on
    the split at ``path``, with what was measured (split sha256, model sha256, class mix)."""
    det = mtdetect.load_model()
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    counts: dict[str, Counter] = defaultdict(Counter)
    human_words = 0
    t0 = time.time()
    batch = 32
    for i in range(0, len(records), batch):
        part = records[i : i + batch]
        for r, rep in zip(part, det.analyze_many([r["text"] for r in part])):
            if r["label"] == "human":
                human_words += rep.words
            for f in rep.flags:
                v = verdict(f.to_dict(), r)
                counts[f.rule][v] += 1
                if r["label"] == "human":
                    counts[f.rule]["on_human"] += 1
        if (i // batch) % 25 == 0:
            log(f"{i + len(part):,}/{len(records):,} texts, {time.time() - t0:.0f} s")
    known = {r.id for r in all_rules()}
    rules = {}
    for rid in sorted(known | set(counts)):
        c = counts.get(rid, Counter())
        judged = c["true"] + c["false"]
        rules[rid] = {
            "flags": c["true"] + c["false"] + c["other"],
            "true": c["true"],
            "false": c["false"],
            "on_human": c["on_human"],
            "other": c["other"],
            "precision": round(c["true"] / judged, 4) if judged else None,
            "false_per_1000_human_words": round(1000 * c["on_human"] / max(1, human_words), 4),
        }
    return {
        "split": path.stem,
        "split_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "model_sha256": det.card.get("sha256", ""),
        "tool_version": mtdetect.__version__,
        "texts": dict(Counter(r["label"] for r in records)),
        "human_words": human_words,
        "command": f"python -m tools.eval_rules --split {path.stem} --write",
        "rules": rules,
    }


if __name__ == "__main__":
    main()
