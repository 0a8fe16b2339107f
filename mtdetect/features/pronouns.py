"""Pronoun agreement: a he/she that contradicts the only person it can refer to.

Languages differ in what pronouns encode: German, Czech and Russian give inanimate nouns a gender
("die Regierung … sie" → "the government … she"), Chinese and Japanese drop or do not mark them,
so MT guesses ("Ms. Wang said he …"). The check flags a gendered pronoun whose only candidate
antecedent in its own or the previous sentence is a titled name of the other gender
(Mr/Mrs/Ms/Miss…); any other name, gendered noun or same-gender pronoun in between blocks it.

Measured and dropped (tools/ablate.py, cv protocol): pronoun rates per person, she/it shares and
"she with no female cue" did not help the classifier; gendered-noun antecedents ("the woman …
his") fired on human text ("his wife … he" refers to the husband), so only titles are reported.

Evidence: ``translation.pronoun-agreement`` — "'he' follows Ms. Wang with no male person
mentioned in between".
"""

from __future__ import annotations

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, per_1000
from mtdetect.tagger import T

AGREEMENT = Rule(
    id="translation.pronoun-agreement",
    kind="translation",
    severity="warning",
    catches="a he/she whose only possible antecedent is a titled name of the other gender",
    reasons={
        "title": "pronoun '{pronoun}' refers back to '{antecedent}', and no {gender} person is "
        "mentioned in between: a gender error typical of machine translation"
    },
    score=0.4,
    flags=(
        "Ms. Wang Li runs the shop on Main Street. Last year he opened a second one.",
        "Mr. Novak was elected in May. She promised to lower taxes.",
    ),
    passes=(
        "Ms. Wang Li runs the shop on Main Street. Last year she opened a second one.",
        "Mr. Novak met Chancellor Merkel in May. She promised to help.",
        "Mr. Smith and his wife arrived late. She said the traffic was bad.",
        "The government said it would act.",
    ),
)
_FORMS = {
    "he": "he",
    "him": "he",
    "his": "he",
    "himself": "he",
    "she": "she",
    "her": "she",
    "hers": "she",
    "herself": "she",
    "it": "it",
    "its": "it",
    "itself": "it",
    "they": "they",
    "them": "they",
    "their": "they",
    "theirs": "they",
    "themselves": "they",
    "i": "i",
    "me": "i",
    "my": "i",
    "mine": "i",
    "myself": "i",
    "we": "we",
    "us": "we",
    "our": "we",
    "ours": "we",
    "ourselves": "we",
    "you": "you",
    "your": "you",
    "yours": "you",
    "yourself": "you",
    "yourselves": "you",
}
_GENDER = {"he": "m", "she": "f"}
TITLES = {
    "mr": "m",
    "mister": "m",
    "sir": "m",
    "lord": "m",
    "king": "m",
    "prince": "m",
    "monsieur": "m",
    "herr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "madam": "f",
    "madame": "f",
    "mme": "f",
    "lady": "f",
    "dame": "f",
    "queen": "f",
    "princess": "f",
    "frau": "f",
}
NOUNS = {
    **dict.fromkeys(
        """man boy father son husband brother grandfather grandson uncle nephew
        boyfriend dad daddy gentleman businessman chairman spokesman congressman policeman
        fireman sportsman actor widower bridegroom groom monk stepfather father-in-law
        son-in-law""".split(),
        "m",
    ),
    **dict.fromkeys(
        """woman girl mother daughter wife sister grandmother granddaughter aunt
        niece girlfriend mum mom mommy lady businesswoman chairwoman spokeswoman
        congresswoman policewoman sportswoman actress widow bride nun stepmother heroine
        mother-in-law daughter-in-law waitress""".split(),
        "f",
    ),
}
#: Titles reliable enough to report a mismatch against (gendered nouns only block reports:
#: "his wife … he" refers to the husband, so noun antecedents gave false flags on human text).
FLAG_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mister", "madam", "madame", "mme"})
_PRON_GENDER = {w: _GENDER[p] for w, p in _FORMS.items() if p in _GENDER}
_GENDER_WORD = {"m": "male", "f": "female"}


class Pronouns(FeatureFamily):
    """Gender agreement of he/she with a titled antecedent (Mr/Ms/Mrs…)."""

    name = "pronouns"
    explanation = "pronoun agreement"
    version = "2"
    feature_names = ("agreement_per_1000",)
    rules = (AGREEMENT,)
    checks = (("Mr. Novak was elected. She promised a lot.", "agreement_per_1000", "==", 125.0),)

    def measure(self, a: Analysis):
        doc = a.doc
        v = np.zeros(len(self.feature_names))
        vw = a
        n = vw.n
        if n == 0:
            return v, []
        words = vw.words
        gendered = [j for j, w in enumerate(words) if w in _PRON_GENDER]
        findings = []
        if gendered and not FLAG_TITLES.isdisjoint(words):
            cap = vw.cap
            tags = vw.tags
            sent = vw.wsent
            # gender cue of each word: titled names, gendered nouns (singular person nouns)
            cue = np.zeros(n, dtype=np.int8)  # 1 male, 2 female, 3 unknown person/name
            title_at: dict[int, int] = {}
            place_ctx = (T["ADP"], T["DET"], T["POSS"], T["TO"])
            run_place = False  # current run of name words follows "in", "the", "to"…
            for j, w in enumerate(words):
                if tags[j] == T["PROPN"] and (
                    j == 0 or tags[j - 1] != T["PROPN"] or sent[j - 1] != sent[j]
                ):
                    run_place = j > 0 and sent[j - 1] == sent[j] and tags[j - 1] in place_ctx
                g = TITLES.get(w)
                if g is not None and j + 1 < n and cap[j + 1] and cap[j]:
                    cue[j] = 1 if g == "m" else 2
                    k = j + 1
                    while k < n and cap[k] and tags[k] == T["PROPN"] and sent[k] == sent[j]:
                        title_at[k] = j  # name parts belong to the title's person
                        k += 1
                    continue
                g = NOUNS.get(w)
                if g is not None:
                    cue[j] = 1 if g == "m" else 2
                elif tags[j] == T["PROPN"] and j not in title_at and not run_place:
                    cue[j] = 3
            for j in gendered:
                g = _PRON_GENDER[words[j]]
                lo = int(np.searchsorted(sent, sent[j] - 1))
                win = cue[lo:j]
                other = 2 if g == "m" else 1
                mine = 1 if g == "m" else 2
                pron_before = [_PRON_GENDER.get(words[k]) for k in range(lo, j)]
                if not (win == other).any() or (win == mine).any() or (win == 3).any():
                    continue
                if any(x is not None and x == g for x in pron_before):
                    continue
                ant = lo + int(np.flatnonzero(win == other)[-1])
                if words[ant] not in FLAG_TITLES:
                    continue
                ta, tp = doc.tokens[vw.wtok[ant]], doc.tokens[vw.wtok[j]]
                end = ta.end
                k = ant + 1
                while k in title_at and title_at[k] == ant:
                    end = doc.tokens[vw.wtok[k]].end
                    k += 1
                ante = doc.text[ta.start : end]
                reason = AGREEMENT.reason(
                    "title", pronoun=tp.norm, antecedent=ante, gender=_GENDER_WORD[g]
                )
                findings.append(AGREEMENT.finding(a, tp.start, tp.end, reason))
        v[0] = per_1000(len(findings), n)
        return v, findings
