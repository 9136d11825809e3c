"""Disclosure control: the one step every table a reader sees goes through.

The rule (:data:`~asn_analysis.data.privacy.MIN_GROUP_SIZE`, 5): no count of 1 to 4 people
and no statistic computed over fewer than 5 people leaves the library for a reader (workbook,
brief, report cards, tables a notebook displays). Such a cell is shown as :data:`SUPPRESSED`
(``"<5"``). Zero is shown: it tells no one anything about a person. A cell hidden only so that
a small one cannot be worked out (secondary suppression, below) may be large: it is shown as
:data:`HIDDEN` (``"x"``), never as ``"<5"``.

Primary suppression hides the small cells. *Secondary* (complementary) suppression then hides
as few further cells as needed so that no hidden cell can be recovered by subtraction within
the table:

- a count shown with its total in the same row (``totals``: people below standard out of
  ``n``) is hidden when either it or its complement (total minus count) is 1 to 4, since the
  complement is a count of people too; statistics derived from it are hidden with it;
- in a table with margins (a cross-tabulation with an ``All`` row and column), every row and
  column is a sum: wherever a line has exactly one hidden cell, the smallest other shown
  count of that line is hidden as well, until every line holding a hidden cell holds two.

This follows the small-cell practice of statistical agencies (threshold rule with
complementary suppression; Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
ch. 4 and 5) and serves the purpose-limitation and data-minimisation principles of UU No. 27
Tahun 2022 tentang Pelindungan Data Pribadi. Secondary suppression works within one table;
tables that share totals with each other (a unit table and the regency total) are built so
that the totals come from the same shown cells, or the export documents the gap.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"unit": ["A", "B"], "n": [12, 3], "n_below": [2, 1], "mean": [1.5, 2.0]})
>>> protect(t, counts=["n", "n_below"], stats={"mean": "n"}).to_dict("list")
{'unit': ['A', 'B'], 'n': [12, '<5'], 'n_below': ['<5', '<5'], 'mean': [1.5, '<5']}
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from asn_analysis._validation import Lang, check_columns, check_lang
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "HIDDEN",
    "LEGEND",
    "SUPPRESSED",
    "is_hidden",
    "disclosure_note",
    "hides_count",
    "is_small",
    "protect",
    "protect_crosstab",
    "recoverable",
    "violations",
]

#: How a hidden small cell is shown: a count of 1-4 people, or a statistic over fewer than 5.
SUPPRESSED = "<5"
#: How a cell hidden only to protect a small one is shown (complementary suppression): it may
#: be large, so it never reads "<5".
HIDDEN = "x"
#: What the two markers mean, per language.
LEGEND = {
    "id": f"{SUPPRESSED} = kurang dari 5 orang; {HIDDEN} = disembunyikan agar sel "
    f"{SUPPRESSED} tidak dapat dihitung",
    "en": f"{SUPPRESSED} = fewer than 5 people; {HIDDEN} = hidden so that a "
    f"{SUPPRESSED} cell cannot be worked out",
}


class DisclosureSpecError(AsnAnalysisError):
    """A disclosure specification names a column the table does not have."""


def is_small(values: pd.Series | np.ndarray, *, min_n: int = MIN_GROUP_SIZE) -> np.ndarray:
    """Return True where a count of people is 1 to ``min_n - 1`` (hidden by the rule).

    Parameters
    ----------
    values : array-like
        Counts (non-numeric entries, such as an already hidden ``"<5"``, are not small).
    min_n : int, default 5
        Smallest count shown.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> is_small(pd.Series([0, 1, 4, 5, "<5"])).tolist()
    [False, True, True, False, False]
    """
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.dtype.kind in "iuf":  # numbers already: no object copy (called thousands of times)
        return (arr >= 1) & (arr < min_n)
    v = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce")
    return ((v >= 1) & (v < min_n)).to_numpy()


def hides_count(value: float, *, total: float | None = None, min_n: int = MIN_GROUP_SIZE) -> bool:
    """Return True when a count of people must not be shown (the rule for one sentence).

    A count of 1 to ``min_n - 1`` is hidden; so is a count shown with its ``total``
    ("k of n") when ``total - value`` is 1 to ``min_n - 1``, or when the total itself is
    hidden (as :func:`protect` does with ``totals``).

    Examples
    --------
    >>> hides_count(3), hides_count(7, total=9), hides_count(7, total=20), hides_count(0)
    (True, True, False, False)
    """
    if total is not None and (
        hides_count(total, min_n=min_n) or hides_count(total - value, min_n=min_n)
    ):
        return True
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return bool(1 <= value < min_n)  # NaN compares False: not small, as is_small says
    return bool(is_small(np.array([value]), min_n=min_n)[0])


def _as_columns(spec: Mapping[str, str | Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    out = {}
    for stat, n in (spec or {}).items():
        out[stat] = (n,) if isinstance(n, str) else tuple(n)
    return out


def protect(
    table: pd.DataFrame,
    *,
    counts: Sequence[str] = (),
    stats: Mapping[str, str | Sequence[str]] | None = None,
    totals: Mapping[str, str] | None = None,
    summed: Sequence[str] = (),
    min_n: int = MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Apply the small-cell rule to a table with one row per group.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group (unit, unit x competency, segment ...).
    counts : sequence of str
        Columns holding counts of people; 1 to ``min_n - 1`` is hidden.
    stats : mapping of str to str or sequence of str, optional
        ``{statistic column: count column(s)}``. The first count is the number of people the
        statistic is computed over: below ``min_n`` (zero included: a mean over nobody is no
        number) the statistic reads :data:`SUPPRESSED`. Further counts are counts the
        statistic would reveal (a share ``n_below / n`` lists ``("n", "n_below")``): where one
        of them is hidden the statistic is hidden with it (:data:`SUPPRESSED` when that count
        is small, else :data:`HIDDEN`); a shown numerator, zero included, leaves it shown.
    totals : mapping of str to str, optional
        ``{count column: total column}`` for a count that is part of a total shown in the same
        row; the count is hidden also when ``total - count`` is 1 to ``min_n - 1``
        (secondary suppression).
    summed : sequence of str, optional
        Count columns whose sum is published elsewhere (the brief's total of respondents is
        the sum of the IKM sheet's ``n``): when exactly one cell of such a column is hidden,
        the smallest other positive count is hidden too, so the total does not give it away
        (secondary suppression across tables).
    min_n : int, default 5
        Smallest count shown (:data:`~asn_analysis.data.privacy.MIN_GROUP_SIZE`).

    Returns
    -------
    pandas.DataFrame
        A copy; hidden cells hold :data:`SUPPRESSED` (those columns become ``object``).
        ``attrs["disclosure"]`` counts the hidden cells: ``{"primary": k, "secondary": j}``.

    Raises
    ------
    DisclosureSpecError
        A named column is not in the table.

    Examples
    --------
    >>> t = pd.DataFrame({"n": [10, 10], "n_below": [3, 8], "share": [0.3, 0.8]})
    >>> out = protect(t, counts=["n", "n_below"], totals={"n_below": "n"},
    ...               stats={"share": ("n", "n_below")})
    >>> out["n_below"].tolist(), out["share"].tolist(), out.attrs["disclosure"]
    (['<5', 'x'], ['<5', 'x'], {'primary': 2, 'secondary': 2})

    The 8 of 10 is hidden because the other 2 are few; it and its share read ``x``.
    """
    stat_spec = _as_columns(stats)
    total_spec = dict(totals or {})
    named = [*counts, *stat_spec, *(c for n in stat_spec.values() for c in n)]
    named += [*total_spec, *total_spec.values()]
    check_columns(table, "table to protect", list(dict.fromkeys(named)), error=DisclosureSpecError)
    hidden = pd.DataFrame(False, index=table.index, columns=table.columns)
    check_columns(table, "table to protect", list(summed), error=DisclosureSpecError)
    for c in counts:
        hidden[c] = is_small(table[c], min_n=min_n)
    small = hidden.copy()
    for c, total in total_spec.items():
        rest = pd.to_numeric(table[total], errors="coerce") - pd.to_numeric(
            table[c], errors="coerce"
        )
        hidden[c] |= is_small(rest, min_n=min_n) | hidden[total].to_numpy()
    for c in summed:
        if int(hidden[c].sum()) == 1:
            values = pd.to_numeric(table[c], errors="coerce")
            shown = values[~hidden[c].to_numpy() & (values > 0).to_numpy()]
            if not shown.empty:
                hidden.loc[shown.idxmin(), c] = True
    for stat, (n, *revealed) in stat_spec.items():
        values = pd.to_numeric(table[n], errors="coerce")
        over_few = (values < min_n).fillna(False).to_numpy()
        small[stat] |= over_few | small[n].to_numpy()
        hidden[stat] |= over_few | hidden[n].to_numpy()
        for r in revealed:
            small[stat] |= small[r].to_numpy()
            hidden[stat] |= hidden[r].to_numpy()
    return _apply(table, hidden, small)


def _apply(table: pd.DataFrame, hidden: pd.DataFrame, small: pd.DataFrame) -> pd.DataFrame:
    """Write the markers: :data:`SUPPRESSED` where small, :data:`HIDDEN` where hidden to protect."""
    out = table.copy()
    small = small & hidden
    for c in out.columns:
        if hidden[c].any():
            marker = np.where(small[c].to_numpy(), SUPPRESSED, HIDDEN)
            out[c] = out[c].astype(object).where(~hidden[c].to_numpy(), marker)
    k_small, k_all = int(small.to_numpy().sum()), int(hidden.to_numpy().sum())
    out.attrs["disclosure"] = {"primary": k_small, "secondary": k_all - k_small}
    return out


def is_hidden(value: object) -> bool:
    """Return True for a cell the rule hid (:data:`SUPPRESSED` or :data:`HIDDEN`).

    Examples
    --------
    >>> [is_hidden(v) for v in ("<5", "x", 3, "Dinas")]
    [True, True, False, False]
    """
    return isinstance(value, str) and value in (SUPPRESSED, HIDDEN)


def protect_crosstab(
    table: pd.DataFrame, *, margins: Hashable | None = "All", min_n: int = MIN_GROUP_SIZE
) -> pd.DataFrame:
    """Apply the small-cell rule to a cross-tabulation of counts of people.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts (``pandas.crosstab``); other columns (a median beside the counts) are not
        allowed: protect them with :func:`protect`.
    margins : hashable or None, default "All"
        Label of the total row and column (``pandas.crosstab(margins=True)``); None when the
        table has no margins (then only primary suppression is needed).
    min_n : int, default 5
        Smallest count shown.

    Returns
    -------
    pandas.DataFrame
        A copy with hidden cells as :data:`SUPPRESSED`; ``attrs["disclosure"]`` as in
        :func:`protect`.

    Examples
    --------
    >>> t = pd.crosstab(pd.Series(list("aaaaaaabbbbbbbbb"), name="g"),
    ...                 pd.Series(list("ppppppqppppppqqq"), name="c"), margins=True)
    >>> print(protect_crosstab(t).to_string())
    c    p   q  All
    g
    a    x  <5    7
    b    x  <5    9
    All  x  <5   16

    The 1, 3 and 4 of column q are hidden first; each row would then give them away by
    subtraction (7 - 6), so the 6, 6 and 12 beside them are hidden too and read ``x``.
    """
    values = table.apply(pd.to_numeric, errors="coerce")
    if values.isna().to_numpy().any() and not table.isna().to_numpy().any():
        bad = [c for c in table.columns if values[c].isna().any()]
        raise DisclosureSpecError(f"protect_crosstab takes counts only; not counts: {bad}")
    hidden = pd.DataFrame(
        is_small(values.to_numpy().ravel(), min_n=min_n).reshape(values.shape),
        index=table.index,
        columns=table.columns,
    )
    small = hidden.copy()
    if margins is not None and margins in table.index and margins in table.columns:
        _complementary(values, hidden, margins)
    return _apply(table, hidden, small)


def _complementary(values: pd.DataFrame, hidden: pd.DataFrame, margins: Hashable) -> None:
    """Hide further cells until no hidden cell follows from the row and column sums.

    First every line (row or column, margin included) with exactly one hidden cell gets a
    second one; then an audit checks whether any hidden cell is still determined by the sums
    (its unit vector in the row space of the constraints restricted to the hidden cells) and,
    if so, hides the smallest shown cell of its row or column and starts again.
    """
    while True:
        _two_per_line(values, hidden, margins)
        exposed = recoverable(hidden, margins=margins)
        if not exposed:
            return
        r, c = exposed[0]
        line = [(r, k) for k in values.columns] + [(k, c) for k in values.index]
        shown = {cell: values.loc[cell] for cell in line if not hidden.loc[cell]}
        inner = {cell: v for cell, v in shown.items() if margins not in cell}
        positive = {cell: v for cell, v in inner.items() if v > 0}
        pick = positive or inner or shown
        if not pick:  # pragma: no cover - every cell of its row and column is hidden
            return
        hidden.loc[min(pick, key=pick.get)] = True


def _two_per_line(values: pd.DataFrame, hidden: pd.DataFrame, margins: Hashable) -> None:
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = hidden.index if axis == 0 else hidden.columns
            for label in lines:
                line = hidden.loc[label] if axis == 0 else hidden[label]
                if int(line.sum()) != 1:
                    continue
                vals = values.loc[label] if axis == 0 else values[label]
                # Prefer the smallest shown positive inner cell; the margin only as a last resort.
                candidates = vals[~line & (vals.index != margins)]
                positive = candidates[candidates > 0]
                pick = positive if not positive.empty else candidates
                if pick.empty:
                    pick = vals[~line]
                if pick.empty:
                    continue
                target = pick.idxmin()
                if axis == 0:
                    hidden.loc[label, target] = True
                else:
                    hidden.loc[target, label] = True
                changed = True


def recoverable(hidden: pd.DataFrame, *, margins: Hashable = "All") -> list[tuple]:
    """Return the hidden cells of a table with margins that its sums determine.

    Each row and each column of a cross-tabulation with margins is a linear constraint
    (inner cells sum to the margin). A hidden cell is recoverable by subtraction exactly when
    its unit vector lies in the row space of those constraints restricted to the hidden cells.

    Parameters
    ----------
    hidden : pandas.DataFrame of bool
        True where a cell is hidden; index and columns include the ``margins`` label.
    margins : hashable, default "All"
        Label of the total row and column.

    Returns
    -------
    list of (row, column)
        Empty when the suppression pattern is safe.

    Examples
    --------
    >>> h = pd.DataFrame([[True, False, False], [False, False, False], [False, False, False]],
    ...                  index=["a", "b", "All"], columns=["x", "y", "All"])
    >>> recoverable(h)
    [('a', 'x')]
    """
    cells = [(r, c) for r in hidden.index for c in hidden.columns if hidden.loc[r, c]]
    if not cells:
        return []
    col = {cell: j for j, cell in enumerate(cells)}
    lines = [([(r, c) for c in hidden.columns], (r, margins)) for r in hidden.index]
    lines += [([(r, c) for r in hidden.index], (margins, c)) for c in hidden.columns]
    a = np.zeros((len(lines), len(cells)))
    for i, (line, total) in enumerate(lines):
        for cell in line:
            if cell in col:
                a[i, col[cell]] = -1.0 if cell == total else 1.0
    rank = np.linalg.matrix_rank(a)
    out = []
    for cell, j in col.items():
        e = np.zeros((1, len(cells)))
        e[0, j] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            out.append(cell)
    return out


def violations(
    table: pd.DataFrame,
    *,
    counts: Sequence[str] = (),
    stats: Mapping[str, str | Sequence[str]] | None = None,
    min_n: int = MIN_GROUP_SIZE,
) -> list[str]:
    """Return the cells of a table a reader would see that break the small-cell rule.

    For tests and for checking an export: a shown count of 1 to ``min_n - 1`` in ``counts``,
    or a shown statistic in ``stats`` whose count is below ``min_n`` (or hidden).

    Examples
    --------
    >>> t = pd.DataFrame({"n": [3, "<5", 9], "mean": [1.0, 2.0, 3.0]})
    >>> violations(t, counts=["n"], stats={"mean": "n"})
    ['n row 0: 3', 'mean row 0: 1.0 over n=3', 'mean row 1: 2.0 over n=<5']
    """
    out = []
    for c in counts:
        for idx in table.index[is_small(table[c], min_n=min_n)]:
            out.append(f"{c} row {idx}: {table.at[idx, c]}")
    for stat, ns in _as_columns(stats).items():
        for idx in table.index:
            value = table.at[idx, stat]
            if is_hidden(value) or pd.isna(value):
                continue
            for pos, n in enumerate(ns):
                count = table.at[idx, n]
                number = pd.to_numeric(pd.Series([count]), errors="coerce").iloc[0]
                # the count it is computed over must be >= min_n; a count it reveals not 1-4
                few = number < min_n if pos == 0 else 1 <= number < min_n
                if is_hidden(count) or (pd.notna(number) and few):
                    out.append(f"{stat} row {idx}: {value} over {n}={count}")
                    break
    return out


def disclosure_note(table: pd.DataFrame, *, lang: Lang = "id") -> str:
    """Return one line saying how many cells a protected table hides ("" when none).

    Examples
    --------
    >>> t = protect(pd.DataFrame({"n": [2, 9]}), counts=["n"])
    >>> disclosure_note(t, lang="en")
    '1 cell hidden (<5 = fewer than 5 people; UU 27/2022).'
    """
    check_lang(lang)
    info = table.attrs.get("disclosure") or {}
    k = int(info.get("primary", 0)) + int(info.get("secondary", 0))
    if not k:
        return ""
    legend = LEGEND[lang] if info.get("secondary") else LEGEND[lang].split(";")[0]
    if lang == "en":
        cells = "cell" if k == 1 else "cells"
        return f"{k} {cells} hidden ({legend}; UU 27/2022)."
    return f"{k} sel disembunyikan ({legend}; UU 27/2022)."
