"""What notebooks share: the data banner, the sections the data supports, the tables shown.

Every notebook opens with :func:`synthetic_banner`; each of its sections starts with
:func:`section`, which says in one bilingual line when the data lacks the tables the section
needs (:mod:`asn_analysis.reporting.coverage`) so the section is skipped; and every table with
counts of people or statistics over groups of people is shown with :func:`show`, which applies
the small-cell rule of :mod:`asn_analysis.reporting.disclosure` first. :func:`plain_warnings`
makes the analyses' own warnings read as one plain bilingual line (:func:`warning_line`), without
the source path Python prints, in a notebook and in the main job's summary alike.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis._validation import Lang, check_lang, check_option
from asn_analysis.data import Dataset
from asn_analysis.data.privacy import MIN_GROUP_SIZE
from asn_analysis.errors import AsnAnalysisWarning
from asn_analysis.reporting.coverage import ANALYSES, coverage
from asn_analysis.reporting.disclosure import (
    HIDDEN,
    SUPPRESSED,
    DisclosureSpecError,
    disclosure_note,
    is_hidden,
    protect,
    protect_crosstab,
)

__all__ = [
    "SYNTHETIC_WARNING",
    "TABLE_MIME",
    "WARNING_WORDS",
    "ShownTable",
    "plain_warnings",
    "section",
    "show",
    "synthetic_banner",
    "warning_line",
]

#: The machine-readable form of a table :func:`show` displays (beside its text), read back by
#: the tests that scan executed notebooks for small cells.
TABLE_MIME = "application/vnd.asn-analysis.table+json"

#: The warning shown wherever bundled synthetic data is analysed, per language.
SYNTHETIC_WARNING = {
    "id": "DATA SINTETIS: bukan data riil Kabupaten Mamuju atau data seseorang.",
    "en": "SYNTHETIC DATA: not real data of Kabupaten Mamuju or of any person.",
}


#: Plain bilingual words for the analyses' warnings a reader can meet (English, Indonesian),
#: by warning class name; any other :class:`~asn_analysis.errors.AsnAnalysisWarning` is shown
#: with its own message under a bilingual label.
WARNING_WORDS = {
    "InsufficientAnswersWarning": (
        "some staff-survey respondents answered too few items of a scale; their score on it is "
        "left blank and counted",
        "sebagian responden survei pegawai menjawab terlalu sedikit butir suatu skala; skornya "
        "dikosongkan dan dihitung",
    ),
    "ReverseKeyWarning": (
        "an item of the staff survey looks reverse-keyed; check the item map",
        "satu butir survei pegawai tampak terbalik; periksa peta butir",
    ),
}


def warning_line(message: Warning | str, category: type[Warning]) -> str:
    """Return one analysis warning as a plain bilingual line, without a source path.

    Parameters
    ----------
    message : Warning or str
        The warning (its text is kept, whitespace collapsed, as the detail in brackets).
    category : type
        Its class; the classes of :data:`WARNING_WORDS` get plain words.

    Returns
    -------
    str

    Examples
    --------
    >>> from asn_analysis.scales import InsufficientAnswersWarning
    >>> print(warning_line("NaN scores per scale: 'threat': 4.", InsufficientAnswersWarning))
    ... # doctest: +NORMALIZE_WHITESPACE
    Some staff-survey respondents answered too few items of a scale; their score on it is left
    blank and counted / Sebagian responden survei pegawai menjawab terlalu sedikit butir suatu
    skala; skornya dikosongkan dan dihitung (NaN scores per scale: 'threat': 4.)
    """
    detail = " ".join(str(message).split())
    words = WARNING_WORDS.get(category.__name__)
    if words is None:
        return f"Note from the analysis / Catatan analisis: {detail}"
    en, id_ = words
    return f"{en[0].upper()}{en[1:]} / {id_[0].upper()}{id_[1:]} ({detail})"


def plain_warnings() -> None:
    """Show the analyses' warnings as plain bilingual lines on stdout, each distinct one once.

    Python prints a warning with the path of the library file that raised it, which means
    nothing to a reader and would be committed with the executed notebook. Called in a
    notebook's first cell, this hook prints :func:`warning_line` instead for every
    :class:`~asn_analysis.errors.AsnAnalysisWarning`; other warnings are shown as Python
    shows them.

    Examples
    --------
    >>> import warnings
    >>> from asn_analysis.scales import ReverseKeyWarning
    >>> before = warnings.showwarning
    >>> plain_warnings()
    >>> warnings.warn("item t3", ReverseKeyWarning)  # doctest: +NORMALIZE_WHITESPACE
    An item of the staff survey looks reverse-keyed; check the item map / Satu butir survei
    pegawai tampak terbalik; periksa peta butir (item t3)
    >>> warnings.showwarning = before  # undo for the other examples
    """
    shown: set[str] = set()
    python_shows = warnings.showwarning

    def hook(message, category, filename, lineno, file=None, line=None):
        if not issubclass(category, AsnAnalysisWarning):
            python_shows(message, category, filename, lineno, file, line)
            return
        text = warning_line(message, category)
        if text not in shown:
            shown.add(text)
            print(text, file=sys.stdout)

    warnings.showwarning = hook


def synthetic_banner(
    dataset: Dataset, *, data_path: str = "", lang: Lang | None = None, **settings: Any
) -> str:
    """Return the lines a notebook opens with: the synthetic-data warning and the data source.

    Parameters
    ----------
    dataset : Dataset
        The loaded dataset; the warning is shown only when it is the synthetic data.
    data_path : str, default ""
        The notebook's ``data_path`` parameter ("" = the bundled data).
    lang : {"id", "en"}, optional
        Language of the warning; both languages by default.
    **settings
        Further parameters named on the data line (``as_of="2025-06-30"``).

    Returns
    -------
    str
        The warning line(s), if any, then ``data: <source> | <name>: <value> ...``.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> print(synthetic_banner(load_dataset(), lang="en", scheme="pemetaan"))
    SYNTHETIC DATA: not real data of Kabupaten Mamuju or of any person.
    data: bundled data/synthetic | scheme: pemetaan
    """
    if lang is not None:
        check_lang(lang)
    lines = []
    if dataset.is_synthetic:
        lines += [SYNTHETIC_WARNING[k] for k in ("id", "en") if lang in (None, k)]
    source = " ".join(
        ["data:", data_path or "bundled data/synthetic"]
        + [f"| {name}: {value}" for name, value in settings.items()]
    )
    return "\n".join([*lines, source])


def section(dataset: Dataset, key: str, *, quiet: bool = False) -> bool:
    """Say whether the data supports a notebook section; if not, print why, in one line.

    Parameters
    ----------
    dataset : Dataset
        The loaded dataset.
    key : str
        The analysis the section shows (a key of
        :data:`asn_analysis.reporting.coverage.ANALYSES`).
    quiet : bool, default False
        Print nothing (for the further cells of a section whose first cell said it).

    Returns
    -------
    bool
        True when every table the analysis needs is given.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> section(load_dataset(), "talent")
    True
    """
    check_option("key", key, tuple(a.key for a in ANALYSES))
    cov = coverage(dataset.tables_present)
    if cov.supports(key):
        return True
    if not quiet:
        print(cov.section_line(key))
    return False


class ShownTable:
    """A protected table as a notebook shows it: its text and its machine-readable form.

    Jupyter displays the text (``text/plain``); the JSON form (:data:`TABLE_MIME`) holds the
    shown cells and which columns are counts of people, so a test can check every executed
    notebook against the small-cell rule.
    """

    def __init__(self, table: pd.DataFrame, text: str, spec: dict[str, Any]) -> None:
        self.table = table
        self.text = text
        self.spec = spec

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def display(self) -> None:
        """Display the table (in a notebook; printed elsewhere)."""
        from IPython.display import display as ipython_display

        ipython_display(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        payload = json.loads(self.table.to_json(orient="split", default_handler=str))
        payload["index_names"] = [str(n) if n is not None else None for n in self.table.index.names]
        return {"text/plain": self.text, TABLE_MIME: {**payload, **self.spec}}


def _is_count_name(column: Any) -> bool:
    name = str(column)
    return name == "n" or name.startswith("n_")


def show(
    table: pd.DataFrame,
    *,
    counts: Sequence[str] = (),
    stats: Mapping[str, str | Sequence[str]] | None = None,
    totals: Mapping[str, str] | None = None,
    crosstab: bool = False,
    margins: Any = "All",
    other_counts: Sequence[str] = (),
    decimals: int | Mapping[str, int] | None = 3,
    index: bool = True,
    lang: Lang | None = None,
    display: bool = True,
) -> ShownTable | None:
    """Protect a table by the small-cell rule, then display it with its disclosure note.

    The one way notebooks show a table of people: the table is rounded for display, then
    :func:`~asn_analysis.reporting.disclosure.protect` (one row per group) or
    :func:`~asn_analysis.reporting.disclosure.protect_crosstab` (a cross-tabulation, with
    complementary suppression) hides every count of 1 to 4 people and every statistic over
    fewer than 5 (UU 27/2022), and the line of
    :func:`~asn_analysis.reporting.disclosure.disclosure_note` follows the table when any cell
    is hidden.

    Parameters
    ----------
    table : pandas.DataFrame
        The table to show.
    counts : sequence of str
        Columns holding counts of people (ignored with ``crosstab=True``: every column not in
        ``stats`` is a count).
    stats : mapping of str to str or sequence of str, optional
        ``{statistic column: count column(s) it is computed over}``.
    totals : mapping of str to str, optional
        ``{count column: total column}`` (secondary suppression of complements).
    crosstab : bool, default False
        The table is a cross-tabulation of counts (with ``margins``).
    margins : hashable or None, default "All"
        Label of the margins of a cross-tabulation.
    other_counts : sequence of str
        Columns named like counts (``n``, ``n_*``) that count something other than people
        (units, unit-periods, rows of a table); every such column must be in ``counts``,
        ``stats`` or here, so none is left out of the rule by oversight.
    decimals : int or mapping, default 3
        Rounding for display (``DataFrame.round``); None keeps the values.
    index : bool, default True
        Show the index.
    lang : {"id", "en"}, optional
        Language of the disclosure note; both by default.
    display : bool, default True
        Display the table (in a notebook; printed elsewhere) and return None; False returns
        it undisplayed (``ShownTable.display()`` shows it), e.g. to draw a figure from the
        protected cells.

    Returns
    -------
    ShownTable or None
        With ``display=False``: the protected table (``.table``), its text (``.text``) and the
        disclosure specification (``.spec``).

    Raises
    ------
    asn_analysis.reporting.disclosure.DisclosureSpecError
        A named column is missing, or a column named like a count is not classified.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A", "B"], "n": [12, 3], "mean": [1.5, 2.0]})
    >>> show(t, counts=["n"], stats={"mean": "n"}, index=False, lang="en")
    unit  n mean
       A 12  1.5
       B <5   <5
    2 cells hidden (<5 = fewer than 5 people; UU 27/2022).
    """
    if lang is not None:
        check_lang(lang)
    stat_spec = {k: [v] if isinstance(v, str) else list(v) for k, v in (stats or {}).items()}
    values = table.copy()
    if decimals is not None:  # numbers only: dates and text are shown as they are
        numeric = values.select_dtypes("number").columns
        values[numeric] = values[numeric].round(decimals)
    if crosstab:
        cells = [c for c in values.columns if c not in stat_spec]
        shown = protect_crosstab(values[cells], margins=margins)
        shown = _protect_stats(values, shown, stat_spec)
        count_cols = cells
    else:
        unclassified = [
            c
            for c in values.columns
            if _is_count_name(c) and c not in {*counts, *stat_spec, *other_counts}
        ]
        if unclassified:
            raise DisclosureSpecError(
                f"columns named like counts but not classified: {unclassified}; list them in "
                "counts= (people) or other_counts= (units, rows)"
            )
        shown = protect(values, counts=counts, stats=stat_spec, totals=totals)
        count_cols = list(counts)
    notes = [disclosure_note(shown, lang=k) for k in ("id", "en") if lang in (None, k)]
    text = "\n".join([shown.to_string(index=index), *(n for n in notes if n)])
    spec = {
        "counts": [str(c) for c in count_cols],
        "stats": stat_spec,
        "crosstab": crosstab,
        "margins": margins if crosstab else None,
        "shown_index": index,
    }
    out = ShownTable(shown, text, spec)
    if not display:
        return out
    out.display()
    return None


def _protect_stats(
    values: pd.DataFrame, shown: pd.DataFrame, stats: dict[str, list[str]]
) -> pd.DataFrame:
    """Add the statistic columns of a cross-tabulation, hidden where their count is."""
    out = shown.copy()
    extra = 0
    for stat, ns in stats.items():
        hide = pd.Series(False, index=values.index)
        few = pd.Series(False, index=values.index)
        for n in ns:
            if n not in values.columns:
                raise DisclosureSpecError(f"the table to show has no column {n!r}")
            number = pd.to_numeric(values[n], errors="coerce")
            few |= (number < MIN_GROUP_SIZE).fillna(True)
            hide |= few | shown[n].map(is_hidden).astype(bool)
        marker = pd.Series(np.where(few, SUPPRESSED, HIDDEN), index=values.index)
        out[stat] = values[stat].astype(object).where(~hide, marker) if hide.any() else values[stat]
        extra += int(hide.sum())
    info = dict(shown.attrs.get("disclosure") or {"primary": 0, "secondary": 0})
    info["secondary"] = int(info.get("secondary", 0)) + extra
    out.attrs["disclosure"] = info
    return out
