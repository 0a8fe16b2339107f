"""The decision rules: the scores the thresholds apply to, and the length buckets of a model.

A model decides with one threshold per rule and length bucket: each machine class of its
classifier (log P(class) − log P(human)) and each span-evidence rule that a feature family
declares (``decision_rules``: the density of its flags, a rule of its own next to the classes).
A text is held to the thresholds of the longest bucket its length reaches.
"""

from __future__ import annotations

import math
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
#: flags of these kinds in a document, a rule of its own next to the classes (label = the part
#: before "/"). Spinning flags are precise (≈0.9 of them hit a changed word) but the classifier
#: weighs them with everything else; as a rule of their own they raise spun detection on
#: held-out validation documents from 38% to 55% at the same per-class budget (split-half
#: check). The rule scores how unlikely the document's number of flags is for human text of its
#: length (:func:`evidence_score`), not their density: one flag in a 60-word text is a high
#: density but common in human text, six flags in 137 words are not.
@cache
def evidence_rules() -> dict[str, tuple[str, ...]]:
    """Rule name -> the feature columns (``family.feature``) whose sum is its density."""
    return _declared("decision_rules")


#: Flags per 1,000 words of human text, per evidence rule: the rate of :func:`evidence_score`'s
#: Poisson model. Measured on the human texts of the corpus *train* split (flags counted as
#: density × words / 1,000 from the feature columns of the rule; `python -m
#: tools.evidence_rate`): 0.73 for ``spun/flags`` (synonym swaps, broken names and listed
#: tortured phrases together). Only the ordering across lengths depends on it: each rule's
#: threshold is still chosen on validation human texts.
EVIDENCE_HUMAN_RATE = {"spun/flags": 0.73}
#: A text longer than this is judged as if it had this many words at its flag density: human
#: flag rates differ between registers and documents (Brown 1.2 per 1,000 words, WMT news
#: less), so over a book a small excess over the mean rate would look impossibly unlikely
#: for human text. Up to an article's length the count decides; beyond it, the density.
EVIDENCE_MAX_WORDS = 1000
#: Terms of the Poisson tail series summed (λ ≤ EVIDENCE_HUMAN_RATE: each term is at most
#: λ / (k + 1) of the one before, so 40 terms leave nothing measurable).
_TAIL_TERMS = 40


def evidence_score(rule: str, density: np.ndarray, words: np.ndarray) -> np.ndarray:
    """2·ln(1 + T), with T = −ln P(N ≥ k) for N ~ Poisson(rate · m / 1,000): how unlikely it
    is that human text of ``words`` words shows this many flags (k = density · m / 1,000,
    rounded; m = min(words, EVIDENCE_MAX_WORDS)). 0 without flags. The log keeps the score on
    the scale of the classes' log-odds (a few units), so the rules' margins stay comparable."""
    density = np.clip(np.asarray(density, dtype=float), 0, None)
    m = np.clip(np.asarray(words, dtype=float), 1, EVIDENCE_MAX_WORDS)
    k = np.round(density * m / 1000.0)
    lam = EVIDENCE_HUMAN_RATE[rule] * m / 1000.0
    kk = np.maximum(k, 1.0)
    # ln P(N = k) + ln(1 + λ/(k+1) + λ²/((k+1)(k+2)) + …): the tail, without scipy
    lgam = np.array([math.lgamma(v + 1.0) for v in kk.ravel()]).reshape(kk.shape)
    log_pk = -lam + kk * np.log(lam) - lgam
    term = np.ones_like(lam)
    series = np.ones_like(lam)
    for i in range(1, _TAIL_TERMS):
        term = term * lam / (kk + i)
        series = series + term
    tail = -(log_pk + np.log(series))
    return np.where(k > 0, 2.0 * np.log1p(np.clip(tail, 0, None)), 0.0)


#: Why a document is not human, in words, by the decision rule that decided (the one whose
#: score exceeds its threshold most); ``spun/flags`` is worded by :func:`basis` with the counts.
BASIS = {
    "translated": "the text as a whole reads as machine translation (the classifier)",
    "translated/roundtrip": "the text as a whole reads as a round trip through another "
    "language and back (the classifier)",
    "spun": "the text as a whole reads as spun: words swapped for synonyms (the classifier)",
    "spun/listed": "a listed tortured phrase (a known synonym-swapped term)",
    "translated/listed": "a listed calque (a foreign idiom rendered word for word)",
}


def basis(rule: str, density: float = 0.0, words: int = 0) -> str:
    """The reason a document is not human when ``rule`` decided (:data:`BASIS`); for an
    evidence rule, the flag count against what human text of that length shows."""
    if rule in EVIDENCE_HUMAN_RATE:
        rate = EVIDENCE_HUMAN_RATE[rule]
        if words > EVIDENCE_MAX_WORDS:
            return (
                f"spinning flags (swapped words, broken names, tortured phrases) at "
                f"{density:.1f} per 1,000 words, where human text shows about {rate:.1f}"
            )
        k = int(round(density * words / 1000.0))
        return (
            f"{k} spinning flag{'s' if k != 1 else ''} (swapped words, broken names, tortured "
            f"phrases) in {words} words, where human text of that length shows about "
            f"{rate * words / 1000.0:.1f}"
        )
    return BASIS.get(rule, f"the {rule} rule")


def _declared(attribute: str) -> dict[str, tuple[str, ...]]:
    """Rule name -> feature columns, gathered from the families' ``attribute`` declarations."""
    out: dict[str, list[str]] = {}
    for fam in family_classes():
        for rule, names in getattr(fam, attribute).items():
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
#: ... when its evidence reaches this density (per 1,000 words): one listed phrase decides a
#: text of up to 1,000 words — a sentence, a passage, an article — but not a book, where one
#: stray match among a million words says nothing (a long text's features are the mean over
#: its windows, i.e. its density).
HARD_MIN_DENSITY = 1.0


@cache
def hard_rules() -> dict[str, tuple[str, ...]]:
    """Hard-evidence rule name -> the feature columns (``family.feature``) that trigger it."""
    return _declared("hard_rules")


def hard_margins(X: np.ndarray, feature_names) -> dict[str, np.ndarray]:
    """Per hard rule whose features ``X`` has: HARD_MARGIN where their summed density reaches
    HARD_MIN_DENSITY, else a margin that never wins (−50)."""
    return {
        rule: np.where(density >= HARD_MIN_DENSITY, HARD_MARGIN, -50.0)
        for rule, density in rule_densities(X, feature_names, hard_rules()).items()
    }


def rule_densities(X: np.ndarray, feature_names, rules: dict) -> dict[str, np.ndarray]:
    """Per rule of ``rules`` (name -> feature columns) whose columns ``X`` has: the sum of
    those columns per row (the density of the rule's evidence)."""
    names = [str(n) for n in feature_names]
    if X.shape[1] != len(names):
        return {}
    return {
        rule: X[:, [names.index(c) for c in cols]].sum(axis=1)
        for rule, cols in rules.items()
        if all(c in names for c in cols)
    }


def decision_scores(
    classes, p: np.ndarray, X: np.ndarray, feature_names, words: Sequence[int]
) -> dict:
    """The scores the decision thresholds apply to, by rule name: log P(class) − log P(human)
    for each classifier class (``p`` = its probabilities), and :func:`evidence_score` for each
    evidence rule whose features ``X`` has (texts of ``words`` words)."""
    classes = [str(c) for c in classes]
    raw = np.clip(p, 1e-12, 1.0)
    h = classes.index("human")
    out = {c: np.log(raw[:, j]) - np.log(raw[:, h]) for j, c in enumerate(classes) if j != h}
    for rule, density in rule_densities(X, feature_names, evidence_rules()).items():
        out[rule] = evidence_score(rule, density, np.asarray(words))
    return out


def buckets_for(class_thresholds: dict, words: Sequence[int]) -> list[str]:
    """The THRESHOLD_BUCKETS entry of ``class_thresholds`` each text of ``words`` words is held
    to (buckets missing from a model fall back to a shorter one)."""
    have = sorted((m, b) for b, m in THRESHOLD_BUCKETS.items() if b in class_thresholds)
    return [max((m, b) for m, b in have if m <= w or m == have[0][0])[1] for w in words]
