"""Keep NIPs and names out of every message: the last gate before a problem, note or error.

The loader redacts the ``nip`` and ``name`` columns of every problem it reports. That is not
enough on hostile input: an NIP typed into the wrong column, a file without its header row (the
first NIP and name read as headers), a composite key that holds an NIP. :class:`Identifiers`
collects every NIP and name of the input as read and replaces any of them, and any run of 16 to
19 digits (the length of an NIP or a NIK), by :data:`REDACTED` in values and sentences, so no
message, note, quarantine value or exception of the loader can carry one (UU No. 27 Tahun 2022
on personal data).

Examples
--------
>>> ids = Identifiers()
>>> ids.add_nips(["198503122010011001"])
>>> ids.add_names(["Frans Syarif"])
>>> ids.redact_value("frans  syarif")
'<redacted>'
>>> ids.redact_text("unit_id row 2: 198503122010011001 is not in units")
'unit_id row 2: <redacted> is not in units'
>>> ids.redact_text("columns found: 'Frans Syarif', 'U01'")
"columns found: '<redacted>', 'U01'"
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["REDACTED", "Identifiers", "looks_like_identifier"]

#: What an identifier is replaced with.
REDACTED = "<redacted>"
#: A run of digits, possibly written in groups (``19850312 201001 1 001``).
_DIGIT_RUN = re.compile(r"\d(?:[ ]?\d){7,}")
_NON_DIGIT = re.compile(r"\D")
#: Digits always treated as an identifier: the length of an NIP (18), NIK (16) or a mistyped NIP.
_ID_LENGTHS = range(16, 20)
#: A digit run this long that occurs inside a known NIP is part of it (a prefix, a birth date).
_PART_OF_NIP = 10
#: A word: letters with inner apostrophes, dots or hyphens (O'Neil, St., Abdul-Rahman).
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019.\-][^\W\d_]+)*")
#: Names shorter than this are not looked for (a one- or two-letter "name" is not one).
_MIN_NAME = 3


def _normal(text: str) -> str:
    # words joined by one space: what re.sub(r"\s+", " ", text).strip() gives (str.split and
    # the \s of re both split on the characters str.isspace names), without a regex per value
    return " ".join(str(text).split()).casefold()


def looks_like_identifier(text: object) -> bool:
    """Return True when text holds 16 to 19 digits in a row (an NIP or a NIK).

    Examples
    --------
    >>> looks_like_identifier("198503122010011001"), looks_like_identifier("U01")
    (True, False)
    """
    return any(
        len(run.group().replace(" ", "")) in _ID_LENGTHS for run in _DIGIT_RUN.finditer(str(text))
    )


class Identifiers:
    """The NIPs and names of an input, and the means to keep them out of text.

    Methods
    -------
    add_nips(values), add_names(values)
        Add the cells of an ``nip`` or ``name`` column (as read, any form).
    is_identifier(value), holds(value)
        Whether a value is an identifier, or holds one somewhere in it.
    redact_value(value)
        The value, or :data:`REDACTED` when it holds an identifier.
    redact_text(text)
        The sentence with every identifier in it replaced by :data:`REDACTED`.
    redact_frame(problems)
        A problems table with values, columns and reasons redacted.
    """

    def __init__(self) -> None:
        self._nips: set[str] = set()
        self._names: set[str] = set()
        self._odd_names: set[str] = set()  # names the word scan cannot see (digits, symbols)
        self._max_words = 1
        self._blob = ""

    def add_nips(self, values: Iterable[object]) -> None:
        """Add NIPs as written (with or without spaces)."""
        if isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype):
            # a column: each distinct text once (a person has many rows), as a list (iterating an
            # Arrow-backed array cell by cell is slow)
            values = values.unique().tolist()
        for value in values:
            text = str(value).strip()
            digits = _NON_DIGIT.sub("", text)
            if len(text) >= 8:
                self._nips.add(text.casefold())
            if len(digits) >= 8:
                self._nips.add(digits)
        self._blob = "|".join(sorted(n for n in self._nips if n.isdigit()))

    def add_names(self, values: Iterable[object]) -> None:
        """Add names as written (compared ignoring case and spacing)."""
        if isinstance(values, pd.Series):
            values = values.tolist()
        for value in values:
            name = _normal(value)
            if len(name) < _MIN_NAME:
                continue
            self._names.add(name)
            words = _WORD.findall(name)
            if " ".join(words) != name:
                self._odd_names.add(name)  # punctuation, digits or symbols: found as a substring
            self._max_words = max(self._max_words, len(name.split()))

    def _digits_identify(self, digits: str) -> bool:
        if len(digits) in _ID_LENGTHS or digits in self._nips:
            return True
        return len(digits) >= _PART_OF_NIP and digits in self._blob

    def _spans(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for run in _DIGIT_RUN.finditer(text):
            if self._digits_identify(run.group().replace(" ", "")):
                spans.append(run.span())
        if self._names:
            words = list(_WORD.finditer(text))
            for i in range(len(words)):
                for j in range(min(len(words), i + self._max_words + 2) - 1, i - 1, -1):
                    start, end = words[i].start(), words[j].end()
                    if _normal(text[start:end]) in self._names:
                        spans.append((start, end))
                        break
        folded = text.casefold()
        for name in self._odd_names:
            at = folded.find(name)
            while at >= 0:
                spans.append((at, at + len(name)))
                at = folded.find(name, at + 1)
        return spans

    def is_identifier(self, value: object) -> bool:
        """Return True when the whole value is an NIP or a name of the input, or 16-19 digits.

        The strict test for data cells (a value in the wrong column); :meth:`holds` also finds
        an identifier inside a sentence.
        """
        folded = _normal(value)
        if folded in self._nips or folded in self._names:
            return True
        digits = folded.replace(" ", "")
        return digits.isdigit() and len(digits) in _ID_LENGTHS

    def holds(self, value: object) -> bool:
        """Return True when the value is, or contains, an identifier."""
        text = str(value)
        folded = _normal(text)
        if folded in self._nips or folded in self._names:
            return True
        return bool(self._spans(text))

    def redact_value(self, value: object) -> object:
        """Return the value, or :data:`REDACTED` when it holds an identifier."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return value
        return REDACTED if self.holds(value) else value

    def redact_text(self, text: str) -> str:
        """Return the sentence with every identifier in it replaced by :data:`REDACTED`."""
        text = str(text)
        spans = sorted(self._spans(text))
        if not spans:
            return text
        out, last = [], 0
        for start, end in spans:
            if start < last:
                last = max(last, end)
                continue
            out.append(text[last:start] + REDACTED)
            last = end
        out.append(text[last:])
        return "".join(out)

    def redact_frame(self, problems: pd.DataFrame) -> pd.DataFrame:
        """Return a problems table (table, row, column, value, reason) with identifiers redacted."""
        out = problems.copy()
        for column, redact in (
            ("value", self.redact_value),
            ("column", self.redact_text),
            ("reason", self.redact_text),
        ):
            if column in out and len(out):
                unique = pd.unique(out[column].astype("object"))
                lookup = {v: redact(v) for v in unique if isinstance(v, str)}
                out[column] = out[column].map(lambda v, lk=lookup: lk.get(v, v))
        return out
