"""The error and warning hierarchy: one root that every error of the package derives from.

Catch :class:`AsnAnalysisError` to handle anything the package raises about its input or
options. Input problems are collected and raised together (:class:`InputProblems`), so a user
fixes a whole file in one pass instead of one value per run. Each domain module defines its
own subclass (e.g. ``effects.EffectInputError``) so a caller can tell where a problem arose.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AsnAnalysisError",
    "AsnAnalysisWarning",
    "InputProblems",
    "OptionError",
    "StatsInputError",
]


class AsnAnalysisError(ValueError):
    """Root of every error the package raises about input, options or data.

    It is a :class:`ValueError`, so code that catches ``ValueError`` keeps working.

    Examples
    --------
    >>> from asn_analysis._validation import check_lang
    >>> try:
    ...     check_lang("fr")
    ... except AsnAnalysisError as err:
    ...     print(err)
    lang must be one of 'id', 'en', not 'fr'
    """


class AsnAnalysisWarning(UserWarning):
    """Root of every warning the package issues (caveats a reader should see)."""


class OptionError(AsnAnalysisError):
    """An option (keyword argument) outside its allowed set or range.

    Raised with the same type and wording by every function (see
    :mod:`asn_analysis._validation`): ``"<name> must be one of 'a', 'b', not 'c'"``.
    """


class InputProblems(AsnAnalysisError):
    """Base of the input errors that list every problem found, not just the first.

    Parameters
    ----------
    problems : str or sequence of str
        One message per problem, naming table/column, rows and values.

    Attributes
    ----------
    problems : tuple of str
        The individual problems, in the order found.

    Examples
    --------
    >>> err = InputProblems(["a.x rows 2, 3: 'q' is not a number", "a.y is missing"])
    >>> print(err)
    2 problems in the input:
    - a.x rows 2, 3: 'q' is not a number
    - a.y is missing
    """

    #: How several problems are introduced, e.g. "problems in the satisfaction input".
    heading = "problems in the input"

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            lines = "\n".join(f"- {p}" for p in self.problems)
            message = f"{len(self.problems)} {self.heading}:\n{lines}"
        super().__init__(message)


class StatsInputError(AsnAnalysisError):
    """Input the shared statistical building blocks (:mod:`asn_analysis.stats`) cannot use."""
