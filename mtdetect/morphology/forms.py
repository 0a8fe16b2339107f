"""The forms a word may take in a fixed expression, for tolerant matching (idioms, calques).

Matching over-generates: a pattern word matches every inflection of itself and of the bases it
may be a form of (``kick`` → kicks/kicked/kicking; ``beans`` → bean), with the irregular forms of
the one table (:mod:`.table`, its matching view) replacing the regular guess. :func:`pick_form`
and :func:`inflect_like` choose the one form a suggestion needs.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache

from mtdetect.morphology.table import (
    BE_ING,
    BE_PAST,
    MATCH,
    SPECIAL_PRESENT,
    SPECIAL_VBZ,
    invariant_nouns,
    nouns,
    verbs,
)


@cache
def irregular() -> dict[str, dict[str, set[str]]]:
    """base -> {label: irregular forms} of the table's matching view: ``ed`` (past), ``en``
    (participle), ``s`` (plural, or the present of be/have/do/go), ``ing`` (being)."""
    table: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for base, (pasts, parts) in verbs(MATCH).items():
        table[base]["ed"].update(pasts)
        table[base]["en"].update(parts)
    for base, plurals in nouns(MATCH).items():
        table[base]["s"].update(plurals)
    for w in sorted(invariant_nouns(MATCH)):
        table[w]["s"].add(w)
    for base, form in SPECIAL_VBZ.items():
        table[base]["s"].add(form)
    for form, base in SPECIAL_PRESENT.items():
        table[base]["s"].add(form)
    table["be"]["ed"].add(BE_PAST)
    table["be"]["ing"] = {BE_ING}
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
    for k, v in irregular().get(w, {}).items():
        out[k] = set(v)  # irregular forms replace the regular guess
    if "en" not in out:
        out["en"] = set(out["ed"])
    return {k: frozenset(v) for k, v in out.items()}


@cache
def word_forms(w: str) -> frozenset[str]:
    """Every form a pattern word may take in text: its inflections, and those of a guessed base
    when the pattern word is itself inflected (``beans`` → bean, ``kicked`` → kick)."""
    return frozenset().union(*map(_inflections, stems(w)))


def _inflections(w: str) -> set[str]:
    """The forms of ``labelled_forms(w)`` in one set (not cached: few are asked twice)."""
    labels = _regular(w)
    labels.update(irregular().get(w, {}))  # irregular forms replace the regular guess
    return set().union(*labels.values())


@cache
def stems(w: str) -> tuple[str, ...]:
    """The words whose labelled forms make up ``word_forms(w)``: ``w``, its guessed bases and
    the bases of which it is an irregular form."""
    out = [w]
    if len(w) > 4 and w.endswith("ies"):
        out.append(w[:-3] + "y")
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        out.append(w[:-1])
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        out.append(w[:-2])  # "catches" → catch, "passes" → pass, "goes" → go
    if len(w) > 4 and w.endswith("ed"):
        out += [w[:-2], w[:-1]]
    if len(w) > 5 and w.endswith("ing"):
        out += [w[:-3], w[:-3] + "e"]
    out += irregular_bases().get(w, ())
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def form_stems(w: str) -> frozenset[str]:
    """Every word among whose labelled forms the text word ``w`` may be, and some more (a
    superset): ``w``, ``w`` with a regular ending undone, and the bases of which ``w`` is an
    irregular form. ``w in word_forms(p)`` implies that ``stems(p)`` meets this set, so the
    relatives of an idiom word are looked up without inflecting them all."""
    out = {w, *irregular_bases().get(w, ())}
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
def irregular_bases() -> dict[str, tuple[str, ...]]:
    """Irregular form → the bases it inflects (``went`` → go), for one look-up per word."""
    out: dict[str, list[str]] = defaultdict(list)
    for base, labels in irregular().items():
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
    irr = irregular().get(base, {}).get(label)
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
    for base, labels in irregular().items():
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
