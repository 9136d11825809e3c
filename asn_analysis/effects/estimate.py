"""The results of the effect estimators: one effect estimate, and an event study.

Every estimator of :mod:`asn_analysis.effects` returns an :class:`EffectEstimate` (estimate,
SE, CI, p-value, sample, the inference methods computed and the assumptions), except
:func:`~asn_analysis.effects.event_study`, which returns an :class:`EventStudyResult`. Both
derive from :class:`asn_analysis.results.Result`; :func:`asn_analysis.results.compare` puts
estimates side by side.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis.results import Result
from asn_analysis.stats.intervals import p_two_sided, t_critical

__all__ = [
    "EffectEstimate",
    "EventStudyResult",
    "flag_one_treated_unit",
    "inference_frame",
    "inference_row",
]

_EMPTY: Mapping[str, pd.DataFrame] = MappingProxyType({})
_INFERENCE_COLUMNS = ["se", "ci_low", "ci_high", "pvalue", "n_draws"]
_COMPARE_COLUMNS = ["method", "estimand", "estimate", "se", "ci_low", "ci_high", "pvalue"]
_COMPARE_COLUMNS += ["n_obs", "n_treated", "n_clusters", "inference"]


def inference_row(
    method: str, estimate: float, se: float, level: float, df: float = math.inf, **extra: Any
) -> dict[str, Any]:
    """Return one row of an inference table: SE, t(df) (normal by default) CI and p-value.

    ``n_draws`` defaults to NaN (no resampling); ``extra`` may set it.

    Examples
    --------
    >>> row = inference_row("analytic", 2.0, 0.5, 0.95)
    >>> round(row["ci_low"], 3), round(row["pvalue"], 5), row["n_draws"]
    (1.02, 6e-05, nan)
    """
    crit = t_critical(level, df)
    return {
        "method": method,
        "se": se,
        "ci_low": estimate - crit * se,
        "ci_high": estimate + crit * se,
        "pvalue": p_two_sided(estimate / se if se > 0 else np.nan, df),
        "n_draws": np.nan,
    } | extra


def inference_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the inference table of an estimate: one row per method (index ``method``).

    Examples
    --------
    >>> inference_frame([{"method": "CR1", "se": 0.5, "ci_low": 0.0, "ci_high": 2.0,
    ...                   "pvalue": 0.04, "n_draws": float("nan")}]).columns.tolist()
    ['se', 'ci_low', 'ci_high', 'pvalue', 'n_draws']
    """
    frame = pd.DataFrame(rows, columns=["method", *_INFERENCE_COLUMNS])
    return frame.set_index("method")


@dataclass(frozen=True, repr=False)
class EffectEstimate(Result):
    """One effect estimate with its uncertainty, sample and assumptions.

    Attributes
    ----------
    estimate : float
        The point estimate (outcome units).
    se : float
        Standard error of the primary inference method.
    ci_low, ci_high : float
        Confidence interval at ``level``.
    pvalue : float
        Two-sided p-value for "no effect".
    n_obs : int
        Rows used.
    n_treated : int
        Treated units (panel estimators) or treated rows (cross-section estimators).
    n_clusters : int or None
        Clusters of the standard errors (None when not clustered).
    method : str
        The estimator, e.g. ``"TWFE"``.
    estimand : str, default "ATT"
        What is estimated.
    level : float, default 0.95
        Confidence level.
    n_excluded : int, default 0
        Rows left out because a needed value was missing (counted, never silent).
    inference : pandas.DataFrame
        One row per inference method computed (index ``method``): se, ci_low, ci_high, pvalue,
        n_draws. The first row is the headline method used in the fields above (chosen by the
        one rule of :func:`asn_analysis.stats.inference.headline_method`: permutation with one
        treated unit, the wild cluster bootstrap with fewer than 42 clusters, else CR1); the
        second, when there is one, is CR1 shown beside it.
    details : mapping of str to pandas.DataFrame
        Further tables, e.g. ``"att_gt"``, ``"event_time"``, ``"balance"``, ``"overlap"``,
        ``"weights"``, ``"path"``, ``"placebo"``.
    notes : tuple of str
        Assumptions and caveats about inference, in plain English.

    Examples
    --------
    >>> e = EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.02,
    ...                    n_obs=10, n_treated=2, n_clusters=None, method="DiD")
    >>> print(e.summary())
    ATT (DiD): 2.5 (SE 1, 95% CI 0.5 to 4.5), p = 0.02
    n = 10 rows (0 excluded), 2 treated
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    pvalue: float
    n_obs: int
    n_treated: int
    n_clusters: int | None
    method: str
    estimand: str = "ATT"
    level: float = 0.95
    n_excluded: int = 0
    inference: pd.DataFrame = field(default_factory=lambda: inference_frame([]))
    details: Mapping[str, pd.DataFrame] = field(default_factory=lambda: _EMPTY)
    notes: tuple[str, ...] = ()

    @classmethod
    def from_inference(
        cls, estimate: float, rows: list[dict[str, Any]], **fields: Any
    ) -> EffectEstimate:
        """Return an estimate whose SE, CI and p-value are those of the first of ``rows``.

        ``rows`` (one dict per inference method: method, se, ci_low, ci_high, pvalue,
        n_draws) become :attr:`inference`; ``fields`` give the other attributes, and ``se``
        among them replaces the first row's SE.

        Examples
        --------
        >>> e = EffectEstimate.from_inference(
        ...     2.5, [{"method": "CR1", "se": 1.0, "ci_low": 0.5, "ci_high": 4.5, "pvalue": 0.02,
        ...            "n_draws": float("nan")}],
        ...     n_obs=10, n_treated=2, n_clusters=None, method="DiD")
        >>> e.ci_low, e.inference.index.tolist()
        (0.5, ['CR1'])
        """
        primary = rows[0]
        fields.setdefault("se", float(primary["se"]))
        return cls(
            estimate=estimate,
            ci_low=float(primary["ci_low"]),
            ci_high=float(primary["ci_high"]),
            pvalue=float(primary["pvalue"]),
            inference=inference_frame(rows),
            **fields,
        )

    @property
    def headline(self) -> str:
        """Name of the headline inference method (first row of :attr:`inference`; "" if none).

        Examples
        --------
        >>> EffectEstimate.from_inference(
        ...     1.0, [inference_row("CR1", 1.0, 0.5, 0.95)], n_obs=10, n_treated=2,
        ...     n_clusters=None, method="DiD").headline
        'CR1'
        """
        return str(self.inference.index[0]) if len(self.inference) else ""

    def to_frame(self) -> pd.DataFrame:
        """Return the estimate as a one-row table (index: method).

        Returns
        -------
        pandas.DataFrame
            estimand, estimate, se, ci_low, ci_high, pvalue, level, n_obs, n_treated,
            n_clusters, n_excluded, inference (name of the headline method behind ci_low,
            ci_high and pvalue).
        """
        primary = self.headline
        row = {
            "estimand": self.estimand,
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "pvalue": self.pvalue,
            "level": self.level,
            "n_obs": self.n_obs,
            "n_treated": self.n_treated,
            "n_clusters": self.n_clusters,
            "n_excluded": self.n_excluded,
            "inference": primary,
        }
        return pd.DataFrame([row], index=pd.Index([self.method], name="method"))

    def heading(self) -> str:
        """Return the estimate with its uncertainty, the sample, and the headline method.

        The third line (only when inference methods were recorded) names the method of the CI
        and p-value and, when there is one, the method shown beside it.
        """
        pct = f"{100 * self.level:g}%"
        clusters = "" if self.n_clusters is None else f", {self.n_clusters} clusters"
        text = (
            f"{self.estimand} ({self.method}): {self.estimate:.4g} "
            f"(SE {self.se:.3g}, {pct} CI {self.ci_low:.4g} to {self.ci_high:.4g}), "
            f"p = {self.pvalue:.3g}\n"
            f"n = {self.n_obs} rows ({self.n_excluded} excluded), {self.n_treated} treated"
            f"{clusters}"
        )
        if len(self.inference):
            text += f"\nCI and p-value: {self.headline}"
        if len(self.inference) > 1:
            b = self.inference.iloc[1]
            text += (
                f"; beside it {self.inference.index[1]}: CI {b['ci_low']:.4g} to "
                f"{b['ci_high']:.4g}, p = {b['pvalue']:.3g}"
            )
        return text

    def tables(self) -> list[pd.DataFrame]:
        """Return the inference methods when more than one was computed."""
        return [self.inference] if len(self.inference) > 1 else []

    def compare_row(self) -> dict[str, Any]:
        """Return the row of :func:`asn_analysis.results.compare`.

        method, estimand, estimate, se, ci_low, ci_high, pvalue, n_obs, n_treated, n_clusters,
        inference (the headline method behind ci_low, ci_high and pvalue); plus ``beside``
        (the second method, CR1 when the headline is a bootstrap or a permutation test),
        ``beside_pvalue``, ``beside_ci_low``, ``beside_ci_high`` when a second method was
        computed.

        Examples
        --------
        >>> from asn_analysis.results import compare
        >>> e = EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.02,
        ...                    n_obs=10, n_treated=2, n_clusters=None, method="DiD")
        >>> compare([e], truth=2.0)[["estimate", "error", "covered"]].to_dict("records")
        [{'estimate': 2.5, 'error': 0.5, 'covered': True}]
        """
        full = self.to_frame().reset_index().iloc[0].to_dict()
        row = {c: full[c] for c in _COMPARE_COLUMNS}
        if len(self.inference) > 1:
            b = self.inference.iloc[1]
            row |= {
                "beside": str(self.inference.index[1]),
                "beside_pvalue": b["pvalue"],
                "beside_ci_low": b["ci_low"],
                "beside_ci_high": b["ci_high"],
            }
        return row


def flag_one_treated_unit(table: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """Add the ``one_treated_unit`` flag to an event-time table, and the note that explains it.

    An event time observed for a single treated unit (e.g. the first cohort, of one unit, at
    the longest exposure) is identified by that unit alone: its standard error reflects only
    the comparison units' variation (as with one treated unit in :func:`did`, where inference
    switches to permutation), and in the simulation study (``docs/effects_simulation.md``) its
    95 % interval covered the truth in a third to a half of the replications. Such rows are
    flagged and are never a headline number (:meth:`EventStudyResult.headline_rows` leaves
    them out).

    Parameters
    ----------
    table : pandas.DataFrame
        Event-time table (index ``event_time``; columns ``n_treated`` and ``reference``).

    Returns
    -------
    (pandas.DataFrame, str or None)
        The table with a boolean ``one_treated_unit`` column, and a note naming the flagged
        event times (None when none is flagged).

    Examples
    --------
    >>> t = pd.DataFrame({"n_treated": [0, 8, 1], "reference": [True, False, False]},
    ...                  index=pd.Index([-1, 0, 1], name="event_time"))
    >>> out, note = flag_one_treated_unit(t)
    >>> out["one_treated_unit"].tolist(), note[:36]
    ([False, False, True], 'Event time(s) 1 rest on one treated ')
    """
    flag = table["n_treated"].eq(1) & ~table["reference"].astype(bool)
    out = table.assign(one_treated_unit=flag.to_numpy(dtype=bool))
    if not flag.any():
        return out, None
    times = ", ".join(str(e) for e in out.index[flag])
    return out, (
        f"Event time(s) {times} rest on one treated unit (column one_treated_unit): the "
        "standard error reflects only the comparison units' variation, and in the simulation "
        "study such intervals covered the truth far less often than 95 % "
        "(docs/effects_simulation.md). They are not a headline number; read them as "
        "descriptive."
    )


@dataclass(frozen=True, repr=False)
class EventStudyResult(Result):
    """Leads and lags of a treatment with a joint pre-trend test.

    Attributes
    ----------
    table : pandas.DataFrame
        Index ``event_time`` (periods since first treatment; -1 is the last pre-period):
        estimate, se, ci_low, ci_high, pvalue, n_treated, pre (True for leads), reference
        (True for the normalised period, estimate 0 without SE), and one_treated_unit (True
        when the event time rests on a single treated unit: its interval under-covers, it is
        flagged in the notes and never a headline number; see :func:`flag_one_treated_unit`).
    pretrend_stat, pretrend_df, pretrend_pvalue : float
        Joint test that all leads are zero: Wald chi-square (``method="cs"``) or F
        (``method="twfe"``) statistic, its degrees of freedom and p-value.
    pretrend_test : str
        Name of the test.
    method : str
        ``"Callaway-Sant'Anna event study"`` or ``"TWFE event study"``.
    n_obs, n_units : int
        Rows and units used.
    level : float
        Confidence level.
    overall : EffectEstimate or None
        Average of the post-treatment event-time effects (e >= 0).
    notes : tuple of str
        Assumptions and caveats.

    Notes
    -----
    The figure is :func:`asn_analysis.reporting.plots.effects.plot_event_study`.

    Examples
    --------
    >>> table = pd.DataFrame({"estimate": [0.1, 0.0, 1.0]},
    ...                      index=pd.Index([-2, -1, 0], name="event_time"))
    >>> res = EventStudyResult(table, 0.5, 1.0, 0.48, "Wald chi-square", "event study", 30, 10)
    >>> print(res.heading())
    event study: n = 30 rows, 10 units
    pre-trend test (Wald chi-square): stat = 0.5, df = 1, p = 0.48
    """

    table: pd.DataFrame
    pretrend_stat: float
    pretrend_df: float
    pretrend_pvalue: float
    pretrend_test: str
    method: str
    n_obs: int
    n_units: int
    level: float = 0.95
    overall: EffectEstimate | None = None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Return the event-time table."""
        return self.table.copy()

    def headline_rows(self) -> pd.DataFrame:
        """Return the post-treatment rows a finding may headline: not flagged ``one_treated_unit``.

        Examples
        --------
        >>> t = pd.DataFrame({"estimate": [0.0, 1.0, 5.0], "pre": [True, False, False],
        ...                   "one_treated_unit": [False, False, True]},
        ...                  index=pd.Index([-1, 0, 1], name="event_time"))
        >>> EventStudyResult(t, 0.5, 1.0, 0.48, "Wald", "es", 30, 10).headline_rows().index.tolist()
        [0]
        """
        table = self.table[~self.table["pre"].astype(bool)]
        if "one_treated_unit" in table:
            table = table[~table["one_treated_unit"].astype(bool)]
        return table.copy()

    def heading(self) -> str:
        """Return the method and sample, then the pre-trend test (two lines)."""
        return (
            f"{self.method}: n = {self.n_obs} rows, {self.n_units} units\n"
            f"pre-trend test ({self.pretrend_test}): stat = {self.pretrend_stat:.4g}, "
            f"df = {self.pretrend_df:g}, p = {self.pretrend_pvalue:.3g}"
        )
