"""The decision rules: the scores the thresholds apply to, and the length buckets of a model.

A model decides with one threshold per rule and length bucket: each machine class of its
classifier (log P(class) − log P(human)) and each span-evidence rule that a feature family
declares (``decision_rules``: the density of its flags, a rule of its own next to the classes).
A text is held to the thresholds of the longest bucket its length reaches.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from mtdetect.features import family_classes

MIN_RELIABLE_WORDS = 50
#: Length buckets of the per-class thresholds: a text is held to the thresholds of the longest
#: bucket whose minimum it reaches (buckets missing from a model fall back to a shorter one).
#: "passage" is the evaluation unit (150+ words); "long" the rest of the reliable texts.
THRESHOLD_BUCKETS = {"short": 0, "long": MIN_RELIABLE_WORDS, "passage": 150}


def base_label(cls: object) -> str:
    """The output label of a classifier class: ``translated/roundtrip`` -> ``translated``."""
    return str(cls).split("/", 1)[0]


#: Span-evidence rules of the decision (declared by the families as ``decision_rules``): the
#: density (per 1,000 words) of a document's flags of these kinds, a rule of its own next to the
#: classes (label = the part before "/"). Spinning flags are precise (≈0.9 of them hit a changed
#: word) but the classifier weighs them with everything else; as a rule of their own they raise
#: spun detection on held-out validation documents from 38% to 55% at the same per-class budget
#: (split-half check). With the tail estimate of
#: :func:`mtdetect.thresholds.quantile_threshold`, flag densities of 50–150-word human texts
#: (few words, so one flag is a high density) put this rule's threshold out of reach below 150
#: words: there the classifier's `spun` rule decides alone.
@cache
def evidence_rules() -> dict[str, tuple[str, ...]]:
    """Rule name -> the feature columns (``family.feature``) whose sum is its density."""
    out: dict[str, list[str]] = {}
    for fam in family_classes():
        for rule, names in fam.decision_rules.items():
            out.setdefault(rule, []).extend(f"{fam.name}.{n}" for n in names)
    return {rule: tuple(cols) for rule, cols in out.items()}


#: The margin a hard-evidence rule (``hard_rules`` of the families: a listed tortured phrase, a
#: listed calque) gives a text that shows its evidence: the text is machine-made whatever the
#: classifier says, at any length ("a single listed tortured phrase makes even a one-sentence
#: text spun"). These rules have no fitted threshold: their evidence is (measured on the corpus,
#: every split) almost absent from human text — listed tortured phrases in 2 of 11,760 human
#: passages, listed calques in none — so they add practically nothing to the false positives
#: the fitted rules are budgeted for.
HARD_MARGIN = 3.0


@cache
def hard_rules() -> dict[str, tuple[str, ...]]:
    """Hard-evidence rule name -> the feature columns (``family.feature``) that trigger it."""
    out: dict[str, list[str]] = {}
    for fam in family_classes():
        for rule, names in fam.hard_rules.items():
            out.setdefault(rule, []).extend(f"{fam.name}.{n}" for n in names)
    return {rule: tuple(cols) for rule, cols in out.items()}


def hard_margins(X: np.ndarray, feature_names) -> dict[str, np.ndarray]:
    """Per hard rule whose features ``X`` has: HARD_MARGIN where any of them is positive, else a
    margin that never wins (−50)."""
    names = [str(n) for n in feature_names]
    out = {}
    if X.shape[1] != len(names):
        return out
    for rule, cols in hard_rules().items():
        if all(c in names for c in cols):
            hit = (X[:, [names.index(c) for c in cols]] > 0).any(axis=1)
            out[rule] = np.where(hit, HARD_MARGIN, -50.0)
    return out


def decision_scores(classes, p: np.ndarray, X: np.ndarray, feature_names) -> dict:
    """The scores the decision thresholds apply to, by rule name: log P(class) − log P(human)
    for each classifier class (``p`` = its probabilities), and 2·ln(1 + density) for each
    evidence rule whose features ``X`` has (comparable in scale to log-odds)."""
    classes = [str(c) for c in classes]
    raw = np.clip(p, 1e-12, 1.0)
    h = classes.index("human")
    out = {c: np.log(raw[:, j]) - np.log(raw[:, h]) for j, c in enumerate(classes) if j != h}
    names = [str(n) for n in feature_names]
    if X.shape[1] == len(names):
        for rule, cols in evidence_rules().items():
            if all(c in names for c in cols):
                density = np.clip(X[:, [names.index(c) for c in cols]].sum(axis=1), 0, None)
                out[rule] = 2.0 * np.log1p(density)
    return out


def buckets_for(class_thresholds: dict, words: Sequence[int]) -> list[str]:
    """The THRESHOLD_BUCKETS entry of ``class_thresholds`` each text of ``words`` words is held
    to (buckets missing from a model fall back to a shorter one)."""
    have = sorted((m, b) for b, m in THRESHOLD_BUCKETS.items() if b in class_thresholds)
    return [max((m, b) for m, b in have if m <= w or m == have[0][0])[1] for w in words]
