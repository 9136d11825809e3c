"""Stage 2 of the generator: competency standards, employee segments and baseline levels.

Each position gets required levels for the eight managerial competencies, ``perekat_bangsa``
and its technical competency (PermenPANRB 38/2017). Employees are drawn into four segments
(:data:`SEGMENTS`) whose shifts move the held levels away from the required ones; the
technical level below the required one is the planted *mismatch*, and JPM (sum held / sum
required x 100, capped at 100) follows from the baseline assessment.

Examples
--------
>>> from asn_analysis.data.synthetic.staff import make_staffing
>>> standards = make_standards(make_staffing(600))
>>> standards.columns.tolist()
['position', 'competency', 'group', 'required_level']
>>> SEGMENT_NAMES
('kompeten_berkinerja', 'kesenjangan_teknis', 'kesenjangan_manajerial', 'resisten')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from asn_analysis.data.synthetic.codebook import (
    MANAGERIAL_COMPETENCIES,
    SOSIAL_KULTURAL_COMPETENCIES,
)
from asn_analysis.data.synthetic.draws import random_busdays
from asn_analysis.data.synthetic.regency import (
    DINKES,
    REQ_MANAGERIAL,
    REQ_TECHNICAL,
)

__all__ = [
    "COMPETENCY_NOISE_SD",
    "IT_OUTSIDE_MISMATCH_SEGMENT_PROB",
    "NON_TECHNICAL_COMPETENCIES",
    "SEGMENTS",
    "SEGMENT_NAMES",
    "make_baseline",
    "make_standards",
]


# ---------------------------------------- Segments (gap-profile, performance and resistance shifts)
SEGMENTS: dict[str, dict[str, Any]] = {
    "kompeten_berkinerja": {
        "description_id": "kompetensi di atas standar, kinerja tinggi, resistensi rendah",
        "description_en": "competencies above standard, high performance, low resistance",
        "managerial_shift": 1.0,
        "technical_shift": 0.85,
        "performance_shift": 0.8,
        "resistance_shift": -1.0,
        "base_share": 0.33,
    },
    "kesenjangan_teknis": {
        "description_id": "kompetensi teknis di bawah standar jabatan (ketidaksesuaian jabatan)",
        "description_en": "technical competency below the post's standard (job mismatch)",
        "managerial_shift": 0.0,
        "technical_shift": -1.8,
        "performance_shift": 0.0,
        "resistance_shift": -0.5,
        "base_share": 0.08,
    },
    "kesenjangan_manajerial": {
        "description_id": "kompetensi manajerial dan sosial kultural di bawah standar",
        "description_en": "managerial and socio-cultural competencies below standard",
        "managerial_shift": -1.3,
        "technical_shift": 0.3,
        "performance_shift": 0.0,
        "resistance_shift": 0.0,
        "base_share": 0.27,
    },
    "resisten": {
        "description_id": (
            "kompetensi memadai tetapi resistensi tinggi terhadap evaluasi, keterlibatan rendah"
        ),
        "description_en": (
            "adequate competencies but high resistance to evaluation, low engagement"
        ),
        "managerial_shift": 0.7,
        "technical_shift": 0.5,
        "performance_shift": -0.9,
        "resistance_shift": 1.1,
        "base_share": 0.31,
    },
}
SEGMENT_NAMES = tuple(SEGMENTS)
COMPETENCY_NOISE_SD = 0.4
IT_OUTSIDE_MISMATCH_SEGMENT_PROB = 0.5
_DINKES_GAP_SHIFT = {"komunikasi": -0.5, "pelayanan_publik": -0.5}


# --------------------------------------------------------------- Standards and baseline assessments
NON_TECHNICAL_COMPETENCIES = MANAGERIAL_COMPETENCIES + SOSIAL_KULTURAL_COMPETENCIES


def make_standards(staff: pd.DataFrame) -> pd.DataFrame:
    """Return ``competency_standards``: the required level of each position's 10 competencies.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff with position, job_family and grade.

    Returns
    -------
    pandas.DataFrame
        position, competency, group, required_level; positions sorted by name.
    """
    pos = (
        staff[["position", "job_family", "grade"]]
        .drop_duplicates("position")
        .sort_values("position", kind="stable")
    )
    rows = []
    for p in pos.itertuples(index=False):
        for c in MANAGERIAL_COMPETENCIES:
            rows.append((p.position, c, "manajerial", REQ_MANAGERIAL[p.grade]))
        rows.append((p.position, "perekat_bangsa", "sosial_kultural", REQ_MANAGERIAL[p.grade]))
        rows.append((p.position, f"teknis_{p.job_family}", "teknis", REQ_TECHNICAL[p.grade]))
    out = pd.DataFrame(rows, columns=["position", "competency", "group", "required_level"])
    out["required_level"] = out["required_level"].astype(np.int64)
    return out


def make_baseline(
    staff: pd.DataFrame,
    standards: pd.DataFrame,
    units: pd.DataFrame,
    rng_seg: np.random.Generator,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Draw segments and the baseline assessment of every employee.

    Parameters
    ----------
    staff : pandas.DataFrame
        Staff from :func:`.staff.make_people`.
    standards : pandas.DataFrame
        From :func:`make_standards`.
    units : pandas.DataFrame
        The ``units`` table.
    rng_seg, rng : numpy.random.Generator
        Generators of the segments and of the levels and dates.

    Returns
    -------
    dict
        ``staff`` (with segment, JPM, mismatch and baseline date), ``levels`` (held level per
        competency, ``"technical"`` for the position's own), ``assessments`` and the unit
        segment propensities.
    """
    staff = staff.copy()
    n = len(staff)
    req_m = staff["grade"].map(REQ_MANAGERIAL).to_numpy().astype(float)
    req_t = staff["grade"].map(REQ_TECHNICAL).to_numpy().astype(float)

    # Unit-level segment propensities: mismatch and managerial-gap shares vary by unit.
    unit_ids = units["unit_id"].to_numpy()
    # Unit shares of kesenjangan_teknis (B) and kesenjangan_manajerial (C) vary by unit, so that
    # unit mismatch share and mean JPM vary; kompeten_berkinerja (A) and resisten (D) share the
    # rest in a fixed ratio. C is impossible where the required managerial level is 1, and B
    # has a fixed high probability in IT posts outside Diskominfo.
    wb = np.clip(
        SEGMENTS["kesenjangan_teknis"]["base_share"]
        * np.exp(rng_seg.normal(0, 0.6, len(unit_ids))),
        0.02,
        0.25,
    )
    wc = SEGMENTS["kesenjangan_manajerial"]["base_share"] * np.exp(
        rng_seg.normal(0, 0.3, len(unit_ids))
    )
    unit_pos = {u: i for i, u in enumerate(unit_ids)}
    ui = staff["unit_id"].map(unit_pos).to_numpy()
    it_out = staff["_it_outside"].to_numpy()
    # Rescale so that the staff-weighted mean equals the base share whatever the draw of the
    # largest unit (Dinas Pendidikan holds about half the staff).
    wb = np.clip(
        wb * SEGMENTS["kesenjangan_teknis"]["base_share"] / wb[ui[~it_out]].mean(), 0.02, 0.3
    )
    wc = wc * SEGMENTS["kesenjangan_manajerial"]["base_share"] / wc[ui].mean()
    p_b = np.where(it_out, IT_OUTSIDE_MISMATCH_SEGMENT_PROB, wb[ui])
    p_c = np.where(req_m > 1, wc[ui] * (1 - p_b), 0.0)
    a_share = SEGMENTS["kompeten_berkinerja"]["base_share"]
    d_share = SEGMENTS["resisten"]["base_share"]
    rest = 1 - p_b - p_c
    probs = np.column_stack(
        [rest * a_share / (a_share + d_share), p_b, p_c, rest * d_share / (a_share + d_share)]
    )
    cum = probs.cumsum(axis=1)
    seg_idx = (rng_seg.random(n)[:, None] > cum).sum(axis=1)
    seg_idx = np.minimum(seg_idx, 3)
    segment = np.array(SEGMENT_NAMES, dtype=object)[seg_idx]
    staff["_segment"] = segment.astype(str)
    m_shift = np.array([SEGMENTS[s]["managerial_shift"] for s in SEGMENT_NAMES])[seg_idx]
    t_shift = np.array([SEGMENTS[s]["technical_shift"] for s in SEGMENT_NAMES])[seg_idx]

    # Held levels at baseline: required + segment shift (+ Dinas Kesehatan gap) + noise.
    levels = {}
    dinkes = staff["unit_id"].to_numpy() == DINKES
    for c in NON_TECHNICAL_COMPETENCIES:
        x = req_m + m_shift + rng.normal(0, COMPETENCY_NOISE_SD, n)
        if c in _DINKES_GAP_SHIFT:
            x = x + _DINKES_GAP_SHIFT[c] * dinkes
        levels[c] = np.clip(np.floor(x + 0.5), 1, 5).astype(np.int64)
    xt = req_t + t_shift + rng.normal(0, COMPETENCY_NOISE_SD, n)
    levels["technical"] = np.clip(np.floor(xt + 0.5), 1, 5).astype(np.int64)

    held_sum = sum(levels[c] for c in NON_TECHNICAL_COMPETENCIES) + levels["technical"]
    req_sum = req_m * len(NON_TECHNICAL_COMPETENCIES) + req_t
    jpm = np.minimum(100.0, 100.0 * held_sum / req_sum)
    mismatch = levels["technical"] < req_t
    staff["_jpm"] = jpm
    staff["_mismatch"] = mismatch
    staff["_req_m"] = req_m
    staff["_req_t"] = req_t

    # Baseline dates: PNS spread through 2022, PPPK in July-August 2024 (2024-S2, before the
    # roll-out classes of that semester).
    pppk = staff["status"].to_numpy() == "PPPK"
    dates = np.empty(n, dtype="datetime64[D]")
    dates[~pppk] = random_busdays(rng, "2022-01-03", "2022-12-24", int((~pppk).sum()))
    dates[pppk] = random_busdays(rng, "2024-07-01", "2024-08-31", int(pppk.sum()))
    staff["_baseline_date"] = dates

    competencies = [*NON_TECHNICAL_COMPETENCIES, "technical"]
    frames = []
    for order, c in enumerate(competencies):
        comp_names = (
            ("teknis_" + staff["job_family"]).to_numpy() if c == "technical" else np.full(n, c)
        )
        frames.append(
            pd.DataFrame(
                {
                    "nip": staff["nip"].to_numpy(),
                    "competency": comp_names,
                    "level": levels[c],
                    "assessed_on": dates,
                    "_order": order,
                }
            )
        )
    assessments = pd.concat(frames, ignore_index=True)
    assessments["assessed_on"] = pd.to_datetime(assessments["assessed_on"].to_numpy())
    assessments["competency"] = assessments["competency"].astype(str)
    assessments = assessments[["nip", "competency", "level", "assessed_on", "_order"]]
    return {
        "staff": staff,
        "levels": levels,
        "assessments": assessments,
        "unit_mismatch_propensity": dict(zip(unit_ids, wb, strict=True)),
        "unit_managerial_gap_propensity": dict(zip(unit_ids, wc, strict=True)),
    }
