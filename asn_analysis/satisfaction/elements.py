"""Per-element diagnostics of the SKM: the weakest elements and their change between periods.

PermenPANRB No. 14 Tahun 2017 asks units to follow up the elements (*unsur*) with the lowest
NRR; :func:`weakest_elements` lists them per unit, and :func:`element_change` tests whether each
element and the converted IKM moved between two survey periods (Welch's t-test; delta method
for the IKM).

References
----------
.. [1] PermenPANRB No. 14 Tahun 2017, Lampiran: tindak lanjut hasil SKM.
.. [2] Welch, B. L. (1947). The generalization of "Student's" problem when several different
   population variances are involved. *Biometrika*, 34(1-2), 28-35.

Examples
--------
>>> import pandas as pd
>>> from asn_analysis.satisfaction import ELEMENTS
>>> df = pd.DataFrame({key: [3, 4] for key in ELEMENTS}).assign(biaya=[2, 2])
>>> weakest_elements(df, by=None, n=1)[["rank", "element", "label", "nrr"]]
   rank element        label  nrr
0     1   biaya  Biaya/Tarif  2.0
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from asn_analysis._validation import check_int, check_level, check_option, show_list, show_value
from asn_analysis.satisfaction.inputs import (
    SHOW,
    By,
    ElementSpec,
    OnEmpty,
    SatisfactionInputError,
    Weight,
    by_list,
    check_frame,
    check_weight,
    columns_hint,
    combine,
    group_codes,
    group_nrr,
    prepare,
)
from asn_analysis.satisfaction.regulation import CONVERSION_FACTOR, ELEMENT_LABELS

__all__ = ["element_change", "weakest_elements"]


def weakest_elements(
    responses: pd.DataFrame,
    *,
    by: By = "unit_id",
    n: int = 3,
    elements: ElementSpec = None,
    on_empty: OnEmpty = "raise",
) -> pd.DataFrame:
    """List each group's lowest-scoring elements (lowest NRR).

    Parameters
    ----------
    responses : pandas.DataFrame
        As in :func:`ikm`.
    by : column name or list of column names, default "unit_id"
        Groups; ``None`` for all responses together.
    n : int, default 3
        Number of lowest ranks to keep per group.
    elements, on_empty
        As in :func:`ikm`. With ``on_empty="nan"`` an element without answers is left out of
        its group's ranking.

    Returns
    -------
    pandas.DataFrame
        Long table ``[*by, "rank", "element", "label", "nrr", "n_answered"]`` sorted by group,
        rank and element order. ``rank`` 1 is the lowest NRR; tied NRRs share the lowest rank
        (``method="min"``), and every element ranked ``<= n`` is kept, so a tie at the cut-off
        returns more than `n` rows rather than dropping one arbitrarily. ``label`` is the
        official unsur name.

    Raises
    ------
    SatisfactionInputError
        As :func:`ikm`.
    OptionError
        When `n` is not a whole number of at least 1, or `on_empty` is invalid.

    Notes
    -----
    NRR as in :func:`ikm`. Lowest NRRs point to the unsur to improve first (PermenPANRB
    No. 14 Tahun 2017 asks units to follow up the weakest unsur).

    References
    ----------
    .. [1] PermenPANRB No. 14 Tahun 2017, Lampiran: tindak lanjut hasil SKM.

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import ELEMENTS, weakest_elements
    >>> answers = {key: [3, 4, 3] for key in ELEMENTS}
    >>> answers["waktu"] = [2, 2, 3]
    >>> answers["sarana"] = [2, 3, 3]
    >>> df = pd.DataFrame({"unit_id": "U1", **answers})
    >>> weakest_elements(df, n=2)[["rank", "element", "nrr"]]
       rank element       nrr
    0     1   waktu  2.333333
    1     2  sarana  2.666667
    """
    check_option("on_empty", on_empty, OnEmpty)
    check_int("n", n, 1)
    prep = prepare(responses, by=by, elements=elements)
    nrr = group_nrr(prep, on_empty)
    ranked = np.where(np.isnan(nrr), np.inf, nrr)
    rank = (ranked[:, None, :] < ranked[:, :, None]).sum(axis=2) + 1
    keep = (rank <= n) & ~np.isnan(nrr)
    g_idx, j_idx = np.nonzero(keep)
    order = np.lexsort((j_idx, rank[g_idx, j_idx], g_idx))
    g_idx, j_idx = g_idx[order], j_idx[order]
    keys = np.array(prep.keys, dtype=object)
    out: dict[Hashable, Any] = {
        col: prep.groups.keys[col].iloc[g_idx].reset_index(drop=True) for col in prep.groups.by
    }
    out["rank"] = rank[g_idx, j_idx].astype(np.int64)
    out["element"] = pd.array(keys[j_idx], dtype="str")
    out["label"] = pd.array([ELEMENT_LABELS[k] for k in keys[j_idx]], dtype="str")
    out["nrr"] = nrr[g_idx, j_idx]
    out["n_answered"] = prep.answered[g_idx, j_idx]
    return pd.DataFrame(out, index=pd.RangeIndex(len(g_idx)))


def element_change(
    responses: pd.DataFrame,
    *,
    before: Hashable,
    after: Hashable,
    by: By = "unit_id",
    period_col: Hashable = "period",
    level: float = 0.95,
    elements: ElementSpec = None,
    weight: Weight = "exact",
) -> pd.DataFrame:
    r"""Compare element NRRs and the converted IKM between two periods, per group.

    Parameters
    ----------
    responses : pandas.DataFrame
        As in :func:`ikm`, with a period column.
    before, after : period labels
        Values of `period_col` to compare (e.g. ``"2024-S1"`` and ``"2024-S2"``). Rows of other
        periods are ignored.
    by : column name or list of column names, default "unit_id"
        Groups compared separately; ``None`` for all responses together. Must not include
        `period_col`.
    period_col : column name, default "period"
        Period column.
    level : float, default 0.95
        Confidence level of the intervals.
    elements, weight
        As in :func:`ikm`.

    Returns
    -------
    pandas.DataFrame
        Per group, one row per element then one row ``element="ikm_converted"``: ``[*by,
        "element", "label", "nrr_before", "nrr_after", "diff", "se", "ci_low", "ci_high",
        "pvalue", "n_before", "n_after", "t", "df"]``. For element rows ``nrr_*`` are NRRs
        (1-4) and ``n_*`` count the answers; for the ``ikm_converted`` row they are converted
        IKMs (25-100) and respondent counts. ``diff`` is after minus before; ``pvalue`` is
        two-sided.

    Raises
    ------
    SatisfactionInputError
        As :func:`ikm`; when `period_col` is missing or in `by`, `before` or `after` does not
        occur, `before` equals `after`, a group lacks one of the periods, or an element has no
        answers in a group and period.
    OptionError
        An invalid `weight` or `level`, before the data are checked.

    Notes
    -----
    Respondents are assumed independent between the two periods (different people, or
    unlinked questionnaires) and i.i.d. within a group and period.

    *Elements*: Welch's t-test on the answers of the respondents who answered the element:
    :math:`se = \sqrt{s_b^2/n_b + s_a^2/n_a}`, Welch-Satterthwaite degrees of freedom, and
    :math:`diff \pm t_{1-\alpha/2, df} \, se` as interval; the same numbers as
    ``scipy.stats.ttest_ind(after, before, equal_var=False)``. With one answer in a period the
    variance is undefined and se, t, p and the interval are NaN. When both variances are zero,
    df is set to 1 as scipy does.

    *Converted IKM*: delta method (linearisation). With :math:`w_j` the element weight and
    :math:`n_j` the answers to element :math:`j` in the group and period, respondent :math:`i`
    contributes :math:`u_i = 25 \sum_j w_j \, \delta_{ij} (x_{ij} - NRR_j) / n_j`
    (:math:`\delta_{ij}` = 1 if answered) and :math:`\widehat{Var} = n/(n-1) \sum_i u_i^2` over
    the n respondents. This accounts for the correlation between elements and for blanks; without
    blanks it equals the squared standard error of the mean of the respondents' converted scores,
    so the test is then exactly Welch's t-test on those scores. Degrees of freedom are
    Welch-Satterthwaite with :math:`n - 1` per period.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several different
       population variances are involved. *Biometrika*, 34(1-2), 28-35.
    .. [2] Wolter, K. M. (2007). *Introduction to Variance Estimation* (2nd ed.). Springer,
       ch. 6 (Taylor series / linearisation).
    .. [3] PermenPANRB No. 14 Tahun 2017 (NRR and IKM).

    Examples
    --------
    >>> import pandas as pd
    >>> from asn_analysis.satisfaction import ELEMENTS, element_change
    >>> before = {key: [3, 3, 2, 3] for key in ELEMENTS}
    >>> after = {key: [3, 4, 3, 4] for key in ELEMENTS}
    >>> df = pd.concat([
    ...     pd.DataFrame({"unit_id": "U1", "period": "2024-S1", **before}),
    ...     pd.DataFrame({"unit_id": "U1", "period": "2024-S2", **after}),
    ... ])
    >>> out = element_change(df, before="2024-S1", after="2024-S2")
    >>> last = out.iloc[-1]
    >>> last["element"], float(last["nrr_before"]), float(last["nrr_after"]), float(last["diff"])
    ('ikm_converted', 68.75, 87.5, 18.75)
    >>> round(float(last["pvalue"]), 4)  # = ttest_ind([75, 100, 75, 100], [75, 75, 50, 75])
    0.0981
    """
    check_weight(weight)
    check_level(level)
    problems: list[str] = []
    check_frame(responses, problems)
    by_cols = by_list(by)
    if period_col in by_cols:
        problems.append(f"period_col={period_col!r} must not be one of the by= columns")
    if before == after:
        problems.append(f"before= and after= are the same period {before!r}")
    mask = np.zeros(len(responses), dtype=bool)
    if period_col not in responses.columns:
        problems.append(
            f"column {period_col!r} (period_col) is not in responses (columns: "
            f"{columns_hint(responses)})"
        )
    else:
        periods = responses[period_col]
        for name, label in (("before", before), ("after", after)):
            hit = (periods == label).to_numpy(dtype=bool, na_value=False)
            if not hit.any():
                seen = pd.unique(periods.dropna())
                problems.append(
                    f"{name}={label!r} does not occur in column {period_col!r} (values: "
                    f"{show_list(sorted(map(str, seen)), len(seen))})"
                )
            mask |= hit
    if problems:
        # validate the rest too, so that one error lists everything
        prepare(responses, by=by, elements=elements, problems=problems)
    sub = responses.loc[mask]
    prep = prepare(sub, by=[*by_cols, period_col], elements=elements, keep_rows=True)
    assert prep.rows is not None
    cells = prep.groups
    is_after = (cells.keys[period_col] == after).to_numpy(dtype=bool)
    base = group_codes(cells.keys, by_cols, problems)
    assert base is not None
    n_groups = base.size
    cell_of = np.full((n_groups, 2), -1, dtype=np.intp)
    cell_of[base.codes, is_after.astype(np.intp)] = np.arange(cells.size)
    lacking = (cell_of < 0).any(axis=1)
    if lacking.any():
        names = [base.describe(g) for g in np.flatnonzero(lacking)[:SHOW]]
        more = f" ... ({int(lacking.sum())} in all)" if lacking.sum() > SHOW else ""
        raise SatisfactionInputError(
            f"groups without responses in both periods {before!r} and {after!r} of column "
            f"{period_col!r}: {'; '.join(names)}{more}; filter them out first"
        )
    k = len(prep.elements)
    empty = prep.answered[cell_of] == 0  # (G, 2, k)
    if empty.any():
        found = np.argwhere(empty)[:SHOW]
        names = [
            f"{base.describe(g)}, {period_col}={show_value((before, after)[p])}: "
            f"{prep.elements[j].key!r}"
            for g, p, j in found
        ]
        raise SatisfactionInputError(
            f"no answers for an element in a group and period, so its NRR is undefined: "
            f"{'; '.join(names)}. Use elements= to leave the element out."
        )
    rows = prep.rows
    answered = ~np.isnan(rows)
    filled = np.where(answered, rows, 0.0)
    squares = np.column_stack(
        [
            np.bincount(cells.codes, weights=filled[:, j] ** 2, minlength=cells.size)
            for j in range(k)
        ]
    ).reshape(cells.size, k)
    total = prep.total[cell_of]
    count = prep.answered[cell_of].astype(np.float64)
    sq = squares[cell_of]
    mean = total / count
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.maximum(sq - total * total / count, 0.0) / (count - 1.0)
    var = np.where(count > 1, var, np.nan)
    v_elem = var / count  # squared SE of each NRR, (G, 2, k)

    # delta method for the converted IKM
    w = np.full(k, 1.0 / k if weight == "exact" else float(weight))
    cell_mean = prep.total / prep.answered
    u = (
        np.where(answered, rows - cell_mean[cells.codes], 0.0) * (w / prep.answered[cells.codes])
    ).sum(axis=1) * CONVERSION_FACTOR
    n_cell = cells.n.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        v_cell = np.bincount(cells.codes, weights=u * u, minlength=cells.size) * (
            n_cell / (n_cell - 1.0)
        )
    v_cell = np.where(n_cell > 1, v_cell, np.nan)
    ikm_cell = combine(cell_mean, weight) * CONVERSION_FACTOR

    est = np.concatenate([mean, ikm_cell[cell_of][:, :, None]], axis=2)  # (G, 2, k+1)
    v = np.concatenate([v_elem, v_cell[cell_of][:, :, None]], axis=2)
    nn = np.concatenate([count, n_cell[cell_of][:, :, None]], axis=2)
    diff = est[:, 1] - est[:, 0]
    v_sum = v[:, 0] + v[:, 1]
    se = np.sqrt(v_sum)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = v_sum**2 / (v[:, 0] ** 2 / (nn[:, 0] - 1.0) + v[:, 1] ** 2 / (nn[:, 1] - 1.0))
        df = np.where(v_sum == 0, 1.0, df)  # both variances zero: scipy's convention
        t = diff / se
    pvalue = 2.0 * sps.t.sf(np.abs(t), df)
    crit = sps.t.ppf(0.5 + level / 2.0, df)
    ci_low = diff - crit * se
    ci_high = diff + crit * se

    m = k + 1
    g_rep = np.repeat(np.arange(n_groups), m)
    names = np.array([*prep.keys, "ikm_converted"], dtype=object)
    labels = [ELEMENT_LABELS[key] for key in prep.keys] + ["IKM (nilai konversi)"]
    out: dict[Hashable, Any] = {
        col: base.keys[col].iloc[g_rep].reset_index(drop=True) for col in base.by
    }
    out["element"] = pd.array(np.tile(names, n_groups), dtype="str")
    out["label"] = pd.array(np.tile(np.array(labels, dtype=object), n_groups), dtype="str")
    out["nrr_before"] = est[:, 0].ravel()
    out["nrr_after"] = est[:, 1].ravel()
    out["diff"] = diff.ravel()
    out["se"] = se.ravel()
    out["ci_low"] = ci_low.ravel()
    out["ci_high"] = ci_high.ravel()
    out["pvalue"] = pvalue.ravel()
    out["n_before"] = nn[:, 0].ravel().astype(np.int64)
    out["n_after"] = nn[:, 1].ravel().astype(np.int64)
    out["t"] = t.ravel()
    out["df"] = df.ravel()
    return pd.DataFrame(out, index=pd.RangeIndex(n_groups * m))
