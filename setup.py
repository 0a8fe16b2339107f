"""Build hook (the rest of the build is declared in pyproject.toml): an installed wheel carries
the shipped model and its card as package data, copied from ``models/`` (where ``make train``
writes them) into ``mtdetect/resources/model/`` of the build. ``models/`` stays the one place a
checkout keeps its model; :func:`mtdetect.persistence.shipped_model` finds either."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODEL_FILES = ("mtdetect.model.json", "mtdetect.card.json")


class BuildPyWithModel(build_py):
    """build_py, plus the shipped model copied into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads models/ of the checkout itself
        src = Path(__file__).resolve().parent / "models"
        dst = Path(self.build_lib) / "mtdetect" / "resources" / "model"
        missing = [n for n in MODEL_FILES if not (src / n).is_file()]
        if missing:
            raise SystemExit(f"cannot build: {', '.join(missing)} missing in {src} (make train)")
        dst.mkdir(parents=True, exist_ok=True)
        for name in MODEL_FILES:
            shutil.copyfile(src / name, dst / name)


setup(cmdclass={"build_py": BuildPyWithModel})
