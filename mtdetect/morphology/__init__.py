"""English morphology: one table of irregular forms (:mod:`.table`) read by two routines.

- :mod:`.inflector`: inflection and lemmatisation with Penn tags (``inflect("make an attempt",
  "v", "VBG")`` → ``making an attempt``), for the spinner and the candidate table (build time);
- :mod:`.forms`: the forms a word may take in a fixed expression (tolerant matching of idioms and
  calques, run time), and the one form a suggestion needs.
"""

from mtdetect.morphology.forms import (
    inflect_like,
    labelled_forms,
    noun_forms,
    pick_form,
    word_forms,
)
from mtdetect.morphology.inflector import TAGS, Inflector, Reading, inflect, lemmatize, tag_pos

__all__ = [
    "TAGS",
    "Inflector",
    "Reading",
    "inflect",
    "inflect_like",
    "labelled_forms",
    "lemmatize",
    "noun_forms",
    "pick_form",
    "tag_pos",
    "word_forms",
]
