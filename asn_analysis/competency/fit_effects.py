"""The cost of misfit: how JPM and mismatch go with the SKP predikat and the unit's IKM.

:func:`fit_effects` fits three models on the competency results: an ordered logit of the SKP
predikat (PermenPANRB No. 6 Tahun 2022) and a logit of "at least Baik" on JPM and technical
mismatch at the employee level, and an OLS of the unit's converted IKM (PermenPANRB No. 14
Tahun 2017) on its mismatch share and mean JPM. Standard errors are cluster-robust; with few
clusters the p-values and intervals come from the wild cluster score bootstrap
(:class:`asn_analysis.stats.bootstrap.ScoreBootstrap`). The models are fitted with the
analytic derivatives and the safeguarded Newton of :mod:`asn_analysis.stats.mestimation`.

References
----------
.. [1] Peraturan Menteri PANRB No. 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN
   (predikat); Peraturan Menteri PANRB No. 14 Tahun 2017 (IKM).
.. [2] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
   inference. *Journal of Human Resources*, 50(2), 317-372.
.. [3] Kline, P., & Santos, A. (2012). A score based approach to wild bootstrap inference.
   *Journal of Econometric Methods*, 1(1), 23-41.
"""

from __future__ import annotations

import contextlib
import functools
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, ParamSpec, TypeAlias, TypeVar

import numpy as np
import pandas as pd

from asn_analysis._validation import (
    check_columns,
    check_int,
    check_level,
    check_option,
    check_positive,
    show_list,
)
from asn_analysis.competency.inputs import CompetencyInputError
from asn_analysis.competency.mismatch import MismatchResult
from asn_analysis.data.schema import PREDIKAT
from asn_analysis.errors import StatsInputError
from asn_analysis.results import Result
from asn_analysis.stats.bootstrap import BootWeights, ScoreBootstrap, boot_weights
from asn_analysis.stats.inference import headline_first, headline_method
from asn_analysis.stats.intervals import FEW_CLUSTERS, coef_table
from asn_analysis.stats.mestimation import (
    MEstimator,
    OrderedLogit,
    logit_estimator,
    maximize,
    ols_estimator,
)
from asn_analysis.stats.sandwich import cluster_sandwich

__all__ = [
    "MODEL_BAIK",
    "MODEL_IKM",
    "MODEL_ORDERED",
    "FitEffectsResult",
    "FitInference",
    "UnitSE",
    "fit_effects",
]

#: Standard errors of the unit-level IKM model.
UnitSE: TypeAlias = Literal["cluster", "HC1"]
#: P-values and intervals of the reported effects (see :func:`fit_effects`).
FitInference: TypeAlias = Literal["auto", "cluster", "wild"]

MODEL_ORDERED = "predikat_ordered_logit"
MODEL_BAIK = "at_least_baik_logit"
MODEL_IKM = "ikm_unit_ols"


def _score_bootstrap_rows(
    est: MEstimator,
    params: np.ndarray,
    names: Sequence[str],
    terms: Sequence[str],
    groups: np.ndarray,
    *,
    level: float,
    n_boot: int,
    weights: str,
    seed: int | None,
) -> tuple[dict[str, dict[str, Any]], str]:
    """Bootstrap p-value and test-inversion CI of each term; and the method's name."""
    codes, uniques = pd.factorize(groups)
    v, enumerated = boot_weights(weights, len(uniques), n_boot, seed)
    out = {}
    for term in terms:
        boot = ScoreBootstrap(est, params, list(names).index(term), codes, len(uniques), v)
        low, high = boot.ci(level)
        out[term] = {"pvalue": boot.pvalue(0.0), "ci_low": low, "ci_high": high}
    how = "enumerated" if enumerated else f"seed {seed}"
    return out, f"wild cluster score bootstrap ({weights}, {len(v)} draws, {how})"


def _tidy(
    names: Sequence[str],
    params: np.ndarray,
    cov: np.ndarray,
    df: float | None,
    level: float,
    *,
    odds: bool,
) -> pd.DataFrame:
    """Coefficient table: estimate, SE, t, p-value and CI (t(df), or normal when df is None)."""
    out = coef_table(params, cov, names, level, math.inf if df is None else df)
    if odds:
        out["odds_ratio"] = np.exp(out["coef"])
        out["or_ci_low"] = np.exp(out["ci_low"])
        out["or_ci_high"] = np.exp(out["ci_high"])
    return out


def _dummies(values: pd.Series, prefix: str) -> tuple[pd.DataFrame, str]:
    """Build indicators with the most frequent level as reference (ties: first sorted)."""
    counts = values.value_counts()
    reference = sorted(counts.index[counts == counts.max()].tolist())[0]
    levels = sorted(v for v in counts.index if v != reference)
    frame = pd.DataFrame(
        {f"{prefix}[{v}]": (values.to_numpy() == v).astype(float) for v in levels},
        index=values.index,
    )
    return frame, str(reference)


def _drop_separated(
    data: pd.DataFrame, y: np.ndarray, columns: Sequence[str], *, low: int, high: int
) -> tuple[np.ndarray, list[str]]:
    """Mask of rows to keep: levels whose outcomes all sit in an end category are left out."""
    keep = np.ones(len(data), dtype=bool)
    notes = []
    for col in columns:
        values = data[col].to_numpy()
        frame = pd.DataFrame({"level": values, "y": y})
        ends = frame.groupby("level", sort=True)["y"].agg(["min", "max", "size"])
        bad = ends[((ends["min"] == high) & (ends["max"] == high)) | (ends["max"] == low)]
        if len(bad):
            drop = np.isin(values, bad.index.to_numpy())
            keep &= ~drop
            notes.append(
                f"{col} {show_list(bad.index.tolist())}: every outcome in one end category, "
                f"so its effect is not identified; {int(drop.sum())} observations left out."
            )
    return keep, notes


@dataclass(frozen=True, repr=False)
class FitEffectsResult(Result):
    """Result of :func:`fit_effects`.

    Attributes
    ----------
    table : pandas.DataFrame
        The effects of interest, one row per model and term: model, term, coef, se, t, pvalue,
        ci_low, ci_high, inference (the method behind pvalue and the interval), odds_ratio,
        or_ci_low, or_ci_high (NaN for the linear model). ``se`` and ``t`` are always the
        cluster-robust (or HC1) ones. Terms
        ``jpm_per_10`` (per 10 JPM points) and ``mismatch`` for the employee-level models;
        ``mismatch_share`` (per +1.0, i.e. 0 to 100 % of staff) and ``mean_jpm`` (per JPM point)
        for the unit-level IKM model.
    coefficients : mapping of str to pandas.DataFrame
        Every coefficient of each model (controls, thresholds or intercept included).
    n_obs, n_clusters : mapping of str to int
        Observations and clusters per model.
    notes : tuple of str
        Assumptions and caveats.
    level : float
        Confidence level.
    inference : pandas.DataFrame
        Every method computed for each effect (model, term, method, se, pvalue, ci_low,
        ci_high), the headline method first: the wild cluster score bootstrap when it was run
        (fewer than 42 clusters), then the cluster-robust one beside it.
    """

    table: pd.DataFrame
    coefficients: Mapping[str, pd.DataFrame]
    n_obs: Mapping[str, int]
    n_clusters: Mapping[str, int]
    notes: tuple[str, ...] = field(default=())
    level: float = 0.95
    inference: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """Return the table of effects (a copy)."""
        return self.table.copy()

    def effect(self, model: str, term: str) -> pd.Series:
        """Return one row of the table (coef, se, ..., ci_high)."""
        rows = self.table[(self.table["model"] == model) & (self.table["term"] == term)]
        if rows.empty:
            raise KeyError(f"no effect {term!r} in model {model!r}")
        return rows.iloc[0]

    def heading(self) -> str:
        """Return "Cost of misfit (95% confidence intervals)"."""
        return f"Cost of misfit ({self.level:.0%} confidence intervals)"

    def tables(self) -> list[pd.DataFrame]:
        """Return the models (n, clusters, method of the p-values and intervals) and effects."""
        head = self.table.drop_duplicates("model").set_index("model")
        models = pd.DataFrame(
            {
                "n_obs": [self.n_obs[m] for m in head.index],
                "n_clusters": [self.n_clusters[m] for m in head.index],
                "inference": head["inference"],
            },
            index=head.index,
        )
        cols = ["coef", "se", "pvalue", "ci_low", "ci_high", "odds_ratio"]
        return [models, self.table.set_index(["model", "term"])[cols]]


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """Run small dense algebra on one BLAS thread.

    The models here multiply matrices of some 15,000 x 40; multithreaded OpenBLAS gains nothing
    at that size and slows down by an order of magnitude when other processes share the cores.
    """
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _on_one_blas_thread(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Wrap ``func`` so that it runs inside :func:`_one_blas_thread`."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _one_blas_thread():
            return func(*args, **kwargs)

    return wrapper


@_on_one_blas_thread
def fit_effects(
    jpm: pd.DataFrame,
    mismatch: MismatchResult | pd.DataFrame,
    performance: pd.DataFrame,
    skm_responses: pd.DataFrame | None = None,
    *,
    years: Sequence[int] | None = None,
    cluster: str = "unit_id",
    unit_se: UnitSE = "cluster",
    jpm_scale: float = 10.0,
    ikm_weight: Literal["exact"] | float = "exact",
    level: float = 0.95,
    inference: FitInference = "auto",
    n_boot: int = 9999,
    weights: BootWeights = "rademacher",
    seed: int | None = 0,
) -> FitEffectsResult:
    r"""Estimate how competency fit is associated with performance and citizen satisfaction.

    Parameters
    ----------
    jpm : pandas.DataFrame
        Output of :func:`job_person_match` (employee_id, unit_id, job_type, jpm_pct).
    mismatch : MismatchResult or pandas.DataFrame
        Output of :func:`mismatches` (or its ``employees`` table: employee_id, mismatch).
        Employees without a technical competency in their standard count as not mismatched.
    performance : pandas.DataFrame
        SKP appraisals: employee_id, year, predikat (PermenPANRB 6/2022 levels).
    skm_responses : pandas.DataFrame, optional
        SKM answers (unit_id, period, the nine elements); None skips the unit-level model.
    years : sequence of int, optional
        Appraisal years used (default: all).
    cluster : str, default "unit_id"
        Cluster of the employee-level standard errors (``"unit_id"`` or ``"employee_id"``).
    unit_se : {"cluster", "HC1"}, default "cluster"
        Standard errors of the unit-level model: clustered by unit over periods (the unit
        covariates do not change between periods), or heteroskedasticity-robust HC1.
    jpm_scale : float, default 10
        JPM points per unit of the ``jpm_per_10`` term.
    ikm_weight : "exact" or float, default "exact"
        Element weight of the IKM (see :func:`asn_analysis.satisfaction.ikm`).
    level : float, default 0.95
        Confidence level.
    inference : {"auto", "cluster", "wild"}, default "auto"
        Method of the headline p-values and intervals (``table``). ``"auto"``, the one rule
        of the package (:func:`asn_analysis.stats.inference.headline_method`): the wild
        cluster score bootstrap for models with fewer than 42 clusters, otherwise
        cluster-robust CR1 with t(G-1); CR1 is shown beside the headline (the second row of
        each effect in ``result.inference``). ``"cluster"``, ``"wild"``: that method as the
        headline. (One treated unit does not arise here: the regressors are continuous.)
    n_boot : int, default 9999
        Bootstrap draws (Rademacher signs are enumerated when 2**G <= n_boot).
    weights : {"rademacher", "webb", "mammen"}, default "rademacher"
        Bootstrap weights (Webb's six-point weights are better below about 12 clusters).
    seed : int, optional
        Seed of the bootstrap weights; the same seed gives the same intervals.

    Returns
    -------
    FitEffectsResult
        Tidy effects with confidence intervals, full coefficient tables and notes.

    Raises
    ------
    CompetencyInputError
        Missing columns, unknown predikat values, no overlap between tables, or too few clusters.

    Notes
    -----
    **Employee level** (one observation per employee-year), ordered logit (statsmodels
    ``OrderedModel``, logit link) of predikat (sangat kurang < kurang < butuh perbaikan < baik <
    sangat baik):

    .. math::

        P(y_{it} \le j) = \Lambda\left(\kappa_j - \beta_J \frac{JPM_i}{10} - \beta_M M_i
        - \gamma_{\text{job type}} - \alpha_{\text{unit}}\right),

    with :math:`M_i` the technical mismatch, job-type and unit indicators (most frequent level as
    reference). statsmodels has no cluster option for OrderedModel, so the covariance is the
    cluster-robust sandwich :func:`cluster_sandwich` (factor :math:`G/(G-1)`) from the analytic
    per-observation scores and Hessian; intervals use t(G-1). The likelihood is maximised by
    Newton's method on those analytic derivatives, safeguarded (absolute eigenvalues of the
    Hessian, step halving) because the log-increment thresholds make the Hessian indefinite far
    from the optimum. The binary model "at least Baik"
    (baik or sangat baik) is a statsmodels ``Logit`` with the same regressors plus an intercept
    and the same sandwich. Levels of unit or job type whose outcomes all fall in one end
    category do not identify their effect and are left out (counted in the notes, as Stata does).

    **Unit level** (one observation per unit and survey period): converted IKM (25-100,
    PermenPANRB 14/2017) on the unit's mismatch share (0-1) and mean JPM with period effects,
    OLS; standard errors clustered by unit (statsmodels CR1, t(G-1)) or HC1.

    **Few clusters.** With fewer than 42 clusters (here: units) cluster-robust standard errors
    are often too small, the more so when cluster sizes are unequal (MacKinnon & Webb 2017).
    ``inference="auto"`` then reports, for each effect, the p-value and interval of a wild
    cluster *score* bootstrap: the model is refitted with the coefficient fixed at the
    hypothesised value, the cluster scores at that restricted fit are multiplied by random
    signs, and one Newton step gives each bootstrap estimate and its own cluster-robust
    t-statistic (Kline & Santos 2012). For the linear unit model this is exactly the wild
    cluster restricted bootstrap (WCR; Roodman et al. 2019). Intervals collect the values the
    test does not reject. The ``coefficients`` tables stay cluster-robust.

    All coefficients are associations: JPM and mismatch are not randomly assigned, and the unit
    model has as many independent units as clusters.

    References
    ----------
    .. [1] PermenPANRB No. 6 Tahun 2022 (predikat kinerja); PermenPANRB No. 14 Tahun 2017 (IKM).
    .. [2] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
       inference. *Journal of Human Resources*, 50(2), 317-372.
    .. [3] Kline, P., & Santos, A. (2012). A score based approach to wild bootstrap inference.
       *Journal of Econometric Methods*, 1(1), 23-41.
    .. [4] Roodman, D., MacKinnon, J. G., Nielsen, M. Ø., & Webb, M. D. (2019). Fast and wild:
       Bootstrap inference in Stata using boottest. *The Stata Journal*, 19(1), 4-60.
    .. [5] MacKinnon, J. G., & Webb, M. D. (2017). Wild bootstrap inference for wildly
       different cluster sizes. *Journal of Applied Econometrics*, 32(2), 233-254.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.competency import competency_gaps, job_person_match, mismatches
    >>> ds = load_dataset()
    >>> args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    >>> jpm = job_person_match(*args, as_of="2025-06-30")
    >>> mis = mismatches(competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    >>> res = fit_effects(jpm, mis, ds.performance, ds.skm_responses)
    >>> row = res.effect("predikat_ordered_logit", "mismatch")
    >>> bool(row["ci_high"] < 0)
    True
    """
    import statsmodels.api as sm

    from asn_analysis.satisfaction import ikm

    check_level(level)
    check_option("unit_se", unit_se, UnitSE)
    check_option("inference", inference, FitInference)
    check_option("weights", weights, BootWeights)
    check_int("n_boot", n_boot, 19)
    check_positive("jpm_scale", jpm_scale)
    check_columns(
        jpm, "jpm", ["employee_id", "unit_id", "job_type", "jpm_pct"], error=CompetencyInputError
    )
    check_columns(
        performance, "performance", ["employee_id", "year", "predikat"], error=CompetencyInputError
    )
    mis_frame = mismatch.employees if isinstance(mismatch, MismatchResult) else mismatch
    check_columns(mis_frame, "mismatch", ["employee_id", "mismatch"], error=CompetencyInputError)
    check_option("cluster", cluster, ("unit_id", "employee_id"))

    fit = jpm[["employee_id", "unit_id", "job_type", "jpm_pct"]].copy()
    flags = mis_frame.set_index("employee_id")["mismatch"].astype(bool)
    fit["mismatch"] = fit["employee_id"].map(flags).fillna(False).astype(float)
    fit["jpm_pct"] = fit["jpm_pct"].astype(float)
    perf = performance[["employee_id", "year", "predikat"]]
    if years is not None:
        perf = perf[perf["year"].isin(list(years))]
    unknown = ~perf["predikat"].isin(PREDIKAT) & perf["predikat"].notna()
    if unknown.any():
        raise CompetencyInputError(
            f"performance.predikat: {int(unknown.sum())} values are not one of "
            f"{', '.join(PREDIKAT)}: {show_list(pd.unique(perf.loc[unknown, 'predikat']).tolist())}"
        )
    n_perf = len(perf)
    perf = perf.dropna(subset=["predikat"])
    data = perf.merge(fit, on="employee_id", how="inner")
    n_no_fit = n_perf - len(data)
    if data.empty:
        raise CompetencyInputError("no performance row has an employee with a JPM")
    y = pd.Categorical(data["predikat"].astype(object), categories=PREDIKAT).codes.astype(int)
    notes: list[str] = []
    if n_no_fit:
        notes.append(
            f"{n_no_fit} appraisals (of {n_perf}) left out: blank predikat or no JPM for the "
            "employee."
        )

    coefficients: dict[str, pd.DataFrame] = {}
    n_obs: dict[str, int] = {}
    n_clusters: dict[str, int] = {}
    rows: list[pd.DataFrame] = []
    inference_rows: list[dict[str, Any]] = []
    boot_methods: dict[str, str] = {}

    def report(
        name: str,
        full: pd.DataFrame,
        terms: list[str],
        cr1_text: str,
        est: MEstimator | None,
        params: np.ndarray,
        groups: np.ndarray | None,
    ) -> None:
        """Add the model's effects (headline rows) and every method's row to the outputs."""
        head = full.loc[terms].assign(model=name, inference=cr1_text)
        g = None if groups is None or est is None else int(pd.unique(groups).size)
        wild = est is not None and headline_method(inference, n_clusters=g) == "wild"
        boot: dict[str, dict[str, Any]] = {}
        if wild:
            assert est is not None and groups is not None
            try:
                boot, method = _score_bootstrap_rows(
                    est, params, list(full.index), terms, groups,
                    level=level, n_boot=n_boot, weights=weights, seed=seed,
                )  # fmt: skip
                boot_methods[name] = method
            except StatsInputError as err:
                notes.append(
                    f"{name}: wild cluster score bootstrap not computed ({err}); the "
                    "cluster-robust p-values and intervals are reported instead."
                )
        for term in terms:
            row = full.loc[term]
            cr1_row = {"model": name, "term": term, "method": cr1_text, "se": row["se"],
                       "pvalue": row["pvalue"], "ci_low": row["ci_low"],
                       "ci_high": row["ci_high"]}  # fmt: skip
            if term not in boot:
                inference_rows.append(cr1_row)
            else:  # the headline first, CR1 beside it
                inference_rows.extend(
                    headline_first(
                        [cr1_row, {"model": name, "term": term, "method": boot_methods[name],
                                   "se": np.nan, **boot[term]}],
                        "wild", kinds=["cluster", "wild"],
                    )
                )  # fmt: skip
                for col in ("pvalue", "ci_low", "ci_high"):
                    head.loc[term, col] = boot[term][col]
                head.loc[term, "inference"] = boot_methods[name]
        if "odds_ratio" in head:
            head["or_ci_low"] = np.exp(head["ci_low"])
            head["or_ci_high"] = np.exp(head["ci_high"])
        rows.append(head)

    def design(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
        jt, jt_ref = _dummies(frame["job_type"].astype(str), "job_type")
        un, un_ref = _dummies(frame["unit_id"].astype(str), "unit_id")
        x = pd.concat(
            [
                pd.DataFrame(
                    {
                        "jpm_per_10": frame["jpm_pct"].to_numpy() / jpm_scale,
                        "mismatch": frame["mismatch"].to_numpy(),
                    },
                    index=frame.index,
                ),
                jt,
                un,
            ],
            axis=1,
        )
        return x, {"job_type": jt_ref, "unit_id": un_ref}

    # (1a) ordered logit of predikat
    keep, sep_notes = _drop_separated(
        data, y, ["unit_id", "job_type"], low=int(y.min()), high=int(y.max())
    )
    notes += [f"Ordered logit: {t}" for t in sep_notes]
    d_ord, y_ord = data[keep], y[keep]
    x_ord, refs = design(d_ord)
    model = OrderedLogit(y_ord.astype(float), x_ord.to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = np.asarray(model.start_params, dtype=float)
    est_ord = model.m_estimator()
    try:
        params = maximize(est_ord, start)
    except StatsInputError as err:
        raise CompetencyInputError(f"ordered logit of predikat: {err}") from err
    groups = d_ord[cluster].to_numpy()
    g_ord = int(pd.unique(groups).size)
    cov = cluster_sandwich(model.score_obs(params), model.hessian(params), groups)
    labels = [PREDIKAT[i] for i in np.unique(y_ord)]
    names = list(x_ord.columns) + [f"{a}|{b}" for a, b in zip(labels[:-1], labels[1:], strict=True)]
    full = _tidy(names, params, cov, g_ord - 1, level, odds=True)
    coefficients[MODEL_ORDERED] = full
    n_obs[MODEL_ORDERED], n_clusters[MODEL_ORDERED] = len(y_ord), g_ord
    cr1 = f"cluster-robust ({cluster}, G/(G-1)), t({g_ord - 1})"
    report(MODEL_ORDERED, full, ["jpm_per_10", "mismatch"], cr1, est_ord, params, groups)

    # (1b) at least Baik, logit
    y_bin = (y >= PREDIKAT.index("baik")).astype(int)
    keep_b, sep_b = _drop_separated(data, y_bin, ["unit_id", "job_type"], low=0, high=1)
    notes += [f"At-least-Baik logit: {t}" for t in sep_b]
    if len(np.unique(y_bin[keep_b])) == 2:
        d_b = data[keep_b]
        x_b, _ = design(d_b)
        x_b.insert(0, "const", 1.0)
        logit = sm.Logit(y_bin[keep_b].astype(float), x_b.to_numpy())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res_b = logit.fit(disp=False, method="newton", maxiter=200)
        p_b = np.asarray(res_b.params)
        groups_b = d_b[cluster].to_numpy()
        g_b = int(pd.unique(groups_b).size)
        cov_b = cluster_sandwich(logit.score_obs(p_b), logit.hessian(p_b), groups_b)
        full_b = _tidy(list(x_b.columns), p_b, cov_b, g_b - 1, level, odds=True)
        coefficients[MODEL_BAIK] = full_b
        n_obs[MODEL_BAIK], n_clusters[MODEL_BAIK] = int(keep_b.sum()), g_b
        cr1_b = f"cluster-robust ({cluster}, G/(G-1)), t({g_b - 1})"
        report(
            MODEL_BAIK, full_b, ["jpm_per_10", "mismatch"], cr1_b, logit_estimator(logit),
            p_b, groups_b,
        )  # fmt: skip
        n_below = int((y_bin[keep_b] == 0).sum())
        notes.append(
            f"At-least-Baik logit: {n_below} of {int(keep_b.sum())} appraisals below Baik; with "
            "few events the odds ratios are imprecise."
        )
    else:
        notes.append("At-least-Baik logit not estimated: every appraisal is on one side of Baik.")

    notes.append(
        f"Employee-level models: one observation per employee-year; job type (reference "
        f"{refs['job_type']}) and unit (reference {refs['unit_id']}) indicators; standard errors "
        f"clustered by {cluster} (G/(G-1) sandwich from analytic scores), t(G-1) intervals."
    )
    if g_ord < FEW_CLUSTERS:
        largest = d_ord[cluster].value_counts(normalize=True).iloc[0]
        few = (
            f"Few clusters ({g_ord} < {FEW_CLUSTERS}) and the largest cluster holds "
            f"{largest:.0%} of the observations: cluster-robust standard errors can be too small."
        )
        if MODEL_ORDERED in boot_methods:
            few += (
                f" P-values and intervals of the employee-level effects therefore come from the "
                f"{boot_methods[MODEL_ORDERED]}, null imposed, intervals by test inversion "
                "(Kline & Santos 2012; Roodman et al. 2019): the headline; the cluster-robust "
                "ones are shown beside them in `inference`."
            )
        else:
            few += " Read intervals near zero with caution (inference='wild' is the remedy)."
        notes.append(few)

    # (2) unit level: IKM on mismatch share and mean JPM
    if skm_responses is not None:
        table = ikm(skm_responses, by=["unit_id", "period"], weight=ikm_weight, on_empty="nan")
        n_blank = int(table["ikm_converted"].isna().sum())
        table = table.dropna(subset=["ikm_converted"])
        unit = fit.groupby("unit_id").agg(
            mismatch_share=("mismatch", "mean"),
            mean_jpm=("jpm_pct", "mean"),
            staff=("jpm_pct", "size"),
        )
        frame = table[["unit_id", "period", "ikm_converted"]].join(unit, on="unit_id")
        n_no_staff = int(frame["mismatch_share"].isna().sum())
        frame = frame.dropna(subset=["mismatch_share"]).reset_index(drop=True)
        periods, period_ref = _dummies(frame["period"].astype(str), "period")
        x_u = pd.concat(
            [
                pd.DataFrame({"const": 1.0}, index=frame.index),
                frame[["mismatch_share", "mean_jpm"]].astype(float),
                periods,
            ],
            axis=1,
        )
        g_u = int(frame["unit_id"].nunique())
        if g_u < 3:
            raise CompetencyInputError(f"unit-level model: {g_u} units with IKM and JPM; need 3+")
        ols = sm.OLS(frame["ikm_converted"].astype(float).to_numpy(), x_u.to_numpy())
        if unit_se == "cluster":
            res_u = ols.fit(
                cov_type="cluster",
                cov_kwds={"groups": pd.factorize(frame["unit_id"])[0]},
                use_t=True,
            )
            df_u: float | None = g_u - 1
            se_text = f"clustered by unit (CR1, {g_u} clusters, t({g_u - 1}))"
        else:
            res_u = ols.fit(cov_type="HC1", use_t=True)
            df_u = float(res_u.df_resid)
            se_text = "HC1 (treats unit-periods as independent; the unit covariates do not vary)"
        full_u = _tidy(
            list(x_u.columns),
            np.asarray(res_u.params),
            np.asarray(res_u.cov_params()),
            df_u,
            level,
            odds=False,
        )
        coefficients[MODEL_IKM] = full_u
        n_obs[MODEL_IKM], n_clusters[MODEL_IKM] = len(frame), g_u
        x_arr = x_u.to_numpy()
        report(
            MODEL_IKM, full_u, ["mismatch_share", "mean_jpm"],
            f"CR1 by unit, t({g_u - 1})" if unit_se == "cluster" else "HC1",
            ols_estimator(frame["ikm_converted"].astype(float).to_numpy(), x_arr)
            if unit_se == "cluster" else None,
            np.asarray(res_u.params), frame["unit_id"].to_numpy() if unit_se == "cluster" else None,
        )  # fmt: skip
        notes.append(
            f"Unit-level IKM model: {len(frame)} unit-periods of {g_u} units; converted IKM on "
            f"mismatch share (per +1.0 = 0 to 100 % of staff) and mean JPM with period effects "
            f"(reference {period_ref}); standard errors {se_text}."
        )
        if n_blank or n_no_staff:
            notes.append(
                f"Unit-level IKM model: {n_blank} unit-periods without a complete IKM and "
                f"{n_no_staff} without staff with a JPM left out."
            )
        if g_u < FEW_CLUSTERS:
            text = (
                f"Unit level: only {g_u} units, and mismatch share and mean JPM are fixed per "
                "unit, so the estimate rests on a cross-section of units (few clusters)."
            )
            if MODEL_IKM in boot_methods:
                text += (
                    f" P-values and intervals come from the {boot_methods[MODEL_IKM]} (for OLS "
                    "this is the wild cluster restricted bootstrap, WCR)."
                )
            notes.append(text)
    notes.append(
        "Associations, not causal effects: competency fit is not randomly assigned, and units "
        "and employees with better fit may differ in other ways."
    )
    out = pd.concat(rows).reset_index()
    cols = ["model", "term", "coef", "se", "t", "pvalue", "ci_low", "ci_high", "inference"]
    cols += ["odds_ratio", "or_ci_low", "or_ci_high"]
    out = out.reindex(columns=cols)
    return FitEffectsResult(
        table=out,
        coefficients=MappingProxyType(coefficients),
        n_obs=MappingProxyType(n_obs),
        n_clusters=MappingProxyType(n_clusters),
        notes=tuple(notes),
        level=level,
        inference=pd.DataFrame(inference_rows),
    )
