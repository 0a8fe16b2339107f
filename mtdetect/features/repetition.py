"""Stutters: the same word twice in a row, as a looping machine translation produces.

Round trips through a weak MT model loop ("Energy Minister Theo Theo Theophanous"); sentence-level
MT occasionally doubles a word at a segment boundary. Legitimate doublings ("had had", "that
that") and numbers are allowed.

Evidence: ``translation.repetition`` with the single word as suggestion.

Measured and dropped (tools/ablate.py, cv protocol): content-word re-use across adjacent
sentences, repeated bigrams and "the same content word three times within two sentences" did
not separate MT from human translations (the span flag fired 4.9 vs 4.6 times per 1,000 words on
WMT system outputs vs references), so only the stutter rate remains a feature.
"""

from __future__ import annotations

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, per_1000

STUTTER = Rule(
    id="translation.repetition",
    kind="translation",
    severity="info",
    catches="the same word twice in a row inside a sentence, as a looping translation writes it",
    reasons={
        "stutter": "'{first} {second}': the same word twice in a row, as a looping machine "
        "translation produces"
    },
    score=0.45,
    flags=("Energy Minister Theo Theo Theophanous says power companies will buy more energy.",),
    passes=(
        "Energy Minister Theo Theophanous says power companies will buy more green energy.",
        "He said that that was all he had had to say.",
        "The vote was 12 12 in the first round.",
    ),
)
#: Words that legitimately repeat ("had had", "that that") or are repeated for emphasis.
_DUP_OK = frozenset("had that is was do very so bye ha no yes really well far many much".split())


class Repetition(FeatureFamily):
    """Immediate repetitions of a word inside a sentence."""

    name = "repetition"
    explanation = "repeated words"
    version = "2"
    feature_names = ("stutter_per_1000",)
    rules = (STUTTER,)
    checks = (("We went to to the market.", "stutter_per_1000", "==", 166.666667),)

    def measure(self, a: Analysis):
        doc = a.doc
        vw = a
        n = vw.n
        if n < 2:
            return np.zeros(1), []
        words = vw.words
        findings = []
        toks = doc.tokens
        cand = [j for j in range(1, n) if words[j] == words[j - 1]]
        for j in cand:
            w = words[j]
            if vw.first[j] or w in _DUP_OK or w[0].isdigit():
                continue
            t1, t2 = toks[vw.wtok[j - 1]], toks[vw.wtok[j]]
            # same case too: "trials Trials" is a headline run into its text, not a loop
            if t2.start - t1.end > 1 or t1.norm != t2.norm:
                continue
            reason = STUTTER.reason("stutter", first=t1.norm, second=t2.norm)
            findings.append(STUTTER.finding(a, t1.start, t2.end, reason, t2.norm))
        return np.array([per_1000(len(findings), n)]), findings
