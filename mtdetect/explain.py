"""Explanations of a verdict: the sentences that carry the evidence, and the feature families
that drive the classifier's score.

A non-human verdict is explained by its flagged sentences and by the sentences the model scores
highest on their own, each with the families that push it most ("driven mostly by words machine
translation favours and how predictable its wording is": each family declares its ``explanation``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np

from mtdetect.decision import base_label
from mtdetect.features import family_classes
from mtdetect.findings import LABELS, Finding, SentenceReport
from mtdetect.text import Document
from mtdetect.vectorize import FeatureVectorizer

#: Documents with more sentences than this get no per-sentence model ranking (it would cost a
#: second feature pass per sentence); their flagged sentences are still reported.
MAX_EVIDENCE_SENTENCES = 400


class Model(Protocol):
    """What an explanation reads of a detector."""

    vectorizer: FeatureVectorizer
    classifier: object

    def proba(self, X: np.ndarray) -> np.ndarray: ...

    def raw_proba(self, X: np.ndarray) -> np.ndarray: ...


@cache
def explanations() -> dict[str, str]:
    """Family name -> what a push of its features means, in words."""
    return {c.name: c.explanation for c in family_classes()}


def family_contributions(model: Model, X: np.ndarray, label: str) -> tuple[list[str], np.ndarray]:
    """(families, contributions): per row of ``X`` and feature family, how much the family
    moves the linear score of ``label`` over ``human`` (standardised value × coefficient
    difference, averaged over the calibration folds). For a label with sub-classes, each row
    uses the sub-class the classifier finds most likely. Zeros if the classifier is not a
    (calibrated) scaler + logistic-regression pipeline."""
    names = [str(n).split(".", 1)[0] for n in model.vectorizer.feature_names_]
    fams = list(dict.fromkeys(names))
    member = np.array([fams.index(n) for n in names])
    total = np.zeros((len(X), len(fams)))
    classes = [str(c) for c in model.classifier.classes_]
    subs = [j for j, c in enumerate(classes) if base_label(c) == label]
    if not subs or "human" not in classes:
        return fams, total
    raw = model.raw_proba(X)
    pick = np.array(subs)[np.argmax(raw[:, subs], axis=1)]
    pipes = [c.estimator for c in getattr(model.classifier, "calibrated_classifiers_", [])]
    pipes = pipes or [model.classifier]
    n = 0
    for pipe in pipes:
        steps = getattr(pipe, "named_steps", {})
        scaler, lr = steps.get("standardscaler"), steps.get("logisticregression")
        if scaler is None or lr is None or lr.coef_.shape[0] != len(classes):
            continue
        order = [list(map(str, lr.classes_)).index(c) for c in classes]
        coef = lr.coef_[order]
        diff = coef[pick] - coef[classes.index("human")]  # row x feature
        contrib = scaler.transform(X) * diff
        for j in range(len(fams)):
            total[:, j] += contrib[:, member == j].sum(axis=1)
        n += 1
    return fams, total / max(1, n)


def family_pushes(model: Model, X: np.ndarray, label: str) -> list[list[str]]:
    """Per row of ``X``: the families that push ``label`` over ``human``, strongest first
    (positive pushes only)."""
    fams, total = family_contributions(model, X, label)
    order = np.argsort(-total, axis=1)
    return [[fams[j] for j in row if total[i, j] > 0] for i, row in enumerate(order)]


def evidence(
    model: Model, doc: Document, findings: Sequence[Finding], label: str, top: int = 3
) -> list[SentenceReport]:
    """Flagged sentences plus the ``top`` sentences the model finds most ``label``-like."""
    k = LABELS.index(label)
    sents = [s for s in doc.sentences if any(t.is_word for t in doc.sentence_tokens(s))]
    if not sents or len(sents) > MAX_EVIDENCE_SENTENCES:  # huge files: flags only
        return sentence_reports(doc, findings)
    X = np.vstack([model.vectorizer.extract(Document(doc.sentence_text(s)))[0] for s in sents])
    p = model.proba(X)[:, k]
    pushes = family_pushes(model, X, label)
    flagged = {r.index: r for r in sentence_reports(doc, findings)}
    ranked = [i for i in np.argsort(-p)[:top] if p[i] >= 0.5]
    out = dict(flagged)
    for i in ranked:
        s = sents[i]
        r = flagged.get(s.index)
        why = " and ".join(explanations().get(f) or f for f in pushes[i][:2])
        reason = (
            f"this sentence alone reads as {label} (model score {p[i]:.2f})"
            + (f", driven mostly by {why}" if why else ""),
        )
        line, _ = doc.line_col(s.start)
        out[s.index] = SentenceReport(
            s.index,
            line,
            s.start,
            s.end,
            doc.sentence_text(s),
            max(float(p[i]), r.score if r else 0.0),
            (r.reasons if r else ()) + reason,
        )
    return [out[i] for i in sorted(out)]


def sentence_reports(doc: Document, findings: Sequence[Finding]) -> list[SentenceReport]:
    """The sentences that hold findings, each scored 1 - Π(1 - finding score)."""
    by_sent: dict[int, list] = {}
    for f in findings:
        by_sent.setdefault(f.sentence, []).append(f)
    out = []
    for i in sorted(by_sent):
        s = doc.sentences[i]
        fs = by_sent[i]
        score = 1.0 - float(np.prod([1.0 - min(1.0, f.score) for f in fs]))
        line, _ = doc.line_col(s.start)
        reasons = tuple(dict.fromkeys(f.reason for f in fs))
        out.append(SentenceReport(i, line, s.start, s.end, doc.sentence_text(s), score, reasons))
    return out
