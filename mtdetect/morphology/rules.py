"""The rules of English inflection: the irregular forms of the one table (its inflection view)
and the regular rules for everything else (plurals, -s, -ed, -ing, comparatives)."""

from __future__ import annotations

import re

from mtdetect.morphology.table import (
    BE_ING,
    INFLECT,
    SPECIAL_VBZ,
    invariant_nouns,
    nouns,
    verbs,
)

# ----------------------------------------------------------------------- irregular forms
# the inflection view of the one table (mtdetect.morphology.table); adjectives, "-man" nouns
# that are not compounds of man, and the verbs that double their final consonant are rules of
# inflection only
VERB_IRR_ALL: dict[str, tuple[list[str], list[str]]] = verbs(INFLECT)
VERB_IRR = {b: (pasts[0], parts[0]) for b, (pasts, parts) in VERB_IRR_ALL.items()}
NOUN_IRR_ALL: dict[str, list[str]] = nouns(INFLECT)
NOUN_IRR = {b: plurals[0] for b, plurals in NOUN_IRR_ALL.items()}
INVARIANT = invariant_nouns(INFLECT)
MAN_EXCEPTIONS = frozenset(
    "human german roman shaman talisman caiman ottoman desman cayman dolman".split()
)

IRREGULAR_ADJ = {
    "good": ("better", "best"),
    "well": ("better", "best"),
    "bad": ("worse", "worst"),
    "badly": ("worse", "worst"),
    "ill": ("worse", "worst"),
    "far": ("farther", "farthest"),
    "little": ("less", "least"),
    "much": ("more", "most"),
    "many": ("more", "most"),
    "old": ("older", "oldest"),
}

# Verbs of more than one syllable whose final consonant doubles (stress on the last syllable).
DOUBLING = frozenset(
    "admit commit compel control begin forget occur prefer refer regret permit submit transfer "
    "equip omit patrol propel rebel expel excel deter incur recur confer defer infer abhor acquit "
    "allot annul embed extol enrol outwit upset format kidnap worship program unzip dispel "
    "repel impel instil distil befit beget forbid overrun underpin acquit emit remit transmit "
    "outrun rerun".split()
)


VOWELS = "aeiou"
BUILTIN: dict[str, frozenset[str]] = {
    "v": frozenset(VERB_IRR) | frozenset(SPECIAL_VBZ),
    "n": frozenset(NOUN_IRR) | INVARIANT,
    "a": frozenset(IRREGULAR_ADJ),
    "r": frozenset(IRREGULAR_ADJ),
}


def syllables(word: str) -> int:
    """Rough syllable count (vowel groups, silent final e)."""
    w = word.lower()
    n = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(n, 1)


def cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant (final not w/x/y): a candidate for doubling."""
    return (
        len(word) >= 3
        and word[-1] not in VOWELS + "wxy"
        and word[-2] in VOWELS
        and word[-3] not in VOWELS
    )


def doubles(word: str) -> bool:
    if not word.isalpha():
        return False
    if word in DOUBLING:
        return True
    return syllables(word) == 1 and cvc(word)


# ------------------------------------------------------------------------ regular rules


def plural(noun: str) -> str:
    w = noun
    lw = w.lower()
    if lw in INVARIANT:
        return w
    if lw in NOUN_IRR:
        return w[: len(w) - len(lw)] + NOUN_IRR[lw] if len(w) != len(lw) else NOUN_IRR[lw]
    if lw.endswith("man") and lw not in MAN_EXCEPTIONS and len(lw) > 3:
        return w[:-3] + "men"
    if lw.endswith("sis") and len(lw) > 4:
        return w[:-3] + "ses"
    if lw.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    if lw.endswith("y") and len(lw) > 1 and lw[-2] not in VOWELS:
        return w[:-1] + "ies"
    return w + "s"


def third_person(verb: str) -> str:
    if verb in SPECIAL_VBZ:
        return SPECIAL_VBZ[verb]
    if verb.endswith(("s", "x", "z", "ch", "sh")) or (
        verb.endswith("o") and len(verb) > 1 and verb[-2] not in VOWELS
    ):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in VOWELS:
        return verb[:-1] + "ies"
    return verb + "s"


def past_regular(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in VOWELS:
        return verb[:-1] + "ied"
    if verb.endswith("c") and verb in ("panic", "picnic", "mimic", "traffic", "frolic"):
        return verb + "ked"
    if doubles(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def gerund(verb: str) -> str:
    if verb == "be":
        return BE_ING
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        return verb[:-1] + "ing"
    if verb.endswith("c") and verb in ("panic", "picnic", "mimic", "traffic", "frolic"):
        return verb + "king"
    if doubles(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def takes_er(adj: str) -> bool:
    if not adj.isalpha():
        return False
    n = syllables(adj)
    if n == 1:
        return True
    return n == 2 and adj.endswith(("y", "le", "ow", "er")) and not adj.endswith("ly")


def compare(adj: str, superlative: bool) -> str:
    suf = "est" if superlative else "er"
    if not takes_er(adj):
        return ("most " if superlative else "more ") + adj
    if adj.endswith("e"):
        return adj + suf[1:]
    if adj.endswith("y") and len(adj) > 1 and adj[-2] not in VOWELS:
        return adj[:-1] + "i" + suf
    if syllables(adj) == 1 and cvc(adj):
        return adj + adj[-1] + suf
    return adj + suf


def english_plural(lemma: str, form: str) -> bool:
    """Whether an OEWN noun form is the usual plural, not a rare alternative.

    The WordNet exception lists add forms the regular rules cannot derive, including rare
    classical or variant plurals (``camerae``, ``busses``, ``fishes``); generation keeps the
    regular plural for those and uses only the common irregular patterns listed here.
    """
    if lemma.endswith(("f", "fe")) and form.endswith("ves"):
        return True
    if lemma.endswith("o") and form == lemma + "es":
        return True
    if lemma.endswith("sis") and form == lemma[:-3] + "ses":
        return True
    if lemma.endswith("man") and form == lemma[:-3] + "men":
        return True
    if lemma.endswith("person") and form == lemma[:-6] + "people":
        return True
    if lemma.endswith(("child", "foot", "tooth", "goose", "mouse", "louse")):
        return True
    return False
