"""`label --scheduler`: the work runs on a Dask cluster and gives the rows of a local run."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTICLE, cli
from test_batch import rows_of

distributed = pytest.importorskip("distributed", reason="pip install 'mtdetect[dask]'")


def _folder(d: Path) -> Path:
    """Readable articles and every kind of file a run must give an error row."""
    d.mkdir()
    for i in range(40):  # more than one chunk, and more chunks than the in-flight window
        (d / f"{i:03d}.txt").write_text(ARTICLE.replace("Tuesday", f"day {i}"))
    (d / "spun.txt").write_text(ARTICLE.replace("city", "metropolis").replace("voted", "balloted"))
    (d / "empty.txt").write_text("   \n")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02 not text \xff" * 20)
    (d / "latin1.txt").write_bytes("Caf\xe9 au lait, s'il vous pla\xeet.".encode("latin-1"))
    (d / "long.txt").write_text(ARTICLE * 35)  # over 2,000 words: read in windows
    (d / "big.txt").write_text(ARTICLE * 60)  # over --max-bytes below
    (d / "dangling.txt").symlink_to(d / "missing.txt")
    return d


@pytest.fixture(scope="module")
def scheduler():
    """The address of an in-process cluster (threads, no worker processes: fast to start)."""
    from distributed import LocalCluster

    with LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_rows_on_a_cluster_equal_the_rows_of_a_local_run(tmp_path, tiny_model_path, scheduler):
    d = _folder(tmp_path / "d")
    args = ["label", str(d), "--model", str(tiny_model_path), "--max-bytes", "20000"]
    local, remote = tmp_path / "local.csv", tmp_path / "remote.csv"
    r1 = cli([*args, "--out", str(local)])
    r2 = cli([*args, "--out", str(remote), "--scheduler", scheduler])
    assert r1.exit_code == 2 and r2.exit_code == 2, r2.output  # error rows: exit 2 for both
    assert rows_of(remote) == rows_of(local)
    rows = {Path(x["path"]).name: x for x in rows_of(remote)}
    assert len(rows) == 47 and sum(bool(x["error"]) for x in rows.values()) == 5
    assert rows["spun.txt"]["label"] and not rows["spun.txt"]["error"]
    assert r2.stderr.count("\n") == r1.stderr.count("\n")  # the same one-line errors


def test_resume_on_a_cluster_labels_only_the_rest(tmp_path, tiny_model_path, scheduler):
    d = _folder(tmp_path / "d")
    out = tmp_path / "rows.jsonl"
    args = ["label", str(d), "--model", str(tiny_model_path), "-f", "jsonl", "--out", str(out)]
    assert cli([*args, "--scheduler", scheduler]).exit_code == 2
    first = out.read_text()
    (d / "new.txt").write_text(ARTICLE.replace("Tuesday", "Sunday"))
    r = cli([*args, "--scheduler", scheduler, "--resume"])
    assert r.exit_code == 2 and out.read_text().startswith(first)
    assert [Path(x["path"]).name for x in rows_of(out)][-1] == "new.txt"


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, tiny_model_path, monkeypatch):
    from mtdetect import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    d = _folder(tmp_path / "d")
    out = tmp_path / "rows.csv"
    nobody = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    r = cli(
        ["label", str(d), "--model", str(tiny_model_path), "--out", str(out)]
        + [
            "--scheduler",
            nobody,
        ]
    )
    assert r.exit_code == 2 and "cannot reach the Dask scheduler" in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.output
    assert not out.exists() and not Path(str(out) + ".partial").exists()


def test_a_worker_with_another_model_is_refused(tmp_path, tiny_model_path, scheduler, monkeypatch):
    from mtdetect import batch, cluster

    real = batch.model_digest
    calls = []

    def digest(options):  # the client's answer first, then the worker's
        calls.append(1)
        return real(options) if len(calls) == 1 else "another"

    monkeypatch.setattr(cluster, "model_digest", digest)
    d = _folder(tmp_path / "d")
    r = cli(["label", str(d), "--model", str(tiny_model_path), "--scheduler", scheduler])
    assert r.exit_code == 2 and "another model" in r.stderr
