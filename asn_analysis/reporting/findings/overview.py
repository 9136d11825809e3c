"""What the data holds, in plain language: the opening findings of notebook 01 and the brief."""

from __future__ import annotations

from asn_analysis import overview as ov
from asn_analysis._validation import Lang, check_lang
from asn_analysis.data import Dataset
from asn_analysis.reporting.text import choose, people, share_of

__all__ = ["overview_findings"]


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
        One sentence per finding: staff and status (PPPK, functional posts), survey coverage,
        the yearly 20 JP training right (PP 11/2017 jo. PP 17/2020, Pasal 203) and
        data validation.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> overview_findings(load_dataset(), lang="en")[0].startswith("The data holds")
    True
    """
    check_lang(lang)
    jobs = ov.staff_by_job_type(dataset)
    n = int(jobs.loc["total", "total"])
    n_units = len(dataset.units)
    pppk = share_of(int(jobs.loc["total", "PPPK"]), n, lang)
    fungsional = share_of(int(jobs.loc["fungsional", "total"]), n, lang)
    quarantined = int(dataset.row_counts["rows_quarantined"].sum())
    if lang == "id":
        out = [
            f"Data memuat {people(n, lang)} pegawai ASN di {n_units} unit kerja; "
            f"{pppk} berstatus PPPK dan {fungsional} menduduki "
            "jabatan fungsional."
        ]
    else:
        out = [
            f"The data holds {people(n, lang)} civil servants in {n_units} units; "
            f"{pppk} are PPPK and {fungsional} hold functional "
            "positions."
        ]
    if dataset.skm_responses is not None:  # the survey and training are optional tables
        cov = ov.survey_coverage(dataset)
        n_resp = int(cov.to_numpy().sum())
        n_missing = len(ov.missing_unit_periods(dataset))
        periods = f"{cov.columns[0]} - {cov.columns[-1]}" if len(cov.columns) else "-"
        out.append(
            f"Survei kepuasan masyarakat: {people(n_resp, lang)} responden, periode {periods}; "
            f"{n_missing} kombinasi unit-periode tanpa responden."
            if lang == "id"
            else f"Citizen satisfaction survey: {people(n_resp, lang)} respondents, periods "
            f"{periods}; {n_missing} unit-periods have no respondent."
        )
    train = ov.training_coverage(dataset) if dataset.training is not None else []
    if len(train):
        last = train.iloc[-1]
        year, n_in = int(last["year"]), int(last["employees"])
        trained = share_of(int(last["trained"]), n_in, lang)
        met = share_of(int(last["met_jp_right"]), n_in, lang)
        jp = ov.JP_RIGHT_PER_YEAR
        out.append(
            f"Pada {year}, {trained} pegawai mengikuti pelatihan dan hanya "
            f"{met} memenuhi hak {jp} JP per tahun."
            if lang == "id"
            else f"In {year}, {trained} of employees attended training and only "
            f"{met} met the {jp} JP yearly right."
        )
    if quarantined == 0:
        out.append(
            choose(
                lang,
                "Validasi data: tidak ada baris yang dikarantina.",
                "Data validation: no row was quarantined.",
            )
        )
    else:
        out.append(
            choose(
                lang,
                f"Validasi data: {quarantined} baris dikarantina (lihat log kualitas data).",
                f"Data validation: {quarantined} rows quarantined (see the data-quality log).",
            )
        )
    return out
