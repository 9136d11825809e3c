"""Every figure the notebooks and the brief draw, one module per domain.

Each function takes the data (a table or a result), keyword options and ``lang`` for titles,
axes and legends, draws on a given Axes or a new figure, and returns the Axes (or the Figure
of a multi-panel figure). A notebook figure cell is one call; the brief draws the same
functions, so both show the same picture of the same numbers.
"""

from asn_analysis.reporting.plots.casestudy import synthetic_control_panels
from asn_analysis.reporting.plots.competency import (
    fit_effects,
    gap_shares,
    it_mismatch,
    jpm_categories,
    nine_box,
)
from asn_analysis.reporting.plots.effects import (
    plot_balance,
    plot_event_study,
    plot_overlap,
    plot_synthetic_control,
)
from asn_analysis.reporting.plots.general import coefficients, heatmap, new_axes, set_style
from asn_analysis.reporting.plots.overview import staff_per_unit, survey_coverage, training_right
from asn_analysis.reporting.plots.resistance import resistance_by_group, resistance_drivers
from asn_analysis.reporting.plots.satisfaction import ikm_by_unit, ikm_trend
from asn_analysis.reporting.plots.segments import segment_profiles
from asn_analysis.reporting.plots.training import (
    event_studies,
    training_effects,
    weighting_diagnostics,
)

__all__ = [
    "coefficients",
    "event_studies",
    "fit_effects",
    "gap_shares",
    "heatmap",
    "ikm_by_unit",
    "ikm_trend",
    "it_mismatch",
    "jpm_categories",
    "new_axes",
    "nine_box",
    "plot_balance",
    "plot_event_study",
    "plot_overlap",
    "plot_synthetic_control",
    "resistance_by_group",
    "resistance_drivers",
    "segment_profiles",
    "set_style",
    "staff_per_unit",
    "survey_coverage",
    "synthetic_control_panels",
    "training_effects",
    "training_right",
    "weighting_diagnostics",
]
