"""Every figure the notebooks and the brief draw, one module per domain.

Each function takes the data (a table or a result), keyword options and ``lang`` for titles,
axes and legends, draws on a given Axes or a new figure, and returns the Axes (or the Figure
of a multi-panel figure). A notebook figure cell is one call; the brief draws the same
functions, so both show the same picture of the same numbers.

The names are imported on first use (:pep:`562`), so a notebook that needs one domain's
functions does not import every domain's libraries at start-up.
"""

from asn_analysis.reporting.lazy import lazy_exports

#: Public name -> the submodule that defines it.
_WHERE = {
    "coefficients": "general",
    "event_studies": "training",
    "fit_effects": "competency",
    "gap_shares": "competency",
    "heatmap": "general",
    "ikm_by_unit": "satisfaction",
    "ikm_trend": "satisfaction",
    "it_mismatch": "competency",
    "jpm_categories": "competency",
    "new_axes": "general",
    "nine_box": "competency",
    "plot_balance": "effects",
    "plot_event_study": "effects",
    "plot_overlap": "effects",
    "plot_synthetic_control": "effects",
    "resistance_by_group": "resistance",
    "resistance_drivers": "resistance",
    "segment_profiles": "segments",
    "set_style": "general",
    "staff_per_unit": "overview",
    "survey_coverage": "overview",
    "synthetic_control_panels": "casestudy",
    "training_effects": "training",
    "training_right": "overview",
    "weighting_diagnostics": "training",
}

__all__ = sorted(_WHERE)
__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
