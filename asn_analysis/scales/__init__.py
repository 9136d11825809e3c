"""Psychometric scales: item maps, scale scores, reliability and item analysis.

General tools for Likert-type questionnaires such as the staff survey on evaluation
(``staff_survey`` with its item map ``survey_items``, see ``data/README.md``):

* :class:`ItemMap` says which items make up which scale, which items are reverse-keyed and
  the answer range of every item. Every scoring function takes the item map (or, for the
  single-scale functions, ``reverse`` and ``scale``), so reverse keys are applied everywhere
  or nowhere.
* :func:`score` gives one scale score per respondent (mean of the answered items).
* :func:`cronbach_alpha`, :func:`omega`, :func:`item_analysis` and :func:`scale_reliability`
  describe how well the items hang together.

All numbers are stored unrounded; rounding happens only in ``summary()`` text.

Modules
-------
- :mod:`~asn_analysis.scales.answers`: :class:`ScaleInputError` and the checks of answers;
- :mod:`~asn_analysis.scales.items`: :class:`ItemMap` and :func:`score`;
- :mod:`~asn_analysis.scales.reliability`: alpha, omega, item analysis, scale reliability.

References
----------
.. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       Psychometrika, 16(3), 297-334.
.. [2] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Erlbaum.
.. [3] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
       coefficient alpha. Applied Psychological Measurement, 11(1), 93-103.
.. [4] Revelle, W. (2024). psych: Procedures for psychological, psychometric, and
       personality research. R package, https://CRAN.R-project.org/package=psych
"""

from asn_analysis.scales.answers import ScaleInputError
from asn_analysis.scales.items import InsufficientAnswersWarning, ItemMap, score
from asn_analysis.scales.reliability import (
    AlphaResult,
    NanPolicy,
    OmegaResult,
    ReverseKeyWarning,
    cronbach_alpha,
    item_analysis,
    omega,
    scale_reliability,
)

__all__ = [
    "AlphaResult",
    "InsufficientAnswersWarning",
    "ItemMap",
    "NanPolicy",
    "OmegaResult",
    "ReverseKeyWarning",
    "ScaleInputError",
    "cronbach_alpha",
    "item_analysis",
    "omega",
    "scale_reliability",
    "score",
]
