"""Contraction rate outside and inside quotations.

Speech reported in English news is contracted ("I don't know"); machine translation from a
language without contractions, and round trips through one, tend to expand them ("I do not
know"). A quoted expanded form is span-level evidence, reported with the contracted form.
"""

from __future__ import annotations

import bisect
import re

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, per_1000

EXPANDED = Rule(
    id="translation.expanded-contraction",
    kind="translation",
    severity="info",
    catches='a contraction written out in full inside a quotation ("we do not know")',
    reasons={
        "quoted": "expanded contraction in a quotation: speech in English usually says "
        "'{contracted}'"
    },
    score=0.35,
    flags=(
        '"We do not know what happened," the mayor said.',
        'She told reporters: "It is not a question of money. I am sure of that."',
        '"They cannot stop us," he said.',
    ),
    passes=(
        '"We don\'t know what happened," the mayor said.',
        "The committee did not publish its report.",
        'The mayor said "not now" and left.',
    ),
)
# Expanded pair → its contraction. Keys are (first word, second word), lower-case.
EXPANSIONS = {
    ("do", "not"): "don't",
    ("does", "not"): "doesn't",
    ("did", "not"): "didn't",
    ("is", "not"): "isn't",
    ("are", "not"): "aren't",
    ("was", "not"): "wasn't",
    ("were", "not"): "weren't",
    ("have", "not"): "haven't",
    ("has", "not"): "hasn't",
    ("had", "not"): "hadn't",
    ("will", "not"): "won't",
    ("would", "not"): "wouldn't",
    ("could", "not"): "couldn't",
    ("should", "not"): "shouldn't",
    ("can", "not"): "can't",
    ("i", "am"): "I'm",
    ("we", "are"): "we're",
    ("they", "are"): "they're",
    ("you", "are"): "you're",
    ("it", "is"): "it's",
    ("that", "is"): "that's",
    ("there", "is"): "there's",
    ("i", "have"): "I've",
    ("we", "have"): "we've",
    ("i", "will"): "I'll",
    ("we", "will"): "we'll",
    ("let", "us"): "let's",
    ("he", "is"): "he's",
    ("she", "is"): "she's",
    ("what", "is"): "what's",
}
_SINGLE = {"cannot": "can't"}
_CONTRACTION_SUFFIXES = ("n't", "'re", "'ve", "'ll", "'m", "'d")


def _is_contraction(lower: str) -> bool:
    return lower.endswith(_CONTRACTION_SUFFIXES) or lower in {
        "it's",
        "that's",
        "there's",
        "he's",
        "she's",
        "what's",
        "let's",
    }


_FIRSTS = frozenset(a for a, _ in EXPANSIONS) | frozenset(_SINGLE)
_CONTRACTED = frozenset({"it's", "that's", "there's", "he's", "she's", "what's", "let's"})
_BLANK_RE = re.compile("\n\n")


def quote_mask(a: Analysis) -> np.ndarray:
    """For each token, True when it lies inside double quotes (state resets at blank lines)."""
    doc = a.doc
    n = len(doc.tokens)
    mask = np.zeros(n, dtype=bool)
    norms = a.norms
    quotes = [i for i, s in enumerate(norms) if s == '"']
    if not quotes:
        return mask
    # a blank line in the gap before token i resets the state before token i is read
    resets: set[int] = set()
    if "\n\n" in doc.norm:
        starts = [t.start for t in doc.tokens]
        for m in _BLANK_RE.finditer(doc.norm):
            resets.add(bisect.bisect_right(starts, m.start()))
    quote_set = set(quotes)
    inside = False
    open_at = 0
    for i in sorted(resets.union(quotes)):
        if i in resets and inside:
            mask[open_at:i] = True
            inside = False
        if i in quote_set:
            if inside:
                mask[open_at:i] = True
                inside = False
            else:
                inside = True
                open_at = i + 1
    if inside:
        mask[open_at:n] = True
    return mask


class Contractions(FeatureFamily):
    name = "contractions"
    explanation = "contractions written out in full"
    version = "1"
    feature_names = (
        "contracted_per_1000",
        "expanded_per_1000",
        "contraction_rate",
        "quoted_contraction_rate",
        "quoted_expanded_per_1000",
        "quote_share",
    )
    rules = (EXPANDED,)
    checks = (("I don't know. We can't go.", "contraction_rate", "==", 1.0),)

    def measure(self, a: Analysis):
        doc = a.doc
        toks = doc.tokens
        inq = quote_mask(a)
        contracted = [0, 0]  # outside, inside quotes
        expanded = [0, 0]
        findings = []
        skip = -1
        vw = a
        words = vw.words
        firsts = _FIRSTS
        # only words with an apostrophe (contractions) or the first word of an expansion matter
        relevant = [k for k, w in enumerate(words) if "'" in w or w in firsts]
        wtok = vw.wtok.tolist()
        for k in relevant:
            i = wtok[k]
            if i == skip:
                continue
            t = toks[i]
            low = words[k]
            q = int(inq[i])
            if _is_contraction(low):
                contracted[q] += 1
                continue
            sub = _SINGLE.get(low)
            end = t.end
            if sub is None and i + 1 < len(toks) and toks[i + 1].sent == t.sent:
                sub = EXPANSIONS.get((low, toks[i + 1].lower))
                if sub is not None:
                    end, skip = toks[i + 1].end, i + 1
            if sub is None:
                continue
            expanded[q] += 1
            if q:
                if t.norm[0].isupper():
                    sub = sub[0].upper() + sub[1:]
                reason = EXPANDED.reason("quoted", contracted=sub)
                findings.append(EXPANDED.finding(a, t.start, end, reason, sub))
        n = doc.n_words
        tot = sum(contracted) + sum(expanded)
        qtot = contracted[1] + expanded[1]
        v = np.array(
            [
                per_1000(sum(contracted), n),
                per_1000(sum(expanded), n),
                sum(contracted) / tot if tot else 0.5,
                contracted[1] / qtot if qtot else 0.5,
                per_1000(expanded[1], n),
                float(inq.mean()) if len(inq) else 0.0,
            ]
        )
        return v, findings
