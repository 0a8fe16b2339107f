"""Verdicts people can trust and reports they can act on (issue 20): severity and --fail-on,
one flag per span, where in a document the machine text is, readable text output,
configuration, inline directives, Markdown, the small things. CLI and API side by side."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ARTICLE, cli

import mtdetect
from mtdetect import config, markup, paragraphs, rules, terminal
from mtdetect.findings import SEVERITIES, Finding, Paragraph, Report
from mtdetect.review import fails
from mtdetect.spanmerge import merge

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
#: Two sentences we wrote around four listed tortured phrases (the issue's example).
TORTURED = (
    "The startup says its counterfeit consciousness can read a scan for bosom peril in "
    "seconds, and its engineers measured the flag to commotion proportion of every sensor. "
    "The irregular woodland model they trained last year is now used in three hospitals, "
    "and the team expects to hire ten more people before the end of the summer."
)


@pytest.fixture(scope="module")
def shipped():
    return mtdetect.load_model()


def _flag(rule, start, end, severity, score, suggestion=None, text="x"):
    return Finding(
        rule, "k", start, end, text, f"{rule} reason", suggestion, score, severity=severity
    )


# -- 2. severity, --fail-on, one flag per span ------------------------------------------------


def test_every_rule_has_a_severity_and_its_findings_carry_it(shipped):
    assert all(r.severity in SEVERITIES for r in rules.all_rules())
    rep = mtdetect.analyze(TORTURED, shipped)
    pps = [f for f in rep.flags if f.rule == "tortured-phrase.pps"]
    assert len(pps) >= 3 and all(f.severity == "error" for f in pps)
    for f in rep.flags:
        assert f.severity == rules.rule(f.rule).severity


def test_fail_on_decides_the_exit_status_from_flags(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text(TORTURED, encoding="utf-8")
    docs = json.loads(cli(["score", str(p), "-f", "json", "--fail-on", "never"]).stdout)
    machine = int(docs[0]["label"] != "human")
    assert {f["severity"] for f in docs[0]["flags"]} >= {"error"}
    assert cli(["score", str(p), "--fail-on", "never"]).exit_code == machine
    assert cli(["score", str(p), "--fail-on", "error"]).exit_code == 1
    assert cli(["score", str(p)]).exit_code == 1  # default: error
    assert cli(["score", str(p), "--fail-on", "bogus"]).exit_code == 2


def test_fails_api():
    rep = Report("a", "human", 0.1, {}, True, 100, 0.5, [_flag("r", 0, 1, "warning", 0.9)])
    assert fails(rep, "warning") and not fails(rep, "error") and not fails(rep, "never")
    rep.label = "spun"
    assert fails(rep, "never")


def test_merge_keeps_the_best_supported_flag_per_span():
    # 'counterfeit' alone (swap rule, "false") inside the listed 'counterfeit consciousness'
    swap = _flag("collocation.synonym-swap", 4, 15, "warning", 0.9, "false")
    listed = _flag("tortured-phrase.pps", 4, 29, "error", 0.95, "artificial intelligence")
    other = _flag("name.broken", 40, 45, "warning", 0.7, "House")
    out = merge([swap, other, listed])
    assert [(f.rule, f.suggestion) for f in out] == [
        ("tortured-phrase.pps", "artificial intelligence"),
        ("name.broken", "House"),
    ]
    assert out[0].also == ("collocation.synonym-swap",)
    # a sentence-wide weak flag never swallows two separate word flags
    sent = _flag("translation.phrasing", 0, 60, "info", 0.3)
    out = merge([sent, swap, other])
    assert [f.rule for f in out] == ["collocation.synonym-swap", "name.broken"]
    assert out[0].also == ("translation.phrasing",)
    # same span, kept flag has no suggestion: the absorbed one's is taken
    a = _flag("a.rule", 0, 5, "error", 0.9)
    b = _flag("b.rule", 0, 5, "info", 0.3, "fix")
    assert merge([a, b])[0].suggestion == "fix"


def test_a_rule_turned_off_gives_back_the_flags_it_absorbed():
    from mtdetect.review import keep_flags

    text = "The counterfeit consciousness of the White Home."
    swap = _flag("collocation.synonym-swap", 4, 15, "warning", 0.9, "false", "counterfeit")
    listed = _flag(
        "tortured-phrase.pps", 4, 29, "error", 0.95, "artificial intelligence",
        "counterfeit consciousness",
    )  # fmt: skip
    merged = merge([swap, listed])
    rep = Report("-", "human", 0.1, {}, True, 8, 0.5, merged, [])
    on = keep_flags(rep, markup.mask(text), config.Config())
    assert [(f.rule, f.also) for f in on.flags] == [
        ("tortured-phrase.pps", ("collocation.synonym-swap",))
    ]
    off = keep_flags(rep, markup.mask(text), config.Config(ignore=("tortured-phrase",)))
    assert [(f.rule, f.suggestion, f.also) for f in off.flags] == [
        ("collocation.synonym-swap", "false", ())
    ]
    swap_off = keep_flags(rep, markup.mask(text), config.Config(ignore=("collocation",)))
    assert [(f.rule, f.also) for f in swap_off.flags] == [("tortured-phrase.pps", ())]
    assert "absorbed" not in merged[0].to_dict()


def test_one_flag_per_span_on_real_text(shipped):
    rep = mtdetect.analyze(TORTURED, shipped)
    spans = sorted((f.start, f.end) for f in rep.flags)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))
    cc = next(f for f in rep.flags if f.text == "counterfeit consciousness")
    assert cc.suggestion == "artificial intelligence"
    assert not any(f.suggestion == "false" for f in rep.flags)


def test_rules_command_shows_severity_example_and_measured_precision():
    r = cli(["rules", "--color", "never"])
    assert r.exit_code == 0
    for rule in rules.all_rules():
        assert rule.id in r.stdout
    assert "precision" in r.stdout and "held-out" in r.stdout
    one = cli(["rules", "tortured-phrase.pps", "--color", "never"]).stdout
    assert "error" in one and "example it flags" in one and "counterfeit consciousness" in one
    assert re.search(r"precision \d+%", one) and "measured on the test split" in one
    docs = json.loads(cli(["rules", "-f", "json"]).stdout)
    assert {d["id"] for d in docs} == {r.id for r in rules.all_rules()}
    measured = [d for d in docs if d["measured"]]
    assert measured and all(0 <= d["measured"]["true"] <= d["measured"]["flags"] for d in measured)
    assert cli(["rules", "no.such-rule"]).exit_code == 2


def test_precision_table_is_of_declared_rules():
    table = rules.measured()
    assert table["split"] == "test" and table["model_sha256"]
    assert set(table["rules"]) <= {r.id for r in rules.all_rules()}
    for m in table["rules"].values():
        judged = m["true"] + m["false"]
        assert m["precision"] is None or m["precision"] == pytest.approx(m["true"] / judged, 1e-3)


# -- 3. where it is ---------------------------------------------------------------------------


def _mixed() -> str:
    """Six human paragraphs we wrote, then the round-tripped farming sample."""
    text = (SAMPLES / "mixed-allotments.txt").read_text(encoding="utf-8")
    assert text.endswith((SAMPLES / "farming-roundtrip.txt").read_text(encoding="utf-8"))
    return text


def test_paragraph_spans_and_stretches():
    text = "One two.\n\n  \n\nThree four five.\nSix.\n\n---\n\nSeven"
    assert [text[s:e] for s, e in paragraphs.spans(text)] == [
        "One two.",
        "Three four five.\nSix.",
        "Seven",
    ]

    def p(i, label, words=50):
        return Paragraph(i, i, 0, 1, words, 0.9 if label != "human" else 0.1, label)

    ps = [
        p(1, "human"),
        p(2, "translated"),
        p(3, "translated", 5),
        p(4, "translated"),
        p(5, "human"),
        p(6, "spun"),
    ]
    assert paragraphs.stretches(ps) == [(2, 4, "translated"), (6, 6, "spun")]
    assert paragraphs.summary(ps) == (
        "paragraphs 2–4 read as translated; paragraph 6 reads as spun"
    )
    assert paragraphs.stretches([p(1, "translated"), p(2, "translated")]) == []  # not mixed


def test_mixed_document_names_the_translated_paragraph(tmp_path, shipped):
    text = _mixed()
    rep = mtdetect.analyze(text, shipped)
    assert len(rep.paragraphs) == 7
    assert [p.label for p in rep.paragraphs[:6]] == ["human"] * 6
    assert rep.paragraphs[6].label == "translated" and rep.paragraphs[6].line == 13
    for p in rep.paragraphs:
        assert text[p.start : p.end].strip() == text[p.start : p.end]
    f = tmp_path / "mixed.txt"
    f.write_text(text, encoding="utf-8")
    out = cli(["score", str(f), "--color", "never"]).stdout
    assert "paragraph 7 reads as translated" in out
    doc = json.loads(cli(["score", str(f), "-f", "json"]).stdout)[0]
    assert [
        set(p) >= {"index", "line", "start", "end", "machine", "label"} for p in doc["paragraphs"]
    ] == [True] * 7
    assert doc["paragraphs"][6]["label"] == "translated"


def test_translation_flags_point_at_the_words_their_reason_names(shipped):
    text = (SAMPLES / "farming-roundtrip.txt").read_text(encoding="utf-8")
    rep = mtdetect.analyze(text, shipped)
    tr = [f for f in rep.flags if f.kind == "translation"]
    assert tr
    for f in tr:
        sent = (
            next(s for s in rep.sentences if s.start <= f.start < s.end) if rep.sentences else None
        )
        assert f.reason.startswith(f"'{f.text}' ") or f.reason.startswith("this sentence")
        if sent is not None and f.reason.startswith("'"):
            assert f.end - f.start < sent.end - sent.start
        assert "log-odds" not in f.reason


# -- 4. readable text output ------------------------------------------------------------------


def test_text_output_wrapped_grouped_and_said_once(tmp_path):
    paths = [
        str(SAMPLES / n) for n in ("news-spun.txt", "idioms-literal.txt", "farming-roundtrip.txt")
    ]
    r = cli(["score", *paths, "--color", "never"], env={"COLUMNS": "72"})
    lines = r.stdout.splitlines()
    assert all(len(ln) <= 72 for ln in lines), max(lines, key=len)
    assert "paragraph 2 (line 3)" in r.stdout  # grouped by paragraph
    flat = " ".join(r.stdout.split())
    assert "log-odds" not in flat and "'that', 'The', 'of'" not in flat
    for reason in re.findall(r"English says '[^']+'", flat):  # each reason said once
        assert flat.count(reason) <= 2  # "English says X" names X once per calque + idiom
    calque = "German idiom rendered word for word"
    assert flat.count(calque) == 1
    assert "'beat around the bush' → beat around the bush" not in flat  # said once, not twice
    assert "→ is blind to the obvious" in flat  # a suggestion the reason does not quote
    assert re.search(r"\d+:\d+ (error|warning|info) ", flat)


def test_a_reason_and_an_explanation_are_said_once_per_document():
    from mtdetect.findings import SentenceReport

    def choice(start, words):
        reason = f"'{words}' is a choice of words machine translation favours"
        return Finding(
            "translation.word_choice", "translation", start, start + len(words), words, reason,
            None, 0.3, line=1, column=start + 1, severity="info",
        )  # fmt: skip

    why = "this sentence alone reads as translated (model score {:.2f}), driven mostly by X and Y"
    sents = [
        SentenceReport(i, 1, 40 * i, 40 * i + 30, f"Sentence {i}.", 0.9, (why.format(0.9),))
        for i in range(3)
    ]
    flags = [choice(3, "an article"), choice(50, "the judgment")]
    scores = {"human": 0.1, "translated": 0.8, "spun": 0.1}
    rep = Report("a.txt", "translated", 0.9, scores, True, 120, 0.5, flags, sents)
    out = " ".join(terminal.render(rep, terminal.Style(False, 200)).split())
    assert out.count("is a choice of words") == 1
    assert "'the judgment': same reason as 1:4" in out
    assert out.count("mostly from X and Y") == 1 and out.count("for the same reasons") == 2


def test_colour_only_when_wanted(tmp_path):
    p = str(SAMPLES / "news-spun.txt")
    assert "\x1b[" in cli(["score", p, "--color", "always"]).stdout
    assert "\x1b[" not in cli(["score", p, "--color", "never"]).stdout
    assert "\x1b[" not in cli(["score", p]).stdout  # auto, not a terminal
    assert terminal.style("auto", isatty=True, env={}).color
    assert not terminal.style("auto", isatty=True, env={"NO_COLOR": "1"}).color
    assert terminal.style("always", isatty=False, env={"NO_COLOR": "1"}).color
    assert not terminal.style("never", isatty=True, env={}).color


def test_quiet_and_statistics():
    paths = [str(SAMPLES / n) for n in ("news-spun.txt", "news-human.txt")]
    q = cli(["score", *paths, "-q", "--color", "never"], env={"COLUMNS": "200"})
    assert (
        q.stdout.splitlines() == [ln for ln in q.stdout.splitlines() if ln.startswith(tuple(paths))]
        and len(q.stdout.splitlines()) == 2
    )
    s = cli(["score", *paths, "--statistics", "--color", "never"], env={"COLUMNS": "200"})
    stats = re.findall(r"^\s+(\d+)\s+(\w+)\s+([\w.\-]+)", s.stdout, re.MULTILINE)
    doc = json.loads(cli(["score", *paths, "-f", "json"]).stdout)
    want = {}
    for d in doc:
        for f in d["flags"]:
            want[f["rule"]] = want.get(f["rule"], 0) + 1
    assert {rule: int(n) for n, _, rule in stats} == want
    qs = cli(["score", *paths, "-q", "--statistics", "--color", "never"], env={"COLUMNS": "200"})
    assert qs.stdout.splitlines()[:2] == q.stdout.splitlines()
    assert re.findall(r"^\s+(\d+)\s+(\w+)\s+([\w.\-]+)", qs.stdout, re.MULTILINE) == stats


# -- 5. formats (JSON here; SARIF and HTML in test_formats.py) ---------------------------------


def test_json_documents_carry_provenance_and_errors(tmp_path, tiny_model_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    m = ["--model", str(tiny_model_path)]
    r = cli(["score", str(good), str(tmp_path / "nope.txt"), "-f", "jsonl", *m])
    lines = [json.loads(ln) for ln in r.stdout.splitlines()]
    assert r.exit_code == 2 and len(lines) == 2
    assert lines[0]["tool_version"] == mtdetect.__version__
    assert len(lines[0]["model_sha256"]) == 64 and lines[0]["threshold"] == 0.5
    assert lines[1] == {
        "path": str(tmp_path / "nope.txt"),
        "error": f"{tmp_path / 'nope.txt'}: no such file",
    }
    r = cli(["score", str(tmp_path / "nope.txt"), "-f", "json", *m])
    assert r.exit_code == 2 and json.loads(r.stdout) == [
        {"path": str(tmp_path / "nope.txt"), "error": f"{tmp_path / 'nope.txt'}: no such file"}
    ]
    r = cli(["score", str(tmp_path / "nope.txt"), str(good), "-f", "json", *m])
    docs = json.loads(r.stdout)  # in input order, as in JSONL
    assert [d["path"] for d in docs] == [str(tmp_path / "nope.txt"), str(good)]
    assert "error" in docs[0] and docs[1]["label"] in ("human", "translated", "spun")


# -- 6. configuration ------------------------------------------------------------------------


def test_config_found_upward_and_checked(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mtdetect]\nthreshold = 0.3\nfail-on = "warning"\nignore = ["name"]\n'
        'accept = ["Metropolis"]\nexclude = ["drafts/**"]\n',
        encoding="utf-8",
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert config.find(deep) == tmp_path / "pyproject.toml"
    cfg = config.load(config.find(deep))
    assert (cfg.threshold, cfg.fail_on, cfg.ignore, cfg.accept, cfg.exclude) == (
        0.3,
        "warning",
        ("name",),
        ("Metropolis",),
        ("drafts/**",),
    )
    (tmp_path / "a" / ".mtdetect.toml").write_text("select = ['collocation']\n", "utf-8")
    assert config.find(deep) == tmp_path / "a" / ".mtdetect.toml"
    for bad, msg in (
        ("threshold = 2", "threshold: must be a number in [0, 1]"),
        ("fail-on = 'sometimes'", "fail-on: must be one of"),
        ("select = ['nosuch']", "is not a rule id or a prefix"),
        ("colour = 'red'", "unknown key 'colour'"),
        ("select = [", "not valid TOML"),
    ):
        f = tmp_path / f"bad{abs(hash(bad))}.toml"
        f.write_text(bad, encoding="utf-8")
        with pytest.raises(mtdetect.InputError, match=re.escape(msg)):
            config.load(f)
        r = cli(["score", str(SAMPLES / "news-human.txt"), "--config", str(f)])
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1 and msg in r.stderr


def test_config_selects_accepts_and_sets_threshold_and_fail_on(tmp_path, monkeypatch):
    spun = str(SAMPLES / "news-spun.txt")
    base = json.loads(cli(["score", spun, "-f", "json", "--no-config"]).stdout)[0]
    rules_seen = {f["rule"] for f in base["flags"]}
    assert {"name.broken", "collocation.synonym-swap"} <= rules_seen
    (tmp_path / ".mtdetect.toml").write_text(
        'ignore = ["name"]\naccept = ["Metropolis"]\nthreshold = 0.2\nfail-on = "never"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    r = cli(["score", spun, "-f", "json"])
    doc = json.loads(r.stdout)[0]
    assert doc["threshold"] == 0.2 and doc["machine"] == base["machine"]
    assert not any(f["rule"].startswith("name") for f in doc["flags"])
    assert not any(f["text"] == "Metropolis" for f in doc["flags"])
    assert any(f["text"] == "stated" for f in doc["flags"])
    assert r.exit_code == int(doc["label"] != "human")  # fail-on never: the verdict decides
    # the command line wins over the file; --no-config ignores it
    r = cli(["score", spun, "-f", "json", "--select", "name", "--threshold", "0.5"])
    doc = json.loads(r.stdout)[0]
    assert doc["threshold"] == 0.5 and {f["rule"] for f in doc["flags"]} == {"name.broken"}
    doc = json.loads(cli(["score", spun, "-f", "json", "--no-config"]).stdout)[0]
    assert doc["flags"] == base["flags"]
    # the API takes the same settings
    text = (SAMPLES / "news-spun.txt").read_text(encoding="utf-8")
    rep = mtdetect.analyze(text, config=config.load())
    assert rep.threshold == 0.2 and not any(f.rule.startswith("name") for f in rep.flags)


def test_rule_selection_as_ruff_does_it():
    assert rules.enabled("translation.pattern")
    assert not rules.enabled("translation.pattern", ignore=["translation"])
    assert rules.enabled("translation.pattern", ["translation.pattern"], ["translation"])
    assert not rules.enabled("translation.pattern", ["translation"], ["translation.pattern"])
    assert not rules.enabled("name.broken", select=["translation"])
    with pytest.raises(mtdetect.InputError):
        rules.check_selectors(["bogus"], "select")


def test_label_skips_hidden_environments_node_modules_and_excluded(tmp_path, tiny_model_path):
    for rel in (
        "a.txt",
        "drafts/b.txt",
        ".venv/lib/c.txt",
        "node_modules/x/d.txt",
        ".git/e.txt",
        "env/lib/h.txt",
        "pkg.egg-info/SOURCES.txt",
        "keep/f.txt",
        "keep/g.draft.txt",
    ):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")  # a venv named env
    (tmp_path / ".mtdetect.toml").write_text('exclude = ["drafts/**"]\n', encoding="utf-8")
    m = ["--model", str(tiny_model_path), "--config", str(tmp_path / ".mtdetect.toml")]
    r = cli(["label", str(tmp_path), "-f", "jsonl", *m, "--exclude", "*.draft.txt"])
    got = sorted(os.path.relpath(json.loads(ln)["path"], tmp_path) for ln in r.stdout.splitlines())
    assert got == ["a.txt", "keep/f.txt"]


# -- inline directives and Markdown ------------------------------------------------------------


def test_directives_turn_scoring_off_and_ignore_rules(shipped, tmp_path):
    para = "The startup says its counterfeit consciousness reads every scan in seconds."
    text = (
        f"{ARTICLE}\n<!-- mtdetect off -->\n{para}\n<!-- mtdetect on -->\n\n"
        f"<!-- mtdetect ignore tortured-phrase -->\n{para}\n\n{para}\n"
    )
    m = markup.mask(text)
    first = text.index(para)
    assert len(m.text) == len(text) and not m.text[first : first + len(para)].strip()
    rep = mtdetect.analyze(text, shipped)
    cc = [f for f in rep.flags if f.text == "counterfeit consciousness"]
    assert len(cc) == 1 and cc[0].start == text.rindex("counterfeit consciousness")
    for f in rep.flags:
        assert text[f.start : f.end] == f.text
    p = tmp_path / "d.txt"
    p.write_text(text, encoding="utf-8")
    doc = json.loads(cli(["score", str(p), "-f", "json"]).stdout)[0]
    assert [f["start"] for f in doc["flags"] if f["rule"] == "tortured-phrase.pps"] == [cc[0].start]


def test_markdown_code_urls_and_front_matter_are_not_scored(shipped, tmp_path):
    phrase = "counterfeit consciousness"
    md = (
        f"---\ntitle: {phrase}\n---\n\n# Notes\n\n"
        f"Run `{phrase}` or read https://example.org/{phrase.replace(' ', '-')} first.\n\n"
        f"```\n{phrase} in a code block\n```\n\n"
        f"<!-- {phrase} -->\n\nOur {phrase} ranks every image on the site in seconds.\n"
    )
    m = markup.mask(md, markdown=True)
    assert len(m.text) == len(md) and m.text.count("\n") == md.count("\n")
    assert m.text.count(phrase) == 1
    rep = mtdetect.analyze(md, shipped, path="notes.md")
    hits = [f for f in rep.flags if f.rule == "tortured-phrase.pps"]
    assert [f.start for f in hits] == [md.rindex(phrase)]
    assert all(md[f.start : f.end] == f.text for f in rep.flags)
    p = tmp_path / "notes.md"
    p.write_text(md, encoding="utf-8")
    doc = json.loads(cli(["score", str(p), "-f", "json"]).stdout)[0]
    assert [f["start"] for f in doc["flags"] if f["rule"] == "tortured-phrase.pps"] == [
        md.rindex(phrase)
    ]
    both = json.loads(cli(["score", str(p), "-f", "json", "--no-markdown"]).stdout)[0]
    assert len([f for f in both["flags"] if f["rule"] == "tortured-phrase.pps"]) > 1
    # label masks Markdown too: the same scores as score
    row = json.loads(cli(["label", str(p), "-f", "jsonl"]).stdout)
    assert row["machine"] == round(doc["machine"], 4) and row["words"] == doc["words"]
    # nothing but code: an input error in both, not a 0-word verdict
    code = tmp_path / "code.md"
    code.write_text(f"```\nThe {phrase} sat on the mat.\n```\n", encoding="utf-8")
    r = cli(["score", str(code), "-f", "json"])
    assert r.exit_code == 2 and "nothing to score" in json.loads(r.stdout)[0]["error"]
    r = cli(["label", str(code), "-f", "jsonl"])
    assert r.exit_code == 2 and "nothing to score" in json.loads(r.stdout)["error"]
    with pytest.raises(mtdetect.InputError):
        mtdetect.analyze(code.read_text(encoding="utf-8"), shipped, path="code.md")


# -- 7. the small things ------------------------------------------------------------------------


def test_version_completion_and_help_for_every_option():
    r = cli(["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"mtdetect {mtdetect.__version__}"
    # typer detects the running shell unless told not to, and under `sh` (as CI runs) it
    # answers "Shell sh not supported"; with detection off it takes the shell named
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mtdetect", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert done.returncode == 0 and "complete" in done.stdout, done.stderr
    import typer.main

    from mtdetect.cli import app

    group = typer.main.get_command(app)

    def walk(cmd, name):
        for p in cmd.params:
            if p.param_type_name == "option" and p.name not in ("help",):
                assert getattr(p, "help", None), f"{name} {p.opts} has no help"
        for sub, c in getattr(cmd, "commands", {}).items():
            walk(c, f"{name} {sub}")

    walk(group, "mtdetect")
    h = cli(["score", "--help"], env={"COLUMNS": "250"}).stdout
    assert "[tool.mtdetect]" in h  # not eaten as rich markup
    # docstrings reflowed: no line break where the source wrapped a sentence
    assert any("Exit status" in ln and "2 an input error" in ln for ln in h.splitlines())


def test_usage_errors_are_one_line():
    import subprocess
    import sys

    for args in (["score", "--format", "xml", "x.txt"], ["score"], ["scor"], ["score", "--bogus"]):
        r = subprocess.run(
            [sys.executable, "-m", "mtdetect", *args], capture_output=True, text=True, timeout=60
        )
        assert r.returncode == 2 and r.stdout == "", args
        assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith("mtdetect: "), r.stderr
        assert "--help" in r.stderr and "internal error" not in r.stderr


def test_version_agrees_with_pyproject():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{mtdetect.__version__}"' in text


def test_pre_commit_hooks_file_names_a_real_command():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: mtdetect" in text and "language: python" in text
    entry = re.search(r"^\s+entry:\s*(.+)$", text, re.MULTILINE).group(1).split()
    assert entry[0] == "mtdetect"
    assert cli([*entry[1:], "--help"]).exit_code == 0


def test_analyze_validates_like_the_cli(shipped):
    russian = "Кошка сидела на коврике и смотрела в окно, пока шёл дождь."  # was translated 0.88
    for bad in ("", "   ", 3, b"bytes", russian):
        with pytest.raises(mtdetect.InputError):
            mtdetect.analyze(bad, shipped)
    r = cli(["score", "-"], input=russian)
    assert r.exit_code == 2 and "not in English" in r.stderr
    for t in (True, -0.1, 1.5, "0.5"):
        with pytest.raises(mtdetect.InputError):
            mtdetect.analyze(ARTICLE, shipped, threshold=t)
    assert mtdetect.analyze(ARTICLE, shipped, threshold=0.0).label != "human"


def test_a_verdict_says_why_it_is_not_human():
    paths = [str(SAMPLES / n) for n in ("news-spun.txt", "farming-roundtrip.txt", "news-human.txt")]
    docs = {d["path"]: d for d in json.loads(cli(["score", *paths, "-f", "json"]).stdout)}
    spun, rt, human = (docs[p] for p in paths)
    # the spun copy is caught by its flags, not by the classifier: the basis counts them
    assert spun["label"] == "spun"
    n = sum(f["rule"] in ("collocation.synonym-swap", "name.broken") for f in spun["flags"])
    assert spun["basis"].startswith(f"{n} spinning flags") and "137 words" in spun["basis"]
    assert rt["label"] == "translated" and "round trip" in rt["basis"]
    assert human["label"] == "human" and human["basis"] is None
    text = cli(["score", paths[0]]).stdout
    assert "why: 6 spinning flags" in text
