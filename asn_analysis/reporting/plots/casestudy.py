"""Figures of the Dinas Kesehatan case study (notebook 05): the synthetic control and placebos."""

from __future__ import annotations

import matplotlib.pyplot as plt

from asn_analysis import effects as ef
from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.plots.effects import plot_synthetic_control
from asn_analysis.reporting.plots.general import localize
from asn_analysis.reporting.text import choose

__all__ = ["synthetic_control_panels"]


def synthetic_control_panels(
    result: ef.EffectEstimate, *, unit_name: str, lang: Lang = "id"
) -> plt.Figure:
    """Draw a synthetic control (Abadie, Diamond & Hainmueller 2010) and its placebo gaps.

    Parameters
    ----------
    result : EffectEstimate
        :func:`asn_analysis.effects.synthetic_control`, e.g.
        ``case.results["ikm_converted"]["synthetic_control"]`` of
        :func:`asn_analysis.casestudy.case_study`.
    unit_name : str
        The treated unit, named in the left title.
    lang : {"id", "en"}, default "id"
        Language of the titles.

    Returns
    -------
    matplotlib.figure.Figure
        Left: the unit's outcome and its synthetic control. Right: the unit's gap against the
        gaps of every donor given the same treatment (in-space placebos).

    Examples
    --------
    >>> import pandas as pd
    >>> path = pd.DataFrame({"treated": [70.0, 71.0, 76.0], "synthetic": [70.2, 70.8, 71.5],
    ...                      "post": [False, False, True]}, index=["S1", "S2", "S3"])
    >>> gaps = pd.DataFrame({"U05": [-0.2, 0.2, 4.5], "U01": [0.3, -0.1, 0.4]},
    ...                     index=path.index)
    >>> est = ef.EffectEstimate(4.5, float("nan"), float("nan"), float("nan"), 0.5, 3, 1,
    ...                         None, "synthetic control",
    ...                         details={"path": path, "placebo_gaps": gaps})
    >>> fig = synthetic_control_panels(est, unit_name="Dinas Kesehatan", lang="en")
    >>> [ax.get_title() for ax in fig.axes]
    ['IKM: Dinas Kesehatan vs synthetic control', 'gaps: treated unit vs placebos']
    >>> plt.close(fig)
    """
    check_lang(lang)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plot_synthetic_control(result, kind="path", ax=axes[0], lang=lang)
    axes[0].set_title(
        choose(
            lang,
            f"IKM: {unit_name} vs kontrol sintetis",
            f"IKM: {unit_name} vs synthetic control",
        )
    )
    plot_synthetic_control(result, kind="placebo", ax=axes[1], lang=lang)
    axes[1].set_title(
        choose(lang, "selisih: unit yang dilatih vs plasebo", "gaps: treated unit vs placebos")
    )
    fig.tight_layout()
    return localize(fig, lang)
