"""Figures of what the data holds (notebook 01): staff per unit, survey coverage, the JP right."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from asn_analysis._validation import Lang, check_lang
from asn_analysis.overview import JP_RIGHT_PER_YEAR
from asn_analysis.reporting.plots.general import fixed_title, heatmap, localize, new_axes
from asn_analysis.reporting.text import choose

__all__ = ["staff_per_unit", "survey_coverage", "training_right"]


def staff_per_unit(
    staff: pd.DataFrame, *, lang: Lang = "id", ax: plt.Axes | None = None
) -> plt.Axes:
    """Bar chart of the number of staff per unit, largest at the top.

    Parameters
    ----------
    staff : pandas.DataFrame
        ``unit_name`` and ``staff`` per unit (:func:`asn_analysis.overview.staff_by_unit`).
    lang : {"id", "en"}, default "id"
        Language of the title and axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> staff = pd.DataFrame({"unit_name": ["Dinas A", "Dinas B"], "staff": [40, 120]})
    >>> ax = staff_per_unit(staff, lang="en")
    >>> ax.get_title(), ax.get_xlabel()
    ('Staff per unit', 'Staff')
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    units = staff.sort_values("staff")
    ax = new_axes(ax, (8, 8))
    ax.barh(units["unit_name"], units["staff"], color="tab:blue")
    ax.set_xlabel(choose(lang, "Jumlah pegawai", "Staff"))
    fixed_title(ax, choose(lang, "Pegawai per unit kerja", "Staff per unit"))
    ax.figure.tight_layout()
    return localize(ax, lang)


def survey_coverage(
    coverage: pd.DataFrame,
    *,
    unit_names: pd.Series | None = None,
    lang: Lang = "id",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Heatmap of the SKM respondents per unit and period, each cell annotated with its count.

    Parameters
    ----------
    coverage : pandas.DataFrame
        Respondents, units by periods (:func:`asn_analysis.overview.survey_coverage`).
    unit_names : pandas.Series, optional
        Unit name by unit_id, shown instead of the ids.
    lang : {"id", "en"}, default "id"
        Language of the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> cov = pd.DataFrame({"2024-S1": [110, 0], "2024-S2": [95, 12]}, index=["U01", "U02"])
    >>> ax = survey_coverage(cov, unit_names=pd.Series({"U01": "Dinas A"}), lang="en")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Dinas A', 'U02']
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    shown = coverage if unit_names is None else coverage.rename(index=unit_names)
    return heatmap(
        shown,
        title=choose(
            lang, "Responden SKM per unit dan periode", "SKM respondents per unit and period"
        ),
        ax=ax,
        lang=lang,
        cmap="Blues",
        annot=True,
        fmt="d",
        cbar=False,
        annot_kws={"size": 7},
    )


def training_right(
    coverage: pd.DataFrame, *, lang: Lang = "id", ax: plt.Axes | None = None
) -> plt.Axes:
    """Bar chart of the share of staff meeting the yearly 20 JP right, per year.

    The right is :data:`asn_analysis.overview.JP_RIGHT_PER_YEAR` hours of instruction (JP) a
    year (PP 11/2017 jo. PP 17/2020, Pasal 203).

    Parameters
    ----------
    coverage : pandas.DataFrame
        ``year`` and ``share_met_jp_right`` (:func:`asn_analysis.overview.training_coverage`).
    lang : {"id", "en"}, default "id"
        Language of the title and axis.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (shares from 0 to 1).

    Examples
    --------
    >>> cover = pd.DataFrame({"year": [2024, 2025], "share_met_jp_right": [0.31, 0.42]})
    >>> ax = training_right(cover, lang="en")
    >>> ax.get_title()
    'Meeting the 20 JP yearly right'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    jp = JP_RIGHT_PER_YEAR
    ax = new_axes(ax, (6, 3.5))
    ax.bar(coverage["year"].astype(str), coverage["share_met_jp_right"], color="tab:orange")
    ax.set_ylim(0, 1)
    ax.set_ylabel(choose(lang, f"Porsi pegawai >= {jp} JP", f"Share of staff with >= {jp} JP"))
    ax.set_title(
        choose(lang, f"Pemenuhan hak {jp} JP per tahun", f"Meeting the {jp} JP yearly right")
    )
    ax.figure.tight_layout()
    return localize(ax, lang)
