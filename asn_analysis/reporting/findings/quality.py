"""What validation left out (the data-quality log), in plain language: the brief's last section."""

from __future__ import annotations

from asn_analysis._validation import Lang, check_lang
from asn_analysis.data import Dataset
from asn_analysis.reporting.labels import label
from asn_analysis.reporting.text import choose, count

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
    out = []
    for r in bad.itertuples():
        # the file's name too: the person who fixes the rows must find it
        name = f"{label(r.table, 'table', lang)} ({r.table}.csv)"
        k, n = count(int(r.rows_quarantined), lang), count(int(r.rows_in), lang)
        out.append(
            f"{name}: {k} dari {n} baris dikarantina."
            if lang == "id"
            else f"{name}: {k} of {n} rows quarantined."
        )
    return out
