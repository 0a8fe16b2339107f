"""Reports as SARIF 2.1.0 (the format code-review and CI tools read, e.g. code scanning).

One run: the tool with every rule (id, what it catches, default level from its severity, the
measured precision as a property), one result per flag (its span as a region with line, column
and character offsets, the suggestion as a fix), one result per document whose verdict is not
human (rule ``verdict.translated`` / ``verdict.spun``, on the document), and one notification
per input that could not be read. Levels: ``error`` → error, ``warning`` → warning, ``info``
→ note.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from mtdetect.findings import Finding, Report
from mtdetect.rules import all_rules, precision
from mtdetect.version import __version__

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
VERDICTS = {
    "translated": "the document as a whole reads as machine-translated",
    "spun": "the document as a whole reads as spun (words swapped for synonyms by a program)",
}


def render(reports: Sequence[Report], errors: Sequence[tuple[str, str]] = ()) -> str:
    """The SARIF log of a run over ``reports`` (``errors``: (path, message) of unread inputs)."""
    rules = [_rule(r) for r in all_rules()] + [_verdict_rule(k, v) for k, v in VERDICTS.items()]
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for rep in reports:
        uri = _uri(rep.path)
        if rep.label in VERDICTS:
            results.append(_verdict(rep, uri, index))
        results += [_result(f, uri, index) for f in rep.flags]
    run = {
        "tool": {
            "driver": {
                "name": "mtdetect",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": message},
                        "locations": [_file_location(_uri(path))],
                    }
                    for path, message in errors
                ],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if reports and reports[0].model_sha256:
        run["properties"] = {"model_sha256": reports[0].model_sha256}
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False)


def _rule(r) -> dict:
    m = precision(r.id) or {}
    props = {"kind": r.kind, "severity": r.severity}
    if m.get("precision") is not None:
        props["precision"] = m["precision"]
    out = {
        "id": r.id,
        "name": r.id.replace(".", "-"),
        "shortDescription": {"text": f"flags {r.catches}"[:200]},
        "fullDescription": {"text": f"Flags {r.catches}."},
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": props,
    }
    if r.flags:
        out["help"] = {"text": f"Example it flags: {r.flags[0]}"}
    return out


def _verdict_rule(label: str, text: str) -> dict:
    return {
        "id": f"verdict.{label}",
        "name": f"verdict-{label}",
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": "error"},
    }


def _result(f: Finding, uri: str, index: dict) -> dict:
    msg = f.reason + (f" (suggest: {f.suggestion})" if f.suggestion else "")
    region = _region(f)
    out = {
        "ruleId": f.rule,
        "ruleIndex": index.get(f.rule, -1),
        "level": LEVEL.get(f.severity, "warning"),
        "message": {"text": msg},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "properties": {"score": round(f.score, 4), **({"also": list(f.also)} if f.also else {})},
    }
    if out["ruleIndex"] < 0:
        del out["ruleIndex"]
    if f.suggestion:
        out["fixes"] = [
            {
                "description": {"text": f"replace with '{f.suggestion}'"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "charOffset": f.start,
                                    "charLength": f.end - f.start,
                                },
                                "insertedContent": {"text": f.suggestion},
                            }
                        ],
                    }
                ],
            }
        ]
    return out


def _verdict(rep: Report, uri: str, index: dict) -> dict:
    rid = f"verdict.{rep.label}"
    return {
        "ruleId": rid,
        "ruleIndex": index[rid],
        "level": "error",
        "message": {
            "text": f"{rep.path} reads as {rep.label} (machine {rep.machine:.2f}, threshold "
            f"{rep.threshold:.2f}; {rep.words} words)" + (f": {rep.basis}" if rep.basis else "")
        },
        "locations": [_file_location(uri)],
        "properties": {"machine": round(rep.machine, 4), "scores": rep.scores},
    }


def _region(f: Finding) -> dict:
    lines = f.text.split("\n")
    end_line = f.line + len(lines) - 1
    end_col = (f.column + len(f.text)) if len(lines) == 1 else len(lines[-1]) + 1
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": f.start,
        "charLength": f.end - f.start,
        "snippet": {"text": f.text},
    }


def _file_location(uri: str) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": uri}}}


def _uri(path: str) -> str:
    """A relative URI reference for ``path`` (standard input: ``stdin``)."""
    if path == "-":
        return "stdin"
    p = Path(path)
    return quote(p.as_posix()) if not p.is_absolute() else p.as_uri()
