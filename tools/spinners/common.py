"""Neutral machinery every spinner design shares; no design's substitution logic lives here.

* tokenising (words with offsets, sentence starts, which tokens touch by plain spaces),
* word classes (stop words, the adverb-like function words some spinners swap),
* re-inflection through :mod:`tools.inflect` (:class:`Morph`),
* case matching, a/an repair, quotation protection,
* span bookkeeping (:func:`render`: spans ``(start, end, original)`` into the spun text such
  that putting the originals back restores the source exactly),
* per-passage options (:class:`SpinOptions`: rate, broken names, a/an repair, protected
  quotations) and the generic driver :func:`run` for designs that propose *units* and choose
  a substitute for each.

A design module implements :class:`Design` (``units`` + ``choose``) and is run by :func:`run`,
or implements its own ``spin`` (the thesaurus design, whose engine predates the package) using
the same helpers.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import NamedTuple, Protocol

from tools.inflect import Analysis, Inflector

Span = tuple[int, int, str]

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
DETERMINERS = frozenset(
    "a an the this that these those my your his her its our their some any every each no "
    "another such what which whose".split()
)
MODALS = frozenset("to can could will would shall should may might must do does did".split())
PREPOSITIONS = frozenset(
    "of in on at for with by from about into over under after before between against during "
    "without through among across".split()
)
HAVE = frozenset("have has had having 've".split())
BE = frozenset("be been being is are was were am 's 're".split())
_ABBREV = frozenset(
    "mr mrs ms dr st prof gen sen rep gov lt col sgt capt jr sr vs no jan feb mar apr jun jul "
    "aug sep sept oct nov dec inc co corp ltd u.s".split()
)

WORD_RE = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_VOWEL_EXCEPTIONS_CONS = ("uni", "use", "usu", "ute", "uti", "eu", "one", "once", "ewe", "ubiq")
_VOWEL_EXCEPTIONS_VOW = ("hour", "honest", "honor", "honour", "heir")


def starts_with_vowel_sound(word: str) -> bool:
    """Whether ``word`` takes "an" (spelling rules plus the usual exceptions)."""
    w = word.lower()
    if w.startswith(_VOWEL_EXCEPTIONS_VOW):
        return True
    if w.startswith(_VOWEL_EXCEPTIONS_CONS):
        return False
    return w[:1] in ("a", "e", "i", "o", "u")


def match_case(new: str, old: str) -> str:
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


# ------------------------------------------------------------------------------ tokens


@dataclass
class Tok:
    """A word of the text: character offsets, the word, whether it starts a sentence."""

    start: int
    end: int
    text: str
    sent_start: bool


@dataclass
class Tokens:
    """The words of a text with their lower-case forms and adjacency.

    ``joined[i]``: token i follows token i-1 with only plain spaces between them (a phrase may
    span them; punctuation or a line break between two words blocks it).
    """

    text: str
    toks: list[Tok]
    lows: list[str]
    joined: list[bool]

    def __len__(self) -> int:
        return len(self.toks)

    def prev(self, i: int) -> str | None:
        """The previous word if it is joined to word ``i``, else None."""
        return self.lows[i - 1] if i > 0 and self.joined[i] else None

    def next(self, i: int) -> str | None:
        """The next word if it is joined to word ``i``, else None."""
        return self.lows[i + 1] if i + 1 < len(self.toks) and self.joined[i + 1] else None

    def span_text(self, first: int, n: int) -> str:
        """The source text of tokens ``first .. first+n-1``."""
        return self.text[self.toks[first].start : self.toks[first + n - 1].end]

    def is_mid_capital(self, i: int) -> bool:
        """A capitalised word that does not start a sentence (likely part of a name)."""
        return self.toks[i].text[:1].isupper() and not self.toks[i].sent_start


def tokenize(text: str) -> Tokens:
    """Words of ``text`` (letters with inner apostrophes/hyphens), sentence starts, adjacency."""
    toks: list[Tok] = []
    prev_end = 0
    prev_low = ""
    for m in WORD_RE.finditer(text):
        gap = text[prev_end : m.start()]
        sent = not toks or (
            any(c in gap for c in ".!?\n") and not (gap.startswith(".") and prev_low in _ABBREV)
        )
        toks.append(Tok(m.start(), m.end(), m.group(), sent))
        prev_end, prev_low = m.end(), m.group().lower()
    lows = [t.text.lower() for t in toks]
    joined = [
        i > 0
        and text[toks[i - 1].end : toks[i].start].strip(" ") == ""
        and toks[i].start > toks[i - 1].end
        for i in range(len(toks))
    ]
    return Tokens(text, toks, lows, joined)


_OPEN = {"\u201c": "\u201d", "\u00ab": "\u00bb"}


def quoted_tokens(tokens: Tokens) -> set[int]:
    """Indices of the words inside quotation marks (straight or curly double quotes, « »).

    A quotation left open runs to the end of its paragraph (fiction opens a quote in every
    paragraph of a long speech). Spinners that protect quotations skip these words.
    """
    text = tokens.text
    regions: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        a, b = para.start(), para.end()
        open_at: int | None = None
        close_char = ""
        for k in range(a, b):
            c = text[k]
            if open_at is None:
                if c == '"' or c in _OPEN:
                    open_at, close_char = k, ('"' if c == '"' else _OPEN[c])
            elif c == close_char:
                regions.append((open_at, k))
                open_at = None
        if open_at is not None:
            regions.append((open_at, b))
    out: set[int] = set()
    if not regions:
        return out
    r = 0
    for i, t in enumerate(tokens.toks):
        while r < len(regions) and regions[r][1] < t.start:
            r += 1
        if r < len(regions) and regions[r][0] < t.start < regions[r][1]:
            out.add(i)
    return out


def content_word(tok: Tok, low: str) -> bool:
    """An alphabetic word of 3+ letters that is not a stop word nor an acronym."""
    w = tok.text
    return (
        low not in STOPWORDS
        and len(w) >= 3
        and w.isalpha()
        and not w.isupper()
        and not (w[0].isupper() and w[1:] != w[1:].lower())  # CamelCase
    )


# ------------------------------------------------------------------------------ options


@dataclass(frozen=True)
class SpinOptions:
    """Per-passage options of a spin, recorded in the corpus (``meta.rate``/``meta.options``).

    ``rate``: share of the design's eligible units to replace; ``break_names``: capitalised
    words inside sentences (names) may be swapped too ("the Home voted"); ``fix_articles``:
    a/an before a replaced word is repaired; ``protect_quotes``: words inside quotation marks
    are kept; ``extra``: design-specific choices (e.g. the thesaurus configuration).
    """

    rate: float = 0.2
    break_names: bool = False
    fix_articles: bool = True
    protect_quotes: bool = False
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        """A design-specific option."""
        return dict(self.extra).get(key, default)

    def record(self) -> dict:
        """The options as a JSON-able dict (``extra`` flattened)."""
        d = asdict(self)
        d.pop("extra")
        d.update(dict(self.extra))
        return d

    def key(self) -> str:
        """A canonical string of the options (part of the spin's random seed)."""
        return json.dumps(self.record(), sort_keys=True)


RATE_RANGE = (0.05, 0.40)


def draw_options(rng: random.Random, extra: dict[str, Sequence[str]] | None = None) -> SpinOptions:
    """Options of one passage: rate uniform in :data:`RATE_RANGE` (3 decimals), each switch a
    fair coin, and one value of every design-specific choice in ``extra``."""
    rate = round(rng.uniform(*RATE_RANGE), 3)
    names, articles, quotes = (rng.random() < 0.5 for _ in range(3))
    chosen = tuple((k, vals[rng.randrange(len(vals))]) for k, vals in sorted((extra or {}).items()))
    return SpinOptions(rate, names, articles, quotes, chosen)


# ------------------------------------------------------------------------------ results


@dataclass
class SpinResult:
    """Spun text, changed spans and counts (``rate = n_replaced / n_eligible``)."""

    text: str
    spans: list[Span]
    n_words: int
    n_eligible: int
    n_replaced: int
    target_rate: float
    n_tortured: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.n_replaced / self.n_eligible if self.n_eligible else 0.0


def pick_count(n_units: int, rate: float, rng: random.Random) -> int:
    """How many of ``n_units`` to replace: stochastic rounding of ``rate * n_units``, so short
    texts get the rate on average."""
    x = rate * n_units
    return min(n_units, int(x) + (rng.random() < x - int(x)))


def render(
    tokens: Tokens, repl: dict[int, tuple[int, str]], fix_articles: bool
) -> tuple[str, list[Span]]:
    """Apply replacements ``{first token: (n tokens, new text)}``; return text and spans.

    With ``fix_articles`` an "a"/"an" right before a replaced unit is rewritten to suit the new
    word, and the span then covers the article too ("a big" -> "an enormous").
    """
    text, toks, lows, joined = tokens.text, tokens.toks, tokens.lows, tokens.joined
    out: list[str] = []
    spans: list[Span] = []
    pos = 0  # position in the input
    olen = 0  # length of output so far
    art: dict[int, str] = {}  # token index of an article -> its replacement
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
                want = "an" if starts_with_vowel_sound(new) else "a"
                if want != lows[a]:
                    art[a] = match_case(want, toks[a].text)
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


def restore(text: str, spans: Sequence[Sequence]) -> str:
    """Put the original wording of every span back (the inverse of a spin)."""
    for s, e, orig in sorted(spans, key=lambda x: -x[0]):
        text = text[:s] + orig + text[e:]
    return text


# ---------------------------------------------------------------------------- morphology


class Morph:
    """Lemmatising and re-inflection over a lexicon (cached): the shared :mod:`tools.inflect`."""

    def __init__(self, inflector: Inflector) -> None:
        self.inflector = inflector
        self._analyses: dict[str, list[Analysis]] = {}

    def analyse(self, low: str) -> list[Analysis]:
        """Readings (lemma, POS, tag) of a lower-case word form."""
        a = self._analyses.get(low)
        if a is None:
            a = self.inflector.lemmatize(low)
            self._analyses[low] = a
        return a

    def inflect(self, lemma: str, pos: str, tag: str) -> str | None:
        """``lemma`` inflected like the original (``tag``), or None if it cannot be."""
        try:
            return self.inflector.inflect(lemma, pos, tag)
        except ValueError:
            return None


def context_pos(
    analyses: Sequence[Analysis],
    prev: str | None,
    nxt: str | None,
    allowed: set[str] | None = None,
) -> set[str]:
    """Parts of speech the neighbouring words allow for a word with these readings.

    A cheap tagger: a determiner is followed by a noun/adjective, "to"/a modal by a verb, and
    so on. Returns every candidate POS (``allowed``, default: the readings' POS) when the
    neighbours rule them all out.
    """
    allowed = {a.pos for a in analyses} if allowed is None else set(allowed)
    tags = {a.tag for a in analyses}
    keep = set(allowed)
    if prev in DETERMINERS:
        keep &= {"n", "a"}
    elif prev in MODALS and "VB" in tags:
        keep &= {"v"}
    elif prev in HAVE and "VBN" in tags:
        keep &= {"v"}
    elif prev in BE and tags & {"VBG", "VBN"}:
        keep &= {"v"}
    elif prev in BE:
        keep &= {"a", "n", "r"}
    elif prev in PREPOSITIONS and "VBG" not in tags:
        keep &= {"n", "a"}
    if nxt == "of" and "n" in keep:
        keep = {"n"}
    return keep or allowed


# ------------------------------------------------------------------------------- driver


class Unit(NamedTuple):
    """A stretch of ``n`` tokens from ``first`` a design may replace; ``data`` is the design's."""

    first: int
    n: int
    data: object = None


class Design(Protocol):
    """A spinner design: which units it can change, and what it puts in their place."""

    name: str

    def units(self, tokens: Tokens, opts: SpinOptions) -> list[Unit]:
        """Every unit this design could replace in ``tokens`` (non-overlapping, in order)."""
        ...

    def choose(
        self, tokens: Tokens, unit: Unit, opts: SpinOptions, rng: random.Random
    ) -> str | None:
        """The replacement text (lower case; case is matched later) or None to skip."""
        ...


def allowed_token(tokens: Tokens, i: int, opts: SpinOptions, protected: set[int]) -> bool:
    """Options-level gate shared by all designs: protected quotation, names unless breaking."""
    if i in protected:
        return False
    return opts.break_names or not tokens.is_mid_capital(i)


def spin_rng(name: str, text: str, seed: int, opts: SpinOptions) -> random.Random:
    """The random source of one spin: fixed by (design, options, seed, text)."""
    return random.Random(f"{name}|{opts.key()}|{seed}|{text}")


def run(design: Design, text: str, seed: int, opts: SpinOptions) -> SpinResult:
    """Spin ``text`` with a unit-based ``design``: find its units, drop those the options
    protect, replace ``rate`` of them (chosen at random) by the design's choice."""
    rng = spin_rng(design.name, text, seed, opts)
    tokens = tokenize(text)
    protected = quoted_tokens(tokens) if opts.protect_quotes else set()
    units = [
        u
        for u in design.units(tokens, opts)
        if all(allowed_token(tokens, j, opts, protected) for j in range(u.first, u.first + u.n))
    ]
    k = pick_count(len(units), opts.rate, rng)
    repl: dict[int, tuple[int, str]] = {}
    for ui in sorted(rng.sample(range(len(units)), k)):
        u = units[ui]
        new = design.choose(tokens, u, opts, rng)
        orig = tokens.span_text(u.first, u.n)
        if new is None or new.lower() == orig.lower():
            continue
        repl[u.first] = (u.n, match_case(new, orig))
    out, spans = render(tokens, repl, opts.fix_articles)
    return SpinResult(out, spans, len(tokens), len(units), len(repl), opts.rate)
