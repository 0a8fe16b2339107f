"""One flag per span: findings of different rules on overlapping words merged into one.

Families look at a text independently, so two rules can flag the same words and disagree: the
synonym-swap rule suggests "false" for the 'counterfeit' of "counterfeit consciousness" while the
tortured-phrase list knows the phrase stands for "artificial intelligence". A reader should see
one flag there, from the best-supported rule: the strongest severity, then the highest score,
then the longer span (it names more of what was changed). The rules it absorbed are listed in
the kept flag's ``also``; a suggestion of an absorbed rule is taken only when the kept flag has
none and the absorbed one covers exactly the same span (a suggestion only fits its own span).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mtdetect.findings import SEVERITIES, Finding


def strength(f: Finding) -> tuple:
    """Sort key: the best-supported finding first."""
    rank = SEVERITIES.index(f.severity) if f.severity in SEVERITIES else len(SEVERITIES)
    return (rank, -f.score, -(f.end - f.start), f.rule, f.start)


def merge(findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` with overlapping spans merged (strongest kept), in text order.

    Greedy from the strongest: a finding that overlaps one already kept is folded into the first
    (strongest) of those, so a sentence-wide flag never swallows two separate word flags."""
    if len(findings) < 2:
        return list(findings)
    kept: list[Finding] = []
    absorbed: dict[int, list[Finding]] = {}
    for f in sorted(findings, key=strength):
        hit = next((i for i, k in enumerate(kept) if f.start < k.end and k.start < f.end), None)
        if hit is None:
            kept.append(f)
        else:
            absorbed.setdefault(hit, []).append(f)
    out = []
    for i, k in enumerate(kept):
        others = absorbed.get(i, [])
        if others:
            also = tuple(dict.fromkeys(r for o in others for r in (o.rule, *o.also) if r != k.rule))
            sugg = k.suggestion
            if sugg is None:
                same = [o for o in others if (o.start, o.end) == (k.start, k.end) and o.suggestion]
                sugg = same[0].suggestion if same else None
            k = replace(
                k,
                also=tuple(dict.fromkeys(k.also + also)),
                suggestion=sugg,
                absorbed=k.absorbed + tuple(others),
            )
        out.append(k)
    out.sort(key=lambda f: (f.start, f.end, f.rule))
    return out
