"""Generate one synthetic data set: the stages in order, one random generator per component.

:func:`generate` runs the stages (:mod:`.staff`, :mod:`.competencies`, :mod:`.performance`,
:mod:`.staff_survey`, :mod:`~.synthetic.training`, :mod:`.skm`, :mod:`.truth`) with one child
generator per component (spawned from the seed in a fixed order), so the same seed always gives
the same data and a change in one stage leaves the random numbers of the others as they were.

Examples
--------
>>> _COMPONENTS[:3]
('people', 'names', 'segments')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_analysis._validation import check_int
from asn_analysis.data.privacy import SYNTHETIC_SALT, pseudonymize
from asn_analysis.data.schema import TableSet
from asn_analysis.data.synthetic.codebook import DEFAULT_SEED
from asn_analysis.data.synthetic.competencies import make_baseline, make_standards
from asn_analysis.data.synthetic.performance import make_performance
from asn_analysis.data.synthetic.skm import make_skm
from asn_analysis.data.synthetic.staff import make_people, make_staffing, make_units
from asn_analysis.data.synthetic.staff_survey import make_staff_survey
from asn_analysis.data.synthetic.training import (
    make_reassessment,
    make_rollout,
    make_selection,
    make_training,
)
from asn_analysis.data.synthetic.truth import make_ground_truth

__all__ = ["SyntheticData", "generate"]


_COMPONENTS = (
    "people",
    "names",
    "segments",
    "baseline",
    "performance",
    "survey",
    "rollout",
    "selection",
    "training",
    "reassessment",
    "skm",
)


# --------------------------------------------------------------------------------------- Public API
@dataclass(frozen=True, eq=False)
class SyntheticData(TableSet):
    """One synthetic data set: a DataFrame per codebook table plus the ground truth.

    Attributes
    ----------
    units, employees, competency_standards, competency_assessments : pandas.DataFrame
        Codebook tables (``data/README.md``), columns in codebook order.
    performance, training, skm_responses, staff_survey, survey_items : pandas.DataFrame
        Codebook tables, columns in codebook order.
    ground_truth : dict
        The true parameters and sample effects (see the package docstring and
        ``ground_truth["notes"]``).

    Examples
    --------
    >>> data = generate(n_employees=600)
    >>> list(data.tables())[:3]
    ['units', 'employees', 'competency_standards']
    """

    ground_truth: dict = field(default_factory=dict)


def generate(*, seed: int = DEFAULT_SEED, n_employees: int = 4500) -> SyntheticData:
    """Generate a synthetic regency data set with a known causal structure.

    Parameters
    ----------
    seed : int, default 20250101
        Seed of ``numpy.random.default_rng``; one child generator is spawned per component,
        so the same seed always gives the same data.
    n_employees : int, default 4500
        Number of ASN (at least 500). Struktural posts are fixed per unit (heads) or scale
        with the size; the other staff groups keep their shares.

    Returns
    -------
    SyntheticData
        The nine codebook tables and ``ground_truth``.

    Raises
    ------
    asn_analysis.errors.OptionError
        If ``n_employees`` is not a whole number of at least 500.

    Notes
    -----
    The causal structure and all true parameters are described in the module docstring; the
    values used are stored in ``ground_truth`` (see its ``notes`` for every deliberate
    data-quality feature).

    Examples
    --------
    >>> data = generate(n_employees=600)
    >>> len(data.employees)
    600
    >>> sorted(data.units["unit_id"])[:2]
    ['U01', 'U02']
    >>> data.ground_truth["synthetic"]
    True
    """
    n_employees = check_int("n_employees", n_employees, 500)
    rngs = dict(zip(_COMPONENTS, np.random.default_rng(seed).spawn(len(_COMPONENTS)), strict=True))

    units = make_units()
    staff = make_staffing(n_employees)
    staff = make_people(staff, rngs["people"], rngs["names"])
    staff["employee_id"] = pseudonymize(staff["nip"], salt=SYNTHETIC_SALT).to_numpy()
    standards = make_standards(staff)
    comp = make_baseline(staff, standards, units, rngs["segments"], rngs["baseline"])
    staff = comp["staff"]

    perf, perf_truth = make_performance(staff, units, rngs["performance"])
    survey, survey_items, survey_truth = make_staff_survey(staff, units, rngs["survey"])
    rollout = make_rollout(staff, rngs["rollout"])
    selection = make_selection(staff, comp["levels"], rngs["selection"])
    reassess = make_reassessment(staff, comp, rollout, selection, rngs["reassessment"])
    training, training_truth = make_training(staff, rollout, selection, rngs["training"])
    skm, skm_truth = make_skm(units, staff, rollout, rngs["skm"])

    employees = staff.sort_values(["unit_id", "_jt_rank", "position", "nip"], kind="stable")
    employees = employees[
        [
            "nip",
            "name",
            "unit_id",
            "position",
            "job_type",
            "job_family",
            "status",
            "gender",
            "birth_year",
            "education",
            "years_of_service",
        ]
    ].reset_index(drop=True)
    assessments = (
        pd.concat([comp["assessments"], reassess["assessments"]], ignore_index=True)
        .sort_values(["nip", "assessed_on", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )

    truth = make_ground_truth(
        seed=seed,
        n_employees=n_employees,
        staff=staff,
        units=units,
        comp=comp,
        perf_truth=perf_truth,
        survey_truth=survey_truth,
        rollout=rollout,
        selection=selection,
        reassess=reassess,
        training_truth=training_truth,
        skm_truth=skm_truth,
    )
    return SyntheticData(
        units=units.drop(columns=[c for c in units.columns if c.startswith("_")]),
        employees=employees,
        competency_standards=standards,
        competency_assessments=assessments,
        performance=perf,
        training=training,
        skm_responses=skm,
        staff_survey=survey,
        survey_items=survey_items,
        ground_truth=truth,
    )
