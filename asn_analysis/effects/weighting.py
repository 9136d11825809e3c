r"""Weighting estimators of the effect on the treated under selection on observables.

:func:`att_weighting` estimates the ATT of a programme people chose to join by normalised
inverse-probability weighting (IPW) or the doubly robust AIPW of Sant'Anna & Zhao (2020), with
standard errors from the stacked estimating equations, covariate balance and overlap tables.

References
----------
.. [1] Sant'Anna, P. H. C., & Zhao, J. (2020). Doubly robust difference-in-differences
       estimators. Journal of Econometrics, 219(1), 101-122.
.. [2] Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
       covariates between treatment groups in propensity-score matched samples. Statistics in
       Medicine, 28, 3083-3107.
.. [3] Crump, R. K., Hotz, V. J., Imbens, G. W., & Mitnik, O. A. (2009). Dealing with limited
       overlap in estimation of average treatment effects. Biometrika, 96(1), 187-199.

Examples
--------
A binary confounder: a quarter of the x = 0 group and three quarters of the x = 1 group took
part, and the programme adds 2 points. The raw difference (7) mixes in the 10 points of x;
weighting the controls by p / (1 - p) recovers the effect.

>>> import pandas as pd
>>> df = pd.DataFrame({"x": [0] * 4 + [1] * 4, "d": [1, 0, 0, 0, 1, 1, 1, 0]})
>>> df["y"] = 10.0 * df["x"] + 2.0 * df["d"]
>>> res = att_weighting(df, outcome="y", treatment="d", covariates=["x"], method="ipw")
>>> round(res.estimate, 6)
2.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import linalg

from asn_analysis._validation import check_level, check_option
from asn_analysis.effects.estimate import EffectEstimate, inference_row
from asn_analysis.effects.inputs import (
    EffectInputError,
    binary_column,
    check_frame,
    complete_rows,
    numeric_column,
)
from asn_analysis.effects.propensity import (
    crump_alpha,
    describe_separation,
    design_matrix,
    fit_propensity,
    standardise,
)
from asn_analysis.errors import OptionError
from asn_analysis.stats.ols import check_rank, fe_codes

__all__ = ["SEMethod", "TrimRule", "WeightingEstimate", "WeightingMethod", "att_weighting"]

#: ``"ipw"``: normalised inverse-probability weighting; ``"aipw"``: doubly robust.
WeightingMethod = Literal["aipw", "ipw"]
#: Standard errors of :func:`att_weighting`: stacked estimating equations, or a bootstrap.
SEMethod = Literal["influence", "bootstrap"]
#: Data-driven trimming rules of :func:`att_weighting`: the optimal threshold of Crump et al.
TrimRule = Literal["crump"]


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
    y: np.ndarray,
    d: np.ndarray,
    covs: pd.DataFrame,
    method: str,
    separated: np.ndarray | None = None,
) -> dict[str, Any]:
    """ATT by IPW (normalised) or AIPW, with its influence function (stacked M-estimation).

    The propensity parameters enter as the coefficients on the standardised, identified
    design of :func:`fit_propensity`; the ATT and its influence function do not depend on how
    the propensity and outcome models are parameterised. Separated comparison rows have weight
    0 and a zero propensity score equation (their propensity is at its limit).
    """
    fit = fit_propensity(covs, d, separated=separated)
    t, c = d == 1, d == 0
    if (fit.separated & t).any():
        raise _treated_separation(covs, d, fit.separated & t)
    z, p = fit.z, fit.p
    n, k = z.shape
    w = np.zeros(n)
    np.divide(p, 1 - p, out=w, where=c)
    if w[c].sum() <= 0:
        raise EffectInputError(
            "no comparison row shares covariate values with the treated (every one is "
            "predicted exactly as a comparison row): the effect on the treated is not identified"
        )
    xs = standardise(design_matrix(covs, list(covs.columns))[0])[0]
    use_beta = method == "aipw"
    if use_beta:
        if np.linalg.matrix_rank(xs[c]) < xs.shape[1]:
            raise EffectInputError(
                "the covariates are collinear among the comparison rows, so the outcome model "
                "of AIPW is not identified: drop or merge covariates, or use method='ipw'"
            )
        beta = linalg.lstsq(xs[c], y[c])[0]
        r = y - xs @ beta
    else:
        r = y
    kb = xs.shape[1] if use_beta else 0
    mu1 = r[t].mean()
    mu0 = float((w[c] * r[c]).sum() / w[c].sum())
    # Stacked estimating equations: gamma (k), beta (kb, aipw only), mu1, mu0.
    q = k + kb + 2
    psi = np.zeros((n, q))
    jac = np.zeros((q, q))
    psi[:, :k] = z * (d - p)[:, None]
    jac[:k, :k] = -(z * (p * (1 - p))[:, None]).T @ z / n
    j1, j0 = q - 2, q - 1
    if use_beta:
        sl = slice(k, k + kb)
        psi[:, sl] = xs * ((1 - d) * r)[:, None]
        jac[sl, sl] = -(xs * (1 - d)[:, None]).T @ xs / n
        jac[j1, sl] = -(d[:, None] * xs).mean(axis=0)
        jac[j0, sl] = -((1 - d) * w)[:, None].T @ xs / n
    psi[:, j1] = d * (r - mu1)
    psi[:, j0] = (1 - d) * w * (r - mu0)
    jac[j1, j1] = -d.mean()
    jac[j0, j0] = -((1 - d) * w).mean()
    jac[j0, :k] = ((1 - d) * w * (r - mu0))[:, None].T @ z / n
    inf_all = -psi @ linalg.inv(jac).T
    inf = inf_all[:, j1] - inf_all[:, j0]
    return {"att": float(mu1 - mu0), "inf": inf, "p": p, "w": np.where(t, 1.0, w), "fit": fit}


def _treated_separation(covs: pd.DataFrame, d: np.ndarray, rows: np.ndarray) -> EffectInputError:
    patterns = describe_separation(covs, d, rows, 1)
    return EffectInputError(
        "perfect separation in the propensity model: the covariates predict treatment exactly "
        f"for {int(rows.sum())} treated rows (propensity 1, no finite maximum of the "
        f"likelihood); it comes from {'; '.join(patterns)}. These treated have no comparable "
        "comparison rows: drop or coarsen that covariate, restrict the sample to where both "
        "groups occur, or trim (trim=0.1 or trim='crump')"
    )


@dataclass(frozen=True, repr=False)
class WeightingEstimate(EffectEstimate):
    r"""An effect estimate by weighting, with its overlap report.

    Attributes
    ----------
    share_controls_below_0001 : float
        Share of comparison rows with a propensity below 0.001 (weight about 0: they barely
        enter the estimate; the normal case with a large general comparison group).
    max_treated_propensity : float
        Largest propensity among the treated (near 1: a treated person without comparable
        comparison rows).
    effective_n_controls : float
        Kish effective sample size of the weighted comparison group,
        :math:`(\sum w)^2 / \sum w^2`.
    n_trimmed : int
        Rows dropped by ``trim`` (also counted in ``n_excluded``).
    n_outside_support : int
        Comparison rows with covariate values no treated person has (propensity 0 in the
        limit, weight 0; kept in ``n_obs``).
    max_abs_smd_before, max_abs_smd_after : float
        Largest absolute standardised mean difference over the covariates, before and after
        weighting (the full table is ``details["balance"]``).

    Examples
    --------
    >>> e = WeightingEstimate(estimate=2.0, se=0.5, ci_low=1.0, ci_high=3.0, pvalue=0.01,
    ...                       n_obs=8, n_treated=4, n_clusters=None, method="IPW (normalised)",
    ...                       effective_n_controls=3.2)
    >>> float(e.to_frame()["effective_n_controls"].iloc[0])
    3.2
    """

    share_controls_below_0001: float = math.nan
    max_treated_propensity: float = math.nan
    effective_n_controls: float = math.nan
    n_trimmed: int = 0
    n_outside_support: int = 0
    max_abs_smd_before: float = math.nan
    max_abs_smd_after: float = math.nan

    def to_frame(self) -> pd.DataFrame:
        """Return the estimate as a one-row table, with the overlap report.

        Returns
        -------
        pandas.DataFrame
            The columns of :meth:`EffectEstimate.to_frame`, then share_controls_below_0001,
            max_treated_propensity, effective_n_controls, n_trimmed, n_outside_support,
            max_abs_smd_before, max_abs_smd_after.
        """
        frame = super().to_frame()
        for name in _OVERLAP_FIELDS:
            frame[name] = getattr(self, name)
        return frame

    def tables(self) -> list[pd.DataFrame]:
        """Return the inference methods (if several), the overlap table and the balance table."""
        out = super().tables()
        if "overlap" in self.details:
            out.append(self.details["overlap"][list(_OVERLAP_SHOWN)])
        if "balance" in self.details:
            out.append(self.details["balance"][["smd_before", "smd_after"]])
        return out


_OVERLAP_SHOWN = ("n", "min", "median", "max", "share_below_0.001", "effective_n",
                  "n_outside_support", "n_trimmed")  # fmt: skip
_OVERLAP_FIELDS = (
    "share_controls_below_0001",
    "max_treated_propensity",
    "effective_n_controls",
    "n_trimmed",
    "n_outside_support",
    "max_abs_smd_before",
    "max_abs_smd_after",
)


def att_weighting(
    data: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    method: WeightingMethod = "aipw",
    trim: float | TrimRule | None = None,
    se_method: SEMethod = "influence",
    cluster: str | None = None,
    n_boot: int = 499,
    seed: int | None = 0,
    level: float = 0.95,
) -> WeightingEstimate:
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
    trim : float or "crump", optional
        After a first propensity fit (which always succeeds, also when some treated have a
        propensity of 1), drop rows whose propensity lies outside [trim, 1 - trim] and
        re-estimate; ``"crump"`` takes the optimal threshold of Crump et al. (2009) (0.1 is
        their rule of thumb). The estimand becomes the ATT on the overlap region; what is
        dropped is counted per group in ``details["overlap"]`` and the notes.
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
    WeightingEstimate
        An :class:`EffectEstimate` with the overlap report as fields (share of comparison rows
        below 0.001, largest treated propensity, effective comparison sample, rows trimmed or
        outside the support, largest ``|SMD|`` before and after). ``details``: ``"balance"``
        (means and standardised mean differences before and after weighting per covariate),
        ``"overlap"`` (propensity distribution by group, effective sample size, rows trimmed
        and outside the support), ``"propensity"`` (per row: treatment, propensity score,
        weight), ``"propensity_model"`` (logit coefficients).

    Raises
    ------
    EffectInputError
        Missing columns, non-binary treatment, no treated or no control rows, collinear
        covariates, treated rows the covariates predict exactly (the message names the
        covariate pattern) when not trimming.
    OptionError
        An unknown ``method`` or ``se_method``, a ``trim`` outside (0, 0.5) or not "crump", a
        ``level`` outside (0, 1).

    Notes
    -----
    Propensity :math:`\hat p(x)` from an unpenalised logit, fitted on standardised covariates
    with convergence judged on the log-likelihood (:func:`fit_propensity`). Comparison rows
    the covariates predict exactly (values no treated person has: no finite maximum of the
    likelihood, Albert & Anderson 1984) get their limit :math:`\hat p = 0`, weight 0; treated
    rows predicted exactly (propensity 1, no comparable comparison rows) are refused, naming
    the pattern, unless ``trim`` drops them. IPW:
    :math:`\hat\tau = \bar Y_{D=1} - \sum_{D=0} \hat w_i Y_i / \sum_{D=0}\hat w_i`,
    :math:`\hat w = \hat p/(1-\hat p)`. AIPW (Sant'Anna & Zhao 2020, cross-section DR ATT):
    the same with :math:`Y - \hat m_0(x)` in place of :math:`Y`, :math:`\hat m_0` OLS on the
    controls. Assumptions: unconfoundedness given the covariates, overlap
    (:math:`p(x) < 1` for the treated), correct propensity (IPW) or either model (AIPW).
    Balance: standardised mean difference (treated mean minus (weighted) control mean) over the
    pooled unweighted SD :math:`\sqrt{(s_1^2+s_0^2)/2}` (Austin 2009); ``|SMD|`` < 0.1 is the
    usual target. Standard errors stack the estimating equations of the propensity logit (on the
    standardised design it is identified on), of the outcome model (AIPW) and of the two means;
    rows held at a limit (propensity 0) have weight 0 and a zero score, so they change neither
    the estimate nor its SE (IPW). After trimming, the SE is conditional on the overlap region.
    Effective sample size of the weighted controls: Kish's
    :math:`(\sum w)^2/\sum w^2`. IPW estimate and SE match ``statsmodels``
    ``TreatmentEffect.ipw(effect_group=1)`` (Stata ``teffects ipw, atet``) and R ``DRDID``
    (``std_ipw_did_panel`` / ``drdid_panel`` with a zero pre-period outcome).

    References
    ----------
    .. [1] Sant'Anna & Zhao (2020); Austin, P. C. (2009). Statistics in Medicine, 28,
           3083-3107; Crump, R. K., Hotz, V. J., Imbens, G. W., & Mitnik, O. A. (2009).
           Biometrika, 96(1), 187-199; Albert, A., & Anderson, J. A. (1984). Biometrika,
           71(1), 1-10; Kish, L. (1965). Survey Sampling. Wiley.

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
    check_option("method", method, WeightingMethod)
    check_option("se_method", se_method, SEMethod)
    check_level(level)
    covariates = list(covariates)
    if not covariates:
        raise EffectInputError("att_weighting needs at least one covariate")
    if isinstance(trim, str):
        check_option("trim", trim, TrimRule)
    elif trim is not None and not (0 < trim < 0.5):
        raise OptionError(f"trim must be between 0 and 0.5 or 'crump', not {trim!r}")
    cols = [outcome, treatment, *covariates] + ([cluster] if cluster else [])
    check_frame(data, cols)
    frame, n_excluded = complete_rows(data, cols)
    d = binary_column(numeric_column(frame[treatment], treatment), treatment)
    y = numeric_column(frame[outcome], outcome)
    _both_groups(d, treatment, "")
    xcov, names = design_matrix(frame, covariates)
    _check_rank(xcov, names, "")
    notes: list[str] = []
    trimmed = {"treated": 0, "control": 0}
    if trim is not None:
        first = fit_propensity(frame[covariates], d)
        alpha = crump_alpha(first.p) if trim == "crump" else float(trim)
        keep = (first.p >= alpha) & (first.p <= 1 - alpha) & (first.p > 0) & (first.p < 1)
        trimmed = {
            "treated": int((~keep & (d == 1)).sum()),
            "control": int((~keep & (d == 0)).sum()),
        }
        frame, y, d = frame[keep], y[keep], d[keep]
        xcov, names = design_matrix(frame, covariates)  # levels present after trimming
        _both_groups(d, treatment, f" after trimming (trim={trim!r})")
        _check_rank(xcov, names, f" after trimming (trim={trim!r})")
        rule = (
            f"Crump et al. (2009) optimal rule, alpha = {alpha:.4g}"
            if trim == "crump"
            else f"trim={trim}"
        )
        notes.append(
            f"Trimming ({rule}): {trimmed['treated']} treated and {trimmed['control']} comparison "
            f"rows with a first-stage propensity outside [{alpha:.4g}, {1 - alpha:.4g}] dropped; "
            "the estimand is the ATT on the region of overlap (SE conditional on that region)."
        )
    covs = frame[covariates]
    fit = _att_estimate(y, d, covs, method)
    n = len(y)
    clusters = fe_codes(frame[cluster])[0] if cluster else None
    if se_method == "influence":
        se = _influence_se(fit["inf"], clusters)
        se_name = "influence function (sandwich)"
    else:
        se, n_draws = _bootstrap_se(
            y, d, covs, method, fit["fit"].separated, clusters, n_boot, seed
        )
        se_name = f"bootstrap ({n_draws} draws)"
    est = fit["att"]
    balance = _smd(xcov, d, fit["w"])
    balance.index = pd.Index(names, name="covariate")
    overlap = _overlap(fit["p"], d, fit["w"], fit["fit"].separated, trimmed)
    label = "AIPW (doubly robust)" if method == "aipw" else "IPW (normalised)"
    notes = [
        f"{label} effect on the treated; propensity from an unpenalised logit on "
        f"{', '.join(covariates)}.",
        "Assumptions: no unmeasured confounding given the covariates, overlap (every treated "
        "person has comparable controls), and a correct propensity model"
        + (" or a correct outcome model." if method == "aipw" else "."),
        f"SE: {se_name}; normal critical values.",
        *notes,
        *_overlap_notes(overlap, balance, covs, d, fit["fit"].separated),
    ]
    if n_excluded:
        notes.append(f"{n_excluded} rows excluded for missing values.")
    propensity = pd.DataFrame({"treatment": d, "propensity": fit["p"], "weight": fit["w"]},
                              index=frame.index)  # fmt: skip
    gamma = pd.DataFrame({"coef": fit["fit"].coef}, index=pd.Index(["const", *names], name="term"))
    return WeightingEstimate.from_inference(
        est,
        [
            inference_row(
                se_name, est, se, level, n_draws=n_boot if se_method == "bootstrap" else np.nan
            )
        ],
        n_obs=n,
        n_treated=int((d == 1).sum()),
        n_clusters=int(clusters.max()) + 1 if clusters is not None else None,
        method=label,
        estimand="ATT",
        level=level,
        n_excluded=n_excluded + sum(trimmed.values()),
        details=MappingProxyType(
            {
                "balance": balance,
                "overlap": overlap,
                "propensity": propensity,
                "propensity_model": gamma,
            }
        ),  # fmt: skip
        notes=tuple(notes),
        share_controls_below_0001=float(overlap.loc["control", "share_below_0.001"]),
        max_treated_propensity=float(overlap.loc["treated", "max"]),
        effective_n_controls=float(overlap.loc["control", "effective_n"]),
        n_trimmed=sum(trimmed.values()),
        n_outside_support=int(overlap.loc["control", "n_outside_support"]),
        max_abs_smd_before=_max_abs(balance["smd_before"]),
        max_abs_smd_after=_max_abs(balance["smd_after"]),
    )


def _max_abs(values: pd.Series) -> float:
    return float(np.nanmax(np.abs(values))) if values.notna().any() else math.nan


def _both_groups(d: np.ndarray, treatment: str, context: str) -> None:
    if not (d == 1).any() or not (d == 0).any():
        raise EffectInputError(
            f"{treatment} needs treated (1) and control (0) rows{context}; found only "
            f"{'controls' if not (d == 1).any() else 'treated'}"
        )


def _check_rank(xcov: np.ndarray, names: list[str], context: str) -> None:
    check_rank(xcov - xcov.mean(axis=0), xcov, names, [], context=f" from covariates{context}",
               error=EffectInputError)  # fmt: skip


def _influence_se(inf: np.ndarray, clusters: np.ndarray | None) -> float:
    n = len(inf)
    if clusters is None:
        return float(np.sqrt((inf**2).sum()) / n)
    g = int(clusters.max()) + 1
    sums = np.bincount(clusters, weights=inf, minlength=g)
    return float(np.sqrt(g / (g - 1) * (sums**2).sum()) / n)


def _bootstrap_se(
    y: np.ndarray,
    d: np.ndarray,
    covs: pd.DataFrame,
    method: str,
    separated: np.ndarray,
    clusters: np.ndarray | None,
    n_boot: int,
    seed: int | None,
) -> tuple[float, int]:
    """Bootstrap SE over rows or clusters; rows separated in the full sample stay at weight 0."""
    rng = np.random.default_rng(seed)
    n = len(y)
    draws = []
    groups = clusters if clusters is not None else np.arange(n)
    members = pd.Series(np.arange(n)).groupby(groups).apply(np.asarray).tolist()
    for _ in range(n_boot):
        pick = rng.integers(0, len(members), len(members))
        idx = np.concatenate([members[i] for i in pick])
        if not (d[idx] == 1).any() or not (d[idx] == 0).any():
            continue
        try:
            sub = covs.iloc[idx].reset_index(drop=True)
            draws.append(_att_estimate(y[idx], d[idx], sub, method, separated[idx])["att"])
        except (EffectInputError, linalg.LinAlgError):
            continue
    return float(np.std(draws, ddof=1)), len(draws)


def _overlap(
    p: np.ndarray, d: np.ndarray, w: np.ndarray, separated: np.ndarray, trimmed: dict[str, int]
) -> pd.DataFrame:
    """Propensity distribution by group, Kish effective sizes, rows trimmed and outside support."""
    rows = []
    for label, sel in (("treated", d == 1), ("control", d == 0)):
        q = np.quantile(p[sel], [0, 0.01, 0.5, 0.99, 1])
        wg = w[sel]
        rows.append(
            {"n": int(sel.sum()), "min": q[0], "p01": q[1], "median": q[2], "p99": q[3],
             "max": q[4], "share_above_0.9": float(np.mean(p[sel] > 0.9)),
             "share_below_0.1": float(np.mean(p[sel] < 0.1)),
             "share_below_0.001": float(np.mean(p[sel] < 0.001)),
             "effective_n": float(wg.sum() ** 2 / (wg**2).sum()),
             "max_weight_share": float(wg.max() / wg.sum()),
             "n_outside_support": int((separated & sel).sum()), "n_trimmed": trimmed[label]}
        )  # fmt: skip
    return pd.DataFrame(rows, index=pd.Index(["treated", "control"], name="group"))


def _overlap_notes(
    overlap: pd.DataFrame,
    balance: pd.DataFrame,
    covs: pd.DataFrame,
    d: np.ndarray,
    separated: np.ndarray,
) -> list[str]:
    """Return the overlap report in words: what is normal, and what weakens the estimate."""
    ctrl, treat = overlap.loc["control"], overlap.loc["treated"]
    normal = (
        " (weight about 0: normal when the comparison group is a general population)"
        if ctrl["share_below_0.001"] > 0
        else ""
    )
    notes = [
        f"Overlap: {100 * ctrl['share_below_0.001']:.1f}% of the comparison rows have a "
        f"propensity below 0.001{normal}; largest treated propensity {treat['max']:.3g}; "
        f"effective comparison sample {ctrl['effective_n']:.0f} of {int(ctrl['n'])} rows (Kish)."
    ]
    if ctrl["n_outside_support"]:
        rows = separated & (d == 0)
        patterns = describe_separation(covs, d, rows, 0)
        notes.append(
            f"{int(ctrl['n_outside_support'])} comparison rows have covariate values no treated "
            f"person has ({'; '.join(patterns[:3])}): their propensity is 0 in the limit, so "
            "they get weight 0."
        )
    worst = _max_abs(balance["smd_after"])
    if worst > 0.1:
        notes.append(f"Imbalance remains after weighting (max |SMD| = {worst:.2f} > 0.1).")
    if treat["max"] > 0.95:
        notes.append(
            "Weak overlap: some treated have a propensity above 0.95 (few comparable controls); "
            "consider trim=0.1 or trim='crump'."
        )
    if (
        ctrl["effective_n"] < 0.1 * (ctrl["n"] - ctrl["n_outside_support"])
        and ctrl["effective_n"] < 100
    ):
        notes.append(
            f"Weights concentrate: the comparison group's effective sample size is "
            f"{ctrl['effective_n']:.0f}; the estimate rests on few comparison rows."
        )
    return notes
