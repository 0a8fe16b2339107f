"""The inflector under its old import path, for the build tools that import ``tools.inflect``:
the engine and its table are :mod:`mtdetect.morphology` (``Analysis`` is its ``Reading``)."""

from mtdetect.morphology import TAGS, Inflector, inflect, lemmatize, tag_pos
from mtdetect.morphology import Reading as Analysis

__all__ = ["TAGS", "Analysis", "Inflector", "inflect", "lemmatize", "tag_pos"]
