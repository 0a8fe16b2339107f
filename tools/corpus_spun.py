"""The spun part of the corpus: which originals each spinner design spins, and its records' meta.

Used by :mod:`tools.build_corpus`. Every design of :mod:`tools.spinners` is a generator
(``meta.generator`` = ``spin:<design>``) that a leave-one-spinner-out evaluation holds out:

* **train / valid**: each chosen original is spun by :data:`DESIGNS_PER_ORIGINAL` of the
  training designs, assigned in rotation over all pairs so that every design gets the same
  number of passages (:data:`SPUN_PER_DESIGN`) and every pair of designs shares originals.
  ``checkonly`` never appears here.
* **test**: each chosen original (:data:`TEST_ORIGINALS`) is spun by *every* design,
  ``checkonly`` included, so designs can be compared on the same passages.

Originals are drawn by register class (:data:`REGISTER_MIX`; :func:`register_class`), a third
of them from passages that were also round-tripped (as before), so one group can hold a text's
human, translated and spun versions. Per passage, options are drawn per design (rate 5-40% of
the design's eligible units, broken names, a/an repair, protected quotations, the design's own
choice) and recorded.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Iterable
from pathlib import Path

from tools import corpus_common as cc
from tools import spinners
from tools.spinners import distributional, tortured_split

DESIGNS_PER_ORIGINAL = 2
SPUN_PER_DESIGN = {"train": 1550, "valid": 280}
TEST_ORIGINALS = 420
RT_SHARE = 1 / 3  # share of spun originals taken from round-tripped passages
REGISTER_MIX = {
    "news": 0.30,
    "fiction": 0.15,
    "science": 0.15,
    "speech": 0.12,
    "web": 0.12,
    "general": 0.16,
}
_BROWN_CLASS = {
    "news": "news",
    "editorial": "news",
    "reviews": "news",
    "fiction": "fiction",
    "mystery": "fiction",
    "science_fiction": "fiction",
    "adventure": "fiction",
    "romance": "fiction",
    "humor": "fiction",
    "learned": "science",
}


def register_class(doc: cc.Doc) -> str:
    """Coarse register of an original document: news, fiction, science, speech, web, general.

    news: WMT sources, CoNLL (WSJ), ABC rural, Brown news/editorial/reviews; fiction: Brown's
    six fiction genres; science: ABC science, Brown learned; speech: chat; web: product
    reviews; general: the other Brown genres (belles lettres, government, hobbies, lore,
    religion).
    """
    if doc.source.endswith("-src") or doc.source == "conll":
        return "news"
    if doc.source == "abc":
        return "science" if doc.meta.get("register") == "abc-science" else "news"
    if doc.source == "brown":
        return _BROWN_CLASS.get(doc.meta.get("genre", ""), "general")
    return {"chat": "speech", "product-reviews": "web"}.get(doc.source, "general")


def _interleave(passages: list[cc.Passage], n: int) -> list[cc.Passage]:
    """Take ``n`` passages (in the given order within each register class) by
    :data:`REGISTER_MIX`; an exhausted class leaves its share to the others."""
    pools: dict[str, list[cc.Passage]] = collections.defaultdict(list)
    for p in passages:
        pools[register_class(p.doc)].append(p)
    return cc.interleave(pools, REGISTER_MIX, n)


def choose(
    shuffled: list[cc.Passage], roundtrip: Iterable[str], split: str, seed: int
) -> dict[str, list[str]]:
    """``pid -> designs`` for the spun originals of one split (``shuffled``: its passages in
    the plan's seeded order)."""
    rt = set(roundtrip)
    if split == "test":
        n_orig = TEST_ORIGINALS
    else:
        n_orig = round(SPUN_PER_DESIGN[split] * len(spinners.TRAIN_DESIGNS) / DESIGNS_PER_ORIGINAL)
    # passages too short to spin (a one-line chat post) would mostly come back unchanged
    pool = [p for p in shuffled if cc.n_words(p.text) >= 8]
    first = _interleave([p for p in pool if p.pid in rt], round(n_orig * RT_SHARE))
    taken = {p.pid for p in first}
    chosen = first + _interleave([p for p in pool if p.pid not in taken], n_orig - len(first))
    if split == "test":
        every = list(spinners.DESIGNS)
        return {p.pid: every for p in chosen}
    combos = list(itertools.combinations(spinners.TRAIN_DESIGNS, DESIGNS_PER_ORIGINAL))
    offset = cc.rng_for(seed, "spin-combos", split).randrange(len(combos))
    return {p.pid: list(combos[(j + offset) % len(combos)]) for j, p in enumerate(chosen)}


def prepare(docs: Iterable[cc.Doc], log: list[str]) -> Path:
    """Build (or reuse) the distributional design's table from the train split's human text."""
    path = distributional.build(distributional.train_texts(docs))
    log.append(f"spun: distributional neighbours {path.name} sha256 {cc.sha256_file(path)[:12]}")
    return path


def spin_meta(design: str, opts: spinners.SpinOptions, result: spinners.SpinResult) -> dict:
    """The spun record's generator, options and counts (merged into its meta)."""
    return {
        "generator": spinners.generator_id(design),
        "rate": opts.rate,
        "options": opts.record(),
        "n_spans": len(result.spans),
        "n_eligible": result.n_eligible,
        "achieved_rate": round(result.rate, 4),
    }


def manifest(root: Path, neighbours: Path | None) -> dict:
    """What the manifest records about the spinners: every design's module sha256 and splits,
    the shared module, the tortured-phrase split, and the resource files."""
    pkg = Path(spinners.__file__).parent
    designs = {
        d: {
            "generator": spinners.generator_id(d),
            "module": str(spinners.module_file(d).relative_to(cc.PROJECT_ROOT)),
            "sha256": cc.sha256_file(spinners.module_file(d)),
            "splits": ["test"] if d in spinners.TEST_ONLY else ["train", "valid", "test"],
            "options": {k: list(v) for k, v in spinners.module(d).OPTIONS.items()},
        }
        for d in spinners.DESIGNS
    }
    shared = {
        str(p.relative_to(cc.PROJECT_ROOT)): cc.sha256_file(p)
        for p in sorted([*pkg.glob("common.py"), *pkg.glob("tortured_split.py")])
        + [cc.PROJECT_ROOT / "tools" / "inflect.py", cc.PROJECT_ROOT / "tools" / "thesaurus.py"]
    }
    resources = {}
    mythes = Path("/usr/share/mythes/th_en_US_v2.dat")
    for name, path in (("mythes", mythes), ("neighbours", neighbours)):
        if path is not None and path.is_file():
            resources[name] = {"path": str(path), "sha256": cc.sha256_file(path)}
    tortured = tortured_split.default_path(root)
    return {
        "designs": designs,
        "shared_modules": shared,
        "resources": resources,
        "tortured_split": tortured_split.summary(tortured) if tortured.is_file() else None,
        "plan": {
            "designs_per_original": DESIGNS_PER_ORIGINAL,
            "spun_per_design": SPUN_PER_DESIGN,
            "test_originals": TEST_ORIGINALS,
            "register_mix": REGISTER_MIX,
        },
    }
