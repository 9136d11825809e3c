"""One BLAS thread for small dense algebra: the thread pools found once, limited cheaply.

On a machine whose cores are shared, OpenBLAS threads on small problems mostly wait for one
another: an SVD of a 5,000 x 10 design (the pseudo-inverse behind a statsmodels OLS fit) takes
about ten times the CPU time on two threads as on one, and many small matrix products (the IKM
bootstrap's, one per group) spin as well. :func:`one_blas_thread` limits BLAS to one thread
for a block of code. ``threadpoolctl.threadpool_limits`` does the same but searches the loaded
libraries on every call (10-25 ms); here the search runs once per process.

Examples
--------
>>> import numpy as np
>>> with one_blas_thread():
...     product = np.ones((3, 2)) @ np.ones((2, 3))
>>> product.tolist()[0]
[2.0, 2.0, 2.0]
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager

from threadpoolctl import ThreadpoolController

__all__ = ["one_blas_thread"]


@functools.cache
def _controller() -> ThreadpoolController:
    """Return the process's thread pools, found on first use (BLAS is loaded with NumPy)."""
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager:
    """Return a context manager that runs its block with BLAS limited to one thread.

    Returns
    -------
    contextlib.AbstractContextManager
        ``threadpoolctl``'s limiter; the previous limits come back on exit.

    Notes
    -----
    Results of a BLAS call can differ in the last bits with the number of threads (a sum split
    between threads is added in another order); callers use it where the sums are exact
    (integer counts) or were checked to be unchanged.
    """
    return _controller().limit(limits=1, user_api="blas")
