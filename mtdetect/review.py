"""The report path: one text in, the report a person reads out.

:func:`review` masks what is not prose (:mod:`mtdetect.markup`), has the detector analyse the
rest, scores each paragraph (:mod:`mtdetect.paragraphs`), drops the flags the configuration
turns off (rules not selected, accepted terms, ``ignore`` directives) and stamps the report with
the tool version and the model's sha256. Configuration changes the verdict only through its
``threshold``; the rest decides which flags are shown and counted by ``fail-on``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from mtdetect import markup, paragraphs
from mtdetect.config import Config
from mtdetect.detector import Detector
from mtdetect.findings import SEVERITIES, Finding, Report
from mtdetect.inputs import InputError
from mtdetect.rules import enabled
from mtdetect.spanmerge import merge
from mtdetect.version import __version__


def review(
    det: Detector,
    text: str,
    path: str = "-",
    config: Config = Config(),
    markdown: bool | None = None,
    by_paragraph: bool = True,
) -> Report:
    """The report on ``text``: verdict, flags kept by ``config``, paragraphs, provenance.

    ``markdown`` None: by the suffix of ``path``. InputError when nothing is left to score."""
    out = review_many(det, [(text, path)], config, markdown, by_paragraph)[0]
    if isinstance(out, InputError):
        raise out
    return out


def review_many(
    det: Detector,
    items: Sequence[tuple[str, str]],
    config: Config = Config(),
    markdown: bool | None = None,
    by_paragraph: bool = True,
) -> list[Report | InputError]:
    """:func:`review` of each (text, path) of ``items``, in order (the InputError of a text
    with nothing left to score in its place), the texts analysed in one batch
    (:meth:`~mtdetect.detector.Detector.analyze_many`)."""
    masked: list[markup.Masked | InputError] = []
    for text, path in items:
        try:
            masked.append(prose(text, path, markdown))
        except InputError as e:
            masked.append(e)
    ok = [i for i, m in enumerate(masked) if not isinstance(m, InputError)]
    reps = det.analyze_many(
        [masked[i].text for i in ok],  # type: ignore[union-attr]
        [items[i][1] for i in ok],
        config.threshold,
        explain=True,
    )
    out: list[Report | InputError] = list(masked)  # type: ignore[arg-type]
    for i, rep in zip(ok, reps):
        m, text = masked[i], items[i][0]
        assert isinstance(m, markup.Masked)
        if m.text is not text:
            rep = markup.restore_text(rep, text)
        rep = keep_flags(rep, m, config)
        if by_paragraph:
            rep.paragraphs = paragraphs.score(det, m.text, rep, config.threshold)
        rep.tool_version = __version__
        rep.model_sha256 = str(det.card.get("sha256", ""))
        out[i] = rep
    return out


def prose(text: str, path: str = "-", markdown: bool | None = None) -> markup.Masked:
    """``text`` masked for analysis (Markdown by the suffix of ``path`` when ``markdown`` is
    None); InputError when masking leaves no word to score."""
    md = markup.is_markdown(path) if markdown is None else markdown
    masked = markup.mask(text, md)
    if masked.text is not text and not any(c.isalnum() for c in masked.text):
        raise InputError(
            f"{path}: nothing to score once code, URLs, front matter and `mtdetect off` "
            "regions are left out"
        )
    return masked


def keep_flags(rep: Report, masked: markup.Masked, config: Config) -> Report:
    """``rep`` without the flags ``config`` and the directives of ``masked`` turn off (and
    without the sentence reasons that only those flags gave)."""
    accepted = _accepted_spans(masked.original, config.accept)

    def keep(f: Finding) -> bool:
        return (
            enabled(f.rule, config.select, config.ignore)
            and not masked.ignored(f.rule, f.start, f.end)
            and not any(f.start < e and s < f.end for s, e in accepted)
        )

    def unfold(f: Finding) -> list[Finding]:
        """``f`` if kept (naming only kept rules in ``also``), else the findings it absorbed
        that are kept (each with its text still that of the original: offsets unmoved)."""
        if keep(f):
            also = tuple(r for r in f.also if enabled(r, config.select, config.ignore))
            return [f if also == f.also else replace(f, also=also)]
        return [o for o in f.absorbed if keep(o) and masked.original[o.start : o.end] == o.text]

    kept = merge([o for f in rep.flags for o in unfold(f)])
    if kept == rep.flags:
        return rep
    dropped = {f.reason for f in rep.flags} - {f.reason for f in kept}
    sentences = []
    for s in rep.sentences:
        reasons = tuple(r for r in s.reasons if r not in dropped)
        if reasons:
            sentences.append(replace(s, reasons=reasons))
    return replace(rep, flags=kept, sentences=sentences)


def fails(rep: Report, fail_on: str) -> bool:
    """Whether ``rep`` makes the exit status 1: a non-human verdict, or a flag of severity
    ``fail_on`` or stronger (never, with ``fail_on == "never"``)."""
    if rep.label != "human":
        return True
    if fail_on not in SEVERITIES:
        return False
    worst = SEVERITIES.index(fail_on)
    return any(SEVERITIES.index(f.severity) <= worst for f in rep.flags)


def _accepted_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    if not terms:
        return []
    return [m.span() for m in _terms_re(terms).finditer(text)]


@cache
def _terms_re(terms: tuple[str, ...]) -> re.Pattern:
    alts = sorted((r"\s+".join(map(re.escape, t.split())) for t in terms), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)
