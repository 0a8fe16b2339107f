"""The runtime of the span models shipped as JSON: logistic regressions and boosted trees.

``tools/eval_spans.py fit`` writes each model as plain arrays (no pickle): a logistic model
(``mean``/``scale``/``coef``/``intercept`` over the named ``features``) or gradient-boosted trees
(``trees``: padded per-tree node arrays, and ``baseline``). :class:`ScoringModel` compiles one
such model once (for trees, a leaf table per tree) and scores feature rows with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

_TABLE_BITS = 16  # trees with at most this many inner nodes are read from a leaf table
# (bytes b0..b7 of a little-endian uint64, each 0 or 1) * _PACK >> 56 == sum(b_i << i)
_PACK = np.uint64(0x0102040810204080)


class ScoringModel:
    """A model of the JSON format over rows whose columns are named ``columns``.

    ``spec`` is the model as loaded from JSON; ``threshold`` its decision threshold (if any).
    """

    def __init__(
        self, spec: dict, columns: Sequence[str], compiled: Mapping[str, np.ndarray] | None = None
    ) -> None:
        """``compiled``: the :func:`table_arrays` of the trees, if read from a compiled file."""
        self.spec = spec
        self.threshold: float | None = spec.get("threshold")
        self.columns = np.array([list(columns).index(f) for f in spec["features"]], dtype=np.intp)
        if "trees" in spec:
            self.trees: Trees | None = Trees(spec["trees"], compiled)
        else:
            self.trees = None
            self.mean = np.asarray(spec["mean"])
            self.scale = np.asarray(spec["scale"])
            self.coef = np.asarray(spec["coef"])

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Probability-like score in [0, 1] of each row of ``x`` (all ``columns``)."""
        x = x[:, self.columns]
        if self.trees is not None:
            z = self.spec["baseline"] + self.trees.leaf_sum(x)
        else:
            z = ((x - self.mean) / self.scale) @ self.coef + self.spec["intercept"]
        return 1.0 / (1.0 + np.exp(-z))


class Trees:
    """Node tests and leaf tables of a ``trees`` entry.

    Each tree gets ``slot`` (8 or 16) test columns: its inner nodes reachable from the root,
    then dummy tests (feature 0). The outcomes of a row's tests (bit set: go left) form a
    ``slot``-bit code per tree, and ``leaf[tree << k | code & (2**k - 1)]`` (``k``: the most
    inner nodes of a tree) is the leaf that the row reaches, an index into ``value``: a table
    filled once per leaf from the tests on its path. Without a table (a tree with more than
    :data:`_TABLE_BITS` inner nodes) rows walk the trees (:func:`_walk_trees`).
    """

    def __init__(self, trees: dict, compiled: Mapping[str, np.ndarray] | None = None) -> None:
        """``compiled``: :func:`table_arrays` of ``trees`` (read, not built: ~0.05 s)."""
        if compiled:
            self.arrays = tuple(
                int(compiled[n]) if n in _TABLE_INTS else compiled[n] for n in _TABLE_NAMES
            )
        else:
            self.arrays = _tree_arrays(trees)

    def leaf_sum(self, x: np.ndarray) -> np.ndarray:
        """Sum of the leaves reached by each row of ``x`` (the model's columns)."""
        arrays = self.arrays
        if arrays[0] is None:
            return _walk_trees(x, arrays[1:])
        leaf, feat, thr, miss, slot, k_max, n_trees, value = arrays
        v = np.take(x, feat, axis=1)  # C order (x[:, feat] is not): a row's tests are contiguous
        go = v <= thr
        if np.isnan(x).any():
            go |= np.isnan(v) & miss
        if np.little_endian:  # eight 0/1 bytes -> one byte, by one multiplication
            code = ((go.view(np.uint64) * _PACK) >> np.uint64(56)).astype(np.uint8)
        else:
            code = np.packbits(go, axis=None, bitorder="little")
        code = code.view(f"<u{slot // 8}").reshape(len(x), n_trees).astype(np.intp)
        code &= (1 << k_max) - 1
        code += np.arange(n_trees) << k_max
        return value[leaf[code]].sum(axis=1)


def tree_scores(x: np.ndarray, model: dict) -> np.ndarray:
    """Raw (log-odds) score of a boosted-tree model for each row of ``x`` (its own columns).

    ``trees`` holds (n_trees, n_nodes) arrays: ``feature`` (-1 for a leaf), ``threshold``
    (go left when x <= threshold, or when x is NaN and ``missing_left``), ``left``/``right``
    (child node), ``value`` (leaf value); the score is ``baseline`` + the sum of the leaves.
    """
    return model["baseline"] + Trees(model["trees"]).leaf_sum(x)


#: the names of the arrays of a leaf table (see :func:`_tree_arrays`), and of its integers
_TABLE_NAMES = ("leaf", "feat", "thr", "miss", "slot", "k_max", "n_trees", "value")
_TABLE_INTS = frozenset({"slot", "k_max", "n_trees"})
#: the format of :func:`table_arrays` (bump it when :func:`_tree_arrays` changes)
TABLE_FORMAT = "leaf tables 1"


def table_arrays(trees: dict) -> dict[str, np.ndarray]:
    """The leaf table of :class:`Trees` over ``trees`` as named arrays, to be compiled into a
    file (none for trees too deep for a table: they are walked)."""
    arrays = _tree_arrays(trees)
    if arrays[0] is None:
        return {}
    return {n: np.asarray(a) for n, a in zip(_TABLE_NAMES, arrays, strict=True)}


def _tree_arrays(trees: dict) -> tuple:
    """The arrays of :class:`Trees`: (leaf table, test features, thresholds, missing-left,
    slot, k, number of trees, leaf values), or (None, *walk arrays) without a leaf table."""
    feature = np.asarray(trees["feature"], dtype=np.intp)
    threshold = np.asarray(trees["threshold"], dtype=float)
    missing = np.asarray(trees["missing_left"], dtype=bool)
    left = np.asarray(trees["left"], dtype=np.intp).tolist()
    right = np.asarray(trees["right"], dtype=np.intp).tolist()
    is_leaf = (feature < 0).tolist()
    n_trees, width = feature.shape
    # per tree: its inner nodes (bit i of the code: node inner[i]) and the leaves with the
    # bits that must be set (mask) to the values (want) on the way to each
    inner: list[list[int]] = []
    paths: list[list[tuple[int, int, int]]] = []
    for t in range(n_trees):
        nodes: list[int] = []
        leaves: list[tuple[int, int, int]] = []
        todo = [(0, 0, 0)]
        while todo:
            k, mask, want = todo.pop()
            if is_leaf[t][k]:
                leaves.append((k, mask, want))
                continue
            b = 1 << len(nodes)
            nodes.append(k)
            todo += [(right[t][k], mask | b, want), (left[t][k], mask | b, want | b)]
        inner.append(nodes)
        paths.append(leaves)
    k_max = max(1, max(len(s) for s in inner))
    if k_max > _TABLE_BITS:
        return (None, *_walk_arrays(trees))
    slot = 8 if k_max <= 8 else 16
    node = np.zeros((n_trees, slot), dtype=np.intp)  # node of each test column (dummies: 0)
    for t, s in enumerate(inner):
        node[t, : len(s)] = s
    rows = np.arange(n_trees)[:, None]
    feat = np.maximum(feature[rows, node], 0).ravel()
    codes = np.arange(1 << k_max)
    small = n_trees * width < 1 << 15  # leaf indices fit int16
    leaf = np.zeros((n_trees, 1 << k_max), dtype=np.int16 if small else np.int32)
    for t, leaves in enumerate(paths):
        # the leaves of a tree part the codes: each code's leaf is the one whose path it meets
        k, mask, want = (np.array(v)[:, None] for v in zip(*leaves))
        leaf[t] = t * width + k[((codes & mask) == want).argmax(axis=0), 0]
    return (
        leaf.ravel(),
        feat,
        threshold[rows, node].ravel(),
        missing[rows, node].ravel(),
        slot,
        k_max,
        n_trees,
        np.asarray(trees["value"], dtype=float).ravel(),
    )


def _walk_arrays(trees: dict) -> tuple:
    """Flattened node arrays for :func:`_walk_trees`.

    Nodes of all trees are numbered globally; ``nxt[2 * k + go_left]`` is the node after node
    ``k`` (a leaf points to itself, so a fixed number of steps reaches every leaf).
    """
    feat = np.asarray(trees["feature"], dtype=np.intp)
    n_trees, width = feat.shape
    off = (np.arange(n_trees) * width)[:, None]
    own = np.arange(n_trees * width).reshape(n_trees, width)
    leaf = feat < 0
    left = np.where(leaf, own, np.asarray(trees["left"], dtype=np.intp) + off)
    right = np.where(leaf, own, np.asarray(trees["right"], dtype=np.intp) + off)
    nxt = np.column_stack([right.ravel(), left.ravel()]).ravel()
    inner = np.flatnonzero(~leaf.ravel())
    # depth of the deepest leaf = number of steps needed
    depth = np.zeros(n_trees * width, dtype=np.intp)
    for _ in range(width):
        d = depth.copy()
        d[left.ravel()[inner]] = depth[inner] + 1
        d[right.ravel()[inner]] = depth[inner] + 1
        if (d == depth).all():
            break
        depth = d
    pos = np.zeros(n_trees * width, dtype=np.intp)  # column of an inner node (leaves: 0)
    pos[inner] = np.arange(len(inner))
    return (
        pos,
        feat.ravel()[inner],
        np.asarray(trees["threshold"], dtype=float).ravel()[inner],
        np.asarray(trees["missing_left"], dtype=bool).ravel()[inner],
        nxt,
        np.asarray(trees["value"], dtype=float).ravel(),
        int(depth.max()),
        n_trees,
        width,
    )


def _walk_trees(x: np.ndarray, arrays: tuple) -> np.ndarray:
    """Sum of the leaves reached by each row, walking all trees one level per step."""
    pos, feat, thr, miss, nxt, value, depth, n_trees, width = arrays
    n = x.shape[0]
    v = x[:, feat]
    go = ((v <= thr) | (np.isnan(v) & miss)).astype(np.intp).ravel()
    node = np.broadcast_to(np.arange(n_trees) * width, (n, n_trees))
    base = (np.arange(n) * len(feat))[:, None]
    for _ in range(depth):
        node = nxt[2 * node + go[base + pos[node]]]
    return value[node].sum(axis=1)
