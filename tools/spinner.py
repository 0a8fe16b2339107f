"""Article spinner imitating commercial spinners (WordAi / Spin Rewriter / "best spinner" style).

Build-time tool that makes the ``spun`` class of mtdetect's training data. It replaces a share of
the eligible words of a text with thesaurus synonyms picked the way spinners pick them — a random
synonym from the first few senses, without word-sense disambiguation — re-inflects them, keeps
the capital letter, and (per configuration) breaks capitalised names, uses multi-word synonyms and
hypernyms, and applies Problematic-Paper-Screener tortured phrases in reverse.

    >>> text, spans = spin("They were working hard to stop the fighting.", "oewn-light", seed=1)
    >>> all(text[s:e] != orig for s, e, orig in spans)
    True

``spans`` lists ``(start, end, original_text)``: character offsets into the *spun* text of every
changed span and the wording it replaced. Output is deterministic for a given (text, config, seed).

Data (read-only, never copied): OEWN YAML and PPS tortured phrases from ``<data>`` (default
``../shared/data``, env ``MTDETECT_DATA``, or ``--data``), Debian mythes-en-us. Optional
build-time dependency: ``wordfreq`` (only for configs with ``min_zipf``).

Run ``python -m tools.spinner --config mixed-names < file.txt`` to eyeball the output.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtdetect.morphology import Inflector
from mtdetect.morphology import Reading as Analysis
from tools.thesaurus import OEWN, Mythes, data_dir, load_mythes, load_oewn

Span = tuple[int, int, str]

# ---------------------------------------------------------------------------- configurations
#: Named spinner configurations. Keys:
#:   source      "oewn" | "mythes" | "both"  thesaurus used for synonyms
#:   rate        (lo, hi): share of eligible words replaced, drawn uniformly per text
#:   relations   relations a synonym may come from (synonym/similar/also/related/hypernym)
#:   max_senses  synonyms are drawn from the first N senses of the chosen part of speech
#:   multiword   allow multi-word synonyms ("make an attempt") and multi-word source phrases
#:   break_names also swap capitalised words mid-sentence ("House" -> "Home")
#:   pos_mode    "context": guess the POS from the neighbour words, else the POS with most
#:               senses; "naive": POS drawn at random, weighted by sense counts
#:   fix_articles  rewrite a/an before a replaced word
#:   min_zipf    only synonyms with wordfreq Zipf frequency >= this (None: no filter)
#:   tortured    probability of replacing each PPS "correct" phrase found by its tortured form
#:   function_words  also swap the adverb-like function words in FUNCTION_ADVERBS ("before" ->
#:               "earlier", "very" -> "really"), as crude spinners do; other stop words never
CONFIGS: dict[str, dict] = {
    # light, careful: OEWN synonyms only (same synset / similar adjectives), context POS
    "oewn-light": {
        "source": "oewn",
        "rate": (0.12, 0.18),
        "relations": ("synonym", "similar"),
        "max_senses": 2,
        "multiword": False,
        "break_names": False,
        "pos_mode": "context",
        "fix_articles": True,
        "min_zipf": None,
        "tortured": 0.0,
        "function_words": False,
    },
    # WordAi-like: both dictionaries, common words only, multi-word, breaks names
    "mixed-names": {
        "source": "both",
        "rate": (0.22, 0.30),
        "relations": ("synonym", "similar", "also", "related", "hypernym"),
        "max_senses": 3,
        "multiword": True,
        "break_names": True,
        "pos_mode": "context",
        "fix_articles": True,
        "min_zipf": 3.0,
        "tortured": 0.0,
        "function_words": True,
    },
    # paper-mill style: PPS tortured phrases plus OEWN swaps incl. hypernyms
    "tortured": {
        "source": "oewn",
        "rate": (0.17, 0.23),
        "relations": ("synonym", "similar", "hypernym"),
        "max_senses": 3,
        "multiword": True,
        "break_names": False,
        "pos_mode": "context",
        "fix_articles": False,
        "min_zipf": None,
        "tortured": 0.9,
        "function_words": False,
    },
    # cheap spinner: both dictionaries, naive POS, rare words allowed, breaks names
    "naive-both": {
        "source": "both",
        "rate": (0.18, 0.26),
        "relations": ("synonym", "similar", "also", "related"),
        "max_senses": 4,
        "multiword": True,
        "break_names": True,
        "pos_mode": "naive",
        "fix_articles": False,
        "min_zipf": None,
        "tortured": 0.0,
        "function_words": True,
    },
    # held out: MyThes only, heavy rate, hypernyms ("generic term"), naive POS
    "mythes-heavy": {
        "source": "mythes",
        "rate": (0.30, 0.40),
        "relations": ("synonym", "similar", "related", "hypernym"),
        "max_senses": 3,
        "multiword": True,
        "break_names": False,
        "pos_mode": "naive",
        "fix_articles": False,
        "min_zipf": None,
        "tortured": 0.0,
        "function_words": False,
    },
}
#: Used only for the test split (cross-spinner test): the only configuration that draws on the
#: MyThes thesaurus alone (its own sense order, "generic term" and "related term" entries) and
#: the only one with a 30-40 % rate, combined with naive POS choice. Training configs never use
#: this dictionary/rate mix, so test scores on it measure generalisation to an unseen spinner.
HELD_OUT = "mythes-heavy"

# -------------------------------------------------------------------------- word classes
#: Stop words that thesaurus-driven spinners nevertheless swap (they have adverb entries).
FUNCTION_ADVERBS = frozenset(
    "before after again further once very too just only now then above below also however "
    "thus hence therefore yet still".split()
)
STOPWORDS = (
    frozenset(
        """a about above after again against all am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each few for from further had hadn has hasn have haven having he her here
    hers herself him himself his how i if in into is isn it its itself just let me more most
    mustn my myself no nor not of off on once only or other ought our ours ourselves out over
    own same shan she should shouldn so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was wasn we were weren
    what when where which while who whom why will with won would wouldn you your yours yourself
    yourselves also may might must shall upon via per whether though although unless since
    yet however thus hence therefore whose whatever whichever whoever whenever wherever anyone
    anything anybody everyone everything everybody someone something somebody nobody nothing
    none either neither each every many much several another such whereas within without
    among amongst toward towards onto across along around behind beside besides beyond
    despite except inside outside near like unlike till mr mrs ms dr st jr sr etc vs
    one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    hundred thousand million billion trillion first second third half dozen
    am pm ok yes oh
    """.split()
    )
    | FUNCTION_ADVERBS
)
_DETERMINERS = frozenset(
    "a an the this that these those my your his her its our their some any every each no "
    "another such what which whose".split()
)
_MODALS = frozenset("to can could will would shall should may might must do does did".split())
_PREPOSITIONS = frozenset(
    "of in on at for with by from about into over under after before between against during "
    "without through among across".split()
)
_HAVE = frozenset("have has had having 've".split())
_BE = frozenset("be been being is are was were am 's 're".split())
_ABBREV = frozenset(
    "mr mrs ms dr st prof gen sen rep gov lt col sgt capt jr sr vs no jan feb mar apr jun jul "
    "aug sep sept oct nov dec inc co corp ltd u.s".split()
)

WORD_RE = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_SYN_OK = re.compile(r"^[a-z][a-z' -]*[a-z]$")
_VOWEL_EXCEPTIONS_CONS = ("uni", "use", "usu", "ute", "uti", "eu", "one", "once", "ewe", "ubiq")
_VOWEL_EXCEPTIONS_VOW = ("hour", "honest", "honor", "honour", "heir")


def _starts_with_vowel_sound(word: str) -> bool:
    w = word.lower()
    if w.startswith(_VOWEL_EXCEPTIONS_VOW):
        return True
    if w.startswith(_VOWEL_EXCEPTIONS_CONS):
        return False
    return w[:1] in ("a", "e", "i", "o", "u")


def _match_case(new: str, old: str) -> str:
    """Keep the capital first letter of ``old`` (only the first letter, like spinners do).

    When ``old`` and ``new`` have the same number of words, each word keeps the case of its
    first letter (``New York`` -> ``Unused York``).
    """
    ow, nw = old.split(), new.split(" ")
    if len(ow) > 1 and len(ow) == len(nw):
        return " ".join(
            (n[:1].upper() + n[1:]) if o[:1].isupper() else n for o, n in zip(ow, nw, strict=True)
        )
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


# ------------------------------------------------------------------------ tortured phrases


def load_tortured(path: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """Load PPS pairs as cleaned ``(correct, tortured)`` with ``correct`` lowercase.

    Cleaning drops parenthesised acronyms/comments and ``[optional]`` parts, ``?`` marks, entries
    with unknown (``???``), URL or over-long correct forms, and pairs where both sides are equal.
    """
    p = (
        Path(path)
        if path is not None
        else (data_dir() / "tortured-phrases" / "tortured-phrases.json")
    )
    with open(p, encoding="utf-8") as fh:
        raw = json.load(fh)
    items = raw["phrases"] if isinstance(raw, dict) else raw
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for it in items:
        correct = str(it.get("correct", "")).lower()
        tortured = str(it.get("tortured", "")).strip()
        if "http" in correct or ":" in correct or "/" in correct:
            continue
        correct = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", correct)
        correct = re.sub(r"[?\"\\]", " ", correct)
        correct = " ".join(correct.split())
        tortured = " ".join(tortured.split())
        if not correct or not tortured or correct == tortured.lower():
            continue
        if not re.fullmatch(
            r"[a-z0-9]+(?:['-][a-z0-9]+)*(?: [a-z0-9]+(?:['-][a-z0-9]+)*)*", correct
        ):
            continue
        if not re.fullmatch(r"[A-Za-z0-9' -]+", tortured):
            continue
        words = correct.split()
        if len(words) > 6:
            continue
        if len(words) == 1 and (correct in STOPWORDS or len(correct) < 4):
            continue
        if (correct, tortured) not in seen:
            seen.add((correct, tortured))
            out.append((correct, tortured))
    return out


# ----------------------------------------------------------------------------- resources


@dataclass
class Resources:
    """Dictionaries a spinner uses; build with :func:`load_resources` or by hand (tests)."""

    oewn: OEWN | None = None
    mythes: Mythes | None = None
    tortured: list[tuple[str, str]] = field(default_factory=list)
    zipf: Callable[[str], float] | None = None


def load_resources(
    data: str | os.PathLike[str] | None = None, mythes_path: str | os.PathLike[str] | None = None
) -> Resources:
    """Load OEWN, MyThes, PPS pairs and (if installed) wordfreq from the default locations."""
    d = data_dir(data)
    try:
        from wordfreq import zipf_frequency

        def zipf(s: str) -> float:
            return zipf_frequency(s, "en")
    except ImportError:  # wordfreq is a build-time extra
        zipf = None  # type: ignore[assignment]
    return Resources(
        oewn=load_oewn(d),
        mythes=load_mythes(mythes_path),
        tortured=load_tortured(d / "tortured-phrases" / "tortured-phrases.json"),
        zipf=zipf,
    )


@dataclass
class SpinResult:
    """Spun text, changed spans and counts (``rate = n_replaced / n_eligible``)."""

    text: str
    spans: list[Span]
    n_words: int
    n_eligible: int
    n_replaced: int
    n_tortured: int
    target_rate: float

    @property
    def rate(self) -> float:
        return self.n_replaced / self.n_eligible if self.n_eligible else 0.0


@dataclass
class _Tok:
    start: int
    end: int
    text: str
    sent_start: bool


class Spinner:
    """Spins texts with the configurations in :data:`CONFIGS` (or custom ones)."""

    def __init__(self, resources: Resources, configs: dict[str, dict] | None = None) -> None:
        self.res = resources
        self.configs = dict(CONFIGS if configs is None else configs)
        srcs = [s for s in (resources.oewn, resources.mythes) if s is not None]
        if not srcs:
            raise ValueError("a spinner needs at least one thesaurus")

        def lexicon(lemma: str, pos: str) -> bool:
            return any(s.has_lemma(lemma, pos) for s in srcs)

        self.inflector = Inflector(
            lexicon=lexicon, forms=resources.oewn.forms if resources.oewn else None
        )
        self._analyses: dict[str, list[Analysis]] = {}
        self._cands: dict[tuple, tuple[str, ...]] = {}
        self._counts: dict[tuple[str, str], dict[str, int]] = {}
        self._zipf: dict[str, float] = {}
        self._proper: dict[str, bool] = {}
        # tortured phrases: first word -> list of (token tuple, tortured forms), longest first
        groups: dict[tuple[str, ...], list[str]] = {}
        for correct, tortured in resources.tortured:
            groups.setdefault(tuple(correct.split()), []).append(tortured)
        self._tortured: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
        for toks, forms in groups.items():
            self._tortured.setdefault(toks[0], []).append((toks, forms))
        for lst in self._tortured.values():
            lst.sort(key=lambda x: -len(x[0]))
        # multi-word lemmas (2-3 words) usable as source phrases
        self._phrases: set[tuple[str, ...]] = set()
        for s in srcs:
            keys = s.index.keys() if isinstance(s, OEWN) else s.entries.keys()  # type: ignore[union-attr]
            for k in keys:
                if " " in k and k.islower():
                    ws = tuple(k.split(" "))
                    if 2 <= len(ws) <= 3 and any(w not in STOPWORDS for w in ws):
                        self._phrases.add(ws)

    # -------------------------------------------------------------------- helpers
    def _sources(self, cfg: dict) -> list[OEWN | Mythes]:
        src = cfg["source"]
        out: list[OEWN | Mythes] = []
        if src in ("oewn", "both") and self.res.oewn is not None:
            out.append(self.res.oewn)
        if src in ("mythes", "both") and self.res.mythes is not None:
            out.append(self.res.mythes)
        if not out:
            raise ValueError(f"config needs thesaurus {src!r}, which is not loaded")
        return out

    def _analyse(self, lw: str) -> list[Analysis]:
        a = self._analyses.get(lw)
        if a is None:
            a = self.inflector.lemmatize(lw)
            self._analyses[lw] = a
        return a

    def _sense_counts(self, lemma: str, source: str, srcs: Sequence[OEWN | Mythes]) -> dict:
        key = (lemma, source)
        c = self._counts.get(key)
        if c is None:
            c = {}
            for s in srcs:
                for p, n in s.sense_counts(lemma).items():
                    c[p] = max(c.get(p, 0), n)
            self._counts[key] = c
        return c

    def _is_proper(self, word: str) -> bool:
        """Capitalised word that is also a name in OEWN or MyThes (Russia, Smith, March)."""
        v = self._proper.get(word)
        if v is None:
            o, m = self.res.oewn, self.res.mythes
            v = bool(o is not None and o.has_lemma(word, case_sensitive=True)) or bool(
                m is not None and m.is_name(word)
            )
            self._proper[word] = v
        return v

    def _zipf_of(self, s: str) -> float:
        z = self._zipf.get(s)
        if z is None:
            if self.res.zipf is None:
                raise RuntimeError("config uses min_zipf but wordfreq is not available")
            z = self.res.zipf(s)
            self._zipf[s] = z
        return z

    def _candidates(
        self, cname: str, cfg: dict, lemma: str, pos: str, tag: str, avoid: str
    ) -> tuple[str, ...]:
        """Inflected synonym candidates (cached) for lemma/pos/tag under config ``cname``."""
        key = (cname, lemma, pos, tag)
        c = self._cands.get(key)
        if c is not None:
            return tuple(x for x in c if x != avoid)
        srcs = self._sources(cfg)
        seen: dict[str, None] = {}
        for s in srcs:
            for syn, _rel in s.synonyms(
                lemma, pos, cfg["relations"], cfg["max_senses"], case_sensitive=True
            ):
                if not _SYN_OK.match(syn) or "  " in syn:
                    continue
                nw = syn.count(" ") + 1
                if nw > 3 or (nw > 1 and not cfg["multiword"]):
                    continue
                if syn == lemma:
                    continue
                try:
                    form = self.inflector.inflect(syn, pos, tag)
                except ValueError:
                    continue
                if cfg["min_zipf"] is not None and self._zipf_of(form) < cfg["min_zipf"]:
                    continue
                seen[form] = None
        c = tuple(seen)
        self._cands[key] = c
        return tuple(x for x in c if x != avoid)

    def _choose_analysis(
        self, cfg: dict, lw: str, prev: str | None, nxt: str | None, rng: random.Random
    ) -> Analysis | None:
        """Pick a reading (lemma, POS, tag) for a word the way the config's spinner would."""
        analyses = self._analyse(lw)
        if not analyses:
            return None
        srcs = self._sources(cfg)
        by_pos: dict[str, list[Analysis]] = {}
        for a in analyses:
            by_pos.setdefault(a.pos, []).append(a)
        weights = {}
        for p, lst in by_pos.items():
            weights[p] = max(
                self._sense_counts(a.lemma, cfg["source"], srcs).get(p, 0) for a in lst
            )
        weights = {p: w for p, w in weights.items() if w > 0}
        if not weights:
            return None
        if cfg["pos_mode"] == "naive":
            ps = sorted(weights)
            pos = rng.choices(ps, weights=[weights[p] for p in ps])[0]
        else:
            allowed = set(weights)
            tags = {a.tag for a in analyses}
            if prev in _DETERMINERS:
                allowed &= {"n", "a"}
            elif prev in _MODALS and "VB" in tags:
                allowed &= {"v"}
            elif prev in _HAVE and "VBN" in tags:
                allowed &= {"v"}
            elif prev in _BE and tags & {"VBG", "VBN"}:
                allowed &= {"v"}
            elif prev in _BE:
                allowed &= {"a", "n", "r"}
            elif prev in _PREPOSITIONS and "VBG" not in tags:
                allowed &= {"n", "a"}
            if nxt == "of" and "n" in allowed:
                allowed = {"n"}
            if lw.endswith("ly") and "r" in allowed:
                allowed = {"r"}
            if not allowed:
                allowed = set(weights)
            pos = max(sorted(allowed), key=lambda p: weights[p])
        lst = by_pos[pos]
        if pos == "v":
            vb = {a.tag for a in lst}
            if {"VBD", "VBN"} <= vb:
                want = "VBN" if prev in _HAVE or prev in _BE else "VBD"
                lst = [a for a in lst if a.tag == want] or lst
        lst = sorted(lst, key=lambda a: a.lemma != lw)  # base-form readings first
        return lst[0]

    # ------------------------------------------------------------------------ main
    def spin_detailed(self, text: str, config: str, seed: int) -> SpinResult:
        """Spin ``text``; returns text, spans and counts. Deterministic for (text, config, seed)."""
        if config not in self.configs:
            raise KeyError(f"unknown spinner config {config!r}; have {sorted(self.configs)}")
        cfg = self.configs[config]
        rng = random.Random(f"{config}|{seed}|{text}")
        toks = self._tokenize(text)
        n = len(toks)
        lows = [t.text.lower() for t in toks]
        # joined[i]: token i is separated from token i-1 by plain spaces only
        joined = [
            i > 0
            and text[toks[i - 1].end : toks[i].start].strip(" ") == ""
            and toks[i].start > toks[i - 1].end
            for i in range(n)
        ]
        used = [False] * n
        repl: dict[int, tuple[int, str]] = {}  # first token -> (n tokens, replacement)
        n_tort = 0

        # 1. tortured phrases (reverse PPS: correct -> tortured)
        if cfg["tortured"] > 0 and self._tortured:
            i = 0
            while i < n:
                done = False
                for words, forms in self._tortured.get(lows[i], ()):
                    k = len(words)
                    if (
                        i + k <= n
                        and tuple(lows[i : i + k]) == words
                        and all(joined[j] for j in range(i + 1, i + k))
                    ):
                        if rng.random() < cfg["tortured"]:
                            orig = text[toks[i].start : toks[i + k - 1].end]
                            new = _match_case(rng.choice(forms), orig)
                            repl[i] = (k, new)
                            for j in range(i, i + k):
                                used[j] = True
                            n_tort += 1
                            i += k
                            done = True
                        break
                if not done:
                    i += 1

        # 2. eligible units: single words, and (multiword configs) 2-3 word thesaurus phrases
        units: list[tuple[int, int, tuple[str, ...]]] = []  # (first token, n tokens, cands)
        i = 0
        while i < n:
            if used[i]:
                i += 1
                continue
            unit = None
            if cfg["multiword"]:
                unit = self._phrase_unit(cfg, config, toks, lows, joined, used, i)
            if unit is None:
                unit = self._word_unit(cfg, config, toks, lows, joined, i, rng)
            if unit is not None:
                units.append(unit)
                i += unit[1]
            else:
                i += 1

        # 3. replace a config-dependent share of them with a random candidate
        lo, hi = cfg["rate"]
        target = rng.uniform(lo, hi)
        # stochastic rounding: short texts get the target rate on average
        x = target * len(units)
        k = min(len(units), int(x) + (rng.random() < x - int(x)))
        chosen = sorted(rng.sample(range(len(units)), k))
        for ui in chosen:
            first, ntok, cands = units[ui]
            new = rng.choice(cands)
            orig = text[toks[first].start : toks[first + ntok - 1].end]
            repl[first] = (ntok, _match_case(new, orig))

        text_out, spans = self._render(text, toks, lows, joined, repl, cfg["fix_articles"])
        return SpinResult(text_out, spans, n, len(units), k, n_tort, target)

    def _tokenize(self, text: str) -> list[_Tok]:
        toks: list[_Tok] = []
        prev_end = 0
        prev_low = ""
        for m in WORD_RE.finditer(text):
            gap = text[prev_end : m.start()]
            sent = not toks or (
                any(c in gap for c in ".!?\n") and not (gap.startswith(".") and prev_low in _ABBREV)
            )
            toks.append(_Tok(m.start(), m.end(), m.group(), sent))
            prev_end, prev_low = m.end(), m.group().lower()
        return toks

    def _eligible_word(self, cfg: dict, tok: _Tok, lw: str) -> bool:
        w = tok.text
        if lw in STOPWORDS and not (cfg["function_words"] and lw in FUNCTION_ADVERBS):
            return False
        if len(w) < 3 or not w.isalpha():
            return False
        if w.isupper():  # acronyms, all-caps headlines
            return False
        if w[0].isupper():
            if w[1:] != w[1:].lower():  # CamelCase
                return False
            if not tok.sent_start and not cfg["break_names"]:
                return False
            if not cfg["break_names"] and self._is_proper(w):
                return False  # sentence-initial name (Smith, March, Turkey)
            # names with no common-word reading (Russia) get no analysis: case-sensitive
            # lexicon lookups of the lowercase form ignore name senses
        return True

    def _word_unit(
        self,
        cfg: dict,
        cname: str,
        toks: list[_Tok],
        lows: list[str],
        joined: list[bool],
        i: int,
        rng: random.Random,
    ) -> tuple[int, int, tuple[str, ...]] | None:
        lw = lows[i]
        if not self._eligible_word(cfg, toks[i], lw):
            return None
        prev = lows[i - 1] if i > 0 and joined[i] else None
        nxt = lows[i + 1] if i + 1 < len(toks) and joined[i + 1] else None
        a = self._choose_analysis(cfg, lw, prev, nxt, rng)
        if a is None:
            return None
        cands = self._candidates(cname, cfg, a.lemma, a.pos, a.tag, lw)
        return (i, 1, cands) if cands else None

    def _phrase_unit(
        self,
        cfg: dict,
        cname: str,
        toks: list[_Tok],
        lows: list[str],
        joined: list[bool],
        used: list[bool],
        i: int,
    ) -> tuple[int, int, tuple[str, ...]] | None:
        for k in (3, 2):
            if i + k > len(toks):
                continue
            words = tuple(lows[i : i + k])
            if words not in self._phrases:
                continue
            if any(used[j] for j in range(i, i + k)) or not all(
                joined[j] for j in range(i + 1, i + k)
            ):
                continue
            if (
                any(
                    toks[j].text[0].isupper() and not (j == i and toks[j].sent_start)
                    for j in range(i, i + k)
                )
                and not cfg["break_names"]
            ):
                continue
            phrase = " ".join(words)
            srcs = self._sources(cfg)
            counts: dict[str, int] = {}
            for s in srcs:
                for p, c in s.sense_counts(phrase).items():
                    counts[p] = max(counts.get(p, 0), c)
            if not counts:
                continue
            pos = max(sorted(counts), key=lambda p: counts[p])
            tag = {"n": "NN", "v": "VB", "a": "JJ", "r": "RB"}[pos]
            cands = self._candidates(cname, cfg, phrase, pos, tag, phrase)
            if cands:
                return (i, k, cands)
        return None

    def _render(
        self,
        text: str,
        toks: list[_Tok],
        lows: list[str],
        joined: list[bool],
        repl: dict[int, tuple[int, str]],
        fix_articles: bool,
    ) -> tuple[str, list[Span]]:
        out: list[str] = []
        spans: list[Span] = []
        pos = 0  # position in the input
        olen = 0  # length of output so far
        # article fixes: token index of article -> replacement article
        art: dict[int, str] = {}
        if fix_articles:
            for first, (_k, new) in repl.items():
                a = first - 1
                if (
                    a >= 0
                    and joined[first]
                    and lows[a] in ("a", "an")
                    and a not in repl
                    and not any(f < a < f + kk for f, (kk, _) in repl.items())
                ):
                    want = "an" if _starts_with_vowel_sound(new) else "a"
                    if want != lows[a]:
                        art[a] = _match_case(want, toks[a].text)
        i = 0
        n = len(toks)
        while i < n:
            if i in art and i + 1 in repl:
                k, new = repl[i + 1]
                s, e = toks[i].start, toks[i + k].end
                chunk = art[i] + text[toks[i].end : toks[i + 1].start] + new
                i += 1 + k
            elif i in repl:
                k, new = repl[i]
                s, e = toks[i].start, toks[i + k - 1].end
                chunk = new
                i += k
            else:
                i += 1
                continue
            gap = text[pos:s]
            out.append(gap)
            olen += len(gap)
            out.append(chunk)
            spans.append((olen, olen + len(chunk), text[s:e]))
            olen += len(chunk)
            pos = e
        out.append(text[pos:])
        return "".join(out), spans


# --------------------------------------------------------------------------- module API

_DEFAULT: Spinner | None = None


def get_spinner(data: str | os.PathLike[str] | None = None) -> Spinner:
    """The process-wide spinner over the default resources (loaded on first use)."""
    global _DEFAULT
    if _DEFAULT is None or data is not None:
        _DEFAULT = Spinner(load_resources(data))
    return _DEFAULT


def spin(text: str, config: str, seed: int) -> tuple[str, list[Span]]:
    """Spin ``text`` with configuration ``config``; returns (spun text, changed spans).

    Each span is ``(start, end, original_text)`` with offsets into the spun text.
    """
    r = get_spinner().spin_detailed(text, config, seed)
    return r.text, r.spans


def _main(argv: Sequence[str] | None = None) -> None:
    import argparse
    import time

    ap = argparse.ArgumentParser(description="Spin text from stdin and show changed spans.")
    ap.add_argument("--config", default="mixed-names", help=f"one of {', '.join(CONFIGS)} or 'all'")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default=None, help="shared data dir (default ../shared/data)")
    a = ap.parse_args(argv)
    t0 = time.time()
    sp = get_spinner(a.data)
    print(f"# resources loaded in {time.time() - t0:.1f}s", file=sys.stderr)
    text = sys.stdin.read()
    for cname in list(CONFIGS) if a.config == "all" else [a.config]:
        r = sp.spin_detailed(text, cname, a.seed)
        print(
            f"=== {cname} (rate {r.rate:.2f} of {r.n_eligible} eligible; "
            f"{r.n_replaced} swaps, {r.n_tortured} tortured)"
        )
        print(r.text)
        for s, e, orig in r.spans:
            print(f"  [{s}:{e}] {r.text[s:e]!r} <- {orig!r}")


if __name__ == "__main__":
    _main()
