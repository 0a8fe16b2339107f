"""One explicit analysis per document: every view of it that the feature families read.

An :class:`Analysis` is built from a frozen :class:`~mtdetect.text.Document` and the loaded
:class:`~mtdetect.resources.Resources`. Each view is a cached property, computed on first use
and kept for the next family that reads it: the word arrays, the part-of-speech tags, the
document under the reference LM, the candidate swaps and their scores. Families read an
analysis and never write to it (setting an attribute raises); nothing derived is ever stored
on the document or in module-level state.

    a = Analysis(Document(text))        # shipped tables; tests pass Resources({...}) of fakes
    a.words, a.tags, a.lm.lp, a.pairs, a.swaps, a.span_scores
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from functools import cached_property
from itertools import compress
from operator import itemgetter

import numpy as np

from mtdetect import folds, refstats, tagger
from mtdetect.doclm import DocLM, Pairs, score_document, score_documents
from mtdetect.resources import SHIPPED, Resources
from mtdetect.swaps import Swaps, candidates, swap_candidates_many
from mtdetect.swapscore import MAX_CANDS, MAX_FIT, SpanScores, span_scores_many
from mtdetect.text import Document, Token

# fields of a Token (a NamedTuple: start, end, text, norm, sent, is_word)
_NORM = itemgetter(3)
_SENT = itemgetter(4)
_IS_WORD = itemgetter(5)
_FIRST = itemgetter(0)  # first character of a string
TITLE_SHARE = 0.5  # sentences with more capitalised words than this are headlines/titles


class Analysis:
    """A document and the views of it, each computed on first use (see the module doc)."""

    def __init__(self, doc: Document, res: Resources = SHIPPED) -> None:
        object.__setattr__(self, "doc", doc)
        object.__setattr__(self, "res", res)

    doc: Document
    res: Resources

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"an Analysis is read-only (cannot set {name!r})")

    @classmethod
    def of(cls, source: Analysis | Document | str, res: Resources = SHIPPED) -> Analysis:
        """``source`` itself if it is an Analysis, else a new analysis of the document/text."""
        if isinstance(source, Analysis):
            return source
        return cls(source if isinstance(source, Document) else Document(source), res)

    @classmethod
    def batch(cls, docs: Sequence[Document], res: Resources = SHIPPED) -> list[Analysis]:
        """Analyses of several documents whose shared per-document work is done for all of them
        at once (the same values as alone): the LM view of the batch in one pass
        (:func:`~mtdetect.doclm.score_documents`), and, when the first of them needs its swaps,
        the candidate windows of all of them in one LM call
        (:func:`~mtdetect.swaps.swap_candidates_many`)."""
        out = [cls(d, res) for d in docs]
        if len(out) > 1:
            peers = [weakref.ref(a) for a in out]  # (weak: no reference cycle to collect)
            for a in out:
                a.__dict__["_peers"] = peers
            joint = score_documents(refstats.of(res), [(a.n_tokens, a, a.n_sent) for a in out])
            for a, lm_pairs in zip(out, joint):
                # stored where the cached property keeps its value (the one place it is set)
                a.__dict__["_lm_and_pairs"] = lm_pairs
        return out

    # -- tokens ------------------------------------------------------------------------------
    @property
    def n_tokens(self) -> int:
        return len(self.doc.tokens)

    @property
    def n_sent(self) -> int:
        return len(self.doc.sentences)

    @cached_property
    def norms(self) -> list[str]:
        """Normalised text of every token (words and punctuation)."""
        return list(map(_NORM, self.doc.tokens))

    @cached_property
    def lows(self) -> list[str]:
        """Lower-cased normalised text of every token (words and punctuation)."""
        return list(map(str.lower, self.norms))

    @cached_property
    def tok_sent(self) -> np.ndarray:
        """Sentence of every token."""
        return np.fromiter(map(_SENT, self.doc.tokens), dtype=np.int64, count=self.n_tokens)

    @cached_property
    def sent_start(self) -> np.ndarray:
        """Whether each token is the first token of its sentence."""
        out = np.zeros(self.n_tokens, dtype=bool)
        out[[s.tok_start for s in self.doc.sentences]] = True
        return out

    # -- words (arrays over the word tokens; per-token loops run in C over the Token fields) --
    @cached_property
    def _is_word(self) -> list[bool]:
        return list(map(_IS_WORD, self.doc.tokens))

    @cached_property
    def word_tokens(self) -> list[Token]:
        """The word tokens."""
        return list(compress(self.doc.tokens, self._is_word))

    @property
    def n(self) -> int:
        """Number of words."""
        return len(self.word_tokens)

    @cached_property
    def wtok(self) -> np.ndarray:
        """Token index of each word."""
        idx = compress(range(self.n_tokens), self._is_word)
        return np.fromiter(idx, dtype=np.int64, count=self.n)

    @cached_property
    def words(self) -> list[str]:
        """Lower-cased normalised text of each word."""
        return list(map(str.lower, map(_NORM, self.word_tokens)))

    @cached_property
    def wsent(self) -> np.ndarray:
        """Sentence of each word."""
        return np.fromiter(map(_SENT, self.word_tokens), dtype=np.int64, count=self.n)

    @cached_property
    def sent_nw(self) -> np.ndarray:
        """Number of words of each sentence."""
        if self.n:
            return np.bincount(self.wsent, minlength=self.n_sent)
        return np.zeros(self.n_sent, dtype=np.int64)

    @cached_property
    def first(self) -> np.ndarray:
        """Whether each word is the first word of its sentence."""
        first = np.ones(self.n, dtype=bool)
        if self.n:
            first[1:] = self.wsent[1:] != self.wsent[:-1]
        return first

    @cached_property
    def cap(self) -> np.ndarray:
        """Whether each word starts with a capital letter."""
        firsts = map(_FIRST, map(_NORM, self.word_tokens))
        return np.fromiter(map(str.isupper, firsts), dtype=bool, count=self.n)

    @cached_property
    def title_sentences(self) -> np.ndarray:
        """Whether most words of each sentence after its first are capitalised (a headline or
        a title)."""
        caps = np.bincount(self.wsent[self.cap & ~self.first], minlength=self.n_sent)
        return caps > TITLE_SHARE * np.maximum(self.sent_nw - 1, 1)

    # -- part of speech ----------------------------------------------------------------------
    @cached_property
    def tags(self) -> np.ndarray:
        """Coarse part-of-speech code (index into ``tagger.TAGS``) of each word."""
        norms = list(map(_NORM, self.word_tokens))
        lx = tagger.lexicon(self.res)
        return tagger.tag_words(lx, norms, self.words, self.first, self.cap)

    @cached_property
    def content(self) -> np.ndarray:
        """Whether each word is a content word (noun, adjective, adverb or lexical verb)."""
        return tagger.IS_CONTENT[self.tags]

    # -- the reference language model --------------------------------------------------------
    @property
    def rs(self) -> refstats.RefStats:
        """The reference statistics (LM, frequencies, case model) of the resources."""
        return refstats.of(self.res)

    @cached_property
    def _lm_and_pairs(self) -> tuple[DocLM, Pairs]:
        return score_document(self.rs, self.n_tokens, self)

    @property
    def lm(self) -> DocLM:
        """Per-token ids and LM log-probabilities (:class:`~mtdetect.doclm.DocLM`)."""
        return self._lm_and_pairs[0]

    @property
    def pairs(self) -> Pairs:
        """(pmi, seen) of each word with the word before it (:data:`~mtdetect.doclm.Pairs`)."""
        return self._lm_and_pairs[1]

    # -- spinning ----------------------------------------------------------------------------
    def _group(self, view: str) -> list[Analysis]:
        """This analysis and the others of its batch that have not computed ``view`` yet (a
        batched view is computed for all of them at once, then kept by each)."""
        peers = (ref() for ref in self.__dict__.get("_peers", ()))
        return [self] + [
            a for a in peers if a is not None and a is not self and view not in a.__dict__
        ]

    @cached_property
    def swaps(self) -> Swaps:
        """Candidate originals of the document's words, scored in context (with those of the
        other documents of its batch that have none yet)."""
        group = self._group("swaps")
        ct = candidates(self.res)
        found = swap_candidates_many(self.rs, ct, [a.lm for a in group], MAX_CANDS, MAX_FIT)
        for a, sw in zip(group[1:], found[1:]):
            a.__dict__["swaps"] = sw  # where the cached property keeps its value
        return found[0]

    @cached_property
    def span_scores(self) -> SpanScores | None:
        """The best candidate and the model inputs of each swap span; None without spans
        (with those of the other documents of its batch)."""
        group = self._group("span_scores")
        found = span_scores_many(
            self.rs, [(a.swaps, a.lm, a.cap, a.sent_start, a.doc.n_words) for a in group]
        )
        for a, sc in zip(group[1:], found[1:]):
            a.__dict__["span_scores"] = sc
        return found[0]

    # -- learned tables ----------------------------------------------------------------------
    @cached_property
    def table_version(self) -> int:
        """Which version of the learned tables scores this text: 0 (the full tables) unless it
        is a training text, then 1 + its fold (cross-fitting, see :mod:`mtdetect.folds`)."""
        return folds.table_of(self.doc.text, folds.folds(self.res))
