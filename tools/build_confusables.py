"""Build ``mtdetect/resources/confusables_latin.tsv``: letters of other scripts that look like a
Latin letter (Cyrillic ``а`` for ``a``, Greek ``ο`` for ``o``, fullwidth and mathematical
letters), from Unicode's confusables data (UTS #39) as packaged by ``confusable-homoglyphs``
(build extra). ``mtdetect.normalize`` reads them as their Latin letters inside Latin words.

    python -m tools.build_confusables

Only single letters that map to a single ASCII letter are kept, from the scripts a writer
hiding English text would use: look-alikes inside Latin words are how text is hidden from
detectors, while accented Latin letters (é, ñ) are ordinary spelling and never in the table.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "mtdetect" / "resources" / "confusables_latin.tsv"
SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")
#: Latin-script or common letters that are only look-alikes (fullwidth, mathematical styles).
STYLED = ("FULLWIDTH LATIN", "MATHEMATICAL ")


def build() -> list[tuple[str, str, str]]:
    from confusable_homoglyphs import categories, confusables

    rows = []
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or not unicodedata.category(char).startswith("L") or char.isascii():
            continue
        name = unicodedata.name(char, "")
        script = categories.alias(char)
        if script not in SCRIPTS and not name.startswith(STYLED):
            continue
        latin = {g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii()}
        latin = {c for c in latin if c.isalpha()}
        if len(latin) == 1:
            letter = latin.pop()
            # UTS #39 folds I and l to one prototype, l; a capital that looks like it is an I
            if letter == "l" and unicodedata.category(char) == "Lu":
                letter = "I"
            rows.append((f"U+{ord(char):04X}", letter, name))
    return sorted(rows, key=lambda r: int(r[0][2:], 16))


def main() -> int:
    import importlib.metadata as md

    rows = build()
    head = (
        "# Letters that look like a Latin letter: code point, the Latin letter, Unicode name.\n"
        "# Derived by tools/build_confusables.py from Unicode's confusables.txt (UTS #39, "
        f"Unicode {unicodedata.unidata_version} data as packaged by confusable-homoglyphs "
        f"{md.version('confusable-homoglyphs')}); see NOTICE.\n"
    )
    OUT.write_text(head + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} letters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
