"""Spinner designs that make the ``spun`` class of the corpus; one module per design.

Each design differs in *how* it chooses substitutes, so that each can be held out of training
as a unit (leave-one-spinner-out):

==================  ===========================================================================
``commercial``      context-free dictionary look-ups, multi-word renderings (MyThes + a table)
``distributional``  nearest neighbours in a co-occurrence word space (often not synonyms)
``tortured_map``    word maps mined from real spinner output (PPS tortured phrases, train part)
``thesaurus``       random thesaurus synonyms of the first senses (the original spinner)
``contextual``      the thesaurus candidate the reference trigram LM likes best in context
``checkonly``       WordNet graph walks, derivation, phrase rewrites: TEST SPLIT ONLY
==================  ===========================================================================

Shared, design-neutral machinery is in :mod:`tools.spinners.common`. Use::

    from tools.spinners import draw, spin
    opts = draw("commercial", rng)            # per-passage options (rate, switches, choice)
    result = spin("commercial", text, seed, opts)
    result.text, result.spans                 # spans: (start, end, original) in the spun text

Every spin is deterministic for (design, text, options, seed).
"""

from __future__ import annotations

import importlib
import random
from pathlib import Path
from typing import Any

from tools.spinners.common import SpinOptions, SpinResult, draw_options

#: design id -> module (under tools.spinners)
DESIGNS: dict[str, str] = {
    "commercial": "tools.spinners.commercial",
    "distributional": "tools.spinners.distributional",
    "tortured_map": "tools.spinners.tortured_map",
    "thesaurus": "tools.spinners.thesaurus",
    "contextual": "tools.spinners.contextual",
    "checkonly": "tools.spinners.checkonly",
}
#: Designs that may be used in train/valid; ``checkonly`` is for the test split only.
TRAIN_DESIGNS = ("commercial", "distributional", "tortured_map", "thesaurus", "contextual")
TEST_ONLY = ("checkonly",)

_LOADED: dict[str, Any] = {}


def generator_id(design: str) -> str:
    """The corpus's ``meta.generator`` of a design ("spin:commercial")."""
    return f"spin:{design}"


def module(design: str) -> Any:
    """The module of a design."""
    if design not in DESIGNS:
        raise KeyError(f"unknown spinner design {design!r}; have {sorted(DESIGNS)}")
    return importlib.import_module(DESIGNS[design])


def module_file(design: str) -> Path:
    """The source file of a design (its sha256 goes into the corpus manifest)."""
    return Path(module(design).__file__)


def get(design: str, **kwargs: Any) -> Any:
    """The loaded design object (resources loaded once per process; ``kwargs`` go to the
    module's ``load``: ``data=`` the shared data root, which every design accepts)."""
    key = f"{design}|{sorted(kwargs.items())}"
    if key not in _LOADED:
        _LOADED[key] = module(design).load(**kwargs)
    return _LOADED[key]


def draw(design: str, rng: random.Random) -> SpinOptions:
    """Per-passage options of a design: rate 5-40%, switches, and one value of each of the
    design's own choices (its module's ``OPTIONS``)."""
    return draw_options(rng, module(design).OPTIONS)


def spin(design: str, text: str, seed: int, opts: SpinOptions, **kwargs: Any) -> SpinResult:
    """Spin ``text`` with a design; deterministic for (design, text, opts, seed)."""
    return get(design, **kwargs).spin(text, seed, opts)


__all__ = [
    "DESIGNS",
    "TEST_ONLY",
    "TRAIN_DESIGNS",
    "SpinOptions",
    "SpinResult",
    "draw",
    "generator_id",
    "get",
    "module",
    "module_file",
    "spin",
]
