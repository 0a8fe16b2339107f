"""Matching fixed expressions against a document: an index over the entries' rarest words and
a verifier that allows one content word swapped for a related one.

An English idiom may also be matched with ONE content word swapped for a related word or phrase
(``kick the pail``), which is the evidence of a distorted idiom. Candidate entries are found
through an index keyed on each entry's rarest words (two for swappable idioms, so one swapped
word never hides an entry), so the cost per token does not grow with the lexicon; one is only
verified in a sentence holding its other words, or all but one and a possible form of a relative
of that one (see ``Matcher``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import compress, repeat

from mtdetect.idiomatch.patterns import (
    DET,
    PUNCT,
    PUNCT_MARK,
    REFL,
    REFLEXIVES,
    SLOT,
    WORD,
    Entry,
    Match,
    Swap,
    gap_word,
    is_det,
    open_word,
    slot_word,
)
from mtdetect.lexicon import LIGHT_WORDS
from mtdetect.morphology.forms import form_stems, irregular_bases, noun_forms, stems, word_forms
from mtdetect.text import Document


def _sentence_stems(words: set[str]) -> set[str]:
    """The union of ``form_stems`` over ``words`` (most words are their only stem)."""
    irregular = irregular_bases()
    return words.union(
        *[form_stems(w) for w in words if w.endswith(("s", "d", "g")) or w in irregular]
    )


def token_forms(doc: Document) -> list[str]:
    """The matcher's form of every token of ``doc``: a word lower-cased, a punctuation mark
    after ``PUNCT_MARK``."""
    return [t.norm.lower() if t.is_word else PUNCT_MARK + t.norm for t in doc.tokens]


# What find() tries for an entry in a sentence (decided once per sentence from its words).
_SKIP, _CANONICAL, _SWAP = 0, 1, 2
# What a match may swap: nothing, a relative from the table, or also any content word (an
# "open" swap, on the nouns of idioms of three or more required words; see ``Matcher``)
_NONE, _RELATED, _ANY = 0, 1, 2
#: the relation code of an open swap (a word the relatives table does not link)
OPEN = "x"
#: the relation code of a word of the same kind as the idiom's (see ``Matcher``)
KIND = "w"
_ALWAYS = -1  # the anchor group of entries with no other word to check
_NO_SWAPS: dict[int, str] = {}
_APOSTROPHE = PUNCT_MARK + "'"  # a plural possessive's mark, a token of its own


@dataclass(frozen=True)
class Index:
    """What :class:`Matcher` finds candidate entries with, built from its entries and tables
    (:meth:`Matcher.build_index`) or read back from the compiled tables."""

    #: by entry id: the form-set ids of its required words, and {id: related-table key} of
    #: those a one-swap match may lack (see ``Matcher._swappable``)
    required: list[tuple[frozenset[int], dict[int, str]]]
    #: anchor form-set id → {id of a second word, or _ALWAYS: [(entry id, anchor element)]}
    anchors: dict[int, dict[int, list[tuple[int, int]]]]
    anchor_elems: list[tuple[int, int]]
    #: by entry id: the elements that may take an open swap, and their form-set ids
    open: list[tuple[frozenset[int], frozenset[int]]]
    #: by entry id: may its words take a word of the same kind (see ``MIN_OPEN_WORDS``)?
    kind_ok: list[bool]
    #: form-set id → the text forms of the set
    form_sets: list[frozenset[str]] = field(default_factory=list)


class Matcher:
    """Index + verifier over a set of entries.

    Each entry is indexed on its rarest required word (two for swappable idioms), and within
    that on a second required word (either of two for swappable idioms: one may be swapped),
    so a sentence reaches few entries it cannot match. One found that way is verified only if
    the sentence holds all its required words (a canonical match), or all but one that a
    related word may replace (a swappable entry): a form of a relative of that word must be in
    the sentence, and a content word other than a light verb must remain. Each (entry, start)
    is tried once.

    With a table of word kinds (``kinds``: word → WordNet lexicographer files, see
    ``tools/build_idiom_kinds.py``), a swappable word may also be replaced by ANY word of the
    same kind and part of speech ("the early bird catches the beetle": an animal for an animal),
    the relation ``KIND``: the related-words table lists at most a few dozen relatives of each
    word, the kinds cover the vocabulary. The evidence that such a swap distorts the idiom is
    the LM's (``swap_evidence``), judged by the family.
    """

    MAX_SLOT = 3
    MAX_REL = 3
    #: required content words (light verbs aside) an idiom needs for one of its nouns to take
    #: any word (an open swap: "mind your own onions", "burn the midnight candles"), or one of
    #: its words any word of the same kind: the two left are the frame; one leaves too loose a
    #: frame ("days of delivery" ~ "days of yore"; in the human valid documents, 1,710 words of
    #: the same kind fill the frames of two-word idioms, "the wooden scaffolding")
    MIN_OPEN_WORDS = 3
    #: words that may be inserted in the text inside one match
    MAX_GAP = 2

    def __init__(
        self,
        entries: tuple[Entry, ...],
        related: dict[str, tuple],
        kinds: dict[str, frozenset[str]] | None = None,
        index: Index | None = None,
    ) -> None:
        """``index``: the one :meth:`build_index` makes of the same entries and tables, if
        already built (see :mod:`.compiled`)."""
        self.entries = entries
        self.related = related
        self.kinds = kinds or {}
        self._kinds_of_key: dict[str, frozenset[str]] = {}
        ix = self.build_index() if index is None else index
        self.index_data = ix
        self._required = ix.required
        self._anchors = ix.anchors
        self._anchor_elems = ix.anchor_elems
        self._open = ix.open
        self._kind_ok = ix.kind_ok
        # text form → ids of the form sets holding it, and of those that anchor entries
        holders: dict[str, list[int]] = defaultdict(list)
        anchored: dict[str, list[int]] = defaultdict(list)
        for sid, forms in enumerate(ix.form_sets):
            is_anchor = sid in self._anchors
            for f in forms:
                holders[f].append(sid)
                if is_anchor:
                    anchored[f].append(sid)
        self._holders = {f: tuple(ids) for f, ids in holders.items()}
        self._anchored = {f: tuple(ids) for f, ids in anchored.items()}
        self._bounds: dict[int, list[tuple[int, int]]] = {}
        self._gap_of: dict[int, int] = {}  # entry id → _gaps(entry), once computed
        self._keys: dict[int, dict[int, str]] = {}
        # related-table key → stems of the first words of its relatives
        self._rel_stems: dict[str, frozenset[str]] = {}
        # (key, text word) → its relatives, for the most recent text words (bounded)
        self._relatives_of = lru_cache(maxsize=1 << 16)(self._find_relatives)

    def build_index(self) -> Index:
        """The index over ``self.entries`` (given the related and kind tables)."""
        entries = self.entries
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
        ix = Index(
            [], {}, [], [], [self._heavy(e, self.kinds) >= self.MIN_OPEN_WORDS for e in entries]
        )
        self._kind_ok = ix.kind_ok  # (read by _swappable)
        for e, req in zip(entries, required):
            pairs = [(i, set_ids.setdefault(el.forms, len(set_ids))) for i, el in req]
            swaps = self._swappable(e, pairs) if e.swappable else _NO_SWAPS
            ix.required.append((frozenset(sid for _, sid in pairs), swaps))
            ix.open.append(self._open_elems(e, pairs, swaps))
            # rarest words first: few entries share them; content words before function words
            req.sort(key=lambda x: (not x[1].content, df[x[1].word], -len(x[1].word)))
            sid_of = dict(pairs)
            n_anchor = 2 if e.swappable else 1
            for i, _ in req[:n_anchor]:
                ix.anchor_elems.append((e.id, i))
                # A match needs every other word that cannot be swapped, and one of any two others.
                others = list(dict.fromkeys(sid_of[j] for j, _ in req if sid_of[j] != sid_of[i]))
                needed = [sid for sid in others if sid not in swaps]
                if needed:
                    checks = needed[:1]
                else:
                    checks = others[:2] if len(others) >= 2 else [_ALWAYS]
                groups = ix.anchors.setdefault(sid_of[i], {})
                for check in checks:
                    groups.setdefault(check, []).append((e.id, i))
        ix.form_sets.extend(set_ids)
        return ix

    @cached_property
    def index(self) -> dict[str, list[tuple[int, int]]]:
        """Text form → [(entry id, anchor element)] (for inspection: find() uses the groups)."""
        index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for eid, k in self._anchor_elems:
            for f in self.entries[eid].elems[k].forms:
                index[f].append((eid, k))
        return dict(index)

    def key_kinds(self, key: str) -> frozenset[str]:
        """The kinds of the idiom word of related-table key ``key`` (``word/pos``, ``!`` for a
        common word): those of its part of speech; a quality adjective's are its noun senses'
        ("blue": ``noun.attribute``)."""
        got = self._kinds_of_key.get(key)
        if got is None:
            word, _, pos = key.rstrip("!").partition("/")
            prefix = {"n": "noun.", "a": "noun.", "v": "verb."}.get(pos, "")
            got = frozenset(
                k for k in self.kinds.get(word.removesuffix("'s"), ()) if k.startswith(prefix)
            )
            self._kinds_of_key[key] = got
        return got

    def same_kind(self, key: str, w: str) -> bool:
        """Is text word ``w`` of a kind of the idiom word of ``key`` (a possessive for a
        possessive: "the donkey's back" for "the camel's back")?"""
        if key.rstrip("!").partition("/")[0].endswith("'s"):
            if not w.endswith("'s"):
                return False
            w = w[:-2]
        return open_word(w) and not self.key_kinds(key).isdisjoint(self.kinds.get(w, ()))

    def _rel_key(self, eid: int, k: int) -> str | None:
        """The related-table key of element ``k`` of entry ``eid``."""
        keys = self._keys.get(eid)
        if keys is None:
            keys = self._keys[eid] = dict(self.entries[eid].rel_keys)
        return keys.get(k)

    def _gaps(self, e: Entry) -> int:
        """Words that may be inserted in a match of ``e``: none in a short expression, where one
        more word makes another phrase ("have eye" is not "has high eyes")."""
        got = self._gap_of.get(e.id)
        if got is None:
            got = self._gap_of[e.id] = (
                self.MAX_GAP if sum(not el.optional for el in e.elems) >= 3 else 0
            )
        return got

    def _prefix_bounds(self, e: Entry) -> list[tuple[int, int]]:
        """For each element, min and max tokens the elements before it can span."""
        out = []
        lo = hi = 0
        for k, el in enumerate(e.elems):
            out.append((lo, hi + (self.MAX_GAP if k else 0)))
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
        """The stems (see ``stems``) of the first words of the relatives of ``key``."""
        got = self._rel_stems.get(key)
        if got is None:
            firsts = {rel.split(" ", 1)[0] for rel, _ in self.related.get(key, ())}
            irregular = irregular_bases()
            got = self._rel_stems[key] = frozenset(firsts).union(
                *[stems(t) for t in firsts if t.endswith(("s", "d", "g")) or t in irregular]
            )
        return got

    def _relatives(self, key: str, w: str) -> tuple[tuple[str, str, tuple], ...]:
        """Relatives of ``key`` whose first word may take the form ``w``, in table order:
        (related phrase, relation, forms of each of its tokens); noun keys take noun forms."""
        if self._relative_stems(key).isdisjoint(form_stems(w)):
            return ()
        return self._relatives_of(key, w)

    def _find_relatives(self, key: str, w: str) -> tuple[tuple[str, str, tuple], ...]:
        w_stems = form_stems(w)
        inflect = noun_forms if key.rstrip("!").endswith("/n") else word_forms
        got = []
        for rel, code in self.related[key]:
            toks = rel.split()
            if not w_stems.isdisjoint(stems(toks[0])) and w in inflect(toks[0]):
                got.append((rel, code, tuple(inflect(t) for t in toks)))
        return tuple(got)

    @staticmethod
    def _heavy(e: Entry, kinds: dict[str, frozenset[str]]) -> int:
        """The distinct required content words of ``e`` that are nouns or verbs of a kind, light
        verbs aside: names and numbers make no frame ("seven year itch" ~ "a new seven year
        blueprint", "Hong Kong property speculators")."""
        return len(
            {
                el.word
                for el in e.elems
                if el.kind == WORD
                and not el.optional
                and el.content
                and el.word not in LIGHT_WORDS
                and el.word.removesuffix("'s") in kinds
            }
        )

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
                and (self.related.get(key) or (self._kind_ok[e.id] and self.key_kinds(key)))
                and e.elems[k].content
                and sids.count(sid) == 1
                and any(i != k for i in heavy)
            ):
                out[sid] = key
        return out

    def _open_elems(
        self, e: Entry, pairs: list[tuple[int, int]], swaps: dict[int, str]
    ) -> tuple[frozenset[int], frozenset[int]]:
        """The elements of ``e`` that may take an open swap (and their form-set ids): its
        swappable nouns, if it is written as an idiom (not a passive variant) and has
        ``MIN_OPEN_WORDS`` distinct required content words other than light verbs."""
        heavy = {
            sid for k, sid in pairs if e.elems[k].content and e.elems[k].word not in LIGHT_WORDS
        }
        if e.variant or len(heavy) < self.MIN_OPEN_WORDS:
            return frozenset(), frozenset()
        keys = dict(e.rel_keys)
        got = [
            (k, sid)
            for k, sid in pairs
            if sid in swaps and keys.get(k, "").rstrip("!").endswith("/n")
        ]
        return frozenset(k for k, _ in got), frozenset(sid for _, sid in got)

    def _match(
        self,
        e: Entry,
        words: list[str],
        k: int,
        j: int,
        allow_swap: int,
        swap: Swap | None,
        gaps: int = 0,
    ) -> tuple[int, Swap | None] | None:
        """Match elements ``k:`` of ``e`` from token ``j``; return (end token, swap) or None.

        Up to ``gaps`` words may be inserted in the text before an element other than the first
        ("spilled all the beans", "bit the proverbial bullet")."""
        r = self._here(e, words, k, j, allow_swap, swap, gaps)
        if (
            r is None
            and gaps
            and 0 < k < len(e.elems)
            and j < len(words)
            and e.elems[k].kind in (DET, WORD)
            and gap_word(words[j], e.elems[k].kind == DET)
        ):
            r = self._match(e, words, k, j + 1, allow_swap, swap, gaps - 1)
        return r

    def _here(
        self,
        e: Entry,
        words: list[str],
        k: int,
        j: int,
        allow_swap: int,
        swap: Swap | None,
        gaps: int,
    ) -> tuple[int, Swap | None] | None:
        """``_match`` with element ``k`` on token ``j`` (no word inserted before it)."""
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
        if w is not None and w.startswith(PUNCT_MARK) and el.kind != PUNCT:
            w = None  # words never match punctuation
        if el.kind == DET:
            if w is not None and is_det(w):
                r = self._match(e, words, k + 1, j + 1, allow_swap, swap, gaps)
                if r:
                    return r
            # a plural possessive, the tokenizer's "inspectors" + "'" ("the inspectors' eyes"), in
            # a canonical match only: in a swapped one it makes frames of ordinary phrases
            # ("taking the farmers' bread" ~ "take the cake")
            i = j + 1 if w is not None and is_det(w) else j
            if (
                not allow_swap
                and i + 1 < n
                and words[i + 1] == _APOSTROPHE
                and words[i].endswith("s")
                and words[i].isalpha()
            ):
                r = self._match(e, words, k + 1, i + 2, allow_swap, swap, gaps)
                if r:
                    return r
            if allow_swap or not el.optional:
                # distorted idioms keep their articles: "last night" is not "the last minute"
                return None
            return self._match(e, words, k + 1, j, allow_swap, swap, gaps)
        if el.kind == PUNCT:
            if w is not None and w.startswith(PUNCT_MARK) and w[1:] in ",;:-":
                r = self._match(e, words, k + 1, j + 1, allow_swap, swap, gaps)
                if r:
                    return r
            return self._match(e, words, k + 1, j, allow_swap, swap, gaps)
        if el.kind == SLOT:
            for ln in range(1, self.MAX_SLOT + 1):
                if j + ln > n or not slot_word(words[j + ln - 1]):
                    break
                r = self._match(e, words, k + 1, j + ln, allow_swap, swap, gaps)
                if r:
                    return r
            return None
        if el.kind == REFL:
            if w is not None and w in REFLEXIVES:
                return self._match(e, words, k + 1, j + 1, allow_swap, swap, gaps)
            return None
        # WORD
        if w is not None and w in el.forms:
            r = self._match(e, words, k + 1, j + 1, allow_swap, swap, gaps)
            if r:
                return r
        if el.optional:
            r = self._match(e, words, k + 1, j, allow_swap, swap, gaps)
            if r:
                return r
        if w is not None and is_det(w) and k > 0 and elems[k - 1].kind != DET:
            w2 = words[j + 1] if j + 1 < n else None
            if w2 is not None and w2 in el.forms:
                r = self._match(e, words, k + 1, j + 2, allow_swap, swap, gaps)
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
                r = self._match(e, words, k + 1, j + ln, allow_swap, s, gaps)
                if r:
                    return r
            if (
                key
                and self._kind_ok[e.id]
                and w not in el.forms
                and f"{k}:{w}" not in e.blocked
                and w in self._kind_words
                and self.same_kind(key, w)
            ):
                s = Swap(k, el.word, w, KIND, j, j + 1)
                r = self._match(e, words, k + 1, j + 1, allow_swap, s, gaps)
                if r:
                    return r
            if (
                allow_swap == _ANY
                and k in self._open[e.id][0]
                and open_word(w)
                and f"{k}:{w}" not in e.blocked
            ):
                r = self._match(
                    e, words, k + 1, j + 1, allow_swap, Swap(k, el.word, w, OPEN, j, j + 1), gaps
                )
                if r:
                    return r
        return None

    @cached_property
    def _kind_words(self) -> frozenset[str]:
        """The words with a kind, and their possessives."""
        return frozenset(self.kinds).union(w + "'s" for w in self.kinds)

    def _sentence_kinds(self, words: set[str]) -> frozenset[str]:
        """The union of the kinds of ``words`` (a possessive is its noun's)."""
        kinds = self.kinds
        return frozenset().union(*[kinds.get(w.removesuffix("'s"), ()) for w in words])

    @cached_property
    def _screener(self):
        """The compiled screening (:mod:`.screen`) if asked for (``MTDETECT_JIT=1``), else None."""
        from mtdetect.idiomatch import screen

        return screen.Screener(self, _ALWAYS) if screen.enabled() else None

    def find(self, doc: Document) -> list[Match]:
        """All matches in ``doc``: canonical ones (``swap is None``) and one-swap ones."""
        all_words = token_forms(doc)  # (sliced per sentence below)
        if self._screener is None:
            return self._find_py(doc, all_words)
        out: dict[tuple[int, int, int], Match] = {}
        sents = doc.sentences
        rows = self._screener.run(
            all_words, [s.tok_start for s in sents], [s.tok_end for s in sents]
        )
        cur = -1
        for si, eid, k, i, mode, gone in rows:
            if si != cur:  # a new sentence
                cur, sent = si, sents[si]
                words = all_words[sent.tok_start : sent.tok_end]
                tried: set[tuple[int, int]] = set()
                decided: dict[int, int] = {}
                memo: list = [set(words), None, None]
            if gone >= 0:  # one required word missing: may a swap replace it here?
                mode = decided.get(eid)
                if mode is None:
                    mode = decided[eid] = self._swap_mode(eid, gone, memo)
                if not mode:
                    continue
            self._try(eid, k, i, mode, words, tried, sent.tok_start, out)
        return sorted(out.values(), key=lambda m: (m.tok_start, m.tok_end, m.entry.id))

    def _swap_mode(self, eid: int, gone: int, memo: list) -> int:
        """_SWAP if the one required word (form set ``gone``) of entry ``eid`` that the
        sentence lacks may be swapped there: it may take an open swap, or a word of its kind
        is in the sentence, or a form of one of its relatives; else _SKIP. ``memo``: [the
        sentence's words, their kinds, their stems] (the last two computed here once)."""
        key = self._required[eid][1].get(gone)
        if key is None:
            return _SKIP
        if gone in self._open[eid][1]:
            return _SWAP
        kk = self.key_kinds(key)
        if kk and self._kind_ok[eid]:
            if memo[1] is None:
                memo[1] = self._sentence_kinds(memo[0])
            if not kk.isdisjoint(memo[1]):
                return _SWAP
        if memo[2] is None:
            memo[2] = _sentence_stems(memo[0])
        rs = self._rel_stems.get(key) or self._relative_stems(key)
        return _SKIP if rs.isdisjoint(memo[2]) else _SWAP

    def _find_py(self, doc: Document, all_words: list[str]) -> list[Match]:
        """``find`` without the compiled screening: the same candidates, found with sets."""
        out: dict[tuple[int, int, int], Match] = {}
        holders, anchored, anchors = self._holders, self._anchored, self._anchors
        required = self._required
        for sent in doc.sentences:
            words = all_words[sent.tok_start : sent.tok_end]
            present = set(words)
            found = set().union(*map(holders.get, present, repeat(())))
            found.add(_ALWAYS)
            memo: list = [present, None, None]  # (see _swap_mode)
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
                                # one swap: all but one, which a swap may replace
                                ids, swaps = required[eid]
                                missing = ids - found
                                if not missing:
                                    mode = _CANONICAL
                                elif len(missing) > 1 or not swaps:
                                    mode = _SKIP
                                else:
                                    mode = self._swap_mode(eid, next(iter(missing)), memo)
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
            if words[s].startswith(PUNCT_MARK) or (eid, s) in tried:
                continue
            tried.add((eid, s))
            if first is not None and words[s] not in first.forms:
                continue
            r = None
            gaps = self._gaps(e)
            if mode == _CANONICAL:
                r = self._match(e, words, 0, s, _NONE, None, gaps)
            if r is None and e.swappable:
                r = self._match(e, words, 0, s, _RELATED, None, gaps)
            if r is None and self._open[eid][0]:
                # an open swap: the frame as written, no word inserted
                r = self._match(e, words, 0, s, _ANY, None, 0)
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
