"""Project configuration: ``.mtdetect.toml`` (top-level keys) or ``[tool.mtdetect]`` in
``pyproject.toml``, the first found going up from the working directory (in one folder,
``.mtdetect.toml`` wins). Keys:

- ``threshold`` — the cut on ``machine`` (number in [0, 1]; default: the model's);
- ``fail-on`` — ``error`` | ``warning`` | ``never``: flags of at least this severity make the
  exit status 1, as a non-human verdict does (default ``error``);
- ``select`` / ``ignore`` — rule ids or prefixes, as ruff does (the most specific wins);
- ``accept`` — terms and names never flagged (matched as whole words, any case);
- ``exclude`` — glob patterns of files and folders ``label`` leaves out (``drafts/**``,
  ``*.generated.md``; a pattern without ``/`` matches a name at any depth).

Command-line options override the file. A bad file is an input error naming the file and key.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from mtdetect.inputs import InputError
from mtdetect.rules import check_selectors

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FAIL_ON = ("error", "warning", "never")
FILE = ".mtdetect.toml"


@dataclass(frozen=True)
class Config:
    """Settings of a run (see module doc); ``source`` is the file they came from."""

    threshold: float | None = None
    fail_on: str = "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: str | None = None

    def override(self, **options) -> Config:
        """This config with the options that are not None (command-line values) put in."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})


def find(start: Path | None = None) -> Path | None:
    """The config file for ``start`` (default: the working directory), or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / FILE
        if own.is_file():
            return own
        py = folder / "pyproject.toml"
        if py.is_file() and "mtdetect" in _read(py).get("tool", {}):
            return py
    return None


def load(path: Path | None = None) -> Config:
    """The config of ``path`` (a ``.mtdetect.toml`` or ``pyproject.toml``), or of the file
    :func:`find` finds; the defaults when there is none."""
    path = path if path is not None else find()
    if path is None:
        return Config()
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("mtdetect", {})
    return parse(data, str(path))


def parse(data: dict, source: str = "config") -> Config:
    """A Config from the keys of a config table, checked (InputError on a bad key or value)."""
    known = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name != "source"}
    out: dict = {"source": source}
    for key, value in data.items():
        name = known.get(key) or (key if key in known.values() else None)
        if name is None:
            raise InputError(f"{source}: unknown key {key!r} (known: {', '.join(known)})")
        where = f"{source}: {key}"
        if name == "threshold":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InputError(f"{where}: must be a number in [0, 1]")
            if not 0.0 <= value <= 1.0:
                raise InputError(f"{where}: must be a number in [0, 1], got {value}")
            out[name] = float(value)
        elif name == "fail_on":
            if value not in FAIL_ON:
                raise InputError(f"{where}: must be one of {', '.join(FAIL_ON)}")
            out[name] = value
        else:
            items = _strings(value, where)
            out[name] = check_selectors(items, where) if name in ("select", "ignore") else items
    return Config(**out)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable) or not all(isinstance(v, str) and v for v in value):
        raise InputError(f"{where}: must be a list of strings")
    return tuple(value)


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{path}: not valid TOML ({e})") from None
