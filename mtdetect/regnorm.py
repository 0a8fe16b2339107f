"""Register normalisation: features measured against the human baseline of the text's register.

Whether a text reads as rewritten is judged against human text of its kind: a rare word, a long
sentence or a missing contraction means one thing in a science abstract and another in a chat
log. A small register classifier (multinomial logistic regression on register-revealing columns:
function words, contractions, pronouns, word frequency, repetition), fitted on human training
texts, gives each text a posterior over registers; each feature is then expressed in standard
deviations from the human mean of each register, weighted by that posterior:

    z(x) = sum_r P(r | x) * (x - mean_r) / sd_r

The classifier of the detector sees z(x) (and x itself, see :class:`RegisterNormClassifier`).
Every parameter is a number array, so the model file stays plain JSON.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Column prefixes (``family.feature``) the register classifier reads.
REGISTER_COLUMNS = (
    "function_words.",
    "contractions.",
    "pronouns.",
    "fluency.zipf",
    "fluency.rare",
    "repetition.",
)
#: Fewer human training texts of a register than this and it gets no baseline of its own.
MIN_REGISTER_TEXTS = 30


class RegisterNorm:
    """Fitted register posterior + per-register human means and deviations."""

    def __init__(self, feature_names: Sequence[str], C: float = 0.1) -> None:
        self.feature_names = [str(n) for n in feature_names]
        self.C = C
        self.cols = [i for i, n in enumerate(self.feature_names) if n.startswith(REGISTER_COLUMNS)]

    def fit(self, X: np.ndarray, registers: Sequence[str]) -> RegisterNorm:
        """Fit on human texts ``X`` with their register names (empty names are ignored)."""
        from sklearn.linear_model import LogisticRegression

        regs = np.asarray([str(r) for r in registers])
        names, counts = np.unique(regs[regs != ""], return_counts=True)
        self.classes = [str(n) for n, c in zip(names, counts) if c >= MIN_REGISTER_TEXTS]
        if len(self.classes) < 2:
            raise ValueError("register normalisation needs human texts of two registers or more")
        keep = np.isin(regs, self.classes)
        Z = X[keep][:, self.cols]
        self.center = Z.mean(axis=0)
        self.scale = Z.std(axis=0) + 1e-9
        lr = LogisticRegression(C=self.C, max_iter=3000)
        lr.fit((Z - self.center) / self.scale, regs[keep])
        if len(self.classes) == 2:  # binary LR has one row: the second class's log-odds
            self.coef = np.vstack([np.zeros_like(lr.coef_[0]), lr.coef_[0]])
            self.intercept = np.array([0.0, lr.intercept_[0]])
        else:
            order = [list(lr.classes_).index(c) for c in self.classes]
            self.coef, self.intercept = lr.coef_[order], lr.intercept_[order]
        self.mean = np.stack([X[regs == c].mean(axis=0) for c in self.classes])
        self.sd = np.stack([X[regs == c].std(axis=0) + 1e-6 for c in self.classes])
        return self

    def posterior(self, X: np.ndarray) -> np.ndarray:
        """P(register | x), rows sum to 1, columns in ``classes`` order."""
        Z = (X[:, self.cols] - self.center) / self.scale
        s = Z @ self.coef.T + self.intercept
        s -= s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        P = self.posterior(X)
        out = np.zeros_like(X)
        for j in range(len(self.classes)):
            out += P[:, j : j + 1] * ((X - self.mean[j]) / self.sd[j])
        return out

    # -- plain data -----------------------------------------------------------------------
    FIELDS = ("cols", "center", "scale", "coef", "intercept", "mean", "sd")

    def to_dict(self) -> dict:
        d = {"classes": self.classes, "feature_names": self.feature_names, "C": self.C}
        for f in self.FIELDS:
            d[f] = np.asarray(getattr(self, f)).tolist()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> RegisterNorm:
        self = cls(d["feature_names"], float(d["C"]))
        self.classes = [str(c) for c in d["classes"]]
        for f in cls.FIELDS:
            setattr(self, f, np.asarray(d[f], dtype=int if f == "cols" else float))
        self.cols = [int(i) for i in self.cols]
        return self


class RegisterNormClassifier:
    """A classifier that sees ``[x, z(x)]``: the raw features and their register-normalised
    values. ``registers`` names the register of each row ``fit`` will get (the normaliser is fit
    on the rows whose label is ``human``)."""

    def __init__(self, base, feature_names: Sequence[str], registers: Sequence[str]) -> None:
        self.base = base
        self.feature_names = list(feature_names)
        self.registers = list(registers)
        self.norm: RegisterNorm | None = None

    def _aug(self, X: np.ndarray) -> np.ndarray:
        return np.hstack([X, self.norm.transform(X)])

    def fit(self, X: np.ndarray, y: Sequence[str]) -> RegisterNormClassifier:
        y = np.asarray(y)
        regs = np.asarray(self.registers)
        hum = y == "human"
        self.norm = RegisterNorm(self.feature_names).fit(X[hum], regs[hum])
        self.base.fit(self._aug(X), y)
        self.classes_ = self.base.classes_
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.base.predict_proba(self._aug(np.asarray(X, dtype=float)))
