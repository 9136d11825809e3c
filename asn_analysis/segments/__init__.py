"""Segments of employees and typologies of units: k-means, Gaussian mixture or Ward clustering.

- :mod:`~asn_analysis.segments.engine`: :func:`segment` and :class:`SegmentResult`, the generic
  clustering, choice of k, profiles and bootstrap stability (knows nothing of the ASN data);
- :mod:`~asn_analysis.segments.features`: the ASN feature builders :func:`employee_features`,
  :func:`unit_features` and the display names of their columns (:func:`feature_label`).

Labels, the action each segment needs and plain-language findings are text and live in
:mod:`asn_analysis.reporting.findings.segments`.
"""

from asn_analysis.segments.engine import (
    PROFILE_COLUMNS,
    STABILITY_DOUBTFUL,
    STABILITY_STABLE,
    Method,
    Missing,
    SegmentInputError,
    SegmentResult,
    segment,
)
from asn_analysis.segments.features import (
    EMPLOYEE_FEATURES,
    FEATURE_LABELS,
    GAP_FEATURES,
    MANAGERIAL_GROUP,
    UNIT_FEATURES,
    IkmOver,
    employee_features,
    feature_label,
    unit_features,
)

__all__ = [
    "EMPLOYEE_FEATURES",
    "FEATURE_LABELS",
    "GAP_FEATURES",
    "MANAGERIAL_GROUP",
    "PROFILE_COLUMNS",
    "STABILITY_DOUBTFUL",
    "STABILITY_STABLE",
    "UNIT_FEATURES",
    "IkmOver",
    "Method",
    "Missing",
    "SegmentInputError",
    "SegmentResult",
    "employee_features",
    "feature_label",
    "segment",
    "unit_features",
]
