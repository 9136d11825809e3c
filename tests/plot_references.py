"""The figure code the fast paths replaced, kept as the reference they are tested against.

``reference_heatmap`` is the old ``plots.general.heatmap`` (seaborn's heatmap, then the title,
no axis labels, one layout) and ``reference_jpm_categories`` the old
``plots.competency.jpm_categories`` (pandas' stacked bar plots). ``png`` writes a figure as the
notebooks' inline backend does. Used by ``tests/test_plots_fast.py`` and
``benchmarks/bench_plots.py``.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from PIL import Image

from asn_analysis.reporting.plots import general
from asn_analysis.reporting.plots.general import localize


def png(fig: plt.Figure) -> np.ndarray:
    """The figure as the inline backend writes it, as an RGBA array."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGBA"))


def reference_heatmap(table, *, title, figsize=(9, 9), lang="en", xtick_kws=None, **options):
    """The old ``heatmap``: seaborn's, then the title, no axis labels, one layout."""
    import seaborn as sns

    _, ax = plt.subplots(figsize=figsize)
    sns.heatmap(table, ax=ax, **options)
    if lang == "id":
        for text in ax.texts:
            text.set_text(general._IndonesianNumbers._swap(text.get_text()))
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.figure.tight_layout()
    localize(ax.figure, lang)
    if xtick_kws:  # the old segment_profiles: style the labels, then lay out again
        plt.setp(ax.get_xticklabels(), **xtick_kws)
        ax.figure.tight_layout()
        localize(ax.figure, lang)
    return ax


def reference_jpm_categories(jpm, *, unit_names=None, lang="id"):
    """The old ``jpm_categories``: pandas' stacked bar plots, then the same titles and layout."""
    from asn_analysis.reporting.plots.competency import CATEGORY_COLORS
    from asn_analysis.reporting.text import choose

    units = jpm["unit_id"] if unit_names is None else jpm["unit_id"].map(unit_names)
    by_unit = pd.crosstab(units, jpm["category"], normalize="index")
    by_unit = by_unit.sort_values(by_unit.columns[-1])
    by_job = pd.crosstab(jpm["job_type"], jpm["category"], normalize="index")
    share = choose(lang, "Porsi pegawai", "Share of staff")
    fig, axes = plt.subplots(1, 2, figsize=(13, 8), gridspec_kw={"width_ratios": [3, 1.4]})
    by_unit.plot.barh(stacked=True, color=CATEGORY_COLORS, width=0.8, ax=axes[0], legend=False)
    axes[0].set_xlabel(share)
    axes[0].set_ylabel("")
    axes[0].set_title(choose(lang, "Kategori JPM per unit kerja", "JPM category by unit"))
    by_job.plot.bar(stacked=True, color=CATEGORY_COLORS, ax=axes[1])
    axes[1].set_xlabel("")
    axes[1].set_ylabel(share)
    axes[1].set_title(choose(lang, "Kategori JPM per jenis jabatan", "JPM category by job type"))
    axes[1].tick_params(axis="x", rotation=45)
    axes[1].legend(title="", bbox_to_anchor=(1.02, 1), loc="upper left", fontsize=8)
    fig.tight_layout()
    return localize(fig, lang)
