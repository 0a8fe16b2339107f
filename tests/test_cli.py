"""The CLI contract through CliRunner: every command, every error class."""

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import DOC_KEYS
from typer.testing import CliRunner

from mtdetect.cli import app

runner = CliRunner()
ARTICLE = (
    "The city council voted on Tuesday night to add bus lanes to three of the busiest streets, "
    "ending months of argument between shop owners and commuter groups. \"We've listened to "
    "everyone, and we don't think this can wait another year,\" said the chair of the transport "
    "committee. Work is due to start in March and should take about six weeks.\n"
)


@pytest.fixture()
def files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    return tmp_path, good


def run(args, **kw):
    return runner.invoke(app, args, **kw)


def test_score_json_has_every_field(files, tiny_model_path):
    _, good = files
    r = run(["score", str(good), "--format", "json", "--model", str(tiny_model_path)])
    assert r.exit_code in (0, 1), r.output
    docs = json.loads(r.stdout)
    assert len(docs) == 1
    d = docs[0]
    assert set(d) >= DOC_KEYS
    assert d["path"] == str(good) and d["reliable"] is True
    assert r.exit_code == (0 if d["label"] == "human" else 1)
    for f in d["flags"]:
        assert set(f) >= {
            "rule",
            "kind",
            "line",
            "column",
            "start",
            "end",
            "text",
            "reason",
            "suggestion",
            "sentence",
            "score",
        }
        assert ARTICLE[f["start"] : f["end"]] == f["text"]
    for s in d["sentences"]:
        assert set(s) >= {"index", "line", "start", "end", "text", "score"}


def test_score_text_and_jsonl_and_stdin(files, tiny_model_path):
    _, good = files
    r = run(["score", str(good), "--model", str(tiny_model_path)])
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith(f"{good}:") and lines[-1].startswith("1 document:")
    assert all(len(ln) <= 80 for ln in lines), lines  # wrapped (no terminal: 80 columns)
    r = run(["score", "-", "--format", "jsonl", "--model", str(tiny_model_path)], input=ARTICLE)
    doc = json.loads(r.stdout.strip())
    assert doc["path"] == "-"


def test_score_threshold_changes_label(files, tiny_model_path):
    _, good = files
    lo = json.loads(
        run(
            ["score", str(good), "-f", "json", "--threshold", "0", "--model", str(tiny_model_path)]
        ).stdout
    )[0]
    hi = json.loads(
        run(
            ["score", str(good), "-f", "json", "--threshold", "1", "--model", str(tiny_model_path)]
        ).stdout
    )[0]
    assert lo["label"] != "human" and hi["label"] == "human"


def test_short_text_is_scored_but_unreliable(tiny_model_path):
    r = run(["score", "-", "-f", "json", "--model", str(tiny_model_path)], input="Hello there.")
    assert r.exit_code in (0, 1)
    assert json.loads(r.stdout)[0]["reliable"] is False


def _bad_inputs(tmp):
    (tmp / "bin.txt").write_bytes(b"\x00\x01\x02\x03binary\x00")
    (tmp / "latin1.txt").write_bytes("caf\xe9 d\xe9j\xe0 vu".encode("latin-1"))
    (tmp / "empty.txt").write_text("")
    (tmp / "blank.txt").write_text("  \n\n\t ")
    (tmp / "german.txt").write_text(
        "Der Stadtrat hat sich am Dienstag getroffen und beschlossen, die Brücke vor dem Winter "
        "zu reparieren, wie die Verwaltung der Stadt den Journalisten mitteilte."
    )
    (tmp / "big.txt").write_text(ARTICLE * 5)
    (tmp / "adir").mkdir()
    return {
        "missing": (str(tmp / "missing.txt"), "no such file"),
        "directory": (str(tmp / "adir"), "directory"),
        "binary": (str(tmp / "bin.txt"), "binary"),
        "undecodable": (str(tmp / "latin1.txt"), "UTF-8"),
        "empty": (str(tmp / "empty.txt"), "empty"),
        "whitespace": (str(tmp / "blank.txt"), "empty"),
        "foreign": (str(tmp / "german.txt"), "English"),
        "too large": (str(tmp / "big.txt"), "limit"),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "missing",
        "directory",
        "binary",
        "undecodable",
        "empty",
        "whitespace",
        "foreign",
        "too large",
    ],
)
def test_score_bad_input_exits_2_with_one_line(tmp_path, tiny_model_path, kind):
    path, match = _bad_inputs(tmp_path)[kind]
    r = run(["score", path, "--model", str(tiny_model_path), "--max-bytes", "1000"])
    assert r.exit_code == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and match in err[0] and "Traceback" not in r.output


def test_score_several_paths_reports_good_ones_and_exits_2(files, tiny_model_path):
    tmp, good = files
    r = run(
        ["score", str(good), str(tmp / "nope.txt"), "-f", "json", "--model", str(tiny_model_path)]
    )
    assert r.exit_code == 2
    docs = json.loads(r.stdout)
    assert len(docs) == 2 and docs[0]["path"] == str(good) and "label" in docs[0]
    assert docs[1] == {"path": str(tmp / "nope.txt"), "error": f"{tmp / 'nope.txt'}: no such file"}
    assert "nope.txt" in r.stderr


def test_encoding_option(tmp_path, tiny_model_path):
    p = tmp_path / "latin.txt"
    p.write_bytes(ARTICLE.replace("city", "café").encode("latin-1"))
    r = run(["score", str(p), "--encoding", "latin-1", "--model", str(tiny_model_path)])
    assert r.exit_code in (0, 1), r.stderr


def test_bad_model_exits_2(files, tmp_path):
    _, good = files
    r = run(["score", str(good), "--model", str(tmp_path / "none.joblib")])
    assert r.exit_code == 2 and "make train" in r.stderr


def test_label_folder_two_good_two_bad(tmp_path, tiny_model_path):
    d = tmp_path / "batch"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(ARTICLE)
    (d / "sub" / "b.txt").write_text(ARTICLE.replace("Tuesday", "Friday"))
    (d / "sub" / "c.txt").write_bytes(b"\x00\x00binary")
    (d / "empty.txt").write_text("")
    (d / "ignored.md").write_text(ARTICLE)
    out = tmp_path / "rows.csv"
    r = run(["label", str(d), "--out", str(out), "--model", str(tiny_model_path)])
    assert r.exit_code == 2
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 4
    assert list(rows[0]) == [
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
    ]
    bad = [x for x in rows if x["error"]]
    good = [x for x in rows if not x["error"]]
    assert len(bad) == 2 and all(x["label"] == "" and x["machine"] == "" for x in bad)
    assert len(good) == 2 and all(x["label"] in ("human", "translated", "spun") for x in good)
    assert {x["path"] for x in rows} == {
        str(d / "a.txt"),
        str(d / "sub" / "b.txt"),
        str(d / "sub" / "c.txt"),
        str(d / "empty.txt"),
    }


def test_label_jsonl_glob_jobs_and_missing(tmp_path, tiny_model_path):
    d = tmp_path / "batch"
    d.mkdir()
    for i in range(3):
        (d / f"{i}.text").write_text(ARTICLE)
    r = run(
        [
            "label",
            str(d),
            str(tmp_path / "missing"),
            "--glob",
            "*.text",
            "--format",
            "jsonl",
            "--jobs",
            "2",
            "--model",
            str(tiny_model_path),
        ]
    )
    rows = [json.loads(x) for x in r.stdout.strip().splitlines()]
    assert len(rows) == 4 and r.exit_code == 2
    assert sum(1 for x in rows if x["error"]) == 1


def test_label_rows_mark_short_texts_unreliable(tmp_path, tiny_model_path):
    d = tmp_path / "batch"
    d.mkdir()
    (d / "long.txt").write_text(ARTICLE)
    (d / "short.txt").write_text("The mayor opened the new bridge on Monday.")
    out = tmp_path / "rows.csv"
    run(["label", str(d), "--out", str(out), "--model", str(tiny_model_path)])
    rows = {Path(x["path"]).name: x for x in csv.DictReader(io.StringIO(out.read_text()))}
    assert rows["long.txt"]["reliable"] == "true" and rows["short.txt"]["reliable"] == "false"
    r = run(["label", str(d), "--format", "jsonl", "--model", str(tiny_model_path)])
    rows = {Path(x["path"]).name: x for x in map(json.loads, r.stdout.strip().splitlines())}
    assert rows["long.txt"]["reliable"] is True and rows["short.txt"]["reliable"] is False


def test_label_no_matching_files(tmp_path, tiny_model_path):
    r = run(["label", str(tmp_path), "--model", str(tiny_model_path)])
    assert r.exit_code == 2 and "no files" in r.stderr


def _write_data(tmp_path):
    from pathlib import Path

    src = Path(__file__).parent / "fixtures" / "tiny.jsonl"
    recs = [json.loads(x) for x in src.read_text().splitlines()]
    for r in recs:
        r["split"] = "valid" if r["group"] in ("t5",) else "train"
    p = tmp_path / "data.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    folder = tmp_path / "folder"
    for r in recs[:6]:
        (folder / r["label"]).mkdir(parents=True, exist_ok=True)
        (folder / r["label"] / f"{r['group']}.txt").write_text(r["text"])
    return p, folder


def test_train_then_evaluate(tmp_path, monkeypatch):
    # the fixture is far below the data train needs to set thresholds: this test is plumbing
    from mtdetect import training

    for name in ("MIN_TRAIN_PER_CLASS", "MIN_VALID_HUMAN", "MIN_VALID_PER_LABEL", "MIN_GROUPS"):
        monkeypatch.setattr(training, name, 1)
    data, folder = _write_data(tmp_path)
    out = tmp_path / "m.joblib"
    r = run(["train", str(data), "--out", str(out), "--jobs", "1"])
    assert r.exit_code == 0, r.output
    card = json.loads((tmp_path / "m.card.json").read_text())
    assert card["data"]["manifest"][0]["sha256"] and card["features"]
    assert set(card["class_thresholds"]) == {"short", "long", "passage"}  # the shape that ships
    r = run(
        [
            "evaluate",
            str(data),
            str(folder),
            "--model",
            str(out),
            "-f",
            "json",
            "--update-card",
            "--jobs",
            "1",
        ]
    )
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    for k in (
        "n",
        "accuracy",
        "macro_f1",
        "per_class",
        "auroc",
        "false_positive_rate",
        "threshold",
        "confusion_matrix",
    ):
        assert k in res
    assert res["n"] == 24
    assert set(res["per_class"]["spun"]) >= {"precision", "recall", "f1"}
    card = json.loads((tmp_path / "m.card.json").read_text())
    assert card["metrics"]["held_out"]["n"] == 24
    r = run(["evaluate", str(data), "--model", str(out), "--jobs", "1"])
    assert "macro-F1" in r.stdout and "confusion" in r.stdout


def test_train_bad_data(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "robot"}\n')
    r = run(["train", str(bad), "--out", str(tmp_path / "m.joblib")])
    assert r.exit_code == 2 and "label must be" in r.stderr
    r = run(["evaluate", str(tmp_path / "none.jsonl"), "--model", str(tmp_path / "m.joblib")])
    assert r.exit_code == 2


def test_label_unwritable_out_exits_2(files, tiny_model_path, tmp_path):
    _, good = files
    r = run(
        [
            "label",
            str(good),
            "--out",
            str(tmp_path / "no" / "dir.csv"),
            "--model",
            str(tiny_model_path),
        ]
    )
    assert r.exit_code == 2 and "cannot write" in r.stderr


def test_evaluate_undecodable_jsonl_exits_2(tmp_path, tiny_model_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"text": "a", "label": "human"}\n\xff\xfe\n')
    r = run(["evaluate", str(bad), "--model", str(tiny_model_path)])
    assert r.exit_code == 2 and "UTF-8" in r.stderr


def test_fifo_is_read(tmp_path, tiny_model_path):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w") as fh:
            fh.write(ARTICLE)

    threading.Thread(target=feed, daemon=True).start()
    r = run(["score", str(fifo), "-f", "json", "--model", str(tiny_model_path)])
    assert r.exit_code in (0, 1) and json.loads(r.stdout)[0]["words"] > 50
