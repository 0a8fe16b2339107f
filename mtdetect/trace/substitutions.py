"""The substitution list of a rewrite: what each aligned sentence changed, word by word.

Inside every aligned block the word tokens of both sides are compared with
``difflib.SequenceMatcher`` (lower-cased; punctuation left out, it is noise here). Each differing
run becomes a change ``observed ← original`` (suspect wording, source wording). A run of equal
length on both sides whose words are pairwise thesaurus-linked or inflections of each other is
split position by position, as a spinner swaps words one at a time; other runs stay one phrase.
A deleted run that is inserted elsewhere in the same block is one ``reorder``.

Kinds (declared in :data:`KINDS`, checked in this order): ``deletion`` (source words missing in
the suspect), ``insertion``, ``contraction`` ("Do not" ← "Don't"), ``number``, ``reorder``,
``name`` (a capitalised name changed: "Home" ← "House"), ``inflection`` (same stem),
``spelling`` (a near-identical string: "color" ← "colour"), ``synonym`` (one word for another
that the thesaurus links), ``word`` (one word for another it does not link) and ``phrase``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from mtdetect.features.contractions import EXPANSIONS
from mtdetect.text import Document, Token
from mtdetect.trace.align import Alignment
from mtdetect.trace.words import are_linked, stem

_CONTRACTED = {c.lower(): pair for pair, c in EXPANSIONS.items()} | {"cannot": ("can", "not")}


def _is_contraction(obs: list[str], orig: list[str]) -> bool:
    for one, two in ((obs, orig), (orig, obs)):
        if len(one) == 1 and tuple(two) == _CONTRACTED.get(one[0].replace("’", "'")):
            return True
    return False


def initial_starts(doc: Document) -> set[int]:
    """Offsets of the tokens that begin a sentence or a quotation (capitalised anyway)."""
    out = set()
    toks = doc.tokens
    for i, t in enumerate(toks):
        if i == 0 or toks[i - 1].sent != t.sent or toks[i - 1].norm in _OPENERS:
            out.add(t.start)
    return out


_OPENERS = frozenset({'"', "'", "(", "[", ":"})


def _is_name(toks: list[Token], starts: set[int]) -> bool:
    """Capitalised words of which at least one does not begin a sentence or quotation."""
    return (
        bool(toks)
        and all(t.text[:1].isupper() for t in toks)
        and (any(t.start not in starts for t in toks))
    )


def _same_stem(a: str, b: str) -> bool:
    return stem(a) == stem(b)


def _spelling(a: str, b: str) -> bool:
    return a[:2] == b[:2] and SequenceMatcher(None, a, b).ratio() >= 0.8


#: The kinds of change, each with its test on (observed words, original words), in order; the
#: first that holds names the change. ``name`` needs the tokens and is tested apart.
KINDS: tuple[tuple[str, Callable[[list[str], list[str]], bool]], ...] = (
    ("deletion", lambda o, r: not o),
    ("insertion", lambda o, r: not r),
    ("contraction", _is_contraction),
    ("number", lambda o, r: any(w[:1].isdigit() for w in o + r)),
    ("reorder", lambda o, r: sorted(o) == sorted(r)),
    ("name", lambda o, r: False),  # decided on tokens in _kind
    ("inflection", lambda o, r: len(o) == len(r) == 1 and _same_stem(o[0], r[0])),
    ("spelling", lambda o, r: len(o) == len(r) == 1 and _spelling(o[0], r[0])),
    ("synonym", lambda o, r: len(o) == len(r) == 1 and are_linked(o[0], r[0])),
    ("word", lambda o, r: len(o) == len(r) == 1),
    ("phrase", lambda o, r: True),
)
REWRITE_KINDS = frozenset({"synonym", "word", "phrase", "name", "spelling", "inflection"})


@dataclass
class Change:
    """One change: suspect characters ``[start, end)`` (empty for a deletion) replaced source
    characters ``[src_start, src_end)``."""

    start: int
    end: int
    src_start: int
    src_end: int
    observed: str
    original: str
    kind: str
    n_obs: int
    n_orig: int


@dataclass
class Substitution:
    """A distinct change with its count and every place it occurs in the suspect."""

    observed: str
    original: str
    count: int
    kind: str
    at: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "observed": self.observed,
            "original": self.original,
            "count": self.count,
            "kind": self.kind,
            "at": [list(x) for x in self.at],
        }


def _kind(obs: list[Token], orig: list[Token], starts_a: set[int], starts_b: set[int]) -> str:
    o = [t.norm.lower() for t in obs]
    r = [t.norm.lower() for t in orig]
    for name, test in KINDS:
        if name == "name":
            if _is_name(orig, starts_b) and o != r:
                return name
            continue
        if test(o, r):
            return name
    return "phrase"  # pragma: no cover - "phrase" always holds


def _pairable(a: Token, b: Token) -> bool:
    x, y = a.norm.lower(), b.norm.lower()
    return x == y or _same_stem(x, y) or are_linked(x, y) or a.text[:1].isdigit()


def _grow(la: list[str], lb: list[str], i1: int, i2: int, j1: int, j2: int):
    """An insertion or deletion next to an unchanged word that, with it, is a thesaurus phrase
    of that word ("made up" ← "made", "came with" ← "came") becomes that phrase change."""
    if i1 > 0 and j1 > 0 and la[i1 - 1] == lb[j1 - 1]:
        if are_linked(" ".join(la[i1 - 1 : i2]), " ".join(lb[j1 - 1 : j2])):
            return i1 - 1, i2, j1 - 1, j2
    if i2 < len(la) and j2 < len(lb) and la[i2] == lb[j2]:
        if are_linked(" ".join(la[i1 : i2 + 1]), " ".join(lb[j1 : j2 + 1])):
            return i1, i2 + 1, j1, j2 + 1
    return i1, i2, j1, j2


def changes(a: Document, b: Document, alignment: Alignment) -> list[Change]:
    """Every change inside the aligned blocks, in suspect order."""
    out: list[Change] = []
    starts_a, starts_b = initial_starts(a), initial_starts(b)
    for blk in alignment.blocks:
        sa, sb = a.sentences[blk.a0 : blk.a1], b.sentences[blk.b0 : blk.b1]
        ta = [t for t in a.tokens[sa[0].tok_start : sa[-1].tok_end] if t.is_word]
        tb = [t for t in b.tokens[sb[0].tok_start : sb[-1].tok_end] if t.is_word]
        if not ta or not tb:
            continue
        la = [t.norm.lower() for t in ta]
        lb = [t.norm.lower() for t in tb]
        runs: list[tuple[int, int, int, int]] = []  # ta[i1:i2] replaced tb[j1:j2]
        for op, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            if op != "replace":
                i1, i2, j1, j2 = _grow(la, lb, i1, i2, j1, j2)
            n = i2 - i1
            if n == j2 - j1 > 1 and (
                sum(_pairable(ta[i1 + k], tb[j1 + k]) for k in range(n)) * 2 >= n
            ):
                runs += [(i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(n)]
            else:
                runs.append((i1, i2, j1, j2))
        for i1, i2, j1, j2 in _join_moves(runs, la, lb):
            obs, orig = ta[i1:i2], tb[j1:j2]
            kind = _kind(obs, orig, starts_a, starts_b)
            s0, s1 = (obs[0].start, obs[-1].end) if obs else (_at(ta, i1),) * 2
            r0, r1 = (orig[0].start, orig[-1].end) if orig else (_at(tb, j1),) * 2
            out.append(
                Change(s0, s1, r0, r1, a.text[s0:s1], b.text[r0:r1], kind, len(obs), len(orig))
            )
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _at(toks: list[Token], i: int) -> int:
    """Offset where a word inserted before token ``i`` would go."""
    return toks[i].start if i < len(toks) else toks[-1].end


#: A moved word joins its old and new place into one ``reorder`` change when at most this many
#: unchanged words lie between them ("the Lenn River" ← "the River Lenn").
MOVE_GAP = 3


def _join_moves(runs: list[tuple[int, int, int, int]], la: list[str], lb: list[str]):
    """Runs, with each deleted run and a nearby inserted run of the same words joined into one
    run covering both places."""
    runs = list(runs)
    for k, (i1, i2, j1, j2) in enumerate(runs):
        if not (i2 > i1 and j2 == j1):
            continue
        for d, (p1, p2, q1, q2) in enumerate(runs):
            if not (p2 == p1 and q2 > q1) or lb[q1:q2] != la[i1:i2]:
                continue
            lo_a, hi_a, lo_b, hi_b = min(i1, p1), max(i2, p2), min(j1, q1), max(j2, q2)
            inside = [r for r in runs if r not in (runs[k], runs[d]) and lo_a <= r[0] < hi_a]
            if hi_a - lo_a <= (i2 - i1) + MOVE_GAP and not inside:
                runs[k] = (lo_a, hi_a, lo_b, hi_b)
                runs[d] = (0, 0, 0, 0)
                break
    return [r for r in runs if r != (0, 0, 0, 0)]


def substitutions(found: list[Change]) -> list[Substitution]:
    """Distinct changes (case-insensitive), most frequent first, each with its places."""
    by: dict[tuple[str, str, str], Substitution] = {}
    for c in found:
        key = (" ".join(c.observed.lower().split()), " ".join(c.original.lower().split()), c.kind)
        s = by.get(key)
        if s is None:
            by[key] = s = Substitution(
                " ".join(c.observed.split()), " ".join(c.original.split()), 0, c.kind
            )
        s.count += 1
        s.at.append((c.start, c.end))
    return sorted(by.values(), key=lambda s: (-s.count, s.at[0]))
