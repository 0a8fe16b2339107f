"""``trace``: find the article a text was laundered from, and show the rewrite.

Layers, each pointing down only: ``words`` (content keys, thesaurus links) → ``index``
(retrieval) and ``align`` (sentence alignment) → ``substitutions`` (what changed) → ``pair``
(one suspect/source comparison) → ``relation`` (copy/spun/translated/independent/none and
direction) → ``api`` (library functions) → ``render`` (text/JSON/HTML).
"""

from __future__ import annotations

from mtdetect.trace.api import TraceResult, build_index, trace, trace_one
from mtdetect.trace.index import TraceIndex

__all__ = ["TraceIndex", "TraceResult", "build_index", "trace", "trace_one"]
