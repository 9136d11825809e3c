"""Segments of employees and typologies of units: k-means, Gaussian mixture or Ward clustering.

A regency's personnel planner asks which groups of employees need the same thing (managerial
training, technical training or reassignment, coaching, a place in the talent pool) and which
units look alike. :func:`segment` clusters a table of numeric features (one row per employee
or unit), chooses the number of segments by silhouette (k-means, Ward) or BIC (Gaussian
mixture) when it is not given, profiles each segment in the features' own units, and measures
how stable the segments are under bootstrap resampling, so that weak clusters are not
over-read. :func:`employee_features` and :func:`unit_features` build the tables from a loaded
dataset; :func:`segment_actions` and :func:`segment_findings` turn a result into what each
segment needs and into plain-language sentences (Bahasa Indonesia or English).

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
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, get_args

import numpy as np
import pandas as pd
from sklearn import config_context
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from asn_analysis.competency import job_person_match
from asn_analysis.data import Dataset
from asn_analysis.reporting.text import count as _count
from asn_analysis.reporting.text import number as _num
from asn_analysis.reporting.text import percent as _pct
from asn_analysis.resistance import scale_scores
from asn_analysis.satisfaction import ikm
from asn_analysis.scales import ItemMap
from asn_analysis.schema import MANAGERIAL_COMPETENCIES, PREDIKAT, SOCIOCULTURAL_COMPETENCIES

__all__ = [
    "EMPLOYEE_FEATURES",
    "FEATURE_LABELS",
    "STABILITY_DOUBTFUL",
    "STABILITY_STABLE",
    "UNIT_FEATURES",
    "SegmentInputError",
    "SegmentResult",
    "employee_features",
    "feature_label",
    "segment",
    "segment_actions",
    "segment_findings",
    "unit_features",
]

Method: TypeAlias = Literal["kmeans", "gmm", "ward"]
Missing: TypeAlias = Literal["drop", "impute_mean"]
Lang: TypeAlias = Literal["id", "en"]
IkmOver: TypeAlias = Literal["latest_year", "mean"]

#: Mean bootstrap agreement at or above which segments are read as stable (Hennig 2007).
STABILITY_STABLE = 0.75
#: Below this, segments show patterns at best and membership is doubtful (Hennig 2007).
STABILITY_DOUBTFUL = 0.6
#: A segment smaller than this many members, or than this share of rows, is flagged as tiny.
TINY_MEMBERS = 5
TINY_SHARE = 0.02
#: Ward clustering keeps an n x n distance structure; above this many rows it is refused.
WARD_MAX_ROWS = 15_000

_NON_TECHNICAL = (*MANAGERIAL_COMPETENCIES, *SOCIOCULTURAL_COMPETENCIES)
_GAP_COLUMNS = tuple(f"gap_{c}" for c in _NON_TECHNICAL)
#: The twelve features the employee segments are formed on (see :func:`employee_features`).
EMPLOYEE_FEATURES: tuple[str, ...] = (*_GAP_COLUMNS, "jpm", "resistance", "predikat_rank")
#: The features of the unit typology (see :func:`unit_features`).
UNIT_FEATURES: tuple[str, ...] = ("ikm", "mismatch_share", "training_coverage", "resistance")
_MANAGERIAL_GROUP = "managerial_competency"
_PROFILE_COLUMNS = ("n", "share", "tiny", "jaccard")

#: Display names (Bahasa Indonesia, English) of the features built here and of feature groups.
FEATURE_LABELS: Mapping[str, tuple[str, str]] = {
    "gap_integritas": ("integritas", "integrity"),
    "gap_kerjasama": ("kerja sama", "teamwork"),
    "gap_komunikasi": ("komunikasi", "communication"),
    "gap_orientasi_pada_hasil": ("orientasi pada hasil", "results orientation"),
    "gap_pelayanan_publik": ("pelayanan publik", "public service"),
    "gap_pengembangan_diri_dan_orang_lain": (
        "pengembangan diri dan orang lain",
        "developing self and others",
    ),
    "gap_mengelola_perubahan": ("mengelola perubahan", "managing change"),
    "gap_pengambilan_keputusan": ("pengambilan keputusan", "decision making"),
    "gap_perekat_bangsa": ("perekat bangsa", "national cohesion"),
    _MANAGERIAL_GROUP: ("kompetensi manajerial", "managerial competency"),
    "gap_teknis": ("kompetensi teknis", "technical competency"),
    "jpm": ("kesesuaian (JPM)", "fit (JPM)"),
    "resistance": ("resistensi", "resistance"),
    "predikat_rank": ("kinerja", "performance"),
    "ikm": ("kepuasan masyarakat (IKM)", "citizen satisfaction (IKM)"),
    "mismatch_share": ("ketidaksesuaian jabatan", "job mismatch"),
    "training_coverage": ("cakupan pelatihan", "training coverage"),
    "staff": ("jumlah pegawai", "staff"),
}

_ALGORITHMS = {
    "kmeans": "KMeans",
    "gmm": "GaussianMixture",
    "ward": "AgglomerativeClustering(ward)",
}
_MINIBATCH = "MiniBatchKMeans"


class SegmentInputError(ValueError):
    """Input :func:`segment` (or a feature builder) cannot use; the message names the problem."""


def _check_option(name: str, value: Any, alias: Any) -> None:
    allowed = get_args(alias)
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise SegmentInputError(f"{name} must be one of {shown}, not {value!r}")


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise SegmentInputError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return int(value)


# --------------------------------------------------------------------------------------------
# Text helpers (Indonesian number format: 1.234 and 0,75)
# --------------------------------------------------------------------------------------------


def feature_label(
    key: Hashable,
    *,
    lang: Lang = "id",
    names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
) -> str:
    """Return the display name of a feature (or feature group) in Bahasa Indonesia or English.

    Parameters
    ----------
    key : hashable
        Column name or group key (e.g. ``"jpm"``, ``"managerial_competency"``).
    lang : {"id", "en"}, default "id"
        Language.
    names : mapping, optional
        Display names that take precedence: a string, or ``{"id": ..., "en": ...}``.

    Returns
    -------
    str
        From `names`, else :data:`FEATURE_LABELS`, else ``str(key)``.

    Examples
    --------
    >>> feature_label("predikat_rank", lang="en"), feature_label("jpm")
    ('performance', 'kesesuaian (JPM)')
    """
    if names is not None and key in names:
        value = names[key]
        if isinstance(value, Mapping):
            return str(value.get(lang, next(iter(value.values()))))
        return str(value)
    if key in FEATURE_LABELS:
        return FEATURE_LABELS[key][0 if lang == "id" else 1]  # type: ignore[index]
    return str(key)


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentResult:
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
    n_used, n_excluded, n_imputed : int
        Rows clustered, rows left out under ``missing="drop"``, rows with at least one value
        imputed under ``missing="impute_mean"``.
    missing : {"drop", "impute_mean"}
        Missing-value policy.
    scaled : bool
        Whether features were standardised.
    random_state : int
        Seed of every random step.
    extra : tuple
        Columns profiled but not used to form the segments.
    notes : tuple of str
        What was done and what to be careful about.
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
    n_used: int
    n_excluded: int
    n_imputed: int
    missing: str
    scaled: bool
    random_state: int
    extra: tuple[Hashable, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def stable(self) -> bool:
        """True when the mean bootstrap ARI is at least :data:`STABILITY_STABLE` (0.75)."""
        return bool(self.stability >= STABILITY_STABLE)

    def describe(
        self,
        lang: Lang = "id",
        *,
        names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
        groups: Mapping[Hashable, Hashable] | None = None,
        top: int = 2,
        min_z: float = 0.25,
        include_extra: bool = True,
    ) -> pd.Series:
        """Give each segment a short readable label from its profile.

        Parameters
        ----------
        lang : {"id", "en"}, default "id"
            ``"kompetensi manajerial rendah, resistensi tinggi"`` or
            ``"low managerial competency, high resistance"``.
        names : mapping, optional
            Display name per feature (or group): a string, or ``{"id": ..., "en": ...}``.
            Defaults to :data:`FEATURE_LABELS`, then the column name.
        groups : mapping, optional
            Feature -> group key; a group's z-score is the mean of its members' z-scores.
            By default the nine competency gap columns of :func:`employee_features` form the
            group ``"managerial_competency"``; pass ``{}`` to name features one by one.
        top : int, default 2
            Features (or groups) named at most.
        min_z : float, default 0.25
            Only features whose segment mean lies at least this many standard deviations from
            the overall mean are named; a segment with none is "profil rata-rata" /
            "average profile".
        include_extra : bool, default True
            Also consider the ``extra`` columns (profiled, not clustered on), e.g. a technical
            gap that sets a segment apart.

        Returns
        -------
        pandas.Series
            One label per segment (index as :attr:`profiles`), name ``"label"``.

        Notes
        -----
        Each feature's segment mean is ranked by its absolute z-score against the overall mean
        (:attr:`z_profiles`); the ``top`` most extreme are named with "tinggi/rendah" ("high/
        low") by their sign.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> df = pd.DataFrame({"fit": np.r_[rng.normal(0, 1, 50), rng.normal(5, 1, 50)],
        ...                    "perf": np.r_[rng.normal(2, 1, 50), rng.normal(0, 1, 50)]})
        >>> res = segment(df, features=["fit", "perf"], k=2, n_boot=0)
        >>> sorted(res.describe("en", names={"fit": "fit", "perf": "performance"}))
        ['high fit, low performance', 'low fit, high performance']
        """
        _check_option("lang", lang, Lang)
        top = _check_int("top", top, 1)
        cols = [*self.features, *(self.extra if include_extra else ())]
        z = self.z_profiles[cols]
        if groups is None:
            groups = {f: _MANAGERIAL_GROUP for f in cols if f in _GAP_COLUMNS}
        keys = [groups.get(f, f) for f in z.columns]
        grouped = z.T.groupby(pd.Index(keys, dtype=object), sort=False).mean().T
        out = {}
        for seg, row in grouped.iterrows():
            row = row.dropna()
            order = row.abs().sort_values(ascending=False, kind="stable")
            named = [key for key in order.index[:top] if abs(row[key]) >= min_z]
            parts = []
            for key in named:
                name = feature_label(key, lang=lang, names=names)
                high = row[key] > 0
                if lang == "id":
                    parts.append(f"{name} {'tinggi' if high else 'rendah'}")
                else:
                    parts.append(f"{'high' if high else 'low'} {name}")
            default = "profil rata-rata" if lang == "id" else "average profile"
            out[seg] = ", ".join(parts) if parts else default
        return pd.Series(out, name="label", dtype=object).rename_axis(self.profiles.index.name)

    def to_frame(self) -> pd.DataFrame:
        """Return the segment profiles (size, share, flags and feature means)."""
        return self.profiles.copy()

    def summary(self) -> str:
        """Return a text summary: method, size, scores, stability, profiles and notes."""
        lines = [
            f"Segments: {self.algorithm}, k = {self.k}, n = {self.n_used} "
            f"(excluded {self.n_excluded}, imputed {self.n_imputed}; missing={self.missing!r})",
            f"{self.criterion} by k:",
            self.scores.round(4).to_string(),
            f"stability (mean bootstrap ARI, B = {self.n_boot}): {self.stability:.3f}",
            self.profiles.round(3).to_string(),
        ]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (
            f"<p><b>Segments</b> {html.escape(self.algorithm)}, k = {self.k}, "
            f"n = {self.n_used} (excluded {self.n_excluded}); stability (mean bootstrap ARI) "
            f"= {self.stability:.3f}</p>" + self.profiles.round(3).to_html() + f"<ul>{notes}</ul>"
        )


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
    # Distance chunks of at most 256 MiB (scikit-learn's default is 1 GiB).
    with config_context(working_memory=256):
        return float(silhouette_score(x, labels, sample_size=sample, random_state=seed))


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


def _jaccard_best(ref: np.ndarray, new: np.ndarray, k: int) -> np.ndarray:
    """Per reference segment 0..k-1: the best Jaccard agreement with any new segment."""
    m = contingency_matrix(ref, new)
    present = np.unique(ref)
    rows = m.sum(axis=1, keepdims=True)
    cols = m.sum(axis=0, keepdims=True)
    jac = (m / (rows + cols - m)).max(axis=1)
    out = np.full(k, np.nan)
    out[present] = jac
    return out


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
        ref, new = labels[rows], boot[first]
        aris.append(adjusted_rand_score(ref, new))
        best = _jaccard_best(ref, new, k)
        ok = ~np.isnan(best)
        jac[ok] += best[ok]
        seen[ok] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        per_segment = np.where(seen > 0, jac / np.maximum(seen, 1), np.nan)
    return float(np.mean(aris)), per_segment


def _validate_frame(data: Any, features: Any, extra: Any) -> tuple[list[Hashable], list[Hashable]]:
    if not isinstance(data, pd.DataFrame):
        raise SegmentInputError(f"data must be a pandas DataFrame, not {type(data).__name__}")
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
    reserved = [f for f in [*feats, *extras] if f in _PROFILE_COLUMNS]
    if reserved:
        raise SegmentInputError(
            f"column name(s) {', '.join(map(str, reserved))} clash with profile columns "
            f"{', '.join(_PROFILE_COLUMNS)}; rename them"
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
    random_state: int = 0,
) -> SegmentResult:
    r"""Cluster rows (employees or units) into segments and profile them.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per employee (or unit), e.g. from :func:`employee_features`.
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
    random_state : int, default 0
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
        or constant features; k < 2 or k >= rows used; Ward on more than 15,000 rows; an
        invalid option.

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
    then ``KMeans(n_clusters=k, n_init=n_init, random_state=random_state)``,
    ``GaussianMixture(n_components=k, n_init=n_init, random_state=random_state)`` or
    ``AgglomerativeClustering(n_clusters=k, linkage="ward")`` (``tests/test_clustering.py``).
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
    >>> feats = employee_features(load_dataset())
    >>> res = segment(feats, features=EMPLOYEE_FEATURES, k=4, extra=["gap_teknis"])
    >>> res.k, res.n_excluded > 0, res.stable
    (4, True, True)
    """
    _check_option("method", method, Method)
    _check_option("missing", missing, Missing)
    if not isinstance(scale, bool):
        raise SegmentInputError(f"scale must be True or False, not {scale!r}")
    n_boot = _check_int("n_boot", n_boot, 0)
    n_init = _check_int("n_init", n_init, 1)
    batch_size = _check_int("batch_size", batch_size, 1)
    minibatch_threshold = _check_int("minibatch_threshold", minibatch_threshold, 1)
    if fit_sample is not None:
        fit_sample = _check_int("fit_sample", fit_sample, 2)
    silhouette_sample = _check_int("silhouette_sample", silhouette_sample, 2)
    stability_sample = _check_int("stability_sample", stability_sample, 2)
    random_state = _check_int("random_state", random_state, 0)
    if n_threads is not None:
        n_threads = _check_int("n_threads", n_threads, 1)
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
                f"(seed {random_state}); every row was then assigned to its nearest centre."
            )
    if method == "gmm" and n > minibatch_threshold:
        notes.append(f"GaussianMixture has no mini-batch form and was fitted on all {n} rows.")
    sample = silhouette_sample if n > silhouette_sample else None
    criterion = "bic" if method == "gmm" else "silhouette"
    if sample is not None and criterion == "silhouette":
        notes.append(
            f"Silhouette computed on a random subsample of {sample} of {n} rows "
            f"(seed {random_state})."
        )

    caught: list[str] = []
    with threadpool_limits(limits=n_threads):
        scores, k_chosen, labels = _choose_k(
            cfg, x, ks, criterion=criterion, sample=sample, seed=random_state, caught=caught
        )
        size = min(n, stability_sample)
        stability, jaccard = _stability(
            cfg, x, labels, k_chosen, n_boot=n_boot, size=size, seed=random_state, caught=caught
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
        n_used=n,
        n_excluded=n_excluded,
        n_imputed=n_imputed,
        missing=missing,
        scaled=scale,
        random_state=random_state,
        extra=tuple(extras),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------
# Feature builders
# --------------------------------------------------------------------------------------------


def _as_timestamp(as_of: Any) -> pd.Timestamp | None:
    if as_of is None:
        return None
    try:
        return pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise SegmentInputError(f"as_of must be a date, not {as_of!r}") from exc


def _baseline_assessments(dataset: Dataset, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Earliest assessment per employee and competency (on or before `as_of`)."""
    a = dataset.competency_assessments
    if as_of is not None:
        a = a[a["assessed_on"] <= as_of]
    first = a.groupby(["employee_id", "competency"])["assessed_on"].transform("min")
    return a[a["assessed_on"] == first]


def _baseline(dataset: Dataset, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Baseline assessments with the required level of the employee's position."""
    base = _baseline_assessments(dataset, as_of)[["employee_id", "competency", "level"]]
    base = base.merge(dataset.employees[["employee_id", "position"]], on="employee_id")
    base = base.merge(
        dataset.competency_standards[["position", "competency", "group", "required_level"]],
        on=["position", "competency"],
        how="inner",
    )
    base["level"] = base["level"].astype("float64")
    base["required_level"] = base["required_level"].astype("float64")
    base["gap"] = base["level"] - base["required_level"]
    return base


def _jpm_values(jpm: Any) -> pd.Series:
    if isinstance(jpm, pd.DataFrame):
        if "jpm_pct" not in jpm.columns:
            raise SegmentInputError("jpm DataFrame needs a 'jpm_pct' column")
        frame = jpm.set_index("employee_id") if "employee_id" in jpm.columns else jpm
        jpm = frame["jpm_pct"]
    if not isinstance(jpm, pd.Series):
        raise SegmentInputError(
            f"jpm must be a Series (or DataFrame with jpm_pct) indexed by employee_id, "
            f"not {type(jpm).__name__}"
        )
    if not pd.api.types.is_numeric_dtype(jpm):
        raise SegmentInputError(f"jpm must be numeric, not {jpm.dtype}")
    if not jpm.index.is_unique:
        raise SegmentInputError("jpm has duplicated employee_id values")
    return jpm.astype("float64")


def _period_start(period: str) -> pd.Timestamp:
    year, half = period.split("-")
    return pd.Timestamp(int(year), 1 if half == "S1" else 7, 1)


def _resistance(dataset: Dataset, wave: str | None, as_of: pd.Timestamp | None) -> pd.Series:
    survey = dataset.staff_survey
    waves = sorted(survey["period"].dropna().unique())
    if as_of is not None:
        waves = [w for w in waves if _period_start(w) <= as_of]
    if wave is None:
        if not waves:
            return pd.Series(dtype="float64", name="resistance")
        wave = waves[0]
    elif wave not in waves:
        raise SegmentInputError(f"wave {wave!r} is not a staff-survey period; periods: {waves}")
    rows = survey[survey["period"] == wave]
    scores = scale_scores(rows, ItemMap.from_frame(dataset.survey_items), dataset.employees)
    return scores.set_index("employee_id")["resistance"].astype("float64")


def employee_features(
    dataset: Dataset,
    *,
    jpm: pd.Series | pd.DataFrame | None = None,
    as_of: str | pd.Timestamp | None = None,
    wave: str | None = None,
) -> pd.DataFrame:
    """Build the per-employee features of the employee segments.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    jpm : pandas.Series or DataFrame, optional
        Job Person Match (%) per employee_id to use instead of the default (a Series indexed by
        employee_id, or a frame with ``jpm_pct`` such as the output of
        :func:`asn_analysis.competency.job_person_match` with other options). ``None``
        computes the baseline JPM (Notes).
    as_of : date, optional
        Use only assessments on or before this date, predikat of years up to its year and
        survey waves started by then. ``None`` uses everything.
    wave : str, optional
        Staff-survey wave of the resistance score (e.g. ``"2023-S2"``); default the first.

    Returns
    -------
    pandas.DataFrame
        Indexed by employee_id (every employee, in the order of ``dataset.employees``):
        ``gap_<competency>`` for the eight managerial and the socio-cultural competency
        (baseline level held minus level required by the employee's position), ``jpm``
        (0-100), ``resistance`` (scale score in the wave), ``predikat_rank`` (mean over years
        of the predikat coded 0 sangat_kurang ... 4 sangat_baik) and ``gap_teknis`` (baseline
        gap of the position's technical competency; not in :data:`EMPLOYEE_FEATURES`, useful as
        ``extra``). Missing where the data is missing (e.g. PPPK staff not in the first survey
        wave); ``attrs`` records ``wave``, ``jpm_source`` and ``jpm_excluded`` (employees
        whose JPM could not be computed, from ``job_person_match``).

    Raises
    ------
    SegmentInputError
        An invalid `as_of`, `wave` or `jpm`.

    Notes
    -----
    The baseline is each employee's earliest assessment of each competency; required levels
    come from ``competency_standards`` for the employee's position (PermenPANRB No. 38 Tahun
    2017). A competency the standard does not list gives a missing gap.

    JPM (``jpm=None``) is :func:`asn_analysis.competency.job_person_match` (scheme
    "pemetaan", cap "total": sum of levels held / sum required x 100, capped at 100) on the
    baseline assessments only, so it is the JPM at baseline, like the gaps. Employees it cannot
    score (e.g. assessed on only part of their standard) get a missing JPM and are listed in
    ``attrs["jpm_excluded"]``.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> feats = employee_features(load_dataset())
    >>> list(feats.columns[-4:])
    ['jpm', 'resistance', 'predikat_rank', 'gap_teknis']
    """
    ts = _as_timestamp(as_of)
    base = _baseline(dataset, ts)
    ids = pd.Index(dataset.employees["employee_id"], name="employee_id")
    nontech = base[base["competency"].isin(_NON_TECHNICAL)]
    gaps = nontech.pivot(index="employee_id", columns="competency", values="gap")
    gaps = gaps.reindex(index=ids, columns=list(_NON_TECHNICAL))
    gaps.columns = list(_GAP_COLUMNS)
    out = gaps.astype("float64")
    excluded = pd.DataFrame()
    if jpm is None:
        scored = job_person_match(
            _baseline_assessments(dataset, ts),
            dataset.competency_standards,
            dataset.employees,
            scheme="pemetaan",
            cap="total",
            on_problem="exclude",
        )
        out["jpm"] = scored.set_index("employee_id")["jpm_pct"].astype("float64").reindex(ids)
        excluded = scored.attrs.get("excluded", excluded)
        source = "job_person_match (baseline assessments, scheme='pemetaan', cap='total')"
    else:
        values = _jpm_values(jpm)
        if not values.index.isin(ids).any():
            raise SegmentInputError("jpm shares no employee_id with dataset.employees")
        out["jpm"] = values.reindex(ids)
        source = "given"
    out["resistance"] = _resistance(dataset, wave, ts).reindex(ids)
    perf = dataset.performance
    if ts is not None:
        perf = perf[perf["year"] <= ts.year]
    rank = perf["predikat"].map({p: i for i, p in enumerate(PREDIKAT)}).astype("float64")
    out["predikat_rank"] = rank.groupby(perf["employee_id"]).mean().reindex(ids)
    tech = base[base["group"] == "teknis"].groupby("employee_id")["gap"].mean()
    out["gap_teknis"] = tech.reindex(ids)
    out.attrs["jpm_source"] = source
    out.attrs["jpm_excluded"] = excluded
    out.attrs["wave"] = wave if wave is not None else _first_wave(dataset, ts)
    return out


def _first_wave(dataset: Dataset, as_of: pd.Timestamp | None) -> str | None:
    waves = sorted(dataset.staff_survey["period"].dropna().unique())
    if as_of is not None:
        waves = [w for w in waves if _period_start(w) <= as_of]
    return waves[0] if waves else None


def unit_features(
    dataset: Dataset,
    *,
    ikm_over: IkmOver = "latest_year",
    training_year: int | None = None,
    wave: str | None = None,
) -> pd.DataFrame:
    """Build the per-unit features of the unit typology.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    ikm_over : {"latest_year", "mean"}, default "latest_year"
        IKM of the responses of the latest survey year pooled, or the mean of the unit's
        per-semester IKM values over all periods.
    training_year : int, optional
        Year of the training coverage; default the latest year with training.
    wave : str, optional
        Staff-survey wave of the resistance score; default the first.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit_id (every unit): ``ikm`` (converted, 25-100, PermenPANRB 14/2017, via
        :func:`asn_analysis.satisfaction.ikm`), ``mismatch_share`` (share of staff with a
        baseline technical competency below the position's requirement), ``training_coverage``
        (share of staff in service that year who started at least one programme, as
        :func:`asn_analysis.overview.training_coverage` per unit), ``resistance`` (mean score of
        the unit's respondents in the wave) and ``staff`` (employees). ``attrs`` records the
        choices.

    Raises
    ------
    SegmentInputError
        An invalid option or a wave that is not in the staff survey.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> units = unit_features(load_dataset())
    >>> list(units.columns)
    ['ikm', 'mismatch_share', 'training_coverage', 'resistance', 'staff']
    """
    _check_option("ikm_over", ikm_over, IkmOver)
    ids = pd.Index(dataset.units["unit_id"], name="unit_id")
    skm = dataset.skm_responses
    if ikm_over == "latest_year":
        year = skm["period"].str.slice(0, 4)
        latest = year.max()
        table = ikm(skm[year == latest], by="unit_id", on_empty="nan")
        ikm_value = table.set_index("unit_id")["ikm_converted"]
        ikm_note = f"latest year {latest}"
    else:
        table = ikm(skm, by=["unit_id", "period"], on_empty="nan")
        ikm_value = table.groupby("unit_id")["ikm_converted"].mean()
        ikm_note = "mean over periods"
    emp = dataset.employees[["employee_id", "unit_id", "appointment_year"]]
    base = _baseline(dataset, None)
    tech = base[base["group"] == "teknis"].groupby("employee_id")["gap"].min()
    below = (tech < 0).rename("below").reset_index().merge(emp, on="employee_id")
    mismatch = below.groupby("unit_id")["below"].mean()
    tr = dataset.training
    years = tr["start_date"].dt.year
    if training_year is None:
        training_year = int(years.max()) if len(tr) else None
    if training_year is not None:
        trained = set(tr.loc[years == training_year, "employee_id"])
        active = emp[emp["appointment_year"] <= training_year]
        coverage = active["employee_id"].isin(trained).groupby(active["unit_id"]).mean()
    else:
        coverage = pd.Series(dtype="float64")
    res = _resistance(dataset, wave, None)
    res_unit = res.groupby(emp.set_index("employee_id")["unit_id"].reindex(res.index)).mean()
    out = pd.DataFrame(
        {
            "ikm": ikm_value.reindex(ids).astype("float64"),
            "mismatch_share": mismatch.reindex(ids).astype("float64"),
            "training_coverage": coverage.reindex(ids).astype("float64"),
            "resistance": res_unit.reindex(ids).astype("float64"),
            "staff": emp.groupby("unit_id").size().reindex(ids, fill_value=0).astype("int64"),
        },
        index=ids,
    )
    out.attrs.update(
        ikm=ikm_note,
        training_year=training_year,
        wave=wave if wave is not None else _first_wave(dataset, None),
    )
    return out


# --------------------------------------------------------------------------------------------
# What each segment needs, and findings
# --------------------------------------------------------------------------------------------

_NEEDS = {
    "training": ("pelatihan", "training"),
    "training_placement": ("pelatihan / penempatan", "training / placement"),
    "coaching": ("coaching", "coaching"),
    "placement": ("penempatan", "placement"),
    "talent": ("talent pool", "talent pool"),
    "service": ("perbaikan layanan", "service improvement"),
    "development": ("pengembangan rutin", "routine development"),
}
_ACTIONS = {
    "managerial": (
        "Pelatihan kompetensi manajerial dan sosial kultural (mis. kepemimpinan, pelayanan "
        "publik, pengambilan keputusan).",
        "Managerial and socio-cultural competency training (e.g. leadership, public service, "
        "decision making).",
    ),
    "technical": (
        "Pelatihan teknis sesuai jabatan; bila kesenjangan menetap, penempatan ulang ke jabatan "
        "yang sesuai kompetensinya.",
        "Technical training for the post; where the gap persists, reassignment to a post that "
        "fits the employee's competencies.",
    ),
    "resistance": (
        "Komunikasi yang jelas tentang tujuan dan cara evaluasi, serta coaching/mentoring oleh "
        "atasan langsung.",
        "Clear communication about the purpose and process of evaluation, and coaching/"
        "mentoring by the direct supervisor.",
    ),
    "performance": (
        "Coaching kinerja dan rencana perbaikan SKP bersama atasan.",
        "Performance coaching and an SKP improvement plan with the supervisor.",
    ),
    "talent": (
        "Masukkan ke talent pool (rencana suksesi); libatkan sebagai mentor dan beri penugasan "
        "yang menantang.",
        "Add to the talent pool (succession planning); involve as mentors and give stretch "
        "assignments.",
    ),
    "unit_mismatch": (
        "Tinjau penempatan pegawai teknis: banyak pegawai di bawah standar teknis jabatannya.",
        "Review the placement of technical staff: many are below their post's technical standard.",
    ),
    "unit_training": (
        "Perluas cakupan pelatihan agar setiap pegawai mendapat hak 20 JP per tahun.",
        "Widen training coverage so every employee receives the 20 JP yearly right.",
    ),
    "unit_service": (
        "Perbaiki layanan pada unsur SKM terlemah unit (lihat analisis IKM).",
        "Improve the service on the unit's weakest SKM elements (see the IKM analysis).",
    ),
    "routine": (
        "Pengembangan rutin sesuai hak 20 JP per tahun; tidak ada kebutuhan khusus dari profil.",
        "Routine development within the 20 JP yearly right; the profile shows no specific need.",
    ),
}


def segment_actions(
    result: SegmentResult,
    *,
    lang: Lang = "id",
    names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
    z_threshold: float = 0.5,
    gap_threshold: float = 0.5,
) -> pd.DataFrame:
    """Link each segment to what it needs: training, coaching, placement or the talent pool.

    Parameters
    ----------
    result : SegmentResult
        Output of :func:`segment` on :func:`employee_features` or :func:`unit_features`
        columns (others are ignored by the rules; such segments get routine development).
    lang : {"id", "en"}, default "id"
        Language of the text columns.
    names : mapping, optional
        Display names for the segment labels (see :meth:`SegmentResult.describe`).
    z_threshold : float, default 0.5
        A segment mean at least this many standard deviations above (below) the overall mean
        counts as high (low).
    gap_threshold : float, default 0.5
        A mean competency gap of at most minus this many levels counts as below standard.

    Returns
    -------
    pandas.DataFrame
        One row per segment and action: segment, label, n, share, need, action, reason (the
        profile values that triggered the rule).

    Notes
    -----
    Rules, applied to the profile (means in original units and z-scores):

    * mean gap of the managerial and socio-cultural competencies <= -`gap_threshold`
      -> managerial training;
    * ``gap_teknis`` mean <= -`gap_threshold` (or, without ``gap_teknis``, JPM z <= -z while
      managerial gaps are not flagged) -> technical training or reassignment;
    * resistance z >= z -> communication and coaching; predikat z <= -z -> performance
      coaching;
    * high fit (JPM z >= z, or mean managerial gap >= +`gap_threshold`, i.e. above standard),
      performance above average, resistance not high and no competency gap -> talent pool;
    * units: mismatch share z >= z -> placement review; training coverage z <= -z -> wider
      training; IKM z <= -z -> service improvement;
    * no rule -> routine development (20 JP).

    The rules are a planning aid: they point to where to look, and each row says why. Decide
    on individual employees from their own assessments (notebook 02).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> feats = employee_features(load_dataset())
    >>> res = segment(feats, features=EMPLOYEE_FEATURES, k=4, extra=["gap_teknis"], n_boot=0)
    >>> sorted(set(segment_actions(res, lang="en")["need"]))
    ['coaching', 'talent pool', 'training', 'training / placement']
    """
    _check_option("lang", lang, Lang)
    li = 0 if lang == "id" else 1
    labels = result.describe(lang, names=names)
    rows = []
    for seg in result.profiles.index:
        mean = result.profiles.loc[seg]
        z = result.z_profiles.loc[seg]
        acts = _needs(mean, z, lang=lang, z_threshold=z_threshold, gap_threshold=gap_threshold)
        for need, action, why in acts or [("development", "routine", "-")]:
            if mean["tiny"]:
                why += "; segmen kecil, tinjau per orang" if lang == "id" else "; tiny segment"
            rows.append(
                {
                    "segment": seg,
                    "label": labels[seg],
                    "n": int(mean["n"]),
                    "share": float(mean["share"]),
                    "need": _NEEDS[need][li],
                    "action": _ACTIONS[action][li],
                    "reason": why,
                }
            )
    return pd.DataFrame(rows)


def _needs(
    mean: pd.Series, z: pd.Series, *, lang: Lang, z_threshold: float, gap_threshold: float
) -> list[tuple[str, str, str]]:
    """Apply the rules of :func:`segment_actions` to one segment: (need, action, reason)."""

    def zv(col: str) -> float:
        return float(z[col]) if col in z.index else float("nan")

    def because(id_text: str, en_text: str, value: str) -> str:
        return f"{id_text if lang == 'id' else en_text} {value}"

    acts: list[tuple[str, str, str]] = []
    gap_cols = [c for c in _GAP_COLUMNS if c in mean.index]
    mgap = float(mean[gap_cols].astype("float64").mean()) if gap_cols else float("nan")
    managerial = mgap <= -gap_threshold
    if managerial:
        level = _num(mgap, lang) + (" level" if lang == "id" else " levels")
        why = because("rerata kesenjangan manajerial", "mean managerial gap", level)
        acts.append(("training", "managerial", why))
    tech = False
    if "gap_teknis" in mean.index:
        tgap = float(mean["gap_teknis"])
        tech = tgap <= -gap_threshold
        if tech:
            level = _num(tgap, lang) + (" level" if lang == "id" else " levels")
            why = because("rerata kesenjangan teknis", "mean technical gap", level)
            acts.append(("training_placement", "technical", why))
    elif zv("jpm") <= -z_threshold and not managerial:
        tech = True
        why = because(
            "dugaan kesenjangan teknis (periksa): JPM rendah tanpa kesenjangan manajerial, z =",
            "presumed technical gap (check): low JPM without a managerial gap, z =",
            _num(zv("jpm"), lang),
        )
        acts.append(("training_placement", "technical", why))
    if zv("resistance") >= z_threshold:
        acts.append(
            (
                "coaching",
                "resistance",
                because("resistensi z =", "resistance z =", _num(zv("resistance"), lang)),
            )
        )
    if zv("predikat_rank") <= -z_threshold:
        acts.append(
            (
                "coaching",
                "performance",
                because("kinerja z =", "performance z =", _num(zv("predikat_rank"), lang)),
            )
        )
    high_fit = zv("jpm") >= z_threshold or mgap >= gap_threshold
    calm = not zv("resistance") >= z_threshold
    if high_fit and zv("predikat_rank") > 0 and calm and not (managerial or tech):
        parts = [because("kinerja z =", "performance z =", _num(zv("predikat_rank"), lang))]
        if gap_cols:
            parts.insert(0, because("kesenjangan manajerial", "managerial gap", _num(mgap, lang)))
        if "jpm" in mean.index:
            parts.insert(0, f"JPM {_num(float(mean['jpm']), lang, 1)}")
        acts.append(("talent", "talent", "; ".join(parts)))
    if zv("mismatch_share") >= z_threshold:
        why = because("ketidaksesuaian jabatan", "job mismatch", _pct(mean["mismatch_share"], lang))
        acts.append(("placement", "unit_mismatch", why))
    if zv("training_coverage") <= -z_threshold:
        cover = _pct(mean["training_coverage"], lang)
        acts.append(
            ("training", "unit_training", because("cakupan pelatihan", "training coverage", cover))
        )
    if zv("ikm") <= -z_threshold:
        acts.append(("service", "unit_service", f"IKM {_num(float(mean['ikm']), lang)}"))
    return acts


def segment_findings(
    result: SegmentResult,
    *,
    lang: Lang = "id",
    names: Mapping[Hashable, str | Mapping[str, str]] | None = None,
    subject: tuple[str, str] = ("pegawai", "employees"),
) -> list[str]:
    """Describe the segments in plain language, including how stable they are.

    Parameters
    ----------
    result : SegmentResult
        Output of :func:`segment`.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.
    names : mapping, optional
        Display names for the segment labels (see :meth:`SegmentResult.describe`).
    subject : (str, str), default ("pegawai", "employees")
        What a row is, in Indonesian and English (e.g. ``("unit kerja", "units")``).

    Returns
    -------
    list of str
        How many rows were segmented (and excluded; a warning when more than a fifth were), one
        sentence per segment (share, label, cluster-wise stability), the overall stability
        against Hennig's 0.75 threshold, and warnings on tiny segments.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    >>> res = segment(df, features=["a", "b", "c"], k=3, n_boot=10)
    >>> any("0.75" in s for s in segment_findings(res, lang="en"))
    True
    """
    _check_option("lang", lang, Lang)
    who = subject[0 if lang == "id" else 1]
    labels = result.describe(lang, names=names)
    prof = result.profiles
    crit = result.scores.loc[result.k, result.criterion]
    crit_text = f"{result.criterion} {_num(float(crit), lang)}"
    how = {
        "kmeans": "k-means",
        "gmm": "campuran Gaussian" if lang == "id" else "Gaussian mixture",
        "ward": "Ward",
    }[result.method]
    if lang == "id":
        first = (
            f"{_count(result.n_used, lang)} {who} dikelompokkan menjadi {result.k} segmen "
            f"dengan metode {how} ({crit_text})"
        )
        if result.n_excluded:
            first += (
                f"; {_count(result.n_excluded, lang)} tidak diikutkan karena datanya tidak lengkap"
            )
        if result.n_imputed:
            first += f"; {_count(result.n_imputed, lang)} dengan nilai kosong diisi rata-rata"
    else:
        first = (
            f"{_count(result.n_used, lang)} {who} were grouped into {result.k} segments by "
            f"{how} ({crit_text})"
        )
        if result.n_excluded:
            first += f"; {_count(result.n_excluded, lang)} were left out for incomplete data"
        if result.n_imputed:
            first += f"; {_count(result.n_imputed, lang)} had blanks filled with the mean"
    out = [first + "."]
    total = result.n_used + result.n_excluded
    if result.n_excluded > 0.2 * total:
        kept = _pct(result.n_used / total, lang)
        out.append(
            f"Segmen hanya menggambarkan {who} dengan data lengkap ({kept} dari semua); "
            "yang dikecualikan bisa berbeda (lihat catatan hasil untuk kolom yang kosong)."
            if lang == "id"
            else f"The segments describe only {who} with complete data ({kept} of all); those "
            "left out may differ (the result's notes list the blank columns)."
        )
    for seg in prof.index:
        n, share, jac = (
            int(prof.loc[seg, "n"]),
            float(prof.loc[seg, "share"]),
            prof.loc[seg, "jaccard"],
        )
        if lang == "id":
            text = f"Segmen {seg} ({_pct(share, lang)}, n = {_count(n, lang)}): {labels[seg]}"
            if pd.notna(jac):
                text += f"; stabilitas Jaccard {_num(float(jac), lang)}"
        else:
            text = f"Segment {seg} ({_pct(share, lang)}, n = {_count(n, lang)}): {labels[seg]}"
            if pd.notna(jac):
                text += f"; Jaccard stability {_num(float(jac), lang)}"
        out.append(text + ".")
    thr = _num(STABILITY_STABLE, lang)
    if result.n_boot == 0 or not np.isfinite(result.stability):
        out.append(
            "Stabilitas segmen tidak diperiksa: jangan tafsirkan segmen berlebihan."
            if lang == "id"
            else "Segment stability was not assessed: do not over-read the segments."
        )
    else:
        s = _num(result.stability, lang)
        if lang == "id":
            verdict = (
                f"di atas ambang {thr} (Hennig 2007): segmen cukup stabil untuk dibaca"
                if result.stable
                else f"di bawah ambang {thr} (Hennig 2007): segmen lemah, jangan ditafsirkan "
                "berlebihan"
            )
            out.append(
                f"Stabilitas: rata-rata indeks Rand terkoreksi (ARI) antara segmen dan hasil "
                f"ulang pada {result.n_boot} sampel bootstrap adalah {s}, {verdict}."
            )
        else:
            verdict = (
                f"above the {thr} threshold (Hennig 2007): the segments are stable enough to read"
                if result.stable
                else f"below the {thr} threshold (Hennig 2007): weak segments, do not over-read "
                "them"
            )
            out.append(
                f"Stability: the mean adjusted Rand index (ARI) between the segments and "
                f"re-estimates on {result.n_boot} bootstrap resamples is {s}, {verdict}."
            )
    tiny = [str(s) for s in prof.index if prof.loc[s, "tiny"]]
    if tiny:
        out.append(
            f"Segmen {', '.join(tiny)} sangat kecil: profilnya bertumpu pada sedikit {who}."
            if lang == "id"
            else f"Segment(s) {', '.join(tiny)} are tiny: their profile rests on few {who}."
        )
    return out
