"""The words a distorted idiom may swap in for one of its content words (build time only).

A distortion keeps the idiom and changes one word for a word *of the same kind*: a synonym, a
broader or narrower word, a sister term ("peas" for "beans", "hall" for "room"), a part or the
whole ("teeth" for "mouth"), a related quality ("purple" for "blue") or a word used in the same
contexts. This module finds them in two sources:

- Open English WordNet (the YAML source; CC BY 4.0, derived from Princeton WordNet): synsets,
  hypernyms, similar-to, meronyms (part, member, substance) and the lexicographer file of each
  synset (``noun.animal``, ``noun.body``...).
- a word space learned from the reference LM's bigram table (:mod:`mtdetect.refstats`, derived
  from the CMU US-English LM): positive PMI of each word with the words just before and just
  after it, reduced by truncated SVD. Its cosine ranks WordNet's large sets of sister terms
  (a word has dozens: "room" has 60) so that the ones used like the word come first, and adds
  close neighbours WordNet does not link ("rifle" for "bullet").

Relation codes (``idiom_related.tsv``): ``s`` synonym, ``h`` broader, ``o`` narrower, ``c``
sister term (same broader word), ``k`` cousin (two levels up), ``p`` part or whole (or another
part of the same whole), ``d`` distributional neighbour, ``t`` team addition.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import numpy as np

from mtdetect import refstats
from mtdetect.idiomatch import DETERMINERS
from mtdetect.lexicon import GRAMMAR_WORDS as FUNCTION_WORDS
from mtdetect.morphology import labelled_forms, word_forms
from mtdetect.morphology.forms import irregular_bases

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "data" / "cache"
_MERONYMS = ("mero_part", "mero_member", "mero_substance")
_LEMMA = re.compile(r"[a-z][a-z'\-]*( [a-z][a-z'\-]*){0,2}")


class WordNet:
    """A minimal reader of the OEWN YAML source: senses in order, members, hypernyms, similar
    sets, meronyms (and their inverse) and the lexicographer file of each synset."""

    def __init__(self, yaml_dir: Path) -> None:
        self.senses: dict[str, list[str]] = defaultdict(list)  # lemma → synset ids in order
        self.members: dict[str, list[str]] = {}
        self.lexname: dict[str, str] = {}
        self.hyper: dict[str, list[str]] = defaultdict(list)
        self.hypo: dict[str, list[str]] = defaultdict(list)
        self.similar: dict[str, list[str]] = defaultdict(list)
        self.parts: dict[str, list[str]] = defaultdict(list)
        self.wholes: dict[str, list[str]] = defaultdict(list)
        for f in sorted(yaml_dir.glob("entries-*.yaml")):
            self._read_entries(f)
        for f in sorted(yaml_dir.glob("*.yaml")):
            if f.name.split(".")[0] in {"noun", "verb", "adj", "adv"}:
                self._read_synsets(f)
        for s, hs in self.hyper.items():
            for h in hs:
                self.hypo[h].append(s)
        for w, ps in self.parts.items():
            for p in ps:
                self.wholes[p].append(w)

    def _read_entries(self, path: Path) -> None:
        lemma = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith(" "):
                lemma = line.rstrip(":").strip("'\"").lower()
            elif line.startswith("      synset:") and lemma:
                self.senses[lemma].append(line.split(":", 1)[1].strip())

    def _read_synsets(self, path: Path) -> None:
        lexname = path.name.removesuffix(".yaml")
        cur = None
        key = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith(" "):
                cur = line.rstrip(":").strip("'")
                self.members[cur] = []
                self.lexname[cur] = lexname
                key = None
            elif line.startswith("  ") and not line.startswith("  -") and line.endswith(":"):
                key = line.strip().rstrip(":")
            elif line.startswith("  ") and not line.startswith("  -"):
                key = None
            elif line.startswith("  - ") and cur:
                val = line[4:].strip().strip("'\"")
                if key == "members":
                    self.members[cur].append(val)
                elif key in ("hypernym", "instance_hypernym"):
                    self.hyper[cur].append(val)
                elif key == "similar":
                    self.similar[cur].append(val)
                elif key in _MERONYMS:
                    self.parts[cur].append(val)

    def lookup(self, word: str) -> list[str]:
        """Synsets of ``word``: of its irregular base first ("teeth" is first "tooth"), then of
        the word, then of naive base forms of inflected words."""
        # an irregular plural's singular first ("teeth" → tooth, not "bit" → bite)
        cands = [b for b in irregular_bases().get(word, ()) if word in labelled_forms(b)["s"]]
        cands.append(word)
        if word.endswith("ies"):
            cands.append(word[:-3] + "y")
        if word.endswith("es"):
            cands.append(word[:-2])
        if word.endswith("s"):
            cands.append(word[:-1])
        if word.endswith("ed"):
            cands += [word[:-2], word[:-1]]
        if word.endswith("ing"):
            cands += [word[:-3], word[:-3] + "e"]
        out: list[str] = []
        for i, c in enumerate(cands):
            for s in self.senses.get(c, []):
                if s not in out:
                    out.append(s)
            if out and i >= cands.index(word):
                break
        return out

    def poses(self, word: str) -> set[str]:
        """Parts of speech (n, v, a, r) WordNet has for ``word``."""
        return {_pos(s) for s in self.lookup(word)}

    def lexnames(self, word: str, pos: str = "n") -> list[str]:
        """Lexicographer files of the senses of ``word`` of part of speech ``pos``, in order."""
        return [self.lexname.get(s, "") for s in self.lookup(word) if _pos(s) == pos]


def _pos(synset: str) -> str:
    return "a" if synset[-1] == "s" else synset[-1]


class Space:
    """Unit word vectors of the reference LM's words: PPMI of each word with the word before
    and the word after it (from the bigram table), truncated SVD.

    Built in about 30 s and cached in ``data/cache`` under a fingerprint of the LM tables."""

    DIM = 200
    CONTEXTS = 20000

    def __init__(self) -> None:
        rs = refstats.load()
        self.vocab = rs.vocab
        self.lm_size = rs.lm_size
        meta = (refstats.resources.resource_path(refstats.DIR) / "meta.json").read_bytes()
        tag = hashlib.sha1(meta + f"{self.DIM}:{self.CONTEXTS}".encode()).hexdigest()[:12]
        path = CACHE / f"idiom-space-{tag}.npy"
        if path.is_file():
            self.vectors = np.load(path)
        else:
            self.vectors = self._build(rs)
            CACHE.mkdir(parents=True, exist_ok=True)
            np.save(path, self.vectors)

    def _build(self, rs: refstats.RefStats) -> np.ndarray:
        from scipy import sparse
        from sklearn.utils.extmath import randomized_svd

        key = np.asarray(rs.big_key, dtype=np.int64)
        w1, w2 = key >> 16, key & 0xFFFF
        uni = np.asarray(rs.uni_lp, dtype=np.float64)
        pmi = -np.asarray(rs.big_lp, dtype=np.float64) * rs.lp_step - uni[w2]
        keep = (w1 > 1) & (w2 > 1) & (pmi > 0)  # not <s>, </s>; positive PMI only
        w1, w2, pmi = w1[keep], w2[keep], pmi[keep]
        rank = np.empty(rs.lm_size, dtype=np.int64)
        rank[np.argsort(-uni[: rs.lm_size], kind="stable")] = np.arange(rs.lm_size)
        left, right = rank[w1] < self.CONTEXTS, rank[w2] < self.CONTEXTS
        rows = np.concatenate([w2[left], w1[right]])
        cols = np.concatenate([rank[w1[left]], self.CONTEXTS + rank[w2[right]]])
        vals = np.concatenate([pmi[left], pmi[right]])
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(rs.lm_size, 2 * self.CONTEXTS))
        u, s, _ = randomized_svd(m, n_components=self.DIM, n_iter=4, random_state=0)
        e = u * np.sqrt(s)
        e /= np.linalg.norm(e, axis=1, keepdims=True) + 1e-9
        return e.astype(np.float32)

    def vector(self, word: str) -> np.ndarray | None:
        """The vector of ``word`` (or of its plural / singular form), ``None`` if unknown."""
        for w in (word, word + "s", word.removesuffix("s")):
            i = self.vocab.get(w, -1)
            if 0 <= i < self.lm_size:
                return self.vectors[i]
        return None

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        return float(va @ vb) if va is not None and vb is not None else 0.0

    def neighbours(self, word: str, k: int) -> list[tuple[str, float]]:
        """The ``k`` nearest LM words of ``word`` by cosine."""
        v = self.vector(word)
        if v is None:
            return []
        sims = self.vectors @ v
        top = np.argpartition(-sims, k + 1)[: k + 1]
        words = refstats.load().words
        return sorted(((words[i], float(sims[i])) for i in top), key=lambda x: -x[1])


@cache
def _british() -> dict[str, list[str]]:
    rs = refstats.load()
    out: dict[str, list[str]] = defaultdict(list)
    for uk, us in rs.us_map.items():
        out[rs.words[us]].append(rs.words[uk])
    return out


_SPELLINGS = ((r"ers?$", "er", "re"), (r"ors?$", "or", "our"), (r"iz(e|es|ed|ing)$", "iz", "is"))


def british(word: str) -> list[str]:
    """The British spellings of an American word ("meters" → metres, "color" → colour): the
    reference tables' spelling map, and the regular -er/-or/-ize endings when the British form
    is a word of the tables."""
    if " " in word:
        return []
    out = list(_british().get(word, []))
    vocab = refstats.load().vocab
    for pat, us, uk in _SPELLINGS:
        m = re.search(pat, word)
        if m:
            alt = word[: m.start()] + m.group().replace(us, uk, 1)
            if alt != word and alt in vocab and alt not in out:
                out.append(alt)
    return out


class Relatives:
    """The relatives of idiom words, from WordNet ranked by the word space (see the module
    docstring). ``find(word, pos)`` returns ``[(lemma, relation code)]``, closest first."""

    def __init__(
        self,
        wn: WordNet,
        space: Space,
        sisters: int = 25,
        cousins: int = 8,
        parts: int = 12,
        neighbours: int = 16,
        min_cousin: float = 0.45,
        min_neighbour: float = 0.6,
    ) -> None:
        self.wn = wn
        self.space = space
        self.sisters = sisters
        self.cousins = cousins
        self.parts = parts
        self.neighbours = neighbours
        self.min_cousin = min_cousin
        self.min_neighbour = min_neighbour

    def _lemmas(self, synsets: list[str]) -> list[str]:
        return [m for s in synsets for m in self.wn.members.get(s, [])]

    def _ranked(self, word: str, lemmas: list[str], n: int, floor: float = -1.0) -> list[str]:
        """The ``n`` lemmas used most like ``word`` (cosine), those at or above ``floor``."""
        scored = sorted(
            dict.fromkeys(lemmas), key=lambda m: -self.space.cosine(word, m.replace(" ", "-"))
        )
        return [m for m in scored if self.space.cosine(word, m) >= floor][:n]

    def find(self, word: str, pos: str | None = None, cap: int = 120) -> list[tuple[str, str]]:
        wn = self.wn
        senses = [s for s in wn.lookup(word) if pos is None or _pos(s) == pos]
        if pos == "a":
            # a colour or other quality is also a noun whose sisters are its kin ("purple")
            senses += [s for s in wn.lookup(word) if _pos(s) == "n"][:1]
        out: dict[str, str] = {}

        def add(lemmas: list[str], rel: str) -> None:
            for m in lemmas:
                out.setdefault(m, rel)

        first, top = senses[:1], senses[:2]
        add(self._lemmas(senses[:4]), "s")
        add(self._lemmas([x for s in top for x in wn.similar.get(s, [])]), "s")
        add(self._lemmas([h for s in top for h in wn.hyper.get(s, [])]), "h")
        hypo = [x for s in first for x in wn.hypo.get(s, [])]
        hypo += [y for x in hypo for y in wn.hypo.get(x, [])]  # "pine" for "tree"
        add(self._ranked(word, self._lemmas(hypo), self.sisters), "o")
        sib = [x for s in first for h in wn.hyper.get(s, []) for x in wn.hypo.get(h, [])]
        add(self._ranked(word, self._lemmas(sib), self.sisters), "c")
        grand = [g for s in first for h in wn.hyper.get(s, []) for g in wn.hyper.get(h, [])]
        cousins = [y for g in grand for x in wn.hypo.get(g, []) for y in wn.hypo.get(x, [])]
        add(self._ranked(word, self._lemmas(cousins), self.cousins, self.min_cousin), "k")
        whole = [w for s in top for w in wn.wholes.get(s, [])]
        part = [p for s in top for p in wn.parts.get(s, [])]
        co_parts = [p for w in whole for p in wn.parts.get(w, [])]
        add(self._ranked(word, self._lemmas(whole + part + co_parts), self.parts), "p")
        if pos in ("n", "a", "v", None):
            near = [
                w
                for w, c in self.space.neighbours(word, 4 * self.neighbours)
                if c >= self.min_neighbour and (pos is None or pos in wn.poses(w))
            ]
            add(near[: self.neighbours], "d")
        forms = word_forms(word)
        res = []
        for m, rel in out.items():
            ml = m.lower()
            if m != ml or ml in forms or ml in FUNCTION_WORDS or ml in DETERMINERS:
                continue
            if not _LEMMA.fullmatch(ml):
                continue
            if any(t in forms for t in ml.split()) or ml.startswith(word[:4]) and len(word) > 4:
                continue  # "bucket shop", "beanstalk": the word itself, not a relative
            res.append((ml, rel))
        order = {"s": 0, "h": 1, "o": 2, "c": 3, "p": 4, "k": 5, "d": 6}
        res.sort(key=lambda x: order[x[1]])
        return res[:cap]
