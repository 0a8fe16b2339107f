"""Collocation strength: how well adjacent words of the text go together, by the reference LM.

Human English is made of word pairs that English uses together ("heavy rain", "working hard");
spun text swaps one word of many pairs for a thesaurus neighbour that English does not pair
with the other ("weighty rain", "working laborious"), and clumsy translation does the same more
mildly. This family reports document statistics of pointwise mutual information (log10
P(w2|w1) / P(w2), by the CMU trigram LM's bigrams with backoff) over adjacent word pairs, the
share of pairs the LM has never seen, and per-word trigram log-probabilities. No findings.
"""

from __future__ import annotations

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, percentiles
from mtdetect.findings import Finding

CONTENT_MAX_ZIPF = 5.8  # words rarer than this count as content words


class Collocation(FeatureFamily):
    name = "collocation"
    explanation = "its word-pair associations"
    version = "1"
    feature_names = (
        "coll_pmi_mean",
        "coll_pmi_p10",
        "coll_pmi_p25",
        "coll_content_pmi_mean",
        "coll_content_pmi_p10",
        "coll_unseen_share",
        "coll_content_unseen_share",
        "coll_neg_pmi_share",
        "coll_lp_mean",
        "coll_lp_p10",
        "coll_trigram_share",
        "coll_oov_share",
    )
    checks = (
        (
            "Heavy rain fell on the city and the river burst its banks.",
            "coll_content_unseen_share",
            "<",
            0.4,
        ),
        (
            "Weighty precipitation descended upon the metropolis.",
            "coll_content_unseen_share",
            ">",
            0.5,
        ),
        ("We were working hard to stop the fighting.", "coll_pmi_mean", ">", 0.5),
        ("", "coll_pmi_mean", "==", 0.0),
    )

    def measure(self, a: Analysis) -> tuple[list[float], list[Finding]]:
        rs = a.rs
        dl = a.lm
        wi = dl.word_idx
        if len(wi) < 2:
            return [0.0] * len(self.feature_names), []
        ids = dl.lm_ids[wi]
        sent = a.wsent
        adj = (wi[1:] == wi[:-1] + 1) & (sent[1:] == sent[:-1])
        w1, w2 = ids[:-1], ids[1:]
        ok = adj & (w1 >= 0) & (w2 >= 0)
        z = rs.zipf_ids(dl.ids[wi])
        content = (z[:-1] < CONTENT_MAX_ZIPF) | (z[1:] < CONTENT_MAX_ZIPF)
        both_content = (z[:-1] < CONTENT_MAX_ZIPF) & (z[1:] < CONTENT_MAX_ZIPF)
        vals = [0.0] * len(self.feature_names)
        if ok.any():
            # PMI of consecutive LM words of a sentence (shared with fluency)
            pp, ps = a.pairs
            pmi, seen = pp[1:][ok], ps[1:][ok]
            c = content[ok]
            bc = both_content[ok]
            vals[0] = float(pmi.mean())
            vals[1], vals[2] = percentiles(pmi, (10, 25))
            if c.any():
                vals[3] = float(pmi[c].mean())
                vals[4] = percentiles(pmi[c], (10,))[0]
            vals[5] = float(1.0 - seen.mean())
            vals[6] = float(1.0 - seen[bc].mean()) if bc.any() else 0.0
            vals[7] = float((pmi < 0).mean())
        lp = dl.lp[wi]
        known = dl.order[wi] > 0
        if known.any():
            vals[8] = float(lp[known].mean())
            vals[9] = percentiles(lp[known], (10,))[0]
            vals[10] = float((dl.order[wi][known] == 3).mean())
        vals[11] = float(1.0 - known.mean())
        return vals, []
