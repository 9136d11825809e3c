"""Synthetic personnel and survey data of a Mamuju-like regency, with a known causal truth.

The bundled data set in ``data/synthetic/`` is produced by :func:`generate` and :func:`write`.
It is **synthetic**: no row describes a real person or the real Kabupaten Mamuju. NIPs have the
valid 18-digit form but belong to nobody; names are random combinations of common first and
family names. Every table follows the codebook in ``data/README.md``.

Calibration (Kabupaten Mamuju and national ASN figures 2021-2025) gives the marginal shapes:
about 30 units, about 4,500 ASN (fungsional 70 %, pelaksana 23 %, struktural 7 %), teachers
about 43 % and health workers about 14 %, PPPK about 30 % (all appointed in 2024), about 55 %
women, lenient SKP ratings (about 94 % *baik*), IKM of 75-82 with *biaya* the best and
*waktu*, *sarana* and *pengaduan* the worst elements, and only about a third of staff reaching
the 20 JP training right in a year.

Causal structure (all true parameters are saved in ``ground_truth.json``)
-------------------------------------------------------------------------
Every causal effect uses common random numbers (CRN): the outcome with and without the cause is
drawn from the *same* random numbers, so the stored truth is the exact sample effect on the
outcome's own, observed scale (e.g. converted IKM points, competency levels), not a latent shift.
Integer outcomes use stochastic rounding ``floor(x + U)``, ``U ~ Uniform(0, 1)``, which is
unbiased (``E[floor(x + U)] = x``) and monotone in ``x`` for a shared ``U``.

1. **Staggered training roll-out** (the case study). *Pelatihan Komunikasi Efektif*
   (``komunikasi``) and *Pelatihan Pelayanan Prima* (``pelayanan_publik``) are delivered together
   to 60-80 % of the front-line staff (fungsional and pelaksana) of a unit in its cohort semester:
   cohort 2024-S1 is Dinas Kesehatan (``U01``) alone, cohort 2024-S2 RSUD and two puskesmas,
   cohort 2025-S1 Disdukcapil, DPMPTSP, a puskesmas and a kecamatan; other units are never
   treated within the data. The latent SKM answers of a treated unit rise from the cohort
   semester on, growing with event time, most for *kompetensi* and *perilaku*, less for
   *prosedur*, *waktu*, *pengaduan*, *persyaratan* and *produk*, not at all for *biaya* and
   *sarana*; the shift scales with the unit's attendance share. The truth per treated
   unit-period is converted IKM (weights exactly 1/9) from the treated answers minus converted
   IKM from the untreated answers; ATT overall, by event time and by cohort are means of these.
   Because effects grow with time, a static two-way fixed-effects regression is biased here.
   Attendance also raises the reassessed (2025-S2) ``komunikasi`` and ``pelayanan_publik``
   levels of the attendee.
2. **Self-selection** into *Pelatihan Teknis Digitalisasi Layanan* (2024, targets the position's
   technical competency, PNS only). Participation is logistic in age, education (D4 or higher),
   years of service, job type and the baseline level of the targeted competency; the reassessed
   (2025-S2) level of that competency depends on the same covariates, so the naive
   trained-minus-untrained difference is biased but selection is on observables.
3. **Competency mismatch**: the baseline level held in the position's technical competency is
   below the required level. Planted at about 40-60 % among ``teknologi_informasi`` posts outside
   Diskominfo ("IT posts held by people without IT skills") and at about 10 % elsewhere.
   SKP predikat follows an ordered logit per employee-year with latent
   ``b_jpm * (JPM - 80) / 10 + b_mis * mismatch + job-type effect + unit effect + segment shift
   + logistic noise``; JPM is from the baseline assessment (sum held / sum required x 100, the
   total capped at 100). Cutpoints give the lenient distribution; ``hasil_kerja`` and
   ``perilaku_kerja`` are drawn so that PermenPANRB 6/2022 gives exactly that predikat.
   A unit's mismatch share and mean JPM shift the latent SKM answers of all elements.
4. **Resistance to evaluation** (staff survey, waves 2023-S2 and 2025-S1): transparency,
   communication and threat traits generate their items; their *observed* scale scores (mean
   of answered items after reverse keying) then enter the resistance latent
   ``a - 0.35 * transparency - 0.25 * communication + 0.40 * threat + job-type effect
   + 0.01 * years_of_service + wave effect + unit effect + segment shift + noise``, whose items
   are drawn so that the expected observed resistance score equals the latent. Transparency
   and communication are higher in wave 2 (an information campaign).
5. **Employee segments** shift the baseline competency gaps, the performance latent and the
   resistance latent: ``kompeten_berkinerja`` (above standard, better rated, low resistance),
   ``kesenjangan_teknis`` (technical level below standard: the mismatch), ``kesenjangan_manajerial``
   (managerial and socio-cultural levels below standard) and ``resisten`` (competent but highly
   resistant and rated lower). k-means (k = 4) on standardised [baseline gaps of the 9 managerial
   and socio-cultural competencies, JPM, wave-1 resistance score, mean predikat rank] recovers
   them (adjusted Rand index about 0.94-0.96 for the default size). The segment shifts of the
   performance latent (+0.8 and -0.9) are nearly mean-zero where JPM is 100 and mismatch is 0,
   so ``b_jpm`` and ``b_mis`` stay recoverable without knowing the segments.
6. **SKM answers**: ``x = mu[u, t, e] + r_i + eps_ie``; answer = stochastic rounding of ``x``
   clipped to 1-4 (so ``E[answer | x] = clip(x, 1, 4)``), where ``mu`` holds element levels,
   unit and unit-element effects, common and unit-period noise, mismatch share, mean JPM and
   the roll-out effect.

References
----------
PermenPANRB No. 14 Tahun 2017 (SKM/IKM); PermenPANRB No. 38 Tahun 2017 (standar kompetensi);
PermenPANRB No. 6 Tahun 2022 (predikat kinerja); Krejcie, R. V. & Morgan, D. W. (1970).
Determining sample size for research activities. *Educational and Psychological Measurement*,
30, 607-610.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from asn_analysis.privacy import SYNTHETIC_SALT, pseudonymize
from asn_analysis.schema import (
    AGE_GROUPS,
    COMPETENCY_GROUPS,
    EDUCATION,
    GENDERS,
    JOB_FAMILIES,
    JOB_TYPES,
    MANAGERIAL_COMPETENCIES,
    PREDIKAT,
    PREDIKAT_MATRIX,
    RATINGS,
    RESPONDENT_EDUCATION,
    SECTORS,
    SKM_ELEMENTS,
    SOCIOCULTURAL_COMPETENCIES,
    STATUSES,
    TABLES,
    UNIT_TYPES,
)

__all__ = [
    "BIRTH_YEAR_RANGE",
    "COMPETENCY_GROUPS",
    "DEFAULT_SEED",
    "EDUCATION_LEVELS",
    "GENDERS",
    "GENERATOR",
    "JOB_FAMILIES",
    "JOB_TYPES",
    "MANAGERIAL_COMPETENCIES",
    "PERFORMANCE_YEARS",
    "PPPK_APPOINTMENT_YEAR",
    "PREDIKAT_LEVELS",
    "PREDIKAT_MATRIX",
    "RATINGS",
    "REFERENCE_DATE",
    "RESPONDENT_AGE_GROUPS",
    "RESPONDENT_EDUCATION",
    "SKM_ELEMENTS",
    "SKM_PERIODS",
    "SOSIAL_KULTURAL_COMPETENCIES",
    "STAFF_SURVEY_WAVES",
    "STATUSES",
    "SURVEY_SCALES",
    "TABLES",
    "TECHNICAL_COMPETENCIES",
    "UNIT_SECTORS",
    "UNIT_TYPES",
    "YEARS_OF_SERVICE_RANGE",
    "SyntheticData",
    "generate",
    "redraw_predikat",
    "write",
]

GENERATOR = "asn_analysis.synthetic v1"
DEFAULT_SEED = 20250101
#: Snapshot date of the ``employees`` table (years of service are counted to it).
REFERENCE_DATE = "2025-06-30"

# ---------------------------------------------------------------------------------------------
# Codebook constants (data/README.md)
# ---------------------------------------------------------------------------------------------
# The codebook's tables and allowed values come from the data model itself.
UNIT_SECTORS = SECTORS
EDUCATION_LEVELS = EDUCATION
RESPONDENT_AGE_GROUPS = AGE_GROUPS
SOSIAL_KULTURAL_COMPETENCIES = SOCIOCULTURAL_COMPETENCIES
PREDIKAT_LEVELS = PREDIKAT
BIRTH_YEAR_RANGE = (1955, 2008)
YEARS_OF_SERVICE_RANGE = (0, 45)
TECHNICAL_COMPETENCIES = tuple(f"teknis_{f}" for f in JOB_FAMILIES)
SKM_PERIODS = tuple(f"{y}-S{s}" for y in range(2022, 2026) for s in (1, 2))
SURVEY_SCALES = ("resistance", "transparency", "communication", "threat")
STAFF_SURVEY_WAVES = ("2023-S2", "2025-S1")
PERFORMANCE_YEARS = (2022, 2023, 2024, 2025)
PPPK_APPOINTMENT_YEAR = 2024

# ---------------------------------------------------------------------------------------------
# Units: (id, name, sector, type, service users per semester, core job family,
#         head post (jpt_pratama) or None, administrator posts, pengawas posts, services)
# ---------------------------------------------------------------------------------------------
_SUB3 = (
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Subbagian Keuangan",
    "Kepala Subbagian Perencanaan",
)
_PUSKESMAS_SERVICES = (
    "Pemeriksaan Umum",
    "Kesehatan Ibu dan Anak",
    "Imunisasi",
    "Pemeriksaan Gigi dan Mulut",
    "Laboratorium",
)
_KECAMATAN_SERVICES = (
    "Surat Keterangan Domisili",
    "Rekomendasi Izin Keramaian",
    "Legalisasi Dokumen",
    "Pengantar Administrasi Kependudukan",
)
_KECAMATAN_PENGAWAS = (
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Seksi Pemerintahan",
    "Kepala Seksi Ketenteraman dan Ketertiban Umum",
    "Kepala Seksi Pemberdayaan Masyarakat dan Desa",
)


@dataclass(frozen=True)
class _UnitSpec:
    unit_id: str
    name: str
    sector: str
    unit_type: str
    users: int
    family: str
    head: str | None
    admin: tuple[str, ...]
    pengawas: tuple[str, ...]
    services: tuple[str, ...]


def _puskesmas(uid: str, place: str, users: int) -> _UnitSpec:
    return _UnitSpec(
        uid,
        f"Puskesmas {place}",
        "kesehatan",
        "puskesmas",
        users,
        "kesehatan",
        None,
        (),
        ("Kepala Subbagian Tata Usaha Puskesmas",),
        _PUSKESMAS_SERVICES,
    )


def _kecamatan(uid: str, place: str, users: int) -> _UnitSpec:
    return _UnitSpec(
        uid,
        f"Kecamatan {place}",
        "kewilayahan",
        "kecamatan",
        users,
        "administrasi_umum",
        None,
        ("Camat", "Sekretaris Kecamatan"),
        _KECAMATAN_PENGAWAS,
        _KECAMATAN_SERVICES,
    )


_UNITS: tuple[_UnitSpec, ...] = (
    _UnitSpec(
        "U01",
        "Dinas Kesehatan",
        "kesehatan",
        "dinas",
        1200,
        "kesehatan",
        "Kepala Dinas Kesehatan",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Kesehatan Masyarakat",
            "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
            "Kepala Bidang Pelayanan dan Sumber Daya Kesehatan",
        ),
        (
            *_SUB3[:2],
            "Kepala Seksi Kesehatan Keluarga dan Gizi",
            "Kepala Seksi Promosi Kesehatan",
            "Kepala Seksi Surveilans dan Imunisasi",
            "Kepala Seksi Pengendalian Penyakit Menular",
            "Kepala Seksi Pelayanan Kesehatan Primer",
            "Kepala Seksi Kefarmasian dan Alat Kesehatan",
            "Kepala Seksi Sumber Daya Manusia Kesehatan",
        ),
        (
            "Izin Praktik Tenaga Kesehatan",
            "Rekomendasi Izin Apotek dan Klinik",
            "Layanan Data dan Informasi Kesehatan",
        ),
    ),
    _UnitSpec(
        "U02",
        "Dinas Pendidikan dan Kebudayaan",
        "pendidikan",
        "dinas",
        900,
        "pendidikan",
        "Kepala Dinas Pendidikan dan Kebudayaan",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Pembinaan Sekolah Dasar",
            "Kepala Bidang Pembinaan Sekolah Menengah Pertama",
            "Kepala Bidang Kebudayaan",
        ),
        (
            *_SUB3,
            "Kepala Seksi Kurikulum Sekolah Dasar",
            "Kepala Seksi Peserta Didik Sekolah Dasar",
            "Kepala Seksi Kurikulum Sekolah Menengah Pertama",
            "Kepala Seksi Sarana Prasarana Pendidikan",
            "Kepala Seksi Pendidik dan Tenaga Kependidikan",
            "Kepala Seksi Pendidikan Anak Usia Dini",
            "Kepala Seksi Cagar Budaya dan Permuseuman",
        ),
        (
            "Legalisasi Ijazah",
            "Surat Keterangan Pengganti Ijazah",
            "Mutasi Peserta Didik",
            "Rekomendasi Izin Operasional Sekolah",
        ),
    ),
    _UnitSpec(
        "U03",
        "RSUD Kabupaten Mamuju",
        "kesehatan",
        "rsud",
        20000,
        "kesehatan",
        "Direktur RSUD",
        (
            "Kepala Bagian Tata Usaha",
            "Kepala Bidang Pelayanan Medik dan Keperawatan",
            "Kepala Bidang Penunjang Medik",
        ),
        (
            *_SUB3,
            "Kepala Seksi Pelayanan Medik",
            "Kepala Seksi Keperawatan",
            "Kepala Seksi Rekam Medik",
            "Kepala Seksi Penunjang Diagnostik",
            "Kepala Seksi Farmasi",
            "Kepala Seksi Sarana dan Prasarana Rumah Sakit",
            "Kepala Seksi Mutu Pelayanan",
        ),
        ("Rawat Jalan", "Rawat Inap", "Instalasi Gawat Darurat", "Laboratorium", "Radiologi"),
    ),
    _puskesmas("U04", "Binanga", 7500),
    _puskesmas("U05", "Bambu", 5500),
    _puskesmas("U06", "Kalukku", 6000),
    _puskesmas("U07", "Tapalang", 3500),
    _puskesmas("U08", "Rangas", 3000),
    _UnitSpec(
        "U09",
        "Badan Kepegawaian, Pendidikan dan Pelatihan",
        "pemerintahan",
        "badan",
        700,
        "administrasi_umum",
        "Kepala Badan Kepegawaian, Pendidikan dan Pelatihan",
        (
            "Sekretaris Badan",
            "Kepala Bidang Mutasi dan Promosi",
            "Kepala Bidang Pengembangan Kompetensi Aparatur",
        ),
        (
            *_SUB3,
            "Kepala Subbidang Mutasi",
            "Kepala Subbidang Kepangkatan dan Pensiun",
            "Kepala Subbidang Pendidikan dan Pelatihan",
            "Kepala Subbidang Penilaian Kinerja Aparatur",
            "Kepala Subbidang Data dan Informasi Kepegawaian",
        ),
        ("Layanan Kenaikan Pangkat", "Layanan Pensiun", "Layanan Cuti", "Layanan Izin Belajar"),
    ),
    _UnitSpec(
        "U10",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "keuangan",
        "badan",
        300,
        "keuangan",
        "Kepala Badan Pengelolaan Keuangan dan Aset Daerah",
        (
            "Sekretaris Badan",
            "Kepala Bidang Anggaran",
            "Kepala Bidang Perbendaharaan",
            "Kepala Bidang Akuntansi dan Aset",
        ),
        (
            *_SUB3,
            "Kepala Subbidang Anggaran Belanja",
            "Kepala Subbidang Perbendaharaan",
            "Kepala Subbidang Verifikasi",
            "Kepala Subbidang Akuntansi",
            "Kepala Subbidang Pelaporan Keuangan",
            "Kepala Subbidang Penatausahaan Aset",
            "Kepala Subbidang Pemanfaatan Aset",
        ),
        ("Penerbitan SP2D", "Verifikasi SPM", "Penatausahaan Aset"),
    ),
    _UnitSpec(
        "U11",
        "Badan Perencanaan Pembangunan Daerah",
        "pemerintahan",
        "badan",
        150,
        "perencanaan",
        "Kepala Badan Perencanaan Pembangunan Daerah",
        (
            "Sekretaris Badan",
            "Kepala Bidang Perencanaan Ekonomi dan Infrastruktur",
            "Kepala Bidang Perencanaan Pemerintahan dan Pembangunan Manusia",
        ),
        (
            *_SUB3,
            "Kepala Subbidang Ekonomi",
            "Kepala Subbidang Infrastruktur dan Kewilayahan",
            "Kepala Subbidang Pemerintahan",
            "Kepala Subbidang Pembangunan Manusia",
            "Kepala Subbidang Penelitian dan Pengembangan",
        ),
        (
            "Konsultasi Perencanaan Pembangunan",
            "Layanan Data Pembangunan",
            "Rekomendasi Penelitian",
        ),
    ),
    _UnitSpec(
        "U12",
        "Badan Pendapatan Daerah",
        "keuangan",
        "badan",
        800,
        "keuangan",
        "Kepala Badan Pendapatan Daerah",
        ("Sekretaris Badan", "Kepala Bidang Pajak Daerah", "Kepala Bidang Retribusi Daerah"),
        (
            *_SUB3,
            "Kepala Subbidang Pendataan dan Penetapan Pajak",
            "Kepala Subbidang Penagihan Pajak",
            "Kepala Subbidang Pajak Bumi dan Bangunan",
            "Kepala Subbidang Retribusi",
            "Kepala Subbidang Evaluasi Pendapatan",
        ),
        ("Pembayaran PBB", "Pendaftaran Wajib Pajak Daerah", "Layanan BPHTB"),
    ),
    _UnitSpec(
        "U13",
        "Dinas Komunikasi dan Informatika",
        "pemerintahan",
        "dinas",
        250,
        "teknologi_informasi",
        "Kepala Dinas Komunikasi dan Informatika",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Aplikasi Informatika",
            "Kepala Bidang Informasi dan Komunikasi Publik",
        ),
        (
            *_SUB3,
            "Kepala Seksi Infrastruktur Teknologi Informasi",
            "Kepala Seksi Layanan Aplikasi",
            "Kepala Seksi Persandian dan Keamanan Informasi",
            "Kepala Seksi Pengelolaan Informasi Publik",
            "Kepala Seksi Statistik Sektoral",
        ),
        ("Layanan Jaringan Intra Pemerintah", "Subdomain dan Email Dinas", "Layanan PPID"),
    ),
    _UnitSpec(
        "U14",
        "Satuan Polisi Pamong Praja",
        "ketertiban",
        "satuan",
        400,
        "ketertiban_umum",
        "Kepala Satuan Polisi Pamong Praja",
        (
            "Sekretaris Satuan",
            "Kepala Bidang Penegakan Peraturan Daerah",
            "Kepala Bidang Pemadam Kebakaran",
        ),
        (
            *_SUB3[:2],
            "Kepala Seksi Penyelidikan dan Penyidikan",
            "Kepala Seksi Ketertiban Umum",
            "Kepala Seksi Perlindungan Masyarakat",
            "Kepala Seksi Operasi dan Pengendalian",
            "Kepala Seksi Pencegahan Kebakaran",
            "Kepala Seksi Pemadaman dan Penyelamatan",
        ),
        ("Pengaduan Ketertiban Umum", "Pemadaman Kebakaran dan Penyelamatan", "Pengamanan Acara"),
    ),
    _UnitSpec(
        "U15",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "pemerintahan",
        "dinas",
        6000,
        "administrasi_umum",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Pelayanan Pendaftaran Penduduk",
            "Kepala Bidang Pelayanan Pencatatan Sipil",
        ),
        (
            *_SUB3,
            "Kepala Seksi Identitas Penduduk",
            "Kepala Seksi Pindah Datang Penduduk",
            "Kepala Seksi Kelahiran dan Kematian",
            "Kepala Seksi Perkawinan dan Perceraian",
            "Kepala Seksi Sistem Informasi Administrasi Kependudukan",
        ),
        ("Perekaman KTP-el", "Kartu Keluarga", "Akta Kelahiran", "Akta Kematian", "Surat Pindah"),
    ),
    _UnitSpec(
        "U16",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "perekonomian",
        "dinas",
        2200,
        "administrasi_umum",
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        ("Sekretaris Dinas", "Kepala Bidang Pelayanan Perizinan", "Kepala Bidang Penanaman Modal"),
        (
            *_SUB3,
            "Kepala Seksi Perizinan Usaha",
            "Kepala Seksi Perizinan Non Usaha",
            "Kepala Seksi Pengaduan dan Informasi Layanan",
            "Kepala Seksi Promosi Penanaman Modal",
            "Kepala Seksi Pengendalian Penanaman Modal",
        ),
        (
            "Perizinan Berusaha Berbasis Risiko",
            "Persetujuan Bangunan Gedung",
            "Izin Reklame",
            "Konsultasi Perizinan",
        ),
    ),
    _UnitSpec(
        "U17",
        "Dinas Sosial",
        "sosial",
        "dinas",
        1800,
        "administrasi_umum",
        "Kepala Dinas Sosial",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Perlindungan dan Jaminan Sosial",
            "Kepala Bidang Rehabilitasi dan Pemberdayaan Sosial",
        ),
        (
            *_SUB3,
            "Kepala Seksi Jaminan Sosial Keluarga",
            "Kepala Seksi Perlindungan Sosial Korban Bencana",
            "Kepala Seksi Rehabilitasi Sosial",
            "Kepala Seksi Pemberdayaan Fakir Miskin",
            "Kepala Seksi Data Kesejahteraan Sosial",
        ),
        (
            "Pendaftaran DTKS",
            "Rekomendasi PBI Jaminan Kesehatan",
            "Rekomendasi Bantuan Sosial",
            "Rehabilitasi Sosial",
        ),
    ),
    _UnitSpec(
        "U18",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "infrastruktur",
        "dinas",
        300,
        "teknik",
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Bina Marga",
            "Kepala Bidang Sumber Daya Air",
            "Kepala Bidang Penataan Ruang",
        ),
        (
            *_SUB3,
            "Kepala Seksi Pembangunan Jalan dan Jembatan",
            "Kepala Seksi Preservasi Jalan dan Jembatan",
            "Kepala Seksi Irigasi",
            "Kepala Seksi Air Baku",
            "Kepala Seksi Perencanaan Tata Ruang",
            "Kepala Seksi Pengendalian Pemanfaatan Ruang",
            "Kepala Seksi Jasa Konstruksi",
        ),
        (
            "Rekomendasi Kesesuaian Tata Ruang",
            "Informasi Jasa Konstruksi",
            "Pengaduan Kerusakan Jalan",
        ),
    ),
    _UnitSpec(
        "U19",
        "Dinas Perhubungan",
        "infrastruktur",
        "dinas",
        650,
        "teknik",
        "Kepala Dinas Perhubungan",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Lalu Lintas dan Angkutan",
            "Kepala Bidang Sarana dan Prasarana Perhubungan",
        ),
        (
            *_SUB3,
            "Kepala Seksi Manajemen dan Rekayasa Lalu Lintas",
            "Kepala Seksi Angkutan",
            "Kepala Seksi Pengujian Kendaraan Bermotor",
            "Kepala Seksi Perparkiran",
            "Kepala Seksi Prasarana Perhubungan",
        ),
        ("Pengujian Kendaraan Bermotor", "Izin Trayek Angkutan", "Layanan Parkir"),
    ),
    _UnitSpec(
        "U20",
        "Dinas Lingkungan Hidup",
        "infrastruktur",
        "dinas",
        500,
        "teknik",
        "Kepala Dinas Lingkungan Hidup",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Pengelolaan Sampah",
            "Kepala Bidang Pengendalian Pencemaran Lingkungan",
        ),
        (
            *_SUB3,
            "Kepala Seksi Pengurangan Sampah",
            "Kepala Seksi Penanganan Sampah",
            "Kepala Seksi Pengendalian Pencemaran",
            "Kepala Seksi Kajian Dampak Lingkungan",
            "Kepala Seksi Pertamanan",
        ),
        ("Persetujuan Lingkungan", "Pengangkutan Sampah", "Pengaduan Pencemaran Lingkungan"),
    ),
    _UnitSpec(
        "U21",
        "Dinas Pertanian",
        "perekonomian",
        "dinas",
        800,
        "teknik",
        "Kepala Dinas Pertanian",
        (
            "Sekretaris Dinas",
            "Kepala Bidang Tanaman Pangan dan Hortikultura",
            "Kepala Bidang Perkebunan",
            "Kepala Bidang Peternakan dan Kesehatan Hewan",
        ),
        (
            *_SUB3,
            "Kepala Seksi Produksi Tanaman Pangan",
            "Kepala Seksi Hortikultura",
            "Kepala Seksi Produksi Perkebunan",
            "Kepala Seksi Pengolahan Hasil Perkebunan",
            "Kepala Seksi Kesehatan Hewan",
            "Kepala Seksi Penyuluhan Pertanian",
            "Kepala Seksi Sarana dan Prasarana Pertanian",
        ),
        (
            "Penyaluran Pupuk Bersubsidi",
            "Layanan Kesehatan Hewan",
            "Rekomendasi Usaha Pertanian",
            "Penyuluhan Pertanian",
        ),
    ),
    _UnitSpec(
        "U22",
        "Inspektorat",
        "pengawasan",
        "inspektorat",
        150,
        "keuangan",
        "Inspektur",
        (
            "Sekretaris Inspektorat",
            "Inspektur Pembantu Wilayah I",
            "Inspektur Pembantu Wilayah II",
            "Inspektur Pembantu Wilayah III",
        ),
        _SUB3,
        ("Penanganan Pengaduan Masyarakat", "Reviu Laporan Keuangan", "Konsultasi Pengawasan"),
    ),
    _UnitSpec(
        "U23",
        "Sekretariat Daerah",
        "pemerintahan",
        "sekretariat",
        350,
        "administrasi_umum",
        "Sekretaris Daerah",
        (
            "Kepala Bagian Pemerintahan",
            "Kepala Bagian Hukum",
            "Kepala Bagian Organisasi",
            "Kepala Bagian Perekonomian dan Sumber Daya Alam",
            "Kepala Bagian Pengadaan Barang dan Jasa",
            "Kepala Bagian Umum",
        ),
        (
            "Kepala Subbagian Administrasi Pemerintahan",
            "Kepala Subbagian Otonomi Daerah",
            "Kepala Subbagian Kerja Sama",
            "Kepala Subbagian Perundang-undangan",
            "Kepala Subbagian Bantuan Hukum",
            "Kepala Subbagian Dokumentasi Hukum",
            "Kepala Subbagian Kelembagaan dan Analisis Jabatan",
            "Kepala Subbagian Reformasi Birokrasi dan Akuntabilitas",
            "Kepala Subbagian Tata Laksana",
            "Kepala Subbagian Perekonomian",
            "Kepala Subbagian Sumber Daya Alam",
            "Kepala Subbagian Pengelolaan Pengadaan",
            "Kepala Subbagian Layanan Pengadaan Secara Elektronik",
            "Kepala Subbagian Tata Usaha Pimpinan",
            "Kepala Subbagian Rumah Tangga",
            "Kepala Subbagian Protokol",
            *_SUB3[1:],
        ),
        ("Layanan Pengadaan Secara Elektronik", "Bantuan Hukum", "Administrasi Kerja Sama"),
    ),
    _UnitSpec(
        "U24",
        "Sekretariat DPRD",
        "pemerintahan",
        "sekretariat",
        200,
        "administrasi_umum",
        "Sekretaris DPRD",
        ("Kepala Bagian Umum dan Keuangan", "Kepala Bagian Persidangan dan Perundang-undangan"),
        (
            *_SUB3,
            "Kepala Subbagian Persidangan dan Risalah",
            "Kepala Subbagian Perundang-undangan",
            "Kepala Subbagian Humas dan Protokol",
        ),
        ("Penerimaan Aspirasi Masyarakat", "Informasi Persidangan", "Kunjungan dan Audiensi"),
    ),
    _kecamatan("U25", "Mamuju", 4000),
    _kecamatan("U26", "Simboro", 2500),
    _kecamatan("U27", "Kalukku", 3200),
    _kecamatan("U28", "Tapalang", 1800),
    _kecamatan("U29", "Papalang", 1500),
    _UnitSpec(
        "U30",
        "Dinas Perdagangan, Perindustrian, Koperasi dan UKM",
        "perekonomian",
        "dinas",
        600,
        "administrasi_umum",
        "Kepala Dinas Perdagangan, Perindustrian, Koperasi dan UKM",
        ("Sekretaris Dinas", "Kepala Bidang Perdagangan", "Kepala Bidang Koperasi dan Usaha Mikro"),
        (
            *_SUB3,
            "Kepala Seksi Pengembangan Perdagangan",
            "Kepala Seksi Metrologi Legal",
            "Kepala Seksi Perindustrian",
            "Kepala Seksi Kelembagaan Koperasi",
            "Kepala Seksi Pemberdayaan Usaha Mikro",
        ),
        ("Tera dan Tera Ulang", "Izin Usaha Mikro", "Pendaftaran Koperasi", "Pengelolaan Pasar"),
    ),
)
_DISKOMINFO = "U13"
_DINKES = "U01"

# Struktural posts whose job family does not follow the unit's core family.
_STRUCT_FAMILY = {
    "Kepala Subbagian Umum dan Kepegawaian": "administrasi_umum",
    "Kepala Subbagian Keuangan": "keuangan",
    "Kepala Subbagian Perencanaan": "perencanaan",
    "Kepala Subbagian Tata Usaha Puskesmas": "administrasi_umum",
    "Kepala Bagian Tata Usaha": "administrasi_umum",
    "Sekretaris Dinas": "administrasi_umum",
    "Sekretaris Badan": "administrasi_umum",
    "Sekretaris Satuan": "administrasi_umum",
    "Sekretaris Inspektorat": "administrasi_umum",
    "Sekretaris Kecamatan": "administrasi_umum",
}

# Fungsional posts: title -> (job family, grade).
_FUNGSIONAL: dict[str, tuple[str, str]] = {
    "Guru Ahli Pertama": ("pendidikan", "pertama"),
    "Guru Ahli Muda": ("pendidikan", "muda"),
    "Guru Ahli Madya": ("pendidikan", "madya"),
    "Dokter Ahli Pertama": ("kesehatan", "pertama"),
    "Dokter Ahli Muda": ("kesehatan", "muda"),
    "Dokter Ahli Madya": ("kesehatan", "madya"),
    "Dokter Gigi Ahli Pertama": ("kesehatan", "pertama"),
    "Perawat Terampil": ("kesehatan", "terampil"),
    "Perawat Ahli Pertama": ("kesehatan", "pertama"),
    "Perawat Ahli Muda": ("kesehatan", "muda"),
    "Perawat Ahli Madya": ("kesehatan", "madya"),
    "Bidan Terampil": ("kesehatan", "terampil"),
    "Bidan Ahli Pertama": ("kesehatan", "pertama"),
    "Apoteker Ahli Pertama": ("kesehatan", "pertama"),
    "Tenaga Teknis Kefarmasian Terampil": ("kesehatan", "terampil"),
    "Pranata Laboratorium Kesehatan Terampil": ("kesehatan", "terampil"),
    "Radiografer Terampil": ("kesehatan", "terampil"),
    "Nutrisionis Terampil": ("kesehatan", "terampil"),
    "Nutrisionis Ahli Pertama": ("kesehatan", "pertama"),
    "Perekam Medis Terampil": ("kesehatan", "terampil"),
    "Fisioterapis Terampil": ("kesehatan", "terampil"),
    "Tenaga Sanitasi Lingkungan Terampil": ("kesehatan", "terampil"),
    "Epidemiolog Kesehatan Ahli Pertama": ("kesehatan", "pertama"),
    "Entomolog Kesehatan Ahli Pertama": ("kesehatan", "pertama"),
    "Penyuluh Kesehatan Masyarakat Ahli Pertama": ("kesehatan", "pertama"),
    "Administrator Kesehatan Ahli Pertama": ("kesehatan", "pertama"),
    "Administrator Kesehatan Ahli Muda": ("kesehatan", "muda"),
    "Pranata Komputer Terampil": ("teknologi_informasi", "terampil"),
    "Pranata Komputer Ahli Pertama": ("teknologi_informasi", "pertama"),
    "Pranata Komputer Ahli Muda": ("teknologi_informasi", "muda"),
    "Administrator Database Kependudukan Ahli Pertama": ("teknologi_informasi", "pertama"),
    "Sandiman Ahli Pertama": ("teknologi_informasi", "pertama"),
    "Statistisi Ahli Pertama": ("perencanaan", "pertama"),
    "Perencana Ahli Pertama": ("perencanaan", "pertama"),
    "Perencana Ahli Muda": ("perencanaan", "muda"),
    "Analis Kebijakan Ahli Pertama": ("perencanaan", "pertama"),
    "Analis Kebijakan Ahli Muda": ("perencanaan", "muda"),
    "Pranata Hubungan Masyarakat Ahli Pertama": ("administrasi_umum", "pertama"),
    "Arsiparis Terampil": ("administrasi_umum", "terampil"),
    "Analis Sumber Daya Manusia Aparatur Ahli Pertama": ("administrasi_umum", "pertama"),
    "Analis Sumber Daya Manusia Aparatur Ahli Muda": ("administrasi_umum", "muda"),
    "Widyaiswara Ahli Muda": ("pendidikan", "muda"),
    "Pengawas Sekolah Ahli Madya": ("pendidikan", "madya"),
    "Penilik Ahli Muda": ("pendidikan", "muda"),
    "Analis Keuangan Pusat dan Daerah Ahli Pertama": ("keuangan", "pertama"),
    "Analis Keuangan Pusat dan Daerah Ahli Muda": ("keuangan", "muda"),
    "Pengelola Pengadaan Barang/Jasa Ahli Pertama": ("administrasi_umum", "pertama"),
    "Auditor Ahli Pertama": ("keuangan", "pertama"),
    "Auditor Ahli Muda": ("keuangan", "muda"),
    "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah Ahli Pertama": (
        "administrasi_umum",
        "pertama",
    ),
    "Polisi Pamong Praja Terampil": ("ketertiban_umum", "terampil"),
    "Polisi Pamong Praja Ahli Pertama": ("ketertiban_umum", "pertama"),
    "Pemadam Kebakaran Terampil": ("ketertiban_umum", "terampil"),
    "Penata Perizinan Ahli Pertama": ("administrasi_umum", "pertama"),
    "Pekerja Sosial Ahli Pertama": ("administrasi_umum", "pertama"),
    "Penyuluh Sosial Ahli Pertama": ("administrasi_umum", "pertama"),
    "Teknik Jalan dan Jembatan Ahli Pertama": ("teknik", "pertama"),
    "Teknik Jalan dan Jembatan Ahli Muda": ("teknik", "muda"),
    "Teknik Pengairan Ahli Pertama": ("teknik", "pertama"),
    "Penata Ruang Ahli Pertama": ("teknik", "pertama"),
    "Penguji Kendaraan Bermotor Terampil": ("teknik", "terampil"),
    "Penguji Kendaraan Bermotor Ahli Pertama": ("teknik", "pertama"),
    "Pengendali Dampak Lingkungan Ahli Pertama": ("teknik", "pertama"),
    "Pengendali Dampak Lingkungan Ahli Muda": ("teknik", "muda"),
    "Penyuluh Pertanian Terampil": ("teknik", "terampil"),
    "Penyuluh Pertanian Ahli Pertama": ("teknik", "pertama"),
    "Penyuluh Pertanian Ahli Muda": ("teknik", "muda"),
    "Medik Veteriner Ahli Pertama": ("teknik", "pertama"),
    "Pengawas Benih Tanaman Terampil": ("teknik", "terampil"),
    "Perancang Peraturan Perundang-undangan Ahli Pertama": ("administrasi_umum", "pertama"),
    "Penera Terampil": ("teknik", "terampil"),
    "Pengawas Perdagangan Ahli Pertama": ("administrasi_umum", "pertama"),
    "Penyuluh Perindustrian dan Perdagangan Ahli Pertama": ("administrasi_umum", "pertama"),
}

# Pelaksana posts: title -> job family.
_PELAKSANA: dict[str, str] = {
    "Pengadministrasi Perkantoran": "administrasi_umum",
    "Penata Layanan Operasional": "administrasi_umum",
    "Operator Layanan Operasional": "administrasi_umum",
    "Pengolah Data dan Informasi": "administrasi_umum",
    "Penelaah Teknis Kebijakan": "administrasi_umum",
    "Pengelola Keuangan": "keuangan",
    "Penata Laporan Keuangan": "keuangan",
    "Penyusun Program dan Anggaran": "perencanaan",
    "Pengelola Teknologi Informasi": "teknologi_informasi",
    "Teknisi Sarana dan Prasarana": "teknik",
    "Pengawas Lapangan": "teknik",
    "Petugas Ketertiban": "ketertiban_umum",
    "Pengelola Layanan Kesehatan": "kesehatan",
}
_PELAKSANA_DEFAULT_MIX = {
    "Pengadministrasi Perkantoran": 30,
    "Penata Layanan Operasional": 18,
    "Operator Layanan Operasional": 14,
    "Pengolah Data dan Informasi": 10,
    "Penelaah Teknis Kebijakan": 6,
    "Pengelola Keuangan": 8,
    "Penata Laporan Keuangan": 3,
    "Penyusun Program dan Anggaran": 4,
    "Pengelola Teknologi Informasi": 5,
    "Teknisi Sarana dan Prasarana": 2,
}
_PELAKSANA_EXTRA = {
    "U01": {"Pengelola Layanan Kesehatan": 30},
    "U03": {"Pengelola Layanan Kesehatan": 40},
    "U04": {"Pengelola Layanan Kesehatan": 40},
    "U05": {"Pengelola Layanan Kesehatan": 40},
    "U06": {"Pengelola Layanan Kesehatan": 40},
    "U07": {"Pengelola Layanan Kesehatan": 40},
    "U08": {"Pengelola Layanan Kesehatan": 40},
    "U02": {"Operator Layanan Operasional": 25},
    "U13": {"Pengelola Teknologi Informasi": 60},
    "U14": {"Petugas Ketertiban": 250},
    "U18": {"Pengawas Lapangan": 40, "Teknisi Sarana dan Prasarana": 10},
    "U20": {"Teknisi Sarana dan Prasarana": 30},
}
# Pelaksana headcount weights per unit (at about 4,500 staff).
_PELAKSANA_UNIT = {
    "U01": 25, "U02": 300, "U03": 60, "U04": 9, "U05": 8, "U06": 8, "U07": 7, "U08": 7,
    "U09": 30, "U10": 40, "U11": 20, "U12": 35, "U13": 20, "U14": 60, "U15": 35, "U16": 25,
    "U17": 25, "U18": 35, "U19": 30, "U20": 40, "U21": 30, "U22": 15, "U23": 70, "U24": 30,
    "U25": 18, "U26": 14, "U27": 16, "U28": 13, "U29": 13, "U30": 25,
}  # fmt: skip
_TEACHERS = {"Guru Ahli Pertama": 1025, "Guru Ahli Muda": 480, "Guru Ahli Madya": 430}
_HEALTH_PUSKESMAS = {
    "Dokter Ahli Pertama": 3, "Dokter Gigi Ahli Pertama": 1, "Perawat Terampil": 12,
    "Perawat Ahli Pertama": 8, "Bidan Terampil": 12, "Bidan Ahli Pertama": 5,
    "Tenaga Sanitasi Lingkungan Terampil": 2, "Nutrisionis Terampil": 2,
    "Tenaga Teknis Kefarmasian Terampil": 3, "Pranata Laboratorium Kesehatan Terampil": 3,
    "Penyuluh Kesehatan Masyarakat Ahli Pertama": 2, "Perekam Medis Terampil": 2,
    "Administrator Kesehatan Ahli Pertama": 2,
}  # fmt: skip
_PUSKESMAS_SIZE = {"U04": 1.2, "U05": 1.0, "U06": 1.1, "U07": 0.85, "U08": 0.85}
_HEALTH = {
    "U01": {
        "Administrator Kesehatan Ahli Muda": 6, "Administrator Kesehatan Ahli Pertama": 3,
        "Epidemiolog Kesehatan Ahli Pertama": 5, "Entomolog Kesehatan Ahli Pertama": 2,
        "Penyuluh Kesehatan Masyarakat Ahli Pertama": 6,
        "Tenaga Sanitasi Lingkungan Terampil": 6, "Nutrisionis Ahli Pertama": 4,
        "Apoteker Ahli Pertama": 4, "Tenaga Teknis Kefarmasian Terampil": 4,
        "Perawat Ahli Pertama": 8, "Bidan Ahli Pertama": 6, "Dokter Ahli Pertama": 4,
        "Pranata Laboratorium Kesehatan Terampil": 3, "Perekam Medis Terampil": 2,
    },
    "U03": {
        "Dokter Ahli Pertama": 18, "Dokter Ahli Muda": 14, "Dokter Ahli Madya": 7,
        "Dokter Gigi Ahli Pertama": 3, "Perawat Terampil": 60, "Perawat Ahli Pertama": 55,
        "Perawat Ahli Muda": 20, "Perawat Ahli Madya": 2, "Bidan Terampil": 25,
        "Bidan Ahli Pertama": 15, "Apoteker Ahli Pertama": 8,
        "Tenaga Teknis Kefarmasian Terampil": 14,
        "Pranata Laboratorium Kesehatan Terampil": 14, "Radiografer Terampil": 8,
        "Nutrisionis Terampil": 6, "Perekam Medis Terampil": 10, "Fisioterapis Terampil": 5,
    },
    **{
        uid: {k: v * size for k, v in _HEALTH_PUSKESMAS.items()}
        for uid, size in _PUSKESMAS_SIZE.items()
    },
}  # fmt: skip
_OTHER_FUNGSIONAL = {
    "U01": {
        "Pranata Komputer Ahli Pertama": 2, "Perencana Ahli Pertama": 2,
        "Arsiparis Terampil": 1,
    },
    "U02": {
        "Pengawas Sekolah Ahli Madya": 28, "Penilik Ahli Muda": 8,
        "Pranata Komputer Terampil": 3, "Perencana Ahli Pertama": 2,
        "Analis Kebijakan Ahli Muda": 2,
    },
    "U03": {
        "Pranata Komputer Ahli Pertama": 4, "Perencana Ahli Pertama": 2,
        "Analis Keuangan Pusat dan Daerah Ahli Pertama": 3, "Arsiparis Terampil": 2,
    },
    "U04": {"Pranata Komputer Terampil": 1}, "U05": {"Pranata Komputer Terampil": 1},
    "U06": {"Pranata Komputer Terampil": 1}, "U07": {"Pranata Komputer Terampil": 1},
    "U08": {"Pranata Komputer Terampil": 1},
    "U09": {
        "Analis Sumber Daya Manusia Aparatur Ahli Pertama": 12,
        "Analis Sumber Daya Manusia Aparatur Ahli Muda": 6,
        "Pranata Komputer Ahli Pertama": 3, "Widyaiswara Ahli Muda": 3,
        "Arsiparis Terampil": 2,
    },
    "U10": {
        "Analis Keuangan Pusat dan Daerah Ahli Pertama": 18,
        "Analis Keuangan Pusat dan Daerah Ahli Muda": 7, "Pranata Komputer Ahli Pertama": 3,
        "Pengelola Pengadaan Barang/Jasa Ahli Pertama": 2,
    },
    "U11": {
        "Perencana Ahli Pertama": 14, "Perencana Ahli Muda": 7, "Statistisi Ahli Pertama": 2,
        "Pranata Komputer Ahli Pertama": 2,
    },
    "U12": {
        "Analis Keuangan Pusat dan Daerah Ahli Pertama": 10,
        "Analis Keuangan Pusat dan Daerah Ahli Muda": 3, "Pranata Komputer Ahli Pertama": 3,
    },
    "U13": {
        "Pranata Komputer Terampil": 7, "Pranata Komputer Ahli Pertama": 12,
        "Pranata Komputer Ahli Muda": 6, "Statistisi Ahli Pertama": 4,
        "Pranata Hubungan Masyarakat Ahli Pertama": 5, "Sandiman Ahli Pertama": 3,
    },
    "U14": {
        "Polisi Pamong Praja Terampil": 50, "Polisi Pamong Praja Ahli Pertama": 10,
        "Pemadam Kebakaran Terampil": 26, "Pranata Komputer Terampil": 1,
    },
    "U15": {
        "Administrator Database Kependudukan Ahli Pertama": 7, "Arsiparis Terampil": 2,
        "Analis Kebijakan Ahli Pertama": 1,
    },
    "U16": {
        "Analis Kebijakan Ahli Pertama": 2, "Pranata Komputer Ahli Pertama": 2,
        "Penata Perizinan Ahli Pertama": 6,
    },
    "U17": {"Pekerja Sosial Ahli Pertama": 7, "Penyuluh Sosial Ahli Pertama": 5},
    "U18": {
        "Teknik Jalan dan Jembatan Ahli Pertama": 12, "Teknik Jalan dan Jembatan Ahli Muda": 5,
        "Teknik Pengairan Ahli Pertama": 7, "Penata Ruang Ahli Pertama": 5,
        "Pranata Komputer Terampil": 1,
    },
    "U19": {
        "Penguji Kendaraan Bermotor Terampil": 10,
        "Penguji Kendaraan Bermotor Ahli Pertama": 3,
    },
    "U20": {
        "Pengendali Dampak Lingkungan Ahli Pertama": 7,
        "Pengendali Dampak Lingkungan Ahli Muda": 3,
    },
    "U21": {
        "Penyuluh Pertanian Terampil": 42, "Penyuluh Pertanian Ahli Pertama": 28,
        "Penyuluh Pertanian Ahli Muda": 8, "Medik Veteriner Ahli Pertama": 4,
        "Pengawas Benih Tanaman Terampil": 4,
    },
    "U22": {
        "Auditor Ahli Pertama": 15, "Auditor Ahli Muda": 8,
        "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah Ahli Pertama": 10,
        "Pranata Komputer Ahli Pertama": 1,
    },
    "U23": {
        "Analis Kebijakan Ahli Muda": 14, "Analis Kebijakan Ahli Pertama": 9,
        "Perancang Peraturan Perundang-undangan Ahli Pertama": 5,
        "Pranata Hubungan Masyarakat Ahli Pertama": 4,
        "Pengelola Pengadaan Barang/Jasa Ahli Pertama": 8, "Pranata Komputer Ahli Pertama": 2,
    },
    "U24": {
        "Analis Kebijakan Ahli Pertama": 4, "Arsiparis Terampil": 2,
        "Pranata Hubungan Masyarakat Ahli Pertama": 2, "Pranata Komputer Terampil": 1,
    },
    **{
        uid: {"Analis Kebijakan Ahli Pertama": 1, "Pranata Komputer Terampil": 1}
        for uid in ("U25", "U26", "U27", "U28", "U29")
    },
    "U30": {
        "Penera Terampil": 5, "Pengawas Perdagangan Ahli Pertama": 5,
        "Penyuluh Perindustrian dan Perdagangan Ahli Pertama": 4,
    },
}  # fmt: skip

#: Share of ASN by staff group (domain.md section 7); pelaksana take the rest after struktural.
_GROUP_SHARES = {"teacher": 0.43, "health": 0.14, "other_fungsional": 0.13}
_REFERENCE_SIZE = 4500

# Required managerial / socio-cultural level and required technical level by grade (synthetic
# pattern; the library always reads the levels from competency_standards).
_REQ_MANAGERIAL = {
    "jpt": 4,
    "administrator": 3,
    "pengawas": 2,
    "pelaksana": 1,
    "terampil": 1,
    "pertama": 2,
    "muda": 3,
    "madya": 4,
}
_REQ_TECHNICAL = {
    "jpt": 4,
    "administrator": 3,
    "pengawas": 3,
    "pelaksana": 2,
    "terampil": 2,
    "pertama": 2,
    "muda": 3,
    "madya": 4,
}
_GRADE_JOB_TYPE = {"jpt": "jpt_pratama", "administrator": "administrator", "pengawas": "pengawas"}

# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------
# Age in 2025 by grade for PNS: (mean, sd, min, max); retirement 58, or 60 for JPT, Ahli Madya
# and teachers.
_AGE_PNS = {
    "jpt": (53.0, 3.5, 44, 59),
    "administrator": (50.5, 4.5, 38, 57),
    "pengawas": (48.5, 5.5, 33, 57),
    "madya": (54.5, 3.5, 42, 59),
    "muda": (48.5, 6.0, 33, 57),
    "pertama": (38.0, 6.5, 26, 52),
    "terampil": (42.5, 8.0, 26, 57),
    "pelaksana": (46.0, 8.5, 26, 57),
}
_AGE_PPPK = (35.0, 6.5, 23, 56)
_EDUCATION = {
    "jpt": {"S1": 0.25, "S2": 0.70, "S3": 0.05},
    "administrator": {"S1": 0.45, "S2": 0.53, "S3": 0.02},
    "pengawas": {"D3": 0.05, "D4": 0.04, "S1": 0.69, "S2": 0.22},
    "madya": {"S1": 0.64, "S2": 0.30, "S3": 0.06},
    "muda": {"D4": 0.04, "S1": 0.76, "S2": 0.18, "S3": 0.02},
    "pertama": {"D4": 0.06, "S1": 0.87, "S2": 0.07},
    "terampil": {"SMA": 0.10, "D1": 0.03, "D2": 0.03, "D3": 0.80, "S1": 0.04},
    "pelaksana": {
        "SD": 0.01,
        "SMP": 0.03,
        "SMA": 0.44,
        "D1": 0.03,
        "D2": 0.02,
        "D3": 0.14,
        "D4": 0.02,
        "S1": 0.31,
    },
}
_HIGHER_EDUCATION = ("D4", "S1", "S2", "S3")
_MALE_FIRST = (
    "Muhammad", "Ahmad", "Abdul", "Syamsul", "Rahmat", "Arifin", "Hasanuddin", "Baharuddin",
    "Jamaluddin", "Ridwan", "Irwan", "Sudirman", "Agus", "Budi", "Joko", "Slamet", "Wahyu",
    "Yohanis", "Markus", "Daniel", "Petrus", "Ishak", "Ilham", "Fadli", "Akbar", "Rusli",
    "Amiruddin", "Syahrir", "Muhlis", "Zainal", "Darwis", "Hamka", "Firman", "Yusran", "Rizal",
    "Heri", "Eko", "Bambang", "Samuel", "Yakobus", "Frans", "Asdar", "Kamaruddin", "Nasrun",
    "Sahabuddin", "Taufik", "Arman", "Erwin", "Muhammad Yusuf", "Nurdin", "Saharuddin",
)  # fmt: skip
_FEMALE_FIRST = (
    "Siti", "Sitti", "Nurhayati", "Hasnah", "Hasmawati", "Nurul", "Rosmiati", "Kartini", "Sri",
    "Dewi", "Rini", "Endang", "Yuliana", "Maria", "Marta", "Ester", "Rahmawati", "Hasriani",
    "Nurlina", "Sumarni", "Musdalifah", "Nuraeni", "Fatmawati", "Hartati", "Kasmawati",
    "Rosdiana", "Suriani", "Wahyuni", "Asmawati", "Irmawati", "Darmawati", "Ratna", "Juliana",
    "Yohana", "Debora", "Lidia", "Agustina", "Hasniar", "Sulastri", "Nur Aisyah", "Rahmi",
    "Fitriani", "Megawati", "Yuni", "Eka", "Nurjannah", "Hijrah",
)  # fmt: skip
_FAMILY_NAMES = (
    "Rahman", "Hamzah", "Syarif", "Said", "Latif", "Tandiarrang", "Pakiding", "Rante", "Sampe",
    "Palimbong", "Batara", "Mappiasse", "Lamba", "Basri", "Kadir", "Rauf", "Jafar", "Idris",
    "Makmur", "Saputra", "Wijaya", "Santoso", "Hidayat", "Pratama", "Kurniawan", "Anwar",
    "Mansyur", "Haris", "Yusuf", "Amir", "Arsyad", "Salim", "Tahir", "Nasir", "Halim", "Mustari",
    "Pawennari", "Massinai", "Mandalle", "Tammase", "Sanusi", "Rasyid", "Ramli", "Baso", "Lolo",
    "Sarira", "Pasolon", "Ruru", "Lebang", "Sulaiman", "Mahmud", "Setiawan", "Susanto", "Hakim",
    "Syamsuddin", "Sappe", "Mangkona", "Tamalanrea", "Daeng Maro", "Puang Lolo",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Segments (gap-profile, performance and resistance shifts)
# ---------------------------------------------------------------------------------------------
_SEGMENTS: dict[str, dict[str, Any]] = {
    "kompeten_berkinerja": {
        "description_id": "kompetensi di atas standar, kinerja tinggi, resistensi rendah",
        "description_en": "competencies above standard, high performance, low resistance",
        "managerial_shift": 1.0,
        "technical_shift": 0.85,
        "performance_shift": 0.8,
        "resistance_shift": -1.0,
        "base_share": 0.33,
    },
    "kesenjangan_teknis": {
        "description_id": "kompetensi teknis di bawah standar jabatan (ketidaksesuaian jabatan)",
        "description_en": "technical competency below the post's standard (job mismatch)",
        "managerial_shift": 0.0,
        "technical_shift": -1.8,
        "performance_shift": 0.0,
        "resistance_shift": -0.5,
        "base_share": 0.08,
    },
    "kesenjangan_manajerial": {
        "description_id": "kompetensi manajerial dan sosial kultural di bawah standar",
        "description_en": "managerial and socio-cultural competencies below standard",
        "managerial_shift": -1.3,
        "technical_shift": 0.3,
        "performance_shift": 0.0,
        "resistance_shift": 0.0,
        "base_share": 0.27,
    },
    "resisten": {
        "description_id": (
            "kompetensi memadai tetapi resistensi tinggi terhadap evaluasi, keterlibatan rendah"
        ),
        "description_en": (
            "adequate competencies but high resistance to evaluation, low engagement"
        ),
        "managerial_shift": 0.7,
        "technical_shift": 0.5,
        "performance_shift": -0.9,
        "resistance_shift": 1.1,
        "base_share": 0.31,
    },
}
_SEGMENT_NAMES = tuple(_SEGMENTS)
_COMPETENCY_NOISE_SD = 0.4
_IT_OUTSIDE_MISMATCH_SEGMENT_PROB = 0.5
_DINKES_GAP_SHIFT = {"komunikasi": -0.5, "pelayanan_publik": -0.5}

# ---------------------------------------------------------------------------------------------
# Performance (ordered logit)
# ---------------------------------------------------------------------------------------------
_B_JPM = 0.3
_B_MIS = -1.0
_JPM_CENTRE = 80.0
_JPM_SCALE = 10.0
_PERF_JOB_TYPE = {
    "jpt_pratama": 0.4,
    "administrator": 0.3,
    "pengawas": 0.2,
    "fungsional": 0.0,
    "pelaksana": -0.2,
}
_PERF_UNIT_SD = 0.3
_PREDIKAT_TARGET = {
    "sangat_kurang": 0.0015,
    "kurang": 0.0025,
    "butuh_perbaikan": 0.006,
    "baik": 0.94,
    "sangat_baik": 0.05,
}
# P(hasil_kerja, perilaku_kerja | predikat): each cell maps to the predikat by the matrix.
_CELLS_GIVEN_PREDIKAT = {
    "sangat_baik": ((("di_atas", "di_atas"), 1.0),),
    "baik": (
        (("sesuai", "sesuai"), 0.88),
        (("di_atas", "sesuai"), 0.07),
        (("sesuai", "di_atas"), 0.05),
    ),
    "butuh_perbaikan": ((("di_bawah", "sesuai"), 0.85), (("di_bawah", "di_atas"), 0.15)),
    "kurang": ((("sesuai", "di_bawah"), 0.8), (("di_atas", "di_bawah"), 0.2)),
    "sangat_kurang": ((("di_bawah", "di_bawah"), 1.0),),
}
_PERFORMANCE_MISSING_RATE = 0.01

# ---------------------------------------------------------------------------------------------
# Staff survey
# ---------------------------------------------------------------------------------------------
_SURVEY_ITEMS = (
    # (scale, item, reverse, text_id, text_en)
    (
        "resistance",
        "res_01",
        False,
        "Saya lebih suka cara kerja lama daripada cara kerja baru yang diusulkan dari hasil "
        "evaluasi.",
        "I prefer the old way of working to new ways proposed after the evaluation.",
    ),
    (
        "resistance",
        "res_02",
        False,
        "Perubahan yang timbul dari evaluasi pegawai membuat saya tidak nyaman.",
        "Changes that come out of the staff evaluation make me uncomfortable.",
    ),
    (
        "resistance",
        "res_03",
        False,
        "Saya enggan mengubah kebiasaan kerja hanya karena hasil penilaian.",
        "I am reluctant to change my work habits just because of assessment results.",
    ),
    (
        "resistance",
        "res_04",
        True,
        "Saya terbuka terhadap saran perbaikan dari hasil evaluasi.",
        "I am open to suggestions for improvement that come from the evaluation.",
    ),
    (
        "resistance",
        "res_05",
        False,
        "Menurut saya evaluasi kompetensi lebih banyak merepotkan daripada bermanfaat.",
        "In my view the competency evaluation is more trouble than it is worth.",
    ),
    (
        "resistance",
        "res_06",
        True,
        "Saya bersedia mengikuti pelatihan yang direkomendasikan dari hasil evaluasi.",
        "I am willing to attend training that the evaluation recommends.",
    ),
    (
        "transparency",
        "trn_01",
        False,
        "Tujuan evaluasi pegawai dijelaskan dengan jelas kepada saya.",
        "The purpose of the staff evaluation was explained to me clearly.",
    ),
    (
        "transparency",
        "trn_02",
        False,
        "Saya tahu bagaimana hasil evaluasi akan digunakan.",
        "I know how the evaluation results will be used.",
    ),
    (
        "transparency",
        "trn_03",
        False,
        "Kriteria penilaian diumumkan sebelum evaluasi dilakukan.",
        "The assessment criteria were announced before the evaluation took place.",
    ),
    (
        "transparency",
        "trn_04",
        True,
        "Proses evaluasi terasa tertutup dan tidak jelas bagi saya.",
        "The evaluation process feels closed and unclear to me.",
    ),
    (
        "communication",
        "com_01",
        False,
        "Atasan saya membicarakan hasil evaluasi secara langsung dengan saya.",
        "My supervisor discusses the evaluation results with me in person.",
    ),
    (
        "communication",
        "com_02",
        False,
        "Saya mendapat kesempatan untuk bertanya atau menanggapi hasil evaluasi.",
        "I get the chance to ask questions about, or respond to, the evaluation results.",
    ),
    (
        "communication",
        "com_03",
        False,
        "Informasi tentang evaluasi disampaikan tepat waktu.",
        "Information about the evaluation is shared in good time.",
    ),
    (
        "communication",
        "com_04",
        True,
        "Saya lebih banyak mendengar tentang evaluasi dari kabar angin daripada dari pimpinan.",
        "I hear more about the evaluation from rumours than from management.",
    ),
    (
        "threat",
        "thr_01",
        False,
        "Saya khawatir hasil evaluasi akan merugikan karier saya.",
        "I worry that the evaluation results will harm my career.",
    ),
    (
        "threat",
        "thr_02",
        False,
        "Saya merasa evaluasi digunakan untuk mencari-cari kesalahan pegawai.",
        "I feel the evaluation is used to find fault with staff.",
    ),
    (
        "threat",
        "thr_03",
        False,
        "Saya cemas posisi saya terancam karena hasil penilaian kompetensi.",
        "I am anxious that my position is at risk because of the competency assessment.",
    ),
)
_LIKERT_MIN, _LIKERT_MAX = 1, 5
_ITEM_BLANK_RATE = 0.03
# Trait model: mean in wave 1, shift in wave 2, person sd, wave sd, item noise sd.
_TRAITS = {
    "transparency": {"mean": 3.0, "wave2_shift": 0.35, "person_sd": 0.4, "wave_sd": 0.25},
    "communication": {"mean": 3.1, "wave2_shift": 0.30, "person_sd": 0.4, "wave_sd": 0.25},
    "threat": {"mean": 2.9, "wave2_shift": 0.0, "person_sd": 0.4, "wave_sd": 0.25},
}
_ITEM_NOISE_SD = {"transparency": 0.3, "communication": 0.3, "threat": 0.2, "resistance": 1.0}
_RESISTANCE = {
    "intercept": 3.55,
    "transparency": -0.35,
    "communication": -0.25,
    "threat": 0.40,
    "years_of_service": 0.01,
    "wave2": -0.10,
    "job_type": {
        "jpt_pratama": -0.20,
        "administrator": -0.15,
        "pengawas": -0.05,
        "fungsional": 0.0,
        "pelaksana": 0.05,
    },
    "unit_sd": 0.08,
    "person_sd": 0.1,
    "noise_sd": 0.15,
}
_RESPONSE_RATE = {"resisten": 0.66, "default": 0.78}

# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------
_TECH = "TECH"  # competency_targeted = the participant's own technical competency
_ROLLOUT_PROGRAMS = (
    ("Pelatihan Komunikasi Efektif", "komunikasi", 24),
    ("Pelatihan Pelayanan Prima", "pelayanan_publik", 24),
)
_ROLLOUT_COHORTS = {
    "2024-S1": ("U01",),
    "2024-S2": ("U03", "U04", "U05"),
    "2025-S1": ("U15", "U16", "U06", "U25"),
}
_ROLLOUT_ATTENDANCE = (0.6, 0.8)
# Start dates of roll-out classes inside the cohort semester (month-day).
_ROLLOUT_CLASS_WINDOW = {"S1": ("02-01", "05-01"), "S2": ("09-01", "11-01")}
_ROLLOUT_LEVEL_SHIFT = {"komunikasi": 0.7, "pelayanan_publik": 0.7}
_SELECTION_PROGRAM = ("Pelatihan Teknis Digitalisasi Layanan", _TECH, 32, 2024)
_SELECTION_PARTICIPATION = {
    "intercept": -2.0,
    "age_per_10y": -0.5,
    "higher_education": 0.7,
    "years_of_service_per_10y": -0.25,
    "baseline_level": 0.5,
    "job_type": {"fungsional": 0.0, "pelaksana": 0.3, "pengawas": 0.2, "administrator": -0.3},
    "age_centre": 45.0,
    "years_of_service_centre": 15.0,
    "baseline_centre": 2.5,
}
_SELECTION_OUTCOME = {
    "intercept": 0.2,
    "age_per_10y": -0.3,
    "higher_education": 0.3,
    "years_of_service_per_10y": 0.1,
    "job_type": {
        "jpt_pratama": 0.1,
        "administrator": 0.1,
        "pengawas": 0.05,
        "fungsional": 0.0,
        "pelaksana": -0.1,
    },
    "noise_sd": 0.5,
    "latent_effect": 0.6,
}
_REASSESSMENT_DRIFT = 0.1
_REASSESSMENT_NOISE_SD = 0.45
_REASSESSMENT_RATE = 0.85
# Regular programmes: (name, competency_targeted, hours, eligibility)
_REGULAR_PROGRAMS: tuple[tuple[str, str, int, dict[str, tuple[str, ...]]], ...] = (
    ("Pelatihan Integritas dan Antikorupsi", "integritas", 16, {}),
    ("Pelatihan Wawasan Kebangsaan", "perekat_bangsa", 16, {}),
    ("Bimbingan Teknis Penyusunan SKP", "orientasi_pada_hasil", 16, {}),
    ("Pelatihan Kerja Sama Tim", "kerjasama", 24, {}),
    ("Pelatihan Literasi Digital", "teknis_teknologi_informasi", 16, {}),
    (
        "Pelatihan Coaching dan Mentoring",
        "pengembangan_diri_dan_orang_lain",
        24,
        {"job_type": ("jpt_pratama", "administrator", "pengawas")},
    ),
    (
        "Pelatihan Manajemen Perubahan",
        "mengelola_perubahan",
        24,
        {"job_type": ("jpt_pratama", "administrator", "pengawas")},
    ),
    (
        "Pelatihan Teknik Pengambilan Keputusan",
        "pengambilan_keputusan",
        24,
        {"job_type": ("administrator", "pengawas")},
    ),
    ("Pelatihan Implementasi Kurikulum Merdeka", _TECH, 32, {"family": ("pendidikan",)}),
    ("Pelatihan Pembelajaran Berdiferensiasi", _TECH, 24, {"family": ("pendidikan",)}),
    ("Pelatihan Asesmen Pembelajaran", _TECH, 24, {"family": ("pendidikan",)}),
    ("Pelatihan Asuhan Keperawatan", _TECH, 40, {"family": ("kesehatan",)}),
    ("Pelatihan Penanganan Kegawatdaruratan", _TECH, 40, {"family": ("kesehatan",)}),
    ("Pelatihan Manajemen Puskesmas", _TECH, 32, {"family": ("kesehatan",)}),
    ("Pelatihan Pengelolaan Keuangan Daerah", _TECH, 32, {"family": ("keuangan",)}),
    ("Pelatihan Laporan Keuangan Berbasis Akrual", _TECH, 24, {"family": ("keuangan",)}),
    ("Pelatihan Perencanaan dan Penganggaran Daerah", _TECH, 32, {"family": ("perencanaan",)}),
    ("Pelatihan Pengadaan Barang/Jasa Pemerintah", _TECH, 24, {"family": ("administrasi_umum",)}),
    ("Pelatihan Kearsipan", _TECH, 24, {"family": ("administrasi_umum",)}),
    ("Pelatihan Keamanan Informasi", _TECH, 32, {"family": ("teknologi_informasi",)}),
    ("Pelatihan Pengembangan Aplikasi Web", _TECH, 40, {"family": ("teknologi_informasi",)}),
    ("Pelatihan Konstruksi Jalan dan Jembatan", _TECH, 40, {"family": ("teknik",)}),
    ("Pelatihan Teknis Penyuluhan Pertanian", _TECH, 32, {"family": ("teknik",)}),
    ("Pelatihan Dasar Polisi Pamong Praja", _TECH, 40, {"family": ("ketertiban_umum",)}),
)
_LEADERSHIP_PROGRAMS = (
    ("Pelatihan Kepemimpinan Pengawas", "pengambilan_keputusan", 120, "pengawas", 0.07),
    ("Pelatihan Kepemimpinan Administrator", "mengelola_perubahan", 150, "administrator", 0.06),
)
_ORIENTATION_PROGRAM = ("Orientasi PPPK", "perekat_bangsa", 40)
_ORIENTATION_SHARE = {2024: 0.45, 2025: 0.40}
_JP_RIGHT = 20
_JP_TARGET_SHARE = 0.35
_CLASS_SIZE = 35
_CLASS_MAX = 40

# ---------------------------------------------------------------------------------------------
# SKM answer model
# ---------------------------------------------------------------------------------------------
_SKM_ELEMENT_BASE = {
    "persyaratan": 3.22,
    "prosedur": 3.15,
    "waktu": 2.86,
    "biaya": 3.55,
    "produk": 3.20,
    "kompetensi": 3.20,
    "perilaku": 3.26,
    "pengaduan": 2.86,
    "sarana": 2.80,
}
_SKM_RESPONDENT_SD = 0.35
_SKM_ANSWER_SD = 0.45
_SKM_UNIT_SD = 0.05
_SKM_UNIT_ELEMENT_SD = 0.05
_SKM_UNIT_PERIOD_SD = 0.04
_SKM_PERIOD_TREND = 0.012
_SKM_PERIOD_SD = 0.02
_SKM_GAMMA_MISMATCH = -1.0
_SKM_GAMMA_JPM = 0.02
_SKM_REF_MISMATCH = 0.12
_SKM_REF_JPM = 96.0
_SKM_DINKES_ELEMENT = {"kompetensi": -0.2, "perilaku": -0.2}
_SKM_ROLLOUT_ELEMENT_WEIGHT = {
    "persyaratan": 0.1,
    "prosedur": 0.2,
    "waktu": 0.2,
    "biaya": 0.0,
    "produk": 0.1,
    "kompetensi": 0.5,
    "perilaku": 0.5,
    "pengaduan": 0.2,
    "sarana": 0.0,
}
_SKM_EVENT_MULTIPLIER = (0.35, 0.7, 1.0, 1.15)
_SKM_ATTENDANCE_REF = 0.7
_SKM_BLANK_RATE = 0.02
_SKM_SHORT_SHARE = 0.15
_SKM_SHORT_RANGE = (0.6, 0.9)
_SKM_MISSING_UNIT_PERIODS = (("U22", "2022-S1"), ("U29", "2022-S2"), ("U24", "2023-S1"))
_SKM_KM = {"chi2": 3.841, "p": 0.5, "d": 0.05}

_COMPONENTS = (
    "people",
    "names",
    "segments",
    "baseline",
    "performance",
    "survey",
    "rollout",
    "selection",
    "training",
    "reassessment",
    "skm",
)


# =============================================================================================
# Public API
# =============================================================================================
@dataclass(frozen=True, eq=False)
class SyntheticData:
    """One synthetic data set: a DataFrame per codebook table plus the ground truth.

    Attributes
    ----------
    units, employees, competency_standards, competency_assessments : pandas.DataFrame
        Codebook tables (``data/README.md``), columns in codebook order.
    performance, training, skm_responses, staff_survey, survey_items : pandas.DataFrame
        Codebook tables, columns in codebook order.
    ground_truth : dict
        The true parameters and sample effects (see the module docstring and
        ``ground_truth["notes"]``).
    """

    units: pd.DataFrame
    employees: pd.DataFrame
    competency_standards: pd.DataFrame
    competency_assessments: pd.DataFrame
    performance: pd.DataFrame
    training: pd.DataFrame
    skm_responses: pd.DataFrame
    staff_survey: pd.DataFrame
    survey_items: pd.DataFrame
    ground_truth: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name, in codebook order.

        Returns
        -------
        dict of str to pandas.DataFrame
            ``{"units": ..., "employees": ..., ...}``.

        Examples
        --------
        >>> data = generate(n_employees=600)
        >>> list(data.tables())[:3]
        ['units', 'employees', 'competency_standards']
        """
        return {name: getattr(self, name) for name in TABLES}


def generate(*, seed: int = DEFAULT_SEED, n_employees: int = 4500) -> SyntheticData:
    """Generate a synthetic regency data set with a known causal structure.

    Parameters
    ----------
    seed : int, default 20250101
        Seed of ``numpy.random.default_rng``; one child generator is spawned per component,
        so the same seed always gives the same data.
    n_employees : int, default 4500
        Number of ASN (at least 500). Struktural posts are fixed per unit (heads) or scale
        with the size; the other staff groups keep their shares.

    Returns
    -------
    SyntheticData
        The nine codebook tables and ``ground_truth``.

    Raises
    ------
    ValueError
        If ``n_employees`` is below 500.

    Notes
    -----
    The causal structure and all true parameters are described in the module docstring; the
    values used are stored in ``ground_truth`` (see its ``notes`` for every deliberate
    data-quality feature).

    Examples
    --------
    >>> data = generate(n_employees=600)
    >>> len(data.employees)
    600
    >>> sorted(data.units["unit_id"])[:2]
    ['U01', 'U02']
    >>> data.ground_truth["synthetic"]
    True
    """
    if int(n_employees) < 500:
        raise ValueError(f"n_employees must be at least 500, got {n_employees}")
    n_employees = int(n_employees)
    rngs = dict(zip(_COMPONENTS, np.random.default_rng(seed).spawn(len(_COMPONENTS)), strict=True))

    units = _make_units()
    staff = _make_staffing(n_employees)
    staff = _make_people(staff, rngs["people"], rngs["names"])
    staff["employee_id"] = pseudonymize(staff["nip"], salt=SYNTHETIC_SALT).to_numpy()
    standards = _make_standards(staff)
    comp = _make_baseline(staff, standards, units, rngs["segments"], rngs["baseline"])
    staff = comp["staff"]

    perf, perf_truth = _make_performance(staff, units, rngs["performance"])
    survey, survey_items, survey_truth = _make_staff_survey(staff, units, rngs["survey"])
    rollout = _make_rollout(staff, rngs["rollout"])
    selection = _make_selection(staff, comp["levels"], rngs["selection"])
    reassess = _make_reassessment(staff, comp, rollout, selection, rngs["reassessment"])
    training, training_truth = _make_training(staff, rollout, selection, rngs["training"])
    skm, skm_truth = _make_skm(units, staff, rollout, rngs["skm"])

    employees = staff.sort_values(["unit_id", "_jt_rank", "position", "nip"], kind="stable")
    employees = employees[
        [
            "nip",
            "name",
            "unit_id",
            "position",
            "job_type",
            "job_family",
            "status",
            "gender",
            "birth_year",
            "education",
            "years_of_service",
        ]
    ].reset_index(drop=True)
    assessments = (
        pd.concat([comp["assessments"], reassess["assessments"]], ignore_index=True)
        .sort_values(["nip", "assessed_on", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )

    truth = _ground_truth(
        seed=seed,
        n_employees=n_employees,
        staff=staff,
        units=units,
        comp=comp,
        perf_truth=perf_truth,
        survey_truth=survey_truth,
        rollout=rollout,
        selection=selection,
        reassess=reassess,
        training_truth=training_truth,
        skm_truth=skm_truth,
    )
    return SyntheticData(
        units=units.drop(columns=[c for c in units.columns if c.startswith("_")]),
        employees=employees,
        competency_standards=standards,
        competency_assessments=assessments,
        performance=perf,
        training=training,
        skm_responses=skm,
        staff_survey=survey,
        survey_items=survey_items,
        ground_truth=truth,
    )


def redraw_predikat(
    performance: pd.DataFrame,
    jpm: pd.DataFrame,
    mismatch: pd.DataFrame,
    ground_truth: dict[str, Any],
    *,
    seed: int,
) -> pd.DataFrame:
    """Draw the SKP predikat of observed employee-years again from the stored truth.

    For simulation studies of the cost-of-misfit estimators: the design (which employee-years
    are appraised, each employee's JPM, mismatch flag, job type, unit and planted segment) is
    kept; only the logistic noise of the ordered logit (item 3 of the module notes) is new.

    Parameters
    ----------
    performance : pandas.DataFrame
        The appraisals to redraw (employee_id, year), e.g. ``Dataset.performance``.
    jpm : pandas.DataFrame
        :func:`asn_analysis.competency.job_person_match` at the baseline (employee_id, unit_id,
        job_type, jpm_pct).
    mismatch : pandas.DataFrame
        Employees' mismatch flags (employee_id, mismatch), e.g. ``MismatchResult.employees``.
    ground_truth : dict
        ``Dataset.ground_truth`` of the bundled synthetic data (``mismatch`` and ``segments``).
    seed : int
        Seed of the new noise.

    Returns
    -------
    pandas.DataFrame
        employee_id, year, predikat; one row per appraisal with a JPM.

    Examples
    --------
    >>> from asn_analysis import competency as cp, load_dataset
    >>> ds = load_dataset()
    >>> args = (ds.competency_assessments, ds.competency_standards, ds.employees)
    >>> jpm = cp.job_person_match(*args, as_of="2025-06-30")
    >>> mis = cp.mismatches(cp.competency_gaps(*args, as_of="2025-06-30"), ds.employees)
    >>> again = redraw_predikat(ds.performance, jpm, mis.employees, ds.ground_truth, seed=1)
    >>> len(again) == len(ds.performance)
    True
    """
    truth = ground_truth["mismatch"]
    segment = ground_truth["segments"]["labels"]
    perf = performance[["employee_id", "year"]].merge(
        jpm[["employee_id", "unit_id", "job_type", "jpm_pct"]], on="employee_id"
    )
    flag = mismatch.set_index("employee_id")["mismatch"].astype(float)
    eta = (
        truth["b_jpm"] * (perf["jpm_pct"] - truth["jpm_centre"]) / truth["jpm_scale"]
        + truth["b_mis"] * perf["employee_id"].map(flag).fillna(0.0)
        + perf["job_type"].map(truth["job_type_effects"]).astype(float)
        + perf["unit_id"].map(truth["unit_effects"]).astype(float)
        + perf["employee_id"].map(segment).map(truth["segment_shifts"]).astype(float)
    ).to_numpy()
    latent = eta + np.random.default_rng(seed).logistic(size=len(eta))
    levels = np.array(PREDIKAT_LEVELS, dtype=object)
    predikat = levels[np.searchsorted(truth["cutpoints"], latent)]
    return perf[["employee_id", "year"]].assign(predikat=predikat)


def write(data: SyntheticData, out: str | Path) -> list[Path]:
    """Write a synthetic data set as one CSV per table plus ``ground_truth.json``.

    Output is byte-for-byte reproducible: UTF-8, Unix (LF) line ends, no index, dates as
    ``YYYY-MM-DD``, booleans as ``true``/``false``, blank cells for missing values, floats
    printed with ``%.10g`` (the stored values are already rounded), and JSON with sorted keys,
    ``indent=1`` and floats rounded to 6 decimals.

    Parameters
    ----------
    data : SyntheticData
        A data set from :func:`generate`.
    out : str or pathlib.Path
        Folder to write into (created if needed). Existing files of the same names are
        replaced.

    Returns
    -------
    list of pathlib.Path
        The files written, tables first (codebook order), then ``ground_truth.json``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write(generate(n_employees=600), tempfile.mkdtemp())
    >>> [p.name for p in paths][-2:]
    ['survey_items.csv', 'ground_truth.json']
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, frame in data.tables().items():
        path = out / f"{name}.csv"
        _csv_ready(frame).to_csv(
            path, index=False, lineterminator="\n", encoding="utf-8", float_format="%.10g"
        )
        paths.append(path)
    path = out / "ground_truth.json"
    text = json.dumps(_jsonable(data.ground_truth), sort_keys=True, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
    paths.append(path)
    return paths


# =============================================================================================
# Helpers
# =============================================================================================
def _krejcie_morgan(
    population: int, *, chi2: float = 3.841, p: float = 0.5, d: float = 0.05
) -> int:
    """Krejcie-Morgan sample size, rounded half up (not ceil)."""
    n = float(population)
    s = chi2 * n * p * (1 - p) / (d * d * (n - 1) + chi2 * p * (1 - p))
    return int(math.floor(s + 0.5))


def _stochastic_round(x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``floor(x + u)`` with ``u ~ U(0, 1)``: unbiased and monotone in ``x`` for fixed ``u``."""
    return np.floor(x + u)


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    quota = w / w.sum() * total
    base = np.floor(quota).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _choice(rng: np.random.Generator, probs: dict[str, float], size: int) -> np.ndarray:
    keys = np.array(list(probs), dtype=object)
    p = np.array(list(probs.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]


def _random_busdays(
    rng: np.random.Generator, start: str, end: str, size: int, weekmask: str = "Mon Tue Wed Thu Fri"
) -> np.ndarray:
    """Uniform random business days in ``[start, end)`` as ``datetime64[D]``."""
    first = np.busday_offset(start, 0, roll="forward", weekmask=weekmask)
    count = int(np.busday_count(first, end, weekmask=weekmask))
    return np.busday_offset(first, rng.integers(0, count, size=size), weekmask=weekmask)


def _period_index(period: str) -> int:
    return SKM_PERIODS.index(period)


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s):
            out[col] = np.where(s.to_numpy(dtype=bool), "true", "false")
    return out


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = float(obj)
        if not math.isfinite(value):
            return None
        value = round(value, 6)
        return 0.0 if value == 0 else value
    return obj


# =============================================================================================
# Units and staffing
# =============================================================================================
def _make_units() -> pd.DataFrame:
    units = pd.DataFrame(
        {
            "unit_id": [u.unit_id for u in _UNITS],
            "unit_name": [u.name for u in _UNITS],
            "sector": [u.sector for u in _UNITS],
            "unit_type": [u.unit_type for u in _UNITS],
            "service_users_per_semester": np.array([u.users for u in _UNITS], dtype=np.int64),
        }
    )
    return units


def _struct_family(title: str, unit: _UnitSpec) -> str:
    return _STRUCT_FAMILY.get(title, unit.family)


def _make_staffing(n: int) -> pd.DataFrame:
    """Deterministic slots (unit, position, job type, family, grade, group, status)."""
    scale = n / _REFERENCE_SIZE
    rows: list[tuple[str, str, str, str, str, str, str]] = []

    def keep(titles: tuple[str, ...]) -> tuple[str, ...]:
        if not titles:
            return titles
        k = len(titles) if scale >= 1 else max(1, int(math.floor(len(titles) * scale + 0.5)))
        return titles[:k]

    for unit in _UNITS:
        posts = []
        if unit.head:
            posts.append((unit.head, "jpt"))
        posts += [(t, "administrator") for t in keep(unit.admin)]
        posts += [(t, "pengawas") for t in keep(unit.pengawas)]
        for title, grade in posts:
            rows.append(
                (
                    unit.unit_id,
                    title,
                    _GRADE_JOB_TYPE[grade],
                    _struct_family(title, unit),
                    grade,
                    "struktural",
                    "PNS",
                )
            )
    n_struct = len(rows)

    cells: list[tuple[str, str, str, float]] = []  # unit, title, group, weight
    cells += [("U02", t, "teacher", w) for t, w in _TEACHERS.items()]
    cells += [(u, t, "health", w) for u, d in _HEALTH.items() for t, w in d.items()]
    cells += [
        (u, t, "other_fungsional", w) for u, d in _OTHER_FUNGSIONAL.items() for t, w in d.items()
    ]
    for uid, total in _PELAKSANA_UNIT.items():
        mix = dict(_PELAKSANA_DEFAULT_MIX)
        for t, w in _PELAKSANA_EXTRA.get(uid, {}).items():
            mix[t] = mix.get(t, 0) + w
        s = sum(mix.values())
        cells += [(uid, t, "pelaksana", total * w / s) for t, w in mix.items()]
    cells_df = pd.DataFrame(cells, columns=["unit_id", "position", "group", "weight"])

    n_groups = {g: int(math.floor(n * s + 0.5)) for g, s in _GROUP_SHARES.items()}
    n_groups["pelaksana"] = n - n_struct - sum(n_groups.values())
    counts = np.zeros(len(cells_df), dtype=np.int64)
    for group, total in n_groups.items():
        idx = np.flatnonzero(cells_df["group"].to_numpy() == group)
        counts[idx] = _largest_remainder(cells_df["weight"].to_numpy()[idx], total)
    cells_df["count"] = counts

    for cell in cells_df.itertuples(index=False):
        if cell.count == 0:
            continue
        if cell.group == "pelaksana":
            family, grade, job_type = _PELAKSANA[cell.position], "pelaksana", "pelaksana"
        else:
            family, grade = _FUNGSIONAL[cell.position]
            job_type = "fungsional"
        share = _pppk_share(cell.group, grade)
        n_pppk = int(math.floor(cell.count * share + 0.5))
        for k in range(int(cell.count)):
            status = "PPPK" if k < n_pppk else "PNS"
            rows.append((cell.unit_id, cell.position, job_type, family, grade, cell.group, status))
    staff = pd.DataFrame(
        rows, columns=["unit_id", "position", "job_type", "job_family", "grade", "group", "status"]
    )
    _check_position_consistency(staff)
    return staff


def _pppk_share(group: str, grade: str) -> float:
    if group == "teacher":
        return 0.85 if grade == "pertama" else 0.0
    if group == "health":
        return 0.4 if grade in ("terampil", "pertama") else 0.0
    if group == "other_fungsional":
        return 0.2 if grade in ("terampil", "pertama") else 0.0
    if group == "pelaksana":
        return 0.22
    return 0.0


def _check_position_consistency(staff: pd.DataFrame) -> None:
    per_position = staff.groupby("position")[["job_type", "job_family", "grade"]].nunique()
    bad = per_position[(per_position > 1).any(axis=1)]
    if len(bad):
        raise AssertionError(f"positions with inconsistent attributes: {list(bad.index)}")


# =============================================================================================
# People: demographics, NIP, names
# =============================================================================================
def _female_probability(staff: pd.DataFrame) -> np.ndarray:
    pos = staff["position"].to_numpy().astype(str)
    p = np.full(len(staff), 0.47)
    group = staff["group"].to_numpy()
    family = staff["job_family"].to_numpy()
    p[group == "teacher"] = 0.60
    p[group == "health"] = 0.72
    p[np.char.startswith(pos, "Dokter")] = 0.55
    p[np.char.startswith(pos, "Bidan")] = 1.0
    p[family == "ketertiban_umum"] = 0.15
    p[family == "teknik"] = 0.30
    p[group == "pelaksana"] = np.minimum(p[group == "pelaksana"], 0.45)
    p[group == "struktural"] = 0.35
    p[staff["job_type"].to_numpy() == "jpt_pratama"] = 0.2
    pppk = staff["status"].to_numpy() == "PPPK"
    p[pppk & (p < 1.0)] = np.minimum(p[pppk & (p < 1.0)] + 0.10, 0.95)
    return p


def _make_people(
    staff: pd.DataFrame, rng: np.random.Generator, rng_names: np.random.Generator
) -> pd.DataFrame:
    staff = staff.copy()
    n = len(staff)
    pppk = staff["status"].to_numpy() == "PPPK"
    grade = staff["grade"].to_numpy()
    group = staff["group"].to_numpy()

    female = rng.random(n) < _female_probability(staff)
    staff["gender"] = np.where(female, "P", "L")

    # Age in 2025 and birth year.
    age = np.empty(n)
    z = rng.standard_normal(n)
    for g, (mean, sd, lo, hi) in _AGE_PNS.items():
        m = (grade == g) & ~pppk
        a = mean + sd * z[m]
        # Teachers retire at 60, most other posts at 58.
        upper = np.where(group[m] == "teacher", 59, hi)
        age[m] = np.clip(a, lo, upper)
    mean, sd, lo, hi = _AGE_PPPK
    age[pppk] = np.clip(mean + sd * z[pppk], lo, hi)
    age = np.floor(age + 0.5).astype(np.int64)
    birth_year = 2025 - age
    day_of_year = rng.integers(0, 365, size=n)
    birth = np.array([f"{y}-01-01" for y in birth_year], dtype="datetime64[D]") + day_of_year
    # Keep the birth date inside its year (no 31 December overflow into the next year).
    birth = np.minimum(birth, np.array([f"{y}-12-31" for y in birth_year], dtype="datetime64[D]"))

    # Appointment (TMT): PPPK in the first half of 2024, PNS by end of 2021.
    tmt_year = np.empty(n, dtype=np.int64)
    tmt_month = np.empty(n, dtype=np.int64)
    tmt_year[pppk] = PPPK_APPOINTMENT_YEAR
    tmt_month[pppk] = rng.choice(
        np.arange(1, 7), size=int(pppk.sum()), p=[0.1, 0.2, 0.3, 0.2, 0.1, 0.1]
    )
    pns = ~pppk
    app_age = 22 + rng.gamma(2.0, 2.2, size=int(pns.sum()))
    ty = np.floor(birth_year[pns] + app_age).astype(np.int64)
    ty = np.clip(ty, np.maximum(birth_year[pns] + 19, 1985), 2021)
    tmt_year[pns] = ty
    tmt_month[pns] = rng.choice(
        np.arange(1, 13),
        size=int(pns.sum()),
        p=[0.25, 0.08, 0.15, 0.1, 0.05, 0.05, 0.05, 0.05, 0.04, 0.06, 0.04, 0.08],
    )
    ref_year, ref_month = 2025, 6
    months = (ref_year * 12 + ref_month) - (tmt_year * 12 + tmt_month)
    staff["years_of_service"] = np.clip(months // 12, *YEARS_OF_SERVICE_RANGE).astype(np.int64)
    staff["birth_year"] = birth_year.astype(np.int64)
    staff["_birth"] = birth
    staff["_tmt_year"] = tmt_year
    staff["_tmt_month"] = tmt_month

    # Education by grade.
    edu = np.empty(n, dtype=object)
    for g, probs in _EDUCATION.items():
        m = grade == g
        edu[m] = _choice(rng, probs, int(m.sum()))
    # Teachers are S1 or higher (UU Guru dan Dosen); nurses and midwives at Terampil hold D3.
    teacher_low = (group == "teacher") & ~np.isin(edu, _HIGHER_EDUCATION)
    edu[teacher_low] = "S1"
    staff["education"] = edu.astype(str)

    # NIP: birth date + TMT + gender digit + 3-digit sequence unique within the prefix.
    gender_digit = np.where(female, "2", "1")
    birth_str = np.datetime_as_string(birth, unit="D")
    prefix = [
        f"{b.replace('-', '')}{y:04d}{m:02d}{g}"
        for b, y, m, g in zip(birth_str, tmt_year, tmt_month, gender_digit, strict=True)
    ]
    offset = rng.integers(0, 4, size=n)
    pre = pd.Series(prefix)
    seq = pre.groupby(pre, sort=False).cumcount().to_numpy() + 1
    first_offset = pd.Series(offset).groupby(pre, sort=False).transform("first").to_numpy()
    seq = seq + first_offset
    staff["nip"] = [f"{p}{s:03d}" for p, s in zip(prefix, seq, strict=True)]
    if staff["nip"].duplicated().any():  # pragma: no cover - guarded by construction
        raise AssertionError("duplicate NIP")

    # Names.
    male_first = np.array(_MALE_FIRST, dtype=object)
    female_first = np.array(_FEMALE_FIRST, dtype=object)
    family = np.array(_FAMILY_NAMES, dtype=object)
    first = np.where(
        female,
        female_first[rng_names.integers(0, len(female_first), size=n)],
        male_first[rng_names.integers(0, len(male_first), size=n)],
    )
    last = family[rng_names.integers(0, len(family), size=n)]
    andi = rng_names.random(n) < 0.06
    staff["name"] = [
        f"{'Andi ' if a else ''}{f} {lname}" for a, f, lname in zip(andi, first, last, strict=True)
    ]
    jt_rank = {j: i for i, j in enumerate(JOB_TYPES)}
    staff["_jt_rank"] = staff["job_type"].map(jt_rank).astype(np.int64)
    unit_spec = {u.unit_id: u for u in _UNITS}
    staff["_it_outside"] = (staff["job_family"] == "teknologi_informasi") & (
        staff["unit_id"] != _DISKOMINFO
    )
    staff["_front_line"] = staff["job_type"].isin(["fungsional", "pelaksana"])
    staff["_unit_type"] = staff["unit_id"].map(lambda u: unit_spec[u].unit_type)
    return staff.reset_index(drop=True)


# =============================================================================================
# Competency standards, segments and baseline assessments
# =============================================================================================
_ALL_NONTECH = MANAGERIAL_COMPETENCIES + SOSIAL_KULTURAL_COMPETENCIES


def _make_standards(staff: pd.DataFrame) -> pd.DataFrame:
    pos = (
        staff[["position", "job_family", "grade"]]
        .drop_duplicates("position")
        .sort_values("position", kind="stable")
    )
    rows = []
    for p in pos.itertuples(index=False):
        for c in MANAGERIAL_COMPETENCIES:
            rows.append((p.position, c, "manajerial", _REQ_MANAGERIAL[p.grade]))
        rows.append((p.position, "perekat_bangsa", "sosial_kultural", _REQ_MANAGERIAL[p.grade]))
        rows.append((p.position, f"teknis_{p.job_family}", "teknis", _REQ_TECHNICAL[p.grade]))
    out = pd.DataFrame(rows, columns=["position", "competency", "group", "required_level"])
    out["required_level"] = out["required_level"].astype(np.int64)
    return out


def _make_baseline(
    staff: pd.DataFrame,
    standards: pd.DataFrame,
    units: pd.DataFrame,
    rng_seg: np.random.Generator,
    rng: np.random.Generator,
) -> dict[str, Any]:
    staff = staff.copy()
    n = len(staff)
    req_m = staff["grade"].map(_REQ_MANAGERIAL).to_numpy().astype(float)
    req_t = staff["grade"].map(_REQ_TECHNICAL).to_numpy().astype(float)

    # Unit-level segment propensities: mismatch and managerial-gap shares vary by unit.
    unit_ids = units["unit_id"].to_numpy()
    # Unit shares of kesenjangan_teknis (B) and kesenjangan_manajerial (C) vary by unit, so that
    # unit mismatch share and mean JPM vary; kompeten_berkinerja (A) and resisten (D) share the
    # rest in a fixed ratio. C is impossible where the required managerial level is 1, and B
    # has a fixed high probability in IT posts outside Diskominfo.
    wb = np.clip(
        _SEGMENTS["kesenjangan_teknis"]["base_share"]
        * np.exp(rng_seg.normal(0, 0.6, len(unit_ids))),
        0.02,
        0.25,
    )
    wc = _SEGMENTS["kesenjangan_manajerial"]["base_share"] * np.exp(
        rng_seg.normal(0, 0.3, len(unit_ids))
    )
    unit_pos = {u: i for i, u in enumerate(unit_ids)}
    ui = staff["unit_id"].map(unit_pos).to_numpy()
    it_out = staff["_it_outside"].to_numpy()
    # Rescale so that the staff-weighted mean equals the base share whatever the draw of the
    # largest unit (Dinas Pendidikan holds about half the staff).
    wb = np.clip(
        wb * _SEGMENTS["kesenjangan_teknis"]["base_share"] / wb[ui[~it_out]].mean(), 0.02, 0.3
    )
    wc = wc * _SEGMENTS["kesenjangan_manajerial"]["base_share"] / wc[ui].mean()
    p_b = np.where(it_out, _IT_OUTSIDE_MISMATCH_SEGMENT_PROB, wb[ui])
    p_c = np.where(req_m > 1, wc[ui] * (1 - p_b), 0.0)
    a_share = _SEGMENTS["kompeten_berkinerja"]["base_share"]
    d_share = _SEGMENTS["resisten"]["base_share"]
    rest = 1 - p_b - p_c
    probs = np.column_stack(
        [rest * a_share / (a_share + d_share), p_b, p_c, rest * d_share / (a_share + d_share)]
    )
    cum = probs.cumsum(axis=1)
    seg_idx = (rng_seg.random(n)[:, None] > cum).sum(axis=1)
    seg_idx = np.minimum(seg_idx, 3)
    segment = np.array(_SEGMENT_NAMES, dtype=object)[seg_idx]
    staff["_segment"] = segment.astype(str)
    m_shift = np.array([_SEGMENTS[s]["managerial_shift"] for s in _SEGMENT_NAMES])[seg_idx]
    t_shift = np.array([_SEGMENTS[s]["technical_shift"] for s in _SEGMENT_NAMES])[seg_idx]

    # Held levels at baseline: required + segment shift (+ Dinas Kesehatan gap) + noise.
    levels = {}
    dinkes = staff["unit_id"].to_numpy() == _DINKES
    for c in _ALL_NONTECH:
        x = req_m + m_shift + rng.normal(0, _COMPETENCY_NOISE_SD, n)
        if c in _DINKES_GAP_SHIFT:
            x = x + _DINKES_GAP_SHIFT[c] * dinkes
        levels[c] = np.clip(np.floor(x + 0.5), 1, 5).astype(np.int64)
    xt = req_t + t_shift + rng.normal(0, _COMPETENCY_NOISE_SD, n)
    levels["technical"] = np.clip(np.floor(xt + 0.5), 1, 5).astype(np.int64)

    held_sum = sum(levels[c] for c in _ALL_NONTECH) + levels["technical"]
    req_sum = req_m * len(_ALL_NONTECH) + req_t
    jpm = np.minimum(100.0, 100.0 * held_sum / req_sum)
    mismatch = levels["technical"] < req_t
    staff["_jpm"] = jpm
    staff["_mismatch"] = mismatch
    staff["_req_m"] = req_m
    staff["_req_t"] = req_t

    # Baseline dates: PNS spread through 2022, PPPK in July-August 2024 (2024-S2, before the
    # roll-out classes of that semester).
    pppk = staff["status"].to_numpy() == "PPPK"
    dates = np.empty(n, dtype="datetime64[D]")
    dates[~pppk] = _random_busdays(rng, "2022-01-03", "2022-12-24", int((~pppk).sum()))
    dates[pppk] = _random_busdays(rng, "2024-07-01", "2024-08-31", int(pppk.sum()))
    staff["_baseline_date"] = dates

    competencies = [*_ALL_NONTECH, "technical"]
    frames = []
    for order, c in enumerate(competencies):
        comp_names = (
            ("teknis_" + staff["job_family"]).to_numpy() if c == "technical" else np.full(n, c)
        )
        frames.append(
            pd.DataFrame(
                {
                    "nip": staff["nip"].to_numpy(),
                    "competency": comp_names,
                    "level": levels[c],
                    "assessed_on": dates,
                    "_order": order,
                }
            )
        )
    assessments = pd.concat(frames, ignore_index=True)
    assessments["assessed_on"] = pd.to_datetime(assessments["assessed_on"].to_numpy())
    assessments["competency"] = assessments["competency"].astype(str)
    assessments = assessments[["nip", "competency", "level", "assessed_on", "_order"]]
    return {
        "staff": staff,
        "levels": levels,
        "assessments": assessments,
        "unit_mismatch_propensity": dict(zip(unit_ids, wb, strict=True)),
        "unit_managerial_gap_propensity": dict(zip(unit_ids, wc, strict=True)),
    }


# =============================================================================================
# Performance (SKP predikat)
# =============================================================================================
def _make_performance(
    staff: pd.DataFrame, units: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict[str, Any]]:
    unit_ids = units["unit_id"].to_numpy()
    unit_eff = dict(zip(unit_ids, rng.normal(0, _PERF_UNIT_SD, len(unit_ids)), strict=True))
    seg_shift = {s: _SEGMENTS[s]["performance_shift"] for s in _SEGMENT_NAMES}
    eta = (
        _B_JPM * (staff["_jpm"].to_numpy() - _JPM_CENTRE) / _JPM_SCALE
        + _B_MIS * staff["_mismatch"].to_numpy().astype(float)
        + staff["job_type"].map(_PERF_JOB_TYPE).to_numpy()
        + staff["unit_id"].map(unit_eff).to_numpy()
        + staff["_segment"].map(seg_shift).to_numpy()
    )
    rows_emp = []
    rows_year = []
    pppk = staff["status"].to_numpy() == "PPPK"
    for year in PERFORMANCE_YEARS:
        active = np.flatnonzero(~pppk | (year >= PPPK_APPOINTMENT_YEAR))
        rows_emp.append(active)
        rows_year.append(np.full(len(active), year))
    emp = np.concatenate(rows_emp)
    year = np.concatenate(rows_year)
    eta_ey = eta[emp]

    # Cutpoints so that the expected shares match the lenient targets on this sample.
    cum_target = np.cumsum([_PREDIKAT_TARGET[p] for p in PREDIKAT_LEVELS])[:-1]
    cutpoints = []
    for target in cum_target:
        cutpoints.append(
            optimize.brentq(lambda k, t=target: special.expit(k - eta_ey).mean() - t, -30, 30)
        )
    cutpoints = np.array(cutpoints)
    latent = eta_ey + rng.logistic(0, 1, size=len(emp))
    cat = np.searchsorted(cutpoints, latent)  # 0..4
    predikat = np.array(PREDIKAT_LEVELS, dtype=object)[cat]

    hasil = np.empty(len(emp), dtype=object)
    perilaku = np.empty(len(emp), dtype=object)
    u = rng.random(len(emp))
    for p, cells in _CELLS_GIVEN_PREDIKAT.items():
        m = predikat == p
        cum = np.cumsum([w for _, w in cells])
        k = np.minimum(np.searchsorted(cum, u[m], side="right"), len(cells) - 1)
        hasil[m] = np.array([c[0] for c, _ in cells], dtype=object)[k]
        perilaku[m] = np.array([c[1] for c, _ in cells], dtype=object)[k]

    keep = rng.random(len(emp)) >= _PERFORMANCE_MISSING_RATE
    perf = pd.DataFrame(
        {
            "nip": staff["nip"].to_numpy()[emp],
            "year": year.astype(np.int64),
            "hasil_kerja": hasil.astype(str),
            "perilaku_kerja": perilaku.astype(str),
            "predikat": predikat.astype(str),
        }
    )[keep]
    perf = perf.sort_values(["nip", "year"], kind="stable").reset_index(drop=True)
    shares = perf["predikat"].value_counts(normalize=True)
    truth = {
        "b_jpm": _B_JPM,
        "b_mis": _B_MIS,
        "jpm_centre": _JPM_CENTRE,
        "jpm_scale": _JPM_SCALE,
        "cutpoints": cutpoints.tolist(),
        "cutpoint_labels": [
            f"{PREDIKAT_LEVELS[i]}|{PREDIKAT_LEVELS[i + 1]}" for i in range(len(cutpoints))
        ],
        "job_type_effects": dict(_PERF_JOB_TYPE),
        "unit_effects": {k: float(v) for k, v in unit_eff.items()},
        "unit_effect_sd": _PERF_UNIT_SD,
        "segment_shifts": seg_shift,
        "target_predikat_shares": dict(_PREDIKAT_TARGET),
        "realized_predikat_shares": {p: float(shares.get(p, 0.0)) for p in PREDIKAT_LEVELS},
        "missing_rate": _PERFORMANCE_MISSING_RATE,
    }
    return perf, truth


# =============================================================================================
# Staff survey (resistance to evaluation)
# =============================================================================================
def _survey_item_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scale": [s for s, *_ in _SURVEY_ITEMS],
            "item": [i for _, i, *_ in _SURVEY_ITEMS],
            "text_id": [t for *_, t, _ in _SURVEY_ITEMS],
            "text_en": [t for *_, t in _SURVEY_ITEMS],
            "reverse_keyed": np.array([r for _, _, r, *_ in _SURVEY_ITEMS], dtype=bool),
            "min": np.full(len(_SURVEY_ITEMS), _LIKERT_MIN, dtype=np.int64),
            "max": np.full(len(_SURVEY_ITEMS), _LIKERT_MAX, dtype=np.int64),
        }
    )


def _draw_items(
    latent: np.ndarray, reverse: list[bool], noise_sd: float, rng: np.random.Generator
) -> np.ndarray:
    """Items whose expected (reverse-corrected) answer equals ``latent`` on 1-5.

    Item noise is symmetric and clipped symmetrically to the distance from the nearest scale
    end, so ``latent + noise`` stays in [1, 5] with mean ``latent``; stochastic rounding keeps
    the mean. Returns a float array (n, k) of answers as given (reverse items reversed).
    """
    n, k = len(latent), len(reverse)
    room = np.minimum(latent - _LIKERT_MIN, _LIKERT_MAX - latent)[:, None]
    noise = np.clip(rng.normal(0, noise_sd, (n, k)), -room, room)
    x = latent[:, None] + noise
    ans = np.clip(_stochastic_round(x, rng.random((n, k))), _LIKERT_MIN, _LIKERT_MAX)
    rev = np.array(reverse, dtype=bool)
    ans[:, rev] = _LIKERT_MIN + _LIKERT_MAX - ans[:, rev]
    return ans


def _scale_score(ans: np.ndarray, reverse: list[bool], blank: np.ndarray) -> np.ndarray:
    scored = ans.copy()
    rev = np.array(reverse, dtype=bool)
    scored[:, rev] = _LIKERT_MIN + _LIKERT_MAX - scored[:, rev]
    scored[blank] = np.nan
    with np.errstate(invalid="ignore"):
        total = np.nansum(scored, axis=1)
        count = (~np.isnan(scored)).sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _make_staff_survey(
    staff: pd.DataFrame, units: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    items = _survey_item_frame()
    n = len(staff)
    unit_ids = units["unit_id"].to_numpy()
    unit_re = dict(zip(unit_ids, rng.normal(0, _RESISTANCE["unit_sd"], len(unit_ids)), strict=True))
    person = {s: rng.normal(0, _TRAITS[s]["person_sd"], n) for s in _TRAITS}
    person_res = rng.normal(0, _RESISTANCE["person_sd"], n)
    seg_shift = {s: _SEGMENTS[s]["resistance_shift"] for s in _SEGMENT_NAMES}
    pppk = staff["status"].to_numpy() == "PPPK"
    resp_rate = np.where(
        staff["_segment"].to_numpy() == "resisten",
        _RESPONSE_RATE["resisten"],
        _RESPONSE_RATE["default"],
    )
    frames = []
    clipped_low = clipped_high = 0
    for w, wave in enumerate(STAFF_SURVEY_WAVES):
        eligible = ~pppk if w == 0 else np.ones(n, dtype=bool)
        respond = eligible & (rng.random(n) < resp_rate)
        idx = np.flatnonzero(respond)
        m = len(idx)
        seg_resp = staff["_segment"].to_numpy()[idx]
        answers: dict[str, np.ndarray] = {}
        scores: dict[str, np.ndarray] = {}
        for scale in ("transparency", "communication", "threat"):
            spec = _TRAITS[scale]
            random_part = person[scale][idx] + rng.normal(0, spec["wave_sd"], m)
            # Centre within segment among this wave's respondents: the (unobserved) segment
            # shift of resistance is then uncorrelated with the traits in the sample, not only
            # in expectation, so OLS without segments recovers the stated coefficients.
            seg_mean = pd.Series(random_part).groupby(seg_resp).transform("mean").to_numpy()
            trait = spec["mean"] + spec["wave2_shift"] * w + random_part - seg_mean
            trait = np.clip(trait, 1.2, 4.8)
            rev = [r for s, _, r, *_ in _SURVEY_ITEMS if s == scale]
            ans = _draw_items(trait, rev, _ITEM_NOISE_SD[scale], rng)
            blank = rng.random(ans.shape) < _ITEM_BLANK_RATE
            score = _scale_score(ans, rev, blank)
            score = np.where(np.isnan(score), trait, score)  # all items blank: practically never
            ans[blank] = np.nan
            answers[scale], scores[scale] = ans, score
        sub = staff.iloc[idx]
        latent = (
            _RESISTANCE["intercept"]
            + _RESISTANCE["transparency"] * scores["transparency"]
            + _RESISTANCE["communication"] * scores["communication"]
            + _RESISTANCE["threat"] * scores["threat"]
            + sub["job_type"].map(_RESISTANCE["job_type"]).to_numpy()
            + _RESISTANCE["years_of_service"] * sub["years_of_service"].to_numpy()
            + _RESISTANCE["wave2"] * w
            + sub["unit_id"].map(unit_re).to_numpy()
            + sub["_segment"].map(seg_shift).to_numpy()
            + person_res[idx]
            + rng.normal(0, _RESISTANCE["noise_sd"], m)
        )
        clipped_low += int((latent < _LIKERT_MIN).sum())
        clipped_high += int((latent > _LIKERT_MAX).sum())
        latent = np.clip(latent, _LIKERT_MIN, _LIKERT_MAX)
        rev = [r for s, _, r, *_ in _SURVEY_ITEMS if s == "resistance"]
        ans = _draw_items(latent, rev, _ITEM_NOISE_SD["resistance"], rng)
        ans[rng.random(ans.shape) < _ITEM_BLANK_RATE] = np.nan
        answers["resistance"] = ans
        frame = pd.DataFrame({"nip": sub["nip"].to_numpy(), "period": wave})
        for scale in SURVEY_SCALES:
            cols = [i for s, i, *_ in _SURVEY_ITEMS if s == scale]
            for j, col in enumerate(cols):
                frame[col] = pd.array(answers[scale][:, j], dtype="Float64").astype("Int64")
        frame["_latent"] = latent
        frame["_segment"] = sub["_segment"].to_numpy()
        frames.append(frame)
    survey = pd.concat(frames, ignore_index=True)
    latent_mean = survey.groupby("period")["_latent"].mean()
    survey = survey.drop(columns=["_latent", "_segment"])
    survey = survey.sort_values(["nip", "period"], kind="stable").reset_index(drop=True)
    truth = {
        "model": (
            "resistance latent = intercept + b_transparency * transparency_score + "
            "b_communication * communication_score + b_threat * threat_score + "
            "job_type effect + b_years_of_service * years_of_service + wave2 * [period == "
            "2025-S1] + unit effect + segment shift + person effect + noise; scores are the "
            "observed scale means of answered items after reverse keying (6 - answer); "
            "E[observed resistance score | latent] = latent"
        ),
        "intercept": _RESISTANCE["intercept"],
        "b_transparency": _RESISTANCE["transparency"],
        "b_communication": _RESISTANCE["communication"],
        "b_threat": _RESISTANCE["threat"],
        "b_years_of_service": _RESISTANCE["years_of_service"],
        "wave2_effect": _RESISTANCE["wave2"],
        "job_type_effects": dict(_RESISTANCE["job_type"]),
        "unit_effects": {k: float(v) for k, v in unit_re.items()},
        "unit_sd": _RESISTANCE["unit_sd"],
        "person_sd": _RESISTANCE["person_sd"],
        "noise_sd": _RESISTANCE["noise_sd"],
        "segment_shifts": seg_shift,
        "traits": {k: dict(v) for k, v in _TRAITS.items()},
        "trait_centering": (
            "the random part of each trait (person + wave draw) is centred within segment among "
            "each wave's respondents, so the unobserved segment shift is uncorrelated with the "
            "traits in the sample"
        ),
        "item_noise_sd": dict(_ITEM_NOISE_SD),
        "item_blank_rate": _ITEM_BLANK_RATE,
        "response_rate": dict(_RESPONSE_RATE),
        "latent_clipped_below_1": clipped_low,
        "latent_clipped_above_5": clipped_high,
        "n_responses": len(survey),
        "mean_latent_by_wave": {k: float(v) for k, v in latent_mean.items()},
        "waves": list(STAFF_SURVEY_WAVES),
        "wave1_eligible": "PNS only (PPPK were appointed in 2024)",
    }
    return survey, items, truth


# =============================================================================================
# Roll-out and selection programmes (who attends)
# =============================================================================================
def _make_rollout(staff: pd.DataFrame, rng: np.random.Generator) -> dict[str, Any]:
    n = len(staff)
    attend = np.zeros(n, dtype=bool)
    cohort_of = np.full(n, "", dtype=object)
    unit_share: dict[str, float] = {}
    unit_cohort: dict[str, str] = {}
    unit = staff["unit_id"].to_numpy()
    front = staff["_front_line"].to_numpy()
    pppk = staff["status"].to_numpy() == "PPPK"
    for cohort, cohort_units in _ROLLOUT_COHORTS.items():
        for uid in cohort_units:
            # Front-line staff assessed before the training: PPPK only from cohort 2024-S2 on
            # (their baseline assessment is in July-August 2024).
            elig = (unit == uid) & front & (~pppk | (cohort >= "2024-S2"))
            share = float(rng.uniform(*_ROLLOUT_ATTENDANCE))
            idx = np.flatnonzero(elig)
            k = int(math.floor(share * len(idx) + 0.5))
            chosen = rng.permutation(idx)[:k]
            attend[chosen] = True
            cohort_of[chosen] = cohort
            unit_share[uid] = k / len(idx) if len(idx) else 0.0
            unit_cohort[uid] = cohort
    return {
        "attend": attend,
        "cohort": cohort_of,
        "unit_share": unit_share,
        "unit_cohort": unit_cohort,
    }


def _selection_design(staff: pd.DataFrame, levels: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    age = (2024 - staff["birth_year"].to_numpy()).astype(float)
    higher = staff["education"].isin(_HIGHER_EDUCATION).to_numpy().astype(float)
    yos = staff["years_of_service"].to_numpy().astype(float)
    base = levels["technical"].astype(float)
    return {"age": age, "higher": higher, "yos": yos, "base": base}


def _make_selection(
    staff: pd.DataFrame, levels: dict[str, np.ndarray], rng: np.random.Generator
) -> dict[str, Any]:
    d = _selection_design(staff, levels)
    sp = _SELECTION_PARTICIPATION
    eligible = (staff["status"].to_numpy() == "PNS") & (
        staff["job_type"].to_numpy() != "jpt_pratama"
    )
    jt = staff["job_type"].map(lambda j: sp["job_type"].get(j, 0.0)).to_numpy()
    logit = (
        sp["intercept"]
        + sp["age_per_10y"] * (d["age"] - sp["age_centre"]) / 10
        + sp["higher_education"] * d["higher"]
        + sp["years_of_service_per_10y"] * (d["yos"] - sp["years_of_service_centre"]) / 10
        + sp["baseline_level"] * (d["base"] - sp["baseline_centre"])
        + jt
    )
    p = special.expit(logit)
    treated = eligible & (rng.random(len(staff)) < p)
    return {"eligible": eligible, "treated": treated, "propensity": p, "design": d}


# =============================================================================================
# Reassessment 2025-S2 (common random numbers for every training effect)
# =============================================================================================
def _make_reassessment(
    staff: pd.DataFrame,
    comp: dict[str, Any],
    rollout: dict[str, Any],
    selection: dict[str, Any],
    rng: np.random.Generator,
) -> dict[str, Any]:
    n = len(staff)
    levels = comp["levels"]
    reassessed = rng.random(n) < _REASSESSMENT_RATE
    dates = _random_busdays(rng, "2025-07-01", "2025-12-20", n)
    new_levels: dict[str, np.ndarray] = {}
    y0_y1: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    attend = rollout["attend"]
    for c in _ALL_NONTECH:
        x0 = levels[c] + _REASSESSMENT_DRIFT + rng.normal(0, _REASSESSMENT_NOISE_SD, n)
        u = rng.random(n)
        y0 = np.clip(_stochastic_round(x0, u), 1, 5)
        if c in _ROLLOUT_LEVEL_SHIFT:
            y1 = np.clip(_stochastic_round(x0 + _ROLLOUT_LEVEL_SHIFT[c], u), 1, 5)
            y0_y1[c] = (y0, y1)
            new_levels[c] = np.where(attend, y1, y0).astype(np.int64)
        else:
            new_levels[c] = y0.astype(np.int64)

    # Technical competency: outcome of the self-selection programme.
    d = selection["design"]
    so = _SELECTION_OUTCOME
    jt = staff["job_type"].map(so["job_type"]).to_numpy()
    x0 = (
        d["base"]
        + so["intercept"]
        + so["age_per_10y"] * (d["age"] - _SELECTION_PARTICIPATION["age_centre"]) / 10
        + so["higher_education"] * d["higher"]
        + so["years_of_service_per_10y"]
        * (d["yos"] - _SELECTION_PARTICIPATION["years_of_service_centre"])
        / 10
        + jt
        + rng.normal(0, so["noise_sd"], n)
    )
    u = rng.random(n)
    t0 = np.clip(_stochastic_round(x0, u), 1, 5)
    t1 = np.clip(_stochastic_round(x0 + so["latent_effect"], u), 1, 5)
    treated = selection["treated"]
    new_levels["technical"] = np.where(treated, t1, t0).astype(np.int64)

    competencies = [*_ALL_NONTECH, "technical"]
    idx = np.flatnonzero(reassessed)
    frames = []
    for order, c in enumerate(competencies):
        names = (
            ("teknis_" + staff["job_family"]).to_numpy()[idx]
            if c == "technical"
            else np.full(len(idx), c)
        )
        frames.append(
            pd.DataFrame(
                {
                    "nip": staff["nip"].to_numpy()[idx],
                    "competency": names,
                    "level": new_levels[c][idx],
                    "assessed_on": pd.to_datetime(dates[idx]),
                    "_order": order,
                }
            )
        )
    assessments = pd.concat(frames, ignore_index=True)
    assessments["competency"] = assessments["competency"].astype(str)

    # Sample truths (CRN).
    att_rollout = {}
    m = attend & reassessed
    for c, (y0, y1) in y0_y1.items():
        att_rollout[c] = float((y1[m] - y0[m]).mean()) if m.any() else float("nan")
    elig = selection["eligible"] & reassessed
    tr = elig & treated
    co = elig & ~treated
    y_obs = new_levels["technical"].astype(float)
    sel_truth = {
        "att": float((t1[tr] - t0[tr]).mean()),
        "naive_difference": float(y_obs[tr].mean() - y_obs[co].mean()),
        "n_treated_reassessed": int(tr.sum()),
        "n_control_reassessed": int(co.sum()),
        "n_treated": int(treated.sum()),
        "n_eligible": int(selection["eligible"].sum()),
        "ate_eligible_reassessed": float((t1[elig] - t0[elig]).mean()),
    }
    return {
        "reassessed": reassessed,
        "assessments": assessments,
        "rollout_att": att_rollout,
        "rollout_n": int(m.sum()),
        "selection": sel_truth,
    }


# =============================================================================================
# Training table
# =============================================================================================
def _class_sizes(n: int) -> list[int]:
    if n <= 0:
        return []
    k = max(1, int(math.floor(n / _CLASS_SIZE + 0.5)))
    while n / k > _CLASS_MAX:
        k += 1
    base, extra = divmod(n, k)
    return [base + 1 if i < extra else base for i in range(k)]


def _classes(
    rng: np.random.Generator, idx: np.ndarray, unit: np.ndarray, window: tuple[str, str]
) -> list[tuple[np.ndarray, np.datetime64]]:
    """Split participants into classes of about 35 (grouped by unit), one start Monday each.

    Start dates are distinct days of the window: Mondays while there are enough of them, then
    Mondays and Wednesdays, then any weekday.
    """
    if not len(idx):
        return []
    idx = idx[np.lexsort((rng.random(len(idx)), unit[idx]))]
    sizes = _class_sizes(len(idx))
    for weekmask in ("Mon", "Mon Wed", "Mon Tue Wed Thu Fri"):
        first = np.busday_offset(window[0], 0, roll="forward", weekmask=weekmask)
        n_days = int(np.busday_count(first, window[1], weekmask=weekmask))
        if n_days >= len(sizes):
            break
    days = np.busday_offset(first, np.arange(n_days), weekmask=weekmask)
    starts = np.sort(rng.choice(days, size=len(sizes), replace=len(sizes) > n_days))
    bounds = np.cumsum([0, *sizes])
    return [(idx[bounds[i] : bounds[i + 1]], starts[i]) for i in range(len(sizes))]


def _end_date(start: np.datetime64, hours: int) -> np.datetime64:
    days = max(1, math.ceil(hours / 8))
    return np.busday_offset(start, days - 1, roll="forward")


def _make_training(
    staff: pd.DataFrame,
    rollout: dict[str, Any],
    selection: dict[str, Any],
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    n = len(staff)
    nip = staff["nip"].to_numpy()
    family = staff["job_family"].to_numpy()
    job_type = staff["job_type"].to_numpy()
    unit = staff["unit_id"].to_numpy()
    pppk = staff["status"].to_numpy() == "PPPK"
    tech = ("teknis_" + staff["job_family"]).to_numpy()
    # Each session (one class of one programme): (program, competency per participant, hours,
    # participant indices, start date).
    sessions: list[tuple[str, np.ndarray, int, np.ndarray, np.datetime64]] = []
    special_jp = {y: np.zeros(n) for y in PERFORMANCE_YEARS}

    # 1. Roll-out: both programmes to the same classes, one week after the other.
    attend = rollout["attend"]
    cohort = rollout["cohort"]
    for c in _ROLLOUT_COHORTS:
        window = _ROLLOUT_CLASS_WINDOW[c[-2:]]
        window = (f"{c[:4]}-{window[0]}", f"{c[:4]}-{window[1]}")
        for members, start in _classes(rng, np.flatnonzero(attend & (cohort == c)), unit, window):
            for j, (prog, comp, hours) in enumerate(_ROLLOUT_PROGRAMS):
                s = np.busday_offset(start, 5 * j, roll="forward")
                sessions.append((prog, np.full(len(members), comp), hours, members, s))
                special_jp[int(c[:4])][members] += hours

    # 2. Self-selection programme (2024), targeting each participant's technical competency.
    prog, _, hours, year = _SELECTION_PROGRAM
    sel_idx = np.flatnonzero(selection["treated"])
    special_jp[year][sel_idx] += hours
    for members, start in _classes(rng, sel_idx, unit, (f"{year}-03-01", f"{year}-11-20")):
        sessions.append((prog, tech[members], hours, members, start))

    # 3. Orientation of PPPK and leadership training.
    o_name, o_comp, o_hours = _ORIENTATION_PROGRAM
    oriented = np.zeros(n, dtype=bool)
    done_share = 0.0
    for y, share in _ORIENTATION_SHARE.items():
        # share = fraction of all PPPK oriented in year y.
        idx = np.flatnonzero(pppk & ~oriented & (rng.random(n) < share / (1 - done_share)))
        done_share += share
        oriented[idx] = True
        special_jp[y][idx] += o_hours
        window = (f"{y}-07-01", f"{y}-12-10") if y == 2024 else (f"{y}-02-01", f"{y}-11-20")
        for members, start in _classes(rng, idx, unit, window):
            sessions.append((o_name, np.full(len(members), o_comp), o_hours, members, start))
    for prog_name, comp, hours, jt, share in _LEADERSHIP_PROGRAMS:
        done = np.zeros(n, dtype=bool)
        for y in PERFORMANCE_YEARS:
            idx = np.flatnonzero((job_type == jt) & ~done & (rng.random(n) < share))
            done[idx] = True
            special_jp[y][idx] += hours
            for members, start in _classes(rng, idx, unit, (f"{y}-02-01", f"{y}-09-30")):
                sessions.append((prog_name, np.full(len(members), comp), hours, members, start))

    # 4. Regular programmes fill up to about 35 % of active staff meeting the 20 JP right.
    masks = []
    for _, _, _, elig in _REGULAR_PROGRAMS:
        m = np.ones(n, dtype=bool)
        if "family" in elig:
            m &= np.isin(family, elig["family"])
        if "job_type" in elig:
            m &= np.isin(job_type, elig["job_type"])
        masks.append(m)
    masks = np.column_stack(masks)
    general = np.array([e == {} for *_, e in _REGULAR_PROGRAMS])
    weight = np.where(general[None, :], 0.6, 1.0) * masks
    hours_reg = np.array([h for _, _, h, _ in _REGULAR_PROGRAMS])
    meet_share = {}
    rows_n = np.arange(n)
    for y in PERFORMANCE_YEARS:
        active = ~pppk | (y >= PPPK_APPOINTMENT_YEAR)
        # Weighted choice of one or two eligible programmes (exponential race).
        with np.errstate(divide="ignore"):
            race = -np.log(rng.random((n, len(_REGULAR_PROGRAMS)))) / weight
        order = np.argsort(race, axis=1, kind="stable")
        first, second = order[:, 0], order[:, 1]
        two = (rng.random(n) < 0.15) & np.isfinite(race[rows_n, second])
        reg_hours = hours_reg[first] + np.where(two, hours_reg[second], 0)
        already = special_jp[y] >= _JP_RIGHT
        would = (special_jp[y] + reg_hours >= _JP_RIGHT) & ~already
        need = _JP_TARGET_SHARE * active.sum() - (already & active).sum()
        q = float(np.clip(need / max(1, (would & active).sum()), 0.02, 1.0))
        attend_reg = active & (rng.random(n) < q)
        total_jp = special_jp[y] + np.where(attend_reg, reg_hours, 0)
        meet_share[str(y)] = float((total_jp[active] >= _JP_RIGHT).mean())
        for k, (prog_name, comp, hours, _) in enumerate(_REGULAR_PROGRAMS):
            idx = np.flatnonzero(attend_reg & ((first == k) | (two & (second == k))))
            for members, start in _classes(rng, idx, unit, (f"{y}-02-01", f"{y}-11-20")):
                comps = tech[members] if comp == _TECH else np.full(len(members), comp)
                sessions.append((prog_name, comps, hours, members, start))

    # Rows with Kirkpatrick level-1/2 results.
    rows = []
    leadership = {p for p, *_ in _LEADERSHIP_PROGRAMS}
    for prog_name, comps, hours, members, s in sessions:
        m = len(members)
        e = _end_date(s, hours)
        class_reaction = rng.normal(4.1, 0.2)
        reaction = np.clip(class_reaction + rng.normal(0, 0.4, m), 1, 5)
        reaction[rng.random(m) < 0.05] = np.nan
        if prog_name in leadership:
            pre = np.full(m, np.nan)
            post = np.full(m, np.nan)
        else:
            class_pre = rng.normal(58, 5)
            pre = np.clip(class_pre + rng.normal(0, 11, m), 5, 100)
            post = np.clip(pre + rng.normal(27, 7, m), 0, 100)
            missing = rng.random(m) < 0.08
            pre[missing] = np.nan
            post[missing] = np.nan
        rows.append(
            pd.DataFrame(
                {
                    "nip": nip[members],
                    "program": prog_name,
                    "competency_targeted": np.asarray(comps).astype(str),
                    "start_date": np.full(m, s),
                    "end_date": np.full(m, e),
                    "hours_jp": np.full(m, hours, dtype=np.int64),
                    "reaction_score": np.round(reaction, 1),
                    "pre_test": np.round(pre, 1),
                    "post_test": np.round(post, 1),
                }
            )
        )
    training = pd.concat(rows, ignore_index=True)
    training["start_date"] = pd.to_datetime(training["start_date"].to_numpy())
    training["end_date"] = pd.to_datetime(training["end_date"].to_numpy())
    training = training.sort_values(["nip", "start_date", "program"], kind="stable").reset_index(
        drop=True
    )
    truth = {"share_meeting_20_jp_by_year": meet_share, "target_share": _JP_TARGET_SHARE}
    return training, truth


# =============================================================================================
# SKM responses
# =============================================================================================
def _make_skm(
    units: pd.DataFrame, staff: pd.DataFrame, rollout: dict[str, Any], rng: np.random.Generator
) -> tuple[pd.DataFrame, dict[str, Any]]:
    unit_ids = units["unit_id"].to_numpy()
    U, T, E = len(unit_ids), len(SKM_PERIODS), len(SKM_ELEMENTS)
    mis_share = staff.groupby("unit_id")["_mismatch"].mean().reindex(unit_ids).to_numpy()
    mean_jpm = staff.groupby("unit_id")["_jpm"].mean().reindex(unit_ids).to_numpy()

    base = np.array([_SKM_ELEMENT_BASE[e] for e in SKM_ELEMENTS])
    unit_eff = rng.normal(0, _SKM_UNIT_SD, U)
    unit_elem = rng.normal(0, _SKM_UNIT_ELEMENT_SD, (U, E))
    u_dinkes = int(np.flatnonzero(unit_ids == _DINKES)[0])
    for e, v in _SKM_DINKES_ELEMENT.items():
        unit_elem[u_dinkes, SKM_ELEMENTS.index(e)] += v
    period_common = _SKM_PERIOD_TREND * np.arange(T) + rng.normal(0, _SKM_PERIOD_SD, T)
    unit_period = rng.normal(0, _SKM_UNIT_PERIOD_SD, (U, T))
    structural = _SKM_GAMMA_MISMATCH * (mis_share - _SKM_REF_MISMATCH) + _SKM_GAMMA_JPM * (
        mean_jpm - _SKM_REF_JPM
    )
    mu0 = (
        base[None, None, :]
        + (unit_eff + structural)[:, None, None]
        + unit_elem[:, None, :]
        + period_common[None, :, None]
        + unit_period[:, :, None]
    )
    # Roll-out effect on the latent answers.
    tau = np.zeros((U, T, E))
    first_treated: dict[str, str] = {}
    w_el = np.array([_SKM_ROLLOUT_ELEMENT_WEIGHT[e] for e in SKM_ELEMENTS])
    for ui, uid in enumerate(unit_ids):
        cohort = rollout["unit_cohort"].get(uid)
        if cohort is None:
            continue
        first_treated[uid] = cohort
        g = _period_index(cohort)
        scale = rollout["unit_share"][uid] / _SKM_ATTENDANCE_REF
        for t in range(g, T):
            tau[ui, t, :] = w_el * _SKM_EVENT_MULTIPLIER[t - g] * scale
    mu1 = mu0 + tau

    missing = set(_SKM_MISSING_UNIT_PERIODS)
    users = units["service_users_per_semester"].to_numpy()
    services = {u.unit_id: u.services for u in _UNITS}
    frames = []
    effects = []
    sample_info = []
    counter = 0
    for t, period in enumerate(SKM_PERIODS):
        for ui, uid in enumerate(unit_ids):
            if (uid, period) in missing:
                continue
            required = _krejcie_morgan(int(users[ui]), **_SKM_KM)
            short = rng.random() < _SKM_SHORT_SHARE
            if short:
                m = int(math.floor(required * rng.uniform(*_SKM_SHORT_RANGE) + 0.5))
            else:
                m = required + int(rng.integers(0, max(1, int(0.08 * required)) + 1))
            sample_info.append((uid, period, required, m, short))
            r = rng.normal(0, _SKM_RESPONDENT_SD, m)
            eps = rng.normal(0, _SKM_ANSWER_SD, (m, E))
            u = rng.random((m, E))
            x0 = mu0[ui, t][None, :] + r[:, None] + eps
            y0 = np.clip(_stochastic_round(x0, u), 1, 4)
            y1 = np.clip(_stochastic_round(x0 + tau[ui, t][None, :], u), 1, 4)
            blank = rng.random((m, E)) < _SKM_BLANK_RATE
            y_obs = np.where(blank, np.nan, y1)
            if tau[ui, t].any():
                y0b = np.where(blank, np.nan, y0)
                nrr0 = np.nanmean(y0b, axis=0)
                nrr1 = np.nanmean(y_obs, axis=0)
                ikm0 = 25 * nrr0.sum() / E
                ikm1 = 25 * nrr1.sum() / E
                g = _period_index(first_treated[uid])
                effects.append(
                    {
                        "unit_id": uid,
                        "period": period,
                        "cohort": first_treated[uid],
                        "event_time": t - g,
                        "ikm_converted_y0": ikm0,
                        "ikm_converted_y1": ikm1,
                        "effect": ikm1 - ikm0,
                        "nrr_effect": dict(zip(SKM_ELEMENTS, nrr1 - nrr0, strict=True)),
                    }
                )
            svc = np.array(services[uid], dtype=object)
            svc_w = np.linspace(1.6, 0.6, len(svc))
            frame = pd.DataFrame(
                {
                    "response_id": [f"R{counter + i + 1:06d}" for i in range(m)],
                    "unit_id": uid,
                    "period": period,
                    "service": svc[rng.choice(len(svc), size=m, p=svc_w / svc_w.sum())].astype(str),
                }
            )
            counter += m
            gender = np.where(rng.random(m) < 0.55, "P", "L").astype(object)
            gender[rng.random(m) < 0.01] = None
            age = np.array(RESPONDENT_AGE_GROUPS, dtype=object)[
                rng.choice(5, size=m, p=[0.12, 0.28, 0.27, 0.2, 0.13])
            ]
            age[rng.random(m) < 0.02] = None
            edu = np.array(RESPONDENT_EDUCATION, dtype=object)[
                rng.choice(7, size=m, p=[0.06, 0.10, 0.40, 0.10, 0.30, 0.035, 0.005])
            ]
            edu[rng.random(m) < 0.02] = None
            frame["respondent_gender"] = pd.array(gender, dtype="str")
            frame["respondent_age_group"] = pd.array(age, dtype="str")
            frame["respondent_education"] = pd.array(edu, dtype="str")
            for j, e in enumerate(SKM_ELEMENTS):
                frame[e] = pd.array(y_obs[:, j], dtype="Float64").astype("Int64")
            frames.append(frame)
    skm = pd.concat(frames, ignore_index=True)

    # Ground truth of the roll-out on converted IKM.
    eff = pd.DataFrame(effects)
    att_overall = float(eff["effect"].mean())
    att_event = {str(k): float(v) for k, v in eff.groupby("event_time")["effect"].mean().items()}
    att_cohort = {str(k): float(v) for k, v in eff.groupby("cohort")["effect"].mean().items()}
    dinkes = {r["period"]: float(r["effect"]) for r in effects if r["unit_id"] == _DINKES}
    nrr_eff = pd.DataFrame([r["nrr_effect"] for r in effects])
    nrr_by_event = {
        str(k): {e: float(v) for e, v in grp[list(SKM_ELEMENTS)].mean().items()}
        for k, grp in pd.concat([eff[["event_time"]], nrr_eff], axis=1).groupby("event_time")
    }

    # Average marginal effects on expected converted IKM (closed form: E[answer | x] is
    # clip(x, 1, 4), so dE/dmu = P(1 < x < 4) with x ~ N(mu, s)).
    s = math.hypot(_SKM_RESPONDENT_SD, _SKM_ANSWER_SD)
    observed = np.ones((U, T), dtype=bool)
    for uid, period in missing:
        observed[int(np.flatnonzero(unit_ids == uid)[0]), _period_index(period)] = False
    mu_obs = mu1[observed]  # (n_unit_periods, E)
    p_in = special.ndtr((4 - mu_obs) / s) - special.ndtr((1 - mu_obs) / s)
    slope = 25 * p_in.sum(axis=1) / E  # d E[IKM converted] / d latent shift of all elements
    ame_share = float(_SKM_GAMMA_MISMATCH * slope.mean())
    ame_jpm = float(_SKM_GAMMA_JPM * slope.mean())

    def expected_ikm(mu: np.ndarray) -> np.ndarray:
        a, b = (1 - mu) / s, (4 - mu) / s
        mid = mu * (special.ndtr(b) - special.ndtr(a)) + s * (
            np.exp(-0.5 * a * a) - np.exp(-0.5 * b * b)
        ) / math.sqrt(2 * math.pi)
        val = special.ndtr(a) * 1 + (1 - special.ndtr(b)) * 4 + mid
        return 25 * val.sum(axis=-1) / E

    discrete_share_01 = float(
        (expected_ikm(mu_obs + _SKM_GAMMA_MISMATCH * 0.1) - expected_ikm(mu_obs)).mean()
    )
    info = pd.DataFrame(sample_info, columns=["unit_id", "period", "required", "n", "short"])
    truth = {
        "ikm_effect": {
            "definition": (
                "per treated unit-period: converted IKM (25 x sum of element NRR x 1/9, NRR over "
                "answered items) from the answers with training minus from the same respondents' "
                "answers without it (common random numbers); ATTs are unweighted means over "
                "treated unit-periods"
            ),
            "att_overall": att_overall,
            "att_by_event_time": att_event,
            "att_by_cohort": att_cohort,
            "dinas_kesehatan_by_period": dinkes,
            "element_nrr_effects": {e: float(v) for e, v in nrr_eff.mean().items()},
            "element_nrr_effects_by_event_time": nrr_by_event,
            "by_unit_period": [
                {k: v for k, v in r.items() if k != "nrr_effect"} | {"nrr_effect": r["nrr_effect"]}
                for r in effects
            ],
            "n_treated_unit_periods": len(effects),
        },
        "skm_answer_model": {
            "model": (
                "x = mu[u,t,e] + r_i + eps_ie; answer = clip(floor(x + U), 1, 4); "
                "mu = element_base[e] + unit_effect[u] + gamma_mismatch * (mismatch_share[u] - "
                "reference_mismatch_share) + gamma_jpm * (mean_jpm[u] - reference_jpm) + "
                "unit_element_effect[u,e] + period_effect[t] + unit_period_effect[u,t] + "
                "rollout_effect[u,t,e]"
            ),
            "element_base": dict(_SKM_ELEMENT_BASE),
            "respondent_sd": _SKM_RESPONDENT_SD,
            "answer_sd": _SKM_ANSWER_SD,
            "unit_effects": dict(zip(unit_ids, unit_eff.tolist(), strict=True)),
            "unit_effect_sd": _SKM_UNIT_SD,
            "unit_element_effects": {
                uid: dict(zip(SKM_ELEMENTS, unit_elem[i].tolist(), strict=True))
                for i, uid in enumerate(unit_ids)
            },
            "dinas_kesehatan_element_effects": dict(_SKM_DINKES_ELEMENT),
            "period_effects": dict(zip(SKM_PERIODS, period_common.tolist(), strict=True)),
            "period_trend_per_semester": _SKM_PERIOD_TREND,
            "unit_period_sd": _SKM_UNIT_PERIOD_SD,
            "gamma_mismatch_share": _SKM_GAMMA_MISMATCH,
            "gamma_mean_jpm": _SKM_GAMMA_JPM,
            "reference_mismatch_share": _SKM_REF_MISMATCH,
            "reference_jpm": _SKM_REF_JPM,
            "rollout_element_weights": dict(_SKM_ROLLOUT_ELEMENT_WEIGHT),
            "rollout_event_time_multipliers": list(_SKM_EVENT_MULTIPLIER),
            "rollout_attendance_reference": _SKM_ATTENDANCE_REF,
            "rollout_latent_shift": (
                "element_weight[e] x event_time_multiplier[t - g] x attendance_share[u] / "
                "attendance_reference"
            ),
            "blank_rate": _SKM_BLANK_RATE,
            "krejcie_morgan": dict(_SKM_KM),
            "short_sample_share_target": _SKM_SHORT_SHARE,
            "short_sample_range": list(_SKM_SHORT_RANGE),
            "n_unit_periods_short": int(info["short"].sum()),
            "n_unit_periods": len(info),
            "missing_unit_periods": [list(x) for x in _SKM_MISSING_UNIT_PERIODS],
        },
        "unit_skm": {
            "mismatch_share": dict(zip(unit_ids, mis_share.tolist(), strict=True)),
            "mean_jpm": dict(zip(unit_ids, mean_jpm.tolist(), strict=True)),
            "ame_converted_ikm_per_unit_mismatch_share": ame_share,
            "ame_converted_ikm_per_jpm_point": ame_jpm,
            "discrete_change_converted_ikm_per_0_1_mismatch_share": discrete_share_01,
        },
        "first_treated": first_treated,
    }
    return skm, truth


# =============================================================================================
# Ground truth
# =============================================================================================
def _ground_truth(
    *,
    seed: int,
    n_employees: int,
    staff: pd.DataFrame,
    units: pd.DataFrame,
    comp: dict[str, Any],
    perf_truth: dict[str, Any],
    survey_truth: dict[str, Any],
    rollout: dict[str, Any],
    selection: dict[str, Any],
    reassess: dict[str, Any],
    training_truth: dict[str, Any],
    skm_truth: dict[str, Any],
) -> dict[str, Any]:
    it_out = staff["_it_outside"].to_numpy()
    mismatch = staff["_mismatch"].to_numpy()
    segments = staff["_segment"].to_numpy()
    labels = dict(zip(staff["employee_id"], segments, strict=True))
    seg_counts = pd.Series(segments).value_counts()
    unit_skm = skm_truth["unit_skm"]
    sp = dict(_SELECTION_PARTICIPATION)
    so = dict(_SELECTION_OUTCOME)
    treated_units = rollout["unit_cohort"]
    notes = [
        "All data are synthetic; NIPs have the valid form but belong to nobody and names are "
        "random combinations.",
        "Every employee is employed for the whole 2022-2025 window: PNS were appointed by 2021, "
        "PPPK in the first half of 2024 (no attrition, no transfers between units).",
        f"years_of_service is counted to {REFERENCE_DATE}.",
        "PNS baseline assessments are spread through 2022, PPPK baseline assessments lie in "
        "July-August 2024 (2024-S2); about 85 % of employees are reassessed in 2025-S2 on all "
        "10 competencies.",
        "About 1 % of employee-years are missing from performance (no appraisal recorded).",
        "SKM: unit-periods "
        + ", ".join(f"{u} {p}" for u, p in _SKM_MISSING_UNIT_PERIODS)
        + " have no survey at all (never-treated units).",
        f"SKM: about {int(_SKM_SHORT_SHARE * 100)} % of unit-periods fall 10-40 % short of the "
        "Krejcie-Morgan sample size (see skm_answer_model.n_unit_periods_short); the rest meet "
        "it or exceed it by up to 8 %.",
        "SKM: about 2 % of element answers are blank; about 1-2 % of respondent demographics "
        "are blank.",
        "Staff survey: wave 2023-S2 covers PNS only; response about 75 % per wave (lower in the "
        "resisten segment); about 3 % of item answers are blank.",
        "Training: reaction_score is missing for about 5 % of rows, pre_test/post_test for about "
        "8 % of rows and for all leadership programmes (no tests).",
        "Training: 'Pelatihan Teknis Digitalisasi Layanan' targets each participant's own "
        "technical competency, so its competency_targeted varies by row.",
        "Roll-out: attendance shares are of the unit's front-line staff assessed before the "
        "training; PPPK (baseline July-August 2024) attend from cohort 2024-S2 on, and "
        "Dinas Kesehatan PPPK (cohort 2024-S1) are not trained.",
        "Only the roll-out programmes and the selection programme change competency levels; "
        "other programmes have no effect on the reassessment.",
        "Unit mismatch share and mean JPM for the SKM model are from baseline assessments of "
        "all staff of the unit and are constant over time.",
        "Performance latent includes segment shifts (kompeten_berkinerja +0.5, resisten -0.5) "
        "that are not observed; they are the only omitted part of the performance model.",
        "Dinas Kesehatan staff start with lower komunikasi and pelayanan_publik levels "
        "(the gap the case-study evaluation found) and its SKM kompetensi and perilaku elements "
        "start lower.",
        "Class sizes are near 35 (30-40) for large programmes; smaller programmes and leadership "
        "cohorts run as single smaller classes.",
    ]
    return {
        "synthetic": True,
        "seed": int(seed),
        "n_employees": n_employees,
        "generator": GENERATOR,
        "salt": {
            "value": SYNTHETIC_SALT,
            "note": (
                "employee_id = HMAC-SHA256(key=salt, msg=nip)[:16] as in "
                "asn_analysis.privacy.pseudonymize; this public salt is safe only because the "
                "data are synthetic. Employee-level truths are keyed by employee_id."
            ),
        },
        "reference_date": REFERENCE_DATE,
        "calibration": {
            "job_type_shares": {
                k: float(v) for k, v in staff["job_type"].value_counts(normalize=True).items()
            },
            "pppk_share": float((staff["status"] == "PPPK").mean()),
            "female_share": float((staff["gender"] == "P").mean()),
            "teacher_share": float((staff["group"] == "teacher").mean()),
            "health_worker_share": float((staff["group"] == "health").mean()),
            "training_share_meeting_20_jp_by_year": training_truth["share_meeting_20_jp_by_year"],
        },
        "rollout": {
            "programs": [p for p, *_ in _ROLLOUT_PROGRAMS],
            "competencies_targeted": [c for _, c, _ in _ROLLOUT_PROGRAMS],
            "cohorts": {k: list(v) for k, v in _ROLLOUT_COHORTS.items()},
            "first_treated_period": dict(treated_units),
            "never_treated_units": [u for u in units["unit_id"] if u not in treated_units],
            "attendance_share_of_front_line": rollout["unit_share"],
            "front_line": (
                "fungsional and pelaksana staff of the unit assessed before the training "
                "(PPPK from cohort 2024-S2 on)"
            ),
            "n_attendees": int(rollout["attend"].sum()),
            "periods": list(SKM_PERIODS),
        },
        "ikm_effect": skm_truth["ikm_effect"],
        "competency_training_effect": {
            "definition": (
                "sample ATT on the reassessed (2025-S2) level among roll-out attendees who were "
                "reassessed: mean of Y1 - Y0 from common random numbers"
            ),
            "att_level": reassess["rollout_att"],
            "latent_shift": dict(_ROLLOUT_LEVEL_SHIFT),
            "n_attendees_reassessed": reassess["rollout_n"],
            "reassessment_drift": _REASSESSMENT_DRIFT,
            "reassessment_noise_sd": _REASSESSMENT_NOISE_SD,
        },
        "selection_program": {
            "program": _SELECTION_PROGRAM[0],
            "year": _SELECTION_PROGRAM[3],
            "competency_targeted": "teknis_<job_family> of the participant's position",
            "eligible": "PNS, all job types except jpt_pratama",
            "outcome": "reassessed (2025-S2) level of the targeted technical competency",
            "confounders": [
                "age (2024 - birth_year)",
                "education (D4 or higher)",
                "years_of_service",
                "job_type",
                "baseline level of the targeted competency",
            ],
            "confounder_columns": [
                "birth_year",
                "education",
                "years_of_service",
                "job_type",
                "baseline_level",
            ],
            "participation_model": sp,
            "outcome_model": so,
            **reassess["selection"],
            "bias_of_naive": reassess["selection"]["naive_difference"]
            - reassess["selection"]["att"],
        },
        "mismatch": {
            "definition": (
                "baseline level held in teknis_<job_family> below the position's required level"
            ),
            "jpm_definition": (
                "sum of held levels / sum of required levels x 100 over the 10 competencies of "
                "the position at the baseline assessment, total capped at 100"
            ),
            "rate_it_outside_diskominfo": float(mismatch[it_out].mean()),
            "n_it_outside_diskominfo": int(it_out.sum()),
            "rate_elsewhere": float(mismatch[~it_out].mean()),
            "rate_overall": float(mismatch.mean()),
            "performance_model": (
                "ordered logit per employee-year: latent = b_jpm * (jpm - jpm_centre) / "
                "jpm_scale + b_mis * mismatch + job_type_effect + unit_effect + segment_shift + "
                "logistic noise; predikat by cutpoints (sangat_kurang < kurang < "
                "butuh_perbaikan < baik < sangat_baik)"
            ),
            **perf_truth,
            "unit_mismatch_share": unit_skm["mismatch_share"],
            "unit_mean_jpm": unit_skm["mean_jpm"],
            "skm": {
                "gamma_mismatch_share_latent": _SKM_GAMMA_MISMATCH,
                "gamma_mean_jpm_latent": _SKM_GAMMA_JPM,
                "ame_converted_ikm_per_unit_mismatch_share": unit_skm[
                    "ame_converted_ikm_per_unit_mismatch_share"
                ],
                "ame_converted_ikm_per_jpm_point": unit_skm["ame_converted_ikm_per_jpm_point"],
                "discrete_change_converted_ikm_per_0_1_mismatch_share": unit_skm[
                    "discrete_change_converted_ikm_per_0_1_mismatch_share"
                ],
                "ame_definition": (
                    "mean over observed unit-periods of the derivative of expected converted "
                    "IKM (closed form, E[answer | x] = clip(x, 1, 4)) with respect to the unit "
                    "covariate"
                ),
            },
            "unit_segment_propensity": {
                "kesenjangan_teknis": comp["unit_mismatch_propensity"],
                "kesenjangan_manajerial": comp["unit_managerial_gap_propensity"],
            },
        },
        "resistance": survey_truth,
        "segments": {
            "names": list(_SEGMENT_NAMES),
            "definitions": _SEGMENTS,
            "competency_noise_sd": _COMPETENCY_NOISE_SD,
            "it_outside_diskominfo_kesenjangan_teknis_prob": _IT_OUTSIDE_MISMATCH_SEGMENT_PROB,
            "rules": (
                "held level = round(required + segment shift + N(0, competency_noise_sd)) "
                "clipped to 1-5; kesenjangan_manajerial is not assigned where the required "
                "managerial level is 1; kesenjangan_teknis has probability 0.5 in "
                "teknologi_informasi posts outside Diskominfo"
            ),
            "shares": {k: float(seg_counts.get(k, 0) / len(segments)) for k in _SEGMENT_NAMES},
            "labels": labels,
            "recovery_features": [
                "baseline gap (held - required) of the 8 managerial competencies and "
                "perekat_bangsa",
                "jpm",
                "resistance score in wave 2023-S2",
                "mean predikat rank (sangat_kurang 1 ... sangat_baik 5)",
            ],
        },
        "skm_answer_model": skm_truth["skm_answer_model"],
        "notes": notes,
    }
