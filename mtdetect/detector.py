"""The detector: a fitted vectorizer and classifier with its decision thresholds.

:meth:`Detector.analyze_many` turns texts into reports: one Analysis and feature vector per
document, one classifier call for the batch, the per-class decision of :mod:`mtdetect.decision`,
then the findings and (with ``explain``) the evidence sentences of :mod:`mtdetect.explain`.
Training is in :mod:`mtdetect.training`, saving and loading (with the card checks) in
:mod:`mtdetect.persistence`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from mtdetect import longdoc, normalize
from mtdetect.decision import (
    MIN_RELIABLE_WORDS,
    base_label,
    basis,
    buckets_for,
    decision_scores,
    evidence_rules,
    hard_margins,
    rule_densities,
)
from mtdetect.explain import evidence, sentence_reports
from mtdetect.findings import LABELS, Report
from mtdetect.spanmerge import merge
from mtdetect.text import Document
from mtdetect.vectorize import FeatureVectorizer

#: Findings below this score are weak evidence (e.g. an expanded contraction): they are shown
#: only when the document verdict is not human.
WEAK_FINDING = 0.5


def _calibrated_linear(clf) -> list | None:
    """Per calibration fold of a sigmoid-calibrated (``CalibratedClassifierCV``) scaler +
    multinomial logistic regression: (mean, scale, coef.T, intercept, a, b, class positions);
    None for any other classifier."""
    classes = list(getattr(clf, "classes_", []))
    folds = []
    for cc in getattr(clf, "calibrated_classifiers_", None) or []:
        steps = getattr(getattr(cc, "estimator", None), "named_steps", {})
        sc, lr = steps.get("standardscaler"), steps.get("logisticregression")
        cals = getattr(cc, "calibrators", [])
        if (
            sc is None
            or lr is None
            or getattr(cc, "method", "") != "sigmoid"
            or len(classes) < 3
            or lr.coef_.shape[0] != len(cals)
            or not all(hasattr(c, "a_") for c in cals)
        ):
            return None
        pos = [classes.index(c) for c in lr.classes_]
        a = np.array([c.a_ for c in cals], dtype=float)
        b = np.array([c.b_ for c in cals], dtype=float)
        mean = sc.mean_ if sc.mean_ is not None else 0.0
        scale = sc.scale_ if sc.scale_ is not None else 1.0
        folds.append((mean, scale, lr.coef_.T, lr.intercept_, a, b, pos))
    return folds or None


def _fast_proba(folds: list, X: np.ndarray, n_classes: int) -> np.ndarray:
    """scikit-learn's calibrated probabilities from :func:`_calibrated_linear` parameters:
    per fold, sigmoid(−(a·f + b)) of each class's decision value f, normalised per row
    (uniform if all are 0), averaged over the folds."""
    out = np.zeros((len(X), n_classes))
    for mean, scale, W, c0, a, b, pos in folds:
        f = ((X - mean) / scale) @ W + c0
        p = np.zeros((len(X), n_classes))
        p[:, pos] = expit(-(a * f + b))
        d = p.sum(axis=1, keepdims=True)
        out += np.divide(p, d, out=np.full_like(p, 1.0 / n_classes), where=d != 0)
    return out / len(folds)


def expit(x: np.ndarray) -> np.ndarray:
    """``scipy.special.expit``, bit for bit (it computes 1 / (1 + exp(-x)) with the C
    library's exp, which ``math.exp`` calls), without importing scipy (0.2 s of every process's
    start) for the few values of a batch; beyond exp's range, scipy's own."""
    flat = x.ravel().tolist()
    if not all(v > -700.0 for v in flat):  # (or NaN) scipy's handling of the far tail
        from scipy.special import expit as scipy_expit

        return scipy_expit(x)
    exp = math.exp
    return np.array([1.0 / (1.0 + exp(-v)) for v in flat], dtype=float).reshape(x.shape)


@dataclass
class Detector:
    """A fitted vectorizer + classifier with its decision thresholds and card.

    ``class_thresholds`` are the per-rule thresholds on :func:`~mtdetect.decision.decision_scores`,
    ``{bucket: {rule: t}}`` per THRESHOLD_BUCKETS entry, chosen on validation data (see
    :func:`mtdetect.thresholds.fit_class_thresholds`). ``calibration`` (``{bucket: [a, c]}``,
    fit on validation data by :func:`mtdetect.thresholds.fit_calibration`) turns the largest
    margin m of a score over its threshold into ``machine`` = σ(a·m + c), a calibrated
    P(not human); the default cut on ``machine`` in a bucket is then σ(c), the value at margin 0,
    so the label is ``human`` exactly when ``machine`` is below the threshold in force. Without
    calibration (older models) ``machine`` = σ(m) and the cut is ``threshold`` (0.5).
    ``short_threshold`` is kept for the model file and card (0.5; no rule uses it).
    """

    vectorizer: FeatureVectorizer
    classifier: object
    threshold: float
    card: dict
    short_threshold: float | None = None
    class_thresholds: dict | None = None
    calibration: dict | None = None
    #: the fitted parameters of the numpy path of :meth:`raw_proba` (None: scikit-learn's)
    _fast: list | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.class_thresholds:
            raise ValueError(
                "a model without per-class thresholds (trained before per-class decisions) "
                "cannot decide; run `make train`"
            )
        self._fast = _calibrated_linear(self.classifier)

    def thresholds_for(self, words: Sequence[int], threshold: float | None = None) -> np.ndarray:
        """The cut on ``machine`` each text is held to: ``threshold`` if given, else the model's
        (with calibration: σ(c) of the text's length bucket, the calibrated value of margin 0)."""
        return self._cuts(self.buckets_for(words), threshold)

    def _cuts(self, buckets: Sequence[str], threshold: float | None) -> np.ndarray:
        if threshold is not None:
            return np.full(len(buckets), float(threshold))
        if not self.calibration:
            return np.full(len(buckets), float(self.threshold))
        return expit(np.array([self._cal(b)[1] for b in buckets], dtype=float))

    def _cal(self, bucket: str) -> tuple[float, float]:
        cal = self.calibration or {}
        a, c = cal.get(bucket) or cal.get("long") or (1.0, 0.0)
        return float(a), float(c)

    def buckets_for(self, words: Sequence[int]) -> list[str]:
        """The THRESHOLD_BUCKETS entry of ``class_thresholds`` each text is held to."""
        return buckets_for(self.class_thresholds or {}, words)

    # -- scoring -------------------------------------------------------------------------
    def proba(self, X: np.ndarray) -> np.ndarray:
        """Probabilities in LABELS order (human, translated, spun) for a feature matrix; the
        classifier's sub-classes (``translated/roundtrip``) add to their label."""
        return self._by_label(self.raw_proba(X))

    def raw_proba(self, X: np.ndarray) -> np.ndarray:
        """The classifier's probabilities; for a sigmoid-calibrated scaler + logistic
        regression computed in numpy from its fitted parameters (the same numbers as
        scikit-learn's, without its per-call validation, which costs ~6 ms a call)."""
        if self._fast is None:
            return self.classifier.predict_proba(X)
        return _fast_proba(self._fast, np.asarray(X, dtype=float), len(self.classifier.classes_))

    def _by_label(self, p: np.ndarray) -> np.ndarray:
        out = np.zeros((len(p), len(LABELS)))
        for j, c in enumerate(self.classifier.classes_):
            out[:, LABELS.index(base_label(c))] += p[:, j]
        return out

    def score(
        self, X: np.ndarray, words: Sequence[int], threshold: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
        """(probabilities in LABELS order, machine score, label, threshold) per row of ``X``:
        :meth:`decide` without the basis."""
        P, machine, labels, ts, _ = self.decide(X, words, threshold)
        return P, machine, labels, ts

    def decide(
        self, X: np.ndarray, words: Sequence[int], threshold: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, list[str]]:
        """(probabilities in LABELS order, machine score, label, threshold) per row of ``X``.

        A text is machine-made when the score of some rule (a class's log-odds against human,
        or an evidence rule) reaches that rule's threshold: the largest margin m ≥ 0.
        ``machine`` = σ(a·m + c) with the calibration of the text's length bucket, so at the
        default threshold (σ(c)) the label is human exactly when m < 0, and it is the label of
        the rule with the largest margin otherwise. The probabilities are consistent with it:
        human = 1 − machine, and ``machine`` shared among the machine labels by a softmax of
        each label's best margin (the label named is the most probable machine class). The
        fifth item says in words why each text that is not human is not (the deciding rule's
        :func:`~mtdetect.decision.basis`; "" for a human verdict)."""
        p = self.raw_proba(X)
        buckets = self.buckets_for(words)
        ts = self._cuts(buckets, threshold)
        margin, rules = self._margins(X, words, buckets, p)
        best = margin.max(axis=1)
        if self.calibration:
            cal = np.array([self._cal(b) for b in buckets]).reshape(len(best), 2)
            best = cal[:, 0] * best + cal[:, 1]
        machine = expit(best)
        labels = [
            "human" if m < t else base_label(rules[int(np.argmax(row))])
            for m, t, row in zip(machine, ts, margin)
        ]
        P = np.zeros((len(best), len(LABELS)))
        P[:, 0] = 1.0 - machine
        kinds = LABELS[1:]
        by_kind = np.column_stack(
            [
                margin[:, [j for j, r in enumerate(rules) if base_label(r) == k]].max(axis=1)
                if any(base_label(r) == k for r in rules)
                else np.full(len(best), -np.inf)
                for k in kinds
            ]
        )
        e = np.exp(by_kind - by_kind.max(axis=1, keepdims=True))
        P[:, 1:] = machine[:, None] * e / e.sum(axis=1, keepdims=True)
        density = rule_densities(X, self.vectorizer.feature_names_, evidence_rules())
        why = []
        for i, (label, row, w) in enumerate(zip(labels, margin, words)):
            rule = rules[int(np.argmax(row))]
            d = max(float(density[rule][i]), 0.0) if rule in density else 0.0
            why.append("" if label == "human" else basis(rule, d, int(w)))
        return P, machine, labels, ts, why

    def margins(
        self, X: np.ndarray, words: Sequence[int], p: np.ndarray | None = None
    ) -> tuple[np.ndarray, list[str]]:
        """(margin of each decision rule's score over its threshold, per row; the rule names)."""
        return self._margins(X, words, self.buckets_for(words), p)

    def _margins(
        self,
        X: np.ndarray,
        words: Sequence[int],
        buckets: Sequence[str],
        p: np.ndarray | None = None,
    ) -> tuple[np.ndarray, list[str]]:
        p = self.raw_proba(X) if p is None else p
        R = decision_scores(self.classifier.classes_, p, X, self.vectorizer.feature_names_, words)
        rules = list(self.class_thresholds["long"])
        T = np.array([[self.class_thresholds[b][c] for c in rules] for b in buckets]).reshape(
            len(p), len(rules)
        )
        margin = np.column_stack([R[c] for c in rules]) - T
        hard = hard_margins(X, self.vectorizer.feature_names_)
        if hard:
            # hard evidence names the label too: where it fires, it leads every fitted rule
            lead = margin.max(axis=1) + 0.5
            fired = [np.where(h > 0, np.maximum(h, lead), h) for h in hard.values()]
            margin = np.column_stack([margin, *fired])
            rules = rules + list(hard)
        return margin, rules

    def analyze(self, text: str, path: str = "-", threshold: float | None = None) -> Report:
        """Score one text: label, probabilities, flags and the sentences that carry them."""
        return self.analyze_many([text], [path], threshold, explain=True)[0]

    def analyze_many(
        self,
        texts: Sequence[str],
        paths: Sequence[str] | None = None,
        threshold: float | None = None,
        explain: bool = False,
    ) -> list[Report]:
        """Score several texts with one classifier call (much faster per text in batches).

        With ``explain``, a document judged not human also gets its evidence sentences ranked by
        the model's score of each sentence on its own (costs about one more feature pass)."""
        if not texts:
            return []
        paths = list(paths) if paths is not None else ["-"] * len(texts)
        # hostile characters undone (offsets mapped back below); long texts read in windows
        cleaned = [normalize.clean(t) for t in texts]
        docs = [longdoc.document(c.text) for c in cleaned]
        extracted = longdoc.extract_many(self.vectorizer, docs)
        X = np.vstack([v for v, _ in extracted])
        P, M, labels, ts, why = self.decide(X, [d.n_words for d in docs], threshold)
        reports = []
        for doc, (_, findings), p, m, label, path, t, c, because in zip(
            docs, extracted, P, M, labels, paths, ts, cleaned, why
        ):
            if label == "human":
                findings = [f for f in findings if f.score >= WEAK_FINDING]
            findings = merge(findings)  # one flag per span: the best-supported rule's
            reports.append(
                Report(
                    path=path,
                    label=label,
                    machine=float(m),
                    scores={lab: float(v) for lab, v in zip(LABELS, p)},
                    reliable=doc.n_words >= MIN_RELIABLE_WORDS,
                    words=doc.n_words,
                    threshold=float(t),
                    basis=because,
                    flags=findings,
                    sentences=sentence_reports(doc, findings),
                )
            )
            whole = isinstance(doc, Document)  # a windowed one's evidence: its flagged sentences
            if explain and label != "human" and len(doc.sentences) > 1 and whole:
                reports[-1].sentences = evidence(self, doc, findings, label)
            reports[-1] = c.restore(reports[-1], doc)
        return reports
