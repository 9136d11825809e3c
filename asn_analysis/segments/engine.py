"""The segmentation engine: cluster a table of numeric features, choose k, profile, test stability.

:func:`segment` clusters the rows of any numeric table (one row per employee, unit or anything
else) by k-means, a Gaussian mixture or Ward's method; chooses the number of segments by
silhouette (k-means, Ward) or BIC (Gaussian mixture) when it is not given; profiles each segment
in the features' own units and as z-scores; and measures how stable the segments are under
bootstrap resampling, so that weak clusters are not over-read. It knows nothing of the ASN
data: the feature builders are in :mod:`asn_analysis.segments.features`, the labels, actions
and sentences in :mod:`asn_analysis.reporting.findings.segments`.

Clustering is exploratory: segments summarise the data, they are not types that exist in
nature. Every result carries notes on excluded rows, tiny segments and low stability.

References
----------
.. [1] Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation and
       validation of cluster analysis. Journal of Computational and Applied Mathematics, 20,
       53-65.
.. [2] Hubert, L., & Arabie, P. (1985). Comparing partitions. Journal of Classification, 2(1),
       193-218.
.. [3] Hennig, C. (2007). Cluster-wise assessment of cluster stability. Computational
       Statistics & Data Analysis, 52(1), 258-271.
.. [4] Schwarz, G. (1978). Estimating the dimension of a model. The Annals of Statistics,
       6(2), 461-464.
.. [5] Sculley, D. (2010). Web-scale k-means clustering. Proceedings of WWW 2010, 1177-1178.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"x": np.r_[rng.normal(0, 1, 40), rng.normal(6, 1, 40)]})
>>> res = segment(df, features=["x"], k=2, n_boot=5)
>>> res.k, res.n_obs, res.stable
(2, 80, True)
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from asn_analysis._validation import check_columns, check_int, check_option
from asn_analysis.errors import AsnAnalysisError, OptionError
from asn_analysis.results import Result

__all__ = [
    "PROFILE_COLUMNS",
    "STABILITY_DOUBTFUL",
    "STABILITY_STABLE",
    "Method",
    "Missing",
    "SegmentInputError",
    "SegmentResult",
    "segment",
]

Method: TypeAlias = Literal["kmeans", "gmm", "ward"]
Missing: TypeAlias = Literal["drop", "impute_mean"]

#: Mean bootstrap agreement at or above which segments are read as stable (Hennig 2007).
STABILITY_STABLE = 0.75
#: Below this, segments show patterns at best and membership is doubtful (Hennig 2007).
STABILITY_DOUBTFUL = 0.6
#: A segment smaller than this many members, or than this share of rows, is flagged as tiny.
TINY_MEMBERS = 5
TINY_SHARE = 0.02
#: Ward clustering keeps an n x n distance structure; above this many rows it is refused.
WARD_MAX_ROWS = 15_000
#: The columns every profile starts with; features may not use these names.
PROFILE_COLUMNS = ("n", "share", "tiny", "jaccard")

_ALGORITHMS = {
    "kmeans": "KMeans",
    "gmm": "GaussianMixture",
    "ward": "AgglomerativeClustering(ward)",
}
_MINIBATCH = "MiniBatchKMeans"


class SegmentInputError(AsnAnalysisError):
    """Input :func:`segment` (or a feature builder) cannot use; the message names the problem."""


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class SegmentResult(Result):
    """Result of :func:`segment`.

    Attributes
    ----------
    labels : pandas.Series
        Segment (0 .. k-1, ``Int64``) of every input row, aligned with the input index; <NA>
        for rows excluded by the missing-value policy. Numbers are scikit-learn's own labels.
    k : int
        Number of segments.
    method : {"kmeans", "gmm", "ward"}
        Method asked for.
    algorithm : str
        Estimator used: ``KMeans``, ``MiniBatchKMeans`` (large data), ``GaussianMixture`` or
        ``AgglomerativeClustering(ward)``.
    features : tuple
        Columns the segments were formed on.
    scores : pandas.DataFrame
        One row per k tried (index ``k``): the criterion (``silhouette``, higher is better,
        or ``bic``, lower is better) and ``chosen``.
    criterion : str
        ``"silhouette"`` or ``"bic"``.
    profiles : pandas.DataFrame
        One row per segment: ``n`` (members), ``share`` (of rows used), ``tiny`` (fewer than
        5 members or under 2 % of rows), ``jaccard`` (Hennig's cluster-wise stability: mean
        over resamples of the best Jaccard agreement with a re-estimated segment; NaN without
        resampling), then the mean of every feature (and of every ``extra`` column) in its
        original units.
    z_profiles : pandas.DataFrame
        Segment means as z-scores: (segment mean - overall mean) / overall standard deviation
        (ddof=0), over the rows used; features and extra columns.
    stability : float
        Mean adjusted Rand index between the segments and those re-estimated on bootstrap
        resamples, over the rows drawn; NaN when ``n_boot`` is 0.
    n_boot : int
        Resamples used for the stability.
    n_obs, n_excluded, n_imputed : int
        Rows clustered, rows left out under ``missing="drop"``, rows with at least one value
        imputed under ``missing="impute_mean"``.
    missing : {"drop", "impute_mean"}
        Missing-value policy.
    scaled : bool
        Whether features were standardised.
    seed : int
        Seed of every random step.
    extra : tuple
        Columns profiled but not used to form the segments.
    notes : tuple of str
        What was done and what to be careful about.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    >>> res = segment(df, features=["a", "b"], k=2, n_boot=0)
    >>> list(res.to_frame().columns)
    ['n', 'share', 'tiny', 'jaccard', 'a', 'b']
    >>> print(res.heading())
    Segments: KMeans, k = 2, n = 60 (excluded 0, imputed 0; missing='drop'); stability (mean
    bootstrap ARI, B = 0): nan
    """

    labels: pd.Series
    k: int
    method: str
    algorithm: str
    features: tuple[Hashable, ...]
    scores: pd.DataFrame
    criterion: str
    profiles: pd.DataFrame
    z_profiles: pd.DataFrame
    stability: float
    n_boot: int
    n_obs: int
    n_excluded: int
    n_imputed: int
    missing: str
    scaled: bool
    seed: int
    extra: tuple[Hashable, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def stable(self) -> bool:
        """True when the mean bootstrap ARI is at least :data:`STABILITY_STABLE` (0.75)."""
        return bool(self.stability >= STABILITY_STABLE)

    def to_frame(self) -> pd.DataFrame:
        """Return the segment profiles (size, share, flags and feature means)."""
        return self.profiles.copy()

    def heading(self) -> str:
        """Return the method, the size, the missing-value policy and the stability."""
        return (
            f"Segments: {self.algorithm}, k = {self.k}, n = {self.n_obs} "
            f"(excluded {self.n_excluded}, imputed {self.n_imputed}; missing={self.missing!r}); "
            f"stability (mean bootstrap ARI, B = {self.n_boot}): {self.stability:.3f}"
        )

    def tables(self) -> list[pd.DataFrame]:
        """Return the criterion by k, then the profiles."""
        scores = self.scores.copy()
        scores.columns.name = f"{self.criterion} by k"
        return [scores, self.to_frame()]


# --------------------------------------------------------------------------------------------
# Clustering
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    method: str
    minibatch: bool
    n_init: int
    batch_size: int
    fit_sample: int | None = None


def _estimator(cfg: _Config, k: int, seed: int) -> Any:
    if cfg.method == "kmeans" and cfg.minibatch:
        return MiniBatchKMeans(
            n_clusters=k, n_init=cfg.n_init, batch_size=cfg.batch_size, random_state=seed
        )
    if cfg.method == "kmeans":
        return KMeans(n_clusters=k, n_init=cfg.n_init, random_state=seed)
    if cfg.method == "gmm":
        return GaussianMixture(n_components=k, n_init=cfg.n_init, random_state=seed)
    return AgglomerativeClustering(n_clusters=k, linkage="ward")


def _fit(cfg: _Config, x: np.ndarray, k: int, seed: int, caught: list[str]) -> tuple[Any, Any]:
    """Fit one model; scikit-learn warnings are collected (they end up in the notes)."""
    est = _estimator(cfg, k, seed)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        if cfg.minibatch and cfg.fit_sample is not None and len(x) > cfg.fit_sample:
            rows = _fit_rows(len(x), cfg.fit_sample, seed)
            labels = est.fit(x[rows]).predict(x)
        else:
            labels = est.fit_predict(x)
    caught.extend(str(w.message) for w in record)
    return est, np.asarray(labels)


def _fit_rows(n: int, size: int, seed: int) -> np.ndarray:
    """Rows a mini-batch fit uses on large data: a seeded uniform sample, in data order."""
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def _score(
    cfg: _Config,
    est: Any,
    x: np.ndarray,
    labels: np.ndarray,
    *,
    sample: int | None,
    seed: int,
) -> float:
    if cfg.method == "gmm":
        return float(est.bic(x))
    if np.unique(labels).size < 2:
        return float("nan")
    return _silhouette(x, labels, sample=sample, seed=seed)


_SILHOUETTE_BLOCK = 256  # rows per block of distances (256 x 10,000 rows: 20 MB)


def _silhouette(x: np.ndarray, labels: np.ndarray, *, sample: int | None, seed: int) -> float:
    """Mean silhouette of Euclidean distances, as ``sklearn.metrics.silhouette_score``.

    The same subsample (``check_random_state(seed).permutation(n)[:sample]``), distances and
    formula as scikit-learn (equal to about 1e-15; ``tests/test_segments.py``), in a third of
    its time: each block of distances is computed once and used for both triangles (the
    distance matrix is symmetric), and the per-segment sums are matrix products instead of one
    ``bincount`` per row. A row alone in its segment scores 0. Fewer than 2 segments, or as
    many as rows, raise scikit-learn's ValueError.
    """
    if sample is not None:
        rows = check_random_state(seed).permutation(len(x))[:sample]
        x, labels = x[rows], labels[rows]
    n = len(x)
    _, codes = np.unique(labels, return_inverse=True)
    freqs = np.bincount(codes)
    if not 1 < len(freqs) < n:
        raise ValueError(
            f"Number of labels is {len(freqs)}. Valid values are 2 to n_samples - 1 (inclusive)"
        )
    onehot = np.zeros((n, len(freqs)))
    onehot[np.arange(n), codes] = 1.0
    norms = np.einsum("ij,ij->i", x, x)
    sums = np.zeros((n, len(freqs)))  # sums[i, c]: distances from row i to segment c
    for start in range(0, n, _SILHOUETTE_BLOCK):
        stop = min(n, start + _SILHOUETTE_BLOCK)
        # scikit-learn's formula: sqrt(max(-2 x.y + |x|^2 + |y|^2, 0)), zero on the diagonal
        dist = -2.0 * (x[start:stop] @ x[start:].T)
        dist += norms[start:stop, None]
        dist += norms[None, start:]
        np.maximum(dist, 0.0, out=dist)
        np.sqrt(dist, out=dist)
        dist[np.arange(stop - start), np.arange(stop - start)] = 0.0
        sums[start:stop] += dist @ onehot[start:]
        sums[stop:] += dist[:, stop - start :].T @ onehot[start:stop]
    own = (np.arange(n), codes)
    intra = sums[own]
    sums[own] = np.inf
    inter = (sums / freqs).min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= (freqs - 1)[codes]
        sil = (inter - intra) / np.maximum(intra, inter)
    return float(np.mean(np.nan_to_num(sil)))  # NaN: a row alone in its segment, 0


def _choose_k(
    cfg: _Config,
    x: np.ndarray,
    ks: list[int],
    *,
    criterion: str,
    sample: int | None,
    seed: int,
    caught: list[str],
) -> tuple[pd.DataFrame, int, np.ndarray]:
    """Fit every k; keep the best by the criterion (the smallest k on ties)."""
    rows = []
    best: tuple[float, int, np.ndarray] | None = None
    for kk in ks:
        est, lab = _fit(cfg, x, kk, seed, caught)
        value = _score(cfg, est, x, lab, sample=sample, seed=seed)
        rows.append({"k": kk, criterion: value})
        key = -value if criterion == "bic" else value
        if best is None or (np.isfinite(key) and not key <= best[0]):
            best = (key, kk, lab)
    assert best is not None
    scores = pd.DataFrame(rows).set_index("k")
    scores["chosen"] = scores.index == best[1]
    return scores, best[1], best[2]


def _agreement(ref: np.ndarray, new: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    """Return the adjusted Rand index and, per reference segment, the best Jaccard agreement.

    Both from one k x k contingency table of the labels (0..k-1), with scikit-learn's integer
    pair counts for the ARI (``adjusted_rand_score``, to the last bit) and NaN for a
    reference segment without rows.
    """
    m = np.bincount(ref * k + new, minlength=k * k).reshape(k, k).astype(np.int64)
    rows = m.sum(axis=1)
    cols = m.sum(axis=0)
    n = int(rows.sum())
    squares = int((m**2).sum())
    fp = int((m @ cols).sum()) - squares  # scikit-learn's pair_confusion_matrix
    fn = int((m.T @ rows).sum()) - squares
    tp = squares - n
    tn = n * n - fp - fn - squares
    if fn == 0 and fp == 0:
        ari = 1.0
    else:
        ari = 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
    present = rows > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = (m / (rows[:, None] + cols[None, :] - m))[present].max(axis=1)
    best = np.full(k, np.nan)
    best[present] = jac
    return ari, best


def _stability(
    cfg: _Config,
    x: np.ndarray,
    labels: np.ndarray,
    k: int,
    *,
    n_boot: int,
    size: int,
    seed: int,
    caught: list[str],
) -> tuple[float, np.ndarray]:
    """Mean ARI and per-segment mean Jaccard over bootstrap resamples (Hennig 2007)."""
    if n_boot == 0:
        return float("nan"), np.full(k, np.nan)
    rng = np.random.default_rng(seed)
    n = len(x)
    aris = []
    jac = np.zeros(k)
    seen = np.zeros(k)
    for _ in range(n_boot):
        draw = rng.integers(0, n, size)
        fit_seed = int(rng.integers(0, 2**31 - 1))
        _, boot = _fit(cfg, x[draw], k, fit_seed, caught)
        # Duplicated rows get the same segment; compare each row drawn once.
        rows, first = np.unique(draw, return_index=True)
        ari, best = _agreement(labels[rows], boot[first], k)
        aris.append(ari)
        ok = ~np.isnan(best)
        jac[ok] += best[ok]
        seen[ok] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        per_segment = np.where(seen > 0, jac / np.maximum(seen, 1), np.nan)
    return float(np.mean(aris)), per_segment


def _validate_frame(data: Any, features: Any, extra: Any) -> tuple[list[Hashable], list[Hashable]]:
    check_columns(data, "data", [], error=SegmentInputError)
    if isinstance(features, str) or not isinstance(features, Iterable):
        raise SegmentInputError("features must be a list of column names")
    feats = list(features)
    extras = [extra] if isinstance(extra, str) else list(extra)
    if not feats:
        raise SegmentInputError("features is empty: name the columns to segment on")
    dup = sorted({str(f) for f in feats if feats.count(f) > 1})
    if dup:
        raise SegmentInputError(f"features named more than once: {', '.join(dup)}")
    if data.columns.duplicated().any():
        twice = sorted({str(c) for c in data.columns[data.columns.duplicated()]})
        raise SegmentInputError(f"data has duplicated column names: {', '.join(twice)}")
    unknown = [f for f in [*feats, *extras] if f not in data.columns]
    if unknown:
        shown = ", ".join(map(str, list(data.columns)[:20]))
        raise SegmentInputError(
            f"unknown feature column(s): {', '.join(map(str, unknown))}; data has: {shown}"
        )
    both = [f for f in extras if f in feats]
    if both:
        raise SegmentInputError(
            f"column(s) both in features and extra: {', '.join(map(str, both))}"
        )
    reserved = [f for f in [*feats, *extras] if f in PROFILE_COLUMNS]
    if reserved:
        raise SegmentInputError(
            f"column name(s) {', '.join(map(str, reserved))} clash with profile columns "
            f"{', '.join(PROFILE_COLUMNS)}; rename them"
        )
    non_numeric = [
        f"{c} ({data[c].dtype})"
        for c in [*feats, *extras]
        if not pd.api.types.is_numeric_dtype(data[c])
    ]
    if non_numeric:
        raise SegmentInputError(
            f"non-numeric feature column(s): {', '.join(non_numeric)}; encode them as numbers "
            "first (clustering uses Euclidean distances or Gaussian densities)"
        )
    return feats, extras


def _k_values(k: Any, k_range: Any, n: int) -> list[int]:
    if k is not None:
        ks = [k]
    else:
        try:
            ks = list(k_range)
        except TypeError as exc:
            raise SegmentInputError(f"k_range must be an iterable of integers: {exc}") from exc
        if not ks:
            raise SegmentInputError("k_range is empty")
    bad = [v for v in ks if isinstance(v, bool) or not isinstance(v, int | np.integer)]
    if bad:
        raise SegmentInputError(f"k must be an integer, got {bad[0]!r}")
    small = [int(v) for v in ks if v < 2]
    if small:
        raise SegmentInputError(
            f"k must be at least 2 (a single segment is no segmentation): {small}"
        )
    large = [int(v) for v in ks if v >= n]
    if large:
        raise SegmentInputError(
            f"k must be smaller than the number of rows used ({n}): k = {large}"
        )
    return sorted({int(v) for v in ks})


def segment(
    data: pd.DataFrame,
    *,
    features: Sequence[Hashable],
    k: int | None = None,
    k_range: Iterable[int] = range(2, 9),
    method: Method = "kmeans",
    scale: bool = True,
    missing: Missing = "drop",
    extra: Sequence[Hashable] = (),
    n_boot: int = 20,
    n_init: int = 10,
    batch_size: int = 4096,
    minibatch_threshold: int = 200_000,
    fit_sample: int | None = 500_000,
    silhouette_sample: int = 10_000,
    stability_sample: int = 20_000,
    n_threads: int | None = 1,
    seed: int = 0,
) -> SegmentResult:
    r"""Cluster rows (employees or units) into segments and profile them.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per employee (or unit), e.g. from
        :func:`asn_analysis.segments.employee_features`.
    features : sequence of column names
        Numeric columns the segments are formed on.
    k : int, optional
        Number of segments. ``None`` (default) chooses it from `k_range`: the highest
        silhouette (k-means, Ward) or the lowest BIC (Gaussian mixture).
    k_range : iterable of int, default range(2, 9)
        Candidate numbers of segments when `k` is None.
    method : {"kmeans", "gmm", "ward"}, default "kmeans"
        k-means (scikit-learn ``KMeans``), Gaussian mixture with full covariances
        (``GaussianMixture``), or Ward's hierarchical clustering (``AgglomerativeClustering``).
    scale : bool, default True
        Standardise each feature (``StandardScaler``: mean 0, standard deviation 1) so that
        features in large units do not dominate the distances.
    missing : {"drop", "impute_mean"}, default "drop"
        Rows with a missing feature are left out (label <NA>, counted in ``n_excluded``), or
        their missing values are replaced by the feature's mean over the other rows (counted in
        ``n_imputed``). Either way the notes say how many rows and which columns.
    extra : sequence of column names, default ()
        Numeric columns profiled per segment (in :attr:`SegmentResult.profiles` and
        ``z_profiles``) but not used to form the segments, e.g. ``gap_teknis``.
    n_boot : int, default 20
        Bootstrap resamples for the stability; 0 skips it (stability NaN).
    n_init : int, default 10
        Initialisations of k-means / mini-batch k-means / the Gaussian mixture (best kept).
    batch_size : int, default 4096
        Mini-batch size of ``MiniBatchKMeans`` (large data only).
    minibatch_threshold : int, default 200_000
        With more rows than this, k-means runs as ``MiniBatchKMeans`` (Sculley 2010).
    fit_sample : int or None, default 500_000
        On the mini-batch path with more rows than this, ``MiniBatchKMeans`` is fitted on a
        seeded uniform random sample of this many rows and every row is then assigned to its
        nearest centre (``predict``); None fits on all rows (Notes).
    silhouette_sample : int, default 10_000
        With more rows than this, the silhouette is computed on a seeded random subsample of
        this size (the full computation is quadratic in the number of rows).
    stability_sample : int, default 20_000
        With more rows than this, each stability resample draws this many rows (with
        replacement) instead of n.
    n_threads : int or None, default 1
        Threads of the numerical libraries (OpenMP, BLAS) while fitting and scoring, set with
        ``threadpoolctl``. One thread makes results independent of the machine's core count
        (parallel sums can differ in the last bits) and avoids oversubscription on shared
        machines; ``None`` keeps the libraries' defaults (faster on many cores for large data).
    seed : int, default 0
        Seed of the estimators, the silhouette subsample and the resamples.

    Returns
    -------
    SegmentResult
        Labels aligned with ``data.index``, k, scores per k, profiles in original units and
        as z-scores, stability, counts of excluded or imputed rows, and notes.

    Raises
    ------
    SegmentInputError
        `data` not a DataFrame; no, duplicated, unknown, non-numeric, infinite, all-missing
        or constant features; k < 2 or k >= rows used; Ward on more than 15,000 rows.
    OptionError
        An invalid option (`method`, `missing`, `scale`, a count or `seed`).

    Notes
    -----
    **Choosing k.** The silhouette of row :math:`i` is :math:`s_i = (b_i - a_i) / \max(a_i,
    b_i)`, with :math:`a_i` its mean distance to its own segment and :math:`b_i` to the nearest
    other segment; the score is the mean over rows (Rousseeuw 1987). For the Gaussian mixture,
    :math:`\mathrm{BIC} = -2 \log L + p \log n` with :math:`p` free parameters (Schwarz 1978).
    Both are computed on the (standardised) data the model saw. With `k` given, its score is
    still reported.

    **Stability.** For each of `n_boot` resamples (n rows drawn with replacement, or
    `stability_sample` rows for large n) the same method is refitted with the same k and its
    segments are compared with the original ones on the rows drawn (each row once), by the
    adjusted Rand index (ARI; Hubert & Arabie 1985: 1 identical partitions, about 0 chance
    agreement). ``stability`` is the mean ARI. ``profiles["jaccard"]`` is Hennig's (2007)
    cluster-wise version: for each segment the mean over resamples of its best Jaccard
    agreement with a re-estimated segment. Hennig reads a cluster-wise mean Jaccard of 0.75
    or more as a stable cluster, 0.6-0.75 as a pattern whose membership is doubtful, and 0.5
    or less as dissolved. The same thresholds are applied here to the mean ARI as a rule of
    thumb (ARI, corrected for chance, is usually lower than Jaccard for the same agreement, so
    the rule is conservative); results below 0.75 say so in their notes.

    **Large data.** Above `minibatch_threshold` rows, k-means runs as ``MiniBatchKMeans``
    (same `n_init`, `batch_size` rows per step), the silhouette uses a subsample and stability
    resamples are of size `stability_sample`; the notes say so. Above `fit_sample` rows the
    mini-batch fit itself uses a uniform sample of `fit_sample` rows, then labels every row:
    since scikit-learn 1.7 ``MiniBatchKMeans.fit`` draws each mini-batch with a sample-weight
    aware ``choice`` that costs O(n) per step (scikit-learn PR #30751), which made a fit on
    4.2 million rows take 75-100 s; on a 500,000-row sample it takes a few seconds, and the
    centres of a few segments are estimated from half a million rows with negligible error.
    Mini-batch k-means can stop in a poor local optimum (`n_init` only compares
    initialisations); the stability check then falls and says so. Ward needs memory quadratic
    in n and is refused above 15,000 rows; the Gaussian mixture has no mini-batch form and
    runs on all rows.

    Results equal scikit-learn called directly with the same settings: ``StandardScaler``,
    then ``KMeans(n_clusters=k, n_init=n_init, random_state=seed)``,
    ``GaussianMixture(n_components=k, n_init=n_init, random_state=seed)`` or
    ``AgglomerativeClustering(n_clusters=k, linkage="ward")`` (``tests/test_segments.py``).
    Segments are exploratory summaries; a segment's profile describes its average member, not
    every member.

    References
    ----------
    .. [1] Rousseeuw, P. J. (1987). Silhouettes. J. Comput. Appl. Math., 20, 53-65.
    .. [2] Hubert, L., & Arabie, P. (1985). Comparing partitions. J. Classif., 2, 193-218.
    .. [3] Hennig, C. (2007). Cluster-wise assessment of cluster stability. CSDA, 52, 258-271.
    .. [4] Schwarz, G. (1978). Estimating the dimension of a model. Ann. Stat., 6, 461-464.
    .. [5] Sculley, D. (2010). Web-scale k-means clustering. WWW 2010, 1177-1178.

    Examples
    --------
    Employee segments on the bundled synthetic data (four planted segments):

    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.segments import EMPLOYEE_FEATURES, employee_features
    >>> feats = employee_features(load_dataset())
    >>> res = segment(feats, features=EMPLOYEE_FEATURES, k=4, extra=["gap_teknis"])
    >>> res.k, res.n_excluded > 0, res.stable
    (4, True, True)
    """
    check_option("method", method, Method)
    check_option("missing", missing, Missing)
    if not isinstance(scale, bool):
        raise OptionError(f"scale must be True or False, not {scale!r}")
    n_boot = check_int("n_boot", n_boot, 0)
    n_init = check_int("n_init", n_init, 1)
    batch_size = check_int("batch_size", batch_size, 1)
    minibatch_threshold = check_int("minibatch_threshold", minibatch_threshold, 1)
    if fit_sample is not None:
        fit_sample = check_int("fit_sample", fit_sample, 2)
    silhouette_sample = check_int("silhouette_sample", silhouette_sample, 2)
    stability_sample = check_int("stability_sample", stability_sample, 2)
    seed = check_int("seed", seed, 0)
    if n_threads is not None:
        n_threads = check_int("n_threads", n_threads, 1)
    feats, extras = _validate_frame(data, features, extra)

    x = data[feats].to_numpy(dtype="float64", na_value=np.nan, copy=True)
    if np.isinf(x).any():
        cols = [str(feats[j]) for j in np.flatnonzero(np.isinf(x).any(axis=0))]
        raise SegmentInputError(f"infinite values in feature column(s): {', '.join(cols)}")
    nan = np.isnan(x)
    empty = [str(feats[j]) for j in np.flatnonzero(nan.all(axis=0))]
    if empty:
        raise SegmentInputError(f"feature column(s) with no values: {', '.join(empty)}")

    notes: list[str] = []
    n_total = len(x)
    row_missing = nan.any(axis=1)
    per_col = nan.sum(axis=0)
    which = ", ".join(f"{feats[j]} {int(per_col[j])}" for j in np.flatnonzero(per_col))
    n_excluded = n_imputed = 0
    used = np.ones(n_total, dtype=bool)
    if missing == "drop":
        if row_missing.any():
            used = ~row_missing
            x = x[used]
            n_excluded = int(row_missing.sum())
            notes.append(
                f"{n_excluded} of {n_total} rows excluded for missing values (missing='drop'; "
                f"missing per column: {which}); their label is <NA>."
            )
    elif row_missing.any():
        means = np.nanmean(x, axis=0)
        x[nan] = np.take(means, np.nonzero(nan)[1])
        n_imputed = int(row_missing.sum())
        notes.append(
            f"{n_imputed} of {n_total} rows had missing values replaced by the column mean "
            f"(missing='impute_mean'; imputed per column: {which}); imputed rows are pulled "
            "toward the centre, which can blur segment differences."
        )
    del nan
    n = len(x)
    constant = [str(feats[j]) for j in np.flatnonzero(x.min(axis=0) == x.max(axis=0))]
    if constant:
        raise SegmentInputError(
            f"constant feature column(s) over the {n} rows used: {', '.join(constant)}; "
            "they cannot separate segments"
        )
    ks = _k_values(k, k_range, n)
    if method == "ward" and n > WARD_MAX_ROWS:
        raise SegmentInputError(
            f"ward clustering needs memory quadratic in the rows ({n} > {WARD_MAX_ROWS}); "
            "use method='kmeans'"
        )

    # Profiles are computed on x and mapped back to original units with the scaler's centre
    # and spread, so that no second copy of the data is held.
    if scale:
        scaler = StandardScaler(copy=False).fit(x)
        x = scaler.transform(x)
        centre, spread = scaler.mean_, scaler.scale_
    else:
        centre, spread = x.mean(axis=0), x.std(axis=0)
        notes.append("Features were not standardised: those with larger spread dominate.")
    minibatch = method == "kmeans" and n > minibatch_threshold
    cfg = _Config(
        method=method,
        minibatch=minibatch,
        n_init=n_init,
        batch_size=batch_size,
        fit_sample=fit_sample,
    )
    algorithm = _MINIBATCH if minibatch else _ALGORITHMS[method]
    if minibatch:
        notes.append(
            f"{n} rows > minibatch_threshold {minibatch_threshold}: k-means ran as "
            f"MiniBatchKMeans (batch_size {batch_size}); centres are approximate."
        )
        if fit_sample is not None and n > fit_sample:
            notes.append(
                f"MiniBatchKMeans was fitted on a random sample of {fit_sample} of {n} rows "
                f"(seed {seed}); every row was then assigned to its nearest centre."
            )
    if method == "gmm" and n > minibatch_threshold:
        notes.append(f"GaussianMixture has no mini-batch form and was fitted on all {n} rows.")
    sample = silhouette_sample if n > silhouette_sample else None
    criterion = "bic" if method == "gmm" else "silhouette"
    if sample is not None and criterion == "silhouette":
        notes.append(
            f"Silhouette computed on a random subsample of {sample} of {n} rows (seed {seed})."
        )

    caught: list[str] = []
    with threadpool_limits(limits=n_threads):
        scores, k_chosen, labels = _choose_k(
            cfg, x, ks, criterion=criterion, sample=sample, seed=seed, caught=caught
        )
        size = min(n, stability_sample)
        stability, jaccard = _stability(
            cfg, x, labels, k_chosen, n_boot=n_boot, size=size, seed=seed, caught=caught
        )
    if k is None:
        rule = "lowest BIC" if criterion == "bic" else "highest silhouette"
        notes.append(f"k = {k_chosen} chosen by {rule} over k = {ks[0]}..{ks[-1]}.")
    if n > stability_sample and n_boot:
        notes.append(
            f"Stability resamples draw {size} of {n} rows each (with replacement), "
            "not n, to bound the time."
        )
    if n_boot == 0:
        notes.append("Stability not assessed (n_boot=0).")
    elif stability < STABILITY_DOUBTFUL:
        notes.append(
            f"Unstable segments: mean bootstrap ARI {stability:.2f} < {STABILITY_DOUBTFUL} "
            "(Hennig 2007): the segments are hardly reproducible; do not interpret them."
        )
    elif stability < STABILITY_STABLE:
        notes.append(
            f"Weak segments: mean bootstrap ARI {stability:.2f} < {STABILITY_STABLE} (Hennig "
            "2007): patterns may exist but membership is doubtful; do not over-read them."
        )
    weak = [str(s) for s in range(k_chosen) if jaccard[s] < STABILITY_STABLE]
    if n_boot and weak:
        notes.append(
            f"Segment(s) {', '.join(weak)} have cluster-wise Jaccard stability below "
            f"{STABILITY_STABLE} (Hennig 2007)."
        )

    counts = np.bincount(labels, minlength=k_chosen)
    found = int((counts > 0).sum())
    if found < k_chosen:
        notes.append(f"Only {found} of the {k_chosen} segments have members.")
    means = np.column_stack(
        [np.bincount(labels, weights=x[:, j], minlength=k_chosen) for j in range(len(feats))]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        means = means / counts[:, None]
    if scale:
        means = means * spread + centre
    index = pd.RangeIndex(k_chosen, name="segment")
    profiles = pd.DataFrame(
        {
            "n": counts.astype("int64"),
            "share": counts / n,
            "tiny": (counts < TINY_MEMBERS) | (counts / n < TINY_SHARE),
            "jaccard": jaccard,
        },
        index=index,
    )
    feature_means = pd.DataFrame(means, index=index, columns=pd.Index(feats, dtype=object))
    z = (feature_means - centre) / spread
    if extras:
        ex = data.loc[used, extras].astype("float64")
        ex_means = ex.groupby(labels).mean().reindex(index)
        ex_means.index = index
        feature_means = pd.concat([feature_means, ex_means], axis=1)
        z = pd.concat([z, (ex_means - ex.mean()) / ex.std(ddof=0)], axis=1)
    profiles = pd.concat([profiles, feature_means], axis=1)
    tiny = [str(s) for s in range(k_chosen) if profiles["tiny"].iloc[s]]
    if tiny:
        notes.append(
            f"Tiny segment(s) {', '.join(tiny)} (< {TINY_MEMBERS} members or < "
            f"{TINY_SHARE:.0%} of rows): their profile rests on few rows; look at the members "
            "individually."
        )
    for message in dict.fromkeys(caught):
        notes.append(f"scikit-learn warned: {message}")

    out = np.zeros(n_total, dtype="int64")
    out[used] = labels
    label_series = pd.Series(
        pd.arrays.IntegerArray(out, ~used), index=data.index, name="segment", copy=False
    )
    return SegmentResult(
        labels=label_series,
        k=int(k_chosen),
        method=method,
        algorithm=algorithm,
        features=tuple(feats),
        scores=scores,
        criterion=criterion,
        profiles=profiles,
        z_profiles=z,
        stability=stability,
        n_boot=n_boot,
        n_obs=n,
        n_excluded=n_excluded,
        n_imputed=n_imputed,
        missing=missing,
        scaled=scale,
        seed=seed,
        extra=tuple(extras),
        notes=tuple(notes),
    )
