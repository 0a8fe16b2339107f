"""Broken names: a capitalised sequence with a common-word swap or a capitalised function word.

Spinners that do not protect names turn "Russia Today" into "Russia At this time", "the House
voted" into "the Home voted", "Senate Majority Leader" into "Senate Majority Chief" and "Getty
Images" into "Getty Photos". For a capitalised span mid-sentence with candidate originals, the
trigram LM scores the window with each candidate; the case model (how often each word is
capitalised mid-sentence in human English) tells a name word ("House", "Leader") from a word
people rarely capitalise ("Home", "At"). A logistic model over these scores, with its threshold
set on human text (``tools/eval_spans.py fit``), decides.

Three sharper rules add flags the model misses (the right original is often far down the
candidate list, e.g. "leader" for "chief"): over the FULL candidate list of a capitalised word B
that people rarely capitalise, (1) after a capitalised word P, a candidate X whose bigram (P, X)
is attested with high PMI where (P, B) is unseen ("Getty Photos"); (2) after a lower-case word, a
usual name word X whose bigram with the next word is attested and far more likely ("the Home
voted"); (3) a function word capitalised right after a name word and followed by lower-case
words of a thesaurus phrase ("Russia At this time"). Headline-like sentences are skipped.
"""

from __future__ import annotations

import numpy as np

from mtdetect.analysis import Analysis
from mtdetect.features._swap_findings import context_phrase, make_findings, observed, phrase_of
from mtdetect.features.base import FeatureFamily, Rule, per_1000
from mtdetect.findings import Finding
from mtdetect.lexicon import OPENING_DETERMINERS, TITLE_END_WORDS
from mtdetect.swaps import CandidateTable, candidates
from mtdetect.swapscore import FEATURES, SpanScores, models, scores_many
from mtdetect.text import Document
from mtdetect.wording import times

_UNCAPITALISED = "(a word English does not capitalise mid-sentence)"
BROKEN = Rule(
    id="name.broken",
    kind="name",
    severity="warning",
    catches='a name with a word swapped for a thesaurus neighbour ("the White Home", '
    '"Getty Photos", "Russia At this time")',
    reasons={
        "expected": "'{observed}' inside a name where '{name}' is expected",
        "expected-likely": "'{observed}' inside a name where '{name}' is expected: "
        "'{good}' is {ratio} more likely",
        "uncapitalised": "'{observed}' inside a name where '{name}' is expected " + _UNCAPITALISED,
        "uncapitalised-likely": "'{observed}' inside a name where '{name}' is expected "
        + _UNCAPITALISED
        + ": '{good}' is {ratio} more likely",
        "function-word": "'{observed}' inside a name starts with a word English does not "
        "capitalise mid-sentence: the name is likely '{name}'",
    },
    flags=(
        "Members of the Home of Representatives voted on Friday.",
        "The White Home said the president would travel to Ohio on Monday.",
        "She was elected to the United Nations Safety Council last year.",
        "The picture was supplied by Getty Photos for the story.",
        "The Senate Majority Chief said the bill would pass.",
        "He gave an interview to Russia At this time last week.",
        "The bill passed after the Home voted on Friday.",
        "The Home voted on Tuesday night to add bus lanes.",
    ),
    passes=(
        "Members of the House of Representatives voted on Friday.",
        "The House voted on Tuesday night to add bus lanes.",
        "The Home Office said on Monday it would review the rules.",
        "The White House said the president would travel to Ohio on Monday.",
        "The Prime Minister met the Chancellor of the Exchequer at Downing Street.",
        "The picture was supplied by Getty Images for the story.",
        "The Senate Majority Leader said the bill would pass.",
        "He gave an interview to Russia Today last week.",
        "The bill passed after the House voted on Friday.",
    ),
)
# case rule (measured on train/valid): LM gain of the candidate ≥ 1.5 (log10), the candidate
# is capitalised mid-sentence ≥ 10% of the time in human text, the observed word ≤ 5%
CASE_DELTA = 1.5
CASE_A_CAP = 0.1
CASE_B_CAP = 0.05
_DELTA = FEATURES.index("delta")
_A_CAP = FEATURES.index("a_cap")
_B_CAP = FEATURES.index("b_cap")
_LOW_CAP = FEATURES.index("b_low_cap")
# name rule: inside a capitalised sequence, a candidate X (full candidate list) whose bigram
# with the capitalised word before it is attested and sharp ("Getty Images", "Majority
# Leader") while the observed bigram is unseen ("Getty Photos")
NAME_GAIN = 2.5  # log10 P(X | prev) - log10 P(B | prev)
NAME_PMI = 2.0  # log10 PMI of (prev, X)
NAME_RIGHT = -1.0  # the word after the span must not become much less likely with X
NAME_B_CAP = 0.12  # B capitalised mid-sentence at most this often (else a usual name word)
NAME_A_CAP = 0.3  # X a usual name word ...
NAME_GAIN_STRONG = 3.2  # ... or the bigram gain at least this
RIGHT_GAIN = 1.5  # cue "right": log10 P(next | X) - log10 P(next | B)
RIGHT_PMI = 0.8  # and (X, next) a collocation
# a capitalised first word people almost never capitalise mid-sentence ("At" in "Russia At
# this time") followed by lower-case words of the same span, right after a capitalised word
FUNC_CAP = 0.02
FUNC_MIN_N = 50


class BrokenNames(FeatureFamily):
    name = "broken_names"
    explanation = "names with a word swapped"
    decision_rules = {"spun/flags": ("broken_names_per_1000",)}
    version = "4"
    feature_names = (
        "broken_names_per_1000",
        "name_span_score_max",
        "name_span_score_mean",
        "name_low_cap_per_1000",
        "name_spans_share",
    )
    rules = (BROKEN,)

    def measure(self, a: Analysis) -> tuple[list[float], list[Finding]]:
        return self.measure_many([a])[0]

    def measure_many(self, analyses):
        """The names model run once over the spans of the documents of the batch that have
        capitalised spans mid-sentence (a row's score is its own: the same values as document
        by document)."""
        scs = [a.span_scores if a.doc.n_words else None for a in analyses]
        has = [sc is not None and bool((sc.capital & ~sc.initial).any()) for sc in scs]
        xs = [sc.x for sc, h in zip(scs, has) if h]  # type: ignore[union-attr]
        scores = iter(scores_many(models(analyses[0].res).names, xs) if xs else ())
        return [
            self._measure(a, sc, next(scores) if h else None)
            for a, sc, h in zip(analyses, scs, has)
        ]

    def _measure(
        self, a: Analysis, sc: SpanScores | None, score: np.ndarray | None
    ) -> tuple[list[float], list[Finding]]:
        """Features and findings of a document from the names model's ``score`` of its spans
        (None when it has no capitalised span mid-sentence)."""
        doc = a.doc
        nw = doc.n_words
        empty = [0.0] * len(self.feature_names)
        if nw == 0:
            return empty, []
        model = models(a.res).names
        names = sc.capital & ~sc.initial if sc is not None else None
        findings: list[Finding] = []
        values = empty
        if sc is not None and names is not None and score is not None:
            # case rule: a word people rarely capitalise where the candidate is a usual name word
            x = sc.x
            case_rule = (
                (x[:, _DELTA] >= CASE_DELTA)
                & (x[:, _A_CAP] >= CASE_A_CAP)
                & (x[:, _B_CAP] <= CASE_B_CAP)
            )
            score = np.where(names & case_rule, np.maximum(score, model.threshold), score)
            hits = name_hits(a, sc, names)
            for s in hits:
                score[s] = max(score[s], model.threshold)
            flag = names & (score >= model.threshold)
            override = {s: h[0] for s, h in hits.items()}

            def reason(a: Analysis, s: int, text: str, cand: str) -> str:
                return self._reason(a, hits.get(s), s, text, cand)

            findings = make_findings(a, sc, score, flag, BROKEN, reason, override)
            sn = score[names]
            values = [
                0.0,
                float(sn.max()),
                float(sn.mean()),
                per_1000(float(sc.x[names, _LOW_CAP].sum()), nw),
                float(names.sum()) / nw,
            ]
        for t0, t1, cand in func_hits(a):
            start, end = doc.tokens[t0].start, doc.tokens[t1 - 1].end
            if any(f.start < end and start < f.end for f in findings):
                continue
            obs = doc.text[start:end]
            name = cand[:1].upper() + cand[1:]
            likely = f"{doc.tokens[t0 - 1].norm} {name}"
            reason = BROKEN.reason("function-word", observed=obs, name=likely)
            findings.append(BROKEN.finding(a, start, end, reason, name, model.threshold))
        findings.sort(key=lambda f: f.start)
        values = [per_1000(len(findings), nw), *values[1:]]
        return values, findings

    @staticmethod
    def _reason(a: Analysis, hit: tuple | None, s: int, text: str, cand: str) -> str:
        doc = a.doc
        sc = a.span_scores
        sw = sc.swaps  # type: ignore[union-attr]
        obs = observed(doc, sw, s)
        if hit is not None:
            name = hit[0][:1].upper() + hit[0][1:]
            good = context_phrase(doc, sw, s, name)
            return BROKEN.reason(
                "expected-likely", observed=obs, name=name, good=good, ratio=times(hit[1])
            )
        d = float(sw.delta[sc.best[s]])  # type: ignore[union-attr]
        name = cand[:1].upper() + cand[1:]
        good = context_phrase(doc, sw, s, name)
        how = "uncapitalised" if sc.x[s, _LOW_CAP] > 0 else "expected"  # type: ignore[union-attr]
        if d > 0:
            return BROKEN.reason(
                how + "-likely", observed=obs, name=name, good=good, ratio=times(d)
            )
        return BROKEN.reason(how, observed=obs, name=name)


def name_hits(a: Analysis, sc: SpanScores, names: np.ndarray) -> dict[int, tuple[str, float, str]]:
    """Capitalised single words mid-sentence that the name rules flag, over the FULL candidate
    list: span -> (candidate original, log10 gain, cue).

    Cue "left": right after a capitalised word P, the bigram (P, X) is attested and sharp while
    (P, B) is unseen ("Getty Photos" -> "Getty Images"). Cue "right": after a lower-case word,
    the bigram (X, next) is attested and much more likely than the unseen (B, next), and X is a
    usual name word ("the Home voted" -> "the House voted"). In both, B itself is a word people
    rarely capitalise mid-sentence.
    """
    doc = a.doc
    rs = a.rs
    ct = candidates(a.res)
    sw = sc.swaps
    toks = doc.tokens
    out: dict[int, tuple[str, float, str]] = {}
    # per-token vocabulary / LM ids (as rs.ids / rs.lm_ids of the token) and case rates
    dl = a.lm
    tid = dl.ids
    tlm = np.where(tid < rs.lm_size, tid, -1)
    rate_all, n_all = rs.cap_rate_ids(tid[sw.t0])
    todo: list[tuple] = []
    for s in np.flatnonzero(names).tolist():
        t0, t1 = int(sw.t0[s]), int(sw.t1[s])
        if t0 == 0 or t1 - t0 != 1:
            continue
        prev, first = toks[t0 - 1], toks[t0]
        if not (first.norm[1:].islower() and first.norm.isalpha()):
            continue  # acronyms, numerals
        if not (
            prev.is_word and prev.sent == first.sent and doc.text[prev.end : first.start].isspace()
        ):
            continue
        if a.title_sentences[first.sent]:
            continue
        rate_b, n_b = rate_all[s : s + 1], n_all[s : s + 1]
        if n_b[0] >= 5 and rate_b[0] > NAME_B_CAP:
            continue  # a word people often capitalise: likely part of a real name
        # A capitalised determiner that opens the sentence ("The Home voted") is not a name word.
        sentence_start = t0 - 1 == doc.sentences[first.sent].tok_start
        after_cap = prev.norm[:1].isupper() and not (
            sentence_start and prev.norm.lower() in OPENING_DETERMINERS
        )
        p = int(tlm[t0 - 1])
        bid = int(tid[t0])
        if p < 0 or bid < 0:
            continue
        # the word after the span (same sentence), as an LM id
        nxt = toks[t1] if t1 < len(toks) else None
        nid = -1
        if nxt is not None and nxt.is_word and nxt.sent == first.sent:
            nid = int(tlm[t1])
        todo.append((s, after_cap, int(n_b[0]), p, bid, int(tlm[t0]), nid))
    if not todo:
        return out
    # batched look-ups over all remaining spans (every look-up is element-wise)
    T = np.array([x[2:] for x in todo], dtype=np.int64)  # n_b, p, bid, b0, nid
    P, BID, B0, NID = T[:, 1], T[:, 2], T[:, 3], T[:, 4]
    keys = np.array([CandidateTable.pack([x]) for x in BID.tolist()], dtype=np.uint64)
    ri, found = ct.keys.lookup(keys)
    lo = np.where(found, ct.off[ri], 0).astype(np.int64)
    hi = np.where(found, ct.off[np.minimum(ri + 1, len(ct.off) - 1)], 0).astype(np.int64)
    cnt = hi - lo
    seg = np.concatenate([[0], np.cumsum(cnt)])
    rows = np.repeat(lo - seg[:-1], cnt) + np.arange(int(seg[-1]))
    A = CandidateTable.unpack(ct.a[rows])
    X0 = np.where((A[:, 0] < rs.lm_size) & (A[:, 1] < 0), A[:, 0], -1)  # single words
    span_of = np.repeat(np.arange(len(todo)), cnt)
    PP = P[span_of]
    NN = NID[span_of]
    # one LM call for P(X|prev), P(B|prev), P(next|X), P(next|B), and one for the bigrams seen
    na, ns = len(X0), len(todo)
    cut = np.cumsum([na, ns, na])
    lp, _ = rs.cond_logprob(np.concatenate([X0, B0, NN, NID]), np.concatenate([PP, P, X0, B0]))
    LP_A, LP_B, R_A, R_B = np.split(lp, cut)
    seen = rs.bigram_seen(np.concatenate([X0, B0, P, PP]), np.concatenate([NN, NID, B0, X0]))
    SEEN_XN, SEEN_BN, SEEN_PB, SEEN_PX = np.split(seen, np.cumsum([na, ns, ns]))
    RATE_A, N_A = rs.cap_rate_ids(A[:, 0])
    for j, (s, after_cap, n_b0, _p, _bid, _b0, nid) in enumerate(todo):
        if not found[j]:
            continue
        u, v = int(seg[j]), int(seg[j + 1])
        rows_a = A[u:v]
        x0 = X0[u:v]
        lp_a = LP_A[u:v]
        lp_b = float(LP_B[j])
        gain = lp_a - lp_b
        right = np.zeros(len(rows_a))
        right_seen = np.zeros(len(rows_a), dtype=bool)
        r_pmi = np.zeros(len(rows_a))
        if nid >= 0:
            r_a = R_A[u:v]
            right = r_a - float(R_B[j])
            right_seen = SEEN_XN[u:v] & ~SEEN_BN[j]
            r_pmi = r_a - rs.uni_lp[nid]
        rate_a, n_a = RATE_A[u:v], N_A[u:v]
        cap_a = np.where(n_a >= 5, rate_a, 0.0)  # a rate is nan only where n_a == 0
        if after_cap:
            if SEEN_PB[j]:
                continue
            pmi = lp_a - rs.uni_lp[np.maximum(x0, 0)]
            sharp = (cap_a >= NAME_A_CAP) | (gain >= NAME_GAIN_STRONG)
            ok = (
                (x0 >= 0)
                & sharp
                & SEEN_PX[u:v]
                & (pmi >= NAME_PMI)
                & (gain >= NAME_GAIN)
                & (right >= NAME_RIGHT)
            )
            score = gain + np.minimum(right, 0.0)
            cue = "left"
        else:
            if n_b0 < 5:
                continue
            ok = (
                (x0 >= 0)
                & (cap_a >= NAME_A_CAP)
                & right_seen
                & (right >= RIGHT_GAIN)
                & (r_pmi >= RIGHT_PMI)
                & (gain >= 0.0)
            )
            score = right + gain
            cue = "right"
        if not ok.any():
            continue
        k = int(np.flatnonzero(ok)[np.argmax(score[ok])])
        out[int(s)] = (phrase_of(rs, rows_a[k]), float(score[k]), cue)
    return out


def _after_name(doc: Document, t: int) -> bool:
    """Token ``t`` directly follows a capitalised word of its sentence (space only between)."""
    toks = doc.tokens
    if t == 0:
        return False
    prev, cur = toks[t - 1], toks[t]
    return (
        prev.is_word
        and prev.sent == cur.sent
        and prev.norm[:1].isupper()
        and doc.text[prev.end : cur.start].isspace()
    )


def func_hits(a: Analysis) -> list[tuple[int, int, str]]:
    """Capitalised function-word phrases inside a name ("Russia At this time"): a word people
    almost never capitalise mid-sentence, capitalised right after a capitalised word, followed
    by lower-case words with which it forms a phrase of the candidate table. Returns (first
    token, end token, candidate original) with the candidate the LM prefers between the name
    word before and the word after."""
    doc = a.doc
    rs = a.rs
    ct = candidates(a.res)
    toks = doc.tokens
    out: list[tuple[int, int, str]] = []
    # capitalised words that people almost never capitalise mid-sentence (vectorised filter)
    cap_t = a.wtok[a.cap]
    if not len(cap_t):
        return out
    rate, n = rs.cap_rate_ids(a.lm.ids[cap_t])
    rare = (n >= FUNC_MIN_N) & ~(rate >= FUNC_CAP)  # (nan where n == 0)
    for t in cap_t[rare].tolist():
        tok = toks[t]
        if not tok.norm[1:].islower():
            continue
        if not _after_name(doc, t) or a.title_sentences[tok.sent]:
            continue
        for k in (3, 2):
            span = toks[t : t + k]
            if len(span) < k or not all(
                x.is_word and x.sent == tok.sent and x.norm.islower() for x in span[1:]
            ):
                continue
            if any(not doc.text[x.end : y.start].isspace() for x, y in zip(span, span[1:])):
                continue
            nxt = toks[t + k] if t + k < len(toks) else None
            if (
                nxt is None
                or not (nxt.is_word and nxt.sent == tok.sent and nxt.norm.isalpha())
                or not nxt.norm.islower()
                or span[-1].lower in TITLE_END_WORDS
            ):
                continue  # a title ("Goes to Person", "Due to Covid") rather than a name
            cands = ct.lookup([x.norm for x in span], rs)
            if not cands:
                continue
            prev = rs.lm_ids([toks[t - 1].norm])
            nid = rs.lm_ids([nxt.norm])

            def fit(c: str, prev: np.ndarray = prev, nid: np.ndarray = nid) -> float:
                ids = rs.lm_ids(c.split())
                lp = float(rs.cond_logprob(ids[:1], prev)[0][0])
                if nid[0] >= 0:
                    lp += float(rs.cond_logprob(nid, ids[-1:])[0][0])
                return lp

            out.append((t, t + k, max(cands[:8], key=fit)))
            break
    return out
