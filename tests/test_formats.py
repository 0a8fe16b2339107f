"""SARIF (validated against the SARIF 2.1.0 schema) and the HTML page: structure, escaping,
self-containment, --out. The page in a real browser: tests/test_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import cli

from mtdetect import htmlreport, sarif
from mtdetect.findings import Finding, Paragraph, Report

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SPUN = str(SAMPLES / "news-spun.txt")
LITERAL = str(SAMPLES / "idioms-literal.txt")


def _validate(log: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path):
    r = cli(["score", SPUN, LITERAL, str(tmp_path / "nope.txt"), "-f", "sarif"])
    assert r.exit_code == 2
    log = json.loads(r.stdout)
    _validate(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "mtdetect"
    ids = [x["id"] for x in run["tool"]["driver"]["rules"]]
    json_docs = json.loads(cli(["score", SPUN, LITERAL, "-f", "json"]).stdout)
    flags = [f for d in json_docs for f in d["flags"]]
    results = [x for x in run["results"] if not x["ruleId"].startswith("verdict.")]
    assert len(results) == len(flags)
    for res, f in zip(results, flags):
        assert ids[res["ruleIndex"]] == res["ruleId"] == f["rule"]
        assert (
            res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        )
        reg = res["locations"][0]["physicalLocation"]["region"]
        assert (reg["startLine"], reg["startColumn"], reg["charOffset"]) == (
            f["line"],
            f["column"],
            f["start"],
        )
        assert reg["snippet"]["text"] == f["text"]
        if f["suggestion"]:
            fix = res["fixes"][0]["artifactChanges"][0]["replacements"][0]
            assert fix["insertedContent"]["text"] == f["suggestion"]
    verdicts = [x for x in run["results"] if x["ruleId"].startswith("verdict.")]
    assert [v["ruleId"] for v in verdicts] == [
        f"verdict.{d['label']}" for d in json_docs if d["label"] != "human"
    ]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and "no such file" in notes[0]["message"]["text"]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_of_nothing_flagged_is_valid():
    _validate(json.loads(sarif.render([])))


def _report() -> tuple[Report, str]:
    text = "Title <b>&</b>\n\nThe Home voted on Tuesday, said <script>x</script> people.\n"
    i = text.index("Home")
    f = Finding(
        "name.broken",
        "name",
        i,
        i + 4,
        "Home",
        "'Home' where 'House' is <expected>",
        "House",
        0.9,
        3,
        5,
        1,
        "warning",
    )
    paras = [
        Paragraph(1, 1, 0, 14, 3, 0.1, "human"),
        Paragraph(2, 3, 16, len(text) - 1, 9, 0.8, "translated"),
    ]
    rep = Report(
        "a<b>.txt",
        "translated",
        0.8,
        {"human": 0.2, "translated": 0.7, "spun": 0.1},
        True,
        12,
        0.5,
        [f],
        [],
        paras,
        "0.1.0",
        "ab" * 32,
    )
    return rep, text


def test_html_escapes_input_and_is_self_contained():
    rep, text = _report()
    page = htmlreport.render([(rep, text)], [("bad<1>.txt", "no such file")])
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "&lt;script&gt;" in page and "a&lt;b&gt;.txt" in page and "bad&lt;1&gt;.txt" in page
    # nothing loaded from elsewhere: no src/href to another document, no @import, no url()
    assert not re.search(r"""(src|href)=["'](?!#)""", page)
    assert "@import" not in page and "url(" not in page
    # the flagged span: focusable, described by its note (reason and suggestion)
    m = re.search(
        r'<mark class="flag sev-warning" id="d0-f0" tabindex="0" '
        r'aria-describedby="d0-t0">Home<span class="tip" role="tooltip" id="d0-t0">'
        r"(.*?)</span></mark>",
        page,
    )
    assert m and "&lt;expected&gt;" in m.group(1) and "Suggest: House" in m.group(1)
    # the paragraph strip links to each paragraph
    assert 'href="#d0-p1"' in page and 'href="#d0-p2"' in page and 'id="d0-p2"' in page


def test_html_page_of_the_samples_and_out_file(tmp_path):
    out = tmp_path / "report.html"
    rt = str(SAMPLES / "farming-roundtrip.txt")  # labelled translated: it has evidence
    r = cli(["score", rt, LITERAL, "-f", "html", "--out", str(out)])
    assert r.exit_code == 1 and r.stdout == ""
    page = out.read_text(encoding="utf-8")
    n_flags = sum(
        len(d["flags"]) for d in json.loads(cli(["score", rt, LITERAL, "-f", "json"]).stdout)
    )
    assert page.count('<mark class="flag') == n_flags
    assert page.count('class="doc"') == 2 and "Evidence" in page
    # never overwrites: an existing file, or an input
    again = cli(["score", SPUN, "-f", "html", "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert out.read_text(encoding="utf-8") == page
    same = cli(["score", SPUN, "-f", "html", "--out", SPUN])
    assert same.exit_code == 2 and "one of the inputs" in same.stderr
    # standard output by default
    assert cli(["score", SPUN, "-f", "html"]).stdout.startswith("<!DOCTYPE html>")
