"""Figures of competency fit (notebook 02): JPM categories, gaps, IT posts, costs of misfit, 9-box.

Job Person Match (JPM) and its categories follow PermenPANRB 38/2017 and BKN's competency
assessment guidance; the 9-box talent grid follows PermenPANRB 3/2020.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from asn_analysis import talent as tl
from asn_analysis._validation import Lang, check_lang
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.reporting.disclosure import hides_count
from asn_analysis.reporting.plots.general import fixed_title, heatmap, localize, new_axes
from asn_analysis.reporting.text import choose

__all__ = ["fit_effects", "gap_shares", "it_mismatch", "jpm_categories", "nine_box"]

#: Colours of the JPM categories, lowest first.
CATEGORY_COLORS = ["tab:red", "tab:orange", "tab:green"]


def jpm_categories(
    jpm: pd.DataFrame, *, unit_names: pd.Series | None = None, lang: Lang = "id"
) -> plt.Figure:
    """Stacked bars of the JPM categories: share of staff per unit and per job type.

    Parameters
    ----------
    jpm : pandas.DataFrame
        ``unit_id``, ``job_type`` and ``category`` per employee
        (:func:`asn_analysis.competency.job_person_match`).
    unit_names : pandas.Series, optional
        Unit name by unit_id, shown instead of the ids.
    lang : {"id", "en"}, default "id"
        Language of titles and axes.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: by unit (sorted by the share in the highest category) and by job type.

    Examples
    --------
    >>> jpm = pd.DataFrame({"unit_id": ["U01", "U01", "U02"],
    ...                     "job_type": ["fungsional", "pelaksana", "fungsional"],
    ...                     "category": ["Kurang Optimal", "Optimal", "Optimal"]})
    >>> fig = jpm_categories(jpm, lang="en")
    >>> [ax.get_title() for ax in fig.axes]
    ['JPM category by unit', 'JPM category by job type']
    >>> plt.close(fig)
    """
    check_lang(lang)
    units = jpm["unit_id"] if unit_names is None else jpm["unit_id"].map(unit_names)
    by_unit = pd.crosstab(units, jpm["category"], normalize="index")
    by_unit = by_unit.sort_values(by_unit.columns[-1])
    by_job = pd.crosstab(jpm["job_type"], jpm["category"], normalize="index")
    share = choose(lang, "Porsi pegawai", "Share of staff")
    fig, axes = plt.subplots(1, 2, figsize=(13, 8), gridspec_kw={"width_ratios": [3, 1.4]})
    _stacked_bars(axes[0], by_unit, width=0.8, horizontal=True)
    axes[0].set_xlabel(share)
    axes[0].set_ylabel("")
    fixed_title(axes[0], choose(lang, "Kategori JPM per unit kerja", "JPM category by unit"))
    _stacked_bars(axes[1], by_job, width=0.5, horizontal=False)
    axes[1].set_xlabel("")
    axes[1].set_ylabel(share)
    axes[1].set_title(choose(lang, "Kategori JPM per jenis jabatan", "JPM category by job type"))
    axes[1].tick_params(axis="x", rotation=45)
    axes[1].legend(title="", bbox_to_anchor=(1.02, 1), loc="upper left", fontsize=8)
    fig.tight_layout()
    return localize(fig, lang)


def _stacked_bars(ax: plt.Axes, shares: pd.DataFrame, *, width: float, horizontal: bool) -> None:
    """Draw ``shares`` as stacked bars, one per row, as ``DataFrame.plot.bar(stacked=True)``.

    The same bars, limits, ticks and labels as pandas draws them (one ``bar`` call per
    column, in :data:`CATEGORY_COLORS`), without pandas' plotting machinery.
    """
    pos = np.arange(len(shares))
    above = below = np.zeros(len(shares))  # stacks of the positive and the negative values
    bar = ax.barh if horizontal else ax.bar
    for i, (name, column) in enumerate(shares.items()):
        values = column.fillna(0).to_numpy()
        positive = values >= 0
        color = CATEGORY_COLORS[i % len(CATEGORY_COLORS)]
        start = np.where(positive, above, below)
        bar(pos, values, width, start, color=color, label=str(name), align="center")
        above = above + np.where(positive, values, 0)
        below = below + np.where(positive, 0, values)
    edges = (pos[0] - width / 2 - 0.25, pos[-1] - width / 2 + 0.25 + width)
    labels = [str(k) for k in shares.index]
    if horizontal:
        ax.set_ylim(edges)
        ax.set_yticks(pos, labels, rotation=0)
    else:
        ax.set_xlim(edges)
        ax.set_xticks(pos, labels, rotation=90)
    ax.grid(matplotlib.rcParams["axes.grid"])


def gap_shares(
    unit_gaps: pd.DataFrame,
    *,
    unit_names: pd.Series | None = None,
    lang: Lang = "id",
    vmax: float = 0.6,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Heatmap of the share of staff below the competency standard, per unit and competency.

    Groups under :data:`asn_analysis.data.privacy.MIN_GROUP_SIZE` employees are left blank.

    Parameters
    ----------
    unit_gaps : pandas.DataFrame
        ``unit_id``, ``competency``, ``share_below`` and ``small_group``
        (:func:`asn_analysis.competency.unit_gaps`).
    unit_names : pandas.Series, optional
        Unit name by unit_id, shown instead of the ids.
    lang : {"id", "en"}, default "id"
        Language of the title and colour bar.
    vmax : float, default 0.6
        Share at the darkest colour.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> gaps = pd.DataFrame({"unit_id": ["U01", "U01", "U02"],
    ...                      "competency": ["teknis", "manajerial", "teknis"],
    ...                      "share_below": [0.4, 0.1, 0.5], "small_group": [False, False, True]})
    >>> ax = gap_shares(gaps, lang="en")
    >>> ax.get_title()
    'Share of staff below standard (groups >= 5)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    shares = unit_gaps[~unit_gaps["small_group"]].pivot(
        index="unit_id", columns="competency", values="share_below"
    )
    if unit_names is not None:
        shares = shares.rename(index=unit_names)
    label = choose(lang, "porsi di bawah standar", "share below standard")
    return heatmap(
        shares,
        title=choose(
            lang,
            f"Porsi pegawai di bawah standar (kelompok >= {MIN_GROUP_SIZE})",
            f"Share of staff below standard (groups >= {MIN_GROUP_SIZE})",
        ),
        figsize=(11, 9),
        ax=ax,
        lang=lang,
        cmap="Reds",
        vmin=0,
        vmax=vmax,
        cbar_kws={"label": label},
    )


def it_mismatch(posts: pd.DataFrame, *, lang: Lang = "id", ax: plt.Axes | None = None) -> plt.Axes:
    """Bar chart of the share of IT post holders below the IT standard, per unit (n >= 5).

    Parameters
    ----------
    posts : pandas.DataFrame
        One row per unit: ``unit`` (name shown), ``n``, ``share`` and ``small_group`` (rows of
        :attr:`asn_analysis.competency.Mismatches.by_unit_job_family` for the IT family).
        Small groups are not drawn, nor (given ``n_mismatch``) a unit whose share would reveal
        1-4 people (:func:`asn_analysis.reporting.disclosure.hides_count`).
    lang : {"id", "en"}, default "id"
        Language of the title and axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; each bar is labelled with its number of posts.

    Examples
    --------
    >>> posts = pd.DataFrame({"unit": ["Diskominfo", "Dinas A"], "n": [12, 3],
    ...                       "share": [0.25, 0.67], "small_group": [False, True]})
    >>> ax = it_mismatch(posts, lang="en")
    >>> [t.get_text() for t in ax.texts]
    ['n = 12']
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    ax = new_axes(ax, (8, 5))
    shown = posts[~posts["small_group"].astype(bool)]
    if "n_mismatch" in shown.columns:
        # a share over a shown n gives its count away: none of 1-4 people, or of all but 1-4
        hide = [
            hides_count(k, total=n) for k, n in zip(shown["n_mismatch"], shown["n"], strict=True)
        ]
        shown = shown[[not h for h in hide]]
    ax.barh(shown["unit"], shown["share"], color="tab:red")
    for y, (share, n) in enumerate(zip(shown["share"], shown["n"], strict=True)):
        ax.text(share + 0.01, y, f"n = {n}", va="center", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(
        choose(
            lang,
            "Porsi pemegang jabatan TI di bawah standar TI",
            "Share of IT post holders below the IT standard",
        )
    )
    fixed_title(
        ax,
        choose(
            lang,
            f"Ketidaksesuaian jabatan TI per unit (n >= {MIN_GROUP_SIZE})",
            f"IT-post mismatch by unit (n >= {MIN_GROUP_SIZE})",
        ),
    )
    ax.figure.tight_layout()
    return localize(ax, lang)


#: Scale of the unit-level IKM terms drawn: +10 percentage points mismatched, +1 JPM point.
IKM_TERM_SCALE = {"mismatch_share": 0.1, "mean_jpm": 1.0}


def fit_effects(table: pd.DataFrame, *, lang: Lang = "id") -> plt.Figure:
    """Forest plots of the cost of misfit: odds ratios for SKP predikat, IKM differences.

    Parameters
    ----------
    table : pandas.DataFrame
        ``FitEffects.to_frame()`` (:func:`asn_analysis.competency.fit_effects`): ``model``,
        ``term``, ``coef``, ``ci_low``, ``ci_high``, ``odds_ratio``, ``or_ci_low``,
        ``or_ci_high``.
    lang : {"id", "en"}, default "id"
        Language of titles and axes.

    Returns
    -------
    matplotlib.figure.Figure
        Left: odds ratios of the employee-level logit models (1 = no association). Right: the
        converted-IKM difference across units for +10 percentage points mismatched and +1
        point mean JPM (:data:`IKM_TERM_SCALE`).

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "model": ["predikat_ordered_logit", "ikm_unit_ols", "ikm_unit_ols"],
    ...     "term": ["jpm_per_10", "mismatch_share", "mean_jpm"],
    ...     "coef": [0.3, -20.0, 0.2], "ci_low": [0.1, -35.0, 0.0], "ci_high": [0.5, -5.0, 0.4],
    ...     "odds_ratio": [1.35, None, None], "or_ci_low": [1.1, None, None],
    ...     "or_ci_high": [1.65, None, None]})
    >>> fig = fit_effects(table, lang="en")
    >>> [ax.get_xlabel() for ax in fig.axes]
    ['Odds ratio (95% CI)', 'Converted IKM difference (95% CI)']
    >>> plt.close(fig)
    """
    check_lang(lang)
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
    emp = table[table["model"] != "ikm_unit_ols"]
    labels = emp["model"].str.replace("_", " ") + ": " + emp["term"]
    axes[0].errorbar(
        emp["odds_ratio"],
        range(len(emp)),
        fmt="o",
        xerr=[emp["odds_ratio"] - emp["or_ci_low"], emp["or_ci_high"] - emp["odds_ratio"]],
    )
    axes[0].axvline(1, color="grey", lw=1)
    axes[0].set_yticks(range(len(emp)), labels)
    axes[0].set_xlabel(choose(lang, "Rasio odds (IK 95%)", "Odds ratio (95% CI)"))
    fixed_title(axes[0], choose(lang, "Predikat SKP", "SKP predikat"))
    unit = table[table["model"] == "ikm_unit_ols"]
    scale = unit["term"].map(IKM_TERM_SCALE)
    est, lo, hi = (unit[c] * scale for c in ("coef", "ci_low", "ci_high"))
    axes[1].errorbar(est, range(len(unit)), xerr=[est - lo, hi - est], fmt="o", color="tab:green")
    axes[1].axvline(0, color="grey", lw=1)
    names = {
        "mismatch_share": choose(lang, "+10 poin % tidak sesuai", "+10 pp mismatched"),
        "mean_jpm": choose(lang, "+1 poin rata-rata JPM", "+1 point mean JPM"),
    }
    axes[1].set_yticks(range(len(unit)), list(unit["term"].map(names)))
    axes[1].set_xlabel(
        choose(lang, "Selisih IKM konversi (IK 95%)", "Converted IKM difference (95% CI)")
    )
    fixed_title(
        axes[1],
        choose(lang, "Kepuasan masyarakat (antarunit)", "Citizen satisfaction (across units)"),
    )
    fig.tight_layout()
    return localize(fig, lang)


#: Kinerja (performance) levels of the 9-box, lowest first (PermenPANRB 3/2020).
KINERJA_LEVELS = ("di_bawah", "sesuai", "di_atas")


def nine_box(grid: pd.DataFrame, *, lang: Lang = "id", ax: plt.Axes | None = None) -> plt.Axes:
    r"""Draw the 9-box talent grid: each box's number (PermenPANRB 3/2020) and employee count.

    Parameters
    ----------
    grid : pandas.DataFrame
        Employees by ``potensial`` (rows) and ``kinerja`` (columns), e.g.
        ``pd.crosstab(talent["potensial"], talent["kinerja"])`` of
        :func:`asn_analysis.talent.employee_talent`.
    lang : {"id", "en"}, default "id"
        Language of the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, highest potential at the top; empty boxes show 0.

    Examples
    --------
    >>> grid = pd.DataFrame([[5, 9, 2], [8, 30, 6], [1, 7, 4]],
    ...                     index=pd.Index(["rendah", "menengah", "tinggi"], name="potensial"),
    ...                     columns=pd.Index(["di_bawah", "sesuai", "di_atas"], name="kinerja"))
    >>> ax = nine_box(grid, lang="en")
    >>> ax.texts[0].get_text()
    '6\n1'
    >>> plt.close(ax.figure)
    """
    import seaborn as sns

    check_lang(lang)
    boxes = tl.nine_box(
        [k for _ in tl.POTENTIAL for k in KINERJA_LEVELS],
        [p for p in tl.POTENTIAL for _ in KINERJA_LEVELS],
    )
    numbers = boxes.pivot_table(
        index="potensial",
        columns="kinerja",
        values="box_permenpanrb",
        aggfunc="first",
        observed=False,
    ).sort_index(ascending=False)
    shown = grid.reindex_like(numbers).fillna(0)
    # a grid protected by the small-cell rule holds "<5" or "x": coloured as 0, annotated as shown
    counts = shown.apply(pd.to_numeric, errors="coerce").fillna(0)
    label = shown.map(lambda v: v if isinstance(v, str) else str(int(v)))
    annot = numbers.astype(int).astype(str) + "\n" + label
    ax = new_axes(ax, (6, 4.5))
    sns.heatmap(counts, annot=annot, fmt="", cmap="Blues", cbar=False, ax=ax)
    ax.set_title(
        choose(lang, "9-box: nomor kotak / jumlah pegawai", "9-box: box number / employees")
    )
    ax.figure.tight_layout()
    return localize(ax, lang)
