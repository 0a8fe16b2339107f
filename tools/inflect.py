"""Rule-based English inflection and lemmatisation, enough to re-inflect thesaurus synonyms.

Build-time helper (not used by the package at run time). Tags are Penn Treebank tags:

* nouns ``NN`` (singular) / ``NNS`` (plural)
* verbs ``VB`` (base, also for VBP), ``VBZ`` (-s), ``VBD`` (past), ``VBN`` (past participle),
  ``VBG`` (-ing)
* adjectives ``JJ`` / ``JJR`` / ``JJS``, adverbs ``RB`` / ``RBR`` / ``RBS``

``inflect("make an attempt", "v", "VBG") -> "making an attempt"``: multi-word entries inflect their
head (verbs: the first word; nouns: the last word, or the word before ``of``).
``Inflector(lexicon, forms).lemmatize("stopped") -> [Analysis("stop", "v", "VBD"), ...]``: the
reverse, with candidates validated against a word list (e.g. OEWN lemmas) when one is given.
Irregular forms come from the small built-in tables below and, optionally, from the OEWN
``form:`` lists (the WordNet exception lists), see :meth:`Inflector.from_oewn`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

Lexicon = Callable[[str, str], bool]

#: Base tag of each coarse POS and the tags each POS accepts.
BASE_TAG = {"n": "NN", "v": "VB", "a": "JJ", "r": "RB"}
TAGS = {
    "n": ("NN", "NNS"),
    "v": ("VB", "VBZ", "VBD", "VBN", "VBG"),
    "a": ("JJ", "JJR", "JJS"),
    "r": ("RB", "RBR", "RBS"),
}
_TAG_POS = {t: p for p, ts in TAGS.items() for t in ts} | {"VBP": "v"}


class Analysis(NamedTuple):
    """One reading of a word form: lemma, coarse POS (n/v/a/r) and Penn tag."""

    lemma: str
    pos: str
    tag: str


# ----------------------------------------------------------------------- irregular tables
# base past participle; alternatives separated by "/" (the first is used for generation)
_IRREGULAR_VERBS = """
arise arose arisen|awake awoke awoken|be was been|bear bore borne/born|beat beat beaten
become became become|begin began begun|bend bent bent|bet bet bet|bid bid bid|bind bound bound
bite bit bitten|bleed bled bled|blow blew blown|break broke broken|breed bred bred
bring brought brought|broadcast broadcast broadcast|build built built|burn burned/burnt burned/burnt
burst burst burst|buy bought bought|cast cast cast|catch caught caught|choose chose chosen
cling clung clung|come came come|cost cost cost|creep crept crept|cut cut cut|deal dealt dealt
dig dug dug|do did done|draw drew drawn|dream dreamed/dreamt dreamed/dreamt|drink drank drunk
drive drove driven|dwell dwelt/dwelled dwelt/dwelled|eat ate eaten|fall fell fallen|feed fed fed
feel felt felt|fight fought fought|find found found|flee fled fled|fling flung flung|fly flew flown
forbid forbade forbidden|forecast forecast forecast|foresee foresaw foreseen
foretell foretold foretold|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen
get got gotten/got|give gave given|go went gone|grind ground ground|grow grew grown
hang hung hung|have had had|hear heard heard|hide hid hidden|hit hit hit|hold held held
hurt hurt hurt|keep kept kept|kneel knelt/kneeled knelt/kneeled|know knew known|lay laid laid
lead led led|lean leaned/leant leaned/leant|leap leaped/leapt leaped/leapt
learn learned/learnt learned/learnt
leave left left|lend lent lent|let let let|lie lay lain|light lit/lighted lit/lighted
lose lost lost|make made made|mean meant meant|meet met met|mislead misled misled
mistake mistook mistaken|misunderstand misunderstood misunderstood|outdo outdid outdone
overcome overcame overcome|overdo overdid overdone|overhear overheard overheard
override overrode overridden|overrun overran overrun|oversee oversaw overseen
overtake overtook overtaken|overthrow overthrew overthrown|pay paid paid|prove proved proven/proved
put put put|quit quit quit|read read read|rebuild rebuilt rebuilt|redo redid redone
rethink rethought rethought|rewrite rewrote rewritten|rid rid rid|ride rode ridden|ring rang rung
rise rose risen|run ran run|saw sawed sawn/sawed|say said said|see saw seen|seek sought sought
sell sold sold|send sent sent|set set set|sew sewed sewn/sewed|shake shook shaken|shed shed shed
shine shone shone|shoot shot shot|show showed shown|shrink shrank shrunk|shut shut shut
sing sang sung|sink sank sunk|sit sat sat|slay slew slain|sleep slept slept|slide slid slid
sling slung slung|slit slit slit|smell smelled/smelt smelled/smelt|sow sowed sown/sowed
speak spoke spoken|speed sped sped|spell spelled/spelt spelled/spelt|spend spent spent
spill spilled/spilt spilled/spilt|spin spun spun|spit spat spat|split split split
spoil spoiled/spoilt spoiled/spoilt|spread spread spread|spring sprang sprung|stand stood stood
steal stole stolen|stick stuck stuck|sting stung stung|stink stank stunk|stride strode stridden
strike struck struck/stricken|string strung strung|strive strove striven|swear swore sworn
sweep swept swept|swell swelled swollen/swelled|swim swam swum|swing swung swung|take took taken
teach taught taught|tear tore torn|tell told told|think thought thought|throw threw thrown
thrust thrust thrust|tread trod trodden|undergo underwent undergone|understand understood understood
undertake undertook undertaken|undo undid undone|upset upset upset|uphold upheld upheld
wake woke woken|wear wore worn|weave wove woven|weep wept wept|wet wet wet|win won won
wind wound wound|withdraw withdrew withdrawn|withhold withheld withheld
withstand withstood withstood
wring wrung wrung|write wrote written
"""
_SPECIAL_VBZ = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_SPECIAL_PRESENT = {"am": "be", "are": "be", "is": "be", "has": "have", "does": "do"}

_IRREGULAR_NOUNS = """
man men|woman women|child children|person people|foot feet|tooth teeth|goose geese|mouse mice
louse lice|ox oxen|criterion criteria|phenomenon phenomena|datum data|medium media
bacterium bacteria|curriculum curricula|memorandum memoranda|stratum strata|cactus cacti
fungus fungi|nucleus nuclei|radius radii|stimulus stimuli|alumnus alumni|syllabus syllabi
focus foci/focuses|index indices/indexes|appendix appendices|matrix matrices|vertex vertices
formula formulas/formulae|antenna antennas/antennae|larva larvae|die dice|leaf leaves
life lives|knife knives|wife wives|half halves|self selves|shelf shelves|wolf wolves|calf calves
loaf loaves|thief thieves|elf elves|sheaf sheaves|wharf wharves|scarf scarves|hoof hooves
bus buses|gas gases|quiz quizzes|hero heroes|potato potatoes|tomato tomatoes|echo echoes
veto vetoes|torpedo torpedoes|embargo embargoes|volcano volcanoes|mosquito mosquitoes
domino dominoes|tornado tornadoes|buffalo buffaloes|cargo cargoes|motto mottoes
"""
_INVARIANT_NOUNS = frozenset(
    "sheep deer fish series species aircraft spacecraft offspring means moose swine salmon "
    "trout bison headquarters crossroads news barracks corps hovercraft cod".split()
)
_MAN_EXCEPTIONS = frozenset(
    "human german roman shaman talisman caiman ottoman desman cayman dolman".split()
)

_IRREGULAR_ADJ = {
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
_DOUBLING = frozenset(
    "admit commit compel control begin forget occur prefer refer regret permit submit transfer "
    "equip omit patrol propel rebel expel excel deter incur recur confer defer infer abhor acquit "
    "allot annul embed extol enrol outwit upset format kidnap worship program unzip dispel "
    "repel impel instil distil befit beget forbid overrun underpin acquit emit remit transmit "
    "outrun rerun".split()
)


def _parse_table(text: str) -> list[list[list[str]]]:
    rows = []
    for chunk in text.replace("\n", "|").split("|"):
        chunk = chunk.strip()
        if chunk:
            rows.append([c.split("/") for c in chunk.split()])
    return rows


_VERB_IRR: dict[str, tuple[str, str]] = {}
_VERB_IRR_ALL: dict[str, tuple[list[str], list[str]]] = {}
for _row in _parse_table(_IRREGULAR_VERBS):
    _VERB_IRR[_row[0][0]] = (_row[1][0], _row[2][0])
    _VERB_IRR_ALL[_row[0][0]] = (_row[1], _row[2])
_NOUN_IRR: dict[str, str] = {}
_NOUN_IRR_ALL: dict[str, list[str]] = {}
for _row in _parse_table(_IRREGULAR_NOUNS):
    _NOUN_IRR[_row[0][0]] = _row[1][0]
    _NOUN_IRR_ALL[_row[0][0]] = _row[1]

_VOWELS = "aeiou"
_BUILTIN: dict[str, frozenset[str]] = {
    "v": frozenset(_VERB_IRR) | frozenset(_SPECIAL_VBZ),
    "n": frozenset(_NOUN_IRR) | _INVARIANT_NOUNS,
    "a": frozenset(_IRREGULAR_ADJ),
    "r": frozenset(_IRREGULAR_ADJ),
}


def syllables(word: str) -> int:
    """Rough syllable count (vowel groups, silent final e)."""
    w = word.lower()
    n = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(n, 1)


def _cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant (final not w/x/y): a candidate for doubling."""
    return (
        len(word) >= 3
        and word[-1] not in _VOWELS + "wxy"
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )


def _doubles(word: str) -> bool:
    if not word.isalpha():
        return False
    if word in _DOUBLING:
        return True
    return syllables(word) == 1 and _cvc(word)


# ------------------------------------------------------------------------ regular rules


def _plural(noun: str) -> str:
    w = noun
    lw = w.lower()
    if lw in _INVARIANT_NOUNS:
        return w
    if lw in _NOUN_IRR:
        return w[: len(w) - len(lw)] + _NOUN_IRR[lw] if len(w) != len(lw) else _NOUN_IRR[lw]
    if lw.endswith("man") and lw not in _MAN_EXCEPTIONS and len(lw) > 3:
        return w[:-3] + "men"
    if lw.endswith("sis") and len(lw) > 4:
        return w[:-3] + "ses"
    if lw.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    if lw.endswith("y") and len(lw) > 1 and lw[-2] not in _VOWELS:
        return w[:-1] + "ies"
    return w + "s"


def _third_person(verb: str) -> str:
    if verb in _SPECIAL_VBZ:
        return _SPECIAL_VBZ[verb]
    if verb.endswith(("s", "x", "z", "ch", "sh")) or (
        verb.endswith("o") and len(verb) > 1 and verb[-2] not in _VOWELS
    ):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in _VOWELS:
        return verb[:-1] + "ies"
    return verb + "s"


def _past_regular(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in _VOWELS:
        return verb[:-1] + "ied"
    if verb.endswith("c") and verb in ("panic", "picnic", "mimic", "traffic", "frolic"):
        return verb + "ked"
    if _doubles(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _gerund(verb: str) -> str:
    if verb == "be":
        return "being"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        return verb[:-1] + "ing"
    if verb.endswith("c") and verb in ("panic", "picnic", "mimic", "traffic", "frolic"):
        return verb + "king"
    if _doubles(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _takes_er(adj: str) -> bool:
    if not adj.isalpha():
        return False
    n = syllables(adj)
    if n == 1:
        return True
    return n == 2 and adj.endswith(("y", "le", "ow", "er")) and not adj.endswith("ly")


def _compare(adj: str, superlative: bool) -> str:
    suf = "est" if superlative else "er"
    if not _takes_er(adj):
        return ("most " if superlative else "more ") + adj
    if adj.endswith("e"):
        return adj + suf[1:]
    if adj.endswith("y") and len(adj) > 1 and adj[-2] not in _VOWELS:
        return adj[:-1] + "i" + suf
    if syllables(adj) == 1 and _cvc(adj):
        return adj + adj[-1] + suf
    return adj + suf


def _english_plural(lemma: str, form: str) -> bool:
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


# ------------------------------------------------------------------------------ Inflector


class Inflector:
    """Inflects lemmas and lemmatises forms; optionally backed by a lexicon and OEWN forms.

    ``lexicon(lemma, pos) -> bool`` validates lemmatiser candidates; ``forms`` maps
    ``(lemma, pos)`` to irregular/spelled-out forms (OEWN ``form:`` lists).
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        forms: Mapping[tuple[str, str], Iterable[str]] | None = None,
    ) -> None:
        self.lexicon = lexicon
        self._forms: dict[tuple[str, str], dict[str, str]] = {}
        self._reverse: dict[str, list[Analysis]] = {}
        if forms:
            for (lemma, pos), fs in forms.items():
                if lemma in _BUILTIN.get(pos, ()):
                    continue  # the built-in tables know these better (be, have, man, good...)
                self._add_forms(lemma, pos, list(fs))
        # built-in tables take precedence (added last, overwrite)
        for base, (pasts, pps) in _VERB_IRR_ALL.items():
            d = self._forms.setdefault((base, "v"), {})
            d["VBD"], d["VBN"] = pasts[0], pps[0]
            for p in pasts:
                self._add_reverse(p, base, "v", "VBD")
            for p in pps:
                self._add_reverse(p, base, "v", "VBN")
        for form, base in _SPECIAL_PRESENT.items():
            tag = "VB" if form in ("am", "are") else "VBZ"
            self._add_reverse(form, base, "v", tag)
        for base, form in _SPECIAL_VBZ.items():
            self._forms.setdefault((base, "v"), {})["VBZ"] = form
        self._forms.setdefault(("be", "v"), {})["VBD"] = "was"
        self._add_reverse("were", "be", "v", "VBD")
        self._add_reverse("being", "be", "v", "VBG")
        for base, plurals in _NOUN_IRR_ALL.items():
            self._forms.setdefault((base, "n"), {})["NNS"] = plurals[0]
            for p in plurals:
                self._add_reverse(p, base, "n", "NNS")
        for base, (comp, sup) in _IRREGULAR_ADJ.items():
            for pos in ("a", "r"):
                d = self._forms.setdefault((base, pos), {})
                d[TAGS[pos][1]], d[TAGS[pos][2]] = comp, sup
                self._add_reverse(comp, base, pos, TAGS[pos][1])
                self._add_reverse(sup, base, pos, TAGS[pos][2])

    @classmethod
    def from_oewn(cls, oewn: object) -> Inflector:
        """Build an inflector validated by OEWN lemmas and using its irregular forms."""
        has = oewn.has_lemma  # type: ignore[attr-defined]
        return cls(lexicon=lambda lemma, pos: has(lemma, pos), forms=oewn.forms)  # type: ignore[attr-defined]

    # ----------------------------------------------------------------- form tables
    def _add_reverse(self, form: str, lemma: str, pos: str, tag: str) -> None:
        lst = self._reverse.setdefault(form, [])
        a = Analysis(lemma, pos, tag)
        if a not in lst:
            lst.append(a)

    def _add_forms(self, lemma: str, pos: str, forms: list[str]) -> None:
        """Classify an unordered OEWN form list into tags."""
        d = self._forms.setdefault((lemma, pos), {})
        if pos == "n":
            for f in forms:
                if _english_plural(lemma, f):
                    d.setdefault("NNS", f)
                self._add_reverse(f, lemma, "n", "NNS")
        elif pos in ("a", "r"):
            comp, sup = TAGS[pos][1], TAGS[pos][2]
            for f in forms:
                tag = sup if f.endswith("st") else comp
                d.setdefault(tag, f)
                self._add_reverse(f, lemma, pos, tag)
        elif pos == "v":
            other = []
            for f in forms:
                if f.endswith("ing"):
                    d.setdefault("VBG", f)
                    self._add_reverse(f, lemma, "v", "VBG")
                elif f.endswith("ed"):
                    d.setdefault("VBD", f)
                    d.setdefault("VBN", f)
                    self._add_reverse(f, lemma, "v", "VBD")
                    self._add_reverse(f, lemma, "v", "VBN")
                elif f.endswith("s") and f[:-1].startswith(lemma[:-1]) and len(f) > len(lemma):
                    d.setdefault("VBZ", f)
                    self._add_reverse(f, lemma, "v", "VBZ")
                else:
                    other.append(f)
            if len(other) == 1:
                d.setdefault("VBD", other[0])
                d.setdefault("VBN", other[0])
                self._add_reverse(other[0], lemma, "v", "VBD")
                self._add_reverse(other[0], lemma, "v", "VBN")
            elif len(other) >= 2:
                pps = [f for f in other if f.endswith("n")]
                pasts = [f for f in other if not f.endswith("n")]
                for f in pasts:
                    d.setdefault("VBD", f)
                    self._add_reverse(f, lemma, "v", "VBD")
                for f in pps:
                    d.setdefault("VBN", f)
                    self._add_reverse(f, lemma, "v", "VBN")

    # ------------------------------------------------------------------- inflection
    def inflect_word(self, lemma: str, pos: str, tag: str) -> str:
        """Inflect a single word ``lemma`` of coarse ``pos`` to Penn ``tag``."""
        if tag == "VBP":
            tag = "VB"
        if tag == BASE_TAG.get(pos):
            return lemma
        known = self._forms.get((lemma, pos))
        if known and tag in known:
            return known[tag]
        if pos == "n" and tag == "NNS":
            return _plural(lemma)
        if pos == "v":
            if tag == "VBZ":
                return _third_person(lemma)
            if tag in ("VBD", "VBN"):
                return _past_regular(lemma)
            if tag == "VBG":
                return _gerund(lemma)
        if pos in ("a", "r") and tag in ("JJR", "JJS", "RBR", "RBS"):
            sup = tag.endswith("S")
            if pos == "r" and lemma.endswith("ly"):
                return ("most " if sup else "more ") + lemma
            return _compare(lemma, sup)
        raise ValueError(f"cannot inflect {lemma!r} ({pos}) to {tag}")

    def inflect(self, phrase: str, pos: str, tag: str) -> str:
        """Inflect a (possibly multi-word) lemma; the head word carries the inflection.

        Verbs inflect their first word (``make an attempt`` -> ``making an attempt``), nouns
        their last word, or the word before ``of`` (``point of view`` -> ``points of view``);
        multi-word adjectives/adverbs take ``more``/``most``.
        """
        words = phrase.split(" ")
        if len(words) == 1:
            return self.inflect_word(phrase, pos, tag)
        if tag == BASE_TAG.get(pos) or tag == "VBP":
            return phrase
        if pos == "v":
            return " ".join([self.inflect_word(words[0], "v", tag), *words[1:]])
        if pos == "n":
            head = len(words) - 1
            if "of" in words[1:]:
                head = words.index("of", 1) - 1
            words[head] = self.inflect_word(words[head], "n", tag)
            return " ".join(words)
        sup = tag.endswith("S")
        return ("most " if sup else "more ") + phrase

    # ------------------------------------------------------------------ lemmatising
    def _ok(self, lemma: str, pos: str) -> bool:
        return len(lemma) > 1 and (self.lexicon is None or self.lexicon(lemma, pos))

    def lemmatize(self, word: str, pos: str | None = None) -> list[Analysis]:
        """All readings of ``word`` (lowercase it first for sentence-initial words).

        Candidates come from irregular tables, OEWN forms and suffix rules; with a lexicon only
        lemmas it knows are returned. Regular ``-ed`` forms are returned as VBD and VBN.
        """
        out: list[Analysis] = []

        def add(lemma: str, p: str, tag: str) -> None:
            if (pos is None or p == pos) and self._ok(lemma, p):
                a = Analysis(lemma, p, tag)
                if a not in out:
                    out.append(a)

        w = word
        for p in ("n", "v", "a", "r"):
            add(w, p, BASE_TAG[p])
        for a in self._reverse.get(w, ()):
            if pos is None or a.pos == pos:
                if self.lexicon is None or self.lexicon(a.lemma, a.pos):
                    if a not in out:
                        out.append(a)
        if not w.isalpha() and "-" not in w:
            return out
        # nouns / 3rd person verbs
        if w.endswith("s") and not w.endswith("ss") and len(w) > 2:
            cands = [w[:-1]]
            if w.endswith("es"):
                cands.append(w[:-2])
            if w.endswith("ies") and len(w) > 4:
                cands.append(w[:-3] + "y")
            if w.endswith("ves"):
                cands += [w[:-3] + "f", w[:-3] + "fe"]
            for c in cands:
                add(c, "n", "NNS")
                add(c, "v", "VBZ")
        if w.endswith("men") and len(w) > 4:
            add(w[:-3] + "man", "n", "NNS")
        if w.endswith("ed") and len(w) > 3:
            cands = [w[:-2], w[:-1]]
            if w.endswith("ied"):
                cands.append(w[:-3] + "y")
            if len(w) > 4 and w[-3] == w[-4] and w[-3] not in _VOWELS:
                cands.append(w[:-3])
            if w.endswith("cked"):
                cands.append(w[:-3])
            for c in cands:
                add(c, "v", "VBD")
                add(c, "v", "VBN")
        if w.endswith("ing") and len(w) > 4:
            stem = w[:-3]
            cands = [stem, stem + "e"]
            if stem.endswith("y"):
                cands.append(stem[:-1] + "ie")
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                cands.append(stem[:-1])
            if stem.endswith("ck"):
                cands.append(stem[:-1])
            for c in cands:
                add(c, "v", "VBG")
        for suf, tags in (("est", ("JJS", "RBS")), ("er", ("JJR", "RBR"))):
            if w.endswith(suf) and len(w) > len(suf) + 2:
                stem = w[: -len(suf)]
                cands = [stem, stem + "e"]
                if stem.endswith("i"):
                    cands.append(stem[:-1] + "y")
                if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                    cands.append(stem[:-1])
                for c in cands:
                    add(c, "a", tags[0])
                    add(c, "r", tags[1])
        return out


_DEFAULT: Inflector | None = None


def _default() -> Inflector:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Inflector()
    return _DEFAULT


def inflect(phrase: str, pos: str, tag: str) -> str:
    """Inflect ``phrase`` with the built-in tables only (see :meth:`Inflector.inflect`)."""
    return _default().inflect(phrase, pos, tag)


def lemmatize(word: str, pos: str | None = None, lexicon: Lexicon | None = None) -> list[Analysis]:
    """Lemmatise ``word``; without ``lexicon`` the rule candidates are not validated."""
    if lexicon is None:
        return _default().lemmatize(word, pos)
    return Inflector(lexicon=lexicon).lemmatize(word, pos)


def tag_pos(tag: str) -> str:
    """Coarse POS (n/v/a/r) of a Penn tag."""
    return _TAG_POS[tag]
