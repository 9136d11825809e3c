"""Reassignment suggestions: moves between posts that would raise a unit's total JPM.

Within each unit (and job type), :func:`reassignment_suggestions` solves the assignment problem
of the employees to the posts they hold, maximising the sum of their Job Person Match against
the competency standards of the posts (PermenPANRB No. 38 Tahun 2017). The moves it returns are
suggestions for a personnel committee, never decisions.

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 tentang Standar Kompetensi Jabatan ASN.
.. [2] Crouse, D. F. (2016). On implementing 2D rectangular assignment algorithms. *IEEE
   Transactions on Aerospace and Electronic Systems*, 52(4), 1679-1696
   (``scipy.optimize.linear_sum_assignment``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from asn_analysis._validation import check_columns, check_option
from asn_analysis.competency.inputs import (
    AsOf,
    Cap,
    CompetencyInputError,
    OnProblem,
    as_list,
    assessment_dates,
    day_after,
    parse_as_of,
    whole_levels,
)
from asn_analysis.competency.match import match_assessments

__all__ = ["SUGGESTION_STATUS", "reassignment_suggestions"]

#: Status of every suggested move (Bahasa Indonesia / English).
SUGGESTION_STATUS = "usulan, bukan keputusan / suggestion only, not a decision"


def _latest_levels(
    assessments: pd.DataFrame, employees: pd.DataFrame, as_of: pd.Timestamp | None
) -> pd.DataFrame:
    """Employee x competency matrix of the latest held level (NaN where never assessed)."""
    a = assessments
    if as_of is not None:
        dates = assessment_dates(a["assessed_on"], "assessments")
        a = a[dates < day_after(as_of)]
    if "assessed_on" in a.columns:
        a = a.sort_values("assessed_on", kind="stable")
    a = a.assign(level=whole_levels(a["level"], "assessments", "level").astype(float))
    latest = a.groupby(["employee_id", "competency"], observed=True, sort=False)["level"].last()
    wide = latest.unstack("competency")
    return wide.reindex(pd.Index(employees["employee_id"]))


def reassignment_suggestions(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    within: str | Sequence[str] = "unit_id",
    same_job_type: bool = True,
    as_of: AsOf = None,
    cap: Cap = "total",
    on_problem: OnProblem = "raise",
) -> pd.DataFrame:
    r"""Suggest moves between posts that maximise total JPM (suggestions only, not decisions).

    Parameters
    ----------
    assessments, standards, employees : pandas.DataFrame
        As in :func:`job_person_match`.
    within : str or sequence of str, default "unit_id"
        Employees are reassigned only among the posts of their own group (default: their unit).
    same_job_type : bool, default True
        Also keep every move within the job type (struktural posts to struktural, and so on).
    as_of : date-like, optional
        Latest assessments on or before this date.
    cap : {"total", "per_competency"}, default "total"
        JPM cap (see :func:`job_person_match`).
    on_problem : {"raise", "exclude"}, default "raise"
        As in :func:`job_person_match`; excluded employees are not moved.

    Returns
    -------
    pandas.DataFrame
        One row per suggested move: the group columns, ``employee_id``, ``from_position``,
        ``to_position``, ``jpm_from``, ``jpm_to``, ``gain`` (``jpm_to - jpm_from``; one move can
        lower someone's JPM when it raises the group's total more) and ``status`` (a reminder that
        this is a suggestion). ``attrs["groups"]`` lists per group the employees, moves and total
        JPM before and after; ``attrs["notes"]`` the assumptions.

    Notes
    -----
    Within each group the posts currently held are the seats to fill. With :math:`JPM_{ij}` the
    JPM employee :math:`i` would have against the standard of post :math:`j`, the assignment
    :math:`\sigma` maximises :math:`\sum_i JPM_{i\sigma(i)}`
    (``scipy.optimize.linear_sum_assignment``).
    An employee never assessed on a competency of post :math:`j` cannot be placed there. Ties are
    resolved in favour of staying (a bonus of 1e-7 JPM points for the current post), so no
    move is suggested without a strict gain in the group's total.

    These are suggestions for a personnel committee, **not decisions**: the assignment sees only
    the competency standard, not grade and rank rules (a move between grades is a promotion or
    demotion, governed by other rules), qualifications, performance, preferences or the needs of
    the service.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> moves = reassignment_suggestions(ds.competency_assessments, ds.competency_standards,
    ...                                  ds.employees, as_of="2025-06-30")
    >>> bool((moves["gain"].groupby(moves["unit_id"]).sum() > 0).all())
    True
    """
    check_option("cap", cap, Cap)
    keys = as_list(within)
    if same_job_type and "job_type" not in keys:
        keys.append("job_type")
    check_columns(
        employees, "employees", ["employee_id", "position", *keys], error=CompetencyInputError
    )
    m = match_assessments(assessments, standards, employees, as_of=as_of, on_problem=on_problem)
    std = m.std
    scored = m.employees
    levels = _latest_levels(assessments, scored, parse_as_of(as_of))
    held_by_comp = np.full((len(scored), len(std.competencies)), np.nan)
    cols = std.competencies.get_indexer(levels.columns)
    ok = cols >= 0
    held_by_comp[:, cols[ok]] = levels.to_numpy(dtype=float)[:, ok]

    group_rows = []
    moves = []
    for key, idx in scored.groupby(keys, sort=True, observed=True).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        pos = m.position_code[idx]
        distinct, seat_post = np.unique(pos, return_inverse=True)
        held = held_by_comp[idx]  # (n, n_comp)
        score = np.empty((len(idx), len(distinct)))
        for j, p in enumerate(distinct):
            comps = std.slot_competency[p]
            req = std.slot_required[p]
            used = comps >= 0
            h = held[:, comps[used]]
            r = req[used].astype(float)
            h_used = np.minimum(h, r) if cap == "per_competency" else h
            s = 100.0 * h_used.sum(axis=1) / r.sum()
            if cap == "total":
                s = np.minimum(s, 100.0)
            s[np.isnan(h).any(axis=1)] = -np.inf
            score[:, j] = s
        value = score[:, seat_post]  # employee x seat
        current = value[np.arange(len(idx)), np.arange(len(idx))]
        bonus = np.eye(len(idx)) * 1e-7
        cost = np.where(np.isfinite(value), -(value + bonus), np.inf)
        _, seat = linear_sum_assignment(cost)
        new = value[np.arange(len(idx)), seat]
        moved = seat_post[seat] != seat_post
        group_rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n_employees": len(idx),
                "n_moves": int(moved.sum()),
                "total_jpm_before": float(current.sum()),
                "total_jpm_after": float(new.sum()),
                "gain": float(new.sum() - current.sum()),
            }
        )
        for i in np.flatnonzero(moved):
            moves.append(
                {
                    **dict(zip(keys, key, strict=True)),
                    "employee_id": scored["employee_id"].iloc[idx[i]],
                    "from_position": std.positions[distinct[seat_post[i]]],
                    "to_position": std.positions[distinct[seat_post[seat[i]]]],
                    "jpm_from": current[i],
                    "jpm_to": new[i],
                    "gain": new[i] - current[i],
                }
            )
    cols_out = [*keys, "employee_id", "from_position", "to_position", "jpm_from", "jpm_to", "gain"]
    out = pd.DataFrame(moves, columns=cols_out)
    out = out.sort_values([*keys, "gain"], ascending=[True] * len(keys) + [False])
    out = out.reset_index(drop=True)
    out["status"] = SUGGESTION_STATUS
    out.attrs = {
        "groups": pd.DataFrame(group_rows),
        "excluded": m.excluded,
        "notes": (
            "Suggestions only, not decisions: the optimisation sees competency standards only, "
            "not grade rules, qualifications, performance or preferences.",
            f"Moves stay within {', '.join(keys)}; cap={cap}.",
        ),
    }
    return out
