"""Plain-language findings in Bahasa Indonesia and English, built from library results.

Notebooks and exports take their sentences from here, so the numbers a planner reads are the
numbers the analysis computed. Every sentence that reports an estimate states its uncertainty.
"""

from __future__ import annotations

from typing import Literal

from asn_analysis import overview as ov
from asn_analysis.data import Dataset

Lang = Literal["id", "en"]


def _check_lang(lang: str) -> None:
    if lang not in ("id", "en"):
        raise ValueError(f"lang must be 'id' or 'en', not {lang!r}")


def _count(value: int, lang: Lang) -> str:
    """Format a count with the language's thousands separator (1.234 in Indonesian)."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text


def _num(value: float, lang: Lang, digits: int = 1) -> str:
    """Format a decimal with the language's decimal mark (76,8 in Indonesian)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _pct(value: float, lang: Lang) -> str:
    return _num(100 * value, lang, 0) + "%"


def overview_findings(dataset: Dataset, *, lang: Lang = "id") -> list[str]:
    """Describe what the data holds, in plain language (notebook 01).

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    list of str
        One sentence per finding.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> overview_findings(load_dataset(), lang="en")[0].startswith("The data holds")
    True
    """
    _check_lang(lang)
    jobs = ov.staff_by_job_type(dataset)
    n = int(jobs.loc["total", "total"])
    n_units = len(dataset.units)
    pppk = jobs.loc["total", "PPPK"] / n
    fungsional = jobs.loc["fungsional", "share"]
    cov = ov.survey_coverage(dataset)
    n_resp = int(cov.to_numpy().sum())
    n_missing = len(ov.missing_unit_periods(dataset))
    train = ov.training_coverage(dataset)
    quarantined = int(dataset.row_counts["rows_quarantined"].sum())
    periods = f"{cov.columns[0]} - {cov.columns[-1]}" if len(cov.columns) else "-"
    if lang == "id":
        out = [
            f"Data memuat {_count(n, lang)} pegawai ASN di {n_units} unit kerja; "
            f"{_pct(pppk, lang)} berstatus PPPK dan {_pct(fungsional, lang)} menduduki "
            "jabatan fungsional.",
            f"Survei kepuasan masyarakat: {_count(n_resp, lang)} responden, periode {periods}; "
            f"{n_missing} kombinasi unit-periode tanpa responden.",
        ]
    else:
        out = [
            f"The data holds {_count(n, lang)} civil servants in {n_units} units; "
            f"{_pct(pppk, lang)} are PPPK and {_pct(fungsional, lang)} hold functional "
            "positions.",
            f"Citizen satisfaction survey: {_count(n_resp, lang)} respondents, periods "
            f"{periods}; {n_missing} unit-periods have no respondent.",
        ]
    if len(train):
        last = train.iloc[-1]
        year, trained, met = int(last["year"]), last["share_trained"], last["share_met_jp_right"]
        jp = ov.JP_RIGHT_PER_YEAR
        out.append(
            f"Pada {year}, {_pct(trained, lang)} pegawai mengikuti pelatihan dan hanya "
            f"{_pct(met, lang)} memenuhi hak {jp} JP per tahun."
            if lang == "id"
            else f"In {year}, {_pct(trained, lang)} of employees attended training and only "
            f"{_pct(met, lang)} met the {jp} JP yearly right."
        )
    if lang == "id":
        out.append(
            "Validasi data: tidak ada baris yang dikarantina."
            if quarantined == 0
            else f"Validasi data: {quarantined} baris dikarantina (lihat log kualitas data)."
        )
    else:
        out.append(
            "Data validation: no row was quarantined."
            if quarantined == 0
            else f"Data validation: {quarantined} rows quarantined (see the data-quality log)."
        )
    return out
