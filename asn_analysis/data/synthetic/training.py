"""Stage 5 of the generator: who is trained, the 2025-S2 reassessment, the training table.

The staggered roll-out (two programmes per cohort of units, :data:`.regency.ROLLOUT_COHORTS`)
and the self-selection programme decide who attends; the reassessment draws each trained
competency with and without the training from the same random numbers (CRN), so the stored
effect is the exact sample effect. The training table then adds PPPK orientation, leadership
and regular programmes (programmes from ``programmes.json``) in classes of about 35, with
Kirkpatrick level-1/2 results.

Examples
--------
>>> _class_sizes(75)
[38, 37]
>>> _end_date(np.datetime64("2024-03-04"), 24)
np.datetime64('2024-03-06')
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from asn_analysis.data.synthetic.codebook import PERFORMANCE_YEARS, PPPK_APPOINTMENT_YEAR
from asn_analysis.data.synthetic.competencies import NON_TECHNICAL_COMPETENCIES
from asn_analysis.data.synthetic.draws import random_busdays, stochastic_round
from asn_analysis.data.synthetic.regency import (
    HIGHER_EDUCATION,
    LEADERSHIP_PROGRAMS,
    ORIENTATION_PROGRAM,
    ORIENTATION_SHARE,
    OWN_TECHNICAL,
    REGULAR_PROGRAMS,
    ROLLOUT_COHORTS,
    ROLLOUT_PROGRAMS,
    SELECTION_PROGRAM,
)

__all__ = [
    "REASSESSMENT_DRIFT",
    "REASSESSMENT_NOISE_SD",
    "ROLLOUT_LEVEL_SHIFT",
    "SELECTION_OUTCOME",
    "SELECTION_PARTICIPATION",
    "make_reassessment",
    "make_rollout",
    "make_selection",
    "make_training",
]


# --------------------------------------------------------------------------------- Model parameters
_ROLLOUT_ATTENDANCE = (0.6, 0.8)
# Start dates of roll-out classes inside the cohort semester (month-day).
_ROLLOUT_CLASS_WINDOW = {"S1": ("02-01", "05-01"), "S2": ("09-01", "11-01")}
ROLLOUT_LEVEL_SHIFT = {"komunikasi": 0.7, "pelayanan_publik": 0.7}
SELECTION_PARTICIPATION = {
    "intercept": -2.0,
    "age_per_10y": -0.5,
    "higher_education": 0.7,
    "years_of_service_per_10y": -0.25,
    "baseline_level": 0.5,
    "job_type": {"fungsional": 0.0, "pelaksana": 0.3, "pengawas": 0.2, "administrator": -0.3},
    "age_centre": 45.0,
    "years_of_service_centre": 15.0,
    "baseline_centre": 2.5,
}
SELECTION_OUTCOME = {
    "intercept": 0.2,
    "age_per_10y": -0.3,
    "higher_education": 0.3,
    "years_of_service_per_10y": 0.1,
    "job_type": {
        "jpt_pratama": 0.1,
        "administrator": 0.1,
        "pengawas": 0.05,
        "fungsional": 0.0,
        "pelaksana": -0.1,
    },
    "noise_sd": 0.5,
    "latent_effect": 0.6,
}
REASSESSMENT_DRIFT = 0.1
REASSESSMENT_NOISE_SD = 0.45
_REASSESSMENT_RATE = 0.85
_JP_RIGHT = 20
_JP_TARGET_SHARE = 0.35
_CLASS_SIZE = 35
_CLASS_MAX = 40


# -------------------------------------------------- Roll-out and selection programmes (who attends)
def make_rollout(staff: pd.DataFrame, rng: np.random.Generator) -> dict[str, Any]:
    """Choose the attendees of the staggered roll-out in each treated unit.

    Returns
    -------
    dict
        ``attend`` and ``cohort`` per employee, attendance ``unit_share`` and ``unit_cohort``.
    """
    n = len(staff)
    attend = np.zeros(n, dtype=bool)
    cohort_of = np.full(n, "", dtype=object)
    unit_share: dict[str, float] = {}
    unit_cohort: dict[str, str] = {}
    unit = staff["unit_id"].to_numpy()
    front = staff["_front_line"].to_numpy()
    pppk = staff["status"].to_numpy() == "PPPK"
    for cohort, cohort_units in ROLLOUT_COHORTS.items():
        for uid in cohort_units:
            # Front-line staff assessed before the training: PPPK only from cohort 2024-S2 on
            # (their baseline assessment is in July-August 2024).
            elig = (unit == uid) & front & (~pppk | (cohort >= "2024-S2"))
            share = float(rng.uniform(*_ROLLOUT_ATTENDANCE))
            idx = np.flatnonzero(elig)
            k = int(math.floor(share * len(idx) + 0.5))
            chosen = rng.permutation(idx)[:k]
            attend[chosen] = True
            cohort_of[chosen] = cohort
            unit_share[uid] = k / len(idx) if len(idx) else 0.0
            unit_cohort[uid] = cohort
    return {
        "attend": attend,
        "cohort": cohort_of,
        "unit_share": unit_share,
        "unit_cohort": unit_cohort,
    }


def _selection_design(staff: pd.DataFrame, levels: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    age = (2024 - staff["birth_year"].to_numpy()).astype(float)
    higher = staff["education"].isin(HIGHER_EDUCATION).to_numpy().astype(float)
    yos = staff["years_of_service"].to_numpy().astype(float)
    base = levels["technical"].astype(float)
    return {"age": age, "higher": higher, "yos": yos, "base": base}


def make_selection(
    staff: pd.DataFrame, levels: dict[str, np.ndarray], rng: np.random.Generator
) -> dict[str, Any]:
    """Draw who self-selects into the 2024 technical programme (logistic participation).

    Returns
    -------
    dict
        ``eligible``, ``treated``, ``propensity`` and the ``design`` covariates.
    """
    d = _selection_design(staff, levels)
    sp = SELECTION_PARTICIPATION
    eligible = (staff["status"].to_numpy() == "PNS") & (
        staff["job_type"].to_numpy() != "jpt_pratama"
    )
    jt = staff["job_type"].map(lambda j: sp["job_type"].get(j, 0.0)).to_numpy()
    logit = (
        sp["intercept"]
        + sp["age_per_10y"] * (d["age"] - sp["age_centre"]) / 10
        + sp["higher_education"] * d["higher"]
        + sp["years_of_service_per_10y"] * (d["yos"] - sp["years_of_service_centre"]) / 10
        + sp["baseline_level"] * (d["base"] - sp["baseline_centre"])
        + jt
    )
    p = special.expit(logit)
    treated = eligible & (rng.random(len(staff)) < p)
    return {"eligible": eligible, "treated": treated, "propensity": p, "design": d}


# --------------------------- Reassessment 2025-S2 (common random numbers for every training effect)
def make_reassessment(
    staff: pd.DataFrame,
    comp: dict[str, Any],
    rollout: dict[str, Any],
    selection: dict[str, Any],
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Draw the 2025-S2 reassessment with and without each training (common random numbers).

    Returns
    -------
    dict
        ``reassessed`` flags, ``assessments`` rows and the sample truths of the roll-out
        (``rollout_att``, ``rollout_n``) and of the selection programme (``selection``).
    """
    n = len(staff)
    levels = comp["levels"]
    reassessed = rng.random(n) < _REASSESSMENT_RATE
    dates = random_busdays(rng, "2025-07-01", "2025-12-20", n)
    new_levels: dict[str, np.ndarray] = {}
    y0_y1: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    attend = rollout["attend"]
    for c in NON_TECHNICAL_COMPETENCIES:
        x0 = levels[c] + REASSESSMENT_DRIFT + rng.normal(0, REASSESSMENT_NOISE_SD, n)
        u = rng.random(n)
        y0 = np.clip(stochastic_round(x0, u), 1, 5)
        if c in ROLLOUT_LEVEL_SHIFT:
            y1 = np.clip(stochastic_round(x0 + ROLLOUT_LEVEL_SHIFT[c], u), 1, 5)
            y0_y1[c] = (y0, y1)
            new_levels[c] = np.where(attend, y1, y0).astype(np.int64)
        else:
            new_levels[c] = y0.astype(np.int64)

    # Technical competency: outcome of the self-selection programme.
    d = selection["design"]
    so = SELECTION_OUTCOME
    jt = staff["job_type"].map(so["job_type"]).to_numpy()
    x0 = (
        d["base"]
        + so["intercept"]
        + so["age_per_10y"] * (d["age"] - SELECTION_PARTICIPATION["age_centre"]) / 10
        + so["higher_education"] * d["higher"]
        + so["years_of_service_per_10y"]
        * (d["yos"] - SELECTION_PARTICIPATION["years_of_service_centre"])
        / 10
        + jt
        + rng.normal(0, so["noise_sd"], n)
    )
    u = rng.random(n)
    t0 = np.clip(stochastic_round(x0, u), 1, 5)
    t1 = np.clip(stochastic_round(x0 + so["latent_effect"], u), 1, 5)
    treated = selection["treated"]
    new_levels["technical"] = np.where(treated, t1, t0).astype(np.int64)

    competencies = [*NON_TECHNICAL_COMPETENCIES, "technical"]
    idx = np.flatnonzero(reassessed)
    frames = []
    for order, c in enumerate(competencies):
        names = (
            ("teknis_" + staff["job_family"]).to_numpy()[idx]
            if c == "technical"
            else np.full(len(idx), c)
        )
        frames.append(
            pd.DataFrame(
                {
                    "nip": staff["nip"].to_numpy()[idx],
                    "competency": names,
                    "level": new_levels[c][idx],
                    "assessed_on": pd.to_datetime(dates[idx]),
                    "_order": order,
                }
            )
        )
    assessments = pd.concat(frames, ignore_index=True)
    assessments["competency"] = assessments["competency"].astype(str)

    # Sample truths (CRN).
    att_rollout = {}
    m = attend & reassessed
    for c, (y0, y1) in y0_y1.items():
        att_rollout[c] = float((y1[m] - y0[m]).mean()) if m.any() else float("nan")
    elig = selection["eligible"] & reassessed
    tr = elig & treated
    co = elig & ~treated
    y_obs = new_levels["technical"].astype(float)
    sel_truth = {
        "att": float((t1[tr] - t0[tr]).mean()),
        "naive_difference": float(y_obs[tr].mean() - y_obs[co].mean()),
        "n_treated_reassessed": int(tr.sum()),
        "n_control_reassessed": int(co.sum()),
        "n_treated": int(treated.sum()),
        "n_eligible": int(selection["eligible"].sum()),
        "ate_eligible_reassessed": float((t1[elig] - t0[elig]).mean()),
    }
    return {
        "reassessed": reassessed,
        "assessments": assessments,
        "rollout_att": att_rollout,
        "rollout_n": int(m.sum()),
        "selection": sel_truth,
    }


# ----------------------------------------------------------------------------------- Training table
def _class_sizes(n: int) -> list[int]:
    if n <= 0:
        return []
    k = max(1, int(math.floor(n / _CLASS_SIZE + 0.5)))
    while n / k > _CLASS_MAX:
        k += 1
    base, extra = divmod(n, k)
    return [base + 1 if i < extra else base for i in range(k)]


def _classes(
    rng: np.random.Generator, idx: np.ndarray, unit: np.ndarray, window: tuple[str, str]
) -> list[tuple[np.ndarray, np.datetime64]]:
    """Split participants into classes of about 35 (grouped by unit), one start Monday each.

    Start dates are distinct days of the window: Mondays while there are enough of them, then
    Mondays and Wednesdays, then any weekday.
    """
    if not len(idx):
        return []
    idx = idx[np.lexsort((rng.random(len(idx)), unit[idx]))]
    sizes = _class_sizes(len(idx))
    for weekmask in ("Mon", "Mon Wed", "Mon Tue Wed Thu Fri"):
        first = np.busday_offset(window[0], 0, roll="forward", weekmask=weekmask)
        n_days = int(np.busday_count(first, window[1], weekmask=weekmask))
        if n_days >= len(sizes):
            break
    days = np.busday_offset(first, np.arange(n_days), weekmask=weekmask)
    starts = np.sort(rng.choice(days, size=len(sizes), replace=len(sizes) > n_days))
    bounds = np.cumsum([0, *sizes])
    return [(idx[bounds[i] : bounds[i + 1]], starts[i]) for i in range(len(sizes))]


def _end_date(start: np.datetime64, hours: int) -> np.datetime64:
    days = max(1, math.ceil(hours / 8))
    return np.busday_offset(start, days - 1, roll="forward")


def make_training(
    staff: pd.DataFrame,
    rollout: dict[str, Any],
    selection: dict[str, Any],
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return the ``training`` table and the share of staff meeting the 20 JP right.

    Sessions are the roll-out, the selection programme, PPPK orientation, leadership and
    regular programmes (filling up to about 35 % of active staff meeting 20 JP a year), in
    classes of about 35 with reaction scores and pre/post tests.

    Returns
    -------
    tuple of (pandas.DataFrame, dict)
        ``training`` and ``{"share_meeting_20_jp_by_year": ..., "target_share": ...}``.
    """
    n = len(staff)
    nip = staff["nip"].to_numpy()
    family = staff["job_family"].to_numpy()
    job_type = staff["job_type"].to_numpy()
    unit = staff["unit_id"].to_numpy()
    pppk = staff["status"].to_numpy() == "PPPK"
    tech = ("teknis_" + staff["job_family"]).to_numpy()
    # Each session (one class of one programme): (program, competency per participant, hours,
    # participant indices, start date).
    sessions: list[tuple[str, np.ndarray, int, np.ndarray, np.datetime64]] = []
    special_jp = {y: np.zeros(n) for y in PERFORMANCE_YEARS}

    # 1. Roll-out: both programmes to the same classes, one week after the other.
    attend = rollout["attend"]
    cohort = rollout["cohort"]
    for c in ROLLOUT_COHORTS:
        window = _ROLLOUT_CLASS_WINDOW[c[-2:]]
        window = (f"{c[:4]}-{window[0]}", f"{c[:4]}-{window[1]}")
        for members, start in _classes(rng, np.flatnonzero(attend & (cohort == c)), unit, window):
            for j, (prog, comp, hours) in enumerate(ROLLOUT_PROGRAMS):
                s = np.busday_offset(start, 5 * j, roll="forward")
                sessions.append((prog, np.full(len(members), comp), hours, members, s))
                special_jp[int(c[:4])][members] += hours

    # 2. Self-selection programme (2024), targeting each participant's technical competency.
    prog, _, hours, year = SELECTION_PROGRAM
    sel_idx = np.flatnonzero(selection["treated"])
    special_jp[year][sel_idx] += hours
    for members, start in _classes(rng, sel_idx, unit, (f"{year}-03-01", f"{year}-11-20")):
        sessions.append((prog, tech[members], hours, members, start))

    # 3. Orientation of PPPK and leadership training.
    o_name, o_comp, o_hours = ORIENTATION_PROGRAM
    oriented = np.zeros(n, dtype=bool)
    done_share = 0.0
    for y, share in ORIENTATION_SHARE.items():
        # share = fraction of all PPPK oriented in year y.
        idx = np.flatnonzero(pppk & ~oriented & (rng.random(n) < share / (1 - done_share)))
        done_share += share
        oriented[idx] = True
        special_jp[y][idx] += o_hours
        window = (f"{y}-07-01", f"{y}-12-10") if y == 2024 else (f"{y}-02-01", f"{y}-11-20")
        for members, start in _classes(rng, idx, unit, window):
            sessions.append((o_name, np.full(len(members), o_comp), o_hours, members, start))
    for prog_name, comp, hours, jt, share in LEADERSHIP_PROGRAMS:
        done = np.zeros(n, dtype=bool)
        for y in PERFORMANCE_YEARS:
            idx = np.flatnonzero((job_type == jt) & ~done & (rng.random(n) < share))
            done[idx] = True
            special_jp[y][idx] += hours
            for members, start in _classes(rng, idx, unit, (f"{y}-02-01", f"{y}-09-30")):
                sessions.append((prog_name, np.full(len(members), comp), hours, members, start))

    # 4. Regular programmes fill up to about 35 % of active staff meeting the 20 JP right.
    masks = []
    for _, _, _, elig in REGULAR_PROGRAMS:
        m = np.ones(n, dtype=bool)
        if "family" in elig:
            m &= np.isin(family, elig["family"])
        if "job_type" in elig:
            m &= np.isin(job_type, elig["job_type"])
        masks.append(m)
    masks = np.column_stack(masks)
    general = np.array([e == {} for *_, e in REGULAR_PROGRAMS])
    weight = np.where(general[None, :], 0.6, 1.0) * masks
    hours_reg = np.array([h for _, _, h, _ in REGULAR_PROGRAMS])
    meet_share = {}
    rows_n = np.arange(n)
    for y in PERFORMANCE_YEARS:
        active = ~pppk | (y >= PPPK_APPOINTMENT_YEAR)
        # Weighted choice of one or two eligible programmes (exponential race).
        with np.errstate(divide="ignore"):
            race = -np.log(rng.random((n, len(REGULAR_PROGRAMS)))) / weight
        order = np.argsort(race, axis=1, kind="stable")
        first, second = order[:, 0], order[:, 1]
        two = (rng.random(n) < 0.15) & np.isfinite(race[rows_n, second])
        reg_hours = hours_reg[first] + np.where(two, hours_reg[second], 0)
        already = special_jp[y] >= _JP_RIGHT
        would = (special_jp[y] + reg_hours >= _JP_RIGHT) & ~already
        need = _JP_TARGET_SHARE * active.sum() - (already & active).sum()
        q = float(np.clip(need / max(1, (would & active).sum()), 0.02, 1.0))
        attend_reg = active & (rng.random(n) < q)
        total_jp = special_jp[y] + np.where(attend_reg, reg_hours, 0)
        meet_share[str(y)] = float((total_jp[active] >= _JP_RIGHT).mean())
        for k, (prog_name, comp, hours, _) in enumerate(REGULAR_PROGRAMS):
            idx = np.flatnonzero(attend_reg & ((first == k) | (two & (second == k))))
            for members, start in _classes(rng, idx, unit, (f"{y}-02-01", f"{y}-11-20")):
                comps = tech[members] if comp == OWN_TECHNICAL else np.full(len(members), comp)
                sessions.append((prog_name, comps, hours, members, start))

    # Rows with Kirkpatrick level-1/2 results.
    rows = []
    leadership = {p for p, *_ in LEADERSHIP_PROGRAMS}
    for prog_name, comps, hours, members, s in sessions:
        m = len(members)
        e = _end_date(s, hours)
        class_reaction = rng.normal(4.1, 0.2)
        reaction = np.clip(class_reaction + rng.normal(0, 0.4, m), 1, 5)
        reaction[rng.random(m) < 0.05] = np.nan
        if prog_name in leadership:
            pre = np.full(m, np.nan)
            post = np.full(m, np.nan)
        else:
            class_pre = rng.normal(58, 5)
            pre = np.clip(class_pre + rng.normal(0, 11, m), 5, 100)
            post = np.clip(pre + rng.normal(27, 7, m), 0, 100)
            missing = rng.random(m) < 0.08
            pre[missing] = np.nan
            post[missing] = np.nan
        rows.append(
            pd.DataFrame(
                {
                    "nip": nip[members],
                    "program": prog_name,
                    "competency_targeted": np.asarray(comps).astype(str),
                    "start_date": np.full(m, s),
                    "end_date": np.full(m, e),
                    "hours_jp": np.full(m, hours, dtype=np.int64),
                    "reaction_score": np.round(reaction, 1),
                    "pre_test": np.round(pre, 1),
                    "post_test": np.round(post, 1),
                }
            )
        )
    training = pd.concat(rows, ignore_index=True)
    training["start_date"] = pd.to_datetime(training["start_date"].to_numpy())
    training["end_date"] = pd.to_datetime(training["end_date"].to_numpy())
    training = training.sort_values(["nip", "start_date", "program"], kind="stable").reset_index(
        drop=True
    )
    truth = {"share_meeting_20_jp_by_year": meet_share, "target_share": _JP_TARGET_SHARE}
    return training, truth
