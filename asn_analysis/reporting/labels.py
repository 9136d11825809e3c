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

__all__ = [
    "COMPETENCIES",
    "ELEMENTS",
    "GROUPS",
    "KINDS",
    "KINERJA",
    "METHODS",
    "SCALES",
    "label",
    "relabel",
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
#: The tables of keys :func:`label` reads.
KINDS = {
    "kinerja": KINERJA,
    "competency": COMPETENCIES,
    "group": GROUPS,
    "element": ELEMENTS,
    "scale": SCALES,
    "method": METHODS,
}

# English words and phrases the estimators' own strings leave in an Indonesian sentence.
_ID_PHRASES = {
    "before-after (naive)": "sebelum-sesudah (naif)",
    "synthetic control (demeaned)": "kontrol sintetis (selisih rata-rata)",
    "synthetic control": "kontrol sintetis",
    "all participants": "semua peserta",
    "DiD (unit and time fixed effects)": "DiD (efek tetap unit dan waktu)",
    "truth (synthetic)": "nilai sebenarnya (sintetis)",
}
_ID_WORDS = {k: v[0] for k, v in SCALES.items()}
_KEY = re.compile(r"\b(?:nrr_)?[a-z]+(?:_[a-z]+)+\b|\bnrr_[a-z]+\b")


def label(key: str, kind: str, lang: Lang = "id") -> str:
    """Return the official name of a key in the reader's language.

    Parameters
    ----------
    key : str
        A competency, group, SKM element (``nrr_`` prefix allowed), scale or method key.
    kind : {"kinerja", "competency", "group", "element", "scale", "method"}
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
        for table in (COMPETENCIES, GROUPS, ELEMENTS):
            if key in table:
                return table[key][i]
        return word

    text = _KEY.sub(name, str(text))
    if lang == "id":
        for en, idn in _ID_PHRASES.items():
            text = text.replace(en, idn)
        text = re.sub(r"\b(" + "|".join(_ID_WORDS) + r")\b", lambda m: _ID_WORDS[m.group(1)], text)
    return text
