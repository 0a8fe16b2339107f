"""A real package: the built wheel carries the model, its card and every table, and a fresh
install scores text from any folder (no checkout needed)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ARTICLE

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = ("mtdetect.model.json", "mtdetect.card.json")


def _run(args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=900, **kw)


def _shipped_tables() -> set[str]:
    """The table files of the checkout, as paths inside the wheel."""
    res = ROOT / "mtdetect" / "resources"
    return {
        p.relative_to(ROOT).as_posix()
        for p in res.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.parent.name != "model"
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, a fresh virtual environment with it installed)."""
    pytest.importorskip("build", reason="the dev extra installs `build`")
    tmp = tmp_path_factory.mktemp("package")
    dist = tmp / "dist"
    r = _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)])
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    (wheel,) = dist.glob("mtdetect-*.whl")
    venv = tmp / "venv"
    r = _run([sys.executable, "-m", "venv", str(venv)])
    assert r.returncode == 0, r.stderr
    r = _run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)])
    assert r.returncode == 0, r.stderr[-2000:]
    return wheel, venv


@pytest.mark.slow
def test_the_wheel_carries_the_model_its_card_and_every_table(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in MODEL_FILES:
        packaged = f"mtdetect/resources/model/{name}"
        assert packaged in names
        with zipfile.ZipFile(wheel) as z:  # the same bytes as the checkout's models/
            assert z.read(packaged) == (ROOT / "models" / name).read_bytes()
    missing = _shipped_tables() - names
    assert not missing, f"tables missing from the wheel: {sorted(missing)}"


@pytest.mark.slow
def test_a_fresh_install_scores_from_any_folder(installed, tmp_path):
    _, venv = installed
    env = {k: v for k, v in os.environ.items() if k not in ("MTDETECT_MODEL", "PYTHONPATH")}
    work = tmp_path / "elsewhere"  # no checkout, no models/ folder in sight
    work.mkdir()
    (work / "article.txt").write_text(ARTICLE, encoding="utf-8")
    exe = str(venv / "bin" / "mtdetect")
    r = _run([exe, "score", "article.txt", "--format", "json"], cwd=work, env=env)
    assert r.returncode in (0, 1), r.stderr
    assert '"label"' in r.stdout and "internal error" not in r.stderr
    # the model is the package's own copy, read through importlib.resources
    code = "from mtdetect.persistence import resolve_model_path as r; print(r())"
    r = _run([str(venv / "bin" / "python"), "-c", code], cwd=work, env=env)
    where = Path(r.stdout.strip())
    assert where.is_relative_to(venv) and where.parts[-3:-1] == ("resources", "model"), where
    # --model and MTDETECT_MODEL still override it
    missing = str(work / "no-such.model.json")
    for args, extra in (
        (["--model", missing], {}),
        ([], {"MTDETECT_MODEL": missing}),
    ):
        r = _run([exe, "score", "article.txt", *args], cwd=work, env={**env, **extra})
        assert r.returncode == 2 and "no-such.model.json" in r.stderr, r.stderr
    r = _run(
        [exe, "score", "article.txt"],
        cwd=work,
        env={**env, "MTDETECT_MODEL": str(ROOT / "models" / "mtdetect.model.json")},
    )
    assert r.returncode in (0, 1), r.stderr
