"""Known tortured phrases: the Problematic Paper Screener list of spun technical terms.

Paper mills run text through synonym spinners and publish "counterfeit consciousness" for
"artificial intelligence" and "bosom peril" for "breast cancer". The PPS list (Cabanac, Labbé &
Magazinov, CC BY 4.0) is shipped as ``resources/tortured.tsv``; entries that are ordinary English
("machine learning", "benign tumor", found in human text or as common phrases of the reference
LM) are on its allow-list and never flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from pathlib import Path

from mtdetect import resources
from mtdetect.analysis import Analysis
from mtdetect.features.base import FeatureFamily, Rule, per_1000
from mtdetect.findings import Finding
from mtdetect.wording import recase

TORTURED = Rule(
    id="tortured-phrase.pps",
    kind="tortured-phrase",
    severity="error",
    catches="a phrase of the Problematic Paper Screener list of spinners' rewordings of "
    'technical terms ("counterfeit consciousness" for "artificial intelligence")',
    reasons={
        "listed": "'{text}' is a known tortured phrase (a spinner's rewording of '{correct}', "
        "Problematic Paper Screener list)"
    },
    score=0.95,
    flags=(
        "The system relies on counterfeit consciousness to rank the images.",
        "Early screening lowers deaths from bosom peril among older women.",
        "Firms now collect colossal information about every customer.",
        "We measured the flag to commotion ratio of each receiver.",
    ),
    passes=(
        "The system relies on artificial intelligence to rank the images.",
        "Machine learning and cloud computing were the themes of the conference.",
        "The biopsy showed a benign tumor, and she went home the same day.",
    ),
)
TABLE = "tortured.tsv"


@dataclass(frozen=True)
class TorturedEntry:
    """A known tortured phrase (lower-case word tuple) and the wording it replaced."""

    words: tuple[str, ...]
    correct: str


@dataclass(frozen=True)
class TorturedTable:
    """The phrases to flag by first word, longest first; ``pairs``: the same by their first two
    words, or None if some phrase has a single word."""

    by_first: dict[str, tuple[TorturedEntry, ...]]
    pairs: dict[tuple[str, str], tuple[TorturedEntry, ...]] | None


def parse_table(rows: list[list[str]]) -> TorturedTable:
    """The table of the rows of ``tortured.tsv``: ``phrase, correct wording, flag|allow``.

    Entries marked ``allow`` are ordinary English and are left out. Regular plural variants
    (``colossal informations`` is not added, but ``neural associations`` ← ``neural
    association``) are added for entries ending in a word.
    """
    out: dict[str, list[TorturedEntry]] = {}
    seen: set[tuple[str, ...]] = set()
    for parts in rows:
        if len(parts) < 3 or parts[2] != "flag":
            continue
        words = tuple(parts[0].split(" "))
        variants = [(words, parts[1])]
        last = words[-1]
        clast = parts[1].split(" ")[-1]
        if (
            len(words) > 1
            and last.isalpha()
            and not last.endswith("s")
            and clast.isalpha()
            and not clast.endswith("s")
        ):
            variants.append((words[:-1] + (last + "s",), parts[1] + "s"))
        for w, c in variants:
            if w in seen:
                continue
            seen.add(w)
            out.setdefault(w[0], []).append(TorturedEntry(w, c))
    by_first = {k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in out.items()}
    return TorturedTable(by_first, _pair_table(by_first))


def _pair_table(by_first: dict) -> dict[tuple[str, str], tuple] | None:
    """The entries by their first two words (same order: longest first); None if some entry
    has a single word."""
    out: dict[tuple[str, str], list] = {}
    for entries in by_first.values():
        for e in entries:
            if len(e.words) < 2:
                return None
            out.setdefault(e.words[:2], []).append(e)
    return {k: tuple(v) for k, v in out.items()}


def read_table(path: Path) -> TorturedTable:
    return parse_table(resources.rows(path))


class TorturedPhrases(FeatureFamily):
    name = "tortured"
    explanation = "known tortured phrases"
    decision_rules = {"spun/flags": ("tortured_per_1000",)}
    # a listed tortured phrase: 2 of 11,760 human passages of the corpus (all splits)
    hard_rules = {"spun/listed": ("tortured_any",)}
    version = "1"
    feature_names = ("tortured_per_1000", "tortured_any", "tortured_word_share")
    rules = (TORTURED,)

    def measure(self, a: Analysis) -> tuple[list[float], list[Finding]]:
        doc = a.doc
        tt = a.res.get(TABLE, read_table)
        table, pairs = tt.by_first, tt.pairs
        toks = doc.tokens
        n = len(toks)
        lows = a.lows
        findings: list[Finding] = []
        covered = 0
        last = -1
        starts = list(compress(range(n), map(table.__contains__, lows)))
        if pairs is not None:  # most first words are common words: check the second at once
            starts = [i for i in starts if i + 1 < n and (lows[i], lows[i + 1]) in pairs]
        for i in starts:
            if i <= last:
                continue
            hit = None
            if pairs is None:
                entries = table[lows[i]]
            else:
                entries = pairs[(lows[i], lows[i + 1])]
            for e in entries:
                k = len(e.words)
                if i + k <= n and tuple(lows[i : i + k]) == e.words:
                    hit = e
                    break
            if hit is None:
                continue
            k = len(hit.words)
            start, end = toks[i].start, toks[i + k - 1].end
            text = doc.text[start:end]
            sugg = recase(hit.correct, text, per_word=False)
            reason = TORTURED.reason("listed", text=text, correct=hit.correct)
            findings.append(TORTURED.finding(a, start, end, reason, sugg))
            covered += k
            last = i + k - 1
        nw = doc.n_words
        values = [
            per_1000(len(findings), nw),
            1.0 if findings else 0.0,
            covered / nw if nw else 0.0,
        ]
        return values, findings
