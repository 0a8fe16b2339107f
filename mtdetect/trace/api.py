"""Library entry points of ``trace``: find each suspect's source and explain the rewrite.

>>> from mtdetect.trace import trace                                   # doctest: +SKIP
>>> [r.to_dict() for r in trace([("a.txt", text_a), ("b.txt", text_b)])]  # doctest: +SKIP

Functions return data and never exit; the CLI renders them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from mtdetect.trace.index import TraceIndex
from mtdetect.trace.pair import Comparison, compare
from mtdetect.trace.relation import REWRITES, RelationModel, load_relation_model
from mtdetect.trace.substitutions import Change, Substitution

#: Columns ``label --trace`` adds to each row.
TRACE_COLUMNS = ("source", "relation")
#: Candidates (best retrieved first) whose relation is judged before the best one is chosen.
JUDGED = 3


@dataclass
class TraceResult:
    """What ``trace`` found for one suspect (see :meth:`to_dict` for the JSON fields)."""

    path: str
    source: str | None
    relation: str
    direction: str | None
    similarity: float
    candidates: list[dict] = field(default_factory=list)
    aligned: list[dict] = field(default_factory=list)
    substitutions: list[Substitution] = field(default_factory=list)
    probabilities: dict[str, float] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)  # every change, with both offsets
    suspect_text: str = ""
    source_text: str = ""

    @property
    def is_rewrite(self) -> bool:
        """The suspect is a rewrite of its source (not the other way round)."""
        return self.relation in REWRITES and self.direction != "source-rewrites-suspect"

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "source": self.source,
            "relation": self.relation,
            "direction": self.direction,
            "similarity": round(self.similarity, 4),
            "candidates": self.candidates,
            "aligned": self.aligned,
            "substitutions": [s.to_dict() for s in self.substitutions],
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
        }


def _rewrite_mass(p: dict[str, float]) -> float:
    return sum(p[k] for k in REWRITES)


def trace_one(
    path: str,
    text: str,
    index: TraceIndex,
    top: int = 5,
    exclude: Sequence[int] = (),
    detector=None,
    model: RelationModel | None = None,
) -> TraceResult:
    """Trace one suspect against an index: candidates, the best one's relation and direction,
    aligned sentences and substitutions. ``detector`` (a :class:`mtdetect.Detector`) scores both
    texts for the direction; without one the direction rests on the substitutions alone."""
    model = model or load_relation_model()
    hits = index.search(text, max(top, JUDGED), exclude=exclude)
    cands = [{"path": index.paths[h.doc], "similarity": round(h.similarity, 4)} for h in hits]
    if not hits:
        return TraceResult(path, None, "none", None, 0.0, [], suspect_text=text)
    best: tuple[float, int, Comparison, dict] | None = None
    for rank, h in enumerate(hits[:JUDGED]):
        c = compare(text, index.text(h.doc))
        p = model.relation_proba_of(c)
        key = _rewrite_mass(p)
        if best is None or key > best[0] + 0.25:  # a lower-ranked hit must be clearly better
            best = (key, rank, c, p)
    _, rank, c, _ = best
    h = hits[rank]
    reports = None
    if detector is not None:
        reports = tuple(detector.analyze_many([text, c.b.text]))
    v = model.judge(c, reports)
    related = v.relation != "none"
    return TraceResult(
        path=path,
        source=index.paths[h.doc],
        relation=v.relation,
        direction=v.direction,
        similarity=h.similarity,
        candidates=cands[:top],
        aligned=c.aligned() if related else [],
        substitutions=c.substitutions if v.relation in REWRITES else [],
        probabilities=v.probabilities,
        changes=c.changes if v.relation in REWRITES else [],
        suspect_text=text,
        source_text=c.b.text,
    )


_STATE: dict = {}  # what forked workers of trace() read (set just before the pool starts)


def _work(i: int) -> TraceResult:
    s = _STATE
    det = s.get("detector")
    if det is None and s.get("detector_path") is not False:
        from mtdetect.persistence import load_model

        det = s["detector"] = load_model(s.get("detector_path"))
    path, text = s["suspects"][i]
    return trace_one(path, text, s["index"], s["top"], s["exclude"][i], det, s["model"])


def trace(
    suspects: Sequence[tuple[str, str]],
    against: Sequence[tuple[str, str]] | TraceIndex | None = None,
    top: int = 5,
    detector=None,
    jobs: int = 1,
    model: RelationModel | None = None,
    detector_path: str | os.PathLike[str] | None | bool = False,
) -> list[TraceResult]:
    """Trace ``(path, text)`` suspects against sources (pairs or a saved index), or — with
    ``against=None`` — against each other. ``detector`` (or ``detector_path``, loaded in each
    worker when ``jobs`` > 1) gives the direction its strongest evidence."""
    model = model or load_relation_model()
    if against is None:
        index = TraceIndex.build(suspects)
        exclude = [[i] for i in range(len(suspects))]
    else:
        # a suspect is never its own source: sources with the same real path are left out
        index = against if isinstance(against, TraceIndex) else TraceIndex.build(against)
        pos: dict[str, list[int]] = {}
        for i, p in enumerate(index.paths):
            pos.setdefault(os.path.realpath(p), []).append(i)
        exclude = [pos.get(os.path.realpath(p), []) for p, _ in suspects]
    if detector is None and detector_path is not False and jobs <= 1:
        from mtdetect.persistence import load_model

        detector = load_model(detector_path or None)
    _STATE.clear()
    _STATE.update(
        suspects=list(suspects),
        index=index,
        top=top,
        exclude=exclude,
        model=model,
        detector=detector,
        detector_path=detector_path if detector is None else False,
    )
    try:
        if jobs > 1 and len(suspects) > 1:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as pool:
                return list(pool.map(_work, range(len(suspects)), chunksize=4))
        return [_work(i) for i in range(len(suspects))]
    finally:
        _STATE.clear()


def label_columns(r: TraceResult) -> dict:
    """The ``source`` and ``relation`` cells of a ``label --trace`` row."""
    if r.source is None or r.relation == "none":
        return {"source": "", "relation": "none"}
    return {"source": r.source, "relation": r.relation}


def trace_files(
    paths: Sequence[str], encoding: str | None, max_bytes: int, detector=None
) -> dict[str, dict]:
    """``label --trace``: the ``source`` and ``relation`` cells of each readable file, the files
    traced against each other (unreadable ones are left to ``label``'s own error rows)."""
    from mtdetect.inputs import InputError, check_text, read_text_file

    items = []
    for p in paths:
        try:
            text = read_text_file(p, encoding, max_bytes)
            check_text(text, p)
        except InputError:
            continue
        items.append((p, text))
    if len(items) < 2:
        return {p: {"source": "", "relation": "none"} for p, _ in items}
    return {r.path: label_columns(r) for r in trace(items, None, detector=detector)}


def build_index(items, chunk: int = 2000) -> TraceIndex:
    """An index of ``(path, text)`` sources (save it with ``.save(folder)``)."""
    return TraceIndex.build(items, chunk)
