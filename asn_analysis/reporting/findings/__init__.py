"""Findings text: every sentence a reader sees about a result, one module per domain.

Each ``*_findings`` function turns a domain's results into plain-language sentences in
Bahasa Indonesia or English, each estimate with its uncertainty; ``*_actions`` say what to do
about them. Estimator modules return numbers; the wording lives here.
"""

from asn_analysis.reporting.findings.overview import overview_findings
from asn_analysis.reporting.findings.quality import quality_findings
from asn_analysis.reporting.findings.resistance import resistance_actions, resistance_findings
from asn_analysis.reporting.findings.satisfaction import (
    satisfaction_actions,
    satisfaction_findings,
)
from asn_analysis.reporting.findings.training_needs import competency_actions

__all__ = [
    "competency_actions",
    "overview_findings",
    "quality_findings",
    "resistance_actions",
    "resistance_findings",
    "satisfaction_actions",
    "satisfaction_findings",
]
