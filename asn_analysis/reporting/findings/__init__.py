"""Findings text: every sentence a reader sees about a result, one module per domain.

Each ``*_findings`` function turns a domain's results into plain-language sentences in
Bahasa Indonesia or English, each estimate with its uncertainty; ``*_actions`` say what to do
about them. Estimator modules return numbers; the wording lives here.
"""

from asn_analysis.reporting.findings.casestudy import case_study_findings, skipped_sentence
from asn_analysis.reporting.findings.competency import competency_actions, competency_findings
from asn_analysis.reporting.findings.effects import (
    covariate_comparison_findings,
    effect_sentence,
    effects_findings,
    event_time_sentence,
    inference_label,
)
from asn_analysis.reporting.findings.overview import overview_findings
from asn_analysis.reporting.findings.quality import quality_findings
from asn_analysis.reporting.findings.resistance import resistance_actions, resistance_findings
from asn_analysis.reporting.findings.satisfaction import (
    satisfaction_actions,
    satisfaction_findings,
)
from asn_analysis.reporting.findings.segments import (
    segment_actions,
    segment_findings,
    segment_labels,
)

__all__ = [
    "case_study_findings",
    "competency_actions",
    "competency_findings",
    "covariate_comparison_findings",
    "effect_sentence",
    "effects_findings",
    "event_time_sentence",
    "inference_label",
    "overview_findings",
    "quality_findings",
    "resistance_actions",
    "resistance_findings",
    "satisfaction_actions",
    "satisfaction_findings",
    "segment_actions",
    "segment_findings",
    "segment_labels",
    "skipped_sentence",
]
