"""Spinner design ``thesaurus``: random thesaurus synonyms from the first senses (OEWN / MyThes).

The project's original spinner (it was ``tools/spinner.py``; that module is now a shim over this
one). It replaces a share of the eligible words with a *random* synonym from the first few
senses of a part of speech guessed from the neighbours (or drawn by sense counts), re-inflects
it, keeps the capital letter and, per configuration, uses multi-word synonyms and hypernyms and
applies tortured phrases of the *train* part of the PPS list in reverse.

    >>> text, spans = spin("They were working hard to stop the fighting.", "oewn-light", seed=1)
    >>> all(text[s:e] != orig for s, e, orig in spans)
    True

``spans`` lists ``(start, end, original_text)``: character offsets into the *spun* text of every
changed span and the wording it replaced. Output is deterministic for a given (text, config, seed).
In the corpus the configuration is drawn per passage (``options.config``) and the per-passage
options (rate, broken names, a/an repair, protected quotations) override the configuration's.

Data (read-only, never copied): OEWN YAML and PPS tortured phrases from ``<data>`` (default
``../shared/data``, env ``MTDETECT_DATA``, or ``--data``), Debian mythes-en-us. Optional
build-time dependency: ``wordfreq`` (only for configs with ``min_zipf``).

Run ``python -m tools.spinners.thesaurus --config mixed-names < file.txt`` to eyeball the output.
"""

from __future__ import annotations

import os
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tools.inflect import Analysis, Inflector
from tools.spinners.common import (
    BE,
    FUNCTION_ADVERBS,
    HAVE,
    STOPWORDS,
    Morph,
    SpinOptions,
    SpinResult,
    Tokens,
    context_pos,
    match_case,
    pick_count,
    quoted_tokens,
    render,
    spin_rng,
    tokenize,
)
from tools.spinners.tortured_split import load_pairs
from tools.thesaurus import OEWN, Mythes, data_dir, load_mythes, load_oewn

NAME = "thesaurus"
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
    # MyThes only, heavy rate, hypernyms ("generic term"), naive POS (the held-out
    # configuration before the spinner designs existed; now one configuration among five)
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
#: Configurations the corpus draws from, one per passage (all of them, in every split).
CORPUS_CONFIGS = tuple(CONFIGS)
#: Per-passage choices of this design (drawn by tools.spinners.draw, recorded in the corpus).
OPTIONS = {"config": CORPUS_CONFIGS}

# ----------------------------------------------------------------------------- resources

_SYN_OK = re.compile(r"^[a-z][a-z' -]*[a-z]$")


def load_tortured(
    path: str | os.PathLike[str] | None = None, part: str | None = None
) -> list[tuple[str, str]]:
    """Cleaned ``(correct, tortured)`` PPS pairs with ``correct`` lowercase (``part``: only
    that part of the split in :mod:`tools.spinners.tortured_split`; None: every entry)."""
    return load_pairs(path, part=part, stopwords=STOPWORDS)


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
    """OEWN, MyThes, the *train* part of the PPS pairs and (if installed) wordfreq."""
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
        tortured=load_tortured(d / "tortured-phrases" / "tortured-phrases.json", part="train"),
        zipf=zipf,
    )


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
        self.morph = Morph(self.inflector)
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
        analyses = self.morph.analyse(lw)
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
            allowed = context_pos(analyses, prev, nxt, set(weights))
            if lw.endswith("ly") and "r" in allowed:
                allowed = {"r"}
            pos = max(sorted(allowed), key=lambda p: weights[p])
        lst = by_pos[pos]
        if pos == "v":
            vb = {a.tag for a in lst}
            if {"VBD", "VBN"} <= vb:
                want = "VBN" if prev in HAVE or prev in BE else "VBD"
                lst = [a for a in lst if a.tag == want] or lst
        lst = sorted(lst, key=lambda a: a.lemma != lw)  # base-form readings first
        return lst[0]

    # ------------------------------------------------------------------------ main
    def spin_detailed(
        self, text: str, config: str, seed: int, opts: SpinOptions | None = None
    ) -> SpinResult:
        """Spin ``text``; returns text, spans and counts. Deterministic for (text, config, seed,
        opts). ``opts`` (corpus use) overrides the configuration's rate, name breaking and a/an
        repair, and may protect quotations."""
        if config not in self.configs:
            raise KeyError(f"unknown spinner config {config!r}; have {sorted(self.configs)}")
        cfg = self.configs[config]
        if opts is None:
            rng = random.Random(f"{config}|{seed}|{text}")
            protect = False
        else:
            cfg = {
                **cfg,
                "rate": (opts.rate, opts.rate),
                "break_names": opts.break_names,
                "fix_articles": opts.fix_articles,
            }
            rng = spin_rng(f"{NAME}:{config}", text, seed, opts)
            protect = opts.protect_quotes
        tk = tokenize(text)
        toks, lows, joined = tk.toks, tk.lows, tk.joined
        n = len(toks)
        used = [False] * n
        if protect:
            for j in quoted_tokens(tk):
                used[j] = True
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
                        and not any(used[j] for j in range(i, i + k))
                    ):
                        if rng.random() < cfg["tortured"]:
                            orig = tk.span_text(i, k)
                            new = match_case(rng.choice(forms), orig)
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
                unit = self._phrase_unit(cfg, config, tk, used, i)
            if unit is None:
                unit = self._word_unit(cfg, config, tk, i, rng)
            if unit is not None:
                units.append(unit)
                i += unit[1]
            else:
                i += 1

        # 3. replace a config-dependent share of them with a random candidate
        lo, hi = cfg["rate"]
        target = rng.uniform(lo, hi)
        k = pick_count(len(units), target, rng)
        chosen = sorted(rng.sample(range(len(units)), k))
        for ui in chosen:
            first, ntok, cands = units[ui]
            new = rng.choice(cands)
            repl[first] = (ntok, match_case(new, tk.span_text(first, ntok)))

        text_out, spans = render(tk, repl, cfg["fix_articles"])
        return SpinResult(text_out, spans, n, len(units), k, target, n_tort)

    def _eligible_word(self, cfg: dict, tk: Tokens, i: int) -> bool:
        tok, lw = tk.toks[i], tk.lows[i]
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
        self, cfg: dict, cname: str, tk: Tokens, i: int, rng: random.Random
    ) -> tuple[int, int, tuple[str, ...]] | None:
        if not self._eligible_word(cfg, tk, i):
            return None
        lw = tk.lows[i]
        a = self._choose_analysis(cfg, lw, tk.prev(i), tk.next(i), rng)
        if a is None:
            return None
        cands = self._candidates(cname, cfg, a.lemma, a.pos, a.tag, lw)
        return (i, 1, cands) if cands else None

    def _phrase_unit(
        self, cfg: dict, cname: str, tk: Tokens, used: list[bool], i: int
    ) -> tuple[int, int, tuple[str, ...]] | None:
        toks, lows, joined = tk.toks, tk.lows, tk.joined
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


class Design:
    """The package interface (:mod:`tools.spinners`): the configuration is a per-passage
    option (``options.config``), the other options override it."""

    name = NAME

    def __init__(self, spinner: Spinner) -> None:
        self.spinner = spinner

    def spin(self, text: str, seed: int, opts: SpinOptions) -> SpinResult:
        """Spin one passage."""
        return self.spinner.spin_detailed(text, opts.get("config", "mixed-names"), seed, opts)


def load(data: str | os.PathLike[str] | None = None) -> Design:
    """The design over the default resources."""
    return Design(get_spinner(data))


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
