"""Build the shipped English-idiom tables from public data (build time only).

Reads ``idioms/english-idioms.txt`` (npm package ``idioms`` 0.0.2, Joe Gesualdo, MIT) and the Open
English WordNet YAML source (CC BY 4.0) from the data folder and writes:

- ``mtdetect/resources/idioms_en.tsv``: cleaned canonical idioms as match patterns (slots
  ``{sb}`` / ``{self}``; articles and possessives are one class at match time), whether a content
  word may be swapped, and the swaps that the CMU trigram LM says are ordinary English.
- ``mtdetect/resources/idiom_related.tsv``: for each content word of those idioms, its WordNet
  relatives (synonyms, hypernyms, hyponyms, co-hyponyms) plus a few team additions.

Usage: ``.venv/bin/python -m tools.build_idioms [--data ../shared/data]``
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

from wordfreq import zipf_frequency

from mtdetect.idiomatch import DETERMINERS, SLOT_WORDS
from mtdetect.lexicon import GRAMMAR_WORDS as FUNCTION_WORDS
from tools.idiom_relatives import Relatives, Space, WordNet, british

ROOT = Path(__file__).resolve().parent.parent

RES = ROOT / "mtdetect" / "resources"

# Team additions: relatives that WordNet lacks but translation/spinning produces
# (compound calques such as German "Eisberg" → "ice mountain").
TEAM_RELATED: dict[str, list[str]] = {
    "iceberg": ["ice mountain", "ice block", "ice hill"],
    "cake": ["pie", "tart", "pastry", "cookie", "biscuit"],
    "bucket": ["pail", "bin", "basin"],
    "bush": ["shrub", "hedge", "shrubbery"],
    "beans": ["legumes", "peas", "seeds"],
    "bean": ["legume", "pea", "seed"],
    "horse": ["stallion", "mare", "pony", "steed"],
    "cat": ["kitten", "kitty", "feline", "tomcat"],
    "dog": ["hound", "puppy", "canine", "mutt"],
    "nail": ["spike", "tack", "rivet"],
    "ice": ["frost"],
    "bull": ["ox", "steer", "cow"],
    "horns": ["antlers"],
    "leg": ["limb", "foot", "shin"],
    "arm": ["limb", "hand"],
    "eye": ["eyeball"],
    "bag": ["sack", "pouch", "purse"],
    "bullet": ["slug", "projectile", "cartridge"],
    "elephant": ["mammoth"],
    "tongue": ["lingua"],
    "boat": ["ship", "vessel", "craft"],
    "bird": ["fowl", "avian"],
    "stone": ["rock", "pebble", "boulder"],
    "worms": ["maggots", "larvae"],
    "can": ["tin", "canister"],
    "drop": ["droplet", "drip"],
    "ocean": ["sea"],
    "cloud": ["sky"],
    "moon": ["satellite"],
    "apple": ["fruit", "pear"],
    "sheep's": ["lamb's", "ewe's", "ram's", "goat's"],
    "mill": ["factory", "plant"],
}

PRONOUN_FILL = {"{sb}": "him", "{self}": "himself"}

_PLACEHOLDERS = {
    "someone": "{sb}",
    "somebody": "{sb}",
    "something": "{sb}",
    "sb": "{sb}",
    "sth": "{sb}",
    "someone's": "one's",
    "somebody's": "one's",
    "oneself": "{self}",
    "yourself": "{self}",
}


def data_dir(arg: str | None) -> Path:
    """The data folder: ``--data``, ``$MTDETECT_DATA`` or ``../shared/data``."""
    if arg:
        return Path(arg)
    env = os.environ.get("MTDETECT_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


# ---------------------------------------------------------------- idiom list cleaning


def clean_idiom(raw: str) -> str | None:
    """Normalise one line of the idiom list into a pattern, or ``None`` to drop it."""
    s = raw.strip()
    if not s or "?" in s or "..." in s or "/" in s or "(" in s or '"' in s:
        return None
    s = s.rstrip("!.").strip()
    # dictionary inversions: "shit will hit the fan, the" → "the shit will hit the fan"
    m = re.match(r"^(.*), (the|a|an)$", s, re.I)
    if m:
        s = f"{m.group(2)} {m.group(1)}"
    if "," in s or ";" in s or ":" in s:
        return None  # proverbs with clauses, or list junk
    s = s.lower()
    words = s.split()
    if " or " in f" {s} " or " etc" in s:
        return None  # alternatives collapsed into one line ("for or an animal")
    if not all(re.fullmatch(r"[a-z][a-z'\-]*|\d+", w) for w in words):
        return None
    words = [_PLACEHOLDERS.get(w, w) for w in words]
    if not 2 <= len(words) <= 8:
        return None  # one-word entries; proverb-length entries cannot be matched tolerantly
    if sum(w not in DETERMINERS for w in words) < 2:
        return None  # "the haves", "my eye": one word once articles are optional
    if all(w in FUNCTION_WORDS or w in DETERMINERS or w.startswith("{") for w in words):
        return None  # "on the", "have on": no content word
    return " ".join(words)


PREPOSITIONS = frozenset(
    """of in on at by for from into onto over under to with without about above across after
    against along among around before behind below beneath beside between beyond through
    toward towards upon up down out off""".split()
)


_MODALS = frozenset("can could will would shall should may might must".split())


def guess_pos(words: list[str], k: int, wn: WordNet) -> str | None:
    """Part of speech of idiom word ``k`` from its neighbours: nouns follow articles and
    prepositions; an idiom's first word, or a word after "to", is a verb if WordNet has one."""
    w = words[k]
    poses = {"a" if s[-1] == "s" else s[-1] for s in wn.lookup(w)}
    prev = words[k - 1] if k else None
    nxt = words[k + 1] if k + 1 < len(words) else None
    if (
        prev in DETERMINERS
        and "a" in poses
        and nxt is not None
        and _is_content(nxt)
        and nxt not in PREPOSITIONS
    ):
        return "a"  # "the wrong side", "a hot potato": an adjective before its noun
    if prev in _MODALS and "v" in poses:
        return "v"  # "bite off more than one can chew"
    if prev in DETERMINERS or prev in PREPOSITIONS or prev == "{sb}":
        if prev == "to" and "v" in poses:
            return "v"
        if "n" in poses:
            return "n"
    if (k == 0 or prev == "to") and "v" in poses:
        return "v"
    if len(poses) == 1:
        return next(iter(poses))
    if "n" in poses and (nxt is None or nxt in PREPOSITIONS or nxt in ("and", "or")):
        return "n"  # "the wrong tree", "cats and dogs": a noun ends its phrase
    return None


def content_positions(words: list[str]) -> list[int]:
    """Indices of content words (not articles, possessives, slots or function words)."""
    return [
        i
        for i, w in enumerate(words)
        if w not in DETERMINERS
        and w not in FUNCTION_WORDS
        and w not in SLOT_WORDS
        and not w.startswith("{")
        and not w.isdigit()
        and len(w) > 2
    ]


# ---------------------------------------------------------------- LM filter


class LM:
    """The CMU trigram LM shipped in pocketsphinx (log base 1.0001 units)."""

    def __init__(self) -> None:
        from pocketsphinx import Config, LogMath, NGramModel, get_model_path

        path = os.path.join(get_model_path(), "en-us", "en-us.lm.bin")
        cfg = Config()
        cfg.set_string("-logfn", os.devnull)
        self.lm = NGramModel(cfg, LogMath(), path)
        self.unk = self.lm.prob(["qzxqzxqzx"])

    def assoc(self, toks: list[str], lo: int, hi: int) -> float:
        """Sum over toks[lo:hi] of log P(w | 2 previous) − log P(w): how much context fits."""
        total = 0.0
        for i in range(lo, min(hi, len(toks))):
            hist = list(reversed(toks[max(0, i - 2) : i]))
            total += self.lm.prob([toks[i], *hist]) - self.lm.prob([toks[i]])
        return total

    def known(self, w: str) -> bool:
        return self.lm.prob([w]) != self.unk


def _is_content(w: str) -> bool:
    return w not in FUNCTION_WORDS and w not in DETERMINERS and not w.startswith("{")


def binomial(words: list[str]) -> bool:
    """Is the idiom a bare pair of coordinated words ("cats and dogs", "root and branch")?
    Swapping one makes an ordinary coordination ("cats and rabbits", "root and stem"), so it
    is not swappable (the idioms built on it, "rain cats and dogs", are)."""
    core = [w for w in words if w not in DETERMINERS]
    return len(core) == 3 and core[1] in ("and", "or", "nor")


def lm_tokens(words: list[str]) -> list[str]:
    out = []
    for w in words:
        w = PRONOUN_FILL.get(w, w)
        out.append("his" if w == "one's" else w)
    return out


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None)
    ap.add_argument(
        "--threshold",
        type=float,
        default=3000.0,
        help="LM association loss (log1.0001 units) a swap needs to count as distorted",
    )
    ap.add_argument(
        "--max-zipf-original",
        type=float,
        default=6.5,
        help="idiom words more frequent than this (wordfreq Zipf) are never swapped",
    )
    ap.add_argument(
        "--common",
        type=float,
        default=5.3,
        help="idiom words above this Zipf are 'common': stricter related words",
    )
    ap.add_argument(
        "--max-zipf-common-rel",
        type=float,
        default=5.0,
        help="max Zipf of a word swapped in for a common idiom word",
    )
    ap.add_argument(
        "--max-zipf-related",
        type=float,
        default=5.8,
        help="related words this frequent form ordinary phrases; not used as swaps",
    )
    ap.add_argument(
        "--no-prune-refs",
        dest="prune_refs",
        action="store_false",
        help="skip blocking the swaps found in human train text",
    )
    ap.add_argument(
        "--own-max",
        type=float,
        default=60000.0,
        help="max LM association of the swapped word with its context",
    )
    ap.add_argument("--max-related", type=int, default=120, help="relatives kept per idiom word")
    ap.add_argument(
        "--disable-after",
        type=int,
        default=2,
        help="an idiom with this many distinct swaps flagged in human train text is not swappable",
    )
    args = ap.parse_args()
    dd = data_dir(args.data)
    lines = (dd / "idioms" / "english-idioms.txt").read_text(encoding="utf-8").splitlines()
    patterns: list[str] = []
    seen = set()
    for raw in lines:
        p = clean_idiom(raw)
        if p and p not in seen:
            seen.add(p)
            patterns.append(p)
    n_list = len(patterns)
    for p in TEAM_IDIOMS:
        if p not in seen:
            seen.add(p)
            patterns.append(p)
    print(
        f"idioms: {len(lines)} lines → {n_list} patterns, + {len(patterns) - n_list} team "
        "additions",
        file=sys.stderr,
    )

    wn = WordNet(dd / "thesaurus" / "oewn" / "src" / "yaml")
    rels = Relatives(wn, Space())
    lm = LM()
    related: dict[str, list[tuple[str, str]]] = {}
    rows = []
    n_var = n_block = 0
    for p in patterns:
        words = p.split()
        cpos = content_positions(words)
        swappable = len(cpos) >= 2 and len(words) >= 3 and not binomial(words)
        blocked: list[str] = []
        keys: list[str] = []
        if swappable:
            toks = lm_tokens(words)
            for k in cpos:
                w = words[k]
                zw = zipf_frequency(w.removesuffix("'s"), "en")
                if zw > args.max_zipf_original:
                    continue  # "the same old thing": too common a word to make an idiom fixed
                # a common word ("take", "give") may be swapped only for a rarer one ("occupy")
                rel_max = args.max_zipf_related if zw <= args.common else args.max_zipf_common_rel
                pos = guess_pos(words, k, wn)
                key = f"{w}/{pos}" if pos else w
                if zw > args.common:
                    key += "!"  # a separate, stricter list for common words
                keys.append(f"{k}:{key}")
                if key not in related:
                    if w.endswith("'s"):  # "sheep's clothing" → "lamb's clothing"
                        rel = [
                            (r + "'s", t)
                            for r, t in rels.find(w[:-2], pos)
                            if " " not in r and zipf_frequency(r, "en") < rel_max
                        ]
                    else:
                        rel = [
                            (r, t)
                            for r, t in rels.find(w, pos)
                            if zipf_frequency(r, "en") < rel_max
                        ]
                    rel += [(b, t) for r, t in rel for b in british(r)]
                    have = {r for r, _ in rel}
                    rel += [(r, "t") for r in TEAM_RELATED.get(w, []) if r not in have]
                    rel = rel[: args.max_related]
                    related[key] = rel
                base = lm.assoc(toks, k, k + 3)
                for r, _ in related[key]:
                    rt = r.split()
                    if not all(lm.known(t) for t in rt):
                        n_var += 1
                        continue  # a word the LM has never seen next to anything
                    var = toks[:k] + rt + toks[k + 1 :]
                    a = lm.assoc(var, k, k + len(rt) + 2)
                    n_var += 1
                    # ordinary English if the swap keeps most of the idiom's cohesion, or is a
                    # collocation of its own ("the last night", "meet the bill"); association
                    # with articles and prepositions alone says nothing, so it is not counted
                    hist = toks[max(0, k - 2) : k]
                    if k > 0 and any(_is_content(h) for h in hist):
                        own = lm.assoc(var, k, k + len(rt))
                    elif k == 0:
                        nxt = [
                            i
                            for i in range(len(rt), min(len(rt) + 2, len(var)))
                            if _is_content(var[i])
                        ]
                        own = sum(lm.assoc(var, i, i + 1) for i in nxt)
                    else:
                        own = 0.0
                    if base - a < args.threshold or own > args.own_max:
                        blocked.append(f"{k}:{r}")
                        n_block += 1
        rows.append((p, int(swappable), "|".join(blocked), "|".join(keys)))
    print(
        f"swap variants: {n_var}, blocked as ordinary English by the LM: {n_block}", file=sys.stderr
    )

    header = (
        "# Canonical English idioms as match patterns.\n"
        "# Derived from npm package `idioms` 0.0.2 by Joe Gesualdo (MIT licence), cleaned by\n"
        "# tools/build_idioms.py (one-word, proverb-length, question and junk entries dropped),\n"
        "# plus team additions. Columns: pattern, swappable (1 = one content word may be\n"
        "# swapped), swaps judged ordinary English by the CMU trigram LM (index:word,\n"
        "# '|'-separated), keys into idiom_related.tsv of the swappable words\n"
        "# (index:word/part-of-speech).\n"
    )
    with open(RES / "idioms_en.tsv", "w", encoding="utf-8") as f:
        f.write(header)
        for p, s, b, k in rows:
            f.write(f"{p}\t{s}\t{b}\t{k}\n")
    with open(RES / "idiom_related.tsv", "w", encoding="utf-8") as f:
        f.write(
            "# Related words for the content words of idioms_en.tsv (s synonym, h hypernym,\n"
            "# o hyponym, c co-hyponym, k cousin, p part or whole, d distributional neighbour,\n"
            "# t team addition). Derived from Open English WordNet (CC BY 4.0; derived from\n"
            "# Princeton WordNet 3.0, WordNet licence), ranked and extended with a word space\n"
            "# of the CMU US-English LM's bigrams (tools/idiom_relatives.py), by\n"
            "# tools/build_idioms.py.\n"
        )
        for w in sorted(related):
            if related[w]:
                f.write(w + "\t" + "|".join(f"{r}:{t}" for r, t in related[w]) + "\n")
    print(f"wrote {len(rows)} idioms, {len(related)} related-word rows", file=sys.stderr)
    if args.prune_refs:
        prune_on_references(dd, rows, header, args.disable_after)


def human_train_texts(dd: Path) -> list[str]:
    """The human documents of the corpus's train split (Brown, ABC, CoNLL-2000 train, WMT21
    English sources, chat, product reviews; the build's loaders and seed): the text the tables
    may be pruned on. The valid split is left for tuning, the test split for measuring."""
    from tools import corpus_common as cc
    from tools import corpus_informal

    docs = cc.load_originals(dd, cc.DEFAULT_SEED) + corpus_informal.load_informal(
        dd, cc.DEFAULT_SEED
    )
    return [
        "".join(b + u for b, u in zip(["", *d.breaks[1:]], d.units))
        for d in docs
        if d.split == "train"
    ]


def prune_on_references(
    dd: Path, rows: list[tuple[str, int, str, str]], header: str, disable_after: int
) -> None:
    """Block the swaps that occur in human text: run the fresh tables over the human documents
    of the train split and add every one-word swap the family would flag there
    (``swap_flagged``: LM evidence, not inside a canonical idiom, open swaps on nouns) to its
    idiom's blocked list; an idiom with ``disable_after`` such swaps or more is a frame
    ordinary text fills freely ("leave the room", "fear the worst") and is no longer
    swappable."""
    from mtdetect import idiomatch
    from mtdetect.analysis import Analysis
    from mtdetect.features.idioms import swap_flagged
    from mtdetect.resources import SHIPPED
    from mtdetect.text import Document

    m = idiomatch.read_matcher(RES / "idioms_en.tsv")  # the tables just written
    found: dict[str, set[str]] = defaultdict(set)
    n_words = 0
    for text in human_train_texts(dd):
        doc = Document(text)
        a = Analysis(doc, SHIPPED)
        n_words += doc.n_words
        matches = m.find(doc)
        canon = [x for x in matches if x.entry.kind == "idiom" and x.swap is None]
        for x in matches:
            if x.entry.kind == "idiom" and x.swap is not None and swap_flagged(a, x, canon):
                k = x.entry.written_index(x.swap.elem)
                found[x.entry.pattern].add(f"{k}:{x.swap.related}")
    off = {p for p, seen in found.items() if len(seen) >= disable_after}
    print(
        f"pruning on {n_words} words of human train text: {sum(map(len, found.values()))} "
        f"swaps of {len(found)} idioms seen, now blocked; {len(off)} idioms no longer "
        "swappable",
        file=sys.stderr,
    )
    with open(RES / "idioms_en.tsv", "w", encoding="utf-8") as out:
        out.write(header)
        for p, s, b, k in rows:
            extra = sorted(found.get(p, set()) - set(b.split("|")))
            b = "|".join([x for x in b.split("|") if x] + extra)
            out.write(f"{p}\t{0 if p in off else s}\t{b}\t{k}\n")


# Idioms missing from the npm list (team additions).
TEAM_IDIOMS: list[str] = [
    "the tip of the iceberg",
    "beat around the bush",
    "a piece of cake",
    "let the cat out of the bag",
    "kick the bucket",
    "spill the beans",
    "break the ice",
    "hit the nail on the head",
    "bite the bullet",
    "the elephant in the room",
    "once in a blue moon",
    "under the weather",
    "cost an arm and a leg",
    "the last straw",
    "the straw that broke the camel's back",
    "burn the midnight oil",
    "cry over spilt milk",
    "cry over spilled milk",
    "kill two birds with one stone",
    "a blessing in disguise",
    "barking up the wrong tree",
    "bark up the wrong tree",
    "jump on the bandwagon",
    "add fuel to the fire",
    "pull one's leg",
    "take the bull by the horns",
    "open a can of worms",
    "a drop in the ocean",
    "a drop in the bucket",
    "the ball is in your court",
    "every cloud has a silver lining",
    "go the extra mile",
    "throw in the towel",
    "the best of both worlds",
    "steal one's thunder",
    "on thin ice",
    "a hot potato",
    "sit on the fence",
    "the apple of one's eye",
    "rain cats and dogs",
    "raining cats and dogs",
    "a fish out of water",
    "cut corners",
    "miss the boat",
    "hit the sack",
    "hit the hay",
    "the whole nine yards",
    "costs an arm and a leg",
    "wild goose chase",
    "a wild goose chase",
    "the lion's share",
    "in hot water",
    "bury the hatchet",
    "play devil's advocate",
    "keep one's head above water",
    "a penny for your thoughts",
    "when pigs fly",
    "the early bird catches the worm",
    "don't count your chickens before they hatch",
    "curiosity killed the cat",
    "a storm in a teacup",
    "a tempest in a teapot",
    "at the drop of a hat",
    "by the skin of one's teeth",
    "get cold feet",
    "have cold feet",
    "put all one's eggs in one basket",
    "the writing on the wall",
    "through thick and thin",
    "turn a blind eye",
    "a dime a dozen",
    "beat a dead horse",
    "flog a dead horse",
    "come rain or shine",
    "the calm before the storm",
    "break a leg",
    "get out of hand",
    "hang in there",
    "let sleeping dogs lie",
    "make a long story short",
    "on the ball",
    "pull yourself together",
    "so far so good",
    "speak of the devil",
    "wrap one's head around",
    "your guess is as good as mine",
    "bite off more than one can chew",
    "the devil is in the details",
    "a wolf in sheep's clothing",
]


if __name__ == "__main__":
    main()
