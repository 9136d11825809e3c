"""Competency fit: Job Person Match, gaps, job mismatch, the cost of misfit, training needs.

A position's competency standard (*standar kompetensi jabatan*, PermenPANRB No. 38 Tahun 2017)
names the level (1-5) it requires in each managerial, socio-cultural and technical competency.
Assessments record the level an employee holds. This package compares the two:

* :func:`job_person_match`, :func:`jpm_category` (:mod:`~asn_analysis.competency.match`) - the
  Job Person Match percentage (JPM) and its category;
* :func:`competency_gaps`, :func:`unit_gaps`, :func:`training_needs`
  (:mod:`~asn_analysis.competency.gaps`) - held minus required level, per employee and per
  unit, and ranked training priorities with the JP hours they need against the 20 JP yearly
  right;
* :func:`mismatches` (:mod:`~asn_analysis.competency.mismatch`) - employees below the required
  level in their position's technical competency (e.g. an IT post held by someone without the IT
  level it needs);
* :func:`fit_effects` (:mod:`~asn_analysis.competency.fit_effects`) - how JPM and mismatch are
  associated with the SKP predikat and with the unit's citizen satisfaction (IKM), with
  cluster-robust or wild cluster score bootstrap confidence intervals;
* :func:`reassignment_suggestions` (:mod:`~asn_analysis.competency.reassign`) - moves between
  posts that would raise total JPM (suggestions for a human decision, never decisions).

Input checks and the error class are in :mod:`~asn_analysis.competency.inputs`; the
plain-language findings in :mod:`asn_analysis.reporting.findings.competency`.

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 tentang Standar Kompetensi Jabatan Aparatur Sipil
   Negara (competency groups, levels 1-5).
.. [2] BKN competency-assessment practice for the Job Person Match and its categories (no single
   regulation fixes them; see the caveats in :func:`job_person_match`).
.. [3] Peraturan Menteri PANRB No. 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN (predikat).
.. [4] Peraturan Menteri PANRB No. 14 Tahun 2017 (IKM).
.. [5] Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
   *Journal of Human Resources*, 50(2), 317-372.
"""

from asn_analysis.competency.fit_effects import (
    MODEL_BAIK,
    MODEL_IKM,
    MODEL_ORDERED,
    FitEffectsResult,
    FitInference,
    UnitSE,
    fit_effects,
)
from asn_analysis.competency.gaps import JP_PER_LEVEL, competency_gaps, training_needs, unit_gaps
from asn_analysis.competency.inputs import (
    LEVEL_MAX,
    LEVEL_MIN,
    TECHNICAL_GROUP,
    AsOf,
    Cap,
    CompetencyInputError,
    OnProblem,
    Scheme,
)
from asn_analysis.competency.match import CAPS, JPM_SCHEMES, job_person_match, jpm_category
from asn_analysis.competency.mismatch import MismatchResult, mismatches
from asn_analysis.competency.reassign import SUGGESTION_STATUS, reassignment_suggestions

__all__ = [
    "CAPS",
    "JPM_SCHEMES",
    "JP_PER_LEVEL",
    "LEVEL_MAX",
    "LEVEL_MIN",
    "MODEL_BAIK",
    "MODEL_IKM",
    "MODEL_ORDERED",
    "SUGGESTION_STATUS",
    "TECHNICAL_GROUP",
    "AsOf",
    "Cap",
    "CompetencyInputError",
    "FitEffectsResult",
    "FitInference",
    "MismatchResult",
    "OnProblem",
    "Scheme",
    "UnitSE",
    "competency_gaps",
    "fit_effects",
    "job_person_match",
    "jpm_category",
    "mismatches",
    "reassignment_suggestions",
    "training_needs",
    "unit_gaps",
]
