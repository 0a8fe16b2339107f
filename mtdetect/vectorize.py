"""Texts → feature matrix, scikit-learn style, from the discovered feature families."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from mtdetect.analysis import Analysis
from mtdetect.features import FeatureFamily, family_classes
from mtdetect.findings import Finding
from mtdetect.resources import SHIPPED, Resources
from mtdetect.text import Document


def resolve_families(names: Sequence[str] | None = None) -> list[FeatureFamily]:
    """Instances of the named families (when ``names`` is None: every discovered one that is
    not opt-in)."""
    classes = {c.name: c for c in family_classes()}
    if names is None:
        return [c() for c in classes.values() if not c.opt_in]
    missing = [n for n in names if n not in classes]
    if missing:
        raise KeyError(f"unknown feature families: {', '.join(missing)}")
    return [classes[n]() for n in names]


class FeatureVectorizer(BaseEstimator, TransformerMixin):
    """Turns texts (or :class:`Document` objects) into a float matrix.

    ``families``: names of the feature families to use, in order; ``None`` means all installed.
    ``resources``: the tables the families read (``None``: the shipped ones).
    """

    def __init__(self, families: Sequence[str] | None = None, resources: Resources | None = None):
        self.families = families
        self.resources = resources

    def fit(self, X: Iterable | None = None, y=None) -> FeatureVectorizer:
        self.resources_ = self.resources if self.resources is not None else SHIPPED
        self.families_ = resolve_families(self.families)
        self.family_versions_ = {f.name: f.version for f in self.families_}
        self.feature_names_ = np.array(
            [f"{f.name}.{n}" for f in self.families_ for n in f.feature_names], dtype=object
        )
        return self

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.feature_names_.copy()

    def extract(self, doc: Document | str) -> tuple[np.ndarray, list[Finding]]:
        """The feature vector and all findings of one document (one Analysis that every
        family reads)."""
        a = Analysis.of(doc, self.resources_)
        parts: list[np.ndarray] = []
        findings: list[Finding] = []
        for fam in self.families_:
            values, found = fam.measure(a)
            values = np.asarray(values, dtype=float)
            if values.shape != (len(fam.feature_names),):
                raise ValueError(
                    f"feature family {fam.name!r} returned {values.shape[0]} values for "
                    f"{len(fam.feature_names)} names"
                )
            parts.append(values)
            findings.extend(found)
        vec = np.concatenate(parts) if parts else np.zeros(0)
        findings.sort(key=lambda f: (f.start, f.end, f.rule))
        return np.nan_to_num(vec, nan=0.0, posinf=0.0, neginf=0.0), findings

    def transform(self, X: Iterable[Document | str]) -> np.ndarray:
        rows = [self.extract(x)[0] for x in X]
        if not rows:
            return np.zeros((0, len(self.feature_names_)))
        return np.vstack(rows)
