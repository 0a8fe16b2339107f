"""Compatibility shim: the thesaurus spinner moved to :mod:`tools.spinners.thesaurus`.

Kept so that ``from tools.spinner import spin, STOPWORDS, ...`` keeps working; new code should
use :mod:`tools.spinners` (every spinner design) or the design module itself.
"""

from tools.spinners.common import FUNCTION_ADVERBS, STOPWORDS, SpinResult
from tools.spinners.thesaurus import (
    CONFIGS,
    Resources,
    Spinner,
    get_spinner,
    load_resources,
    load_tortured,
    spin,
)

__all__ = [
    "CONFIGS",
    "FUNCTION_ADVERBS",
    "STOPWORDS",
    "Resources",
    "SpinResult",
    "Spinner",
    "get_spinner",
    "load_resources",
    "load_tortured",
    "spin",
]

if __name__ == "__main__":
    from tools.spinners.thesaurus import _main

    _main()
