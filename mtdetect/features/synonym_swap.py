"""Synonym swaps: a word the context does not expect where a thesaurus neighbour fits far better.

A spinner replaces "working hard to stop the fighting" by "working arduous to cease the
fighting". For every word or short phrase B that a thesaurus could have produced, the candidate
table (``tools/build_candidates.py``) lists the originals A it may have replaced; the trigram LM
scores the window around B with each A substituted. A span is flagged when a small logistic
model over these scores (how much more probable the window is with A, how much of that is
context rather than word frequency, how rare B is, whether B's n-grams are unseen...) says so
with a threshold set on human text of the train/valid splits so that there is at most about one
false flag per 1,000 human words (``tools/eval_spans.py fit``).
"""

from __future__ import annotations

import math

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features._swap_findings import context_phrase, make_findings, observed
from mtdetect.features.base import FeatureFamily, Rule, per_1000, percentiles
from mtdetect.findings import Finding
from mtdetect.swapscore import SpanScores, models, scores_many
from mtdetect.wording import times

SWAP = Rule(
    id="collocation.synonym-swap",
    kind="collocation",
    severity="warning",
    catches="a word or phrase where a thesaurus neighbour fits the context far better "
    '("weighty rain" for "heavy rain")',
    reasons={
        "likely": "'{observed}' where '{expected}' is expected: '{good}' is {ratio} more likely "
        "in English than '{bad}'",
        "substitute": "'{observed}' reads like a thesaurus substitute for '{expected}'",
    },
    flags=(
        "The storm caused weighty rain and flooding across the region.",
        "Workers were toiling difficult to cease the fighting in the city.",
        "The company said it would cut jobs, citing a tumble in requirement for its merchandises.",
    ),
    passes=(
        "The storm caused heavy rain and flooding across the region.",
        "Workers were working hard to stop the fighting in the city.",
        "The company said it would cut jobs, citing a fall in demand for its products.",
        "He has been in jail since last year, awaiting trial on fraud charges.",
    ),
)


class SynonymSwap(FeatureFamily):
    name = "synonym_swap"
    explanation = "words where a synonym is far more expected"
    decision_rules = {"spun/flags": ("swap_per_1000",)}
    version = "3"
    feature_names = (
        "swap_per_1000",
        "swap_score_mean",
        "swap_score_p90",
        "swap_score_max",
        "swap_delta_mean",
        "swap_delta_p90",
        "swap_high_delta_per_1000",
        "swap_cand_spans_share",
        "swap_b_unseen_share",
        "swap_ctx_mean",
        "swap_ge50_per_1000",
        "swap_ge80_per_1000",
        "swap_ge90_per_1000",
        "swap_top5_mean",
    )
    rules = (SWAP,)

    def measure(self, a: Analysis) -> tuple[list[float], list[Finding]]:
        return self.measure_many([a])[0]

    def measure_many(self, analyses):
        """The span models run once over the spans of the whole batch (each span's score is
        its own row's: the same values as document by document)."""
        scs = [a.span_scores if a.doc.n_words else None for a in analyses]
        xs = [sc.x for sc in scs if sc is not None]
        m = models(analyses[0].res) if xs else None
        lower = iter(scores_many(m.lower, xs) if m else ())
        lr = iter(scores_many(m.lower_lr, xs) if m and m.lower_lr is not None else ())
        return [
            self._measure(a, sc, next(lower), next(lr, None))
            if sc is not None
            else ([0.0] * len(self.feature_names), [])
            for a, sc in zip(analyses, scs)
        ]

    def _measure(
        self,
        a: Analysis,
        sc: SpanScores,
        score: np.ndarray,
        lr_score: np.ndarray | None,
    ) -> tuple[list[float], list[Finding]]:
        """Features and findings of a document from the scores of its spans (``score`` by
        the tree model, ``lr_score`` by its logistic companion, None without one)."""
        nw = a.doc.n_words
        m = models(a.res)
        own = ~(sc.capital & ~sc.initial)  # capitalised mid-sentence spans: broken_names
        hit = score >= m.lower.threshold
        shown = score
        if lr_score is not None and m.lower_lr is not None:
            # strong isolated swaps: the logistic model on span features
            hit |= lr_score >= m.lower_lr.threshold
            shown = np.maximum(score, lr_score)
        flag = own & hit
        delta = sc.x[:, 0]
        findings = make_findings(a, sc, shown, flag, SWAP, self._reason)
        so = score[own] if own.any() else np.zeros(1)
        do = delta[own] if own.any() else np.zeros(1)
        values = [
            per_1000(len(findings), nw),
            float(so.mean()),
            percentiles(so, (90,))[0],
            float(so.max()),
            float(do.mean()),
            percentiles(do, (90,))[0],
            per_1000(float((do >= 2.0).sum()), nw),
            float(own.sum()) / nw,
            float(sc.x[own, 5].mean()) if own.any() else 0.0,
            float(sc.x[own, 1].mean()) if own.any() else 0.0,
            # Densities below the flagging threshold: weak swaps add up over a document.
            per_1000(float((so >= 0.5).sum()), nw),
            per_1000(float((so >= 0.8).sum()), nw),
            per_1000(float((so >= 0.9).sum()), nw),
            float(np.sort(so)[-5:].mean()),
        ]
        return values, findings

    @staticmethod
    def _reason(a: Analysis, s: int, text: str, cand: str) -> str:
        doc = a.doc
        sc = a.span_scores
        sw = sc.swaps  # type: ignore[union-attr]
        d = float(sw.delta[sc.best[s]])  # type: ignore[union-attr]
        obs = observed(doc, sw, s)
        if math.isfinite(d) and d > 0:
            good = context_phrase(doc, sw, s, cand)
            bad = context_phrase(doc, sw, s, obs)
            return SWAP.reason(
                "likely", observed=obs, expected=cand, good=good, ratio=times(d), bad=bad
            )
        return SWAP.reason("substitute", observed=obs, expected=cand)
