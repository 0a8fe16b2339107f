"""The one table of irregular English forms, and the two uses that read it.

Inflection and lemmatisation (:mod:`.inflector`: the spinner and the candidate table at build
time) and tolerant matching of fixed expressions (:mod:`.forms`: the idiom matcher at run time)
read the same rows. Where the two uses still differ, the table says so form by form: a form
written ``~form`` is known to matching only (the inflector never generates or reads it), a form
written ``+form`` to inflection only (matching uses the regular forms instead); a mark on the
base word marks every form of its row. Each difference is a decision still to be measured
before it is aligned: aligning one changes what the spinner writes or what an idiom matches.

Rows are ``base past participle`` (verbs) or ``singular plural`` (nouns), one per ``|`` or line;
``/`` separates alternatives, the first being the one inflection generates.
"""

from __future__ import annotations

from functools import cache

#: The two uses: inflection and lemmatisation, and tolerant matching.
INFLECT, MATCH = "inflect", "match"
_MARKS = {"~": MATCH, "+": INFLECT}

IRREGULAR_VERBS = """
arise arose arisen|awake awoke awoken|be was been|bear bore borne/+born|beat beat beaten
become became become|begin began begun|bend bent bent|bet bet bet|bid bid bid|bind bound bound
bite bit bitten/~bit|bleed bled bled|blow blew blown|break broke broken|breed bred bred
bring brought brought|+broadcast broadcast broadcast|build built built
burn burned/burnt burned/burnt|burst burst burst|buy bought bought|cast cast cast
catch caught caught|choose chose chosen|cling clung clung|come came come|cost cost cost
creep crept crept|cut cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn
dream dreamed/dreamt dreamed/dreamt|drink drank drunk|drive drove driven
+dwell dwelt/dwelled dwelt/dwelled|eat ate eaten|fall fell fallen|feed fed fed|feel felt felt
fight fought fought|find found found|flee fled fled|fling flung flung|fly flew flown
forbid forbade forbidden|+forecast forecast forecast|+foresee foresaw foreseen
+foretell foretold foretold|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen
get got gotten/got|give gave given|go went gone|grind ground ground|grow grew grown
hang hung/~hanged hung/~hanged|have had had|hear heard heard|hide hid hidden|hit hit hit
hold held held|hurt hurt hurt|keep kept kept|kneel knelt/+kneeled knelt/+kneeled|know knew known
lay laid laid|lead led led|lean leaned/leant leaned/leant|leap leaped/leapt leaped/leapt
learn learned/learnt learned/learnt|leave left left|lend lent lent|let let let|lie lay lain
light lit/lighted lit/lighted|lose lost lost|make made made|mean meant meant|meet met met
+mislead misled misled|+mistake mistook mistaken|+misunderstand misunderstood misunderstood
+outdo outdid outdone|+overcome overcame overcome|+overdo overdid overdone
+overhear overheard overheard|+override overrode overridden|+overrun overran overrun
+oversee oversaw overseen|+overtake overtook overtaken|+overthrow overthrew overthrown
pay paid paid|prove proved proven/+proved|put put put|quit quit quit|read read read
+rebuild rebuilt rebuilt|+redo redid redone|+rethink rethought rethought
+rewrite rewrote rewritten|+rid rid rid|ride rode ridden|ring rang rung|rise rose risen
run ran run|+saw sawed sawn/sawed|say said said|see saw seen|seek sought sought|sell sold sold
send sent sent|set set set|sew sewed sewn/+sewed|shake shook shaken|shed shed shed
shine shone/~shined shone/~shined|shoot shot shot|show showed shown|shrink shrank shrunk
shut shut shut|sing sang sung|sink sank sunk|sit sat sat|+slay slew slain|sleep slept slept
slide slid slid|sling slung slung|slit slit slit|smell smelled/smelt smelled/smelt
+sow sowed sown/sowed|speak spoke spoken|speed sped sped|+spell spelled/spelt spelled/spelt
spend spent spent|spill spilled/spilt spilled/spilt|spin spun spun|spit spat spat
split split split|+spoil spoiled/spoilt spoiled/spoilt|spread spread spread|spring sprang sprung
stand stood stood|steal stole stolen|stick stuck stuck|sting stung stung|stink stank stunk
+stride strode stridden|strike struck struck/+stricken|string strung strung
strive strove striven|swear swore sworn|sweep swept swept|swell swelled swollen/+swelled
swim swam swum|swing swung swung|take took taken|teach taught taught|tear tore torn
tell told told|think thought thought|throw threw thrown|thrust thrust thrust|tread trod trodden
+undergo underwent undergone|understand understood understood|+undertake undertook undertaken
+undo undid undone|+upset upset upset|+uphold upheld upheld|wake woke/~waked woken/~waked
wear wore worn|weave wove woven|weep wept wept|+wet wet wet|win won won|wind wound wound
+withdraw withdrew withdrawn|+withhold withheld withheld|+withstand withstood withstood
wring wrung wrung|write wrote written|~dive dove dived
"""
IRREGULAR_NOUNS = """
man men|woman women|child children|person people|foot feet|tooth teeth|goose geese|mouse mice
louse lice|ox oxen|+criterion criteria|+phenomenon phenomena|+datum data|+medium media
+bacterium bacteria|+curriculum curricula|+memorandum memoranda|+stratum strata|+cactus cacti
+fungus fungi|+nucleus nuclei|+radius radii|+stimulus stimuli|+alumnus alumni|+syllabus syllabi
+focus foci/focuses|+index indices/indexes|+appendix appendices|+matrix matrices
+vertex vertices|+formula formulas/formulae|+antenna antennas/antennae|+larva larvae|+die dice
leaf leaves|life lives|knife knives|wife wives|half halves|+self selves|shelf shelves
wolf wolves|calf calves|loaf loaves|thief thieves|+elf elves|+sheaf sheaves|+wharf wharves
+scarf scarves|+hoof hooves|+bus buses|+gas gases|+quiz quizzes|+hero heroes|+potato potatoes
+tomato tomatoes|+echo echoes|+veto vetoes|+torpedo torpedoes|+embargo embargoes
+volcano volcanoes|+mosquito mosquitoes|+domino dominoes|+tornado tornadoes|+buffalo buffaloes
+cargo cargoes|+motto mottoes|~penny pence
"""
INVARIANT_NOUNS = """
+aircraft +barracks +bison +cod +corps +crossroads +headquarters +hovercraft +means +moose +news
+offspring +salmon +series +spacecraft +species +swine +trout deer fish sheep
"""

#: Present forms of the four verbs with irregular ones: base -> its -s form (generated), and
#: every present form -> its base (``am``/``are`` are plain presents, the rest -s forms).
SPECIAL_VBZ = {"be": "is", "have": "has", "do": "does", "go": "goes"}
SPECIAL_PRESENT = {"am": "be", "are": "be", "is": "be", "has": "have", "does": "do"}
#: The past and -ing forms of "be" beyond its row: "were" (past), "being".
BE_PAST, BE_ING = "were", "being"


def _known(field: str, row_mark: str | None, use: str) -> list[str]:
    """The alternatives of a field known to ``use``, in order, without their marks (a form
    without a mark of its own has the mark of its row)."""
    out = []
    for f in field.split("/"):
        mark = _MARKS.get(f[:1])
        if mark is not None:
            f = f[1:]
        if (mark or row_mark) in (None, use):
            out.append(f)
    return out


def _rows(text: str) -> list[tuple[str, str | None, list[str]]]:
    """(base, mark of the row, other fields) of each row."""
    out = []
    for chunk in text.replace("\n", "|").split("|"):
        if chunk.strip():
            base, *fields = chunk.split()
            out.append((base.lstrip("~+"), _MARKS.get(base[:1]), fields))
    return out


@cache
def verbs(use: str) -> dict[str, tuple[list[str], list[str]]]:
    """base -> (past forms, participles) known to ``use``, in table order (first: generated)."""
    out = {}
    for base, row, (past, part) in _rows(IRREGULAR_VERBS):
        pasts, parts = _known(past, row, use), _known(part, row, use)
        if pasts or parts:
            out[base] = (pasts, parts)
    return out


@cache
def nouns(use: str) -> dict[str, list[str]]:
    """singular -> plural forms known to ``use``, in table order (first: generated)."""
    out = {}
    for base, row, (plural,) in _rows(IRREGULAR_NOUNS):
        plurals = _known(plural, row, use)
        if plurals:
            out[base] = plurals
    return out


@cache
def invariant_nouns(use: str) -> frozenset[str]:
    """Nouns whose plural is the singular, known to ``use``."""
    return frozenset(w.lstrip("~+") for w in INVARIANT_NOUNS.split() if _known(w, None, use))
