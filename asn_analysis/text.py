"""Bilingual number formatting for user-facing text: 1.234,5 (Indonesian), 1,234.5 (English).

Indonesian writes 1.234 for a thousand and 0,75 for a decimal; English the other way round.
Every findings builder formats its numbers here so the two languages stay consistent.
"""

from __future__ import annotations

from asn_analysis._validation import Lang

__all__ = ["Lang", "count", "number", "percent"]


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


def percent(value: float, lang: Lang, digits: int = 0) -> str:
    """Format a share (0-1) as a percentage.

    Examples
    --------
    >>> percent(0.314, "id", 1)
    '31,4%'
    """
    return number(100 * value, lang, digits) + "%"
