"""Findings text: every sentence a reader sees about a result, one module per domain.

Each ``*_findings`` function turns a domain's results into plain-language sentences in
Bahasa Indonesia or English, each estimate with its uncertainty; ``*_actions`` say what to do
about them. Estimator modules return numbers; the wording lives here.

The names are imported on first use (:pep:`562`), so a notebook that needs one domain's
functions does not import every domain's libraries at start-up.
"""

from asn_analysis.reporting.lazy import lazy_exports

#: Public name -> the submodule that defines it.
_WHERE = {
    "case_study_findings": "casestudy",
    "competency_actions": "competency",
    "competency_findings": "competency",
    "effect_sentence": "effects",
    "effects_findings": "effects",
    "covariate_comparison_findings": "effects",
    "event_time_sentence": "effects",
    "inference_label": "effects",
    "overview_findings": "overview",
    "quality_findings": "quality",
    "resistance_actions": "resistance",
    "resistance_findings": "resistance",
    "satisfaction_actions": "satisfaction",
    "satisfaction_findings": "satisfaction",
    "segment_actions": "segments",
    "segment_findings": "segments",
    "segment_labels": "segments",
    "skipped_sentence": "casestudy",
}

__all__ = sorted(_WHERE)
__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
