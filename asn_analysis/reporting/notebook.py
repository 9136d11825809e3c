"""What every notebook opens with: the synthetic-data warning and where the data came from."""

from __future__ import annotations

from typing import Any

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data import Dataset

__all__ = ["SYNTHETIC_WARNING", "synthetic_banner"]

#: The warning shown wherever bundled synthetic data is analysed, per language.
SYNTHETIC_WARNING = {
    "id": "DATA SINTETIS: bukan data riil Kabupaten Mamuju atau data seseorang.",
    "en": "SYNTHETIC DATA: not real data of Kabupaten Mamuju or of any person.",
}


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
