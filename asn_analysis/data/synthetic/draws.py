"""Random draws several generator stages share: stochastic rounding and business days.

Examples
--------
>>> import numpy as np
>>> stochastic_round(np.array([1.25, 2.5]), np.array([0.8, 0.2]))
array([2., 2.])
"""

from __future__ import annotations

import numpy as np

__all__ = ["random_busdays", "stochastic_round"]


def stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``floor(x + u)`` with ``u ~ U(0, 1)``: unbiased and monotone in ``x`` for fixed ``u``.

    Parameters
    ----------
    x : numpy.ndarray
        Values to round.
    u : numpy.ndarray
        Uniform draws on [0, 1), shared between the outcomes with and without a cause
        (common random numbers).

    Returns
    -------
    numpy.ndarray
        Whole numbers (float dtype) with ``E[floor(x + U)] = x``.

    Examples
    --------
    >>> stochastic_round(np.array([0.5]), np.array([0.4]))
    array([0.])
    """
    return np.floor(x + u)


def random_busdays(
    rng: np.random.Generator, start: str, end: str, size: int, weekmask: str = "Mon Tue Wed Thu Fri"
) -> np.ndarray:
    """Uniform random business days in ``[start, end)`` as ``datetime64[D]``.

    Examples
    --------
    >>> days = random_busdays(np.random.default_rng(0), "2024-07-01", "2024-07-06", 3)
    >>> bool(((days >= np.datetime64("2024-07-01")) & (days < np.datetime64("2024-07-06"))).all())
    True
    """
    first = np.busday_offset(start, 0, roll="forward", weekmask=weekmask)
    count = int(np.busday_count(first, end, weekmask=weekmask))
    return np.busday_offset(first, rng.integers(0, count, size=size), weekmask=weekmask)
