"""Competency gaps and training needs: held minus required level, per employee and per unit.

* :func:`competency_gaps` - held against required level for every employee and competency of
  their position's standard (PermenPANRB No. 38 Tahun 2017);
* :func:`unit_gaps` - the share below standard and the mean gap per unit and competency;
* :func:`training_needs` - ranked training priorities per unit and competency, with the JP
  hours they need against the 20 JP yearly right (PP No. 17 Tahun 2020).

References
----------
.. [1] Peraturan Menteri PANRB No. 38 Tahun 2017 tentang Standar Kompetensi Jabatan ASN.
.. [2] Peraturan Pemerintah No. 17 Tahun 2020 (the right to 20 JP of competency development a
   year).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from asn_analysis._validation import check_positive
from asn_analysis.competency.inputs import (
    AsOf,
    OnProblem,
    as_list,
    attach_employees,
    parse_as_of,
)
from asn_analysis.competency.match import match_assessments
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.overview import JP_RIGHT_PER_YEAR

__all__ = ["JP_PER_LEVEL", "competency_gaps", "training_needs", "unit_gaps"]

#: Default assumption of :func:`training_needs`: JP of training that raise a held level by one.
#: Not a regulation: about one classical 5-day course (the bundled programmes run 16-40 JP).
JP_PER_LEVEL = 40.0


def competency_gaps(
    assessments: pd.DataFrame,
    standards: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    as_of: AsOf = None,
    on_problem: OnProblem = "raise",
) -> pd.DataFrame:
    r"""List held against required level for every employee and competency of their standard.

    Parameters
    ----------
    assessments, standards, employees : pandas.DataFrame
        As in :func:`job_person_match`.
    as_of : date-like, optional
        Latest assessment on or before this date (default: latest of all).
    on_problem : {"raise", "exclude"}, default "raise"
        As in :func:`job_person_match`.

    Returns
    -------
    pandas.DataFrame
        One row per employee and competency of the position's standard: ``employee_id``,
        ``competency`` and ``group`` (categoricals), ``required``, ``held`` and
        ``gap = held - required`` (negative below standard; small integers, int16).
        ``attrs["excluded"]`` as in :func:`job_person_match`.

    Raises
    ------
    CompetencyInputError
        As :func:`job_person_match`.

    Notes
    -----
    ``gap`` follows BKN gap-analysis practice (held minus standard). The shortfall
    :math:`\max(0, r - h)` used by :func:`unit_gaps` and :func:`training_needs` is its negative
    part.

    References
    ----------
    .. [1] PermenPANRB No. 38 Tahun 2017 (standar kompetensi jabatan).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(
    ...     ds.competency_assessments, ds.competency_standards, ds.employees, as_of="2025-06-30"
    ... )
    >>> list(gaps.columns)
    ['employee_id', 'competency', 'group', 'required', 'held', 'gap']
    >>> len(gaps) == 10 * len(ds.employees)
    True
    """
    m = match_assessments(assessments, standards, employees, as_of=as_of, on_problem=on_problem)
    std = m.std
    needed = m.required > 0
    n, k = needed.shape
    flat = None if needed.all() else np.flatnonzero(needed.ravel())
    size = n * k if flat is None else len(flat)
    comp = std.slot_competency[m.position_code].ravel()
    grp = std.slot_group[m.position_code].ravel()
    # required, held and gap share one int16 block, filled in place (no consolidation copy).
    block = np.empty((3, size), dtype=np.int16)
    if flat is None:
        block[0] = m.required.ravel()
        block[1] = m.held.ravel()
    else:
        comp, grp = comp[flat], grp[flat]
        block[0] = m.required.ravel()[flat]
        block[1] = m.held.ravel()[flat]
    np.subtract(block[1], block[0], out=block[2])
    ids = m.employees["employee_id"]
    if flat is None and isinstance(ids.dtype, np.dtype):
        id_column = np.repeat(ids.to_numpy(), k)
    else:
        id_column = ids.array.take(np.repeat(np.arange(n), k) if flat is None else flat // k)
    labels = pd.DataFrame(
        {
            "employee_id": id_column,
            "competency": pd.Categorical.from_codes(comp, categories=std.competencies),
            "group": pd.Categorical.from_codes(grp, categories=std.groups),
        },
        copy=False,  # fresh arrays owned here: no copy of up to 10^8 rows
    )
    levels = pd.DataFrame(block.T, columns=["required", "held", "gap"], copy=False)
    out = pd.concat([labels, levels], axis=1)
    out.attrs = {
        "as_of": None if as_of is None else str(parse_as_of(as_of).date()),
        "excluded": m.excluded,
    }
    return out


def unit_gaps(
    gaps: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_id",
    min_group: int = MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Summarise competency gaps per unit (or other group) and competency.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Output of :func:`competency_gaps`.
    employees : pandas.DataFrame
        ``employee_id`` and the `by` columns.
    by : str or sequence of str, default "unit_id"
        Grouping columns (from `gaps` or `employees`).
    min_group : int, default 5
        Groups with fewer employees get ``small_group`` True (privacy: do not export them as is).

    Returns
    -------
    pandas.DataFrame
        One row per group and competency: the `by` columns, ``competency``, ``group``, ``n``
        (employees whose standard has the competency), ``n_below`` (held < required),
        ``share_below``, ``mean_gap`` (mean of held - required over all n, negative below
        standard), ``mean_shortfall_below`` (mean of required - held among those below; NaN if
        none) and ``small_group``. Sorted by `by`, then share below (largest first).

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                        as_of="2025-06-30")
    >>> table = unit_gaps(gaps, ds.employees)
    >>> bool(table["share_below"].between(0, 1).all())
    True
    """
    keys = as_list(by)
    data = attach_employees(gaps, employees, keys)
    gap = (data["held"].to_numpy(np.int64) - data["required"].to_numpy(np.int64)).astype(float)
    frame = pd.DataFrame(
        {
            **{k: data[k] for k in keys},
            "competency": data["competency"],
            "group": data["group"] if "group" in data.columns else "",
            "gap": gap,
            "below": gap < 0,
            "shortfall": np.where(gap < 0, -gap, np.nan),
        }
    )
    grouped = frame.groupby([*keys, "competency"], observed=True, sort=True)
    out = grouped.agg(
        group=("group", "first"),
        n=("gap", "size"),
        n_below=("below", "sum"),
        mean_gap=("gap", "mean"),
        mean_shortfall_below=("shortfall", "mean"),
    ).reset_index()
    out["share_below"] = out["n_below"] / out["n"]
    out["small_group"] = out["n"] < min_group
    cols = [*keys, "competency", "group", "n", "n_below", "share_below", "mean_gap"]
    cols += ["mean_shortfall_below", "small_group"]
    out = out[cols].sort_values([*keys, "share_below"], ascending=[True] * len(keys) + [False])
    return out.reset_index(drop=True)


def training_needs(
    gaps: pd.DataFrame,
    employees: pd.DataFrame,
    *,
    by: str | Sequence[str] = "unit_id",
    jp_per_level: float = JP_PER_LEVEL,
    jp_right: float = JP_RIGHT_PER_YEAR,
    min_group: int = MIN_GROUP_SIZE,
    suppress: bool = True,
) -> pd.DataFrame:
    """Rank training priorities per unit and competency, with the JP hours they need.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Output of :func:`competency_gaps`.
    employees : pandas.DataFrame
        ``employee_id`` and the `by` columns.
    by : str or sequence of str, default "unit_id"
        Planning groups.
    jp_per_level : float, default 40
        Assumed JP (jam pelajaran) of training that raise a held level by one. No regulation
        fixes this; 40 JP is about one classical 5-day course. Set it from your own training
        evaluations (e.g. Kirkpatrick level 2-3 results).
    jp_right : float, default 20
        Yearly right to competency development per employee, in JP (PP 17/2020).
    min_group : int, default 5
        Groups with fewer employees are flagged ``suppressed`` (privacy, UU 27/2022).
    suppress : bool, default True
        Blank the numbers of flagged groups (NaN) and leave them unranked, so that the table can
        be exported as is. False keeps the numbers (for internal analysis).

    Returns
    -------
    pandas.DataFrame
        One row per group and competency with at least one employee below standard, ranked:
        ``rank`` (1 = highest priority), the `by` columns, ``competency``, ``group``, ``n``,
        ``n_below``, ``share_below``, ``mean_shortfall`` (levels, among those below),
        ``priority`` (``n_below x mean_shortfall``: total levels missing), ``jp_needed``
        (``priority x jp_per_level``), ``jp_per_employee`` (for one employee below standard),
        ``years_of_right`` (``jp_per_employee / jp_right``: years of the full yearly right this
        competency alone would take) and ``suppressed``. ``attrs`` records the assumptions and
        counts of groups without need and suppressed groups.

    Notes
    -----
    Priority ranks groups by the total number of levels missing, so a gap shared by many
    employees ranks above a large gap of one; ties are broken by the share below standard.
    JP needed assume training closes gaps linearly at `jp_per_level` JP per level.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> gaps = competency_gaps(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                        as_of="2025-06-30")
    >>> needs = training_needs(gaps, ds.employees)
    >>> int(needs["rank"].iloc[0])
    1
    """
    check_positive("jp_per_level", jp_per_level)
    check_positive("jp_right", jp_right)
    keys = as_list(by)
    table = unit_gaps(gaps, employees, by=keys, min_group=min_group)
    n_without = int((table["n_below"] == 0).sum())
    out = table[table["n_below"] > 0].copy()
    out = out.rename(columns={"mean_shortfall_below": "mean_shortfall"})
    out["priority"] = out["n_below"] * out["mean_shortfall"]
    out["jp_needed"] = out["priority"] * jp_per_level
    out["jp_per_employee"] = out["mean_shortfall"] * jp_per_level
    out["years_of_right"] = out["jp_per_employee"] / jp_right
    out["suppressed"] = out["small_group"]
    out = out.drop(columns=["small_group", "mean_gap"])
    ranked = ~out["suppressed"] if suppress else pd.Series(True, index=out.index)
    out = pd.concat(
        [
            out[ranked].sort_values(
                ["priority", "share_below", *keys, "competency"],
                ascending=[False, False] + [True] * (len(keys) + 1),
            ),
            out[~ranked].sort_values([*keys, "competency"]),
        ]
    )
    out.insert(0, "rank", pd.array(np.arange(1, len(out) + 1), dtype="Int64"))
    out.loc[~ranked.reindex(out.index).to_numpy(), "rank"] = pd.NA
    numbers_ = ["n", "n_below", "share_below", "mean_shortfall", "priority", "jp_needed"]
    numbers_ += ["jp_per_employee", "years_of_right"]
    if suppress and (~ranked).any():
        out[["n", "n_below"]] = out[["n", "n_below"]].astype("Int64")
        out.loc[out["suppressed"], numbers_] = np.nan
    out = out.reset_index(drop=True)
    out.attrs = {
        "jp_per_level": jp_per_level,
        "jp_right": jp_right,
        "min_group": min_group,
        "n_groups_without_need": n_without,
        "n_suppressed": int(out["suppressed"].sum()),
        "assumption": f"{jp_per_level:g} JP of training raise a held level by one (assumed)",
    }
    return out
