"""LM fluency profile: how predictable the text is to a reference trigram LM of English.

Machine translation is mode-seeking: it prefers the most probable wording, so its per-token
log-probabilities are higher and less varied than a human translator's, with fewer surprise
spikes and fewer rare words; round trips also replace idiomatic pairs with unusual ones. The
family reads the per-token log10 probabilities, n-gram orders and Zipf frequencies of
:mod:`mtdetect.refstats` (the shipped CMU trigram LM + wordfreq tables); it builds no LM itself.

No span evidence: unseen pairs of common words turned out as frequent in human translations and
original English as in MT (the LM is small and spoken-style), so they are only document features.
"""

from __future__ import annotations

import numpy as np

from mtdetect import refstats
from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, percentiles
from mtdetect.tagger import T

_EMPTY = 0.0


class Fluency(FeatureFamily):
    """Per-token LM log-probability statistics, n-gram coverage and frequency profile."""

    name = "fluency"
    explanation = "how predictable its wording is"
    version = "1"
    feature_names = (
        "lp_mean",
        "lp_std",
        "lp_p10",
        "lp_p25",
        "lp_median",
        "lp_p90",
        "lp_sent_min_mean",
        "lp_sent_mean_std",
        "lp_content_mean",
        "lp_function_mean",
        "spike4_share",
        "spike5_share",
        "oov_share",
        "trigram_share",
        "bigram_share",
        "unseen_pair_share",
        "zipf_mean",
        "zipf_content_mean",
        "rare_share",
        "very_rare_share",
        "pmi_mean",
        "pmi_neg_share",
    )
    checks = (
        ("The cat sat on the mat. The dog sat on the rug.", "oov_share", "==", 0.0),
        ("the of and a to in", "trigram_share", "<", 0.5),
    )

    def measure(self, a: Analysis):
        v = np.zeros(len(self.feature_names))
        vw = a
        if vw.n == 0:
            return v, []
        rs = a.rs
        d = a.lm
        lp = d.lp[vw.wtok]
        order = d.order[vw.wtok]
        known = order > 0
        lpk = lp[known] if known.any() else np.array([refstats.OOV_LP])
        q = percentiles(lpk, (10, 25, 50, 90))
        sent = vw.wsent[known]
        n_sent = vw.n_sent
        cnt = np.bincount(sent, minlength=n_sent)
        has = cnt > 0
        s_sum = (
            np.bincount(sent, weights=lpk, minlength=n_sent) if known.any() else np.zeros(n_sent)
        )
        s_mean = s_sum[has] / cnt[has] if has.any() else np.zeros(1)
        s_min = np.full(n_sent, np.inf)
        if known.any():
            np.minimum.at(s_min, sent, lpk)
        s_min = s_min[has] if has.any() else np.zeros(1)
        content = vw.content
        ck = content & known
        fk = ~content & known & (vw.tags != T["PROPN"])
        # a word with an LM-known predecessor in the same sentence: was the pair ever seen?
        prev_known = np.zeros(vw.n, dtype=bool)
        prev_known[1:] = known[:-1] & ~vw.first[1:]
        pair = prev_known & known
        unseen = pair & (order == 1)
        ids = d.ids[vw.wtok]
        z = rs.zipf_ids(ids)
        zc = z[content] if content.any() else z
        # PMI of consecutive LM words of a sentence (shared with collocation)
        pp, _ = a.pairs
        pmi = pp[1:][pair[1:]]
        pmi = pmi[np.isfinite(pmi)]
        n = vw.n
        v[:] = (
            lpk.mean(),
            lpk.std(),
            *q,
            s_min.mean(),
            s_mean.std(),
            lp[ck].mean() if ck.any() else _EMPTY,
            lp[fk].mean() if fk.any() else _EMPTY,
            np.count_nonzero(lpk < -4) / len(lpk),  # shares: count / n, as .mean() computes
            np.count_nonzero(lpk < -5) / len(lpk),
            1.0 - np.count_nonzero(known) / n,
            (order == 3).sum() / n,
            (order == 2).sum() / n,
            unseen.sum() / max(1, pair.sum()),
            z.mean(),
            zc.mean(),
            np.count_nonzero(z < 3) / n,
            np.count_nonzero(z < 2) / n,
            pmi.mean() if len(pmi) else _EMPTY,
            np.count_nonzero(pmi < 0) / len(pmi) if len(pmi) else _EMPTY,
        )
        return v, []
