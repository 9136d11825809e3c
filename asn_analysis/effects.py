r"""Training and programme effects: difference-in-differences, staggered roll-out, weighting.

The question a regional government asks after a training programme is whether it changed
anything: competency levels of the staff who attended, and the citizen satisfaction index (IKM)
of the units whose staff were trained. This module holds the estimators; preparing the ASN
tables for them and the Kirkpatrick case study live in :mod:`asn_analysis.casestudy`.

Estimators (each returns an :class:`EffectEstimate` with SE, CI, p-value and notes):

- :func:`did` — 2x2 difference-in-differences, optionally with unit and time fixed effects.
- :func:`twfe` — two-way fixed effects with one binary treatment (fast within transformation).
- :func:`twfe_weights` — the weights TWFE puts on each treated cell (its bias, made visible).
- :func:`naive_difference` — the raw treated-minus-untreated difference (for comparison only).
- :func:`before_after` — the naive change of treated units (for comparison only).
- :func:`staggered_did` — Callaway & Sant'Anna (2021) group-time ATTs for staggered roll-outs.
- :func:`event_study` — leads and lags with a joint pre-trend test; :func:`plot_event_study`.
- :func:`synthetic_control` — Abadie et al. (2010) with placebo-in-space inference.
- :func:`att_weighting` — IPW / AIPW for the effect on the treated with balance and overlap.
- :func:`minimum_detectable_effect` — Bloom's MDE for planning the next evaluation.

Inference with few clusters
---------------------------
A regency has about 30 units. Cluster-robust (CR1) standard errors are computed with the
small-sample factor and t(G - 1) critical values, and with fewer than :data:`FEW_CLUSTERS`
clusters a wild cluster restricted bootstrap (Cameron, Gelbach & Miller 2008; Roodman et al.
2019) p-value and test-inversion CI are reported too (``EffectEstimate.inference``). With a
single treated unit cluster-robust inference is not valid (the treated cluster's residuals are
fitted almost exactly); the estimators then switch to placebo-in-space permutation inference
(Abadie, Diamond & Hainmueller 2010; Conley & Taber 2011) and say so in the notes.

References
----------
.. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
       periods. Journal of Econometrics, 225(2), 200-230.
.. [2] Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
       Journal of Econometrics, 225(2), 254-277.
.. [3] Abadie, A., Diamond, A., & Hainmueller, J. (2010). Synthetic control methods for
       comparative case studies. Journal of the American Statistical Association, 105, 493-505.
.. [4] Cameron, A. C., Gelbach, J. B., & Miller, D. L. (2008). Bootstrap-based improvements for
       inference with clustered errors. Review of Economics and Statistics, 90(3), 414-427.
.. [5] Roodman, D., Nielsen, M. O., MacKinnon, J. G., & Webb, M. D. (2019). Fast and wild:
       Bootstrap inference in Stata using boottest. The Stata Journal, 19(1), 4-60.
.. [6] Conley, T. G., & Taber, C. R. (2011). Inference with "difference in differences" with a
       small number of policy changes. Review of Economics and Statistics, 93(1), 113-125.
.. [7] Bloom, H. S. (1995). Minimum detectable effects. Evaluation Review, 19(5), 547-556;
       Bloom, H. S. (2005). Randomizing groups to evaluate place-based programs. In Learning
       More from Social Experiments. Russell Sage Foundation.
.. [8] Sant'Anna, P. H. C., & Zhao, J. (2020). Doubly robust difference-in-differences
       estimators. Journal of Econometrics, 219(1), 101-122.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np
import pandas as pd
from scipy import linalg, optimize, stats

from asn_analysis.reporting.text import number
from asn_analysis.stats.bootstrap import BootWeights, boot_weights, bracket
from asn_analysis.stats.intervals import FEW_CLUSTERS, p_two_sided, t_critical

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

#: Below this many clusters a wild cluster bootstrap is reported besides CR1 (as in
#: :mod:`asn_analysis.resistance`; Cameron & Miller 2015 discuss 42 as a rule of thumb).

Inference = Literal["auto", "cluster", "wild", "permutation"]
Control = Literal["not_yet_treated", "never_treated"]
BasePeriod = Literal["varying", "universal"]
WeightingMethod = Literal["aipw", "ipw"]
SEMethod = Literal["influence", "bootstrap"]
CSSEMethod = Literal["analytic", "bootstrap"]
EventMethod = Literal["cs", "twfe"]
MDEDesign = Literal["did", "cross_section"]
Lang = Literal["id", "en"]
SynthStatistic = Literal["rmspe_ratio", "mean_gap"]

_EMPTY: Mapping[str, pd.DataFrame] = MappingProxyType({})
_SMALL_FE = 2000  # a fixed effect with at most this many levels is solved exactly
_MAX_WILD_COLUMNS = 500  # non-nested regressors the wild bootstrap handles exactly


class EffectInputError(ValueError):
    """Input an effect estimator cannot use; the message names the column and what is wrong."""


# =============================================================================================
# Result objects
# =============================================================================================
@dataclass(frozen=True)
class EffectEstimate:
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
        n_draws. The first row is the primary method used in the fields above.
    details : mapping of str to pandas.DataFrame
        Further tables, e.g. ``"att_gt"``, ``"event_time"``, ``"balance"``, ``"overlap"``,
        ``"weights"``, ``"path"``, ``"placebo"``.
    notes : tuple of str
        Assumptions and caveats about inference, in plain English.
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
    inference: pd.DataFrame = field(default_factory=lambda: _inference_frame([]))
    details: Mapping[str, pd.DataFrame] = field(default_factory=lambda: _EMPTY)
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Return the estimate as a one-row table (index: method).

        Returns
        -------
        pandas.DataFrame
            estimand, estimate, se, ci_low, ci_high, pvalue, level, n_obs, n_treated,
            n_clusters, n_excluded, inference (name of the primary method).
        """
        primary = self.inference.index[0] if len(self.inference) else ""
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

    def summary(self) -> str:
        """Return a text summary: estimate, uncertainty, sample, inference methods and notes."""
        pct = f"{100 * self.level:g}%"
        clusters = "" if self.n_clusters is None else f", {self.n_clusters} clusters"
        lines = [
            f"{self.estimand} ({self.method}): {self.estimate:.4g} "
            f"(SE {self.se:.3g}, {pct} CI {self.ci_low:.4g} to {self.ci_high:.4g}), "
            f"p = {self.pvalue:.3g}",
            f"n = {self.n_obs} rows ({self.n_excluded} excluded), {self.n_treated} treated"
            f"{clusters}",
        ]
        if len(self.inference) > 1:
            lines.append(self.inference.round(4).to_string())
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{n}</li>" for n in self.notes)
        return (
            f"<p><b>{self.estimand}</b> ({self.method})</p>"
            + self.to_frame().round(4).to_html()
            + (self.inference.round(4).to_html() if len(self.inference) > 1 else "")
            + f"<ul>{notes}</ul>"
        )


def _inference_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    cols = ["se", "ci_low", "ci_high", "pvalue", "n_draws"]
    frame = pd.DataFrame(rows, columns=["method", *cols])
    return frame.set_index("method")


def compare(
    estimates: Sequence[EffectEstimate] | Mapping[str, EffectEstimate],
    *,
    truth: float | Sequence[float] | None = None,
) -> pd.DataFrame:
    """Put several estimates side by side.

    Parameters
    ----------
    estimates : sequence of EffectEstimate, or mapping of name to EffectEstimate
        The estimates; names default to each estimate's ``method``.
    truth : float or sequence of float, optional
        Known true value(s) (synthetic data): adds ``truth``, ``error`` and ``covered``.

    Returns
    -------
    pandas.DataFrame
        One row per estimate: method, estimand, estimate, se, ci_low, ci_high, pvalue, n_obs,
        n_treated, n_clusters, inference; plus ``wild_pvalue``, ``wild_ci_low``,
        ``wild_ci_high`` when any estimate has a wild cluster bootstrap.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 1.5, 3.5], "t": [0, 0, 1, 1], "p": [0, 1, 0, 1]})
    >>> compare([did(df, outcome="y", treated="t", post="p")])["estimate"].round(2).tolist()
    [1.0]
    """
    if isinstance(estimates, Mapping):
        names, items = list(estimates), list(estimates.values())
    else:
        items = list(estimates)
        names = [e.method for e in items]
    if not items:
        raise EffectInputError("compare() needs at least one estimate")
    rows = []
    for name, e in zip(names, items, strict=True):
        row = e.to_frame().reset_index().iloc[0].to_dict()
        row["name"] = name
        wild = [m for m in e.inference.index if m.startswith("wild")]
        if wild:
            w = e.inference.loc[wild[0]]
            row |= {
                "wild_pvalue": w["pvalue"],
                "wild_ci_low": w["ci_low"],
                "wild_ci_high": w["ci_high"],
            }
        rows.append(row)
    out = pd.DataFrame(rows).set_index("name")
    keep = ["method", "estimand", "estimate", "se", "ci_low", "ci_high", "pvalue", "n_obs"]
    keep += ["n_treated", "n_clusters", "inference"]
    keep += [c for c in ("wild_pvalue", "wild_ci_low", "wild_ci_high") if c in out]
    out = out[keep]
    if truth is not None:
        out["truth"] = np.broadcast_to(np.asarray(truth, dtype=float), len(out))
        out["error"] = out["estimate"] - out["truth"]
        out["covered"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    return out


@dataclass(frozen=True)
class EventStudyResult:
    """Leads and lags of a treatment with a joint pre-trend test.

    Attributes
    ----------
    table : pandas.DataFrame
        Index ``event_time`` (periods since first treatment; -1 is the last pre-period):
        estimate, se, ci_low, ci_high, pvalue, n_treated, pre (True for leads), reference
        (True for the normalised period, estimate 0 without SE).
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

    def summary(self) -> str:
        """Return a text summary: event-time estimates, pre-trend test and notes."""
        lines = [
            f"{self.method}: n = {self.n_obs} rows, {self.n_units} units",
            self.table.round(4).to_string(),
            f"pre-trend test ({self.pretrend_test}): stat = {self.pretrend_stat:.4g}, "
            f"df = {self.pretrend_df:g}, p = {self.pretrend_pvalue:.3g}",
        ]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{n}</li>" for n in self.notes)
        return (
            f"<p><b>{self.method}</b>; pre-trend {self.pretrend_test} = "
            f"{self.pretrend_stat:.3f} (df {self.pretrend_df:g}), p = {self.pretrend_pvalue:.3f}"
            "</p>" + self.table.round(4).to_html() + f"<ul>{notes}</ul>"
        )

    def plot(self, *, ax: Axes | None = None, truth: Mapping[int, float] | None = None) -> Axes:
        """Plot the event study; see :func:`plot_event_study`."""
        return plot_event_study(self, ax=ax, truth=truth)


# =============================================================================================
# Validation helpers
# =============================================================================================
def _check_option(name: str, value: Any, alias: Any) -> None:
    allowed = get_args(alias)
    if value not in allowed:
        raise EffectInputError(
            f"{name} must be one of {', '.join(repr(a) for a in allowed)}, not {value!r}"
        )


def _check_level(level: float) -> None:
    if not (isinstance(level, float | int) and 0 < level < 1):
        raise EffectInputError(f"level must be a number between 0 and 1, not {level!r}")


def _check_frame(data: Any, columns: Sequence[Hashable]) -> None:
    if not isinstance(data, pd.DataFrame):
        raise EffectInputError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    missing = [str(c) for c in columns if c not in data.columns]
    if missing:
        shown = ", ".join(map(str, list(data.columns)[:12]))
        raise EffectInputError(f"data has no column {', '.join(missing)} (columns: {shown})")
    if len(data) == 0:
        raise EffectInputError("data has no rows")


def _numeric(series: pd.Series, name: str) -> np.ndarray:
    """Return a float array (NaN for missing); raise when the column is not numeric."""
    if isinstance(series.dtype, pd.BooleanDtype) or series.dtype == bool:
        return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    if not pd.api.types.is_numeric_dtype(series):
        raise EffectInputError(
            f"column {name!r} must be numeric, found {series.dtype} "
            f"(e.g. {series.dropna().astype(str).head(3).tolist()})"
        )
    return series.to_numpy(dtype=float, na_value=np.nan)


def _binary(values: np.ndarray, name: str) -> np.ndarray:
    ok = np.isnan(values) | (values == 0) | (values == 1)
    if not ok.all():
        bad = np.unique(values[~ok])[:5]
        raise EffectInputError(
            f"{name} must be binary (0/1 or True/False); found values {bad.tolist()}"
        )
    return values


def _complete_rows(data: pd.DataFrame, columns: Sequence[Hashable]) -> tuple[pd.DataFrame, int]:
    """Drop rows with a missing value in ``columns``; return the rest and how many were dropped."""
    mask = data[list(dict.fromkeys(columns))].notna().all(axis=1)
    n_excluded = int((~mask).sum())
    return (data, 0) if n_excluded == 0 else (data.loc[mask], n_excluded)


def _codes(values: pd.Series | np.ndarray) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.intp), len(uniques)


# =============================================================================================
# Fixed-effects OLS with cluster-robust covariance
# =============================================================================================
def _group_demean(mat: np.ndarray, codes: np.ndarray, n_levels: int) -> np.ndarray:
    counts = np.bincount(codes, minlength=n_levels).astype(float)
    counts[counts == 0] = 1.0
    out = np.empty_like(mat)
    for j in range(mat.shape[1]):
        means = np.bincount(codes, weights=mat[:, j], minlength=n_levels) / counts
        out[:, j] = mat[:, j] - means[codes]
    return out


def _partial_two_way(mat: np.ndarray, a: np.ndarray, na: int, b: np.ndarray, nb: int) -> np.ndarray:
    r"""Exact residuals of ``mat`` on dummies of ``a`` (many levels) and ``b`` (few levels).

    Within-transform by ``a``, then project out the ``a``-demeaned dummies of ``b`` with the
    small normal equations :math:`\\tilde D'\\tilde D = \\mathrm{diag}(n_b) - C'\\,
    \\mathrm{diag}(1/n_a)\\,C`, where ``C`` is the a-by-b count table. No iteration.
    """
    from scipy import sparse

    within = _group_demean(mat, a, na)
    n_a = np.bincount(a, minlength=na).astype(float)
    n_a[n_a == 0] = 1.0
    n_b = np.bincount(b, minlength=nb).astype(float)
    if na * nb <= 20_000_000:
        counts = np.bincount(a * nb + b, minlength=na * nb).reshape(na, nb).astype(float)
        gram = np.diag(n_b) - counts.T @ (counts / n_a[:, None])
    else:
        counts = sparse.csr_matrix((np.ones(len(a)), (a, b)), shape=(na, nb))
        scaled = sparse.diags(1.0 / n_a) @ counts
        gram = np.diag(n_b) - (counts.T @ scaled).toarray()
    rhs = np.column_stack(
        [np.bincount(b, weights=within[:, j], minlength=nb) for j in range(mat.shape[1])]
    )
    coef = linalg.pinv(gram) @ rhs  # (nb, k); gram has rank nb - 1 (one redundant level)
    unit_part = (counts @ coef) / n_a[:, None]
    return within - coef[b] + unit_part[a]


def _absorb(
    mat: np.ndarray, fes: Sequence[tuple[np.ndarray, int]], *, tol: float = 1e-13
) -> tuple[np.ndarray, str]:
    """Residuals of ``mat`` (n x k) on the fixed effects; returns them and the method used."""
    if not fes:
        return mat - mat.mean(axis=0), "intercept"
    if len(fes) == 1:
        return _group_demean(mat, *fes[0]), "within transformation"
    if len(fes) == 2:
        (a, na), (b, nb) = sorted(fes, key=lambda f: -f[1])
        if nb <= _SMALL_FE:
            return _partial_two_way(mat, a, na, b, nb), "within transformation + exact time FE"
    # General case: alternating projections (method of alternating projections, Gaure 2013).
    out = mat.copy()
    scale = max(float(np.abs(mat).max()), 1.0)
    for _ in range(10_000):
        before = out.copy()
        for codes, n in fes:
            out = _group_demean(out, codes, n)
        if float(np.abs(out - before).max()) <= tol * scale:
            break
    return out, "alternating projections"


def _nested(fe_codes: np.ndarray, n_levels: int, cluster: np.ndarray) -> bool:
    """Return True when every level of the fixed effect lies within a single cluster."""
    rep = np.empty(n_levels, dtype=cluster.dtype)
    rep[fe_codes] = cluster
    return bool(np.all(rep[fe_codes] == cluster))


@dataclass
class _Fit:
    coef: np.ndarray
    vcov: np.ndarray
    names: list[str]
    resid: np.ndarray
    xt: np.ndarray  # regressors after absorbing fixed effects
    yt: np.ndarray
    n: int
    k: int  # parameters counted in the small-sample factor
    n_clusters: int
    clusters: np.ndarray
    absorb_method: str
    nested: list[bool]
    fes: list[tuple[np.ndarray, int]]


def _fe_ols(
    y: np.ndarray,
    x: np.ndarray,
    names: Sequence[str],
    fes: Sequence[tuple[np.ndarray, int]],
    clusters: np.ndarray | None,
) -> _Fit:
    """OLS of y on x with absorbed fixed effects and CR1 covariance.

    Small-sample factor G/(G-1) x (N-1)/(N-K): K counts the slope coefficients plus the fixed
    effect parameters that are not nested within the clusters (the convention of fixest,
    reghdfe and Stata's xtreg: fixed effects nested in clusters do not use degrees of freedom).
    Without clusters every row is its own cluster, which gives HC1.
    """
    n = len(y)
    both = np.column_stack([y, x])
    absorbed, method = _absorb(both, fes)
    yt, xt = absorbed[:, 0], absorbed[:, 1:]
    _check_rank(xt, x, names, fes)
    xtx = xt.T @ xt
    coef = linalg.solve(xtx, xt.T @ yt, assume_a="pos")
    resid = yt - xt @ coef
    if clusters is None:
        clusters = np.arange(n, dtype=np.intp)
    n_clusters = int(clusters.max()) + 1 if n else 0
    nested = [_nested(c, nl, clusters) for c, nl in fes]
    fe_params = sum(nl for (_, nl), is_n in zip(fes, nested, strict=True) if not is_n)
    fe_params += -(len(fes) - 1) if len(fes) > 1 and not all(nested) else 0
    if not fes:
        fe_params = 1  # the intercept
    k = x.shape[1] + max(fe_params, 0)
    scores = xt * resid[:, None]
    sums = np.column_stack(
        [
            np.bincount(clusters, weights=scores[:, j], minlength=n_clusters)
            for j in range(x.shape[1])
        ]
    )
    bread = linalg.inv(xtx)
    factor = n_clusters / max(n_clusters - 1, 1) * (n - 1) / max(n - k, 1)
    vcov = factor * bread @ (sums.T @ sums) @ bread
    return _Fit(
        coef=coef,
        vcov=(vcov + vcov.T) / 2,
        names=list(names),
        resid=resid,
        xt=xt,
        yt=yt,
        n=n,
        k=k,
        n_clusters=n_clusters,
        clusters=clusters,
        absorb_method=method,
        nested=nested,
        fes=list(fes),
    )


def _check_rank(
    xt: np.ndarray, x: np.ndarray, names: Sequence[str], fes: Sequence, *, context: str = ""
) -> None:
    """Raise naming regressors absorbed by the fixed effects or collinear with others.

    Works on the k x k Gram matrix of the standardised regressors (cheap for millions of rows).
    """
    scale = np.sqrt((x**2).sum(axis=0)) + 1e-300
    norms = np.sqrt((xt**2).sum(axis=0))
    absorbed = [str(nm) for nm, s, r in zip(names, scale, norms, strict=True) if r <= 1e-9 * s]
    if absorbed:
        what = (
            "do not vary once the unit and period fixed effects are removed (constant within "
            "units or periods)"
            if fes
            else "are constant"
        )
        raise EffectInputError(f"regressor(s) {', '.join(absorbed)} {what}: drop them{context}")
    std = xt / norms
    gram = std.T @ std
    if np.linalg.eigvalsh(gram).min() > 1e-10:
        return
    dependent = []
    kept: list[int] = []
    for j in range(xt.shape[1]):
        trial = [*kept, j]
        if np.linalg.eigvalsh(gram[np.ix_(trial, trial)]).min() > 1e-10:
            kept.append(j)
        else:
            dependent.append(str(names[j]))
    raise EffectInputError(
        f"collinear regressors: {', '.join(dependent)} are linear combinations of the other "
        f"regressors{' and the fixed effects' if fes else ''}; drop them{context}"
    )


# =============================================================================================
# Wild cluster restricted bootstrap (WCR, CR1 t-statistics) for one coefficient
# =============================================================================================
class _WildBootstrap:
    """WCR bootstrap of the t-statistic of coefficient ``j`` (Roodman et al. 2019, WCR11).

    After absorbing fixed effects nested in the clusters, the model is
    y = x b + W c + e. Everything is reduced to per-cluster sums, so a p-value for any null
    b = b0 costs O(B x G) (the bootstrap is linear in b0).
    """

    def __init__(self, fit: _Fit, j: int, extra: np.ndarray | None) -> None:
        xt_all, yt, cl, g = fit.xt, fit.yt, fit.clusters, fit.n_clusters
        others = np.delete(xt_all, j, axis=1)
        w = others if extra is None else np.column_stack([others, extra])
        # Regressors that are not absorbed by nested fixed effects (W), partialled x and y.
        if w.shape[1]:
            proj_x = linalg.lstsq(w, xt_all[:, j])[0]
            proj_y = linalg.lstsq(w, yt)[0]
            x = xt_all[:, j] - w @ proj_x
            y = yt - w @ proj_y
        else:
            x, y = xt_all[:, j], yt

        def csum(v: np.ndarray) -> np.ndarray:
            return np.bincount(cl, weights=v, minlength=g)

        self.g = g
        self.s_g = csum(x * x)
        self.s = float(self.s_g.sum())
        self.a_y = csum(x * y)
        self.beta = float(self.a_y.sum() / self.s)
        if w.shape[1]:
            self.f = np.column_stack([csum(x * w[:, k]) for k in range(w.shape[1])])  # G x q
            self.c_y = np.column_stack([csum(w[:, k] * y) for k in range(w.shape[1])])
            self.c_x = np.column_stack([csum(w[:, k] * x) for k in range(w.shape[1])])
            self.wtw_inv = linalg.pinv(w.T @ w)
        else:
            self.f = None
        resid = y - self.beta * x
        score = csum(x * resid)
        self.se0 = math.sqrt(float((score**2).sum())) / self.s  # CR1 factor cancels

    def tstats(self, b0: float, v: np.ndarray) -> tuple[float, np.ndarray]:
        a = self.a_y - b0 * self.s_g
        num = v @ a
        delta = num / self.s  # beta* - b0, shape (B,)
        scores = v * a[None, :] - delta[:, None] * self.s_g[None, :]
        if self.f is not None:
            c = self.c_y - b0 * self.c_x  # per-cluster W'u
            scores -= ((v @ c) @ self.wtw_inv) @ self.f.T
        se = np.sqrt((scores**2).sum(axis=1)) / self.s
        with np.errstate(divide="ignore", invalid="ignore"):
            t_boot = delta / se
        t0 = (self.beta - b0) / self.se0
        return t0, t_boot

    def pvalue(self, b0: float, v: np.ndarray) -> float:
        t0, t_boot = self.tstats(b0, v)
        return float(np.mean(np.abs(t0) < np.abs(t_boot)))

    def ci(self, v: np.ndarray, level: float) -> tuple[float, float]:
        alpha = 1 - level

        def bound(direction: float) -> float:
            found = bracket(
                self.beta, direction * 2 * self.se0, lambda b: self.pvalue(b, v) < alpha
            )
            if found is None:
                return direction * math.inf
            inside, outside = found
            for _ in range(60):
                mid = (inside + outside) / 2
                if self.pvalue(mid, v) < alpha:
                    outside = mid
                else:
                    inside = mid
                if abs(outside - inside) <= 1e-7 * self.se0:
                    break
            return (inside + outside) / 2

        return bound(-1.0), bound(1.0)


def _nonnested_dummies(fit: _Fit) -> np.ndarray | None:
    """Return the regressors absorbed globally rather than within clusters.

    These are the dummies of fixed effects not nested in the clusters (after absorbing the
    nested ones), and the intercept when nothing is nested.
    """
    cols = []
    any_nested = any(fit.nested)
    if not any_nested:
        cols.append(np.ones((fit.n, 1)))
    width = 0
    for (codes, n_levels), is_nested in zip(fit.fes, fit.nested, strict=True):
        if is_nested or n_levels < 2:
            continue
        width += n_levels - 1
        if width > _MAX_WILD_COLUMNS:
            return None
        dummies = np.zeros((len(codes), n_levels - 1))
        rows = np.flatnonzero(codes > 0)
        dummies[rows, codes[rows] - 1] = 1.0
        cols.append(dummies)
    mat = np.column_stack(cols) if cols else np.zeros((fit.n, 0))
    nested = [fe for fe, is_n in zip(fit.fes, fit.nested, strict=True) if is_n]
    if nested and mat.shape[1]:
        mat, _ = _absorb(mat, nested)
    return mat


def _wild_row(
    fit: _Fit, j: int, *, level: float, n_boot: int, weights: str, seed: Any
) -> tuple[dict[str, Any] | None, str | None]:
    extra = _nonnested_dummies(fit)
    if extra is None:
        return None, "wild cluster bootstrap not computed: too many non-nested fixed effects"
    boot = _WildBootstrap(fit, j, extra if extra.shape[1] else None)
    v, enumerated = boot_weights(weights, fit.n_clusters, n_boot, seed)
    p = boot.pvalue(0.0, v)
    lo, hi = boot.ci(v, level)
    draws = len(v)
    name = f"wild cluster bootstrap (WCR, {weights}{', enumerated' if enumerated else ''})"
    row = {"method": name, "se": np.nan, "ci_low": lo, "ci_high": hi, "pvalue": p, "n_draws": draws}
    return row, None


# =============================================================================================
# Shared estimation core for did / twfe / before_after
# =============================================================================================
def _cluster_codes(data: pd.DataFrame, cluster: Hashable | None) -> np.ndarray | None:
    if cluster is None:
        return None
    return _codes(data[cluster])[0]


def _panel_effect(
    data: pd.DataFrame,
    *,
    y: np.ndarray,
    x: np.ndarray,
    names: list[str],
    fes: list[tuple[np.ndarray, int]],
    clusters: np.ndarray | None,
    cluster_name: str | None,
    method: str,
    estimand: str,
    n_treated: int,
    n_excluded: int,
    level: float,
    inference: str,
    n_boot: int,
    weights: str,
    seed: Any,
    notes: list[str],
    placebo: Callable[[], tuple[float, np.ndarray, int]] | None,
) -> EffectEstimate:
    fit = _fe_ols(y, x, names, fes, clusters)
    est = float(fit.coef[0])
    se = float(math.sqrt(fit.vcov[0, 0]))
    g = fit.n_clusters
    df = g - 1 if clusters is not None else fit.n - fit.k
    tc = t_critical(level, df)
    cr1 = {
        "method": f"cluster-robust CR1, t({df})",
        "se": se,
        "ci_low": est - tc * se,
        "ci_high": est + tc * se,
        "pvalue": p_two_sided(est / se if se > 0 else np.nan, df),
        "n_draws": np.nan,
    }
    rows = [cr1]
    notes = list(notes)
    k_text = f"K = {fit.k}"
    if clusters is not None:
        notes.append(
            f"Standard errors clustered by {cluster_name} ({g} clusters): CR1 with factor "
            f"G/(G-1) x (N-1)/(N-K), {k_text} (slopes plus fixed effects not nested in the "
            f"clusters), t({g - 1}) critical values."
        )
    else:
        notes.append(f"Heteroskedasticity-robust (HC1) standard errors, {k_text}.")
    if fit.absorb_method not in ("intercept",):
        notes.append(f"Fixed effects absorbed by {fit.absorb_method}.")

    use_perm = inference == "permutation" or (inference == "auto" and placebo is not None)
    want_wild = inference == "wild" or (
        inference == "auto" and clusters is not None and g < FEW_CLUSTERS and not use_perm
    )
    if want_wild:
        if clusters is None:
            raise EffectInputError("inference='wild' needs clusters (give cluster= or unit=)")
        row, problem = _wild_row(fit, 0, level=level, n_boot=n_boot, weights=weights, seed=seed)
        if row is not None:
            rows.append(row)
            notes.append(
                f"Few clusters ({g} < {FEW_CLUSTERS}): wild cluster restricted bootstrap "
                f"(Cameron, Gelbach & Miller 2008; Roodman et al. 2019) p = {row['pvalue']:.3g}, "
                f"CI by test inversion [{row['ci_low']:.4g}, {row['ci_high']:.4g}]; prefer it "
                "when it disagrees with CR1."
            )
            if inference == "wild":
                rows = [row, cr1]
        elif problem:
            notes.append(problem)
    if use_perm:
        if placebo is None:
            raise EffectInputError(
                "inference='permutation' needs unit= and exactly one treated unit"
            )
        perm_row, perm_notes = _permutation_row(est, placebo, level)
        rows = [perm_row, *rows]
        notes += perm_notes
    primary = rows[0]
    return EffectEstimate(
        estimate=est,
        se=float(primary["se"]) if np.isfinite(primary["se"]) else se,
        ci_low=float(primary["ci_low"]),
        ci_high=float(primary["ci_high"]),
        pvalue=float(primary["pvalue"]),
        n_obs=fit.n,
        n_treated=n_treated,
        n_clusters=g if clusters is not None else None,
        method=method,
        estimand=estimand,
        level=level,
        n_excluded=n_excluded,
        inference=_inference_frame(rows),
        details=MappingProxyType({"coefficients": _coef_table(fit, level, df)}),
        notes=tuple(notes),
    )


def _coef_table(fit: _Fit, level: float, df: float) -> pd.DataFrame:
    se = np.sqrt(np.diag(fit.vcov))
    tc = t_critical(level, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = fit.coef / se
    table = pd.DataFrame(
        {
            "coef": fit.coef,
            "se": se,
            "t": t,
            "pvalue": [p_two_sided(v, df) for v in t],
            "ci_low": fit.coef - tc * se,
            "ci_high": fit.coef + tc * se,
        },
        index=pd.Index(fit.names, name="term"),
    )
    return table


def _permutation_row(
    est: float, placebo: Callable[[], tuple[float, np.ndarray, int]], level: float
) -> tuple[dict[str, Any], list[str]]:
    """Placebo-in-space p-value, SE and CI (inverting the test under a constant effect)."""
    _, placebos, n_units = placebo()
    placebos = placebos[np.isfinite(placebos)]
    n = len(placebos)
    pval = (1 + int(np.sum(np.abs(placebos) >= abs(est) - 1e-12))) / (n + 1)
    alpha = 1 - level
    m = math.floor(alpha * (n + 1) - 1 + 1e-9)
    ordered = np.sort(np.abs(placebos))[::-1]
    half = ordered[m] if 0 <= m < n else math.inf
    se = float(np.sqrt(np.mean(placebos**2))) if n else np.nan
    row = {
        "method": "permutation (placebo-in-space)",
        "se": se,
        "ci_low": est - half,
        "ci_high": est + half,
        "pvalue": pval,
        "n_draws": n,
    }
    notes = [
        "A single treated unit: cluster-robust standard errors are not valid (Conley & Taber "
        "2011; MacKinnon & Webb 2017), so inference is by placebo-in-space permutation: the "
        f"treatment is given to each of the {n} comparison units in turn (the treated unit "
        f"left out); exact p = rank / {n + 1} units = {pval:.3g}.",
        "Permutation CI: all constant effects the test does not reject at "
        f"{100 * (1 - level):g}% (|estimate - effect| within the "
        f"{'largest' if m == 0 else f'{m + 1}-th largest'} absolute placebo estimate); "
        "its smallest attainable p-value is "
        f"1/{n + 1}. The SE is the root mean square of the placebo estimates. Assumes the "
        "comparison units' estimation errors are exchangeable with the treated unit's.",
    ]
    if m < 0:
        notes.append(
            f"Too few comparison units ({n}) for a {100 * level:g}% permutation CI: it is "
            "unbounded."
        )
    return row, notes


def _single_treated_placebo(
    data: pd.DataFrame,
    *,
    unit: Hashable,
    time: Hashable,
    treat_col: str,
    refit: Callable[[pd.DataFrame], float],
) -> Callable[[], tuple[float, np.ndarray, int]]:
    treated_units = data.loc[data[treat_col] == 1, unit].unique()
    treated_unit = treated_units[0]
    path = data.loc[data[unit] == treated_unit].set_index(time)[treat_col]
    path = path[~path.index.duplicated()]

    def run() -> tuple[float, np.ndarray, int]:
        rest = data[data[unit] != treated_unit]
        controls = rest[unit].unique()
        out = np.full(len(controls), np.nan)
        for i, c in enumerate(controls):
            fake = rest.copy()
            is_c = (fake[unit] == c).to_numpy()
            new = np.zeros(len(fake))
            new[is_c] = fake.loc[is_c, time].map(path).fillna(0).to_numpy(dtype=float)
            fake[treat_col] = new
            if new.sum() == 0 or new.sum() == is_c.sum():
                continue
            try:
                out[i] = refit(fake)
            except EffectInputError:
                continue
        return 0.0, out, len(controls) + 1

    return run


# =============================================================================================
# Public estimators: did, twfe, before_after
# =============================================================================================
def did(
    data: pd.DataFrame,
    *,
    outcome: str,
    treated: str,
    post: str,
    unit: str | None = None,
    time: str | None = None,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    inference: Inference = "auto",
    n_boot: int = 9999,
    weights: BootWeights = "rademacher",
    seed: int | None = 0,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate a 2x2 difference-in-differences.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per observation (a unit-period, or a person in a period).
    outcome : str
        Numeric outcome column.
    treated : str
        Binary column: 1 for the treated group (constant within a unit).
    post : str
        Binary column: 1 for periods after the treatment started (constant within a period).
    unit, time : str, optional
        Panel identifiers. When both are given the model has unit and time fixed effects
        (a two-way fixed effects DiD); otherwise group and period indicators.
    covariates : sequence of str, default ()
        Numeric time-varying controls.
    cluster : str, optional
        Cluster of the standard errors; default ``unit`` when given, otherwise none (HC1).
    inference : {"auto", "cluster", "wild", "permutation"}, default "auto"
        ``"auto"``: CR1, plus a wild cluster bootstrap with fewer than 42 clusters, and
        placebo-in-space permutation as the primary method when exactly one unit is treated.
    n_boot : int, default 9999
        Bootstrap draws (Rademacher signs are enumerated when 2**G <= n_boot).
    weights : {"rademacher", "webb", "mammen"}, default "rademacher"
        Wild bootstrap weights (Webb's six-point weights are better below about 12 clusters).
    seed : int, optional
        Seed of the bootstrap draws.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        The DiD estimate; ``details["coefficients"]`` has all coefficients.

    Raises
    ------
    EffectInputError
        Missing or non-numeric columns, non-binary ``treated``/``post``, no treated or no
        control observations, no pre-period, ``treated`` varying within a unit or ``post``
        within a period, collinear covariates.

    Notes
    -----
    Without fixed effects: :math:`y_i = \alpha + \gamma\,T_i + \lambda\,P_i +
    \delta\,T_i P_i + x_i'\beta + \varepsilon_i`; with ``unit`` and ``time``:
    :math:`y_{it} = \alpha_i + \lambda_t + \delta\,T_i P_t + x_{it}'\beta + \varepsilon_{it}`.
    :math:`\delta` is the ATT under parallel trends (the treated group's outcome would have
    moved like the comparison group's without treatment) and no anticipation. See
    :func:`twfe` for the covariance and the few-cluster and single-treated-unit inference.

    References
    ----------
    .. [1] Cameron, Gelbach & Miller (2008); Conley & Taber (2011); Roodman et al. (2019).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 1.5, 3.5], "t": [0, 0, 1, 1], "p": [0, 1, 0, 1]})
    >>> round(did(df, outcome="y", treated="t", post="p").estimate, 6)
    1.0
    """
    _check_option("inference", inference, Inference)
    _check_option("weights", weights, BootWeights)
    _check_level(level)
    panel = unit is not None and time is not None
    cols = [outcome, treated, post, *covariates]
    cols += [c for c in (unit, time, cluster) if c is not None and c not in cols]
    _check_frame(data, cols)
    frame, n_excluded = _complete_rows(data, cols)
    frame = frame.copy()
    frame[treated] = _binary(_numeric(frame[treated], treated), treated)
    frame[post] = _binary(_numeric(frame[post], post), post)
    y = _numeric(frame[outcome], outcome)
    for value, label in ((1, "treated"), (0, "control")):
        if not (frame[treated] == value).any():
            raise EffectInputError(f"{treated} has no {label} rows (it must contain 1 and 0)")
    if not (frame[post] == 0).any():
        raise EffectInputError(f"no pre-period: {post} is 1 in every row")
    if not (frame[post] == 1).any():
        raise EffectInputError(f"no post-period: {post} is 0 in every row")
    if unit is not None:
        _constant_within(frame, treated, [unit], "unit")
    if time is not None:
        _constant_within(frame, post, [time], "period")
    cov = np.column_stack([_numeric(frame[c], c) for c in covariates]) if covariates else None
    interaction = (frame[treated] * frame[post]).to_numpy(dtype=float)
    name = f"{treated} x {post}"
    cluster = cluster if cluster is not None else unit
    clusters = _cluster_codes(frame, cluster)
    if panel:
        fes = [_codes(frame[unit]), _codes(frame[time])]
        x = interaction[:, None]
        names = [name]
        method = "DiD (unit and time fixed effects)"
    else:
        fes = []
        x = np.column_stack(
            [interaction, frame[treated].to_numpy(float), frame[post].to_numpy(float)]
        )
        names = [name, treated, post]
        method = "DiD (2x2)"
    if cov is not None:
        x = np.column_stack([x, cov])
        names += list(covariates)
    n_treated_units = (
        int(frame.loc[frame[treated] == 1, unit].nunique())
        if unit is not None
        else int((frame[treated] == 1).sum())
    )
    placebo = None
    if unit is not None and n_treated_units == 1 and inference in ("auto", "permutation"):

        def refit(fake: pd.DataFrame) -> float:
            return did(
                fake, outcome=outcome, treated=treated, post=post, unit=unit, time=time,
                covariates=covariates, cluster=cluster, inference="cluster", level=level,
            ).estimate  # fmt: skip

        placebo = _group_placebo(frame, unit=unit, treat_col=treated, refit=refit)
    notes = [
        "Identifying assumptions: parallel trends (without the treatment the treated group's "
        "outcome would have changed like the comparison group's) and no anticipation."
    ]
    return _panel_effect(
        frame,
        y=y,
        x=x,
        names=names,
        fes=fes,
        clusters=clusters,
        cluster_name=cluster,
        method=method,
        estimand="ATT",
        n_treated=n_treated_units,
        n_excluded=n_excluded,
        level=level,
        inference=inference,
        n_boot=n_boot,
        weights=weights,
        seed=seed,
        notes=notes,
        placebo=placebo,
    )


def _group_placebo(
    data: pd.DataFrame, *, unit: Hashable, treat_col: str, refit: Callable[[pd.DataFrame], float]
) -> Callable[[], tuple[float, np.ndarray, int]]:
    """Placebo-in-space for a group indicator: each control unit in turn plays the treated one."""
    treated_unit = data.loc[data[treat_col] == 1, unit].unique()[0]

    def run() -> tuple[float, np.ndarray, int]:
        rest = data[data[unit] != treated_unit]
        controls = rest[unit].unique()
        out = np.full(len(controls), np.nan)
        for i, c in enumerate(controls):
            fake = rest.copy()
            fake[treat_col] = (fake[unit] == c).to_numpy(dtype=float)
            try:
                out[i] = refit(fake)
            except EffectInputError:
                continue
        return 0.0, out, len(controls) + 1

    return run


def _constant_within(frame: pd.DataFrame, column: str, by: list[Hashable], what: str) -> None:
    spread = frame.groupby(by, observed=True, sort=False)[column].nunique()
    bad = spread[spread > 1]
    if len(bad):
        shown = ", ".join(map(str, bad.index[:5].tolist()))
        raise EffectInputError(
            f"{column} varies within a {what} ({len(bad)} {what}s, e.g. {shown}); it must be "
            f"constant within each {what}"
        )


def twfe(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    unit: str,
    time: str,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    inference: Inference = "auto",
    n_boot: int = 9999,
    weights: BootWeights = "rademacher",
    seed: int | None = 0,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate a two-way fixed effects regression of an outcome on a binary treatment.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel: one row per unit and period, or several rows (e.g. respondents) per
        unit-period.
    outcome : str
        Numeric outcome.
    treatment : str
        Binary treatment indicator :math:`D_{it}` (1 from the period the unit is treated). It
        must be constant within a unit-period.
    unit, time : str
        Unit and period identifiers (fixed effects).
    covariates : sequence of str, default ()
        Numeric time-varying controls.
    cluster : str, optional
        Cluster of the standard errors; default ``unit``.
    inference : {"auto", "cluster", "wild", "permutation"}, default "auto"
        See :func:`did`.
    n_boot : int, default 9999
        Wild bootstrap draws.
    weights : {"rademacher", "webb", "mammen"}, default "rademacher"
        Wild bootstrap weights.
    seed : int, optional
        Seed of the bootstrap draws.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        ``estimate`` is :math:`\hat\delta`; ``inference`` lists CR1 and, with few clusters, the
        wild cluster bootstrap (or the permutation test with one treated unit).

    Raises
    ------
    EffectInputError
        Missing or non-numeric columns; a non-binary treatment; no treated or no untreated
        observations; treatment varying within a unit-period; a covariate absorbed by the
        fixed effects or collinear with others.

    Notes
    -----
    :math:`y_{it} = \alpha_i + \lambda_t + \delta D_{it} + x_{it}'\beta + \varepsilon_{it}`.
    The fixed effects are absorbed, never built as dummy matrices: a within transformation by
    unit, then the (few) period effects are solved exactly from their small normal equations
    (alternating projections when both dimensions are large); rows with a missing value are
    excluded and counted in ``n_excluded``. Coefficients equal ``linearmodels.PanelOLS`` with
    ``entity_effects=True, time_effects=True``.

    Covariance: cluster-robust CR1,
    :math:`\hat V = \frac{G}{G-1}\frac{N-1}{N-K}(\tilde X'\tilde X)^{-1}
    \sum_g \tilde X_g'\hat e_g \hat e_g'\tilde X_g (\tilde X'\tilde X)^{-1}`, where K counts the
    slopes and the fixed-effect parameters not nested in the clusters (unit effects nested in
    unit clusters use no degrees of freedom: the fixest/reghdfe/xtreg convention), with
    t(G - 1) critical values. ``linearmodels`` with ``debiased=True, group_debias=True,
    count_effects=False`` uses K = slopes only; its SE differs by the factor
    :math:`\sqrt{(N-p)/(N-K)}`.

    With a staggered roll-out and effects that change over time, :math:`\hat\delta` is a
    weighted average of 2x2 comparisons some of which use already-treated units as controls,
    with possibly negative weights (Goodman-Bacon 2021): use :func:`staggered_did` then.

    References
    ----------
    .. [1] Goodman-Bacon, A. (2021). Journal of Econometrics, 225(2), 254-277.
    .. [2] Cameron, Gelbach & Miller (2008); Roodman et al. (2019).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"unit": np.repeat(np.arange(20), 4), "time": np.tile(np.arange(4), 20)})
    >>> df["d"] = ((df["unit"] < 10) & (df["time"] >= 2)).astype(int)
    >>> df["y"] = df["unit"] * 0.1 + df["time"] + 2.0 * df["d"] + rng.normal(0, 0.1, len(df))
    >>> res = twfe(df, outcome="y", treatment="d", unit="unit", time="time", n_boot=199)
    >>> round(res.estimate, 1)
    2.0
    """
    _check_option("inference", inference, Inference)
    _check_option("weights", weights, BootWeights)
    _check_level(level)
    cols = [outcome, treatment, unit, time, *covariates]
    if cluster is not None and cluster not in cols:
        cols.append(cluster)
    _check_frame(data, cols)
    frame, n_excluded = _complete_rows(data, cols)
    d = _binary(_numeric(frame[treatment], treatment), treatment)
    y = _numeric(frame[outcome], outcome)
    if not (d == 1).any():
        raise EffectInputError(f"{treatment} is never 1: no treated observations")
    if not (d == 0).any():
        raise EffectInputError(f"{treatment} is always 1: no untreated observations")
    unit_codes = _codes(frame[unit])
    time_codes = _codes(frame[time])
    n_cells = unit_codes[1] * time_codes[1]
    if n_cells <= 50_000_000:
        cell = unit_codes[0].astype(np.int64) * time_codes[1] + time_codes[0]
        count = np.bincount(cell, minlength=n_cells)
        if count.max() > 1:  # several rows per unit-period: treatment must agree within cells
            n_d = np.bincount(cell, weights=d, minlength=n_cells)
            varying = int(np.sum((n_d > 0) & (n_d < count)))
            if varying:
                raise EffectInputError(
                    f"{treatment} varies within {varying} unit-period cell(s) of ({unit}, "
                    f"{time}); the treatment must be constant within a unit-period"
                )
    else:
        _constant_within(frame.assign(_d=d), "_d", [unit, time], "unit-period")
    treated_units = np.unique(unit_codes[0][d == 1])
    ever = np.zeros(unit_codes[1], dtype=bool)
    ever[treated_units] = True
    if ever.all():
        notes_ctrl = [
            "Every unit is treated at some point: identification comes only from timing "
            "differences (not-yet-treated units as controls)."
        ]
    else:
        notes_ctrl = []
    cov = np.column_stack([_numeric(frame[c], c) for c in covariates]) if covariates else None
    x = d[:, None] if cov is None else np.column_stack([d, cov])
    names = [treatment, *covariates]
    cluster = cluster if cluster is not None else unit
    clusters = _cluster_codes(frame, cluster)
    placebo = None
    if len(treated_units) == 1 and inference in ("auto", "permutation"):

        def refit(fake: pd.DataFrame) -> float:
            return twfe(
                fake, outcome=outcome, treatment=treatment, unit=unit, time=time,
                covariates=covariates, cluster=cluster, inference="cluster", level=level,
            ).estimate  # fmt: skip

        pframe = frame.copy()
        pframe[treatment] = d
        placebo = _single_treated_placebo(
            pframe, unit=unit, time=time, treat_col=treatment, refit=refit
        )
    notes = [
        "Identifying assumptions: parallel trends and no anticipation; the single coefficient "
        "is a variance-weighted average of 2x2 comparisons. With staggered adoption and effects "
        "that change over time it is biased (already-treated units serve as controls; "
        "Goodman-Bacon 2021): compare with staggered_did().",
        *notes_ctrl,
    ]
    if n_excluded:
        notes.append(f"{n_excluded} rows excluded for missing values.")
    return _panel_effect(
        frame,
        y=y,
        x=x,
        names=names,
        fes=[unit_codes, time_codes],
        clusters=clusters,
        cluster_name=cluster,
        method="TWFE",
        estimand="ATT",
        n_treated=len(treated_units),
        n_excluded=n_excluded,
        level=level,
        inference=inference,
        n_boot=n_boot,
        weights=weights,
        seed=seed,
        notes=notes,
        placebo=placebo,
    )


def naive_difference(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectEstimate:
    """Difference in mean outcome between treated and untreated rows (no adjustment).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person (or unit).
    outcome, treatment : str
        Numeric outcome and binary treatment columns.
    cluster : str, optional
        Cluster of the standard errors (default none: HC1).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        The raw difference with its SE; the notes say why it is not an effect.

    Notes
    -----
    OLS of the outcome on an intercept and the treatment indicator. With self-selected
    participants the difference mixes the effect with pre-existing differences
    (selection bias); shown next to :func:`att_weighting` to expose that bias.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 4.0, 6.0], "d": [0, 0, 1, 1]})
    >>> naive_difference(df, outcome="y", treatment="d").estimate
    3.5
    """
    _check_level(level)
    cols = [outcome, treatment] + ([cluster] if cluster else [])
    _check_frame(data, cols)
    frame, n_excluded = _complete_rows(data, cols)
    d = _binary(_numeric(frame[treatment], treatment), treatment)
    for value, label in ((1, "treated"), (0, "untreated")):
        if not (d == value).any():
            raise EffectInputError(f"{treatment} has no {label} rows (it must contain 1 and 0)")
    return _panel_effect(
        frame,
        y=_numeric(frame[outcome], outcome),
        x=d[:, None],
        names=[treatment],
        fes=[],
        clusters=_cluster_codes(frame, cluster),
        cluster_name=cluster,
        method="naive difference",
        estimand="difference in means",
        n_treated=int((d == 1).sum()),
        n_excluded=n_excluded,
        level=level,
        inference="cluster",
        n_boot=0,
        weights="rademacher",
        seed=None,
        notes=[
            "Naive: treated and untreated may differ before treatment (selection), which this "
            "difference attributes to the treatment. Shown to expose that bias."
        ],
        placebo=None,
    )


def before_after(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Naive before-after change of the treated units (no comparison group).

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel with ``first_treated`` (the unit's first treated period, missing for
        never-treated units, which are ignored).
    outcome, unit, time, first_treated : str
        Columns.
    cluster : str, optional
        Cluster of the standard errors; default ``unit``.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EffectEstimate
        :math:`\hat\delta` of :math:`y_{it} = \alpha_i + \delta\,1[t \ge g_i] + e_{it}` over
        ever-treated units, CR1 by unit with t(G-1).

    Notes
    -----
    Attributes every change after the start to the training, including the secular trend
    and period shocks shared with untreated units: biased whenever outcomes trend. It is here
    to show that bias, not to be reported as an effect.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"u": [1, 1, 2, 2], "t": [1, 2, 1, 2], "y": [1.0, 3.0, 2.0, 4.5],
    ...                    "g": [2, 2, 2, 2]})
    >>> round(before_after(df, outcome="y", unit="u", time="t", first_treated="g").estimate, 2)
    2.25
    """
    _check_frame(data, [outcome, unit, time, first_treated])
    _check_level(level)
    frame = data[data[first_treated].notna()]
    frame, n_excluded = _complete_rows(frame, [outcome, unit, time])
    if frame.empty:
        raise EffectInputError(f"{first_treated} is missing for every unit: no treated units")
    post = (frame[time] >= frame[first_treated]).to_numpy(dtype=float)
    if not (post == 0).any():
        raise EffectInputError("no pre-period: every treated unit is treated in all its rows")
    y = _numeric(frame[outcome], outcome)
    cluster = cluster if cluster is not None else unit
    fit_frame = frame.assign(_post=post)
    est = _panel_effect(
        fit_frame,
        y=y,
        x=post[:, None],
        names=["post"],
        fes=[_codes(frame[unit])],
        clusters=_cluster_codes(frame, cluster),
        cluster_name=cluster,
        method="before-after (naive)",
        estimand="change after start",
        n_treated=int(frame[unit].nunique()),
        n_excluded=n_excluded,
        level=level,
        inference="cluster",
        n_boot=0,
        weights="rademacher",
        seed=None,
        notes=[
            "Naive: no comparison group, so secular trends and shared period shocks are "
            "attributed to the treatment. Shown to expose that bias."
        ],
        placebo=None,
    )
    return est


def twfe_weights(data: pd.DataFrame, *, treatment: str, unit: str, time: str) -> pd.DataFrame:
    r"""Return the weights the TWFE coefficient puts on each treated unit-period.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel (one row per unit-period).
    treatment : str
        Binary treatment indicator.
    unit, time : str
        Fixed-effect identifiers.

    Returns
    -------
    pandas.DataFrame
        One row per treated row: unit, time, weight. Weights sum to 1; negative ones mark
        cells whose effect *lowers* the TWFE coefficient.

    Notes
    -----
    With :math:`\tilde D` the treatment after absorbing unit and time effects,
    :math:`\hat\delta_{TWFE} = \sum_{D_{it}=1} w_{it}\,\tau_{it} + \text{noise}`,
    :math:`w_{it} = \tilde D_{it} / \sum_{D=1}\tilde D`
    (de Chaisemartin & D'Haultfoeuille 2020).
    Applied to known effects :math:`\tau_{it}` (synthetic data) the weighted sum is the TWFE
    estimand, so its distance from the plain mean of :math:`\tau` is TWFE's bias.

    References
    ----------
    .. [1] de Chaisemartin, C., & D'Haultfoeuille, X. (2020). Two-way fixed effects estimators
           with heterogeneous treatment effects. AER, 110(9), 2964-2996.

    Examples
    --------
    Two units, both treated in the end (unit 1 from period 2, unit 2 from period 3): the
    long exposure of unit 1 gets a negative weight, because in period 3 unit 1 serves as the
    control of unit 2.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"u": [1, 1, 1, 2, 2, 2], "t": [1, 2, 3] * 2,
    ...                    "d": [0, 1, 1, 0, 0, 1]})
    >>> twfe_weights(df, treatment="d", unit="u", time="t")["weight"].round(3).tolist()
    [1.0, -0.5, 0.5]
    """
    _check_frame(data, [treatment, unit, time])
    frame, _ = _complete_rows(data, [treatment, unit, time])
    d = _binary(_numeric(frame[treatment], treatment), treatment)
    if not (d == 1).any():
        raise EffectInputError(f"{treatment} is never 1: no treated rows")
    dt, _ = _absorb(d[:, None], [_codes(frame[unit]), _codes(frame[time])])
    treated = d == 1
    w = dt[treated, 0] / dt[treated, 0].sum()
    return pd.DataFrame(
        {unit: frame[unit].to_numpy()[treated], time: frame[time].to_numpy()[treated], "weight": w}
    )


# =============================================================================================
# Staggered difference-in-differences (Callaway & Sant'Anna 2021)
# =============================================================================================
@dataclass
class _StaggeredPanel:
    y: np.ndarray  # units x periods, NaN for missing
    group: np.ndarray  # first treated period position per unit; inf for never treated
    periods: list[Any]
    units: np.ndarray
    n_obs: int
    notes: list[str]


def _staggered_panel(
    data: pd.DataFrame, *, outcome: str, unit: str, time: str, first_treated: str
) -> tuple[_StaggeredPanel, int]:
    _check_frame(data, [outcome, unit, time, first_treated])
    frame, n_excluded = _complete_rows(data, [outcome, unit, time])
    y_all = _numeric(frame[outcome], outcome)
    dup = frame.duplicated([unit, time])
    if dup.any():
        raise EffectInputError(
            f"{int(dup.sum())} rows repeat a ({unit}, {time}) pair: staggered_did needs one row "
            "per unit and period (aggregate first, e.g. IKM per unit-period)"
        )
    _constant_within(frame.assign(_g=frame[first_treated].astype(object).fillna("__never__")),
                     "_g", [unit], "unit")  # fmt: skip
    periods = sorted(frame[time].unique().tolist())
    pos = {p: i for i, p in enumerate(periods)}
    units, u_codes = np.unique(frame[unit].to_numpy(), return_inverse=True)
    t_codes = frame[time].map(pos).to_numpy(dtype=np.intp)
    y = np.full((len(units), len(periods)), np.nan)
    y[u_codes, t_codes] = y_all
    g_raw = frame.groupby(unit, sort=True)[first_treated].first().reindex(units)
    group = np.full(len(units), np.inf)
    notes: list[str] = []
    late, unknown = [], []
    for i, g in enumerate(g_raw.tolist()):
        if g is None or (isinstance(g, float) and math.isnan(g)) or g is pd.NA:
            continue
        if g in pos:
            group[i] = pos[g]
        elif g > periods[-1]:
            late.append(units[i])
        else:
            unknown.append(f"{units[i]}: {g}")
    if unknown:
        raise EffectInputError(
            f"{first_treated} has values that are not periods of {time}: {', '.join(unknown[:5])}"
        )
    if late:
        notes.append(
            f"{len(late)} unit(s) first treated after the last period count as never treated."
        )
    always = group == 0
    if always.any():
        notes.append(
            f"{int(always.sum())} unit(s) treated in the first period have no pre-period and are "
            "dropped (as in Callaway & Sant'Anna 2021)."
        )
        keep = ~always
        y, group, units = y[keep], group[keep], units[keep]
    if not np.isfinite(group).any():
        raise EffectInputError(
            "no treated unit with a pre-period: every unit is never treated or treated from "
            "the first period"
        )
    panel = _StaggeredPanel(
        y=y, group=group, periods=periods, units=units, n_obs=int(np.isfinite(y).sum()),
        notes=notes,
    )  # fmt: skip
    return panel, n_excluded


def _att_gt(
    panel: _StaggeredPanel, *, control: str, base_period: str
) -> tuple[pd.DataFrame, np.ndarray]:
    """Group-time ATTs and their influence functions (n_units x n_cells)."""
    y, group = panel.y, panel.group
    n = len(group)
    n_t = y.shape[1]
    cohorts = np.unique(group[np.isfinite(group)]).astype(int)
    rows, infs = [], []
    for g in cohorts:
        in_g = group == g
        for t in range(n_t):
            if t >= g:
                b = g - 1
            elif base_period == "varying":
                b = t - 1
            else:
                b = g - 1
            if b < 0 or t == b:
                continue
            if control == "never_treated":
                ctrl = ~np.isfinite(group)
            else:
                ctrl = (group > max(t, b)) & ~in_g
            dy = y[:, t] - y[:, b]
            ok = np.isfinite(dy)
            tr, co = in_g & ok, ctrl & ok
            n_tr, n_co = int(tr.sum()), int(co.sum())
            if n_tr == 0 or n_co == 0:
                continue
            m_tr, m_co = dy[tr].mean(), dy[co].mean()
            inf = np.zeros(n)
            inf[tr] = n / n_tr * (dy[tr] - m_tr)
            inf[co] = -n / n_co * (dy[co] - m_co)
            rows.append(
                {
                    "cohort": panel.periods[g],
                    "period": panel.periods[t],
                    "event_time": t - g,
                    "estimate": m_tr - m_co,
                    "n_treated": n_tr,
                    "n_control": n_co,
                    "_g": g,
                    "_t": t,
                }
            )
            infs.append(inf)
    if not rows:
        raise EffectInputError("no group-time cell has both treated and comparison units")
    table = pd.DataFrame(rows)
    return table, np.column_stack(infs)


def _aggregate(
    cells: pd.DataFrame, inf: np.ndarray, pg: np.ndarray, group: np.ndarray, which: np.ndarray
) -> tuple[float, np.ndarray]:
    """Return a weighted average of cells (weights P(G=g)) and its influence function.

    The influence function includes the estimated-weights term of Callaway & Sant'Anna's
    aggregation (``wif`` in the R did package).
    """
    idx = np.flatnonzero(which)
    w = pg[idx] / pg[idx].sum()
    att = float(w @ cells["estimate"].to_numpy()[idx])
    g_of = cells["_g"].to_numpy()[idx]
    ind = np.column_stack([(group == g).astype(float) for g in g_of])  # n x k
    sum_pg = pg[idx].sum()
    if1 = (ind - pg[idx][None, :]) / sum_pg
    if2 = (ind - pg[idx][None, :]).sum(axis=1)[:, None] * (pg[idx] / sum_pg**2)[None, :]
    wif = if1 - if2
    agg_inf = inf[:, idx] @ w + wif @ cells["estimate"].to_numpy()[idx]
    return att, agg_inf


def _multiplier_se(inf: np.ndarray, n_boot: int, seed: Any) -> np.ndarray:
    """Multiplier bootstrap SEs (Rademacher weights by unit; IQR-based, as the did package)."""
    rng = np.random.default_rng(seed)
    n = inf.shape[0]
    v = rng.choice([-1.0, 1.0], size=(n_boot, n))
    draws = v @ inf / n
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0)
    return (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))


def _staggered_core(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control: str,
    base_period: str,
    se_method: str,
    n_boot: int,
    seed: Any,
    level: float,
) -> dict[str, Any]:
    panel, n_excluded = _staggered_panel(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated
    )
    cells, inf = _att_gt(panel, control=control, base_period=base_period)
    n = len(panel.group)
    cohort_sizes = {g: int((panel.group == g).sum()) for g in np.unique(cells["_g"])}
    pg = np.array([cohort_sizes[g] / n for g in cells["_g"]])

    def se_of(infs: np.ndarray) -> np.ndarray:
        infs = np.atleast_2d(infs.T).T
        if se_method == "bootstrap":
            return _multiplier_se(infs, n_boot, seed)
        return np.sqrt((infs**2).sum(axis=0)) / n

    z = t_critical(level, math.inf)
    cells["se"] = se_of(inf)
    post = cells["event_time"].to_numpy() >= 0
    overall, overall_inf = _aggregate(cells, inf, pg, panel.group, post)
    ev_rows, ev_infs = [], []
    for e in sorted(cells["event_time"].unique()):
        which = cells["event_time"].to_numpy() == e
        att, e_inf = _aggregate(cells, inf, pg, panel.group, which)
        ev_rows.append(
            {
                "event_time": int(e),
                "estimate": att,
                "n_cohorts": int(which.sum()),
                "n_treated": int(cells.loc[which, "n_treated"].sum()),
            }
        )
        ev_infs.append(e_inf)
    ev = pd.DataFrame(ev_rows).set_index("event_time")
    ev_inf = np.column_stack(ev_infs)
    ev["se"] = se_of(ev_inf)
    by_cohort = []
    for g, sub in cells[post].groupby("_g"):
        which = post & (cells["_g"].to_numpy() == g)
        w = np.full(int(which.sum()), 1 / which.sum())
        g_inf = inf[:, which] @ w
        by_cohort.append(
            {
                "cohort": panel.periods[int(g)],
                "estimate": float(sub["estimate"].mean()),
                "se": float(se_of(g_inf[:, None])[0]),
                "n_units": cohort_sizes[g],
                "n_periods": int(which.sum()),
            }
        )
    cohort_table = pd.DataFrame(by_cohort).set_index("cohort")
    for table in (cells, ev, cohort_table):
        table["ci_low"] = table["estimate"] - z * table["se"]
        table["ci_high"] = table["estimate"] + z * table["se"]
        with np.errstate(divide="ignore", invalid="ignore"):
            table["pvalue"] = 2 * stats.norm.sf(np.abs(table["estimate"] / table["se"]))
    overall_se = float(se_of(overall_inf[:, None])[0])
    return {
        "panel": panel,
        "cells": cells,
        "inf": inf,
        "event": ev,
        "event_inf": ev_inf,
        "cohorts": cohort_table,
        "overall": overall,
        "overall_se": overall_se,
        "n_excluded": n_excluded,
    }


def staggered_did(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    control: Control = "not_yet_treated",
    base_period: BasePeriod = "varying",
    se_method: CSSEMethod = "analytic",
    n_boot: int = 999,
    seed: int | None = 0,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate the ATT of a staggered roll-out (Callaway & Sant'Anna 2021, no covariates).

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period (e.g. IKM per unit-semester). Unbalanced panels
        are allowed: each comparison uses the units observed in both of its periods.
    outcome : str
        Numeric outcome.
    unit, time : str
        Unit and period columns; periods must sort in time order (``"2024-S1"`` does).
    first_treated : str
        The unit's first treated period (a value of ``time``), missing for never-treated units.
        Constant within a unit; treatment is absorbing.
    control : {"not_yet_treated", "never_treated"}, default "not_yet_treated"
        Comparison units for cohort g in period t: never-treated units plus units not yet
        treated by max(t, base), or never-treated units only.
    base_period : {"varying", "universal"}, default "varying"
        Base of pre-period cells: the previous period (varying, the did/csdid default) or
        g - 1 (universal). Post-period cells always compare with g - 1.
    se_method : {"analytic", "bootstrap"}, default "analytic"
        Standard errors from the influence functions, or a multiplier bootstrap on them
        (Rademacher weights per unit).
    n_boot : int, default 999
        Bootstrap draws for ``se_method="bootstrap"``.
    seed : int, optional
        Seed of the bootstrap.
    level : float, default 0.95
        Confidence level (normal critical values, as Callaway & Sant'Anna).

    Returns
    -------
    EffectEstimate
        ``estimate``: the simple overall ATT (average of post-treatment ATT(g,t) weighted by
        cohort size, i.e. the mean over treated unit-periods). ``details``: ``"att_gt"``
        (group-time ATTs), ``"event_time"`` (dynamic aggregation, including pre-periods) and
        ``"by_cohort"``.

    Raises
    ------
    EffectInputError
        Missing columns, repeated unit-periods, ``first_treated`` varying within a unit or not
        a period, no treated unit with a pre-period, no comparison units.

    Notes
    -----
    For cohort g (units first treated in period g) and period t,

    .. math::

        ATT(g,t) = E[Y_t - Y_{g-1} \mid G = g] - E[Y_t - Y_{g-1} \mid C],

    with C the comparison units. Aggregations weight cells by :math:`P(G = g)`; their
    influence functions include the estimated weights (as the R ``did`` package), and
    :math:`\widehat{Var} = \sum_i \psi_i^2 / n^2`. Assumptions: parallel trends between each
    cohort and its comparison units, no anticipation, absorbing treatment. Unlike TWFE,
    already-treated units never serve as controls, so effects that grow over time do not bias
    it (Goodman-Bacon 2021). With few treated units per cohort the analytic SEs mostly reflect
    the comparison units' variation: a cohort of one unit contributes no variance of its own.

    Validated against the ``csdid`` package (tests/reference/staggered_reference.json).

    References
    ----------
    .. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Journal of Econometrics, 225(2), 200-230.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> units, periods = np.arange(30), np.arange(6)
    >>> df = pd.DataFrame([(u, t) for u in units for t in periods], columns=["u", "t"])
    >>> df["g"] = np.where(df["u"] < 10, 3, np.where(df["u"] < 20, 4, np.nan))
    >>> df["y"] = df["u"] + 0.5 * df["t"] + np.where(df["t"] >= df["g"], 2.0, 0.0)
    >>> round(staggered_did(df, outcome="y", unit="u", time="t", first_treated="g").estimate, 6)
    2.0
    """
    _check_option("control", control, Control)
    _check_option("base_period", base_period, BasePeriod)
    _check_option("se_method", se_method, CSSEMethod)
    _check_level(level)
    core = _staggered_core(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
        control=control, base_period=base_period, se_method=se_method, n_boot=n_boot,
        seed=seed, level=level,
    )  # fmt: skip
    panel = core["panel"]
    est, se = core["overall"], core["overall_se"]
    z = t_critical(level, math.inf)
    n_treated = int(np.isfinite(panel.group).sum())
    notes = [
        "Callaway & Sant'Anna (2021) without covariates: ATT(g,t) compare each cohort's change "
        f"since its last pre-period with {control.replace('_', '-')} units; overall ATT = "
        "cohort-size weighted mean of post-treatment ATT(g,t).",
        "Assumptions: parallel trends, no anticipation, absorbing treatment.",
        f"{'Analytic influence-function' if se_method == 'analytic' else 'Multiplier-bootstrap'}"
        f" standard errors with units as clusters ({len(panel.group)} units, {n_treated} "
        "treated); normal critical values.",
        *panel.notes,
    ]
    small = core["cohorts"][core["cohorts"]["n_units"] < 2]
    if len(small):
        notes.append(
            f"Cohort(s) {', '.join(map(str, small.index))} have a single unit: their ATT(g,t) "
            "SEs reflect only the comparison units' variation and understate uncertainty."
        )
    if core["n_excluded"]:
        notes.append(f"{core['n_excluded']} rows excluded for missing values.")
    cells = core["cells"].drop(columns=["_g", "_t"]).set_index(["cohort", "period"])
    pval = p_two_sided(est / se if se > 0 else np.nan, math.inf)
    row = {
        "method": f"{se_method} (influence function)" if se_method == "analytic" else
        f"multiplier bootstrap ({n_boot})",
        "se": se, "ci_low": est - z * se, "ci_high": est + z * se, "pvalue": pval,
        "n_draws": np.nan if se_method == "analytic" else n_boot,
    }  # fmt: skip
    return EffectEstimate(
        estimate=est,
        se=se,
        ci_low=est - z * se,
        ci_high=est + z * se,
        pvalue=pval,
        n_obs=panel.n_obs,
        n_treated=n_treated,
        n_clusters=len(panel.group),
        method="Callaway-Sant'Anna",
        estimand="ATT (overall)",
        level=level,
        n_excluded=core["n_excluded"],
        inference=_inference_frame([row]),
        details=MappingProxyType(
            {"att_gt": cells, "event_time": core["event"], "by_cohort": core["cohorts"]}
        ),
        notes=tuple(notes),
    )


# =============================================================================================
# Event study
# =============================================================================================
def event_study(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    method: EventMethod = "cs",
    control: Control = "not_yet_treated",
    base_period: BasePeriod = "universal",
    cluster: str | None = None,
    level: float = 0.95,
) -> EventStudyResult:
    r"""Estimate effects by periods since first treatment (leads and lags) and test pre-trends.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period.
    outcome, unit, time, first_treated : str
        Columns, as in :func:`staggered_did`.
    method : {"cs", "twfe"}, default "cs"
        ``"cs"``: Callaway & Sant'Anna event-time aggregation (heterogeneity-robust).
        ``"twfe"``: dynamic TWFE regression on relative-period indicators (reference -1),
        never-treated units all zero; contaminated by other periods' effects when effects
        differ between cohorts (Sun & Abraham 2021).
    control : {"not_yet_treated", "never_treated"}, default "not_yet_treated"
        Comparison units for ``method="cs"``.
    base_period : {"universal", "varying"}, default "universal"
        For ``method="cs"``: ``"universal"`` compares every period with g - 1 (the plot reads
        like a TWFE event study, -1 is 0 by construction); ``"varying"`` gives short
        differences before treatment.
    cluster : str, optional
        Cluster for ``method="twfe"`` (default ``unit``).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    EventStudyResult
        Event-time table, joint pre-trend test and the average post-treatment effect.

    Raises
    ------
    EffectInputError
        As :func:`staggered_did`; or no pre-period lead to test.

    Notes
    -----
    Pre-trend test: :math:`W = \hat\theta_{pre}'\hat V_{pre}^{-1}\hat\theta_{pre}`, chi-square
    with as many degrees of freedom as leads (``"cs"``, covariance from the influence
    functions), or :math:`F = W/k` with F(k, G-1) (``"twfe"``, CR1 covariance). A
    non-rejection is weak evidence: pre-trend tests have low power (Roth 2022).

    References
    ----------
    .. [1] Callaway & Sant'Anna (2021); Sun, L., & Abraham, S. (2021). Journal of
           Econometrics, 225(2), 175-199; Roth, J. (2022). AER: Insights, 4(3), 305-322.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame([(u, t) for u in range(30) for t in range(6)], columns=["u", "t"])
    >>> df["g"] = np.where(df["u"] < 10, 3, np.nan)
    >>> df["y"] = df["u"] + np.where(df["t"] >= df["g"], 1.0 + (df["t"] - df["g"]), 0.0)
    >>> res = event_study(df, outcome="y", unit="u", time="t", first_treated="g")
    >>> res.table.loc[[0, 1, 2], "estimate"].round(6).tolist()
    [1.0, 2.0, 3.0]
    """
    _check_option("method", method, EventMethod)
    _check_option("control", control, Control)
    _check_option("base_period", base_period, BasePeriod)
    _check_level(level)
    if method == "cs":
        return _event_study_cs(
            data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
            control=control, base_period=base_period, level=level,
        )  # fmt: skip
    return _event_study_twfe(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
        cluster=cluster, level=level,
    )  # fmt: skip


def _wald(b: np.ndarray, v: np.ndarray) -> float:
    return float(b @ linalg.pinv(v) @ b)


def _event_study_cs(
    data: pd.DataFrame, *, outcome: str, unit: str, time: str, first_treated: str, control: str,
    base_period: str, level: float,
) -> EventStudyResult:  # fmt: skip
    core = _staggered_core(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated,
        control=control, base_period=base_period, se_method="analytic", n_boot=0, seed=None,
        level=level,
    )  # fmt: skip
    panel, ev, ev_inf = core["panel"], core["event"].copy(), core["event_inf"]
    n = len(panel.group)
    pre = ev.index.to_numpy() < 0
    if base_period == "universal":
        ref = pd.DataFrame(
            {"estimate": [0.0], "n_cohorts": [0], "n_treated": [0], "se": [np.nan],
             "ci_low": [np.nan], "ci_high": [np.nan], "pvalue": [np.nan]},
            index=pd.Index([-1], name="event_time"),
        )  # fmt: skip
        ev = pd.concat([ev, ref]).sort_index()
    ev["pre"] = ev.index < 0
    ev["reference"] = ev["se"].isna() & (ev.index == -1)
    vcov = ev_inf.T @ ev_inf / n**2
    b_pre = core["event"]["estimate"].to_numpy()[pre]
    k = int(pre.sum())
    if k:
        stat = _wald(b_pre, vcov[np.ix_(pre, pre)])
        pval = float(stats.chi2.sf(stat, k))
    else:
        stat = pval = float("nan")
    post = ~pre
    w = np.full(int(post.sum()), 1 / post.sum())
    avg = float(core["event"]["estimate"].to_numpy()[post] @ w)
    avg_se = float(np.sqrt(w @ vcov[np.ix_(post, post)] @ w))
    z = t_critical(level, math.inf)
    overall = EffectEstimate(
        estimate=avg, se=avg_se, ci_low=avg - z * avg_se, ci_high=avg + z * avg_se,
        pvalue=p_two_sided(avg / avg_se, math.inf), n_obs=panel.n_obs,
        n_treated=int(np.isfinite(panel.group).sum()), n_clusters=n,
        method="Callaway-Sant'Anna event study", estimand="ATT (mean over event times >= 0)",
        level=level,
        inference=_inference_frame([{"method": "analytic (influence function)", "se": avg_se,
                                     "ci_low": avg - z * avg_se, "ci_high": avg + z * avg_se,
                                     "pvalue": p_two_sided(avg / avg_se, math.inf),
                                     "n_draws": np.nan}]),
    )  # fmt: skip
    notes = [
        "Callaway & Sant'Anna event-time aggregation: ATT(g,t) averaged over cohorts at each "
        f"event time (cohort-size weights), {base_period} base period, "
        f"{control.replace('_', '-')} comparison units; analytic SEs, normal critical values.",
        "Later event times rest on fewer cohorts (n_treated column): read them with care.",
        *panel.notes,
    ]
    if not k:
        notes.append("No lead is estimable: the pre-trend test is not available.")
    return EventStudyResult(
        table=ev[
            ["estimate", "se", "ci_low", "ci_high", "pvalue", "n_treated", "pre", "reference"]
        ],
        pretrend_stat=stat,
        pretrend_df=float(k),
        pretrend_pvalue=pval,
        pretrend_test="Wald chi-square",
        method="Callaway-Sant'Anna event study",
        n_obs=panel.n_obs,
        n_units=n,
        level=level,
        overall=overall,
        notes=tuple(notes),
    )


def _event_study_twfe(
    data: pd.DataFrame, *, outcome: str, unit: str, time: str, first_treated: str,
    cluster: str | None, level: float,
) -> EventStudyResult:  # fmt: skip
    panel, n_excluded = _staggered_panel(
        data, outcome=outcome, unit=unit, time=time, first_treated=first_treated
    )
    u_idx, t_idx = np.nonzero(np.isfinite(panel.y))
    y = panel.y[u_idx, t_idx]
    rel = t_idx - panel.group[u_idx]  # inf for never treated
    events = sorted(int(e) for e in np.unique(rel[np.isfinite(rel)]) if e != -1)
    if not any(e < -1 for e in events):
        raise EffectInputError("no lead before -1: the pre-trend test needs at least 3 periods")
    x = np.column_stack([(rel == e).astype(float) for e in events])
    names = [f"e{e}" for e in events]
    fes = [(u_idx.astype(np.intp), len(panel.units)), (t_idx.astype(np.intp), len(panel.periods))]
    if cluster is None or cluster == unit:
        clusters = u_idx.astype(np.intp)
        cluster = unit
    else:
        frame = data.set_index([unit, time])[cluster]
        keys = pd.MultiIndex.from_arrays([panel.units[u_idx], [panel.periods[t] for t in t_idx]])
        clusters = _codes(frame.reindex(keys).to_numpy())[0]
    fit = _fe_ols(y, x, names, fes, clusters)
    g = fit.n_clusters
    df = g - 1
    table = _coef_table(fit, level, df)
    table.index = pd.Index(events, name="event_time")
    table = table.rename(columns={"coef": "estimate"})
    table["n_treated"] = [int(np.unique(u_idx[rel == e]).size) for e in events]
    ref = pd.DataFrame(
        {"estimate": [0.0], "se": [np.nan], "ci_low": [np.nan], "ci_high": [np.nan],
         "pvalue": [np.nan], "n_treated": [0]},
        index=pd.Index([-1], name="event_time"),
    )  # fmt: skip
    table = pd.concat([table.drop(columns="t"), ref]).sort_index()
    table["pre"] = table.index < 0
    table["reference"] = table.index == -1
    pre = np.array([e < -1 for e in events])
    k = int(pre.sum())
    wald = _wald(fit.coef[pre], fit.vcov[np.ix_(pre, pre)])
    f_stat = wald / k
    pval = float(stats.f.sf(f_stat, k, df))
    post = ~pre
    w = np.full(int(post.sum()), 1 / post.sum())
    avg = float(fit.coef[post] @ w)
    avg_se = float(np.sqrt(w @ fit.vcov[np.ix_(post, post)] @ w))
    tc = t_critical(level, df)
    overall = EffectEstimate(
        estimate=avg, se=avg_se, ci_low=avg - tc * avg_se, ci_high=avg + tc * avg_se,
        pvalue=p_two_sided(avg / avg_se, df), n_obs=fit.n,
        n_treated=int(np.isfinite(panel.group).sum()), n_clusters=g,
        method="TWFE event study", estimand="ATT (mean over event times >= 0)", level=level,
        n_excluded=n_excluded,
    )  # fmt: skip
    notes = [
        "Dynamic TWFE: unit and period fixed effects with one indicator per period since first "
        "treatment (reference -1). With effects that differ between cohorts each coefficient "
        "can mix in other event times' effects (Sun & Abraham 2021): compare with method='cs'.",
        f"CR1 standard errors clustered by {cluster} ({g} clusters), t({df}); pre-trend F test "
        f"on {k} leads with F({k}, {df}).",
        *panel.notes,
    ]
    return EventStudyResult(
        table=table[["estimate", "se", "ci_low", "ci_high", "pvalue", "n_treated", "pre",
                     "reference"]],
        pretrend_stat=float(f_stat),
        pretrend_df=float(k),
        pretrend_pvalue=pval,
        pretrend_test=f"F({k}, {df})",
        method="TWFE event study",
        n_obs=fit.n,
        n_units=len(panel.units),
        level=level,
        overall=overall,
        notes=tuple(notes),
    )  # fmt: skip


def plot_event_study(
    result: EventStudyResult,
    *,
    ax: Axes | None = None,
    truth: Mapping[int, float] | None = None,
    label: str | None = None,
) -> Axes:
    """Plot event-time estimates with confidence intervals.

    Parameters
    ----------
    result : EventStudyResult
        Output of :func:`event_study`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.
    truth : mapping of int to float, optional
        Known effects by event time (synthetic data), drawn as crosses.
    label : str, optional
        Legend label of the estimates (default: the method).

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    t = result.table
    e = t.index.to_numpy()
    err = np.vstack([t["estimate"] - t["ci_low"], t["ci_high"] - t["estimate"]])
    ax.errorbar(e, t["estimate"], yerr=np.nan_to_num(err), fmt="o", capsize=3,
                label=label or result.method)  # fmt: skip
    if truth:
        keys = sorted(truth)
        ax.plot(keys, [truth[k] for k in keys], "x", color="black", markersize=8, label="truth")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(-0.5, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlabel("periods since first treatment")
    ax.set_ylabel("effect")
    ax.set_title(
        f"{result.method}; pre-trend p = {result.pretrend_pvalue:.2f}"
        if np.isfinite(result.pretrend_pvalue)
        else result.method
    )
    ax.legend()
    return ax


# =============================================================================================
# Synthetic control
# =============================================================================================
def _simplex_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Return argmin ||target - donors w||^2 subject to w >= 0, sum(w) = 1.

    Lawson-Hanson NNLS with the sum constraint as a heavily weighted extra row finds the
    active set; the weights on it are then polished by solving the equality-constrained least
    squares exactly (KKT system). Much faster than a general QP solver for the placebo loop.
    """
    k = donors.shape[1]
    scale = max(float(np.abs(donors).max()), float(np.abs(target).max()), 1e-12)
    big = 1e4 * scale * math.sqrt(donors.shape[0] + 1)
    a = np.vstack([donors, np.full((1, k), big)])
    b = np.append(target, big)
    w, _ = optimize.nnls(a, b, maxiter=50 * k)
    support = np.flatnonzero(w > 1e-12)
    if len(support):
        sub = donors[:, support]
        kkt = np.zeros((len(support) + 1, len(support) + 1))
        kkt[:-1, :-1] = sub.T @ sub
        kkt[:-1, -1] = kkt[-1, :-1] = 1.0
        rhs = np.append(sub.T @ target, 1.0)
        sol = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:-1]
        if np.all(sol >= -1e-12):
            polished = np.zeros(k)
            polished[support] = np.clip(sol, 0, None)
            resid_new = np.sum((target - donors @ polished) ** 2)
            resid_old = np.sum((target - donors @ (w / w.sum())) ** 2)
            if resid_new <= resid_old + 1e-12 * scale**2:
                w = polished
    w = np.clip(w, 0, None)
    return w / w.sum()


def synthetic_control(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    treated_unit: Hashable,
    treatment_start: Any,
    donors: Sequence[Hashable] | None = None,
    demean: bool = False,
    statistic: SynthStatistic = "mean_gap",
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate the effect on one treated unit with a synthetic control and placebo inference.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and period.
    outcome, unit, time : str
        Columns.
    treated_unit : hashable
        The treated unit.
    treatment_start : period
        First treated period (a value of ``time``).
    donors : sequence, optional
        Units that may form the synthetic control (default: every other unit). Donors with a
        missing period are dropped (noted): the method needs a balanced panel.
    demean : bool, default False
        Subtract each unit's pre-period mean before fitting ("demeaned synthetic control",
        Ferman & Pinto 2021; an intercept as in Doudchenko & Imbens 2016). Use it when the
        treated unit's level lies outside the donors' range (e.g. the lowest-scoring unit),
        where the classic method cannot fit the pre-period.
    statistic : {"mean_gap", "rmspe_ratio"}, default "mean_gap"
        Placebo test statistic: the absolute mean post-period gap, or the post/pre RMSPE ratio
        of Abadie et al. (2010). With few pre-periods and many donors (8 semesters, 20-30
        units) placebos fit their pre-period almost exactly, which inflates their ratios and
        leaves the ratio test without power; the ratio suits long pre-periods with fewer
        donors than pre-periods.
    level : float, default 0.95
        Confidence level of the permutation CI.

    Returns
    -------
    EffectEstimate
        ``estimate``: mean post-period gap (treated minus synthetic). ``details``:
        ``"weights"`` (donor weights), ``"path"`` (treated, synthetic and gap per period),
        ``"placebo"`` (per unit: pre and post RMSPE, their ratio, mean post gap) and
        ``"placebo_gaps"`` (gap paths of all placebo runs, for plotting).

    Raises
    ------
    EffectInputError
        Missing columns; treated unit or start period not in the data; fewer than two
        pre-periods or two donors; the treated unit has a missing period.

    Notes
    -----
    Weights :math:`w \ge 0,\ \sum w = 1` minimise
    :math:`\sum_{t<T_0}(Y_{1t} - \sum_j w_j Y_{jt})^2` over all pre-treatment outcomes (no
    V matrix is needed: this is Abadie et al. with V proportional to the inverse outcome
    variance per period, and matches ``pysyncon`` ``Synth`` with that ``custom_V``). With
    more donors than pre-periods the weights may not be unique; the fitted path is.
    Inference is placebo-in-space (Abadie et al. 2010): every donor in turn is treated as if it
    had been treated, with the other donors as its pool; p = (1 + number of placebos with a
    statistic at least as large) / number of units. The CI collects every constant effect
    :math:`\tau` the test does not reject when :math:`\tau` is subtracted from the treated
    unit's post-period gaps (Firpo & Possebom 2018); both statistics give it in closed form.
    SE: standard deviation of the placebo mean gaps. Assumes the treated unit's untreated
    path is matched by the (demeaned) donors and no donor was affected.

    References
    ----------
    .. [1] Abadie, A., Diamond, A., & Hainmueller, J. (2010). JASA, 105(490), 493-505.
    .. [2] Firpo, S., & Possebom, V. (2018). Journal of Causal Inference, 6(2).
    .. [3] Ferman, B., & Pinto, C. (2021). Synthetic controls with imperfect pretreatment
           fit. Quantitative Economics, 12(4), 1197-1221.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame([(u, t) for u in range(12) for t in range(8)], columns=["u", "t"])
    >>> df["y"] = rng.normal(0, 1, 12)[df["u"]] + 0.3 * df["t"] + rng.normal(0, 0.1, len(df))
    >>> df.loc[(df["u"] == 0) & (df["t"] >= 5), "y"] += 3
    >>> res = synthetic_control(df, outcome="y", unit="u", time="t", treated_unit=0,
    ...                         treatment_start=5)
    >>> bool(2.5 < res.estimate < 3.5), round(res.pvalue, 4)
    (True, 0.0833)
    >>> bool(res.ci_low < 3 < res.ci_high)
    True
    """
    _check_option("statistic", statistic, SynthStatistic)
    _check_frame(data, [outcome, unit, time])
    _check_level(level)
    frame, n_excluded = _complete_rows(data, [outcome, unit, time])
    if frame.duplicated([unit, time]).any():
        raise EffectInputError(f"rows repeat a ({unit}, {time}) pair: one row per unit-period")
    wide = frame.pivot(index=time, columns=unit, values=outcome).sort_index().astype(float)
    if treated_unit not in wide.columns:
        raise EffectInputError(f"treated unit {treated_unit!r} is not in {unit}")
    if treatment_start not in wide.index:
        raise EffectInputError(f"treatment_start {treatment_start!r} is not a period of {time}")
    pool = [u for u in (donors if donors is not None else wide.columns) if u != treated_unit]
    unknown = [u for u in pool if u not in wide.columns]
    if unknown:
        raise EffectInputError(f"donor(s) not in {unit}: {', '.join(map(str, unknown[:5]))}")
    if wide[treated_unit].isna().any():
        raise EffectInputError(f"the treated unit {treated_unit!r} has missing periods")
    incomplete = [u for u in pool if wide[u].isna().any()]
    pool = [u for u in pool if u not in incomplete]
    pre_mask = np.asarray(wide.index < treatment_start)
    n_pre, n_post = int(pre_mask.sum()), int((~pre_mask).sum())
    if n_pre < 2:
        raise EffectInputError(f"{n_pre} pre-treatment period(s): at least 2 needed")
    if len(pool) < 2:
        raise EffectInputError(f"{len(pool)} donor(s) with complete data: at least 2 needed")
    names = [treated_unit, *pool]
    y = wide[names].to_numpy()
    if demean:
        y = y - y[pre_mask].mean(axis=0)
    pre = y[pre_mask]

    def fit(i: int, others: list[int]) -> tuple[np.ndarray, np.ndarray]:
        w = _simplex_weights(pre[:, i], pre[:, others])
        return w, y[:, i] - y[:, others] @ w

    w_treated, gap = fit(0, list(range(1, y.shape[1])))
    rows, gap_paths = [], {}
    for i in range(y.shape[1]):
        g = gap if i == 0 else fit(i, [j for j in range(1, y.shape[1]) if j != i])[1]
        gap_paths[names[i]] = g
        pre_rmspe = float(np.sqrt(np.mean(g[pre_mask] ** 2)))
        post_rmspe = float(np.sqrt(np.mean(g[~pre_mask] ** 2)))
        rows.append(
            {
                "unit": names[i],
                "treated": i == 0,
                "pre_rmspe": pre_rmspe,
                "post_rmspe": post_rmspe,
                "ratio": post_rmspe / pre_rmspe if pre_rmspe > 0 else np.inf,
                "mean_post_gap": float(g[~pre_mask].mean()),
            }
        )
    placebo = pd.DataFrame(rows).set_index("unit")
    n_units = len(placebo)
    est = float(gap[~pre_mask].mean())
    alpha = 1 - level
    m = math.floor(alpha * n_units - 1 + 1e-9)
    notes = [
        "Synthetic control (Abadie et al. 2010"
        f"{'; demeaned, Ferman & Pinto 2021' if demean else ''}) fitted on {n_pre} "
        f"pre-treatment outcomes; {len(pool)} donors; estimate = mean gap "
        f"over {n_post} post periods.",
    ]
    gp = gap[~pre_mask]
    if statistic == "rmspe_ratio":
        stat = placebo["ratio"].to_numpy()
        label = "post/pre RMSPE ratio"
    else:
        stat = np.abs(placebo["mean_post_gap"].to_numpy())
        label = "absolute mean post gap"
    others = stat[1:]
    pval = float((1 + np.sum(others >= stat[0] * (1 - 1e-12))) / n_units)
    ordered = np.sort(others)[::-1]
    if 0 <= m < len(ordered):
        crit = ordered[m]
        if statistic == "mean_gap":
            ci = (est - crit, est + crit)
        else:
            pre_r = placebo["pre_rmspe"].iloc[0]
            disc = gp.mean() ** 2 - np.mean(gp**2) + (crit * pre_r) ** 2
            if disc >= 0:
                ci = (float(gp.mean() - math.sqrt(disc)), float(gp.mean() + math.sqrt(disc)))
            else:
                ci = (np.nan, np.nan)
                notes.append("Every constant effect is rejected (post gaps vary too much): no CI.")
    else:
        ci = (-math.inf, math.inf)
        notes.append(f"Too few units ({n_units}) for a {100 * level:g}% CI: unbounded.")
    notes += [
        f"Placebo-in-space inference on the {label}: p = rank among {n_units} units = "
        f"{pval:.3g} (smallest attainable 1/{n_units}); CI by inverting the test under a "
        "constant effect (Firpo & Possebom 2018); SE = SD of the placebo mean gaps.",
        "Assumes no donor was affected by the treatment and the treated unit's untreated path "
        "is matched by a convex combination of donors.",
    ]
    if incomplete:
        notes.append(f"Donors dropped for missing periods: {', '.join(map(str, incomplete))}.")
    pre_fit = placebo["pre_rmspe"].iloc[0]
    if float(np.mean(placebo["pre_rmspe"].iloc[1:] < pre_fit)) > 0.8:
        notes.append(
            "The treated unit's pre-period fit is worse than most placebos' "
            f"(pre RMSPE {pre_fit:.3g}): it may lie outside the donors' convex hull"
            + ("." if demean else "; consider demean=True.")
        )
    if statistic == "rmspe_ratio" and float(placebo["pre_rmspe"].iloc[1:].min()) < 1e-3 * max(
        pre_fit, 1e-12
    ):
        notes.append(
            "Some placebos fit their pre-period almost exactly, which inflates their RMSPE "
            "ratios; the ratio test then has little power (consider statistic='mean_gap')."
        )
    se = float(placebo["mean_post_gap"].iloc[1:].std(ddof=1))
    weights_table = pd.DataFrame({"donor": pool, "weight": w_treated}).set_index("donor")
    path = pd.DataFrame(
        {
            "treated": wide[treated_unit].to_numpy(),
            "synthetic": wide[treated_unit].to_numpy() - gap,
            "gap": gap,
            "post": ~pre_mask,
        },
        index=wide.index,
    )
    gaps = pd.DataFrame(gap_paths, index=wide.index)
    row = {"method": f"placebo-in-space ({label})", "se": se, "ci_low": ci[0],
           "ci_high": ci[1], "pvalue": pval, "n_draws": n_units - 1}  # fmt: skip
    return EffectEstimate(
        estimate=est,
        se=se,
        ci_low=ci[0],
        ci_high=ci[1],
        pvalue=pval,
        n_obs=int(y.size),
        n_treated=1,
        n_clusters=None,
        method="synthetic control" + (" (demeaned)" if demean else ""),
        estimand="ATT (mean post-period gap)",
        level=level,
        n_excluded=n_excluded,
        inference=_inference_frame([row]),
        details=MappingProxyType(
            {"weights": weights_table, "path": path, "placebo": placebo, "placebo_gaps": gaps}
        ),
        notes=tuple(notes),
    )


def plot_synthetic_control(
    result: EffectEstimate, *, kind: Literal["path", "placebo"] = "path", ax: Axes | None = None
) -> Axes:
    """Plot a synthetic control: treated vs synthetic path, or the placebo gaps.

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`synthetic_control`.
    kind : {"path", "placebo"}, default "path"
        What to draw.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    import matplotlib.pyplot as plt

    if "path" not in result.details:
        raise EffectInputError("result is not from synthetic_control()")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    path = result.details["path"]
    x = np.arange(len(path))
    start = int(np.argmax(path["post"].to_numpy()))
    if kind == "path":
        ax.plot(x, path["treated"], "o-", label="treated")
        ax.plot(x, path["synthetic"], "s--", label="synthetic control")
        ax.set_ylabel("outcome")
    else:
        gaps = result.details["placebo_gaps"]
        for col in gaps.columns[1:]:
            ax.plot(x, gaps[col], color="grey", alpha=0.4, linewidth=0.8)
        ax.plot(x, gaps.iloc[:, 0], color="C3", linewidth=2, label="treated unit")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylabel("gap (unit minus its synthetic control)")
    ax.axvline(start - 0.5, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xticks(x, [str(p) for p in path.index], rotation=45)
    ax.legend()
    return ax


# =============================================================================================
# Weighting estimators for the effect on the treated (selection on observables)
# =============================================================================================
def _design_matrix(frame: pd.DataFrame, covariates: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    parts, names = [], []
    for c in covariates:
        s = frame[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            parts.append(s.to_numpy(dtype=float, na_value=np.nan)[:, None])
            names.append(str(c))
        else:
            levels = sorted(s.astype(str).unique())
            if len(levels) < 2:
                raise EffectInputError(f"covariate {c!r} has a single value: drop it")
            for lev in levels[1:]:
                parts.append((s.astype(str) == lev).to_numpy(dtype=float)[:, None])
                names.append(f"{c}[{lev}]")
    x = np.column_stack(parts) if parts else np.zeros((len(frame), 0))
    return x, names


def _logit(x: np.ndarray, d: np.ndarray, names: list[str]) -> np.ndarray:
    """Unpenalised logistic regression by Newton-Raphson; raises on perfect separation.

    Under (quasi-)complete separation the likelihood has no maximum: Newton steps do not
    shrink and some linear predictors run off to infinity, which is what is checked.
    """
    beta = np.zeros(x.shape[1])
    converged = False
    for _ in range(100):
        eta = np.clip(x @ beta, -40, 40)
        p = 1 / (1 + np.exp(-eta))
        grad = x.T @ (d - p)
        hess = (x * (p * (1 - p))[:, None]).T @ x
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        beta = beta + step
        if np.max(np.abs(step)) < 1e-9 * max(1.0, float(np.max(np.abs(beta)))):
            converged = True
            break
    eta = x @ beta
    if not converged or np.max(np.abs(eta)) > 30:
        extreme = np.abs(eta) > 15
        culprits = []
        for j, nm in enumerate(names):
            col = x[:, j + 1]
            if set(np.unique(col).tolist()) <= {0.0, 1.0}:
                for v in (0.0, 1.0):
                    sel = col == v
                    if sel.any() and d[sel].min() == d[sel].max():
                        group = "treated" if d[sel][0] else "untreated"
                        culprits.append(f"{nm} = {int(v)} (all {group})")
        hint = f"; it comes from {', '.join(culprits)}" if culprits else ""
        raise EffectInputError(
            "perfect separation in the propensity model: the covariates predict treatment "
            f"exactly for {int(extreme.sum())} rows (fitted probability 0 or 1){hint}. Drop or "
            "coarsen that covariate, or restrict the sample to where both groups occur"
        )
    return beta


def _smd(x: np.ndarray, d: np.ndarray, w: np.ndarray) -> pd.DataFrame:
    t, c = d == 1, d == 0
    m_t = x[t].mean(axis=0)
    m_c = x[c].mean(axis=0)
    wc = w[c] / w[c].sum()
    m_cw = wc @ x[c]
    sd = np.sqrt((x[t].var(axis=0, ddof=1) + x[c].var(axis=0, ddof=1)) / 2)
    sd[sd == 0] = np.nan
    var_cw = wc @ (x[c] - m_cw) ** 2
    return pd.DataFrame(
        {
            "mean_treated": m_t,
            "mean_control": m_c,
            "mean_control_weighted": m_cw,
            "smd_before": (m_t - m_c) / sd,
            "smd_after": (m_t - m_cw) / sd,
            "variance_ratio_after": x[t].var(axis=0, ddof=1) / np.where(var_cw > 0, var_cw, np.nan),
        }
    )


def _att_estimate(
    y: np.ndarray, d: np.ndarray, x: np.ndarray, names: list[str], method: str
) -> dict[str, Any]:
    """ATT by IPW (normalised) or AIPW, with its influence function (stacked M-estimation)."""
    n, k = x.shape
    gamma = _logit(x, d, names)
    p = 1 / (1 + np.exp(-(x @ gamma)))
    w = p / (1 - p)
    t, c = d == 1, d == 0
    if method == "aipw":
        beta = linalg.lstsq(x[c], y[c])[0]
        r = y - x @ beta
    else:
        beta = np.zeros(k)
        r = y
    mu1 = r[t].mean()
    mu0 = float((w[c] * r[c]).sum() / w[c].sum())
    att = mu1 - mu0
    # Stacked estimating equations: gamma (k), beta (k, aipw only), mu1, mu0.
    use_beta = method == "aipw"
    q = k + (k if use_beta else 0) + 2
    psi = np.zeros((n, q))
    jac = np.zeros((q, q))
    psi[:, :k] = x * (d - p)[:, None]
    jac[:k, :k] = -(x * (p * (1 - p))[:, None]).T @ x / n
    j1 = q - 2
    j0 = q - 1
    if use_beta:
        sl = slice(k, 2 * k)
        psi[:, sl] = x * ((1 - d) * (y - x @ beta))[:, None]
        jac[sl, sl] = -(x * (1 - d)[:, None]).T @ x / n
        jac[j1, sl] = -(d[:, None] * x).mean(axis=0)
        jac[j0, sl] = -((1 - d) * w)[:, None].T @ x / n
    psi[:, j1] = d * (r - mu1)
    psi[:, j0] = (1 - d) * w * (r - mu0)
    jac[j1, j1] = -d.mean()
    jac[j0, j0] = -((1 - d) * w).mean()
    jac[j0, :k] = ((1 - d) * w * (r - mu0))[:, None].T @ x / n
    inf_all = -psi @ linalg.inv(jac).T
    inf = inf_all[:, j1] - inf_all[:, j0]
    return {"att": float(att), "inf": inf, "p": p, "w": np.where(t, 1.0, w), "gamma": gamma}


def att_weighting(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    method: WeightingMethod = "aipw",
    trim: float | None = None,
    se_method: SEMethod = "influence",
    cluster: str | None = None,
    n_boot: int = 499,
    seed: int | None = 0,
    level: float = 0.95,
) -> EffectEstimate:
    r"""Estimate the effect on the treated under selection on observables (IPW or AIPW).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person: outcome, treatment and covariates.
    outcome : str
        Numeric outcome (e.g. the reassessed competency level).
    treatment : str
        Binary participation indicator.
    covariates : sequence of str
        Confounders: numeric columns enter linearly, text/categorical columns as indicators
        (first level as reference).
    method : {"aipw", "ipw"}, default "aipw"
        ``"ipw"``: normalised inverse-probability weighting (controls weighted by
        :math:`\hat p/(1-\hat p)`). ``"aipw"``: doubly robust (a linear outcome model fitted on
        the controls, then IPW of the residuals): consistent if either model is right.
    trim : float, optional
        Drop rows whose first-stage propensity lies outside [trim, 1 - trim] and re-estimate
        (Crump et al. 2009 use 0.1); the estimand becomes the ATT on the overlap region.
    se_method : {"influence", "bootstrap"}, default "influence"
        Sandwich SE from the stacked estimating equations (accounts for the estimated
        propensity and outcome models), or a nonparametric bootstrap of rows (or clusters).
    cluster : str, optional
        Cluster of the standard errors.
    n_boot : int, default 499
        Bootstrap draws for ``se_method="bootstrap"``.
    seed : int, optional
        Seed of the bootstrap.
    level : float, default 0.95
        Confidence level (normal critical values).

    Returns
    -------
    EffectEstimate
        ``details``: ``"balance"`` (means and standardised mean differences before and after
        weighting per covariate), ``"overlap"`` (propensity distribution by group, effective
        sample size of the weighted controls), ``"propensity"`` (per row: treatment and
        propensity score), ``"propensity_model"`` (logit coefficients).

    Raises
    ------
    EffectInputError
        Missing columns, non-binary treatment, no treated or no control rows, collinear
        covariates, perfect separation in the propensity model, an invalid ``trim``.

    Notes
    -----
    Propensity :math:`\hat p(x)` from an unpenalised logit. IPW:
    :math:`\hat\tau = \bar Y_{D=1} - \sum_{D=0} \hat w_i Y_i / \sum_{D=0}\hat w_i`,
    :math:`\hat w = \hat p/(1-\hat p)`. AIPW (Sant'Anna & Zhao 2020, cross-section DR ATT):
    the same with :math:`Y - \hat m_0(x)` in place of :math:`Y`, :math:`\hat m_0` OLS on the
    controls. Assumptions: unconfoundedness given the covariates, overlap
    (:math:`p(x) < 1` for the treated), correct propensity (IPW) or either model (AIPW).
    Balance: standardised mean difference (treated mean minus (weighted) control mean) over the
    pooled unweighted SD :math:`\sqrt{(s_1^2+s_0^2)/2}` (Austin 2009); |SMD| < 0.1 is the usual
    target. IPW estimate and SE match ``statsmodels`` ``TreatmentEffect.ipw(effect_group=1)``
    (Stata ``teffects ipw, atet``).

    References
    ----------
    .. [1] Sant'Anna & Zhao (2020); Austin, P. C. (2009). Statistics in Medicine, 28,
           3083-3107; Crump, R. K., Hotz, V. J., Imbens, G. W., & Mitnik, O. A. (2009).
           Biometrika, 96(1), 187-199.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=2000)
    >>> d = (rng.random(2000) < 1 / (1 + np.exp(-x))).astype(int)
    >>> df = pd.DataFrame({"x": x, "d": d, "y": x + 0.5 * d + rng.normal(0, 1, 2000)})
    >>> res = att_weighting(df, outcome="y", treatment="d", covariates=["x"])
    >>> bool(abs(res.estimate - 0.5) < 0.2)
    True
    """
    _check_option("method", method, WeightingMethod)
    _check_option("se_method", se_method, SEMethod)
    _check_level(level)
    covariates = list(covariates)
    if not covariates:
        raise EffectInputError("att_weighting needs at least one covariate")
    if trim is not None and not (0 < trim < 0.5):
        raise EffectInputError(f"trim must be between 0 and 0.5, not {trim!r}")
    cols = [outcome, treatment, *covariates] + ([cluster] if cluster else [])
    _check_frame(data, cols)
    frame, n_excluded = _complete_rows(data, cols)
    d = _binary(_numeric(frame[treatment], treatment), treatment)
    y = _numeric(frame[outcome], outcome)
    if not (d == 1).any() or not (d == 0).any():
        raise EffectInputError(
            f"{treatment} needs treated (1) and control (0) rows; found only "
            f"{'controls' if not (d == 1).any() else 'treated'}"
        )
    xcov, names = _design_matrix(frame, covariates)
    x = np.column_stack([np.ones(len(frame)), xcov])
    _check_rank(x[:, 1:] - x[:, 1:].mean(axis=0), xcov, names, [], context=" from covariates")
    notes: list[str] = []
    n_trimmed = 0
    if trim is not None:
        first = _att_estimate(y, d, x, names, method)
        keep = (first["p"] >= trim) & (first["p"] <= 1 - trim)
        n_trimmed = int((~keep).sum())
        frame, y, d, x, xcov = frame[keep], y[keep], d[keep], x[keep], xcov[keep]
        if not (d == 1).any() or not (d == 0).any():
            raise EffectInputError(f"trim={trim} leaves no treated or no control rows")
        notes.append(
            f"Trimming: {n_trimmed} rows with propensity outside [{trim}, {1 - trim}] dropped; "
            "the estimand is the ATT on the region of overlap."
        )
    fit = _att_estimate(y, d, x, names, method)
    n = len(y)
    clusters = _codes(frame[cluster])[0] if cluster else None
    z = t_critical(level, math.inf)
    if se_method == "influence":
        inf = fit["inf"]
        if clusters is None:
            se = float(np.sqrt((inf**2).sum()) / n)
        else:
            g = int(clusters.max()) + 1
            sums = np.bincount(clusters, weights=inf, minlength=g)
            se = float(np.sqrt(g / (g - 1) * (sums**2).sum()) / n)
        se_name = "influence function (sandwich)"
    else:
        rng = np.random.default_rng(seed)
        draws = []
        groups = clusters if clusters is not None else np.arange(n)
        n_groups = int(groups.max()) + 1
        members = pd.Series(np.arange(n)).groupby(groups).apply(np.asarray).tolist()
        for _ in range(n_boot):
            pick = rng.integers(0, n_groups, n_groups)
            idx = np.concatenate([members[i] for i in pick])
            try:
                draws.append(_att_estimate(y[idx], d[idx], x[idx], names, method)["att"])
            except (EffectInputError, linalg.LinAlgError):
                continue
        se = float(np.std(draws, ddof=1))
        se_name = f"bootstrap ({len(draws)} draws)"
    est = fit["att"]
    pval = p_two_sided(est / se if se > 0 else np.nan, math.inf)
    balance = _smd(xcov, d, fit["w"])
    balance.index = pd.Index(names, name="covariate")
    p = fit["p"]
    wc = fit["w"][d == 0]
    ess = float(wc.sum() ** 2 / (wc**2).sum())
    over = []
    for label, sel in (("treated", d == 1), ("control", d == 0)):
        q = np.quantile(p[sel], [0, 0.01, 0.5, 0.99, 1])
        over.append(
            {"group": label, "n": int(sel.sum()), "min": q[0], "p01": q[1], "median": q[2],
             "p99": q[3], "max": q[4], "share_above_0.9": float(np.mean(p[sel] > 0.9)),
             "share_below_0.1": float(np.mean(p[sel] < 0.1))}
        )  # fmt: skip
    overlap = pd.DataFrame(over).set_index("group")
    overlap["effective_n"] = [float((d == 1).sum()), ess]
    overlap["max_weight_share"] = [1 / (d == 1).sum(), float(wc.max() / wc.sum())]
    label = "AIPW (doubly robust)" if method == "aipw" else "IPW (normalised)"
    notes = [
        f"{label} effect on the treated; propensity from an unpenalised logit on "
        f"{', '.join(covariates)}.",
        "Assumptions: no unmeasured confounding given the covariates, overlap (every treated "
        "person has comparable controls), and a correct propensity model"
        + (" or a correct outcome model." if method == "aipw" else "."),
        f"SE: {se_name}; normal critical values.",
        *notes,
    ]
    worst = float(np.nanmax(np.abs(balance["smd_after"]))) if len(balance) else 0.0
    if worst > 0.1:
        notes.append(f"Imbalance remains after weighting (max |SMD| = {worst:.2f} > 0.1).")
    if overlap.loc["treated", "max"] > 0.95:
        notes.append(
            "Weak overlap: some treated have a propensity above 0.95 (few comparable controls); "
            "consider trim=0.1."
        )
    if ess < 0.1 * len(wc):
        notes.append(f"Weights concentrate: the controls' effective sample size is {ess:.0f}.")
    if n_excluded:
        notes.append(f"{n_excluded} rows excluded for missing values.")
    propensity = pd.DataFrame({"treatment": d, "propensity": p, "weight": fit["w"]},
                              index=frame.index)  # fmt: skip
    row = {"method": se_name, "se": se, "ci_low": est - z * se, "ci_high": est + z * se,
           "pvalue": pval, "n_draws": n_boot if se_method == "bootstrap" else np.nan}  # fmt: skip
    return EffectEstimate(
        estimate=est,
        se=se,
        ci_low=est - z * se,
        ci_high=est + z * se,
        pvalue=pval,
        n_obs=n,
        n_treated=int((d == 1).sum()),
        n_clusters=int(clusters.max()) + 1 if clusters is not None else None,
        method=label,
        estimand="ATT",
        level=level,
        n_excluded=n_excluded + n_trimmed,
        inference=_inference_frame([row]),
        details=MappingProxyType(
            {
                "balance": balance,
                "overlap": overlap,
                "propensity": propensity,
                "propensity_model": pd.DataFrame(
                    {"coef": fit["gamma"]}, index=pd.Index(["const", *names], name="term")
                ),
            }
        ),
        notes=tuple(notes),
    )


def plot_balance(result: EffectEstimate, *, ax: Axes | None = None) -> Axes:
    """Love plot: standardised mean differences before and after weighting.

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`att_weighting`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    import matplotlib.pyplot as plt

    if "balance" not in result.details:
        raise EffectInputError("result is not from att_weighting()")
    bal = result.details["balance"]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.35 * len(bal) + 1.5))
    pos = np.arange(len(bal))
    ax.scatter(bal["smd_before"], pos, marker="o", label="before weighting")
    ax.scatter(bal["smd_after"], pos, marker="x", label="after weighting")
    for v in (-0.1, 0.1):
        ax.axvline(v, color="grey", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, bal.index.tolist())
    ax.set_xlabel("standardised mean difference")
    ax.legend()
    return ax


def plot_overlap(result: EffectEstimate, *, ax: Axes | None = None, bins: int = 30) -> Axes:
    """Histogram of propensity scores by group (overlap check).

    Parameters
    ----------
    result : EffectEstimate
        Output of :func:`att_weighting`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    bins : int, default 30
        Histogram bins.

    Returns
    -------
    matplotlib.axes.Axes
        The axes.
    """
    import matplotlib.pyplot as plt

    if "propensity" not in result.details:
        raise EffectInputError("result is not from att_weighting()")
    prop = result.details["propensity"]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    edges = np.linspace(0, 1, bins + 1)
    for label, v in (("treated", 1), ("control", 0)):
        ax.hist(prop.loc[prop["treatment"] == v, "propensity"], bins=edges, alpha=0.5,
                density=True, label=label)  # fmt: skip
    ax.set_xlabel("propensity score")
    ax.set_ylabel("density")
    ax.legend()
    return ax


# =============================================================================================
# Planning: minimum detectable effect
# =============================================================================================
def minimum_detectable_effect(
    *,
    n_units: int,
    share_treated: float = 0.5,
    respondents_per_unit: float = 100,
    icc: float = 0.05,
    sd: float = 1.0,
    n_pre: int = 1,
    n_post: int = 1,
    autocorrelation: float = 0.0,
    design: MDEDesign = "did",
    alpha: float = 0.05,
    power: float = 0.8,
) -> float:
    r"""Minimum detectable effect of a unit-level (clustered) evaluation design.

    Parameters
    ----------
    n_units : int
        Units J in the evaluation (treated plus comparison), at least 3.
    share_treated : float, default 0.5
        Share P of units treated (1/J for a single treated unit).
    respondents_per_unit : float, default 100
        Respondents m per unit and period (e.g. SKM respondents).
    icc : float, default 0.05
        Intra-class correlation :math:`\rho`: share of the outcome variance between
        unit-periods.
    sd : float, default 1.0
        Total standard deviation of the individual outcome (the MDE is in its units; 1 gives
        an effect size).
    n_pre, n_post : int, default 1
        Periods before and after the start (``design="did"``).
    autocorrelation : float, default 0.0
        Correlation :math:`\phi` of a unit's true mean between periods (``design="did"``):
        persistent unit differences cancel in the DiD.
    design : {"did", "cross_section"}, default "did"
        Difference-in-differences on unit-period means, or a post-only comparison.
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.8
        Power.

    Returns
    -------
    float
        The MDE in outcome units.

    Raises
    ------
    EffectInputError
        Out-of-range parameters.

    Notes
    -----
    Bloom (1995, 2005): :math:`MDE = M_{J-2}\sqrt{V}` with the multiplier
    :math:`M_{J-2} = t_{1-\alpha/2,J-2} + t_{power,J-2}` (about 2.8 for large J). The variance
    of one unit-period mean is :math:`\sigma^2[\rho + (1-\rho)/m]`. Cross-section:
    :math:`V = \sigma^2[\rho + (1-\rho)/m] / (P(1-P)J)`. DiD with k pre and r post periods
    (McKenzie 2012 for the unit-level part):
    :math:`V = \sigma^2[\rho(1-\phi) + (1-\rho)/m](1/k + 1/r) / (P(1-P)J)`.
    Example: 30 units, 4 treated, 300 respondents, ICC 0.05, SD 0.55 answer points (x 25 for
    converted IKM) gives the smallest change a DiD can tell from noise. With one treated unit
    the permutation test's smallest p-value is 1/J: with fewer than 20 units no 5% test exists.

    References
    ----------
    .. [1] Bloom, H. S. (1995). Evaluation Review, 19(5), 547-556.
    .. [2] Bloom, H. S. (2005). Randomizing groups to evaluate place-based programs.
    .. [3] McKenzie, D. (2012). Beyond baseline and follow-up. Journal of Development
           Economics, 99(2), 210-221.

    Examples
    --------
    >>> round(minimum_detectable_effect(n_units=10_000, respondents_per_unit=1, icc=0.0,
    ...                                 design="cross_section") / (2 / 10_000**0.5), 3)
    2.802
    """
    _check_option("design", design, MDEDesign)
    checks = [
        (n_units >= 3, f"n_units must be at least 3, not {n_units}"),
        (0 < share_treated < 1, f"share_treated must be in (0, 1), not {share_treated}"),
        (respondents_per_unit >= 1, "respondents_per_unit must be at least 1"),
        (0 <= icc <= 1, f"icc must be in [0, 1], not {icc}"),
        (sd > 0, "sd must be positive"),
        (n_pre >= 1 and n_post >= 1, "n_pre and n_post must be at least 1"),
        (-1 < autocorrelation <= 1, "autocorrelation must be in (-1, 1]"),
        (0 < alpha < 1 and 0 < power < 1, "alpha and power must be in (0, 1)"),
    ]
    for ok, message in checks:
        if not ok:
            raise EffectInputError(message)
    df = n_units - 2
    multiplier = stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)
    sampling = (1 - icc) / respondents_per_unit
    if design == "cross_section":
        var_unit = icc + sampling
    else:
        var_unit = (icc * (1 - autocorrelation) + sampling) * (1 / n_pre + 1 / n_post)
    var = sd**2 * var_unit / (share_treated * (1 - share_treated) * n_units)
    return float(multiplier * math.sqrt(var))


# =============================================================================================
# Findings
# =============================================================================================
_fmt = number


def effect_sentence(est: EffectEstimate, *, what: str, lang: Lang = "id", digits: int = 2) -> str:
    """One plain-language sentence for an estimate, with its CI and p-value.

    Parameters
    ----------
    est : EffectEstimate
        The estimate.
    what : str
        What was estimated, in the sentence's language (e.g. "the effect on converted IKM").
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    digits : int, default 2
        Decimals shown (display only).

    Returns
    -------
    str
        The sentence.

    Examples
    --------
    >>> e = EffectEstimate(estimate=2.5, se=1.0, ci_low=0.5, ci_high=4.5, pvalue=0.02, n_obs=10,
    ...                    n_treated=2, n_clusters=None, method="DiD")
    >>> effect_sentence(e, what="Efek", lang="id")
    'Efek: 2,50 (IK 95%: 0,50 sampai 4,50; p = 0,020; metode DiD).'
    """
    if lang not in ("id", "en"):
        raise EffectInputError(f"lang must be 'id' or 'en', not {lang!r}")
    pct = f"{100 * est.level:g}%"
    lo = _fmt(est.ci_low, lang, digits)
    hi = _fmt(est.ci_high, lang, digits)
    p = f"< {_fmt(0.001, lang, 3)}" if est.pvalue < 0.001 else f"= {_fmt(est.pvalue, lang, 3)}"
    if lang == "id":
        return (
            f"{what}: {_fmt(est.estimate, lang, digits)} (IK {pct}: {lo} sampai {hi}; "
            f"p {p}; metode {est.method})."
        )
    return (
        f"{what}: {_fmt(est.estimate, lang, digits)} ({pct} CI {lo} to {hi}; p {p}; "
        f"method {est.method})."
    )


def effects_findings(
    estimates: Mapping[str, EffectEstimate],
    *,
    lang: Lang = "id",
    truth: float | None = None,
) -> list[str]:
    """Plain-language findings comparing estimators of one roll-out effect (notebook 04).

    Parameters
    ----------
    estimates : mapping of str to EffectEstimate
        Keys ``"before_after"``, ``"twfe"``, ``"staggered"`` (any subset; others ignored).
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    truth : float, optional
        Known true ATT (synthetic data only).

    Returns
    -------
    list of str
        One sentence per finding, each with its uncertainty.
    """
    if lang not in ("id", "en"):
        raise EffectInputError(f"lang must be 'id' or 'en', not {lang!r}")
    labels = {
        "before_after": ("Perubahan sebelum-sesudah (naif)", "Naive before-after change"),
        "twfe": ("Efek fixed effects dua arah (TWFE)", "Two-way fixed effects (TWFE) effect"),
        "staggered": (
            "Efek menurut Callaway-Sant'Anna (tahan terhadap efek yang berbeda antarwaktu)",
            "Callaway-Sant'Anna effect (robust to effects that change over time)",
        ),
    }
    out = []
    for key, (id_text, en_text) in labels.items():
        if key in estimates:
            out.append(
                effect_sentence(estimates[key], what=id_text if lang == "id" else en_text,
                                lang=lang)
            )  # fmt: skip
    if truth is not None:
        t = _fmt(truth, lang)
        out.append(
            f"Data sintetis: efek sebenarnya {t} poin IKM."
            if lang == "id"
            else f"Synthetic data: the true effect is {t} IKM points."
        )
    if "twfe" in estimates and "staggered" in estimates:
        diff = estimates["twfe"].estimate - estimates["staggered"].estimate
        out.append(
            f"TWFE berbeda {_fmt(diff, lang)} poin dari estimator Callaway-Sant'Anna. Dengan "
            "peluncuran bertahap dan efek yang tumbuh, TWFE memberi bobot kecil pada paparan "
            "yang lama dan memakai unit yang sudah dilatih sebagai pembanding (Goodman-Bacon "
            "2021); estimasi Callaway-Sant'Anna yang sebaiknya dilaporkan."
            if lang == "id"
            else f"TWFE differs by {_fmt(diff, lang)} points from Callaway-Sant'Anna. With a "
            "staggered roll-out and growing effects TWFE gives long exposures little weight and "
            "uses already-trained units as controls (Goodman-Bacon 2021); report the "
            "Callaway-Sant'Anna estimate."
        )
    return out
