"""Bilingual wording for readers: numbers in each language's style, and text chosen by language.

Numbers read 1.234,5 in Bahasa Indonesia and 1,234.5 in English.
Indonesian writes 1.234 for a thousand and 0,75 for a decimal; English the other way round.
Every findings builder, figure and notebook formats its numbers and picks its wording here, so
the two languages stay consistent.
"""

from __future__ import annotations

import numbers

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.disclosure import SUPPRESSED, hides_count

__all__ = [
    "Lang",
    "choose",
    "cell",
    "ci_text",
    "count",
    "interval",
    "number",
    "people",
    "percent",
    "share_of",
]


def choose(lang: Lang, id_text: str, en_text: str) -> str:
    """Return the text in the reader's language.

    Parameters
    ----------
    lang : {"id", "en"}
        Bahasa Indonesia or English.
    id_text, en_text : str
        The same text in each language.

    Returns
    -------
    str
        ``id_text`` for ``"id"``, ``en_text`` for ``"en"``.

    Raises
    ------
    asn_analysis.errors.OptionError
        ``lang`` is neither.

    Examples
    --------
    >>> choose("en", "Jumlah pegawai", "Staff")
    'Staff'
    """
    check_lang(lang)
    return id_text if lang == "id" else en_text


def number(
    value: float, lang: Lang, digits: int = 2, *, sign: bool = False, grouping: bool = False
) -> str:
    """Format a decimal number for the language.

    Parameters
    ----------
    value : float
        The number.
    lang : {"id", "en"}
        Bahasa Indonesia (decimal comma, thousands dot) or English.
    digits : int, default 2
        Decimals shown.
    sign : bool, default False
        Always show the sign (+0,16).
    grouping : bool, default False
        Separate thousands.

    Returns
    -------
    str
        The formatted number.

    Examples
    --------
    >>> number(1234.5, "id", 1, grouping=True), number(0.75, "en")
    ('1.234,5', '0.75')
    """
    spec = f"{'+' if sign else ''}{',' if grouping else ''}.{digits}f"
    text = format(value, spec)
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def count(value: int, lang: Lang) -> str:
    """Format a count with the language's thousands separator (4.500 / 4,500).

    Examples
    --------
    >>> count(4500, "id"), count(4500, "en")
    ('4.500', '4,500')
    """
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "id" else text


def people(value: int, lang: Lang, *, total: int | None = None) -> str:
    """Format a count of people for a sentence, ``"<5"`` when the small-cell rule hides it.

    Every count of people a sentence shows goes through here
    (:func:`asn_analysis.reporting.disclosure.hides_count`): 1 to 4 is hidden, and so is a
    count shown with its ``total`` ("k of n") when ``total - k`` is 1 to 4: it then reads "all
    but <5" (``"semua kecuali <5"``), since ``k`` itself is large.

    Examples
    --------
    >>> people(4500, "id"), people(3, "en"), people(7, "en", total=9), people(7, "en", total=40)
    ('4.500', '<5', 'all but <5', '7')
    """
    if hides_count(value):
        return SUPPRESSED
    if hides_count(value, total=total):
        return f"semua kecuali {SUPPRESSED}" if lang == "id" else f"all but {SUPPRESSED}"
    return count(value, lang)


def share_of(k: int, n: int, lang: Lang, digits: int = 0) -> str:
    """Format ``k`` of ``n`` people as a percentage, unless it would reveal 1 to 4 people.

    A share over a known total is a count in disguise (1% of 300 is 3 people): when
    :func:`people` would hide ``k``, the share reads ``"<5 orang"`` / ``"<5 people"``; when it
    would hide ``n - k`` (all but 1 to 4 people), it reads "nearly all" (``"hampir semua"``),
    never ``"<5"``, since ``k`` is large.

    Examples
    --------
    >>> share_of(70, 100, "id"), share_of(3, 300, "en"), share_of(298, 300, "id")
    ('70%', '<5 people', 'hampir semua')
    """
    if hides_count(k):
        return f"{SUPPRESSED} {'orang' if lang == 'id' else 'people'}"
    if hides_count(k, total=n):
        return "hampir semua" if lang == "id" else "nearly all"
    return percent(k / n, lang, digits)


def percent(value: float, lang: Lang, digits: int = 0) -> str:
    """Format a share (0-1) as a percentage.

    Examples
    --------
    >>> percent(0.314, "id", 1)
    '31,4%'
    """
    return number(100 * value, lang, digits) + "%"


def interval(estimate: float, low: float, high: float, lang: Lang, digits: int = 2) -> str:
    """Format an estimate with its confidence interval: ``0,16 (0,05 s.d. 0,27)``.

    Parameters
    ----------
    estimate, low, high : float
        The estimate and the bounds of its interval.
    lang : {"id", "en"}
        Bahasa Indonesia ("s.d.", decimal comma) or English ("to").
    digits : int, default 2
        Decimals shown.

    Returns
    -------
    str
        The estimate followed by its interval in parentheses.

    Examples
    --------
    >>> interval(0.163, 0.051, 0.274, "id"), interval(-1.5, -2.25, -0.75, "en", 1)
    ('0,16 (0,05 s.d. 0,27)', '-1.5 (-2.2 to -0.8)')
    """
    sep = "s.d." if lang == "id" else "to"
    est, lo, hi = (number(v, lang, digits) for v in (estimate, low, high))
    return f"{est} ({lo} {sep} {hi})"


def ci_text(
    low: float,
    high: float,
    lang: Lang,
    digits: int = 2,
    *,
    level: float = 0.95,
    unit: str = "",
    grouping: bool = False,
    to_id: str = "sampai",
) -> str:
    """Format a confidence interval with its level: ``IK 95%: 0,50 sampai 4,50``.

    Parameters
    ----------
    low, high : float
        The bounds of the interval.
    lang : {"id", "en"}
        Bahasa Indonesia ("IK", decimal comma) or English ("CI").
    digits : int, default 2
        Decimals shown.
    level : float, default 0.95
        Confidence level, shown as a percentage.
    unit : str, default ""
        Appended to each bound (e.g. ``"%"``).
    grouping : bool, default False
        Separate thousands.
    to_id : str, default "sampai"
        The Indonesian word between the bounds ("sampai" or "s.d."); English says "to".

    Returns
    -------
    str
        ``IK <level>: <low> <to_id> <high>`` or ``<level> CI <low> to <high>``.

    Examples
    --------
    >>> ci_text(0.5, 4.5, "id"), ci_text(12.5, 40.0, "en", 0, level=0.9, unit="%")
    ('IK 95%: 0,50 sampai 4,50', '90% CI 12% to 40%')
    """
    pct = f"{100 * level:g}%"
    lo, hi = (number(v, lang, digits, grouping=grouping) + unit for v in (low, high))
    return f"IK {pct}: {lo} {to_id} {hi}" if lang == "id" else f"{pct} CI {lo} to {hi}"


def cell(value: object, lang: Lang, digits: int = 1) -> str:
    """Format one cell of a table a reader sees: one number style per language.

    Integers (counts) and ``digits=0`` (JP) show without decimals, other numbers with
    ``digits`` decimals, all with the thousands separator (1.234,5 / 1,234.5); a cell the
    small-cell rule hid (``"<5"``, ``"x"``) and any other text stay as they are; a missing
    value reads ``"-"``.

    Examples
    --------
    >>> cell(22360.0, "id", 0), cell(80.6754, "en", 2), cell("<5", "id"), cell(float("nan"), "en")
    ('22.360', '80.68', '<5', '-')
    """
    if isinstance(value, str):
        return value
    if value is None or value != value:  # NaN
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral) or digits == 0:
        return count(int(round(float(value))), lang)
    return number(float(value), lang, digits, grouping=True)
