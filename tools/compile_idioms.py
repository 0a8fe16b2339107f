"""Compile the shipped idiom tables (idioms, calques, relatives, kinds) into
``mtdetect/resources/idioms_compiled.json``, the form ``mtdetect`` reads at start-up (see
``mtdetect/idiomatch/compiled.py``). Run after editing any of those tables (``make tables``
runs it): ``tests/test_idioms_compiled.py`` fails until then, and ``mtdetect`` builds the
matcher from the tables at each start (correct, ~0.2 s slower).

    python -m tools.compile_idioms
"""

from __future__ import annotations

import sys

from mtdetect.idiomatch import compiled, tables
from mtdetect.resources import resource_path


def main() -> int:
    idioms = resource_path(tables.IDIOMS)
    out = resource_path(tables.COMPILED)
    src = tables.source_files(idioms)
    compiled.write(tables.read_matcher(idioms), src, out)
    print(f"{out}: {out.stat().st_size:,} bytes from {len(src)} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
