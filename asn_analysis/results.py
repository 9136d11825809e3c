"""The one base of every estimator result: text summary, tidy table, notebook rendering, compare.

Every result object the package returns (effect estimates, event studies, fit effects,
mismatches, segments, reliability, resistance drivers, the case study) derives from
:class:`Result`, so ``summary()``, ``to_frame()``, ``repr()`` and the notebook rendering look and
behave alike. Notes (assumptions and caveats) are HTML-escaped here, in one place.

A subclass implements :meth:`Result.to_frame` and may override :meth:`Result.heading` (the first
line) and :meth:`Result.tables` (what the summary shows). Subclasses are frozen dataclasses
declared with ``repr=False`` so they keep the base's ``__repr__``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis.errors import AsnAnalysisError

__all__ = ["Result", "compare"]


class Result:
    """Base of estimator results.

    Attributes
    ----------
    notes : tuple of str
        Assumptions and caveats, in plain English (subclasses declare the field).

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True, repr=False)
    ... class Mean(Result):
    ...     estimate: float
    ...     notes: tuple[str, ...] = ()
    ...     def to_frame(self):
    ...         return pd.DataFrame({"estimate": [self.estimate]}, index=["mean"])
    >>> print(Mean(1.5, notes=("n < 30 & skewed",)).summary())
    Mean
          estimate
    mean       1.5
    note: n < 30 & skewed
    >>> "&amp;" in Mean(1.5, notes=("a & b",))._repr_html_()
    True
    """

    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Return the result as a tidy table."""
        raise NotImplementedError

    def heading(self) -> str:
        """Return the first line of the summary (what was estimated, how, on what)."""
        return type(self).__name__

    def tables(self) -> list[pd.DataFrame]:
        """Return the tables the summary shows, in order (default: :meth:`to_frame`)."""
        return [self.to_frame()]

    def summary(self) -> str:
        """Return a text summary: heading, tables (rounded for display) and notes."""
        lines = [self.heading()]
        lines += [_rounded(t).to_string() for t in self.tables() if len(t)]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        tables = "".join(_rounded(t).to_html() for t in self.tables() if len(t))
        notes = "".join(f"<li>{html.escape(str(n))}</li>" for n in self.notes)
        return (
            f"<p><b>{html.escape(self.heading())}</b></p>"
            + tables
            + (f"<ul>{notes}</ul>" if notes else "")
        )

    def compare_row(self) -> dict[str, Any]:
        """Return this result as one row of a :func:`compare` table.

        The default is the single row of :meth:`to_frame` with its index value as ``method``;
        results whose table has several rows override it.
        """
        frame = self.to_frame()
        if len(frame) != 1:
            raise AsnAnalysisError(
                f"{type(self).__name__} has {len(frame)} rows; compare() puts one-row results "
                "side by side"
            )
        row = frame.reset_index().iloc[0].to_dict()
        name = frame.index.name or "index"
        if "method" not in row:
            row["method"] = row.pop(name, type(self).__name__)
        return row

    def compare(
        self, *others: Result, truth: float | Sequence[float] | None = None
    ) -> pd.DataFrame:
        """Put this result beside ``others``; see :func:`compare`."""
        return compare([self, *others], truth=truth)


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.round(4)


def compare(
    results: Sequence[Result] | Mapping[str, Result],
    *,
    truth: float | Sequence[float] | None = None,
) -> pd.DataFrame:
    """Put several results side by side, one row each.

    Parameters
    ----------
    results : sequence of Result, or mapping of name to Result
        The results; names default to each result's ``method``.
    truth : float or sequence of float, optional
        Known true value(s) (synthetic data): adds ``truth``, ``error`` (estimate - truth) and
        ``covered`` (the interval holds the truth).

    Returns
    -------
    pandas.DataFrame
        Index ``name``; the columns of each result's :meth:`Result.compare_row`.

    Raises
    ------
    AsnAnalysisError
        No results, or ``truth`` given for results without ``estimate``, ``ci_low`` and
        ``ci_high``.
    """
    if isinstance(results, Mapping):
        names, items = list(results), list(results.values())
    else:
        items = list(results)
        names = None
    if not items:
        raise AsnAnalysisError("compare() needs at least one estimate")
    rows = [r.compare_row() for r in items]
    out = pd.DataFrame(rows)
    out.index = pd.Index(names if names is not None else out["method"].tolist(), name="name")
    if truth is not None:
        missing = [c for c in ("estimate", "ci_low", "ci_high") if c not in out]
        if missing:
            raise AsnAnalysisError(f"truth= needs results with {', '.join(missing)}")
        out["truth"] = np.broadcast_to(np.asarray(truth, dtype=float), len(out))
        out["error"] = out["estimate"] - out["truth"]
        out["covered"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    return out
