"""Searches of sorted key arrays, the look-up primitive of every shipped table.

The language model and the candidate table are sorted arrays of packed integer keys; a look-up
is a vectorised binary search. :class:`SortedKeys` holds one such array and searches it with
fewer cache misses than ``np.searchsorted`` alone: needles are sorted first (they then walk the
table in order), each distinct needle is searched once, and a table of at least a million keys
gets a :class:`BlockIndex` (built on its first large search and kept with the table).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

_BYTE_SUM = np.uint64(0x0101010101010101)
BLOCK_MIN = 1 << 20  # tables at least this long get a block index


class BlockIndex:
    """``np.searchsorted(keys, q)`` for a large sorted table with fewer cache misses: a binary
    search over every ``B``-th key (a small table that stays in cache), then one comparison
    with the ``B`` keys of the block (one or two cache lines) instead of the last levels of a
    binary search over the whole table."""

    B = 16  # search() counts the 16 flags of a block as two 8-byte words

    def __init__(self, keys: np.ndarray, pad: np.ndarray | None = None) -> None:
        B = self.B
        if pad is None:
            pad = padded(len(keys), keys.dtype)
            pad[: len(keys)] = keys
        self.keys = keys
        self.blocks = pad.reshape(-1, B)
        self.top = np.ascontiguousarray(keys[::B])

    def search(self, q: np.ndarray) -> np.ndarray:
        # keys[(j-1)B] < q <= keys[jB]: the lower bound lies in block j-1 (j = 0: q <= keys[0],
        # no key of block 0 is below q and the count below gives 0)
        j = np.searchsorted(self.top, q)
        b = np.maximum(j - 1, 0)
        below = self.blocks[b] < q[:, None]
        # count the 16 flags of a row as bytes: the two 8-byte words added (bytes 0..2), then
        # all bytes summed into the top one by one multiplication (at most 16: no carry)
        u = below.view(np.uint64).reshape(len(q), 2)
        cnt = ((u[:, 0] + u[:, 1]) * _BYTE_SUM) >> np.uint64(56)
        return b * self.B + cnt.astype(np.intp)


def padded(n: int, dtype: np.dtype) -> np.ndarray:
    """An array for ``n`` keys rounded up to whole blocks, the padding set to the largest
    value (it never compares below a needle)."""
    B = BlockIndex.B
    return np.full(-(-n // B) * B, np.iinfo(dtype).max, dtype=dtype)


class SortedKeys:
    """A sorted key array and its searches.

    ``pad``: the keys may be a prefix of a padded buffer (see :func:`padded`) that the block
    index then shares instead of copying the table.
    """

    def __init__(self, keys: np.ndarray, pad: np.ndarray | None = None) -> None:
        self.keys = keys
        self._pad = pad

    def __len__(self) -> int:
        return len(self.keys)

    @cached_property
    def _index(self) -> BlockIndex:
        return BlockIndex(self.keys, self._pad)

    def searchsorted(self, q: np.ndarray) -> np.ndarray:
        """``np.searchsorted(keys, q)`` (left), through the block index for large tables."""
        keys = self.keys
        if len(keys) < BLOCK_MIN or len(q) < 8:
            return np.searchsorted(keys, q)
        return self._index.search(np.asarray(q, dtype=keys.dtype))

    def search_sorted(self, qs: np.ndarray) -> np.ndarray:
        """``np.searchsorted(keys, qs)`` for sorted needles, searching each distinct needle once
        (the table look-ups are cache misses; repeated needles are common)."""
        if len(qs) < 2:
            return np.searchsorted(self.keys, qs)
        new = np.empty(len(qs), dtype=bool)
        new[0] = True
        np.not_equal(qs[1:], qs[:-1], out=new[1:])
        return self.searchsorted(qs[new])[np.cumsum(new) - 1]

    def lookup(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Indices of ``q`` in the keys and whether each was found."""
        keys = self.keys
        if len(keys) == 0 or len(q) == 0:
            return np.zeros(len(q), dtype=np.int64), np.zeros(len(q), dtype=bool)
        q = np.asarray(q, dtype=keys.dtype)
        if len(q) > 16:  # sorted needles walk the table in order: far fewer cache misses
            # (equal needles get equal answers, so the order among them does not matter: numpy's
            # default sort is SIMD-vectorised for integers, ~10x faster than a stable one)
            o = np.argsort(q)
            i = np.empty(len(q), dtype=np.int64)
            i[o] = self.search_sorted(q[o])
        else:
            i = np.searchsorted(keys, q)
        i = np.minimum(i, len(keys) - 1)
        return i, keys[i] == q
