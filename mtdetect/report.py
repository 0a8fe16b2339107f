"""Renderers: reports → JSON, JSONL (text for a person: :mod:`mtdetect.terminal`); label rows →
CSV/JSONL; evaluation figures → text. No analysis here."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence

from mtdetect.findings import Report, SentenceReport

_MODEL_REASON = re.compile(
    r"this sentence alone reads as (\w+) \(model score ([\d.]+)\)(?:, driven mostly by (.*))?"
)
_PAREN = re.compile(r"\s*\([^()]*\)")


def plain_reason(reason: str, said: set[str] | None = None) -> str:
    """A sentence reason said briefly: the model's own reading of a sentence
    (:mod:`mtdetect.explain`) without the parenthesised detail a family may add, and, when
    ``said`` already holds its "mostly from …" part (added to it here), without that either:
    the evidence sentences of a document mostly share it."""
    m = _MODEL_REASON.fullmatch(reason.rstrip("."))
    if not m:
        return reason.rstrip(".")
    label, p, why = m.groups()
    why = _PAREN.sub("", why or "")
    head = f"reads as {label} on its own ({p})"
    if not why:
        return head
    if said is not None:
        if why in said:
            return head + ", for the same reasons"
        said.add(why)
    return f"{head}, mostly from {why}"


def evidence(report: Report) -> list[tuple[SentenceReport, list[str]]]:
    """The evidence sentences of a non-human verdict, each with the reasons that a flag of the
    report does not already give (said briefly, and each once); sentences left with none are
    left out."""
    if report.label == "human":
        return []
    shown = {f.reason for f in report.flags}
    said: set[str] = set()
    out = []
    for s in report.sentences:
        reasons = [plain_reason(r, said) for r in s.reasons if r not in shown]
        if reasons:
            out.append((s, reasons))
    return out


LABEL_COLUMNS = (
    "path",
    "label",
    "machine",
    "human",
    "translated",
    "spun",
    "words",
    "reliable",
    "flags",
    "error",
)


def render_json(entries: Iterable[Report | tuple[str, str]]) -> str:
    """One array, in input order: a document object per report, ``{path, error}`` per
    ``(path, error)`` of an input that could not be read."""
    docs = [
        e.to_dict() if isinstance(e, Report) else {"path": e[0], "error": e[1]} for e in entries
    ]
    return json.dumps(docs, indent=2, ensure_ascii=False)


def render_error_line(path: str, error: str) -> str:
    """The JSONL line of an input that could not be read."""
    return json.dumps({"path": path, "error": error}, ensure_ascii=False)


def render_jsonl_line(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False)


def label_row(path: str, report: Report | None = None, error: str = "") -> dict:
    """One row of ``mtdetect label`` output; scores empty when there is an error."""
    if report is None:
        return {
            "path": path,
            "label": "",
            "machine": "",
            "human": "",
            "translated": "",
            "spun": "",
            "words": "",
            "reliable": "",
            "flags": "",
            "error": error,
        }
    return {
        "path": path,
        "label": report.label,
        "machine": round(report.machine, 4),
        "human": round(report.scores["human"], 4),
        "translated": round(report.scores["translated"], 4),
        "spun": round(report.scores["spun"], 4),
        "words": report.words,
        "reliable": report.reliable,  # False: too short to judge reliably
        "flags": len(report.flags),
        "error": error,
    }


def csv_header(columns: tuple[str, ...] = LABEL_COLUMNS) -> str:
    return _csv_line(columns)


def csv_row(row: dict, columns: tuple[str, ...] = LABEL_COLUMNS) -> str:
    return _csv_line([_csv_value(row[k]) for k in columns])


def _csv_value(v):
    return ("true" if v else "false") if isinstance(v, bool) else v


def _csv_line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def jsonl_row(row: dict, columns: tuple[str, ...] = LABEL_COLUMNS) -> str:
    return (
        json.dumps({k: (None if row[k] == "" else row[k]) for k in columns}, ensure_ascii=False)
        + "\n"
    )


def render_evaluation(res: dict) -> str:
    """The figures of ``mtdetect evaluate`` (see :func:`mtdetect.evaluate.evaluate`) as text."""
    lines = []

    def block(name: str, m: dict) -> None:
        def f(x):
            return "  n/a" if x is None else f"{x:.3f}"

        lines.append(f"== {name} ==")
        lines.append(
            f"n={m['n']}  accuracy {f(m['accuracy'])}  macro-F1 {f(m['macro_f1'])}  "
            f"AUROC(machine) {f(m['auroc'])}  FPR(human) {f(m['false_positive_rate'])}  "
            f"threshold {m['threshold']:.4f}"
        )
        if m.get("auroc_probability") is not None:
            lines.append(
                f"  AUROC(machine) ranks by the decision margin; by P(machine) = 1 - P(human): "
                f"{f(m['auroc_probability'])}"
            )
        for length, ts in (m.get("class_thresholds") or {}).items():
            lines.append(
                f"  per-class log-odds thresholds ({length}): "
                + ", ".join(f"{c} {t:.2f}" for c, t in ts.items())
            )
        for lab, c in m["per_class"].items():
            lines.append(
                f"  {lab:<11} P {c['precision']:.3f}  R {c['recall']:.3f}  "
                f"F1 {c['f1']:.3f}  n={c['support']}"
            )
        cm = m["confusion_matrix"]
        lines.append("  confusion (rows true, cols predicted): " + " ".join(cm["labels"]))
        for lab, row in zip(cm["labels"], cm["matrix"]):
            lines.append(f"    {lab:<11} " + " ".join(f"{v:>6}" for v in row))
        for kind, groups in m.get("breakdown", {}).items():
            if kind in ("paired", "paired_probability"):
                score = "decision margin" if kind == "paired" else "P(machine) = 1 - P(human)"
                if "paired_probability" not in m.get("breakdown", {}):
                    score = "machine score"
                lines.append(
                    "  paired AUROC (machine subset vs the human versions of the same passages; "
                    f"by {score}; [95% interval, bootstrap over source passages]):"
                )
                for k, g in groups.items():
                    cells = "  ".join(
                        f"{tag} {v['auroc']:.3f}{interval_text(v.get('ci95'))} "
                        f"(n={v['n_machine']}+{v['n_human']})"
                        for tag, v in g.items()
                    )
                    lines.append(f"    {k:<28} {cells}")
                continue
            lines.append(f"  by {kind}:")
            for k, g in groups.items():
                lines.append(
                    f"    {k:<28} n={g['n']:<6} acc {f(g['accuracy'])}  AUROC {f(g['auroc'])}  "
                    f"FPR {f(g['false_positive_rate'])}  detect {f(g['detection_rate'])}"
                )

    block("model", res)
    if res.get("machine_thresholds"):
        lines.append(
            "  default cut on machine (calibrated P(not human)) by length: "
            + ", ".join(f"{b} {t:.3f}" for b, t in res["machine_thresholds"].items())
        )
    for part, cal in (res.get("calibration") or {}).items():
        if not cal.get("n") or cal.get("ece") is None:
            continue
        lines.append(
            f"  calibration of machine as P(not human), {part} (n={cal['n']}): "
            f"expected calibration error {cal['ece']:.3f}, human and machine texts weighted "
            "equally; reliability (bin: texts, mean machine -> share machine-made):"
        )
        lines.append(
            "    "
            + "  ".join(
                f"{b['lo']:.1f}-{b['hi']:.1f}: {b['n']}, {b['mean']:.2f}->{b['share_machine']:.2f}"
                for b in cal["bins"]
            )
        )
    if "typography" in res:
        t = res["typography"]
        lines.append(
            f"typography check ({t['note']}): max |Δscore| "
            f"{t['max_abs_score_change']:.2e}, accuracy {t['accuracy']:.3f}, "
            f"AUROC {t['auroc'] if t['auroc'] is None else round(t['auroc'], 3)}"
        )
    if "baseline" in res:
        block("baseline: char 1-4-gram TF-IDF + logistic regression", res["baseline"])
    return "\n".join(lines)


def interval_text(ci: Sequence[float] | None) -> str:
    """A 95% interval (``mtdetect.evaluate.auroc_ci``) as " [lo, hi]", or "" when there is none."""
    return f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
