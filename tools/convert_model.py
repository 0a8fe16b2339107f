"""Convert a pickle (joblib) model to the JSON model format, and show the conversion changes
nothing: the same labels, ``machine`` and ``scores`` within 1e-12, the same flags and evidence
sentences, on ``samples/*.txt`` and a few hundred texts.

    python -m tools.convert_model OLD.joblib NEW.model.json [--texts data/build/test.jsonl]

The old model is loaded as trusted (it is unpickled: run this only on a model you made). Its
card (``OLD.card.json``) is carried over with the new sha256 and format. Without ``--texts``,
the texts are passages read at run time from the public data (``--data``; WMT22 system outputs
and references, ABC, Brown), never written anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mtdetect.persistence import load_model, save_model

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-12


def data_passages(root: Path, n: int) -> list[str]:
    """About ``n`` passages of 8 consecutive lines: MT, references, original English."""
    from tools import corpus_common as cc

    texts: list[str] = []
    for kind in ("system-outputs", "references"):
        for f in sorted((root / "wmt22" / kind).glob("*-en.*"))[:6]:
            lines = [x.strip() for x in f.read_text(encoding="utf-8").splitlines()]
            for i in range(0, min(len(lines), 8 * (n // 24)), 8):
                texts.append("\n".join(lines[i : i + 8]))
    for d in cc.load_abc(root, cc.DEFAULT_SEED)[:10] + cc.load_brown(root, cc.DEFAULT_SEED)[:40]:
        units = d.units[: 8 * (len(d.units) // 8)]
        texts.extend(" ".join(units[i : i + 8]) for i in range(0, min(len(units), 16), 8))
    return [t for t in texts if len(t.split()) >= 5][:n]


def compare(old, new, texts: list[str], paths: list[str]) -> dict:
    """Largest differences between two detectors' reports of ``texts`` (explain=True)."""
    worst = {"machine": 0.0, "scores": 0.0, "sentence_scores": 0.0}
    diffs: list[str] = []
    for i in range(0, len(texts), 50):
        a = old.analyze_many(texts[i : i + 50], paths[i : i + 50], explain=True)
        b = new.analyze_many(texts[i : i + 50], paths[i : i + 50], explain=True)
        for ra, rb in zip(a, b):
            da, db = ra.to_dict(), rb.to_dict()
            worst["machine"] = max(worst["machine"], abs(ra.machine - rb.machine))
            worst["scores"] = max(
                worst["scores"], max(abs(ra.scores[k] - rb.scores[k]) for k in ra.scores)
            )
            if ra.label != rb.label:
                diffs.append(f"{ra.path}: label {ra.label} → {rb.label}")
            if da["flags"] != db["flags"]:
                diffs.append(f"{ra.path}: flags differ")
            if len(ra.sentences) != len(rb.sentences):
                diffs.append(f"{ra.path}: evidence sentences differ")
                continue
            for sa, sb in zip(ra.sentences, rb.sentences):
                worst["sentence_scores"] = max(worst["sentence_scores"], abs(sa.score - sb.score))
                if (sa.index, sa.reasons) != (sb.index, sb.reasons):
                    diffs.append(f"{ra.path}: evidence sentence {sa.index} differs")
    return {"texts": len(texts), "max_abs_diff": worst, "differences": diffs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("old", type=Path, help="pickle (joblib) model with its card beside it")
    ap.add_argument("new", type=Path, help="JSON model to write (its card is written beside it)")
    ap.add_argument("--texts", type=Path, help="JSONL with a 'text' per line (e.g. test split)")
    ap.add_argument("--data", default=None, help="public data root (default ../shared/data)")
    ap.add_argument("-n", type=int, default=400, help="texts from the data (without --texts)")
    args = ap.parse_args(argv)

    old = load_model(args.old, trust=True)
    save_model(old, args.new)  # the card (NAME.card.json) is carried over, with the new sha256
    new = load_model(args.new)

    samples = sorted((ROOT / "samples").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in samples]
    paths = [str(p.relative_to(ROOT)) for p in samples]
    if args.texts:
        with open(args.texts, encoding="utf-8") as fh:
            recs = [json.loads(line) for line in fh if line.strip()]
        texts += [r["text"] for r in recs]
        paths += [f"{args.texts.name}:{i + 1}" for i in range(len(recs))]
    else:
        from tools import corpus_common as cc

        more = data_passages(cc.data_root(args.data), args.n)
        texts += more
        paths += [f"data:{i}" for i in range(len(more))]
    res = compare(old, new, texts, paths)
    print(json.dumps(res, indent=1))
    ok = not res["differences"] and max(res["max_abs_diff"].values()) <= TOLERANCE
    print(f"{'unchanged' if ok else 'CHANGED'}: {res['texts']} texts, tolerance {TOLERANCE}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
