"""Part-of-speech profile: tag shares and tag-bigram shares (with sentence starts).

POS n-grams are the most robust translationese features across source languages (Volansky et
al. 2015; Baroni & Bernardini 2006): translations carry over source constructions — more nominal
style, prepositional chains, participles — that change the tag sequence even when every word is
right. Tags come from the small shipped tagger in :mod:`mtdetect.features._views` (Brown +
CoNLL-2000 most-frequent-tag model with a suffix guesser; about 94% coarse-tag accuracy on the
held-out CoNLL-2000 test file).
"""

from __future__ import annotations

import numpy as np

from mtdetect.features._views import TAGS, T, view
from mtdetect.features.base import FeatureFamily
from mtdetect.text import Document

# Coarse classes for bigrams: index into _COARSE_NAMES for each fine tag.
_COARSE_OF = {
    "DET": "DET",
    "POSS": "DET",
    "PRON": "PRON",
    "NOUN": "NOUN",
    "PROPN": "PROPN",
    "ADJ": "ADJ",
    "ADV": "ADV",
    "VERB": "VERB",
    "VBD": "VBD",
    "VBN": "VBN",
    "VBG": "VBG",
    "AUX": "AUX",
    "MD": "AUX",
    "NEG": "AUX",
    "ADP": "ADP",
    "TO": "ADP",
    "CONJ": "CONJ",
    "SCONJ": "SCONJ",
    "WH": "SCONJ",
    "NUM": "NUM",
    "X": "PUNCT",
    "COMMA": "COMMA",
    "PUNCT": "PUNCT",
}
_COARSE_NAMES = tuple(dict.fromkeys(_COARSE_OF.values()))
_CMAP = np.array([_COARSE_NAMES.index(_COARSE_OF[t]) for t in TAGS])
_NC = len(_COARSE_NAMES)
_BOS = _NC  # sentence start as a left context
_UNI = tuple(t for t in TAGS if t != "PUNCT")


class PosProfile(FeatureFamily):
    """Shares of each tag among tokens and of each coarse tag bigram within sentences."""

    name = "pos_profile"
    version = "1"
    feature_names = (
        *(f"tag_{t.lower()}" for t in _UNI),
        *(f"bi_{a.lower()}_{b.lower()}" for a in (*_COARSE_NAMES, "BOS") for b in _COARSE_NAMES),
    )
    checks = (
        ("The cat sat on the mat.", "tag_det", "==", 0.333333),
        ("The cat sat on the mat.", "bi_bos_det", "==", 0.166667),
        ("She did not go.", "tag_neg", ">", 0.2),
    )

    def extract(self, doc: Document):
        v = np.zeros(len(self.feature_names))
        vw = view(doc)
        tt = vw.tok_tags
        if vw.n == 0 or len(tt) == 0:
            return v, []
        nu = len(_UNI)
        word_or_comma = tt != T["PUNCT"]
        counts = np.bincount(tt[word_or_comma], minlength=len(TAGS))
        tot = max(1, word_or_comma.sum())
        v[:nu] = counts[:nu] / tot
        # coarse bigrams inside sentences, over words and commas, with a sentence-start context
        keep = word_or_comma
        c = _CMAP[tt[keep]]
        s = vw.tok_sent[keep]
        if len(c):
            prev = np.empty_like(c)
            prev[0] = _BOS
            prev[1:] = np.where(s[1:] != s[:-1], _BOS, c[:-1])
            bi = np.bincount(prev * _NC + c, minlength=(_NC + 1) * _NC)
            v[nu:] = bi / len(c)
        return v, []
