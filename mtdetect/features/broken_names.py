"""Broken names: a capitalised sequence with a common-word swap or a capitalised function word.

Spinners that do not protect names turn "Russia Today" into "Russia At this time", "the House
voted" into "the Home voted", "Senate Majority Leader" into "Senate Majority Chief" and "Getty
Images" into "Getty Photos". For a capitalised span mid-sentence with candidate originals, the
trigram LM scores the window with each candidate; the case model (how often each word is
capitalised mid-sentence in human English) tells a name word ("House", "Leader") from a word
people rarely capitalise ("Home", "At"). A logistic model over these scores, with its threshold
set on human text (``tools/eval_spans.py fit``), decides.
"""

from __future__ import annotations

import numpy as np

from mtdetect.features.base import FeatureFamily, per_1000
from mtdetect.features.synonym_swap import (
    FEATURES,
    context_phrase,
    make_findings,
    model_scores,
    span_scores,
    swap_model,
    times,
)
from mtdetect.findings import Finding
from mtdetect.text import Document

RULE = "name.broken"
# case rule (measured on train/valid): LM gain of the candidate ≥ 1.5 (log10), the candidate
# is capitalised mid-sentence ≥ 10% of the time in human text, the observed word ≤ 5%
CASE_DELTA = 1.5
CASE_A_CAP = 0.1
CASE_B_CAP = 0.05
_DELTA = FEATURES.index("delta")
_A_CAP = FEATURES.index("a_cap")
_B_CAP = FEATURES.index("b_cap")
_LOW_CAP = FEATURES.index("b_low_cap")
KIND = "name"


class BrokenNames(FeatureFamily):
    name = "broken_names"
    version = "1"
    feature_names = (
        "broken_names_per_1000",
        "name_span_score_max",
        "name_span_score_mean",
        "name_low_cap_per_1000",
        "name_spans_share",
    )
    flags = (
        "Members of the Home of Representatives voted on Friday.",
        "The White Home said the president would travel to Ohio on Monday.",
        "She was elected to the United Nations Safety Council last year.",
    )
    passes = (
        "Members of the House of Representatives voted on Friday.",
        "The White House said the president would travel to Ohio on Monday.",
        "The Prime Minister met the Chancellor of the Exchequer at Downing Street.",
    )

    def extract(self, doc: Document) -> tuple[list[float], list[Finding]]:
        nw = doc.n_words
        empty = [0.0] * len(self.feature_names)
        sc = span_scores(doc)
        if sc is None or nw == 0:
            return empty, []
        model = swap_model()["names"]
        names = sc.capital & ~sc.initial
        if not names.any():
            return empty, []
        score = model_scores(sc.x, model)
        # case rule: a word people rarely capitalise where the candidate is a usual name word
        x = sc.x
        case_rule = (
            (x[:, _DELTA] >= CASE_DELTA)
            & (x[:, _A_CAP] >= CASE_A_CAP)
            & (x[:, _B_CAP] <= CASE_B_CAP)
        )
        score = np.where(names & case_rule, np.maximum(score, model["threshold"]), score)
        flag = names & (score >= model["threshold"])
        findings = make_findings(self, doc, sc, score, flag, RULE, KIND, self._reason)
        sn = score[names]
        values = [
            per_1000(len(findings), nw),
            float(sn.max()),
            float(sn.mean()),
            per_1000(float(sc.x[names, _LOW_CAP].sum()), nw),
            float(names.sum()) / nw,
        ]
        return values, findings

    @staticmethod
    def _reason(doc: Document, s: int, text: str, cand: str) -> str:
        sc = span_scores(doc)
        sw = sc.swaps  # type: ignore[union-attr]
        d = float(sw.delta[sc.best[s]])  # type: ignore[union-attr]
        obs = doc.text[doc.tokens[int(sw.t0[s])].start : doc.tokens[int(sw.t1[s]) - 1].end]
        name = cand[:1].upper() + cand[1:]
        good = context_phrase(doc, sw, s, name)
        why = f"'{obs}' inside a name where '{name}' is expected"
        if sc.x[s, _LOW_CAP] > 0:  # type: ignore[union-attr]
            why += " (a word English does not capitalise mid-sentence)"
        if d > 0:
            why += f": '{good}' is {times(d)} more likely"
        return why
