"""Wild-bootstrap weights and the bracket search that inverts a bootstrap test into a CI.

Shared by the wild cluster restricted bootstrap of the linear estimators
(:mod:`asn_analysis.effects`) and the wild cluster score bootstrap of the likelihood models
(:mod:`asn_analysis.competency.fit_effects`).

References
----------
.. [1] Roodman, D., MacKinnon, J. G., Nielsen, M. O., & Webb, M. D. (2019). Fast and wild:
   Bootstrap inference in Stata using boottest. *The Stata Journal*, 19(1), 4-60.
.. [2] Webb, M. D. (2023). Reworking wild bootstrap-based inference for clustered errors.
   *Canadian Journal of Economics*, 56(3), 839-858.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

__all__ = ["BootWeights", "boot_weights", "bracket"]

#: Distribution of the wild-bootstrap cluster weights.
BootWeights = Literal["rademacher", "webb", "mammen"]


def boot_weights(kind: str, n_clusters: int, n_boot: int, seed: Any) -> tuple[np.ndarray, bool]:
    """Return B x G wild-bootstrap weights and whether they enumerate every sign vector.

    Rademacher signs are enumerated in full when ``2**n_clusters <= n_boot`` (the exact
    bootstrap distribution); otherwise ``n_boot`` draws from ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> w, full = boot_weights("rademacher", 3, 999, seed=0)
    >>> w.shape, full
    ((8, 3), True)
    """
    if kind == "rademacher" and 2**n_clusters <= n_boot:
        grid = ((np.arange(2**n_clusters)[:, None] >> np.arange(n_clusters)) & 1) * 2 - 1
        return grid.astype(float), True
    rng = np.random.default_rng(seed)
    if kind == "rademacher":
        return rng.choice([-1.0, 1.0], size=(n_boot, n_clusters)), False
    if kind == "webb":
        vals = np.array(
            [-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)]
        )
        return rng.choice(vals, size=(n_boot, n_clusters)), False
    golden = math.sqrt(5)
    lo, hi = -(golden - 1) / 2, (golden + 1) / 2
    p_lo = (golden + 1) / (2 * golden)
    return np.where(rng.random((n_boot, n_clusters)) < p_lo, lo, hi), False


def bracket(
    centre: float, step: float, rejects: Callable[[float], bool], *, doublings: int = 60
) -> tuple[float, float] | None:
    """Walk out from ``centre`` by ``step``, doubling, until a value is rejected.

    Returns (last value not rejected, first value rejected), the bracket of a confidence bound
    found by test inversion; None when nothing is rejected within ``doublings`` steps (an
    unbounded interval).

    Examples
    --------
    >>> bracket(0.0, 1.0, lambda b: b > 5)
    (4.0, 8.0)
    """
    inside, outside = centre, centre + step
    for _ in range(doublings):
        if rejects(outside):
            return inside, outside
        inside, step = outside, step * 2
        outside = centre + step
    return None
