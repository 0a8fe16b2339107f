"""The robustness suite: every bad input, hostile file and failure gets one line on stderr and
the documented exit status (never a traceback, never a hang), long documents stay bounded and
do not drift, training refuses what it cannot do well, and the API checks input like the CLI."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import ARTICLE, cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mtdetect
from mtdetect import inputs, longdoc
from mtdetect.cli import EXIT_INTERNAL

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MTDETECT_DATA", ROOT.parent / "shared" / "data"))


run = cli


def one_line_error(r, code: int = 2, match: str = "") -> None:
    assert r.exit_code == code, (r.exit_code, r.output)
    err = r.stderr.strip().splitlines()
    assert (
        "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    )
    assert err and err[-1].startswith("mtdetect: ") and match in err[-1], err


# -- the exit contract -------------------------------------------------------------------------
def test_fifo_without_a_writer_never_hangs(tmp_path, tiny_model_path, monkeypatch):
    monkeypatch.setattr(inputs, "PIPE_WAIT_SECONDS", 0.5)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    t0 = time.monotonic()
    r = run(["score", str(fifo), "--model", str(tiny_model_path)])
    assert time.monotonic() - t0 < 10
    one_line_error(r, 2, "no writer")


def test_unicode_escape_of_a_lone_surrogate(tmp_path, tiny_model_path):
    p = tmp_path / "esc.txt"
    p.write_bytes(b"The council met on Tuesday \\ud800 and agreed to repair the bridge.")
    r = run(["score", str(p), "--encoding", "unicode_escape", "--model", str(tiny_model_path)])
    one_line_error(r, 2, "surrogate")


@pytest.mark.parametrize("encoding", ["rot13", "hex", "no-such-codec", "idna"])
def test_odd_encodings_are_input_errors(tmp_path, tiny_model_path, encoding):
    p = tmp_path / "a.txt"
    p.write_bytes(ARTICLE.encode() + b"\xff" * 70)
    r = run(["score", str(p), "--encoding", encoding, "--model", str(tiny_model_path)])
    one_line_error(r, 2)


def test_explicit_encoding_does_not_skip_the_binary_check(tmp_path, tiny_model_path):
    p = tmp_path / "nul.txt"
    p.write_bytes(ARTICLE.encode() + b"\x00\x00" + ARTICLE.encode())
    r = run(["score", str(p), "--encoding", "utf-8", "--model", str(tiny_model_path)])
    one_line_error(r, 2, "binary")


def test_utf16_without_a_bom_gets_a_hint(tmp_path, tiny_model_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(ARTICLE.encode("utf-16-le"))
    r = run(["score", str(p), "--model", str(tiny_model_path)])
    one_line_error(r, 2, "try --encoding utf-16-le")
    r = run(["score", str(p), "--encoding", "utf-16-le", "--model", str(tiny_model_path)])
    assert r.exit_code in (0, 1), r.output
    p.write_bytes(ARTICLE.encode("utf-16-be"))
    one_line_error(run(["score", str(p), "--model", str(tiny_model_path)]), 2, "utf-16-be")


def _nested(tmp_path) -> Path:
    p = tmp_path / "deep.jsonl"
    p.write_text('{"text": ' + "[" * 100_000 + "]" * 100_000 + ', "label": "human"}\n')
    return p


def _oversized(tmp_path) -> Path:
    from mtdetect.datasets import MAX_RECORD_BYTES

    p = tmp_path / "big.jsonl"
    p.write_text(json.dumps({"text": "word " * (MAX_RECORD_BYTES // 4), "label": "human"}))
    return p


@pytest.mark.parametrize(("make", "match"), [(_nested, "nested too deeply"), (_oversized, "limit")])
def test_bad_records_in_evaluate_and_train(tmp_path, tiny_model_path, make, match):
    data = make(tmp_path)
    r = run(["evaluate", str(data), "--model", str(tiny_model_path)])
    one_line_error(r, 2, match)
    r = run(["train", str(data), "--out", str(tmp_path / "m.model.json")])
    one_line_error(r, 2, match)


def test_non_dict_pickle_model_with_trust(tmp_path, tiny_model_path):
    import pickle

    from mtdetect.persistence import card_path, sha256_file

    m = tmp_path / "list.joblib"
    m.write_bytes(pickle.dumps([1, 2, 3]))
    card = json.loads(card_path(tiny_model_path).read_text())
    card["sha256"] = sha256_file(m)
    card_path(m).write_text(json.dumps(card))
    r = run(["score", "-", "--model", str(m), "--trust-model"], input=ARTICLE)
    one_line_error(r, 2, "not an mtdetect pickle model")


@pytest.mark.parametrize(
    ("error", "match"),
    [(MemoryError(), "out of memory"), (RuntimeError("boom"), "internal error: RuntimeError")],
)
def test_internal_errors_exit_3_in_one_line(tmp_path, tiny_model_path, monkeypatch, error, match):
    from mtdetect.detector import Detector

    def fail(self, *a, **k):
        raise error

    monkeypatch.setattr(Detector, "analyze", fail)
    monkeypatch.setattr(Detector, "analyze_many", fail)  # (score analyses files in batches)
    r = run(["score", "-", "--model", str(tiny_model_path)], input=ARTICLE)
    one_line_error(r, EXIT_INTERNAL, match)
    assert EXIT_INTERNAL not in (0, 1, 2)


def test_console_script_has_no_traceback(tmp_path):
    env = {**os.environ, "MTDETECT_MODEL": str(tmp_path / "none.model.json")}
    r = subprocess.run(
        [sys.executable, "-m", "mtdetect", "score", "-"],
        input="Some text.",
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1


# -- training refuses what it cannot do well ---------------------------------------------------
def _records(n_groups: int, per_label: int, one_group: bool = False) -> list[dict]:
    out = []
    for g in range(n_groups):
        for lab in ("human", "translated", "spun"):
            for k in range(per_label):
                group = "all" if one_group else f"g{g}"
                out.append({"text": f"{ARTICLE} {lab} {g} {k}", "label": lab, "group": group})
    return out


def _with_round_trips(records: list[dict], n: int) -> list[dict]:
    for r in [r for r in records if r["label"] == "translated"][:n]:
        r["subset"] = "roundtrip"  # a class of its own, with too few records
    return records


@pytest.mark.parametrize(
    ("records", "match"),
    [
        (_records(6, 1), "at least 20 of each class"),  # 18 records
        (_records(1, 40, one_group=True), "at least 20 distinct groups"),
        (_with_round_trips(_records(40, 1), 5), "translated/roundtrip"),
        (_records(30, 2), "too few validation records"),
    ],
)
def test_train_refuses_too_little_data(tmp_path, records, match):
    p = tmp_path / "d.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in records))
    r = run(["train", str(p), "--out", str(tmp_path / "m.model.json"), "--jobs", "1"])
    one_line_error(r, 2, match)
    assert not (tmp_path / "m.model.json").exists()


# -- the API checks input like the CLI ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "match"),
    [
        (None, "must be a str"),
        (b"The council met.", "decode bytes first"),
        ("", "empty"),
        ("   \n", "empty"),
        ("\u200b\u200b", "invisible"),
        ("The council \ud800 met.", "surrogate"),
        (
            "Der Stadtrat hat sich am Dienstag getroffen und beschlossen, die Brücke vor dem "
            "Winter zu reparieren, wie die Verwaltung der Stadt mitteilte.",
            "English",
        ),
    ],
)
def test_analyze_refuses_bad_input_with_one_exception_type(tiny_model, text, match):
    with pytest.raises(mtdetect.InputError, match=match):
        mtdetect.analyze(text, model=tiny_model)
    assert issubclass(mtdetect.InputError, ValueError)


def test_analyze_takes_a_threshold(tiny_model):
    lo = mtdetect.analyze(ARTICLE, model=tiny_model, threshold=0.0)
    hi = mtdetect.analyze(ARTICLE, model=tiny_model, threshold=1.0)
    assert lo.label != "human" and hi.label == "human" and lo.threshold == 0.0
    for bad in (-0.1, 1.5, "0.5"):
        with pytest.raises(mtdetect.InputError, match="threshold"):
            mtdetect.analyze(ARTICLE, model=tiny_model, threshold=bad)


# -- hypothesis: any bytes, any encoding -------------------------------------------------------
ENCODINGS = [None, "utf-8", "latin-1", "utf-16", "utf-16-le", "cp1252", "unicode_escape", "ascii"]
_texts = st.one_of(
    st.binary(max_size=600),
    st.tuples(st.text(max_size=300), st.sampled_from(["utf-8", "utf-16", "latin-1"])).map(
        lambda t: t[0].encode(t[1], errors="replace")
    ),
    st.sampled_from([ARTICLE.encode(), codecs.BOM_UTF8 + ARTICLE.encode(), b"\\ud800 x"]),
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=_texts, encoding=st.sampled_from(ENCODINGS))
def test_score_and_label_any_bytes(tmp_path_factory, tiny_model_path, data, encoding):
    d = tmp_path_factory.mktemp("h")
    (d / "f.txt").write_bytes(data)
    enc = ["--encoding", encoding] if encoding else []
    model = ["--model", str(tiny_model_path)]
    r = run(["score", str(d / "f.txt"), "-f", "json", *enc, *model])
    assert r.exit_code in (0, 1, 2), r.output
    assert "Traceback" not in r.output and isinstance(r.exception, (SystemExit, type(None)))
    docs = json.loads(r.stdout)
    if r.exit_code == 2:
        assert [set(d) for d in docs] == [{"path", "error"}]  # the error in the output too
        assert r.stderr.startswith("mtdetect: ") and len(r.stderr.splitlines()) == 1
    else:
        text = docs[0]
        assert text["label"] in ("human", "translated", "spun")
    r2 = run(["label", str(d), "-f", "jsonl", *enc, *model])
    assert r2.exit_code == r.exit_code, (r.output, r2.output)
    (row,) = [json.loads(x) for x in r2.stdout.splitlines()]
    assert bool(row["error"]) == (r.exit_code == 2)


# -- long documents: bounded, linear, no drift -------------------------------------------------
def test_short_texts_are_one_window_and_long_ones_are_cut_at_paragraphs():
    para = ARTICLE.strip()
    short = "\n\n".join([para] * 30)  # ~1,900 words
    assert not longdoc.is_long(short) and type(longdoc.document(short)).__name__ == "Document"
    text = "\n\n".join([para] * 200)
    wins = list(longdoc.windows(text))
    assert len(wins) > 5
    owned = [(a, b) for _, _, a, b in wins]
    assert owned[0][0] == 0 and owned[-1][1] == len(text)
    assert all(b == a2 for (_, b), (a2, _) in zip(owned, owned[1:]))  # a partition
    for lo, hi, a, b in wins:
        assert lo <= a < b <= hi and (a == 0 or text[a - 2 : a] == "\n\n")
        assert len(text[a:b].split()) <= longdoc.TARGET_WORDS
    for odd in ("x" * 100_000, "word " * 30_000, "A sentence here. " * 10_000):
        spans = [(a, b) for _, _, a, b in longdoc.windows(odd)]
        assert spans[0][0] == 0 and spans[-1][1] == len(odd)


def test_windowed_report_offsets_lines_and_sentences(tiny_model):
    paras = [ARTICLE.strip().replace("Tuesday", f"day {i}") for i in range(120)]
    text = "\n\n".join(paras) + "\n"
    text = text.replace("day 77", "day\u200b 77")  # hostile text in a long document too
    rep = tiny_model.analyze(text)
    assert rep.words > longdoc.WINDOW_WORDS and rep.flags
    doc = longdoc.document(text)
    lines = text.split("\n")
    for f in rep.flags:
        assert text[f.start : f.end] == f.text
        assert lines[f.line - 1][f.column - 1 :].startswith(f.text.split("\n")[0])
    assert any(f.rule == "input.obfuscation" for f in rep.flags)
    for s in rep.sentences:
        assert text[s.start : s.end] == s.text
    keys = [(f.rule, f.start, f.end) for f in rep.flags]
    assert len(keys) == len(set(keys))  # no finding twice (windows overlap only as context)
    assert doc.n_words == 0  # nothing is analysed before extract()


def test_windowed_text_without_sentence_ends(tiny_model):
    """A long list with no sentence end (a word list, a log): findings in a window that owns
    no sentence start belong to the sentence begun before it (was an IndexError, exit 3)."""
    words = "the city council stated that a home chief said counterfeit consciousness".split()
    text = "\n".join(" ".join(words[(i + j) % len(words)] for j in range(3)) for i in range(2500))
    rep = tiny_model.analyze(text)
    assert rep.words > longdoc.WINDOW_WORDS
    for f in rep.flags:
        assert text[f.start : f.end] == f.text
    for s in rep.sentences:
        assert text[s.start : s.end] == s.text


def _human_prose(nbytes: int) -> str:
    """Human prose read from the public data at run time (Brown, then ABC): never stored."""
    sys.path.insert(0, str(ROOT))
    from tools import corpus_common as cc

    docs = cc.load_brown(DATA, cc.DEFAULT_SEED) + cc.load_abc(DATA, cc.DEFAULT_SEED)
    parts, size = [], 0
    for d in docs:
        s = "".join(b + u for u, b in zip(d.units, d.breaks)).strip()
        parts.append(s)
        size += len(s) + 2
        if size >= nbytes:
            break
    text = "\n\n".join(parts)[:nbytes]
    return text[: text.rfind("\n\n")]


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "corpora" / "brown").is_dir(), reason="needs ../shared/data")
def test_long_human_prose_stays_human_in_bounded_memory(tmp_path):
    """Analysed whole, 1 MB of this prose scored machine 0.24 and took 1.3 GB (10 MB: 10.6 GB);
    in windows: flat (0.02-0.04 up to 10 MB) and bounded: 413 MB here, 549 MB on the CI machine
    (allocator and library versions differ), so the bound is 1 GB, a tenth of the old peak."""
    det = mtdetect.load_model()
    prose = _human_prose(10_000_000)
    machine = {}
    for size in (10_000, 100_000, 1_000_000):
        part = prose[:size]
        rep = det.analyze(part[: part.rfind("\n\n")])
        assert rep.label == "human" and rep.reliable
        machine[size] = rep.machine
    files = []
    for size in (5_000_000, 10_000_000):
        p = tmp_path / f"prose{size}.txt"
        part = prose[:size]
        p.write_text(part[: part.rfind("\n\n")], encoding="utf-8")
        files.append(str(p))
    # the CLI in a child process that reports its own peak memory
    code = (
        "import resource, runpy, sys\n"
        "sys.argv = ['mtdetect', 'score', *sys.argv[1:], '-f', 'json']\n"
        "try:\n    runpy.run_module('mtdetect', run_name='__main__')\n"
        "except SystemExit as e:\n    code = e.code\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, text=True)
    peak_mb = int(r.stderr.strip().splitlines()[-1]) / 1024
    docs = json.loads(r.stdout)
    assert [d["label"] for d in docs] == ["human", "human"], r.stderr
    machine[5_000_000], machine[10_000_000] = docs[0]["machine"], docs[1]["machine"]
    assert peak_mb <= 1024, f"peak {peak_mb:.0f} MB"
    # far below the default cut (0.94 for passages; machine is a calibrated probability, so a
    # human text sits at 0.1-0.4, not near 0), and no drift with length: on the log-odds scale
    # 5 MB stays within 1 of 10 KB (read whole, 1 MB was 2.5 above 10 KB: 0.02 -> 0.20 on the old
    # sigma(margin) scale)
    assert max(machine.values()) < 0.5, machine

    def logit(p):
        return np.log(p / (1 - p))

    assert logit(machine[5_000_000]) - logit(machine[10_000]) < 1.0, machine
