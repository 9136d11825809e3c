"""Stage 7 of the generator: assemble ``ground_truth`` from the stages' true parameters.

Every true parameter and sample effect the stages used or realised is gathered in one
JSON-ready dict (written as ``ground_truth.json``), with ``notes`` listing every deliberate
data-quality feature, so that each estimator can be checked against the truth.

Examples
--------
>>> from asn_analysis.data.synthetic import generate
>>> truth = generate(n_employees=600).ground_truth
>>> truth["synthetic"], truth["generator"]
(True, 'asn_analysis.synthetic v1')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from asn_analysis.data.privacy import SYNTHETIC_SALT
from asn_analysis.data.synthetic.codebook import GENERATOR, REFERENCE_DATE, SKM_PERIODS
from asn_analysis.data.synthetic.competencies import (
    COMPETENCY_NOISE_SD,
    IT_OUTSIDE_MISMATCH_SEGMENT_PROB,
    SEGMENT_NAMES,
    SEGMENTS,
)
from asn_analysis.data.synthetic.regency import ROLLOUT_COHORTS, ROLLOUT_PROGRAMS, SELECTION_PROGRAM
from asn_analysis.data.synthetic.skm import (
    SKM_GAMMA_JPM,
    SKM_GAMMA_MISMATCH,
    SKM_MISSING_UNIT_PERIODS,
    SKM_SHORT_SHARE,
)
from asn_analysis.data.synthetic.training import (
    REASSESSMENT_DRIFT,
    REASSESSMENT_NOISE_SD,
    ROLLOUT_LEVEL_SHIFT,
    SELECTION_OUTCOME,
    SELECTION_PARTICIPATION,
)

__all__ = ["make_ground_truth"]


def make_ground_truth(
    *,
    seed: int,
    n_employees: int,
    staff: pd.DataFrame,
    units: pd.DataFrame,
    comp: dict[str, Any],
    perf_truth: dict[str, Any],
    survey_truth: dict[str, Any],
    rollout: dict[str, Any],
    selection: dict[str, Any],
    reassess: dict[str, Any],
    training_truth: dict[str, Any],
    skm_truth: dict[str, Any],
) -> dict[str, Any]:
    """Assemble the ``ground_truth`` dict from what every stage returned.

    Returns
    -------
    dict
        JSON-ready (after :func:`.writing.write`'s conversion) true parameters, sample
        effects, calibration and ``notes``.
    """
    it_out = staff["_it_outside"].to_numpy()
    mismatch = staff["_mismatch"].to_numpy()
    segments = staff["_segment"].to_numpy()
    labels = dict(zip(staff["employee_id"], segments, strict=True))
    seg_counts = pd.Series(segments).value_counts()
    unit_skm = skm_truth["unit_skm"]
    sp = dict(SELECTION_PARTICIPATION)
    so = dict(SELECTION_OUTCOME)
    treated_units = rollout["unit_cohort"]
    notes = [
        "All data are synthetic; NIPs have the valid form but belong to nobody and names are "
        "random combinations.",
        "Every employee is employed for the whole 2022-2025 window: PNS were appointed by 2021, "
        "PPPK in the first half of 2024 (no attrition, no transfers between units).",
        f"years_of_service is counted to {REFERENCE_DATE}.",
        "PNS baseline assessments are spread through 2022, PPPK baseline assessments lie in "
        "July-August 2024 (2024-S2); about 85 % of employees are reassessed in 2025-S2 on all "
        "10 competencies.",
        "About 1 % of employee-years are missing from performance (no appraisal recorded).",
        "SKM: unit-periods "
        + ", ".join(f"{u} {p}" for u, p in SKM_MISSING_UNIT_PERIODS)
        + " have no survey at all (never-treated units).",
        f"SKM: about {int(SKM_SHORT_SHARE * 100)} % of unit-periods fall 10-40 % short of the "
        "Krejcie-Morgan sample size (see skm_answer_model.n_unit_periods_short); the rest meet "
        "it or exceed it by up to 8 %.",
        "SKM: about 2 % of element answers are blank; about 1-2 % of respondent demographics "
        "are blank.",
        "Staff survey: wave 2023-S2 covers PNS only; response about 75 % per wave (lower in the "
        "resisten segment); about 3 % of item answers are blank.",
        "Training: reaction_score is missing for about 5 % of rows, pre_test/post_test for about "
        "8 % of rows and for all leadership programmes (no tests).",
        "Training: 'Pelatihan Teknis Digitalisasi Layanan' targets each participant's own "
        "technical competency, so its competency_targeted varies by row.",
        "Roll-out: attendance shares are of the unit's front-line staff assessed before the "
        "training; PPPK (baseline July-August 2024) attend from cohort 2024-S2 on, and "
        "Dinas Kesehatan PPPK (cohort 2024-S1) are not trained.",
        "Only the roll-out programmes and the selection programme change competency levels; "
        "other programmes have no effect on the reassessment.",
        "Unit mismatch share and mean JPM for the SKM model are from baseline assessments of "
        "all staff of the unit and are constant over time.",
        "Performance latent includes segment shifts (kompeten_berkinerja +0.5, resisten -0.5) "
        "that are not observed; they are the only omitted part of the performance model.",
        "Dinas Kesehatan staff start with lower komunikasi and pelayanan_publik levels "
        "(the gap the case-study evaluation found) and its SKM kompetensi and perilaku elements "
        "start lower.",
        "Class sizes are near 35 (30-40) for large programmes; smaller programmes and leadership "
        "cohorts run as single smaller classes.",
    ]
    return {
        "synthetic": True,
        "seed": int(seed),
        "n_employees": n_employees,
        "generator": GENERATOR,
        "salt": {
            "value": SYNTHETIC_SALT,
            # The note names the module of version 1 of the generator; it is kept so that
            # regenerated data stays byte-for-byte the bundled data.
            "note": (
                "employee_id = HMAC-SHA256(key=salt, msg=nip)[:16] as in "
                "asn_analysis.privacy.pseudonymize; this public salt is safe only because the "
                "data are synthetic. Employee-level truths are keyed by employee_id."
            ),
        },
        "reference_date": REFERENCE_DATE,
        "calibration": {
            "job_type_shares": {
                k: float(v) for k, v in staff["job_type"].value_counts(normalize=True).items()
            },
            "pppk_share": float((staff["status"] == "PPPK").mean()),
            "female_share": float((staff["gender"] == "P").mean()),
            "teacher_share": float((staff["group"] == "teacher").mean()),
            "health_worker_share": float((staff["group"] == "health").mean()),
            "training_share_meeting_20_jp_by_year": training_truth["share_meeting_20_jp_by_year"],
        },
        "rollout": {
            "programs": [p for p, *_ in ROLLOUT_PROGRAMS],
            "competencies_targeted": [c for _, c, _ in ROLLOUT_PROGRAMS],
            "cohorts": {k: list(v) for k, v in ROLLOUT_COHORTS.items()},
            "first_treated_period": dict(treated_units),
            "never_treated_units": [u for u in units["unit_id"] if u not in treated_units],
            "attendance_share_of_front_line": rollout["unit_share"],
            "front_line": (
                "fungsional and pelaksana staff of the unit assessed before the training "
                "(PPPK from cohort 2024-S2 on)"
            ),
            "n_attendees": int(rollout["attend"].sum()),
            "periods": list(SKM_PERIODS),
        },
        "ikm_effect": skm_truth["ikm_effect"],
        "competency_training_effect": {
            "definition": (
                "sample ATT on the reassessed (2025-S2) level among roll-out attendees who were "
                "reassessed: mean of Y1 - Y0 from common random numbers"
            ),
            "att_level": reassess["rollout_att"],
            "latent_shift": dict(ROLLOUT_LEVEL_SHIFT),
            "n_attendees_reassessed": reassess["rollout_n"],
            "reassessment_drift": REASSESSMENT_DRIFT,
            "reassessment_noise_sd": REASSESSMENT_NOISE_SD,
        },
        "selection_program": {
            "program": SELECTION_PROGRAM[0],
            "year": SELECTION_PROGRAM[3],
            "competency_targeted": "teknis_<job_family> of the participant's position",
            "eligible": "PNS, all job types except jpt_pratama",
            "outcome": "reassessed (2025-S2) level of the targeted technical competency",
            "confounders": [
                "age (2024 - birth_year)",
                "education (D4 or higher)",
                "years_of_service",
                "job_type",
                "baseline level of the targeted competency",
            ],
            "confounder_columns": [
                "birth_year",
                "education",
                "years_of_service",
                "job_type",
                "baseline_level",
            ],
            "participation_model": sp,
            "outcome_model": so,
            **reassess["selection"],
            "bias_of_naive": reassess["selection"]["naive_difference"]
            - reassess["selection"]["att"],
        },
        "mismatch": {
            "definition": (
                "baseline level held in teknis_<job_family> below the position's required level"
            ),
            "jpm_definition": (
                "sum of held levels / sum of required levels x 100 over the 10 competencies of "
                "the position at the baseline assessment, total capped at 100"
            ),
            "rate_it_outside_diskominfo": float(mismatch[it_out].mean()),
            "n_it_outside_diskominfo": int(it_out.sum()),
            "rate_elsewhere": float(mismatch[~it_out].mean()),
            "rate_overall": float(mismatch.mean()),
            "performance_model": (
                "ordered logit per employee-year: latent = b_jpm * (jpm - jpm_centre) / "
                "jpm_scale + b_mis * mismatch + job_type_effect + unit_effect + segment_shift + "
                "logistic noise; predikat by cutpoints (sangat_kurang < kurang < "
                "butuh_perbaikan < baik < sangat_baik)"
            ),
            **perf_truth,
            "unit_mismatch_share": unit_skm["mismatch_share"],
            "unit_mean_jpm": unit_skm["mean_jpm"],
            "skm": {
                "gamma_mismatch_share_latent": SKM_GAMMA_MISMATCH,
                "gamma_mean_jpm_latent": SKM_GAMMA_JPM,
                "ame_converted_ikm_per_unit_mismatch_share": unit_skm[
                    "ame_converted_ikm_per_unit_mismatch_share"
                ],
                "ame_converted_ikm_per_jpm_point": unit_skm["ame_converted_ikm_per_jpm_point"],
                "discrete_change_converted_ikm_per_0_1_mismatch_share": unit_skm[
                    "discrete_change_converted_ikm_per_0_1_mismatch_share"
                ],
                "ame_definition": (
                    "mean over observed unit-periods of the derivative of expected converted "
                    "IKM (closed form, E[answer | x] = clip(x, 1, 4)) with respect to the unit "
                    "covariate"
                ),
            },
            "unit_segment_propensity": {
                "kesenjangan_teknis": comp["unit_mismatch_propensity"],
                "kesenjangan_manajerial": comp["unit_managerial_gap_propensity"],
            },
        },
        "resistance": survey_truth,
        "segments": {
            "names": list(SEGMENT_NAMES),
            "definitions": SEGMENTS,
            "competency_noise_sd": COMPETENCY_NOISE_SD,
            "it_outside_diskominfo_kesenjangan_teknis_prob": IT_OUTSIDE_MISMATCH_SEGMENT_PROB,
            "rules": (
                "held level = round(required + segment shift + N(0, competency_noise_sd)) "
                "clipped to 1-5; kesenjangan_manajerial is not assigned where the required "
                "managerial level is 1; kesenjangan_teknis has probability 0.5 in "
                "teknologi_informasi posts outside Diskominfo"
            ),
            "shares": {k: float(seg_counts.get(k, 0) / len(segments)) for k in SEGMENT_NAMES},
            "labels": labels,
            "recovery_features": [
                "baseline gap (held - required) of the 8 managerial competencies and "
                "perekat_bangsa",
                "jpm",
                "resistance score in wave 2023-S2",
                "mean predikat rank (sangat_kurang 1 ... sangat_baik 5)",
            ],
        },
        "skm_answer_model": skm_truth["skm_answer_model"],
        "notes": notes,
    }
