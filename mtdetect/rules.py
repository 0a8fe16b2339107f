"""Every rule a flag can come from, as declared: the families' ``Rule`` values plus the input
check of :mod:`mtdetect.normalize`, with the precision measured for each on held-out data
(``resources/rule_precision.json``, written by ``python -m tools.eval_rules``), and rule
selection as ruff does it (``select``/``ignore`` by id or prefix, the most specific wins).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache

from mtdetect import resources
from mtdetect.features import family_classes
from mtdetect.features.base import Rule
from mtdetect.inputs import InputError

PRECISION = "rule_precision.json"

#: The flag of text hidden from detectors (raised by mtdetect.normalize, not by a family).
OBFUSCATION = Rule(
    id="input.obfuscation",
    kind="obfuscation",
    severity="warning",
    catches="invisible characters (zero-width spaces, bidi controls, soft hyphens) or Cyrillic "
    "and Greek look-alike letters inside English words, a way to hide text from detectors",
    reasons={"chars": "{count} invisible characters inside or between words ({names})"},
    flags=("The re\u200bsults were cle\u200bar.",),
)


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, sorted by id."""
    found = {r.id: r for c in family_classes() for r in c.rules}
    found[OBFUSCATION.id] = OBFUSCATION
    return tuple(found[k] for k in sorted(found))


def rule(rule_id: str) -> Rule | None:
    """The rule with id ``rule_id``, or None."""
    return next((r for r in all_rules() if r.id == rule_id), None)


@cache
def measured() -> dict:
    """The measured precision table: ``{"rules": {id: {...}}, ...}`` (empty if not shipped)."""
    try:
        return resources.load(PRECISION, lambda p: json.loads(p.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return {"rules": {}}


def precision(rule_id: str) -> dict | None:
    """The measured figures of one rule (``precision``, ``flags``, ``false_per_1000_human_words``
    …), or None when it raised no flag on the evaluation data."""
    return measured().get("rules", {}).get(rule_id)


def check_selectors(selectors: Iterable[str], what: str) -> tuple[str, ...]:
    """``selectors`` as a tuple, each checked to name a rule id or a prefix of one."""
    ids = [r.id for r in all_rules()]
    out = []
    for s in selectors:
        if not isinstance(s, str) or not s or not any(i.startswith(s) for i in ids):
            raise InputError(
                f"{what}: {s!r} is not a rule id or a prefix of one (see `mtdetect rules`)"
            )
        out.append(s)
    return tuple(out)


def enabled(rule_id: str, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """Whether ``rule_id`` is on: the longest selector of ``select`` (default: every rule) or
    ``ignore`` that it starts with decides; on a tie, ``ignore`` wins."""
    best_on = max((len(s) for s in select if rule_id.startswith(s)), default=-1 if select else 0)
    best_off = max((len(s) for s in ignore if rule_id.startswith(s)), default=-1)
    return best_on >= 0 and best_on > best_off
