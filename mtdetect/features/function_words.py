"""Function-word and punctuation profile.

Translators (human and machine) and spinners shift the rates of function words and punctuation
away from those of original English: translated text over-uses explicit connectives and the
source language's preferences (Baroni & Bernardini 2006; Volansky et al. 2015). The profile is a
relative-frequency vector over a fixed list of frequent English function words plus punctuation
rates per sentence and sentence/word length statistics.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily
from mtdetect.lexicon import PROFILE_WORDS

_FW_INDEX = {w: i for i, w in enumerate(dict.fromkeys(PROFILE_WORDS))}
_PUNCT = {
    ",": "comma",
    ";": "semicolon",
    ":": "colon",
    "-": "dash",
    "(": "paren",
    '"': "quote",
    "?": "question",
    "!": "exclaim",
    "'": "apostrophe",
}
_PUNCT_INDEX = {p: i for i, p in enumerate(_PUNCT)}


class FunctionWordProfile(FeatureFamily):
    name = "function_words"
    explanation = "its mix of function words"
    version = "1"
    feature_names = (
        *(f"fw_{w}" for w in _FW_INDEX),
        *(f"punct_{n}_per_sent" for n in _PUNCT.values()),
        "fw_share",
        "sent_len_mean",
        "sent_len_std",
        "word_len_mean",
        "long_word_share",
        "capitalised_share",
        "digit_share",
    )
    checks = (
        ("The cat sat on the mat, and the dog sat by the door.", "fw_the", ">", 0.2),
        ("Cats sleep; dogs bark: birds sing.", "punct_semicolon_per_sent", "==", 1.0),
        ("Cats sleep. Dogs bark loudly.", "sent_len_mean", "==", 2.5),
    )

    def measure(self, a: Analysis):
        doc = a.doc
        n_fw = len(_FW_INDEX)
        v = np.zeros(len(self.feature_names))
        words = a.word_tokens
        n = len(words)
        if not n:
            return v, []
        vw = a
        counts = Counter(vw.words)
        # (one index per word / mark: each is set once, in any order)
        for w in counts.keys() & _FW_INDEX.keys():
            v[_FW_INDEX[w]] = counts[w] / n
        n_sent = max(1, len(doc.sentences))
        marks = Counter(vw.norms)
        for p in marks.keys() & _PUNCT_INDEX.keys():
            v[n_fw + _PUNCT_INDEX[p]] += marks[p]
        v[n_fw : n_fw + len(_PUNCT)] /= n_sent
        k = n_fw + len(_PUNCT)
        lens = vw.sent_nw
        norms = [t.norm for t in words]
        wl = np.array([len(w) for w in norms], dtype=float)
        v[k] = v[:n_fw].sum()
        v[k + 1] = lens.mean()
        v[k + 2] = lens.std()
        v[k + 3] = wl.mean()
        v[k + 4] = float((wl >= 9).mean())
        mid = ~vw.sent_start[vw.wtok]
        v[k + 5] = int(vw.cap[mid].sum()) / max(1, int(mid.sum()))
        v[k + 6] = sum(1 for w in norms if w[0].isdigit()) / n
        return v, []
