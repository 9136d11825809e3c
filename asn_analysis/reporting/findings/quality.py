"""What validation left out (the data-quality log), in plain language: the brief's last section."""

from __future__ import annotations

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data import Dataset
from asn_analysis.reporting.text import choose

__all__ = ["quality_findings"]


def quality_findings(dataset: Dataset, *, lang: Lang = "id") -> list[str]:
    """Describe what validation left out (the data-quality log) in plain language.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per table with quarantined rows, or one saying none was.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> quality_findings(load_dataset(), lang="en")
    ['Every row passed validation; none was quarantined.']
    """
    check_lang(lang)
    counts = dataset.row_counts
    bad = counts[counts["rows_quarantined"].fillna(0) > 0]  # absent tables have no counts
    if bad.empty:
        return [
            choose(
                lang,
                "Semua baris lolos validasi; tidak ada yang dikarantina.",
                "Every row passed validation; none was quarantined.",
            )
        ]
    if lang == "id":
        return [
            f"{r.table}: {r.rows_quarantined} dari {r.rows_in} baris dikarantina."
            for r in bad.itertuples()
        ]
    return [
        f"{r.table}: {r.rows_quarantined} of {r.rows_in} rows quarantined."
        for r in bad.itertuples()
    ]
