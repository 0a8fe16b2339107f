"""Cross-fitting folds shared by the learned-table families (``word_choice``, ``translationese``).

A learned table also ships out-of-fold versions, each learned without one fold of the training
documents, and ``word_choice_folds.tsv`` lists the sha1 key of every training text with its
fold. A training text is scored with the version that never saw it, so a classifier fit on the
train split learns from honest (out-of-sample) scores; every other text uses the full table.
Folds are assigned by source document (:func:`fold_of_group`), the same for every family.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

from mtdetect import resources

FOLDS = "word_choice_folds.tsv"
N_FOLDS = 5


#: Evaluation only (``tools/eval_lolo.py --refit-tables``): with ``MTDETECT_FOLDS=langpair`` in
#: the environment of a table build, a WMT group takes its fold from its language pair, so every
#: WMT training text is scored by tables that never saw its language pair.
LANGPAIR_FOLDS = {
    "zh-en": 0,
    "ha-en": 1,
    "de-en": 2,
    "cs-en": 2,
    "ja-en": 3,
    "is-en": 3,
    "ru-en": 4,
}


def fold_of_group(group: str) -> int:
    """Cross-fitting fold of a corpus group, by its source document (the group minus its
    trailing line range), so passages of one document share a fold."""
    if os.environ.get("MTDETECT_FOLDS") == "langpair":
        parts = group.split(":")
        if parts[0].startswith("wmt") and len(parts) > 1 and parts[1] in LANGPAIR_FOLDS:
            return LANGPAIR_FOLDS[parts[1]]
    doc = group.rsplit(":", 1)[0] if group.count(":") >= 2 else group
    return zlib.crc32(doc.encode("utf-8")) % N_FOLDS


def text_key(text: str) -> str:
    """Key of a training text in the fold table."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def read_folds(path: Path) -> dict[str, int]:
    """sha1 key of each training text -> its fold (see :func:`text_key`); empty if the fold
    table is not shipped."""
    if not path.is_file():
        return {}
    return {h: int(f) for h, f in resources.rows(path)}


def folds(res: resources.Resources = resources.SHIPPED) -> dict[str, int]:
    """The fold table of ``res`` (by default the shipped one)."""
    return res.get(FOLDS, read_folds)


def table_of(text: str, fold_table: dict[str, int]) -> int:
    """Index of the table version to score ``text`` with: 0 (the full table) for any text
    that is not a training text, else 1 + its fold."""
    return fold_table.get(text_key(text), -1) + 1
