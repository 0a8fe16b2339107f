"""Tolerant matching of fixed expressions (English idioms and calques) against a Document.

Pattern language (one pattern a line in the TSV tables, words separated by spaces):

- ``word``: the word in any inflection (``kick`` matches kick/kicks/kicked/kicking);
- ``=word``: exactly this form;
- ``(word)``: optional word; ``a|b``: either word (each inflectable);
- articles and possessives (``the a an my your his her its our their one's {poss}``): one class,
  optional, and an extra one may appear in the text before any word (``seat of (your) pants``);
- ``{sb}`` / ``{sth}``: an object, one to three words (``give {sb} the cold shoulder``);
- ``{self}``: a reflexive pronoun;
- ``{pp}``: a required possessive (my, your, his… or a name's);
- ``,``: an optional punctuation mark (``tiger's head , snake's tail``).

An English idiom may also be matched with ONE content word swapped for a related word or phrase
(``kick the pail``), which is the evidence of a distorted idiom. Candidate entries are found
through an index keyed on each entry's rarest words (two for swappable idioms, so one swapped
word never hides an entry), so the cost per token does not grow with the lexicon; one is only
verified in a sentence holding its other words, or all but one and a possible form of a relative
of that one (see ``Matcher``).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import compress, repeat

from mtdetect.resources import resource_path
from mtdetect.text import Document

DETERMINERS = frozenset(
    "the a an my your his her its our their one's someone's somebody's {poss}".split()
)
SLOT_WORDS = frozenset({"{sb}", "{sth}", "{self}"})
REFLEXIVES = frozenset(
    "myself yourself himself herself itself oneself ourselves yourselves themselves".split()
)
_NOT_POSSESSIVE = frozenset(
    "it's that's there's here's he's she's what's who's let's where's how's one's".split()
)
FUNCTION_WORDS = frozenset(
    """a an the and or but nor if then than as at by for from in into of off on onto out over
    under up down to with without within about above across after against along among around
    before behind below beneath beside between beyond during except inside near outside past
    since through throughout till toward towards until upon via i me my mine you your yours he
    him his she her hers it its we us our ours they them their theirs one one's oneself this
    that these those who whom whose which what whatever be is am are was were been being have
    has had having do does did done doing will would shall should can could may might must
    not no so too very all any each every some such own just only also there here where when
    how why like yes back away""".split()
)

# Verbs too common to carry an idiom on their own once its other content word is swapped.
LIGHT_WORDS = frozenset(
    """get got make take give go come put keep set let see say tell look turn run bring hold
    call find know think want work way thing time day good bad new old big little great""".split()
)

_IRREGULAR_VERBS = """
arise arose arisen|awake awoke awoken|be was been|bear bore borne|beat beat beaten|become became
become|begin began begun|bend bent bent|bet bet bet|bid bid bid|bind bound bound|bite bit bitten|
bleed bled bled|blow blew blown|break broke broken|breed bred bred|bring brought brought|build
built built|burn burnt burnt|burst burst burst|buy bought bought|cast cast cast|catch caught
caught|choose chose chosen|cling clung clung|come came come|cost cost cost|creep crept crept|cut
cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn|dream dreamt dreamt|drink drank
drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed fed|feel felt felt|fight fought
fought|find found found|flee fled fled|fling flung flung|fly flew flown|forbid forbade forbidden|
forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten|give gave
given|go went gone|grind ground ground|grow grew grown|hang hung hung|have had had|hear heard
heard|hide hid hidden|hit hit hit|hold held held|hurt hurt hurt|keep kept kept|kneel knelt knelt|
know knew known|lay laid laid|lead led led|lean leant leant|leap leapt leapt|learn learnt learnt|
leave left left|lend lent lent|let let let|lie lay lain|light lit lit|lose lost lost|make made
made|mean meant meant|meet met met|pay paid paid|prove proved proven|put put put|quit quit quit|
read read read|ride rode ridden|ring rang rung|rise rose risen|run ran run|say said said|see saw
seen|seek sought sought|sell sold sold|send sent sent|set set set|sew sewed sewn|shake shook
shaken|shed shed shed|shine shone shone|shoot shot shot|show showed shown|shrink shrank shrunk|
shut shut shut|sing sang sung|sink sank sunk|sit sat sat|sleep slept slept|slide slid slid|sling
slung slung|slit slit slit|smell smelt smelt|speak spoke spoken|speed sped sped|spend spent spent|
spill spilt spilt|spin spun spun|spit spat spat|split split split|spread spread spread|spring
sprang sprung|stand stood stood|steal stole stolen|stick stuck stuck|sting stung stung|stink
stank stunk|strike struck struck|string strung strung|strive strove striven|swear swore sworn|
sweep swept swept|swell swelled swollen|swim swam swum|swing swung swung|take took taken|teach
taught taught|tear tore torn|tell told told|think thought thought|throw threw thrown|thrust
thrust thrust|tread trod trodden|understand understood understood|wake woke woken|wear wore worn|
weave wove woven|weep wept wept|win won won|wind wound wound|wring wrung wrung|write wrote written|
bite bit bit|get got got|dive dove dived|hang hanged hanged|light lighted lighted|dream dreamed
dreamed|burn burned burned|learn learned learned|spill spilled spilled|smell smelled smelled|
lean leaned leaned|leap leaped leaped|wake waked waked|shine shined shined
"""
_IRREGULAR_NOUNS = """man men|woman women|child children|foot feet|tooth teeth|goose geese|mouse
mice|louse lice|ox oxen|knife knives|wife wives|life lives|leaf leaves|half halves|wolf wolves|
calf calves|shelf shelves|thief thieves|loaf loaves|sheep sheep|fish fish|deer deer|person people|
penny pence"""


@cache
def _irregular() -> dict[str, dict[str, set[str]]]:
    table: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for item in " ".join(_IRREGULAR_VERBS.split()).replace(" |", "|").split("|"):
        parts = item.split()
        if len(parts) == 3:
            base, past, pp = parts
            table[base]["ed"].add(past)
            table[base]["en"].add(pp)
    for item in " ".join(_IRREGULAR_NOUNS.split()).split("|"):
        parts = item.split()
        if len(parts) == 2:
            table[parts[0]]["s"].add(parts[1])
    be = table["be"]
    be["s"].update({"is", "are", "am"})
    be["ed"].add("were")
    be["ing"] = {"being"}
    table["have"]["s"].add("has")
    table["do"]["s"].add("does")
    table["go"]["s"].add("goes")
    return {k: dict(v) for k, v in table.items()}


_VOWELS = set("aeiou")


def _regular(w: str) -> dict[str, set[str]]:
    """Regular inflections of a base form, labelled s / ed / ing (over-generation is harmless)."""
    out: dict[str, set[str]] = {"base": {w}, "s": set(), "ed": set(), "ing": set()}
    if not w.isalpha() or len(w) < 2:
        return out
    if w.endswith(("s", "x", "z", "ch", "sh", "o")):
        out["s"].add(w + "es")
    if w.endswith("y") and w[-2] not in _VOWELS:
        out["s"].add(w[:-1] + "ies")
        out["ed"].add(w[:-1] + "ied")
    else:
        out["s"].add(w + "s")
    if w.endswith("e"):
        out["ed"].add(w + "d")
        if w.endswith("ie"):
            out["ing"].add(w[:-2] + "ying")
        elif not w.endswith(("ee", "ye", "oe")):
            out["ing"].add(w[:-1] + "ing")
        else:
            out["ing"].add(w + "ing")
    else:
        if not (w.endswith("y") and w[-2] not in _VOWELS):
            out["ed"].add(w + "ed")
        out["ing"].add(w + "ing")
    if (
        len(w) >= 3
        and w[-1] not in _VOWELS
        and w[-1] not in "wxy"
        and w[-2] in _VOWELS
        and w[-3] not in _VOWELS
    ):
        out["ed"].add(w + w[-1] + "ed")
        out["ing"].add(w + w[-1] + "ing")
    if w.endswith("f"):
        out["s"].add(w[:-1] + "ves")
    if w.endswith("fe"):
        out["s"].add(w[:-2] + "ves")
    return out


_PREFERRED = {("be", "s"): "is", ("be", "ed"): "was", ("have", "s"): "has"}


@cache
def labelled_forms(w: str) -> dict[str, frozenset[str]]:
    """Inflections of ``w`` by label: base, s (plural / 3rd person), ed (past), en, ing."""
    out = {k: set(v) for k, v in _regular(w).items()}
    for k, v in _irregular().get(w, {}).items():
        out[k] = set(v)  # irregular forms replace the regular guess
    if "en" not in out:
        out["en"] = set(out["ed"])
    return {k: frozenset(v) for k, v in out.items()}


@cache
def word_forms(w: str) -> frozenset[str]:
    """Every form a pattern word may take in text: its inflections, and those of a guessed base
    when the pattern word is itself inflected (``beans`` → bean, ``kicked`` → kick)."""
    return frozenset().union(*map(_inflections, _stems(w)))


def _inflections(w: str) -> set[str]:
    """The forms of ``labelled_forms(w)`` in one set (not cached: few are asked twice)."""
    labels = _regular(w)
    labels.update(_irregular().get(w, {}))  # irregular forms replace the regular guess
    return set().union(*labels.values())


@cache
def _stems(w: str) -> tuple[str, ...]:
    """The words whose labelled forms make up ``word_forms(w)``: ``w``, its guessed bases and
    the bases of which it is an irregular form."""
    stems = [w]
    if len(w) > 4 and w.endswith("ies"):
        stems.append(w[:-3] + "y")
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        stems.append(w[:-1])
    if len(w) > 4 and w.endswith("ed"):
        stems += [w[:-2], w[:-1]]
    if len(w) > 5 and w.endswith("ing"):
        stems += [w[:-3], w[:-3] + "e"]
    stems += _irregular_bases().get(w, ())
    return tuple(stems)


@lru_cache(maxsize=1 << 16)
def _form_stems(w: str) -> frozenset[str]:
    """Every word among whose labelled forms the text word ``w`` may be, and some more (a
    superset): ``w``, ``w`` with a regular ending undone, and the bases of which ``w`` is an
    irregular form. ``w in word_forms(p)`` implies that ``_stems(p)`` meets this set, so the
    relatives of an idiom word are looked up without inflecting them all."""
    out = {w, *_irregular_bases().get(w, ())}
    if w.endswith("s"):
        out.add(w[:-1])
        if w.endswith("es"):
            out.add(w[:-2])
            if w.endswith("ies"):
                out.add(w[:-3] + "y")
            if w.endswith("ves"):
                out.update((w[:-3] + "f", w[:-3] + "fe"))
    elif w.endswith("d"):
        out.add(w[:-1])
        if w.endswith("ed"):
            out.update((w[:-2], w[:-3]))  # kicked, stopped
            if w.endswith("ied"):
                out.add(w[:-3] + "y")
    elif w.endswith("ing"):
        out.update((w[:-3], w[:-3] + "e", w[:-4]))  # kicking, taking, stopping
        if w.endswith("ying"):
            out.add(w[:-4] + "ie")
    return frozenset(out)


@cache
def _irregular_bases() -> dict[str, tuple[str, ...]]:
    """Irregular form → the bases it inflects (``went`` → go), for one look-up per word."""
    out: dict[str, list[str]] = defaultdict(list)
    for base, labels in _irregular().items():
        for form in set().union(*labels.values()):
            out[form].append(base)
    return {k: tuple(v) for k, v in out.items()}


@cache
def noun_forms(w: str) -> frozenset[str]:
    """A noun's singular and plural forms only (``schedule`` does not match "scheduled")."""
    lab = labelled_forms(w)
    return lab["base"] | lab["s"]


def _syllables(w: str) -> int:
    groups = 0
    prev = False
    for ch in w:
        v = ch in "aeiouy"
        groups += v and not prev
        prev = v
    return groups


def pick_form(base: str, label: str) -> str:
    """The one standard form of ``base`` for ``label`` (for suggestions, not matching)."""
    if label == "base":
        return base
    if (base, label) in _PREFERRED:
        return _PREFERRED[(base, label)]
    irr = _irregular().get(base, {}).get(label)
    if irr:
        return sorted(irr, key=lambda f: (len(f), f))[0]
    if label == "en":
        label = "ed"
    cvc = (
        len(base) >= 3
        and base[-1] not in "aeiouwxy"
        and base[-2] in "aeiou"
        and base[-3] not in "aeiou"
        and _syllables(base) == 1
    )
    if label == "s":
        if base.endswith(("s", "x", "z", "ch", "sh")):
            return base + "es"
        if base.endswith("y") and base[-2:-1] not in ("a", "e", "i", "o", "u"):
            return base[:-1] + "ies"
        return base + "s"
    if label == "ed":
        if base.endswith("e"):
            return base + "d"
        if base.endswith("y") and base[-2:-1] not in ("a", "e", "i", "o", "u"):
            return base[:-1] + "ied"
        return base + base[-1] + "ed" if cvc else base + "ed"
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")) and len(base) > 2:
        return base[:-1] + "ing"
    return base + base[-1] + "ing" if cvc else base + "ing"


def _base_of(w: str) -> tuple[str, str]:
    """(base, label) of a possibly inflected word: ``carrying`` → (carry, ing)."""
    cands = [w]
    if w.endswith("ing"):
        cands += [w[:-3], w[:-3] + "e", w[:-4]]
    if w.endswith("ed"):
        cands += [w[:-2], w[:-1], w[:-3] + "y", w[:-3]]
    if w.endswith("s"):
        cands += [w[:-1], w[:-2], w[:-3] + "y"]
    for base, labels in _irregular().items():
        for lab, forms in labels.items():
            if w in forms and lab != "base":
                return base, lab
    for b in cands[1:]:
        if len(b) >= 2:
            for lab in ("s", "ed", "ing"):
                if pick_form(b, lab) == w:
                    return b, lab
    return w, "base"


def inflect_like(target: str, text_word: str, lemma: str, head: int = 0) -> str:
    """Inflect word ``head`` of ``target`` as ``text_word`` inflects ``lemma``
    (``inflect_like("bucket", "pails", "pail")`` → ``buckets``)."""
    low = text_word.lower()
    label = "base"
    for lab in ("base", "s", "ed", "en", "ing"):
        if low in labelled_forms(lemma).get(lab, ()):
            label = lab
            break
    words = target.split()
    head = min(head, len(words) - 1)
    if label != "base":
        base, own = _base_of(words[head])
        if own == "base" or own == label or (own, label) in {("ed", "en"), ("en", "ed")}:
            words[head] = words[head] if own == label else pick_form(base, label)
        else:
            words[head] = pick_form(base, label)
    out = " ".join(words)
    if text_word[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out


# ---------------------------------------------------------------- patterns

DET, SLOT, REFL, WORD, PUNCT = "det", "slot", "refl", "word", "punct"
_PUNCT = "\x00"  # prefix of punctuation tokens in the matcher's word list


@dataclass(frozen=True, slots=True)
class Elem:
    """One pattern element: kind, accepted forms, the pattern word, optional flag."""

    kind: str
    forms: frozenset[str] = frozenset()
    word: str = ""
    optional: bool = False
    content: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """A lexicon entry: an English idiom (``kind='idiom'``) or a calque."""

    id: int
    kind: str
    pattern: str
    elems: tuple[Elem, ...]
    swappable: bool = False
    blocked: frozenset[str] = frozenset()
    rel_keys: tuple[tuple[int, str], ...] = ()
    lang: str = ""
    source: str = ""
    english: str = ""


@dataclass(frozen=True, slots=True)
class Swap:
    """A content word of the idiom replaced in the text by a related word or phrase."""

    elem: int
    original: str
    related: str
    relation: str
    tok_lo: int
    tok_hi: int


@dataclass(frozen=True, slots=True)
class Match:
    """An entry matched on tokens ``[tok_start, tok_end)`` of a document."""

    entry: Entry
    tok_start: int
    tok_end: int
    swap: Swap | None = None


def compile_pattern(pattern: str) -> tuple[Elem, ...]:
    """Parse a pattern string into elements."""
    return tuple(map(_compile_elem, pattern.split()))


@cache
def _compile_elem(w: str) -> Elem:
    """One pattern word as an element (cached: entries share their common elements)."""
    if w in DETERMINERS:
        return Elem(DET, optional=True)
    if w == "{pp}":
        return Elem(DET, optional=False)
    if w == ",":
        return Elem(PUNCT, optional=True)
    if w in ("{sb}", "{sth}"):
        return Elem(SLOT)
    if w == "{self}":
        return Elem(REFL)
    optional = w.startswith("(") and w.endswith(")")
    w = w.strip("()")
    alts = w.split("|")
    if len(alts) == 1 and not w.startswith("="):
        forms = word_forms(w)
    else:
        forms = frozenset().union(*({a[1:]} if a.startswith("=") else word_forms(a) for a in alts))
    word = alts[0].lstrip("=")
    content = (
        len(alts) == 1
        and not optional
        and word not in FUNCTION_WORDS
        and len(word) > 2
        and not word.isdigit()
    )
    return Elem(WORD, forms, word, optional, content)


# ---------------------------------------------------------------- loading


def _read_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in resource_path(name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


@cache
def related_words() -> dict[str, tuple[tuple[str, str], ...]]:
    """Content word → ((related word or phrase, relation code), ...) from idiom_related.tsv."""
    out = {}
    for row in _read_tsv("idiom_related.tsv"):
        rels = []
        for item in row[1].split("|"):
            r, _, t = item.rpartition(":")
            rels.append((r, t))
        out[row[0]] = tuple(rels)
    return out


@cache
def load_entries() -> tuple[Entry, ...]:
    """All entries: idioms_en.tsv (English idioms) and calques.tsv."""
    entries: list[Entry] = []
    for row in _read_tsv("idioms_en.tsv"):
        pat = row[0]
        blocked = frozenset(b for b in (row[2].split("|") if len(row) > 2 else []) if b)
        keys = tuple(
            (int(k), key)
            for k, _, key in (
                x.partition(":") for x in (row[3].split("|") if len(row) > 3 else []) if x
            )
        )
        entries.append(
            Entry(
                len(entries),
                "idiom",
                pat,
                compile_pattern(pat),
                swappable=len(row) > 1 and row[1] == "1",
                blocked=blocked,
                rel_keys=keys,
            )
        )
    for row in _read_tsv("calques.tsv"):
        pat, lang, source, english = row[:4]
        entries.append(
            Entry(
                len(entries),
                "calque",
                pat,
                compile_pattern(pat),
                lang=lang,
                source=source,
                english=english,
            )
        )
    return tuple(entries)


# ---------------------------------------------------------------- matching


def _sentence_stems(words: set[str]) -> set[str]:
    """The union of ``_form_stems`` over ``words`` (most words are their only stem)."""
    irregular = _irregular_bases()
    return words.union(
        *[_form_stems(w) for w in words if w.endswith(("s", "d", "g")) or w in irregular]
    )


# What find() tries for an entry in a sentence (decided once per sentence from its words).
_SKIP, _CANONICAL, _SWAP = 0, 1, 2
_ALWAYS = -1  # the anchor group of entries with no other word to check
_NO_SWAPS: dict[int, str] = {}


class Matcher:
    """Index + verifier over a set of entries.

    Each entry is indexed on its rarest required word (two for swappable idioms), and within
    that on a second required word (either of two for swappable idioms: one may be swapped),
    so a sentence reaches few entries it cannot match. One found that way is verified only if
    the sentence holds all its required words (a canonical match), or all but one that a
    related word may replace (a swappable entry): a form of a relative of that word must be in
    the sentence, and a content word other than a light verb must remain. Each (entry, start)
    is tried once.
    """

    MAX_SLOT = 3
    MAX_REL = 3

    def __init__(self, entries: tuple[Entry, ...], related: dict[str, tuple]) -> None:
        self.entries = entries
        self.related = related
        required = [
            [(i, el) for i, el in enumerate(e.elems) if el.kind == WORD and not el.optional]
            for e in entries
        ]
        df: dict[str, int] = defaultdict(int)
        for req in required:
            for w in {el.word for _, el in req}:
                df[w] += 1
        # The required words of each entry as ids of their sets of forms, and for each text form
        # the ids of the sets holding it: a sentence's words give the ids present in one pass.
        set_ids: dict[frozenset[str], int] = {}
        # by entry id: the ids of its required words, and {id: related-table key} of those a
        # one-swap match may lack (see _swappable)
        self._required: list[tuple[frozenset[int], dict[int, str]]] = []
        # anchor form-set id → {id of a second word, or _ALWAYS: [(entry id, anchor element)]}
        self._anchors: dict[int, dict[int, list[tuple[int, int]]]] = {}
        self._anchor_elems: list[tuple[int, int]] = []
        for e, req in zip(entries, required):
            pairs = [(i, set_ids.setdefault(el.forms, len(set_ids))) for i, el in req]
            swaps = self._swappable(e, pairs) if e.swappable else _NO_SWAPS
            self._required.append((frozenset(sid for _, sid in pairs), swaps))
            # rarest words first: few entries share them; content words before function words
            req.sort(key=lambda x: (not x[1].content, df[x[1].word], -len(x[1].word)))
            sid_of = dict(pairs)
            n_anchor = 2 if e.swappable else 1
            for i, _ in req[:n_anchor]:
                self._anchor_elems.append((e.id, i))
                # A match needs every other word that cannot be swapped, and one of any two others.
                others = list(dict.fromkeys(sid_of[j] for j, _ in req if sid_of[j] != sid_of[i]))
                needed = [sid for sid in others if sid not in swaps]
                if needed:
                    checks = needed[:1]
                else:
                    checks = others[:2] if len(others) >= 2 else [_ALWAYS]
                groups = self._anchors.setdefault(sid_of[i], {})
                for check in checks:
                    groups.setdefault(check, []).append((e.id, i))
        # text form → ids of the form sets holding it, and of those that anchor entries
        holders: dict[str, list[int]] = defaultdict(list)
        anchored: dict[str, list[int]] = defaultdict(list)
        for forms, sid in set_ids.items():
            for f in forms:
                holders[f].append(sid)
                if sid in self._anchors:
                    anchored[f].append(sid)
        self._holders = {f: tuple(ids) for f, ids in holders.items()}
        self._anchored = {f: tuple(ids) for f, ids in anchored.items()}
        self._bounds: dict[int, list[tuple[int, int]]] = {}
        self._keys: dict[int, dict[int, str]] = {}
        # related-table key → stems of the first words of its relatives
        self._rel_stems: dict[str, frozenset[str]] = {}
        # (key, text word) → the relatives found for the text words that have some
        self._rel_hits: dict[tuple[str, str], tuple[tuple[str, str, tuple], ...]] = {}

    @cached_property
    def index(self) -> dict[str, list[tuple[int, int]]]:
        """Text form → [(entry id, anchor element)] (for inspection: find() uses the groups)."""
        index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for eid, k in self._anchor_elems:
            for f in self.entries[eid].elems[k].forms:
                index[f].append((eid, k))
        return dict(index)

    def _rel_key(self, eid: int, k: int) -> str | None:
        """The related-table key of element ``k`` of entry ``eid``."""
        keys = self._keys.get(eid)
        if keys is None:
            keys = self._keys[eid] = dict(self.entries[eid].rel_keys)
        return keys.get(k)

    def _prefix_bounds(self, e: Entry) -> list[tuple[int, int]]:
        """For each element, min and max tokens the elements before it can span."""
        out = []
        lo = hi = 0
        for el in e.elems:
            out.append((lo, hi))
            if el.kind in (DET, PUNCT):
                lo += 0 if el.optional else 1
                hi += 1
            elif el.kind == SLOT:
                lo += 1
                hi += self.MAX_SLOT
            elif el.kind == REFL:
                lo += 1
                hi += 1
            else:
                lo += 0 if el.optional else 1
                hi += 1 + 1 + (self.MAX_REL - 1 if e.swappable and el.content else 0)
        return out

    def _relative_stems(self, key: str) -> frozenset[str]:
        """The stems (see ``_stems``) of the first words of the relatives of ``key``."""
        got = self._rel_stems.get(key)
        if got is None:
            firsts = {rel.split(" ", 1)[0] for rel, _ in self.related.get(key, ())}
            irregular = _irregular_bases()
            got = self._rel_stems[key] = frozenset(firsts).union(
                *[_stems(t) for t in firsts if t.endswith(("s", "d", "g")) or t in irregular]
            )
        return got

    def _relatives(self, key: str, w: str) -> tuple[tuple[str, str, tuple], ...]:
        """Relatives of ``key`` whose first word may take the form ``w``, in table order:
        (related phrase, relation, forms of each of its tokens); noun keys take noun forms."""
        stems = _form_stems(w)
        if self._relative_stems(key).isdisjoint(stems):
            return ()
        got = self._rel_hits.get((key, w))
        if got is None:
            inflect = noun_forms if key.rstrip("!").endswith("/n") else word_forms
            got = []
            for rel, code in self.related[key]:
                toks = rel.split()
                if not stems.isdisjoint(_stems(toks[0])) and w in inflect(toks[0]):
                    got.append((rel, code, tuple(inflect(t) for t in toks)))
            got = self._rel_hits[(key, w)] = tuple(got)
        return got

    def _swappable(self, e: Entry, pairs: list[tuple[int, int]]) -> dict[int, str]:
        """{form-set id: related-table key} of the required words of ``e`` that a one-swap match
        may lack: a content word with relatives, once in the entry, and not the only content
        word other than a light verb (see the end of ``_match``)."""
        keys = dict(e.rel_keys)
        heavy = [i for i, el in enumerate(e.elems) if el.content and el.word not in LIGHT_WORDS]
        sids = [sid for _, sid in pairs]
        out = {}
        for k, sid in pairs:
            key = keys.get(k)
            if (
                key
                and self.related.get(key)
                and e.elems[k].content
                and sids.count(sid) == 1
                and any(i != k for i in heavy)
            ):
                out[sid] = key
        return out

    def _match(
        self, e: Entry, words: list[str], k: int, j: int, allow_swap: bool, swap: Swap | None
    ) -> tuple[int, Swap | None] | None:
        """Match elements ``k:`` of ``e`` from token ``j``; return (end token, swap) or None."""
        elems = e.elems
        n = len(words)
        if k == len(elems):
            if swap is not None and not any(
                i != swap.elem and el.content and el.word not in LIGHT_WORDS
                for i, el in enumerate(elems)
            ):
                return None  # "take the coat": only a light verb is left of "take the cake"
            return j, swap
        el = elems[k]
        w = words[j] if j < n else None
        if w is not None and w.startswith(_PUNCT) and el.kind != PUNCT:
            w = None  # words never match punctuation
        if el.kind == DET:
            if w is not None and _is_det(w):
                r = self._match(e, words, k + 1, j + 1, allow_swap, swap)
                if r:
                    return r
            if allow_swap or not el.optional:
                # distorted idioms keep their articles: "last night" is not "the last minute"
                return None
            return self._match(e, words, k + 1, j, allow_swap, swap)
        if el.kind == PUNCT:
            if w is not None and w.startswith(_PUNCT) and w[1:] in ",;:-":
                r = self._match(e, words, k + 1, j + 1, allow_swap, swap)
                if r:
                    return r
            return self._match(e, words, k + 1, j, allow_swap, swap)
        if el.kind == SLOT:
            for ln in range(1, self.MAX_SLOT + 1):
                if j + ln > n or not _slot_word(words[j + ln - 1]):
                    break
                r = self._match(e, words, k + 1, j + ln, allow_swap, swap)
                if r:
                    return r
            return None
        if el.kind == REFL:
            if w is not None and w in REFLEXIVES:
                return self._match(e, words, k + 1, j + 1, allow_swap, swap)
            return None
        # WORD
        if w is not None and w in el.forms:
            r = self._match(e, words, k + 1, j + 1, allow_swap, swap)
            if r:
                return r
        if el.optional:
            r = self._match(e, words, k + 1, j, allow_swap, swap)
            if r:
                return r
        if w is not None and _is_det(w) and k > 0 and elems[k - 1].kind != DET:
            w2 = words[j + 1] if j + 1 < n else None
            if w2 is not None and w2 in el.forms:
                r = self._match(e, words, k + 1, j + 2, allow_swap, swap)
                if r:
                    return r
        if allow_swap and swap is None and el.content and w is not None:
            key = self._rel_key(e.id, k)
            for rel, code, tforms in self._relatives(key, w) if key else ():
                if f"{k}:{rel}" in e.blocked:
                    continue
                ln = len(tforms)
                if j + ln > n or any(words[j + t] not in tforms[t] for t in range(1, ln)):
                    continue
                s = Swap(k, el.word, rel, code, j, j + ln)
                r = self._match(e, words, k + 1, j + ln, allow_swap, s)
                if r:
                    return r
        return None

    def find(self, doc: Document) -> list[Match]:
        """All matches in ``doc``: canonical ones (``swap is None``) and one-swap ones."""
        out: dict[tuple[int, int, int], Match] = {}
        holders, anchored, anchors = self._holders, self._anchored, self._anchors
        required, rel_stems = self._required, self._rel_stems
        # the matcher's form of every token of the document (sliced per sentence below)
        all_words = [t.norm.lower() if t.is_word else _PUNCT + t.norm for t in doc.tokens]
        for sent in doc.sentences:
            words = all_words[sent.tok_start : sent.tok_end]
            present = set(words)
            found = set().union(*map(holders.get, present, repeat(())))
            found.add(_ALWAYS)
            stems = None  # of the sentence's words (see _form_stems), once a swap is possible
            modes: dict[int, int] = {}
            tried: set[tuple[int, int]] = set()
            # the tokens that anchor some entry (filtered in C: most tokens do not)
            for i in compress(range(len(words)), map(anchored.__contains__, words)):
                for sid in anchored[words[i]]:
                    groups = anchors[sid]
                    for check in found.intersection(groups):
                        for eid, k in groups[check]:
                            mode = modes.get(eid)
                            if mode is None:
                                # canonical: all its required words are in the sentence;
                                # one swap: all but one
                                ids, swaps = required[eid]
                                missing = ids - found
                                if not missing:
                                    mode = _CANONICAL
                                elif len(missing) > 1 or not swaps:
                                    mode = _SKIP
                                else:
                                    # one swap: a relative of the missing word may be in the
                                    # sentence
                                    mode = _SKIP
                                    for gone in missing:
                                        key = swaps.get(gone)
                                        if key is not None:
                                            if stems is None:
                                                stems = _sentence_stems(present)
                                            rs = rel_stems.get(key) or self._relative_stems(key)
                                            if not rs.isdisjoint(stems):
                                                mode = _SWAP
                                modes[eid] = mode
                            if mode:
                                self._try(eid, k, i, mode, words, tried, sent.tok_start, out)
        return sorted(out.values(), key=lambda m: (m.tok_start, m.tok_end, m.entry.id))

    def _try(
        self,
        eid: int,
        k: int,
        i: int,
        mode: int,
        words: list[str],
        tried: set[tuple[int, int]],
        offset: int,
        out: dict[tuple[int, int, int], Match],
    ) -> None:
        """Try entry ``eid`` from each start from which its element ``k`` may reach token ``i``;
        add the matches to ``out``, keyed on entry and start and end tokens in the document."""
        e = self.entries[eid]
        bounds = self._bounds.get(eid)
        if bounds is None:
            bounds = self._bounds[eid] = self._prefix_bounds(e)
        lo, hi = bounds[k]
        # a required first word that cannot be swapped must be on the start token
        first = e.elems[0]
        if first.kind != WORD or first.optional or (e.swappable and first.content):
            first = None
        for s in range(max(0, i - hi), i - lo + 1):
            if words[s].startswith(_PUNCT) or (eid, s) in tried:
                continue
            tried.add((eid, s))
            if first is not None and words[s] not in first.forms:
                continue
            r = None
            if mode == _CANONICAL:
                r = self._match(e, words, 0, s, False, None)
            if r is None and e.swappable:
                r = self._match(e, words, 0, s, True, None)
            if r is None or r[0] <= s:
                continue
            end, swap = r
            key = (eid, offset + s, offset + end)
            if key not in out:
                if swap is not None:
                    swap = Swap(
                        swap.elem,
                        swap.original,
                        swap.related,
                        swap.relation,
                        offset + swap.tok_lo,
                        offset + swap.tok_hi,
                    )
                out[key] = Match(e, key[1], key[2], swap)


_OBJECT_PRONOUNS = frozenset("me you him her it us them someone somebody everyone".split())


def _slot_word(w: str) -> bool:
    """Can ``w`` be part of an object slot? Not punctuation, prepositions or other glue words."""
    if w.startswith(_PUNCT):
        return False
    return w in _OBJECT_PRONOUNS or w in DETERMINERS or w not in FUNCTION_WORDS


_DEMONSTRATIVES = frozenset("this that these those".split())


def _is_det(w: str) -> bool:
    """Does text word ``w`` fill an article/possessive slot? (demonstratives count too)"""
    return (
        w in DETERMINERS or w in _DEMONSTRATIVES or (w.endswith("'s") and w not in _NOT_POSSESSIVE)
    )


@cache
def default_matcher() -> Matcher:
    """The matcher over the shipped tables (built on first use, then cached)."""
    with _gc_paused():
        return Matcher(load_entries(), related_words())


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection while the tables are built (~10^5 long-lived objects, no cycles:
    each collection would walk the heap again); then one young-generation pass moves them all
    to the old generation, rather than the next two automatic passes while matching."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(1)
        if enabled:
            gc.enable()
