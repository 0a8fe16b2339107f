"""Build the reference statistics of English shipped in ``mtdetect/resources/refstats/``.

Sources (build time only):

* the CMU US-English trigram LM shipped in PyPI ``pocketsphinx`` (``model/en-us/en-us.lm.bin``,
  BSD-2-Clause, Carnegie Mellon University). Its binary "Trie Language Model" file is decoded
  directly with numpy (layout of pocketsphinx 5 ``src/lm/lm_trie.c``: a KenLM-style reversed trie
  of bit-packed entries with 16-bit quantised probabilities in logmath base 1.0001). Decoding is
  checked against ``pocketsphinx.NGramModel.prob`` on random n-grams (``--check``).
* unigram frequencies (Zipf) from PyPI ``wordfreq`` (its data: CC BY-SA 4.0, Robyn Speer et al.).
* a case model counted on human English of the *train and valid* splits only (Brown, ABC,
  CoNLL-2000 WSJ, WMT21 original-English sources; see ``tools/corpus_common.py``): for each
  lower-cased word, how often it occurs mid-sentence and how often it is capitalised there.

Output (all ``.npy``, loaded memory-mapped by :mod:`mtdetect.refstats`):

``vocab.txt``      one word a line; id = line number. Ids < ``lm_size`` are LM words
                   (``<s>`` = 0, ``</s>`` = 1, then by unigram probability).
``uni_lp/uni_bo``  float16 log10 unigram probability / backoff, per LM id.
``big_key/big_lp`` sorted uint32 keys ``w1 << 16 | w2`` and uint8 quantised ``-log10 P(w2|w1)``.
``ctx_key/ctx_bo/ctx_off``  bigram contexts ``w1 w2`` with a backoff weight or trigram
                   continuations: sorted uint32 key, int8 quantised backoff, uint32 CSR offsets
                   into ``tri_w3/tri_lp`` (uint16 word id, uint8 quantised ``-log10 P``).
``zipf``           uint8 ``round(30 * zipf)`` per vocab id (0 = unseen).
``case_mid/case_cap``  uint16 counts (clipped) of mid-sentence occurrences / capitalised ones.
``meta.json``      sizes, quantisation steps, provenance, pruning statistics.

Usage: ``.venv/bin/python -m tools.build_lm [--data DIR] [--prune 0.0] [--check]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "mtdetect" / "resources" / "refstats"
LOG10_BASE = math.log10(1.0001)
LM_MAX = 65536  # LM ids fit in uint16
LP_STEP = 0.03  # uint8 quantisation of -log10 p: 0 .. -7.65
BO_STEP = 0.02  # int8 quantisation of log10 backoff: -2.56 .. +2.54
ZIPF_SCALE = 30.0
ZIPF_MIN = 1.5  # wordfreq words kept in the vocabulary


# --------------------------------------------------------------------------- trie decoding


def _bits(x: int) -> int:
    return int(x).bit_length()


def _read_field(mem: np.ndarray, offsets: np.ndarray, nbits: int) -> np.ndarray:
    """Read ``nbits`` (≤ 57) little-endian bit fields at bit ``offsets`` from a uint8 buffer."""
    byte = (offsets >> np.uint64(3)).astype(np.int64)
    shift = offsets & np.uint64(7)
    v = np.zeros(len(offsets), dtype=np.uint64)
    for k in range(8):
        v |= mem[byte + k].astype(np.uint64) << np.uint64(8 * k)
    return (v >> shift) & np.uint64((1 << nbits) - 1)


def lm_path() -> Path:
    """Path of the pocketsphinx US-English LM."""
    import pocketsphinx

    return Path(pocketsphinx.get_model_path()) / "en-us" / "en-us.lm.bin"


def decode_trie(path: Path) -> dict[str, np.ndarray]:
    """Decode a pocketsphinx trie LM (order 3) into flat n-gram arrays (log10 values).

    Returns words, unigram lp/bo, bigrams (prev, pred, lp, bo) and trigrams
    (prev2, bigram index, lp). The trie is reversed: a unigram node is the *predicted* word,
    its children are the previous word, their children the word before that.
    """
    raw = np.fromfile(path, dtype=np.uint8)
    hdr = b"Trie Language Model"
    if raw[: len(hdr)].tobytes() != hdr:
        raise ValueError(f"{path}: not a trie LM")
    pos = len(hdr)
    order = int(raw[pos])
    pos += 1
    if order != 3:
        raise ValueError(f"expected a trigram LM, got order {order}")
    counts = np.frombuffer(raw[pos : pos + 12].tobytes(), dtype="<u4").astype(np.int64)
    pos += 12 + 4  # counts + unused quantisation-type int
    nq = (order - 2) * (2 << 16) + (1 << 16)
    quant = np.frombuffer(raw[pos : pos + 4 * nq].tobytes(), dtype="<f4")
    pos += 4 * nq
    n1 = int(counts[0])
    ug = np.frombuffer(
        raw[pos : pos + 12 * (n1 + 1)].tobytes(),
        dtype=[("prob", "<f4"), ("bo", "<f4"), ("next", "<u4")],
    )
    pos += 12 * (n1 + 1)
    wb = _bits(n1)
    next_bits = _bits(int(counts[2]))
    mid_total = wb + 32 + next_bits
    mid_size = ((1 + int(counts[1])) * mid_total + 7) // 8 + 8
    long_total = wb + 16
    long_size = ((1 + int(counts[2])) * long_total + 7) // 8 + 8
    mid_mem = raw[pos : pos + mid_size]
    pos += mid_size
    long_mem = raw[pos : pos + long_size]
    pos += long_size
    k = int(np.frombuffer(raw[pos : pos + 4].tobytes(), "<u4")[0])
    pos += 4
    words = [w.decode("utf-8") for w in raw[pos : pos + k].tobytes().split(b"\0")[:-1]]
    if len(words) != n1 or pos + k != len(raw):
        raise ValueError("unexpected trie layout")
    unext = ug["next"].astype(np.int64)
    nb = int(unext[-1])  # the header may over-count; the unigram sentinel is exact
    off = np.arange(nb + 1, dtype=np.uint64) * np.uint64(mid_total)
    m_word = _read_field(mid_mem, off, wb).astype(np.int64)
    m_bo = _read_field(mid_mem, off + np.uint64(wb), 16).astype(np.int64)
    m_prob = _read_field(mid_mem, off + np.uint64(wb + 16), 16).astype(np.int64)
    m_next = _read_field(mid_mem, off + np.uint64(wb + 32), next_bits).astype(np.int64)
    nt = int(m_next[-1])
    loff = np.arange(nt, dtype=np.uint64) * np.uint64(long_total)
    l_word = _read_field(long_mem, loff, wb).astype(np.int64)
    l_prob = _read_field(long_mem, loff + np.uint64(wb), 16).astype(np.int64)
    qb_p, qb_b, qt_p = quant[:65536], quant[65536:131072], quant[131072:]
    return {
        "words": np.array(words, dtype=object),
        "u_lp": ug["prob"][:-1].astype(np.float64) * LOG10_BASE,
        "u_bo": ug["bo"][:-1].astype(np.float64) * LOG10_BASE,
        "b_pred": np.repeat(np.arange(n1), np.diff(unext)),
        "b_prev": m_word[:-1],
        "b_lp": qb_p[m_prob[:-1]].astype(np.float64) * LOG10_BASE,
        "b_bo": qb_b[m_bo[:-1]].astype(np.float64) * LOG10_BASE,
        "t_bigram": np.repeat(np.arange(nb), np.diff(m_next)),
        "t_prev2": l_word,
        "t_lp": qt_p[l_prob].astype(np.float64) * LOG10_BASE,
    }


def check_decoding(path: Path, lm: dict[str, np.ndarray], n: int = 300) -> float:
    """Max abs difference (log10) between decoded n-grams and pocketsphinx's own scores."""
    import pocketsphinx

    model = pocketsphinx.NGramModel.readfile(str(path))
    words = lm["words"]
    rng = np.random.default_rng(0)
    worst = 0.0
    for i in rng.integers(0, len(lm["t_lp"]), n):
        j = lm["t_bigram"][i]
        q = [words[lm["b_pred"][j]], words[lm["b_prev"][j]], words[lm["t_prev2"][i]]]
        worst = max(worst, abs(model.prob(q) * LOG10_BASE - lm["t_lp"][i]))
    for i in rng.integers(0, len(lm["b_lp"]), n):
        q = [words[lm["b_pred"][i]], words[lm["b_prev"][i]]]
        worst = max(worst, abs(model.prob(q) * LOG10_BASE - lm["b_lp"][i]))
    return worst


# --------------------------------------------------------------------------- case model


def case_counts(data: Path, seed: int) -> tuple[Counter, Counter, int]:
    """Mid-sentence and capitalised-mid-sentence counts per lower-cased word (train+valid)."""
    from mtdetect.text import Document
    from tools import corpus_common as cc

    mid: Counter = Counter()
    cap: Counter = Counter()
    n_words = 0
    for d in cc.load_originals(data, seed):
        if d.split == "test":
            continue
        for unit in d.units:
            doc = Document(unit)
            for s in doc.sentences:
                toks = doc.sentence_tokens(s)
                prev = None
                first = True
                for t in toks:
                    if not t.is_word:
                        prev = t.norm
                        continue
                    n_words += 1
                    if not first and prev not in {'"', ":", "(", "'"}:
                        low = t.lower
                        mid[low] += 1
                        if t.norm[0].isupper():
                            cap[low] += 1
                    first = False
                    prev = t.norm
    return mid, cap, n_words


# --------------------------------------------------------------------------- spelling

_US_RULES = [
    (re.compile(r"isation(s)?$"), r"ization\1"),
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{3})ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"(?<=[a-z]{3})our(s|ed|ing|ite|ites|able|ful|less|ly)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{3})tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=[a-z]{3})ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=[a-z]{3})ell(ed|ing|er|ers|or|ors)$"), r"el\1"),
    (re.compile(r"(?<=[a-z]{3})ence(s)?$"), r"ense\1"),
]


def american(word: str) -> list[str]:
    """American spellings a British form may correspond to (colour -> color)."""
    out = []
    if len(word) < 5:
        return out
    for rx, rep in _US_RULES:
        w = rx.sub(rep, word)
        if w != word:
            out.append(w)
    return out


def us_spelling_map(vocab: list[str], lm_size: int, u_lp: np.ndarray) -> np.ndarray:
    """For each vocabulary id, the LM id of its American spelling when the LM prefers it."""
    index = {w: i for i, w in enumerate(vocab[:lm_size])}
    out = np.full(len(vocab), -1, dtype=np.int32)
    for i, w in enumerate(vocab):
        if not w.isalpha():
            continue
        for a in american(w):
            j = index.get(a)
            if j is not None and j != i and (i >= lm_size or u_lp[j] > u_lp[i] + 0.3):
                out[i] = j
                break
    return out


# --------------------------------------------------------------------------- build


def quant_lp(lp: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(-lp / LP_STEP), 0, 255).astype(np.uint8)


def quant_bo(bo: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(bo / BO_STEP), -128, 127).astype(np.int8)


def build(data: Path, prune: float, check: bool, seed: int) -> dict:
    t0 = time.time()
    path = lm_path()
    lm = decode_trie(path)
    stats: dict = {"decode_s": round(time.time() - t0, 2)}
    if check:
        stats["check_max_abs_err"] = round(check_decoding(path, lm), 6)
        print("decoding check: max |err| =", stats["check_max_abs_err"], flush=True)
    words = lm["words"]
    n1 = len(words)
    # LM vocabulary: <s>, </s>, then words by unigram probability, at most 65536 ids.
    special = [i for i, w in enumerate(words) if w in ("<s>", "</s>")]
    special.sort(key=lambda i: words[i] != "<s>")
    rest = [i for i in np.argsort(-lm["u_lp"], kind="stable") if i not in set(special)]
    order = special + rest[: LM_MAX - len(special)]
    new_id = np.full(n1, -1, dtype=np.int64)
    new_id[order] = np.arange(len(order))
    lm_words = [str(words[i]) for i in order]
    stats["lm_words_dropped"] = int(n1 - len(order))

    u_lp = lm["u_lp"][order]
    u_bo = lm["u_bo"][order]
    u_lp[0] = -99.0  # <s> is never predicted
    # bigrams (w1 = prev, w2 = pred)
    b1 = new_id[lm["b_prev"]]
    b2 = new_id[lm["b_pred"]]
    bkeep = (b1 >= 0) & (b2 >= 0)
    # trigrams: words w1 = prev2, (w2, w3) = bigram (prev, pred)
    tb = lm["t_bigram"]
    t1 = new_id[lm["t_prev2"]]
    t2 = b1[tb]
    t3 = b2[tb]
    tkeep = (t1 >= 0) & bkeep[tb]
    stats["bigrams_in"] = int(len(b1))
    stats["trigrams_in"] = int(len(t1))
    b_key = (b1[bkeep] << 16) | b2[bkeep]
    b_lp = lm["b_lp"][bkeep]
    b_bo = lm["b_bo"][bkeep]
    o = np.argsort(b_key)
    b_key, b_lp, b_bo = b_key[o], b_lp[o], b_bo[o]

    t_ctx = (t1[tkeep] << 16) | t2[tkeep]
    t_w3 = t3[tkeep]
    t_lp = lm["t_lp"][tkeep]
    if prune > 0:
        # Drop trigrams whose probability the backoff estimate reproduces within `prune`.
        # bigram (w2, w3) probability, else backoff to unigram
        k23 = ((t_ctx & 0xFFFF) << 16) | t_w3
        bi = np.clip(np.searchsorted(b_key, k23), 0, len(b_key) - 1)
        found = b_key[bi] == k23
        p23 = np.where(found, b_lp[bi], u_bo[t_ctx & 0xFFFF] + u_lp[t_w3])
        ci = np.clip(np.searchsorted(b_key, t_ctx), 0, len(b_key) - 1)
        bo12 = np.where(b_key[ci] == t_ctx, b_bo[ci], 0.0)
        est = bo12 + p23
        keep = np.abs(t_lp - est) >= prune
        stats["trigrams_pruned"] = int((~keep).sum())
        t_ctx, t_w3, t_lp = t_ctx[keep], t_w3[keep], t_lp[keep]
    o = np.lexsort((t_w3, t_ctx))
    t_ctx, t_w3, t_lp = t_ctx[o], t_w3[o], t_lp[o]
    # contexts: bigrams with a non-zero backoff or trigram continuations
    ctx_all = np.union1d(b_key[np.abs(b_bo) >= BO_STEP / 2], t_ctx)
    ci = np.searchsorted(b_key, ctx_all)
    assert np.all(b_key[ci] == ctx_all), "trigram context without a bigram"
    ctx_bo = b_bo[ci]
    ctx_off = np.searchsorted(t_ctx, ctx_all, side="left")
    ctx_off = np.append(ctx_off, len(t_ctx)).astype(np.uint32)
    # sanity: each trigram's context is in ctx_all
    assert np.all(np.diff(ctx_off.astype(np.int64)) >= 0)

    # vocabulary beyond the LM: wordfreq words (Zipf ≥ ZIPF_MIN) and case-model words
    import wordfreq

    freq = wordfreq.get_frequency_dict("en", "best")
    mid, cap, n_case_words = case_counts(data, seed)
    stats["case_words_counted"] = n_case_words
    vocab = list(lm_words)
    seen = set(vocab)
    extra = [w for w, f in freq.items() if math.log10(f) + 9 >= ZIPF_MIN and w not in seen]
    extra += sorted(w for w, c in mid.items() if c >= 2 and w not in seen and w not in freq)
    for w in extra:
        if w not in seen and "\n" not in w and w.strip() == w and w:
            seen.add(w)
            vocab.append(w)
    zipf = np.zeros(len(vocab), dtype=np.uint8)
    case_mid = np.zeros(len(vocab), dtype=np.uint16)
    case_cap = np.zeros(len(vocab), dtype=np.uint16)
    for i, w in enumerate(vocab):
        f = freq.get(w)
        if f:
            zipf[i] = min(255, round(ZIPF_SCALE * (math.log10(f) + 9)))
        m = mid.get(w, 0)
        if m:
            case_mid[i] = min(m, 65535)
            case_cap[i] = min(round(cap.get(w, 0) * int(case_mid[i]) / m), 65535)

    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob("*.npy"):
        f.unlink()
    arrays = {
        "uni_lp": u_lp.astype(np.float16),
        "uni_bo": u_bo.astype(np.float16),
        "big_key": b_key.astype(np.uint32),
        "big_lp": quant_lp(b_lp),
        "ctx_key": ctx_all.astype(np.uint32),
        "ctx_bo": quant_bo(ctx_bo),
        "ctx_off": ctx_off,
        "tri_w3": t_w3.astype(np.uint16),
        "tri_lp": quant_lp(t_lp),
        "zipf": zipf,
        "case_mid": case_mid,
        "case_cap": case_cap,
        "us_map": us_spelling_map(vocab, len(lm_words), u_lp),
    }
    for name, arr in arrays.items():
        np.save(OUT / f"{name}.npy", np.ascontiguousarray(arr))
    (OUT / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    meta = {
        "format": 1,
        "lm_size": len(lm_words),
        "vocab_size": len(vocab),
        "lp_step": LP_STEP,
        "bo_step": BO_STEP,
        "zipf_scale": ZIPF_SCALE,
        "zipf_min": ZIPF_MIN,
        "prune": prune,
        "bigrams": int(len(b_key)),
        "trigrams": int(len(t_w3)),
        "contexts": int(len(ctx_all)),
        "sources": {
            "lm": "CMU US-English trigram LM (pocketsphinx en-us.lm.bin), BSD-2-Clause, "
            "Carnegie Mellon University",
            "zipf": "wordfreq 3 (Robyn Speer et al.), data CC BY-SA 4.0",
            "case": "counted on Brown, ABC, CoNLL-2000 and WMT21 English sources "
            "(train+valid splits only)",
        },
        "stats": stats,
    }
    (OUT / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in OUT.iterdir())
    meta["bytes"] = size
    print(json.dumps(meta, indent=1))
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=None, help="public data root (default ../shared/data)")
    ap.add_argument(
        "--prune",
        type=float,
        default=0.0,
        help="drop trigrams within this many log10 units of their backoff estimate",
    )
    ap.add_argument("--check", action="store_true", help="verify decoding against pocketsphinx")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    from tools import corpus_common as cc

    data = cc.data_root(args.data)
    seed = cc.DEFAULT_SEED if args.seed is None else args.seed
    build(data, args.prune, args.check, seed)
    sys.stdout.flush()
    os._exit(0)  # pocketsphinx's NGramModel may crash at interpreter exit


if __name__ == "__main__":
    main()
