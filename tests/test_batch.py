"""Batch labelling: no data lost, no orphans, one row per file found, bounded in-flight work."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTICLE, cli

from mtdetect import batch, rows, walk

ROOT = Path(__file__).resolve().parent.parent


run = cli


def rows_of(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl" or text.startswith("{"):
        return [json.loads(x) for x in text.splitlines()]
    return list(csv.DictReader(io.StringIO(text)))


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(ARTICLE.replace("Tuesday", f"day {i}"))
    return folder


# -- no data lost ------------------------------------------------------------------------------
def test_out_that_is_an_input_is_refused_and_left_alone(tmp_path, tiny_model_path):
    a = tmp_path / "a.txt"
    a.write_text(ARTICLE)
    r = run(["label", str(a), "--out", str(a), "--model", str(tiny_model_path)])
    assert r.exit_code == 2 and "one of the inputs" in r.stderr
    assert a.read_text() == ARTICLE
    d = corpus(tmp_path / "d", 2)
    r = run(["label", str(d), "--out", str(d / "labels.txt"), "--model", str(tiny_model_path)])
    assert r.exit_code == 2 and "would be read as an input" in r.stderr
    assert not (d / "labels.txt").exists()


def test_no_files_found_leaves_an_earlier_output_untouched(tmp_path, tiny_model_path):
    out = tmp_path / "rows.csv"
    out.write_text("an earlier result\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run(["label", str(empty), "--out", str(out), "--model", str(tiny_model_path)])
    assert r.exit_code == 2 and "no files" in r.stderr
    assert out.read_text() == "an earlier result\n"
    assert not (tmp_path / "rows.csv.partial").exists()


def test_output_is_replaced_only_when_complete(tmp_path, tiny_model_path):
    d = corpus(tmp_path / "d", 3)
    out = tmp_path / "rows.csv"
    out.write_text("an earlier result\n")
    r = run(["label", str(d), "--out", str(out), "--model", str(tiny_model_path)])
    assert r.exit_code in (0, 1), r.output
    assert len(rows_of(out)) == 3 and not (tmp_path / "rows.csv.partial").exists()


def test_interrupted_run_keeps_its_rows_and_resume_finishes(tmp_path, tiny_model_path, monkeypatch):
    d = corpus(tmp_path / "d", 40)
    out = tmp_path / "rows.csv"
    out.write_text("an earlier result\n")
    partial = tmp_path / "rows.csv.partial"
    seen = []

    def stop_after_20(self, row):  # Ctrl-C after 20 rows
        seen.append(row)
        if len(seen) == 20:
            raise KeyboardInterrupt

    monkeypatch.setattr(rows.RowSink, "write", _counting(rows.RowSink.write, stop_after_20))
    r = run(["label", str(d), "--out", str(out), "--model", str(tiny_model_path)])
    assert r.exit_code == 130 and "--resume" in r.stderr
    assert out.read_text() == "an earlier result\n"  # an earlier result is never damaged
    before = partial.read_bytes()
    assert len(rows_of(partial)) == 20
    monkeypatch.undo()
    # a fresh run would start over on the partial rows: refused
    r = run(["label", str(d), "--out", str(out), "--model", str(tiny_model_path)])
    assert r.exit_code == 2 and "--resume" in r.stderr
    r = run(["label", str(d), "--out", str(out), "--resume", "--model", str(tiny_model_path)])
    assert r.exit_code in (0, 1), r.output
    assert "20 files already labelled" in r.stderr
    final = out.read_bytes()
    assert final.startswith(before)  # rows are appended, never rewritten
    paths = [x["path"] for x in rows_of(out)]
    assert sorted(paths) == sorted(str(p) for p in d.iterdir()) and len(set(paths)) == 40
    assert not partial.exists()


def _counting(write, hook):
    def wrapped(self, row):
        write(self, row)
        hook(self, row)

    return wrapped


def test_resume_a_finished_output_labels_only_new_files(tmp_path, tiny_model_path):
    d = corpus(tmp_path / "d", 3)
    out = tmp_path / "rows.jsonl"
    model = ["--model", str(tiny_model_path), "-f", "jsonl"]
    assert run(["label", str(d), "--out", str(out), *model]).exit_code in (0, 1)
    first = out.read_bytes()
    (d / "new.txt").write_text(ARTICLE)
    r = run(["label", str(d), "--out", str(out), "--resume", *model])
    assert r.exit_code in (0, 1) and out.read_bytes().startswith(first)
    assert [x["path"] for x in rows_of(out)][-1] == str(d / "new.txt") and len(rows_of(out)) == 4


def test_resume_cuts_a_torn_last_row_and_refuses_a_foreign_file(tmp_path, tiny_model_path):
    d = corpus(tmp_path / "d", 3)
    out = tmp_path / "rows.csv"
    model = ["--model", str(tiny_model_path)]
    assert run(["label", str(d), "--out", str(out), *model]).exit_code in (0, 1)
    lines = out.read_text().splitlines(keepends=True)
    partial = tmp_path / "rows.csv.partial"
    partial.write_text("".join(lines[:2]) + lines[2][:15])  # killed in the middle of a row
    out.unlink()
    r = run(["label", str(d), "--out", str(out), "--resume", *model])
    assert r.exit_code in (0, 1), r.output
    assert sorted(x["path"] for x in rows_of(out)) == sorted(str(p) for p in d.iterdir())
    other = tmp_path / "notes.csv"
    other.write_text("name,value\nx,1\n")
    r = run(["label", str(d), "--out", str(other), "--resume", *model])
    assert r.exit_code == 2 and "not a CSV output" in r.stderr
    assert other.read_text() == "name,value\nx,1\n"
    assert not (tmp_path / "notes.csv.partial").exists()


def test_duplicate_and_overlapping_targets_give_one_row_per_file(tmp_path, tiny_model_path):
    d = corpus(tmp_path / "d", 2)
    (d / "sub").mkdir()
    (d / "sub" / "c.txt").write_text(ARTICLE)
    (d / "link.txt").symlink_to(d / "0000.txt")
    args = [str(d), str(d), str(d / "sub"), str(d / "0001.txt"), str(tmp_path / "d" / ".." / "d")]
    r = run(["label", *args, "-f", "jsonl", "--model", str(tiny_model_path)])
    paths = [json.loads(x)["path"] for x in r.stdout.splitlines()]
    assert len(paths) == 3 and len({os.path.realpath(p) for p in paths}) == 3


# -- every entry found gets a row, nothing hangs ----------------------------------------------
def test_special_entries_get_error_rows(tmp_path, tiny_model_path, monkeypatch):
    d = corpus(tmp_path / "d", 1)
    os.mkfifo(d / "pipe.txt")  # nobody writes to it: reading it would hang
    (d / "dangling.txt").symlink_to(d / "missing.txt")
    (d / "loop1.txt").symlink_to(d / "loop2.txt")
    (d / "loop2.txt").symlink_to(d / "loop1.txt")
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d)  # a folder link back up the tree
    (d / "locked").mkdir()
    (d / "locked" / "x.txt").write_text(ARTICLE)
    for skipped in (".git", ".venv", "node_modules"):
        (d / skipped).mkdir()
        (d / skipped / "y.txt").write_text(ARTICLE)
    real_scandir = os.scandir

    def scandir(path):  # tests run as root, where chmod 000 does not stop reading
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    t0 = time.monotonic()
    r = run(["label", str(d), "-f", "jsonl", "--model", str(tiny_model_path)])
    assert time.monotonic() - t0 < 30
    rows = {Path(x["path"]).name: x for x in map(json.loads, r.stdout.splitlines())}
    assert r.exit_code == 2
    assert rows["0000.txt"]["error"] is None
    assert "named pipe" in rows["pipe.txt"]["error"]
    assert "broken symbolic link" in rows["dangling.txt"]["error"]
    assert "loop" in rows["loop1.txt"]["error"] and "loop" in rows["loop2.txt"]["error"]
    assert "symbolic link loop" in rows["up"]["error"]
    assert "cannot read folder" in rows["locked"]["error"]
    assert set(rows) == {"0000.txt", "pipe.txt", "dangling.txt", "loop1.txt", "loop2.txt"} | {
        "up",
        "locked",
    }


def test_glob_outside_the_folders_is_a_usage_error(tmp_path, tiny_model_path):
    for pattern in ("/etc/*", "../*.txt", ""):
        r = run(["label", str(tmp_path), "--glob", pattern, "--model", str(tiny_model_path)])
        assert r.exit_code == 2 and "--glob" in r.stderr and "Traceback" not in r.output
        assert len(r.stderr.strip().splitlines()) == 1


def test_glob_with_a_folder_part(tmp_path, tiny_model_path):
    d = tmp_path / "d"
    (d / "notes").mkdir(parents=True)
    (d / "notes" / "a.md").write_text(ARTICLE)
    (d / "b.md").write_text(ARTICLE)
    r = run(
        ["label", str(d), "--glob", "notes/*.md", "-f", "jsonl", "--model", str(tiny_model_path)]
    )
    assert [json.loads(x)["path"] for x in r.stdout.splitlines()] == [str(d / "notes" / "a.md")]


def test_paths_are_streamed_and_work_in_flight_is_bounded(tiny_model):
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield f"/nonexistent/{pulled}.txt", "no such file"

    options = batch.Options()
    batch.preload(tiny_model, options)
    produced = batch.label_rows(endless(), options, jobs=2)
    for _ in range(5):
        next(produced)
    assert pulled <= (2 * 2 + 1) * batch.CHUNK
    produced.close()
    walker = walk.Walk("*.txt")
    it = walker([str(ROOT)])
    first = next(it)  # the first file comes before the tree is listed
    assert first and walker.found == 1


# -- no orphans --------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat_file.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_label(tmp_path, tiny_model_path, n=500, jobs=2, resume=False):
    d = tmp_path / "d"
    if not d.exists():
        corpus(d, n)
    out = tmp_path / "rows.csv"
    cmd = [sys.executable, "-m", "mtdetect", "label", str(d), "--out", str(out)]
    cmd += ["--jobs", str(jobs), "--model", str(tiny_model_path)] + (["--resume"] if resume else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return proc, d, out


def _wait_for(cond, timeout=60.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_run_leaves_no_worker_and_resume_finishes(tmp_path, tiny_model_path, sig):
    proc, d, out = _start_label(tmp_path, tiny_model_path)
    partial = Path(str(out) + ".partial")
    try:
        assert _wait_for(lambda: len(_children(proc.pid)) >= 2 and partial.exists())
        assert _wait_for(lambda: partial.exists() and partial.read_text().count("\n") > 20)
        workers = _children(proc.pid)
        os.kill(proc.pid, sig)
        code = proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == (143 if sig == signal.SIGTERM else -signal.SIGKILL)
    assert _wait_for(lambda: not any(_alive(w) for w in workers), timeout=10), "orphans"
    if sig == signal.SIGTERM:
        assert "--resume" in proc.stderr.read()
    kept = partial.read_text()
    assert not out.exists() and kept.count("\n") > 20
    proc, _, _ = _start_label(tmp_path, tiny_model_path, resume=True)
    assert proc.wait(300) in (0, 1), proc.stderr.read()
    assert out.read_text().startswith(kept[: kept.rfind("\n") + 1])
    paths = [x["path"] for x in rows_of(out)]
    assert len(paths) == 500 and len(set(paths)) == 500


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_worker_killed_mid_run_costs_no_rows(tmp_path, tiny_model_path):
    proc, d, out = _start_label(tmp_path, tiny_model_path, n=200)
    try:
        assert _wait_for(lambda: len(_children(proc.pid)) >= 2)
        os.kill(_children(proc.pid)[0], signal.SIGKILL)  # as the OOM killer would
        code = proc.wait(300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code in (0, 1), proc.stderr.read()
    rows = rows_of(out)
    assert len(rows) == 200 and not any(x["error"] for x in rows)


def test_the_workers_read_the_tables_not_the_parent(tmp_path, tiny_model):
    """With --jobs 2 the tables are read by each worker as it starts (in parallel), not by
    the parent before the fork (serial start-up); the rows are those of one process."""
    from mtdetect import resources

    folder = corpus(tmp_path / "in", 3)
    items = [(str(p), None) for p in sorted(folder.glob("*.txt"))]
    options = batch.Options()
    batch.preload(tiny_model, options)
    resources.load.cache_clear()
    parallel = list(batch.label_rows(iter(items), options, jobs=2))
    assert resources.load.cache_info().currsize == 0  # nothing read here
    assert parallel == list(batch.label_rows(iter(items), options, jobs=1))
    assert resources.load.cache_info().currsize > 0  # (the check above can fail)
