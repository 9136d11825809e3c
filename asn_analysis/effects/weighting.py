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

from collections.abc import Sequence
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
from asn_analysis.errors import OptionError
from asn_analysis.stats.ols import check_rank, fe_codes

__all__ = ["SEMethod", "WeightingMethod", "att_weighting"]

#: ``"ipw"``: normalised inverse-probability weighting; ``"aipw"``: doubly robust.
WeightingMethod = Literal["aipw", "ipw"]
#: Standard errors of :func:`att_weighting`: stacked estimating equations, or a bootstrap.
SEMethod = Literal["influence", "bootstrap"]


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
        covariates, perfect separation in the propensity model.
    OptionError
        An unknown ``method`` or ``se_method``, a ``trim`` outside (0, 0.5), a ``level``
        outside (0, 1).

    Notes
    -----
    Propensity :math:`\hat p(x)` from an unpenalised logit. IPW:
    :math:`\hat\tau = \bar Y_{D=1} - \sum_{D=0} \hat w_i Y_i / \sum_{D=0}\hat w_i`,
    :math:`\hat w = \hat p/(1-\hat p)`. AIPW (Sant'Anna & Zhao 2020, cross-section DR ATT):
    the same with :math:`Y - \hat m_0(x)` in place of :math:`Y`, :math:`\hat m_0` OLS on the
    controls. Assumptions: unconfoundedness given the covariates, overlap
    (:math:`p(x) < 1` for the treated), correct propensity (IPW) or either model (AIPW).
    Balance: standardised mean difference (treated mean minus (weighted) control mean) over the
    pooled unweighted SD :math:`\sqrt{(s_1^2+s_0^2)/2}` (Austin 2009); ``|SMD|`` < 0.1 is the usual
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
    check_option("method", method, WeightingMethod)
    check_option("se_method", se_method, SEMethod)
    check_level(level)
    covariates = list(covariates)
    if not covariates:
        raise EffectInputError("att_weighting needs at least one covariate")
    if trim is not None and not (0 < trim < 0.5):
        raise OptionError(f"trim must be between 0 and 0.5, not {trim!r}")
    cols = [outcome, treatment, *covariates] + ([cluster] if cluster else [])
    check_frame(data, cols)
    frame, n_excluded = complete_rows(data, cols)
    d = binary_column(numeric_column(frame[treatment], treatment), treatment)
    y = numeric_column(frame[outcome], outcome)
    if not (d == 1).any() or not (d == 0).any():
        raise EffectInputError(
            f"{treatment} needs treated (1) and control (0) rows; found only "
            f"{'controls' if not (d == 1).any() else 'treated'}"
        )
    xcov, names = _design_matrix(frame, covariates)
    x = np.column_stack([np.ones(len(frame)), xcov])
    check_rank(
        x[:, 1:] - x[:, 1:].mean(axis=0),
        xcov,
        names,
        [],
        context=" from covariates",
        error=EffectInputError,
    )
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
    clusters = fe_codes(frame[cluster])[0] if cluster else None
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
    n_draws = n_boot if se_method == "bootstrap" else np.nan
    return EffectEstimate.from_inference(
        est,
        [inference_row(se_name, est, se, level, n_draws=n_draws)],
        n_obs=n,
        n_treated=int((d == 1).sum()),
        n_clusters=int(clusters.max()) + 1 if clusters is not None else None,
        method=label,
        estimand="ATT",
        level=level,
        n_excluded=n_excluded + n_trimmed,
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
