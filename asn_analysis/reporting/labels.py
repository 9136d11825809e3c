"""Official bilingual names of the keys a reader would otherwise see raw.

Competency keys (PermenPANRB No. 38 Tahun 2017: the eight managerial competencies, the one
socio-cultural competency and the technical fields), SKM elements (unsur, PermenPANRB No. 14
Tahun 2017), staff-survey scales, the mutu grades and the estimators' method names, each as
(Bahasa Indonesia, English). :func:`label` names one key; :func:`relabel` replaces the raw keys
and English method words left inside a finding sentence, so no ``pengambilan_keputusan`` or
``before-after (naive)`` reaches an Indonesian reader.
"""

from __future__ import annotations

import re

from asn_analysis._validation import Lang, check_lang, check_option
from asn_analysis.segments.features import FEATURE_LABELS

__all__ = [
    "COMPETENCIES",
    "ELEMENTS",
    "GROUPS",
    "HEADERS",
    "KINDS",
    "KINERJA",
    "LEVELS",
    "METHODS",
    "SCALES",
    "TABLE_NAMES",
    "VARIABLES",
    "header",
    "label",
    "relabel",
    "term_label",
]

#: Competencies of PermenPANRB 38/2017 (managerial, socio-cultural) and the technical fields.
COMPETENCIES: dict[str, tuple[str, str]] = {
    "integritas": ("Integritas", "Integrity"),
    "kerjasama": ("Kerja Sama", "Teamwork"),
    "komunikasi": ("Komunikasi", "Communication"),
    "orientasi_pada_hasil": ("Orientasi pada Hasil", "Results orientation"),
    "pelayanan_publik": ("Pelayanan Publik", "Public service"),
    "pengembangan_diri_dan_orang_lain": (
        "Pengembangan Diri dan Orang Lain",
        "Developing self and others",
    ),
    "mengelola_perubahan": ("Mengelola Perubahan", "Managing change"),
    "pengambilan_keputusan": ("Pengambilan Keputusan", "Decision making"),
    "perekat_bangsa": ("Perekat Bangsa", "National cohesion"),
    "teknis_administrasi_umum": ("Teknis Administrasi Umum", "Technical: general administration"),
    "teknis_kesehatan": ("Teknis Kesehatan", "Technical: health"),
    "teknis_ketertiban_umum": ("Teknis Ketertiban Umum", "Technical: public order"),
    "teknis_keuangan": ("Teknis Keuangan", "Technical: finance"),
    "teknis_pendidikan": ("Teknis Pendidikan", "Technical: education"),
    "teknis_perencanaan": ("Teknis Perencanaan", "Technical: planning"),
    "teknis_teknik": ("Teknis Keteknikan", "Technical: engineering"),
    "teknis_teknologi_informasi": ("Teknis Teknologi Informasi", "Technical: IT"),
}
#: Competency groups of PermenPANRB 38/2017.
GROUPS: dict[str, tuple[str, str]] = {
    "manajerial": ("Manajerial", "Managerial"),
    "sosial_kultural": ("Sosial Kultural", "Socio-cultural"),
    "teknis": ("Teknis", "Technical"),
}
#: The nine SKM elements (unsur) of PermenPANRB 14/2017 and the converted IKM.
ELEMENTS: dict[str, tuple[str, str]] = {
    "persyaratan": ("Persyaratan", "Requirements"),
    "prosedur": ("Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures"),
    "waktu": ("Waktu Penyelesaian", "Completion time"),
    "biaya": ("Biaya/Tarif", "Cost/tariff"),
    "produk": ("Produk Spesifikasi Jenis Pelayanan", "Service product specification"),
    "kompetensi": ("Kompetensi Pelaksana", "Staff competence"),
    "perilaku": ("Perilaku Pelaksana", "Staff conduct"),
    "pengaduan": (
        "Penanganan Pengaduan, Saran dan Masukan",
        "Handling of complaints, suggestions and feedback",
    ),
    "sarana": ("Sarana dan Prasarana", "Facilities and infrastructure"),
    "ikm_converted": ("IKM (nilai konversi)", "IKM (converted score)"),
}
#: Staff-survey scales.
SCALES: dict[str, tuple[str, str]] = {
    "resistance": ("resistensi", "resistance"),
    "transparency": ("transparansi", "transparency"),
    "communication": ("komunikasi", "communication"),
    "threat": ("rasa terancam", "perceived threat"),
}
#: Estimators of a training effect, by the key of ``Results.effects``.
METHODS: dict[str, tuple[str, str]] = {
    "before_after": ("sebelum-sesudah (naif)", "before-after (naive)"),
    "twfe": ("efek tetap dua arah (TWFE)", "two-way fixed effects (TWFE)"),
    "staggered": ("Callaway-Sant'Anna", "Callaway-Sant'Anna"),
    "synth": ("kontrol sintetis", "synthetic control"),
}
#: Unit performance (kinerja unit pelayanan) of PermenPANRB 14/2017: the official Indonesian
#: name, and in English the name with its meaning.
KINERJA: dict[str, tuple[str, str]] = {
    "Sangat Baik": ("Sangat Baik", "Sangat Baik, very good"),
    "Baik": ("Baik", "Baik, good"),
    "Kurang Baik": ("Kurang Baik", "Kurang Baik, poor"),
    "Tidak Baik": ("Tidak Baik", "Tidak Baik, very poor"),
}
#: Model variables and table columns a reader sees as a term or a header.
VARIABLES: dict[str, tuple[str, str]] = {
    "job_type": ("jenis jabatan", "job type"),
    "period": ("periode", "period"),
    "unit_id": ("unit kerja", "unit"),
    "years_of_service": ("masa kerja (tahun)", "years of service"),
    "predikat_rank": ("kinerja (peringkat predikat)", "performance (predikat rank)"),
    "tiny": ("segmen kecil (<5)", "small segment (<5)"),
    "jaccard": ("stabilitas (Jaccard)", "stability (Jaccard)"),
    # the segment features' own names (jpm, mismatch_share, ...)
    **{
        k: tuple(v)
        for k, v in FEATURE_LABELS.items()
        if not k.startswith("gap_") and k != "predikat_rank"
    },
    "Intercept": ("konstanta", "intercept"),
}
#: Column headers of the workbook's sheets (by the tables' column names).
HEADERS: dict[str, tuple[str, str]] = {
    "section": ("Bagian", "Section"),
    "competency": ("Kompetensi", "Competency"),
    "group": ("Kelompok", "Group"),
    "n_below": ("Di bawah standar", "Below standard"),
    "share_below": ("Porsi di bawah standar", "Share below standard"),
    "mean_gap": ("Rata-rata selisih", "Mean gap"),
    "mean_shortfall": ("Rata-rata kekurangan", "Mean shortfall"),
    "mean_shortfall_below": ("Rata-rata kekurangan", "Mean shortfall"),
    "rank": ("Peringkat", "Rank"),
    "priority": ("Skor prioritas", "Priority score"),
    "jp_needed": ("JP dibutuhkan", "JP needed"),
    "jp_per_employee": ("JP per pegawai", "JP per employee"),
    "years_of_right": ("Tahun hak 20 JP", "Years of the 20 JP right"),
    "scope": ("Cakupan", "Scope"),
    "estimator": ("Penduga", "Estimator"),
    "level": ("Level Kirkpatrick", "Kirkpatrick level"),
    "measure": ("Ukuran", "Measure"),
    "method": ("Metode", "Method"),
    "estimate": ("Estimasi", "Estimate"),
    "n_obs": ("n observasi", "n observations"),
    "n_treated": ("n dilatih", "n treated"),
    "segment": ("Segmen", "Segment"),
    "label": ("Label", "Label"),
    "share": ("Porsi", "Share"),
    "need": ("Kebutuhan", "Need"),
    "action": ("Tindakan", "Action"),
    "suppressed": ("Disembunyikan (<5)", "Suppressed (<5)"),
    "kind": ("Jenis", "Kind"),
    "text": ("Isi", "Text"),
    "unit_name": ("Unit kerja", "Unit"),
    "period": ("Periode", "Period"),
    "n": ("n", "n"),
    "ikm_converted": ("IKM konversi", "Converted IKM"),
    "ikm_converted_ci_low": ("IK 95% bawah", "95% CI low"),
    "ikm_converted_ci_high": ("IK 95% atas", "95% CI high"),
    "mutu": ("Mutu", "Grade"),
    "kinerja": ("Kinerja unit", "Unit performance"),
    "term": ("Variabel", "Term"),
    "coef": ("Koefisien", "Coefficient"),
    "se": ("Galat baku", "Std. error"),
    "ci_low": ("IK 95% bawah", "95% CI low"),
    "ci_high": ("IK 95% atas", "95% CI high"),
    "pvalue": ("Nilai p", "p-value"),
    "inference": ("Metode IK dan nilai p (utama)", "CI and p-value method (headline)"),
    "beside": ("Metode pembanding", "Method shown beside"),
    "beside_ci_low": ("IK 95% bawah (pembanding)", "95% CI low (beside)"),
    "beside_ci_high": ("IK 95% atas (pembanding)", "95% CI high (beside)"),
    "beside_pvalue": ("Nilai p (pembanding)", "p-value (beside)"),
    "std_coef": ("Koefisien baku", "Standardized coef."),
    "table": ("Tabel", "Table"),
    "column": ("Kolom", "Column"),
    "reason": ("Alasan", "Reason"),
    "rows": ("Jumlah baris", "Rows"),
    "example_rows": ("Contoh nomor baris", "Example file rows"),
    "rows_in": ("Baris masuk", "Rows in"),
    "rows_kept": ("Baris dipakai", "Rows kept"),
    "rows_quarantined": ("Baris dikarantina", "Rows quarantined"),
    "analysis": ("Analisis", "Analysis"),
    "status": ("Status", "Status"),
    "missing_tables": ("Tabel yang tidak ada", "Missing tables"),
    "notebook": ("Notebook", "Notebook"),
    "sheets": ("Lembar", "Sheets"),
    "tiny": ("Segmen kecil (<5)", "Small segment (<5)"),
    "jaccard": ("Stabilitas (Jaccard)", "Stability (Jaccard)"),
}
#: Category values a model term names (job types of the employees table).
LEVELS: dict[str, tuple[str, str]] = {
    "jpt_pratama": ("JPT Pratama", "JPT Pratama"),
    "jpt_madya": ("JPT Madya", "JPT Madya"),
}
#: The input tables (files) of the data model (:data:`asn_analysis.data.schema.TABLES`).
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "units": ("Unit kerja", "Units"),
    "employees": ("Pegawai", "Employees"),
    "competency_standards": ("Standar kompetensi jabatan", "Post competency standards"),
    "competency_assessments": ("Hasil asesmen kompetensi", "Competency assessments"),
    "performance": ("Kinerja (SKP)", "Performance (SKP)"),
    "training": ("Pelatihan", "Training"),
    "skm_responses": ("Survei kepuasan masyarakat (SKM)", "Citizen satisfaction survey (SKM)"),
    "staff_survey": ("Survei pegawai", "Staff survey"),
    "survey_items": ("Butir survei pegawai", "Staff survey items"),
}
#: The tables of keys :func:`label` reads.
KINDS = {
    "kinerja": KINERJA,
    "competency": COMPETENCIES,
    "group": GROUPS,
    "element": ELEMENTS,
    "scale": SCALES,
    "method": METHODS,
    "variable": VARIABLES,
    "table": TABLE_NAMES,
}

# English words and phrases the estimators' own strings leave in an Indonesian sentence.
_ID_PHRASES = {
    "before-after (naive)": "sebelum-sesudah (naif)",
    "synthetic control (demeaned)": "kontrol sintetis (selisih rata-rata)",
    "synthetic control": "kontrol sintetis",
    "all participants": "semua peserta",
    "DiD (unit and time fixed effects)": "DiD (efek tetap unit dan waktu)",
    "truth (synthetic)": "nilai sebenarnya (sintetis)",
    "Callaway-Sant'Anna event study": "studi peristiwa Callaway-Sant'Anna",
    "TWFE event study": "studi peristiwa TWFE",
    "event study": "studi peristiwa",
    "roll-out": "peluncuran",
}
_ID_WORDS = {k: v[0] for k, v in SCALES.items()}
_KEY = re.compile(r"\b(?:nrr_)?[a-z]+(?:_[a-z]+)+\b|\bnrr_[a-z]+\b")


def label(key: str, kind: str, lang: Lang = "id") -> str:
    """Return the official name of a key in the reader's language.

    Parameters
    ----------
    key : str
        A competency, group, SKM element (``nrr_`` prefix allowed), scale or method key.
    kind : {"kinerja", "competency", "group", "element", "scale", "method", "variable", "table"}
        Which table of names.
    lang : {"id", "en"}, default "id"
        Bahasa Indonesia or English.

    Returns
    -------
    str
        The official name; a key not in the table comes back with underscores as spaces
        (data may hold a competency the table does not know).

    Examples
    --------
    >>> label("pengambilan_keputusan", "competency", "id")
    'Pengambilan Keputusan'
    >>> label("nrr_waktu", "element", "en"), label("teknis_arsip", "competency")
    ('Completion time', 'teknis arsip')
    """
    check_lang(lang)
    check_option("kind", kind, tuple(KINDS))
    key = str(key)
    names = KINDS[kind]
    if kind == "element" and key.startswith("nrr_"):
        key = key[4:]
    pair = names.get(key)
    return pair[0 if lang == "id" else 1] if pair else key.replace("_", " ")


def relabel(text: str, lang: Lang = "id") -> str:
    """Replace raw keys (and, in Indonesian, English method words) in a sentence by their names.

    A snake_case word that is a known competency, group or element key becomes its official
    name (:func:`label`); in Bahasa Indonesia the English method phrases and scale names the
    estimators write (``before-after (naive)``, ``all participants``, ``resistance``) become
    Indonesian. Other text is left as it is.

    Examples
    --------
    >>> relabel("latih pengambilan_keputusan; metode before-after (naive)", "id")
    'latih Pengambilan Keputusan; metode sebelum-sesudah (naif)'
    >>> relabel("Largest gap: teknis_teknologi_informasi in U01", "en")
    'Largest gap: Technical: IT in U01'
    """
    check_lang(lang)
    i = 0 if lang == "id" else 1

    def name(m: re.Match) -> str:
        word = m.group(0)
        key = word[4:] if word.startswith("nrr_") else word
        for table in (COMPETENCIES, GROUPS, ELEMENTS, METHODS, VARIABLES):
            if key in table:
                return table[key][i]
        return word

    text = _KEY.sub(name, str(text))
    if lang == "id":
        for en, idn in _ID_PHRASES.items():
            text = text.replace(en, idn)
        text = re.sub(r"\b(" + "|".join(_ID_WORDS) + r")\b", lambda m: _ID_WORDS[m.group(1)], text)
    return text


_TERM = re.compile(r"^C\((?P<var>\w+)\)\[T\.(?P<level>.+)\]$")


def term_label(term: str, lang: Lang = "id") -> str:
    """Name a regression term (a patsy term or a variable) for a reader.

    ``C(job_type)[T.fungsional]`` (the category against the base category) reads
    ``jenis jabatan: fungsional`` / ``job type: fungsional``; a scale, a known variable or a
    competency its name (:data:`SCALES`, :data:`VARIABLES`, :data:`COMPETENCIES`); any other
    snake_case name with spaces.

    Examples
    --------
    >>> term_label("C(job_type)[T.fungsional]", "id"), term_label("transparency", "en")
    ('jenis jabatan: fungsional', 'transparency')
    >>> term_label("C(job_type)[T.jpt_pratama]", "en")
    'job type: JPT Pratama'
    >>> term_label("years_of_service", "id"), term_label("Intercept", "id")
    ('masa kerja (tahun)', 'konstanta')
    """
    check_lang(lang)
    i = 0 if lang == "id" else 1
    term = str(term)
    m = _TERM.match(term)
    if m:
        var = m.group("var")
        name = VARIABLES[var][i] if var in VARIABLES else var.replace("_", " ")
        level = m.group("level")
        level = LEVELS[level][i] if level in LEVELS else level.replace("_", " ")
        return f"{name}: {level}"
    for table in (SCALES, VARIABLES, COMPETENCIES, ELEMENTS):
        if term in table:
            return table[term][i]
    return term.replace("_", " ")


def header(column: str, lang: Lang = "id") -> str:
    """Name a table column that holds a key-derived measure (``nrr_waktu``, ``gap_komunikasi``).

    ``nrr_<unsur>`` reads ``NRR <unsur name>``; ``gap_<competency>`` reads ``Selisih:
    <competency>`` / ``Gap: <competency>``; other columns as :func:`term_label` names them.

    Examples
    --------
    >>> header("nrr_waktu", "id"), header("gap_pengambilan_keputusan", "en")
    ('NRR Waktu Penyelesaian', 'Gap: Decision making')
    >>> header("tiny", "en")
    'small segment (<5)'
    """
    check_lang(lang)
    column = str(column)
    if column.startswith("nrr_"):
        return f"NRR {label(column, 'element', lang)}"
    if column.startswith("gap_") and column[4:] in COMPETENCIES:
        word = "Selisih" if lang == "id" else "Gap"
        return f"{word}: {label(column[4:], 'competency', lang)}"
    return term_label(column, lang)
