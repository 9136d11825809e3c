"""Employee resistance to evaluation: scale scores, drivers, group summaries, change.

The staff survey measures four constructs with Likert items (item map in ``survey_items``):
resistance to evaluation, perceived transparency of the evaluation, quality of communication
about it, and perceived threat. The question a regional government asks is whether
transparency and communication lower resistance (and threat raises it).

The drivers model is a linear regression of the resistance score on the other scale scores
with job type, years of service and survey wave as controls. Employees in one unit share a
leader and an evaluation process, so their errors are correlated: standard errors are
clustered by unit. With few units (a regency has about 30) cluster-robust inference is
fragile (Cameron, Gelbach & Miller 2008; Cameron & Miller 2015): the model uses the small-sample
correction and t(G - 1) reference distribution, and says so in its notes. The sentences that
report these results are in :mod:`asn_analysis.reporting`.

References
----------
.. [1] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
       inference. Journal of Human Resources, 50(2), 317-372.
.. [2] Oreg, S. (2003). Resistance to change: Developing an individual differences measure.
       Journal of Applied Psychology, 88(4), 680-693.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_analysis._validation import check_columns, check_level
from asn_analysis.data.periods import ordered_times
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.errors import AsnAnalysisError
from asn_analysis.results import Result
from asn_analysis.scales import ItemMap, score
from asn_analysis.stats.intervals import FEW_CLUSTERS, mean_interval, p_two_sided, t_critical
from asn_analysis.stats.threads import one_blas_thread

__all__ = [
    "DRIVERS",
    "DriversResult",
    "ResistanceInputError",
    "drivers",
    "scale_scores",
    "summarize_by",
    "wave_change",
]

#: The perceptions whose association with resistance the drivers model estimates.
DRIVERS = ("transparency", "communication", "threat")


class ResistanceInputError(AsnAnalysisError):
    """Input that the resistance analysis cannot use; the message names columns and values."""


def scale_scores(
    staff_survey: pd.DataFrame,
    item_map: ItemMap,
    employees: pd.DataFrame,
    *,
    min_answered: float | int = 0.5,
) -> pd.DataFrame:
    """Score the scales per employee and survey wave, with the employee's unit and job.

    Parameters
    ----------
    staff_survey : pandas.DataFrame
        One row per employee and wave: ``employee_id``, ``period`` and the item columns.
    item_map : ItemMap
        Scales and reverse keys (``ItemMap.from_frame(dataset.survey_items)``).
    employees : pandas.DataFrame
        ``employee_id``, ``unit_id``, ``job_type``, ``years_of_service``, ``status``.
    min_answered : float or int, default 0.5
        Least share (or count) of a scale's items answered for a score; see
        :func:`asn_analysis.scales.score`.

    Returns
    -------
    pandas.DataFrame
        employee_id, period, unit_id, job_type, status, years_of_service and one column per
        scale. ``attrs["n_insufficient"]`` counts, per scale, scores left missing because too
        few items were answered.

    Raises
    ------
    ResistanceInputError
        When survey rows refer to employees not in ``employees``.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> scores = scale_scores(ds.staff_survey, ItemMap.from_frame(ds.survey_items), ds.employees)
    >>> sorted(set(scores.columns) & {"resistance", "transparency"})
    ['resistance', 'transparency']
    """
    # An index lookup rather than isin: isin on pyarrow strings makes a Python object per value
    known = pd.Index(employees["employee_id"]).unique()
    unknown = known.get_indexer(staff_survey["employee_id"]) < 0
    if unknown.any():
        raise ResistanceInputError(
            f"staff_survey has {int(unknown.sum())} rows whose employee_id is not in employees"
        )
    scores = score(staff_survey, item_map, min_answered=min_answered)
    info = employees.set_index("employee_id")[["unit_id", "job_type", "status", "years_of_service"]]
    out = staff_survey[["employee_id", "period"]].join(info, on="employee_id")
    out["years_of_service"] = out["years_of_service"].astype("float64")
    out = pd.concat([out, scores], axis=1)
    out.attrs["n_insufficient"] = dict(scores.attrs.get("n_insufficient", {}))
    return out


@dataclass(frozen=True, repr=False)
class DriversResult(Result):
    """Result of :func:`drivers`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per term: coef, se, t, pvalue, ci_low, ci_high, std_coef (outcome and
        continuous regressors in standard-deviation units; NaN for indicator terms).
    n_obs, n_clusters : int
        Observations used and units (clusters).
    n_excluded : int
        Rows left out because a variable was missing (counted, never silent).
    r_squared : float
        Share of variance explained.
    formula : str
        The model.
    notes : tuple of str
        Assumptions and caveats about inference.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> scores = scale_scores(ds.staff_survey, ItemMap.from_frame(ds.survey_items), ds.employees)
    >>> res = drivers(scores)
    >>> res.summary().splitlines()[0][:38]
    'OLS: resistance ~ transparency + commu'
    """

    table: pd.DataFrame
    n_obs: int
    n_clusters: int
    n_excluded: int
    r_squared: float
    formula: str
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Return the coefficient table."""
        return self.table.copy()

    def heading(self) -> str:
        """Return the model, its size and fit."""
        return (
            f"OLS: {self.formula}; n = {self.n_obs} (excluded {self.n_excluded}), "
            f"clusters = {self.n_clusters}, R2 = {self.r_squared:.3f}"
        )


def drivers(
    scores: pd.DataFrame,
    *,
    outcome: str = "resistance",
    predictors: Sequence[str] = DRIVERS,
    controls: Sequence[str] = ("job_type", "years_of_service"),
    time: str | None = "period",
    cluster: str = "unit_id",
    level: float = 0.95,
) -> DriversResult:
    r"""Estimate what drives resistance to evaluation (OLS, unit-clustered standard errors).

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`scale_scores` (one row per employee and wave).
    outcome : str, default "resistance"
        Scale score explained.
    predictors : sequence of str, default ("transparency", "communication", "threat")
        Scale scores whose coefficients are of interest.
    controls : sequence of str, default ("job_type", "years_of_service")
        Other regressors; text columns enter as indicators (first level as reference).
    time : str or None, default "period"
        Column of the survey wave, entered as fixed effects; None to omit.
    cluster : str, default "unit_id"
        Cluster of the standard errors.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    DriversResult
        Tidy coefficients with CIs, standardized coefficients and notes.

    Raises
    ------
    ResistanceInputError
        Missing columns, fewer than 2 clusters, or a constant regressor.
    OptionError
        `level` not between 0 and 1.

    Notes
    -----
    :math:`y_{iw} = \alpha_w + \sum_k \beta_k x_{k,iw} + \gamma' z_{iw} + \varepsilon_{iw}`,
    estimated by OLS (statsmodels). Cluster-robust covariance with the small-sample factor
    :math:`\frac{G}{G-1}\frac{N-1}{N-K}` and t(G-1) critical values (statsmodels'
    defaults for ``cov_type="cluster"`` with ``use_t=True``). Assumes errors independent
    across units; the coefficients are associations unless the scale scores are as good as
    randomly assigned given the controls. Scale scores are means of Likert items and carry
    measurement error, which biases predictor coefficients toward zero.

    The covariance is statsmodels' own, not a second copy of
    :func:`asn_analysis.stats.sandwich.cluster_sandwich`: that function carries the
    M-estimator factor :math:`G/(G-1)` only, whereas OLS with clustered errors conventionally
    (Stata's ``regress, vce(cluster)``, statsmodels) also multiplies by :math:`(N-1)/(N-K)`;
    ``tests/test_resistance.py`` checks the standard errors against the CR1 sandwich written
    out by hand.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> scores = scale_scores(ds.staff_survey, ItemMap.from_frame(ds.survey_items), ds.employees)
    >>> res = drivers(scores)
    >>> bool(res.table.loc["transparency", "coef"] < 0)
    True
    """
    import statsmodels.formula.api as smf
    from statsmodels.regression.linear_model import OLS

    check_level(level)
    needed = [outcome, *predictors, *controls, cluster] + ([time] if time else [])
    check_columns(scores, "scores", needed, error=ResistanceInputError)
    data = scores[needed].copy()
    complete = data.notna().all(axis=1)
    n_excluded = int((~complete).sum())
    data = data[complete]
    constant = [c for c in [*predictors, *controls] if data[c].nunique() < 2]
    if constant:
        raise ResistanceInputError(f"constant regressor(s): {', '.join(constant)}")
    n_clusters = int(data[cluster].nunique())
    if n_clusters < 2:
        raise ResistanceInputError(f"{cluster} has {n_clusters} cluster; at least 2 needed")

    numeric = [c for c in [*predictors, *controls] if pd.api.types.is_numeric_dtype(data[c])]
    terms = [c if c in numeric else f"C({c})" for c in [*predictors, *controls]]
    if time:
        terms.append(f"C({time})")
    formula = f"{outcome} ~ " + " + ".join(terms)
    for c in dict.fromkeys([*predictors, *controls, *([time] if time else [])]):
        if pd.api.types.is_numeric_dtype(data[c]) or isinstance(data[c].dtype, pd.CategoricalDtype):
            continue
        # patsy's levels (sorted), given as a categorical: patsy then reads the codes instead
        # of checking every text value (the same design matrix, in half the time)
        values = data[c].to_numpy(dtype=object)
        try:
            levels = sorted(set(values))
        except TypeError:  # values of mixed types: patsy orders them itself
            continue
        data[c] = pd.Categorical(values, categories=levels)
    groups = pd.factorize(data[cluster])[0]
    fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": groups}, "use_t": True}
    z = data.copy()
    for c in [outcome, *numeric]:
        z[c] = (z[c] - z[c].mean()) / z[c].std(ddof=1)
    # The pseudo-inverse (an SVD of the design) on one BLAS thread: more only wait for one
    # another on so small a matrix (unchanged to the last digit, tests/test_resistance.py).
    with one_blas_thread():
        fit = smf.ols(formula, data=data).fit(**fit_kw)
        names = list(fit.model.exog_names)
        if set(numeric) <= set(names):
            # The same design with the standardised columns in place (what the formula gives).
            exog = pd.DataFrame(fit.model.exog, columns=names, index=data.index)
            for c in numeric:
                exog[c] = z[c]
            std_fit = OLS(z[outcome], exog).fit(**fit_kw)
        else:  # a numeric column patsy codes otherwise (true/false): the formula again
            std_fit = smf.ols(formula, data=z).fit(**fit_kw)

    ci = fit.conf_int(alpha=1 - level)
    table = pd.DataFrame(
        {
            "coef": fit.params,
            "se": fit.bse,
            "t": fit.tvalues,
            "pvalue": fit.pvalues,
            "ci_low": ci[0],
            "ci_high": ci[1],
            "std_coef": std_fit.params.where(std_fit.params.index.isin(numeric)),
        }
    )
    table.index.name = "term"
    notes = [
        f"Standard errors clustered by {cluster} ({n_clusters} clusters), small-sample "
        f"corrected, t({n_clusters - 1}) critical values.",
        "Associations, not causal effects: transparency, communication and threat are "
        "perceptions measured in the same survey.",
    ]
    if n_clusters < FEW_CLUSTERS:
        notes.append(
            f"Few clusters ({n_clusters} < {FEW_CLUSTERS}): cluster-robust p-values can be "
            "too small; read coefficients near the 5% threshold with caution (a wild cluster "
            "bootstrap is the robust check)."
        )
    if n_excluded:
        notes.append(f"{n_excluded} rows excluded for missing values.")
    return DriversResult(
        table=table,
        n_obs=int(fit.nobs),
        n_clusters=n_clusters,
        n_excluded=n_excluded,
        r_squared=float(fit.rsquared),
        formula=formula,
        notes=tuple(notes),
    )


def summarize_by(
    scores: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_id",
    scale: str = "resistance",
    level: float = 0.95,
    min_group: int = MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Summarise a scale per group with a t-based confidence interval; small groups suppressed.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`scale_scores`.
    by : str or sequence of str, default "unit_id"
        Grouping columns (e.g. ``["job_type", "period"]``).
    scale : str, default "resistance"
        Scale summarised.
    level : float, default 0.95
        Confidence level.
    min_group : int, default 5
        Groups with fewer respondents have mean, sd and CI suppressed (NaN) and
        ``suppressed`` True.

    Returns
    -------
    pandas.DataFrame
        by columns, n, mean, sd, se, ci_low, ci_high, suppressed.

    Notes
    -----
    CI: mean +/- t(n-1) * sd / sqrt(n), treating respondents in a group as independent.
    """
    check_level(level)
    keys = [by] if isinstance(by, str) else list(by)
    check_columns(scores, "scores", [*keys, scale], error=ResistanceInputError)
    values = scores.dropna(subset=[scale])
    g = values.groupby(keys, observed=True)[scale]
    out = g.agg(n="size", mean="mean", sd="std").reset_index()
    out["se"] = out["sd"] / np.sqrt(out["n"])
    tcrit = np.array([t_critical(level, df) for df in np.maximum(out["n"] - 1, 1)])
    out["ci_low"] = out["mean"] - tcrit * out["se"]
    out["ci_high"] = out["mean"] + tcrit * out["se"]
    out["suppressed"] = out["n"] < min_group
    cols = ["mean", "sd", "se", "ci_low", "ci_high"]
    out.loc[out["suppressed"], cols] = np.nan
    return out


def wave_change(
    scores: pd.DataFrame,
    *,
    before: str,
    after: str,
    scales: Sequence[str] = ("resistance", *DRIVERS),
    time: str = "period",
    level: float = 0.95,
) -> pd.DataFrame:
    """Compare scale scores between two survey waves, for employees answering both.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`scale_scores`.
    before, after : str
        The two waves (values of the `time` column).
    scales : sequence of str
        Scales compared.
    time : str, default "period"
        Wave column.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per scale: n_pairs, mean_before, mean_after, diff, se, ci_low, ci_high,
        pvalue (paired t-test), and n_before_only / n_after_only (respondents of one wave,
        not in the paired comparison).

    Notes
    -----
    Paired t-test on within-employee differences (same as ``scipy.stats.ttest_rel``); assumes
    employees are independent and ignores clustering within units.
    """
    check_level(level)
    waves = set(scores[time].unique())
    for w in (before, after):
        if w not in waves:
            raise ResistanceInputError(f"{time} has no wave {w!r}; waves: {ordered_times(waves)}")
    a = scores[scores[time] == before].set_index("employee_id")
    b = scores[scores[time] == after].set_index("employee_id")
    rows = []
    for s in scales:
        pair = pd.concat([a[s].rename("x0"), b[s].rename("x1")], axis=1, join="inner").dropna()
        m = mean_interval((pair["x1"] - pair["x0"]).to_numpy(dtype=float), level)
        n = m["n"]
        t = m["mean"] / m["se"] if m["se"] > 0 else np.nan
        rows.append(
            {
                "scale": s,
                "n_pairs": n,
                "mean_before": pair["x0"].mean(),
                "mean_after": pair["x1"].mean(),
                "diff": m["mean"],
                "se": m["se"],
                "ci_low": m["ci_low"],
                "ci_high": m["ci_high"],
                "pvalue": p_two_sided(t, n - 1),
                "n_before_only": int(a[s].dropna().index.difference(pair.index).size),
                "n_after_only": int(b[s].dropna().index.difference(pair.index).size),
            }
        )
    return pd.DataFrame(rows).set_index("scale")
