"""Figures of segments (notebook 06): each segment's profile as standardised means."""

from __future__ import annotations

import textwrap
from typing import Literal

import matplotlib.pyplot as plt

from asn_analysis import segments as sg
from asn_analysis._validation import Lang, check_lang, check_option
from asn_analysis.reporting.findings.segments import segment_labels
from asn_analysis.reporting.plots.general import labelled_heatmap
from asn_analysis.reporting.text import choose

__all__ = ["segment_profiles"]

#: What is segmented: employees or units (sets title, colour-bar label and size).
Subject = Literal["employees", "units"]


def segment_profiles(
    result: sg.SegmentResult,
    *,
    subject: Subject = "employees",
    lang: Lang = "id",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Heatmap of every segment's mean of each feature as a z-score against the overall mean.

    Parameters
    ----------
    result : SegmentResult
        :func:`asn_analysis.segments.segment`; its ``z_profiles`` and :func:`segment_labels`
        labels are shown.
    subject : {"employees", "units"}, default "employees"
        What was segmented: sets the title, colour-bar label and figure size.
    lang : {"id", "en"}, default "id"
        Language of the title, feature names and segment labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        Features as rows, segments (number: label) as columns; red above the mean, blue below.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"jpm": np.r_[rng.normal(60, 5, 30), rng.normal(85, 5, 30)],
    ...                    "resistance": np.r_[rng.normal(3.5, .3, 30), rng.normal(2.5, .3, 30)]})
    >>> res = sg.segment(df, features=["jpm", "resistance"], k=2, n_boot=0)
    >>> ax = segment_profiles(res, lang="en")
    >>> ax.get_title()
    'Employee segment profiles (standardised means)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    check_option("subject", subject, Subject)
    z = result.z_profiles.T
    if subject == "employees":
        title = choose(
            lang,
            "Profil segmen pegawai (rata-rata dibakukan)",
            "Employee segment profiles (standardised means)",
        )
        label = choose(lang, "skor z terhadap rata-rata", "z-score vs overall mean")
        width, figsize = 18, (11, 7)
    else:
        title = choose(
            lang,
            "Profil tipe unit (rata-rata dibakukan)",
            "Unit type profiles (standardised means)",
        )
        label = choose(lang, "skor z", "z-score")
        width, figsize = 20, (10, 4)
    return labelled_heatmap(
        z,
        title=title,
        figsize=figsize,
        ax=ax,
        lang=lang,
        cmap="RdBu_r",
        center=0,
        vmin=-2.5,
        vmax=2.5,
        annot=True,
        fmt=".1f",
        yticklabels=[sg.feature_label(c, lang=lang) for c in z.index],
        xticklabels=[
            textwrap.fill(f"{s}: {name}", width)
            for s, name in segment_labels(result, lang=lang).items()
        ],
        cbar_kws={"label": label},
        xtick_kws={"rotation": 0, "fontsize": 9},
    )
