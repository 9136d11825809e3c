"""Weighted Gram matrices X' diag(w) X of one design, whole or per group of rows.

The Hessians of the likelihood models (:mod:`asn_analysis.stats.mestimation`) are weighted Gram
matrices of a design that is mostly indicator columns (job type, unit), evaluated many times
with new weights (Newton steps, and the cluster Hessians of every test of the score bootstrap,
:mod:`asn_analysis.stats.bootstrap`). :class:`WeightedGram` finds the pairs of non-zero entries
of each row once; each evaluation is then one ``np.bincount`` over those pairs, for the whole
sample or for every group of rows at once. A dense design falls back on the BLAS product.
:func:`segment_sums` adds consecutive row segments (rows sorted by cluster).
"""

from __future__ import annotations

import numpy as np

__all__ = ["WeightedGram", "segment_sums"]

_PAIRS_PER_DENSE_TERM = 1 / 8  # pairs are used while they cost under 1/8 of the dense product


def segment_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Return the sums of the row segments ``values[bounds[g]:bounds[g + 1]]``.

    Rows are added in order within a segment; an empty segment sums to zero.

    Examples
    --------
    >>> segment_sums(np.arange(5.0), np.array([0, 2, 2, 5])).tolist()
    [1.0, 0.0, 9.0]
    """
    out = np.zeros((len(bounds) - 1, *values.shape[1:]))
    full = np.flatnonzero(np.diff(bounds) > 0)
    if len(full):
        out[full] = np.add.reduceat(values, bounds[full], axis=0)
    return out


class WeightedGram:
    """X' diag(w) X and X' W for one design X and changing weights.

    Parameters
    ----------
    x : numpy.ndarray, shape (n, k)
        The design.

    Examples
    --------
    >>> x = np.array([[1.0, 0.0], [1.0, 2.0], [0.0, 1.0]])
    >>> gram = WeightedGram(x)
    >>> gram.gram(np.array([1.0, 1.0, 2.0])).tolist()
    [[2.0, 2.0], [2.0, 6.0]]
    >>> gram.gram_blocks(np.ones(3), np.array([0, 0, 1]), 2)[1].tolist()
    [[0.0, 0.0], [0.0, 1.0]]
    """

    def __init__(self, x: np.ndarray) -> None:
        self.x = np.asarray(x, dtype=float)
        n, k = self.x.shape
        self.k = k
        rows, cols = np.nonzero(self.x)  # row-major: the non-zeros of each row together
        per_row = np.bincount(rows, minlength=n)
        n_pairs = int((per_row**2).sum())
        self.sparse = n_pairs <= _PAIRS_PER_DENSE_TERM * n * k * k
        if not self.sparse:
            return
        vals = self.x[rows, cols]
        start = np.concatenate([[0], np.cumsum(per_row)[:-1]])
        # Every non-zero pairs with each non-zero of its row.
        reps = per_row[rows]
        first = np.repeat(np.arange(len(rows)), reps)
        offset = np.arange(n_pairs) - np.repeat(np.cumsum(reps) - reps, reps)
        second = start[rows[first]] + offset
        self._pair_idx = cols[first] * k + cols[second]
        self._pair_row = rows[first]
        self._pair_val = vals[first] * vals[second]
        self._rows, self._cols, self._vals = rows, cols, vals
        # Output cells per grouping: the last two (the whole sample and the clusters).
        self._groupings: list[dict] = []

    def _grouping(self, group: np.ndarray) -> dict:
        """Return the output cells of the pairs and non-zeros under ``group`` (kept)."""
        for entry in self._groupings:
            if np.array_equal(entry["group"], group):
                return entry
        k = self.k
        entry = {
            "group": group.copy(),
            "pairs": self._pair_idx + k * k * group[self._pair_row],
            "nonzeros": k * group[self._rows] + self._cols,
            "entries": None,
        }
        self._groupings = [entry, *self._groupings[:1]]
        return entry

    def _pairs_for(self, w: np.ndarray) -> bool:
        # A NaN or infinite weight times a zero entry is NaN: the dense product spreads it over
        # the row, which the pairs of non-zeros would not; such weights take the dense path.
        return self.sparse and bool(np.isfinite(w).all())

    def gram(self, w: np.ndarray) -> np.ndarray:
        """Return X' diag(w) X, shape (k, k)."""
        if not self._pairs_for(w):
            return (self.x * w[:, None]).T @ self.x
        out = np.bincount(
            self._pair_idx, weights=w[self._pair_row] * self._pair_val, minlength=self.k**2
        )
        return out.reshape(self.k, self.k)

    def gram_blocks(self, w: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
        """Return X_g' diag(w_g) X_g of the rows of each group (codes 0..G-1), shape (G, k, k)."""
        k = self.k
        if not self._pairs_for(w):
            out = np.zeros((n_groups, k, k))
            for g in range(n_groups):
                xg = self.x[group == g]
                out[g] = (xg * w[group == g, None]).T @ xg
            return out
        out = np.bincount(
            self._grouping(group)["pairs"],
            weights=w[self._pair_row] * self._pair_val,
            minlength=n_groups * k * k,
        )
        return out.reshape(n_groups, k, k)

    def cross_entries(
        self, w: np.ndarray, columns: np.ndarray, m: int, group: np.ndarray, n_groups: int
    ) -> np.ndarray:
        """Return X_g' W_g, shape (G, k, m), for a W (n x m) given by a few entries per row.

        ``w[i, e]`` is in column ``columns[i, e]`` of row i (``w`` and ``columns`` of shape
        (n, e)); entries of a row in one column add up.
        """
        if not self._pairs_for(w):
            dense = np.zeros((len(w), m))
            for e in range(w.shape[1]):
                dense[np.arange(len(w)), columns[:, e]] += w[:, e]
            return self.cross_blocks(dense, group, n_groups)
        entry = self._grouping(group)
        cached = entry["entries"]
        if cached is None or cached[0] != m or not np.array_equal(cached[1], columns):
            cell = (entry["nonzeros"][:, None] * m + columns[self._rows]).ravel()
            entry["entries"] = cached = (m, columns.copy(), cell)
        weights = (self._vals[:, None] * w[self._rows]).ravel()
        out = np.bincount(cached[2], weights=weights, minlength=n_groups * self.k * m)
        return out.reshape(n_groups, self.k, m)

    def cross_blocks(self, w: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
        """Return X_g' W_g of the rows of each group, W of shape (n, m); shape (G, k, m)."""
        k, m = self.k, w.shape[1]
        if not self._pairs_for(w):
            out = np.zeros((n_groups, k, m))
            for g in range(n_groups):
                out[g] = self.x[group == g].T @ w[group == g]
            return out
        cell = self._grouping(group)["nonzeros"]
        out = np.empty((n_groups * k, m))
        for j in range(m):
            weights = self._vals * w[self._rows, j]
            out[:, j] = np.bincount(cell, weights=weights, minlength=n_groups * k)
        return out.reshape(n_groups, k, m)
