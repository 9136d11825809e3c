"""Talent management: SKP predikat, the 9-box talent grid and the Indeks Profesionalitas ASN.

* :func:`skp_predikat` - the performance rating (*predikat kinerja*) from the ratings of work
  results and work behaviour (PermenPANRB No. 6 Tahun 2022).
* :func:`nine_box` - the talent box (kinerja x potensial) and its recommended action
  (PermenPANRB No. 3 Tahun 2020), in Bahasa Indonesia and English.
* :func:`kinerja_from_predikat`, :func:`potensial_from_jpm`, :func:`employee_talent` - map
  employees onto the two axes from data this package holds (predikat, Job Person Match).
* :func:`ip_asn` - the Indeks Profesionalitas ASN (PermenPANRB No. 38 Tahun 2018; Peraturan BKN
  No. 8 Tahun 2019): qualification, competency, performance and discipline points.

Where public sources disagree or only one exists (the IP ASN point tables, how the 2022 predikat
maps onto the old performance scale), the rule is a parameter with a documented default.

References
----------
.. [1] Peraturan Menteri PANRB No. 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN.
.. [2] Peraturan Menteri PANRB No. 3 Tahun 2020 tentang Manajemen Talenta Aparatur Sipil Negara.
.. [3] Peraturan Menteri PANRB No. 38 Tahun 2018 tentang Pengukuran Indeks Profesionalitas ASN.
.. [4] Peraturan BKN No. 8 Tahun 2019 tentang Pedoman Tata Cara dan Pelaksanaan Pengukuran Indeks
   Profesionalitas ASN.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from asn_analysis._validation import check_columns, check_option
from asn_analysis.data.schema import EDUCATION, JOB_TYPES, PREDIKAT, PREDIKAT_MATRIX, RATINGS
from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "COMPETENCY_POINTS",
    "DISCIPLINE_POINTS",
    "IP_ASN_CATEGORIES",
    "KINERJA_FROM_PREDIKAT",
    "KINERJA_POINTS",
    "NINE_BOX_ACTIONS",
    "POTENTIAL",
    "QUALIFICATION_POINTS",
    "TRAINING_KIND_PATTERNS",
    "TalentInputError",
    "classify_training",
    "employee_talent",
    "ip_asn",
    "ip_asn_category",
    "kinerja_from_predikat",
    "nine_box",
    "potensial_from_jpm",
    "skp_predikat",
]

Numbering: TypeAlias = Literal["permenpanrb", "row"]

#: Potential levels of the 9-box, lowest first (PermenPANRB 3/2020).
POTENTIAL: tuple[str, ...] = ("rendah", "menengah", "tinggi")

#: Box numbers by (potensial, kinerja) in the regulation's layout (the default numbering).
_BOX_PERMENPANRB: Mapping[tuple[str, str], int] = MappingProxyType(
    {
        ("tinggi", "di_bawah"): 6,
        ("tinggi", "sesuai"): 8,
        ("tinggi", "di_atas"): 9,
        ("menengah", "di_bawah"): 3,
        ("menengah", "sesuai"): 5,
        ("menengah", "di_atas"): 7,
        ("rendah", "di_bawah"): 1,
        ("rendah", "sesuai"): 2,
        ("rendah", "di_atas"): 4,
    }
)

#: Recommended action per box of the regulation's numbering: (Bahasa Indonesia, English).
NINE_BOX_ACTIONS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        9: (
            "Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi",
            "Promote and retain; enter the succession pool",
        ),
        8: (
            "Dipertahankan; masuk kelompok rencana suksesi; rotasi atau pengayaan jabatan; "
            "pengembangan kompetensi",
            "Retain; succession pool; rotation or job enrichment; competency development",
        ),
        7: (
            "Dipertahankan; masuk kelompok rencana suksesi; rotasi atau pengayaan jabatan; "
            "pengembangan kompetensi",
            "Retain; succession pool; rotation or job enrichment; competency development",
        ),
        6: (
            "Penempatan yang sesuai dan bimbingan kinerja",
            "Suitable placement and performance coaching",
        ),
        5: (
            "Penempatan yang sesuai, bimbingan kinerja dan pengembangan kompetensi",
            "Suitable placement, performance coaching and competency development",
        ),
        4: ("Rotasi dan pengembangan kompetensi", "Rotation and competency development"),
        3: (
            "Bimbingan kinerja, pengembangan kompetensi dan penempatan yang sesuai",
            "Performance coaching, competency development and suitable placement",
        ),
        2: (
            "Bimbingan kinerja, pengembangan kompetensi dan penempatan yang sesuai",
            "Performance coaching, competency development and suitable placement",
        ),
        1: (
            "Ditangani sesuai ketentuan peraturan perundang-undangan",
            "Handled under the statutory rules",
        ),
    }
)
#: Boxes of the regulation's numbering that form the promotion / succession pool.
TALENT_POOL_BOXES = (7, 8, 9)

#: Kinerja axis from the SKP predikat (a documented choice: below Baik is below expectation).
KINERJA_FROM_PREDIKAT: Mapping[str, str] = MappingProxyType(
    {
        "sangat_kurang": "di_bawah",
        "kurang": "di_bawah",
        "butuh_perbaikan": "di_bawah",
        "baik": "sesuai",
        "sangat_baik": "di_atas",
    }
)

#: IP ASN kualifikasi points by highest education (max 25). S3 and S2 are confirmed; the rest
#: has one public source (S1/D-IV 15, D-III 10, D-II/D-I/SLTA 5, below SLTA 1).
QUALIFICATION_POINTS: Mapping[str, float] = MappingProxyType(
    {
        "S3": 25.0,
        "S2": 20.0,
        "S1": 15.0,
        "D4": 15.0,
        "D3": 10.0,
        "D2": 5.0,
        "D1": 5.0,
        "SMA": 5.0,
        "SMP": 1.0,
        "SD": 1.0,
    }
)

#: IP ASN kompetensi points (max 40) by post group and training kind (one public source).
#: Structural posts count leadership training, functional posts functional training.
COMPETENCY_POINTS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "struktural": MappingProxyType({"kepemimpinan": 15.0, "teknis": 15.0, "seminar": 10.0}),
        "fungsional": MappingProxyType({"fungsional": 15.0, "teknis": 15.0, "seminar": 10.0}),
        "pelaksana": MappingProxyType({"teknis": 22.5, "seminar": 17.5}),
    }
)
#: Job types counted as structural posts for the kompetensi dimension.
STRUCTURAL_JOB_TYPES = ("jpt_pratama", "administrator", "pengawas")

#: IP ASN kinerja points (max 30) by 2022 predikat. The 2022 mapping is not published: the default
#: puts each predikat on the band of the old PP 46/2011 scale with the matching label
#: (sangat baik 91-100 -> 30, baik 76-90 -> 25, butuh perbaikan ~ cukup 61-75 -> 15,
#: kurang 51-60 -> 5, sangat kurang ~ buruk <= 50 -> 1).
KINERJA_POINTS: Mapping[str, float] = MappingProxyType(
    {
        "sangat_baik": 30.0,
        "baik": 25.0,
        "butuh_perbaikan": 15.0,
        "kurang": 5.0,
        "sangat_kurang": 1.0,
    }
)

#: IP ASN disiplin points (max 5) by the heaviest sanction of the last 5 years (one source).
DISCIPLINE_POINTS: Mapping[str, float] = MappingProxyType(
    {"none": 5.0, "ringan": 3.0, "sedang": 2.0, "berat": 1.0}
)
_SANCTION_ORDER = ("none", "ringan", "sedang", "berat")

#: IP ASN categories: (label, exclusive lower bound), highest first; otherwise Sangat Rendah.
IP_ASN_CATEGORIES: tuple[tuple[str, float], ...] = (
    ("Sangat Tinggi", 90.0),
    ("Tinggi", 80.0),
    ("Sedang", 70.0),
    ("Rendah", 60.0),
)
_IP_LOWEST = "Sangat Rendah"

#: Default classification of training programmes by name (case-insensitive regular expressions,
#: tried in this order); anything else is technical training.
TRAINING_KIND_PATTERNS: Mapping[str, str] = MappingProxyType(
    {
        "kepemimpinan": r"kepemimpinan|diklatpim|\bpk[apn]\b|\bpkp\b",
        "fungsional": r"fungsional",
        "seminar": r"seminar|workshop|lokakarya|webinar|simposium|konferensi",
    }
)
TRAINING_KINDS = ("kepemimpinan", "fungsional", "teknis", "seminar")


class TalentInputError(AsnAnalysisError):
    """Talent input that cannot be used; the message names the column, values and counts."""


def _fmt_list(values: Sequence[Any]) -> str:
    """Show up to 5 distinct values and how many there are: "['a', 'b'] (2 distinct)"."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:5])
    return f"[{shown}{', ...' if len(values) > 5 else ''}] ({len(values)} distinct)"


def _as_series(values: Any, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    return pd.Series(values, name=name)


def _codes(values: pd.Series, levels: Sequence[str], name: str) -> np.ndarray:
    """Codes of values in levels; -1 for missing; raise on unknown values."""
    index = pd.Index(list(levels))
    if isinstance(values.dtype, pd.CategoricalDtype):
        pos = index.get_indexer(values.cat.categories.astype(str))
        used = set(pd.unique(values.cat.codes.to_numpy()).tolist())
        unknown = [c for i, c in enumerate(values.cat.categories) if pos[i] < 0 and i in used]
        if unknown:
            raise TalentInputError(
                f"{name}: values not one of {', '.join(levels)}: {_fmt_list(unknown)}"
            )
        return np.append(pos, -1)[values.cat.codes.to_numpy()]
    codes = index.get_indexer(values)
    bad = (codes < 0) & values.notna().to_numpy()
    if bad.any():
        raise TalentInputError(
            f"{name}: {int(bad.sum())} values are not one of {', '.join(levels)}: "
            f"{_fmt_list(pd.unique(values[bad]).tolist())}"
        )
    return codes


def _categorical(codes: np.ndarray, levels: Sequence[str], index: pd.Index, name: str):
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=list(levels), ordered=True),
        index=index,
        name=name,
    )


# --------------------------------------------------------------------------------------------
# SKP predikat (PermenPANRB 6/2022)
# --------------------------------------------------------------------------------------------


def skp_predikat(hasil_kerja: Any, perilaku_kerja: Any) -> pd.Series:
    r"""Derive the SKP predikat from the ratings of work results and work behaviour.

    Parameters
    ----------
    hasil_kerja, perilaku_kerja : array-like of str
        Ratings against expectation: ``"di_bawah"``, ``"sesuai"`` or ``"di_atas"``; missing
        values give a missing predikat.

    Returns
    -------
    pandas.Series
        Ordered categorical with categories :data:`asn_analysis.data.schema.PREDIKAT`
        (sangat_kurang < kurang < butuh_perbaikan < baik < sangat_baik), indexed like
        `hasil_kerja`.

    Raises
    ------
    TalentInputError
        Values outside the three ratings, or inputs of different lengths.

    Notes
    -----
    The matrix of PermenPANRB 6/2022 (:data:`asn_analysis.data.schema.PREDIKAT_MATRIX`):

    ======================  ===============  ===============  ===============
    hasil \ perilaku        di bawah         sesuai           di atas
    ======================  ===============  ===============  ===============
    di atas                 kurang           baik             sangat baik
    sesuai                  kurang           baik             baik
    di bawah                sangat kurang    butuh perbaikan  butuh perbaikan
    ======================  ===============  ===============  ===============

    (*kurang* is the regulation's "Kurang/Misconduct".)

    References
    ----------
    .. [1] PermenPANRB No. 6 Tahun 2022, Lampiran: predikat kinerja pegawai.

    Examples
    --------
    >>> list(skp_predikat(["di_atas", "sesuai", "di_bawah"], ["di_atas", "di_bawah", "sesuai"]))
    ['sangat_baik', 'kurang', 'butuh_perbaikan']
    """
    hasil = _as_series(hasil_kerja, "hasil_kerja")
    perilaku = _as_series(perilaku_kerja, "perilaku_kerja")
    if len(hasil) != len(perilaku):
        raise TalentInputError(
            f"hasil_kerja has {len(hasil)} values but perilaku_kerja {len(perilaku)}"
        )
    h = _codes(hasil, RATINGS, "hasil_kerja")
    p = _codes(perilaku, RATINGS, "perilaku_kerja")
    table = np.array(
        [[PREDIKAT.index(PREDIKAT_MATRIX[(hk, pk)]) for pk in RATINGS] for hk in RATINGS]
    )
    codes = np.where((h >= 0) & (p >= 0), table[np.maximum(h, 0), np.maximum(p, 0)], -1)
    return _categorical(codes, PREDIKAT, hasil.index, "predikat")


# --------------------------------------------------------------------------------------------
# 9-box (PermenPANRB 3/2020)
# --------------------------------------------------------------------------------------------


def _box_grid(numbering: Numbering) -> np.ndarray:
    """Box number by [potensial code, kinerja code]."""
    grid = np.zeros((3, 3), dtype=np.int8)
    for i, pot in enumerate(POTENTIAL):
        for j, kin in enumerate(RATINGS):
            grid[i, j] = (
                _BOX_PERMENPANRB[(pot, kin)] if numbering == "permenpanrb" else 3 * i + j + 1
            )
    return grid


def nine_box(
    performance: Any, potential: Any, *, numbering: Numbering = "permenpanrb"
) -> pd.DataFrame:
    r"""Place employees in the 9-box talent grid and give the recommended action.

    Parameters
    ----------
    performance : array-like of str
        Kinerja axis: ``"di_bawah"``, ``"sesuai"`` or ``"di_atas"`` (ekspektasi). Missing values
        give a missing box.
    potential : array-like of str
        Potensial axis: ``"rendah"``, ``"menengah"`` or ``"tinggi"``.
    numbering : {"permenpanrb", "row"}, default "permenpanrb"
        ``"permenpanrb"``: the numbering of PermenPANRB 3/2020 (table below). ``"row"``: row by
        row from the bottom-left, as some tools do: box = 3 x (potensial rank) + (kinerja rank)
        + 1 with ranks from 0, i.e. rendah row 1 (di bawah), 2 (sesuai), 3 (di atas); menengah
        row 4, 5, 6; tinggi row 7, 8, 9.

    Returns
    -------
    pandas.DataFrame
        Indexed like `performance` (the two inputs are paired by position): ``kinerja``,
        ``potensial`` (ordered categoricals), ``box`` (Int8, in the chosen numbering),
        ``box_permenpanrb`` (the regulation's number, whatever the numbering), ``action_id``,
        ``action_en`` and ``talent_pool`` (boxes 7-9 of the regulation: the promotion /
        succession pool). Actions belong to the cell, so they do not change with the numbering.

    Raises
    ------
    TalentInputError
        Unknown values, inputs of different lengths, or an unknown numbering.

    Notes
    -----
    Default numbering (PermenPANRB 3/2020):

    =====================  ========  ======  =======
    potensial \ kinerja    di bawah  sesuai  di atas
    =====================  ========  ======  =======
    tinggi                 6         8       9
    menengah               3         5       7
    rendah                 1         2       4
    =====================  ========  ======  =======

    Actions: 9 promote and retain, succession pool; 8 and 7 retain, succession pool, rotation or
    enrichment, development; 6 suitable placement and performance coaching; 5 suitable placement,
    coaching and competency development; 4 rotation and competency development; 3 and 2
    coaching, competency development and suitable placement; 1 handled under the statutory rules.

    References
    ----------
    .. [1] PermenPANRB No. 3 Tahun 2020 tentang Manajemen Talenta ASN, Lampiran (kotak manajemen
       talenta).

    Examples
    --------
    >>> box = nine_box(["di_atas", "di_bawah"], ["tinggi", "rendah"])
    >>> box[["box", "talent_pool"]].to_dict("list")
    {'box': [9, 1], 'talent_pool': [True, False]}
    >>> nine_box(["di_bawah"], ["tinggi"], numbering="row")["box"].tolist()
    [7]
    """
    check_option("numbering", numbering, Numbering)
    kin = _as_series(performance, "kinerja")
    pot = _as_series(potential, "potensial")
    if len(kin) != len(pot):
        raise TalentInputError(f"performance has {len(kin)} values but potential {len(pot)}")
    k = _codes(kin, RATINGS, "performance (kinerja)")
    p = _codes(pot, POTENTIAL, "potential (potensial)")
    known = (k >= 0) & (p >= 0)
    ki, pi = np.maximum(k, 0), np.maximum(p, 0)
    reg = np.where(known, _box_grid("permenpanrb")[pi, ki], 0)
    box = reg if numbering == "permenpanrb" else np.where(known, _box_grid("row")[pi, ki], 0)
    action_codes = np.where(known, reg - 1, -1)
    actions = [NINE_BOX_ACTIONS[b] for b in range(1, 10)]
    index = kin.index
    out = pd.DataFrame(
        {
            "kinerja": pd.Categorical.from_codes(k, RATINGS, ordered=True),
            "potensial": pd.Categorical.from_codes(p, POTENTIAL, ordered=True),
            "box": pd.arrays.IntegerArray(box.astype(np.int8), ~known),
            "box_permenpanrb": pd.arrays.IntegerArray(reg.astype(np.int8), ~known),
            # Actions as categoricals: nine texts shared by millions of rows.
            "action_id": _action_column(action_codes, 0, actions),
            "action_en": _action_column(action_codes, 1, actions),
            "talent_pool": np.isin(reg, TALENT_POOL_BOXES),
        },
        index=index,
        copy=False,  # fresh arrays: no copy for millions of employees
    )
    return out


def _action_column(codes: np.ndarray, lang: int, actions: list[tuple[str, str]]) -> pd.Categorical:
    texts = [a[lang] for a in actions]
    unique = list(dict.fromkeys(texts))
    remap = np.array([unique.index(t) for t in texts] + [-1])
    return pd.Categorical.from_codes(remap[codes], categories=unique)


def kinerja_from_predikat(
    predikat: Any, *, mapping: Mapping[str, str] = KINERJA_FROM_PREDIKAT
) -> pd.Series:
    """Map the SKP predikat onto the kinerja axis of the 9-box.

    Parameters
    ----------
    predikat : array-like of str
        Values of :data:`asn_analysis.data.schema.PREDIKAT`.
    mapping : mapping of predikat to rating, default :data:`KINERJA_FROM_PREDIKAT`
        Default (a documented choice, not a rule of the regulation): below Baik (butuh
        perbaikan, kurang, sangat kurang) -> ``di_bawah``, Baik -> ``sesuai``, Sangat Baik ->
        ``di_atas``.

    Returns
    -------
    pandas.Series
        Ordered categorical over ``di_bawah < sesuai < di_atas``.

    Raises
    ------
    TalentInputError
        Unknown predikat, or a mapping that misses a predikat or names an unknown rating.

    Examples
    --------
    >>> kinerja_from_predikat(["baik", "sangat_baik", "kurang"]).tolist()
    ['sesuai', 'di_atas', 'di_bawah']
    """
    missing = [p for p in PREDIKAT if p not in mapping]
    wrong = {k: v for k, v in mapping.items() if v not in RATINGS}
    if missing or wrong:
        raise TalentInputError(
            f"mapping must give one of {', '.join(RATINGS)} for every predikat; missing "
            f"{missing}, invalid {wrong}"
        )
    values = _as_series(predikat, "predikat")
    codes = _codes(values, PREDIKAT, "predikat")
    lut = np.array([RATINGS.index(mapping[p]) for p in PREDIKAT] + [-1])
    return _categorical(lut[codes], RATINGS, values.index, "kinerja")


def potensial_from_jpm(
    jpm_pct: Any, *, cuts: tuple[float, float] | Literal["tertiles"] = (78.0, 90.0)
) -> pd.Series:
    """Map JPM percentages onto the potensial axis of the 9-box.

    Parameters
    ----------
    jpm_pct : array-like of float
        Job Person Match in percent.
    cuts : (float, float) or "tertiles", default (78.0, 90.0)
        Lower bounds (inclusive) of ``menengah`` and ``tinggi``. The default reuses the JPM
        mapping bands (Kurang Optimal < 78 <= Cukup Optimal < 90 <= Optimal), so the axis is
        stable between periods. ``"tertiles"`` cuts at the 1/3 and 2/3 quantiles of the data
        (relative; with many JPM at the 100 cap the top group is larger than a third).

    Returns
    -------
    pandas.Series
        Ordered categorical over ``rendah < menengah < tinggi``; NaN JPM gives a missing value.
        ``attrs["cuts"]`` holds the cut points used.

    Notes
    -----
    PermenPANRB 3/2020 measures potential with a potential assessment; JPM (competency against
    the current post's standard) is a proxy available in this data. Replace it with assessed
    potential where you have it.

    Examples
    --------
    >>> potensial_from_jpm([70.0, 78.0, 95.0]).tolist()
    ['rendah', 'menengah', 'tinggi']
    """
    values = _as_series(jpm_pct, "jpm_pct")
    x = values.to_numpy(dtype=np.float64, na_value=np.nan)
    if isinstance(cuts, str):
        if cuts != "tertiles":
            raise TalentInputError(f"cuts={cuts!r}: give two numbers or 'tertiles'")
        lo, hi = np.nanquantile(x, [1 / 3, 2 / 3])
    else:
        if len(cuts) != 2 or not cuts[0] <= cuts[1]:
            raise TalentInputError(f"cuts={cuts!r}: give two increasing numbers")
        lo, hi = float(cuts[0]), float(cuts[1])
    codes = (x >= lo).astype(np.int8) + (x >= hi)
    codes[np.isnan(x)] = -1
    out = _categorical(codes, POTENTIAL, values.index, "potensial")
    out.attrs["cuts"] = (float(lo), float(hi))
    return out


def employee_talent(
    jpm: pd.DataFrame,
    performance: pd.DataFrame,
    *,
    year: int | None = None,
    kinerja_map: Mapping[str, str] = KINERJA_FROM_PREDIKAT,
    cuts: tuple[float, float] | Literal["tertiles"] = (78.0, 90.0),
    numbering: Numbering = "permenpanrb",
) -> pd.DataFrame:
    """Place every employee with a JPM in the 9-box, from predikat and JPM.

    Parameters
    ----------
    jpm : pandas.DataFrame
        Output of :func:`asn_analysis.competency.job_person_match` (employee_id, jpm_pct; other
        columns such as unit_id are carried over).
    performance : pandas.DataFrame
        employee_id, year, predikat.
    year : int, optional
        Appraisal year for the kinerja axis; default: each employee's latest year.
    kinerja_map : mapping, default :data:`KINERJA_FROM_PREDIKAT`
        See :func:`kinerja_from_predikat`.
    cuts : (float, float) or "tertiles", default (78.0, 90.0)
        See :func:`potensial_from_jpm`.
    numbering : {"permenpanrb", "row"}, default "permenpanrb"
        See :func:`nine_box`.

    Returns
    -------
    pandas.DataFrame
        The `jpm` columns plus year, predikat and the :func:`nine_box` columns. Employees without
        an appraisal (in `year`) keep a row with a missing box; ``attrs["n_without_appraisal"]``
        counts them.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> from asn_analysis.competency import job_person_match
    >>> ds = load_dataset()
    >>> jpm = job_person_match(ds.competency_assessments, ds.competency_standards, ds.employees,
    ...                        as_of="2025-06-30")
    >>> talent = employee_talent(jpm, ds.performance, year=2024)
    >>> bool(talent["box"].notna().mean() > 0.9)
    True
    """
    perf = performance[["employee_id", "year", "predikat"]]
    if year is not None:
        perf = perf[perf["year"] == year]
    perf = perf.sort_values(["employee_id", "year"]).drop_duplicates("employee_id", keep="last")
    out = jpm.merge(perf, on="employee_id", how="left")
    kinerja = kinerja_from_predikat(out["predikat"], mapping=kinerja_map)
    potensial = potensial_from_jpm(out["jpm_pct"], cuts=cuts)
    box = nine_box(kinerja, potensial, numbering=numbering)
    out = pd.concat([out, box], axis=1)
    out.attrs = {
        "year": year,
        "cuts": potensial.attrs["cuts"],
        "numbering": numbering,
        "n_without_appraisal": int(out["predikat"].isna().sum()),
    }
    return out


# --------------------------------------------------------------------------------------------
# Indeks Profesionalitas ASN (PermenPANRB 38/2018, Peraturan BKN 8/2019)
# --------------------------------------------------------------------------------------------


def classify_training(
    training: pd.DataFrame, *, patterns: Mapping[str, str] = TRAINING_KIND_PATTERNS
) -> pd.Series:
    """Classify training records as kepemimpinan, fungsional, teknis or seminar.

    Parameters
    ----------
    training : pandas.DataFrame
        With ``program`` (and optionally ``kind``, which wins when present and not blank).
    patterns : mapping of kind to regular expression, default :data:`TRAINING_KIND_PATTERNS`
        Tried in order on the programme name (case-insensitive); no match is ``teknis``.

    Returns
    -------
    pandas.Series
        The kind of each record.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"program": ["Pelatihan Kepemimpinan Pengawas", "Seminar Digital",
    ...                               "Pelatihan Kearsipan"]})
    >>> classify_training(t).tolist()
    ['kepemimpinan', 'seminar', 'teknis']
    """
    bad = [k for k in patterns if k not in TRAINING_KINDS]
    if bad:
        raise TalentInputError(f"patterns: unknown kinds {bad}; use {', '.join(TRAINING_KINDS)}")
    names = training["program"].astype(str)
    kind = pd.Series("teknis", index=training.index, dtype=object)
    assigned = pd.Series(False, index=training.index)
    for k, pattern in patterns.items():
        hit = names.str.contains(pattern, flags=re.IGNORECASE, regex=True) & ~assigned
        kind[hit] = k
        assigned |= hit
    if "kind" in training.columns:
        given = training["kind"].notna()
        unknown = given & ~training["kind"].isin(TRAINING_KINDS)
        if unknown.any():
            raise TalentInputError(
                f"training.kind: values not one of {', '.join(TRAINING_KINDS)}: "
                f"{_fmt_list(pd.unique(training.loc[unknown, 'kind']).tolist())}"
            )
        kind[given] = training.loc[given, "kind"]
    return kind.astype("str")


def ip_asn_category(total: Any) -> pd.Categorical:
    """Band IP ASN totals (>90 Sangat Tinggi, >80 Tinggi, >70 Sedang, >60 Rendah).

    Parameters
    ----------
    total : array-like of float
        IP ASN totals (0-100).

    Returns
    -------
    pandas.Categorical
        Ordered, lowest first; 60 or less is Sangat Rendah. Bounds are exclusive: exactly 90 is
        Tinggi.

    Examples
    --------
    >>> list(ip_asn_category([90, 90.5, 60]))
    ['Tinggi', 'Sangat Tinggi', 'Sangat Rendah']
    """
    x = np.asarray(total, dtype=np.float64)
    labels = [_IP_LOWEST] + [c[0] for c in reversed(IP_ASN_CATEGORIES)]
    codes = np.zeros(x.shape, dtype=np.int8)
    for _, lower in IP_ASN_CATEGORIES:
        codes += x > lower
    codes[np.isnan(x)] = -1
    return pd.Categorical.from_codes(codes, categories=labels, ordered=True)


def ip_asn(
    employees: pd.DataFrame,
    *,
    training: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
    discipline: pd.DataFrame | None = None,
    year: int | None = None,
    qualification_points: Mapping[str, float] = QUALIFICATION_POINTS,
    competency_points: Mapping[str, Mapping[str, float]] = COMPETENCY_POINTS,
    technical_min_jp: float = 20.0,
    kinerja_points: Mapping[str, float] = KINERJA_POINTS,
    discipline_points: Mapping[str, float] = DISCIPLINE_POINTS,
    training_patterns: Mapping[str, str] = TRAINING_KIND_PATTERNS,
) -> pd.DataFrame:
    """Compute the Indeks Profesionalitas ASN and its four dimensions per employee.

    Parameters
    ----------
    employees : pandas.DataFrame
        employee_id, education, job_type.
    training : pandas.DataFrame, optional
        employee_id, program, start_date, hours_jp (optionally ``kind``; see
        :func:`classify_training`). None: no training recorded (kompetensi 0).
    performance : pandas.DataFrame, optional
        employee_id, year, predikat. None: kinerja missing (total missing).
    discipline : pandas.DataFrame, optional
        employee_id and ``sanction`` (``ringan``, ``sedang``, ``berat``) for the sanctions of the
        last 5 years (filter them before). None: no sanction recorded, so every employee gets
        the no-sanction points (stated in ``attrs["notes"]``).
    year : int, optional
        Measurement year: predikat of that year, technical training and seminars starting in
        that year, leadership and functional training up to its end. Default: each employee's
        latest predikat and all training records.
    qualification_points : mapping, default :data:`QUALIFICATION_POINTS`
        Points (max 25) by education.
    competency_points : mapping, default :data:`COMPETENCY_POINTS`
        Points (max 40) by post group (struktural, fungsional, pelaksana) and training kind.
    technical_min_jp : float, default 20
        Technical training counts when its JP in the window add up to at least this.
    kinerja_points : mapping, default :data:`KINERJA_POINTS`
        Points (max 30) by predikat. The 2022 mapping is not published; see the default's note.
    discipline_points : mapping, default :data:`DISCIPLINE_POINTS`
        Points (max 5) by heaviest sanction (``none`` for no sanction).
    training_patterns : mapping, default :data:`TRAINING_KIND_PATTERNS`
        Classification of programmes by name.

    Returns
    -------
    pandas.DataFrame
        One row per employee: employee_id, kualifikasi, kompetensi, kinerja, disiplin, ip_asn
        (the sum, 0-100) and category (ordered). ``attrs["notes"]`` lists the assumptions and
        ``attrs["n_incomplete"]`` the employees without a total (no predikat).

    Raises
    ------
    TalentInputError
        Unknown education, predikat, sanction or job type, or point tables missing a value.

    Notes
    -----
    :math:`IP = K_{kualifikasi} + K_{kompetensi} + K_{kinerja} + K_{disiplin}` with maxima 25, 40,
    30 and 5. Kompetensi sums, capped at 40, the points of the kinds attended: structural posts
    (JPT, administrator, pengawas) leadership training 15, technical training of at least
    `technical_min_jp` JP 15, seminar or workshop 10; functional posts the same with functional
    training in place of leadership; pelaksana technical 22.5 and seminar 17.5. Any leadership
    programme counts (whether it matches the post's level is not checked). Categories:
    :func:`ip_asn_category`. Only kualifikasi S3/S2 points are confirmed by several sources; the
    other tables have one public source each and are parameters.

    References
    ----------
    .. [1] PermenPANRB No. 38 Tahun 2018 tentang Pengukuran Indeks Profesionalitas ASN.
    .. [2] Peraturan BKN No. 8 Tahun 2019 tentang Pedoman Tata Cara dan Pelaksanaan Pengukuran
       Indeks Profesionalitas ASN.

    Examples
    --------
    >>> from asn_analysis import load_dataset
    >>> ds = load_dataset()
    >>> ip = ip_asn(ds.employees, training=ds.training, performance=ds.performance, year=2024)
    >>> bool(ip["ip_asn"].dropna().between(0, 100).all())
    True
    """
    check_columns(
        employees, "employees", ["employee_id", "education", "job_type"], error=TalentInputError
    )
    missing_edu = [
        e for e in pd.unique(employees["education"].dropna()) if e not in qualification_points
    ]
    if missing_edu:
        raise TalentInputError(
            f"employees.education: no kualifikasi points for {_fmt_list(missing_edu)}; "
            f"known: {', '.join(qualification_points)} (schema EDUCATION: {', '.join(EDUCATION)})"
        )
    bad_jt = ~employees["job_type"].isin(JOB_TYPES)
    if bad_jt.any():
        raise TalentInputError(
            f"employees.job_type: not one of {', '.join(JOB_TYPES)}: "
            f"{_fmt_list(pd.unique(employees.loc[bad_jt, 'job_type']).tolist())}"
        )
    notes = []
    ids = employees["employee_id"]
    out = pd.DataFrame({"employee_id": ids.to_numpy()})
    out["kualifikasi"] = employees["education"].map(dict(qualification_points)).to_numpy(float)

    # kompetensi
    post = np.where(
        employees["job_type"].isin(STRUCTURAL_JOB_TYPES),
        "struktural",
        np.where(employees["job_type"] == "pelaksana", "pelaksana", "fungsional"),
    )
    kompetensi = np.zeros(len(employees))
    if training is not None and len(training):
        t = training.copy()
        t["kind"] = classify_training(t, patterns=training_patterns).to_numpy()
        start = pd.to_datetime(t["start_date"])
        if year is not None:
            upto = start.dt.year <= year
            in_year = start.dt.year == year
        else:
            upto = in_year = pd.Series(True, index=t.index)
        cumulative = t["kind"].isin(["kepemimpinan", "fungsional"]) & upto
        yearly = t["kind"].isin(["teknis", "seminar"]) & in_year
        t = t[cumulative | yearly]
        jp = t.groupby(["employee_id", "kind"])["hours_jp"].sum().unstack("kind")
        jp = jp.reindex(ids.to_numpy()).fillna(0)
        attended = {
            "kepemimpinan": jp.get("kepemimpinan", 0) > 0,
            "fungsional": jp.get("fungsional", 0) > 0,
            "teknis": jp.get("teknis", 0) >= technical_min_jp,
            "seminar": jp.get("seminar", 0) > 0,
        }
        for group_name, points in competency_points.items():
            rows = post == group_name
            for kind_name, value in points.items():
                if kind_name not in attended:
                    raise TalentInputError(f"competency_points: unknown training kind {kind_name}")
                hit = np.asarray(attended[kind_name], dtype=bool) & rows
                kompetensi += np.where(hit, value, 0.0)
    else:
        notes.append("No training records given: kompetensi is 0 for everyone.")
    out["kompetensi"] = np.minimum(kompetensi, 40.0)

    # kinerja
    if performance is not None:
        perf = performance[["employee_id", "year", "predikat"]]
        if year is not None:
            perf = perf[perf["year"] == year]
        perf = perf.sort_values(["employee_id", "year"]).drop_duplicates("employee_id", keep="last")
        unknown = [p for p in pd.unique(perf["predikat"].dropna()) if p not in kinerja_points]
        if unknown:
            raise TalentInputError(f"kinerja_points has no value for predikat {_fmt_list(unknown)}")
        pred = perf.set_index("employee_id")["predikat"].reindex(ids.to_numpy())
        out["kinerja"] = pred.map(dict(kinerja_points)).to_numpy(dtype=float, na_value=np.nan)
    else:
        out["kinerja"] = np.nan
        notes.append("No performance given: kinerja and the total are missing.")
    notes.append(
        "Kinerja points from the 2022 predikat follow an assumed mapping (the official one is "
        "not published): " + ", ".join(f"{k} {v:g}" for k, v in kinerja_points.items()) + "."
    )

    # disiplin
    if discipline is not None and len(discipline):
        bad = ~discipline["sanction"].isin(_SANCTION_ORDER[1:])
        if bad.any():
            raise TalentInputError(
                f"discipline.sanction: not one of ringan, sedang, berat: "
                f"{_fmt_list(pd.unique(discipline.loc[bad, 'sanction']).tolist())}"
            )
        rank = discipline["sanction"].map({s: i for i, s in enumerate(_SANCTION_ORDER)})
        worst = rank.groupby(discipline["employee_id"]).max()
        level = worst.reindex(ids.to_numpy()).fillna(0).astype(int)
        out["disiplin"] = [discipline_points[_SANCTION_ORDER[i]] for i in level]
    else:
        out["disiplin"] = float(discipline_points["none"])
        notes.append(
            "No discipline records given: every employee is treated as without sanction "
            f"({discipline_points['none']:g} points)."
        )
    out["ip_asn"] = out[["kualifikasi", "kompetensi", "kinerja", "disiplin"]].sum(
        axis=1, skipna=False
    )
    out["category"] = ip_asn_category(out["ip_asn"])
    out.attrs = {
        "notes": tuple(notes),
        "n_incomplete": int(out["ip_asn"].isna().sum()),
        "year": year,
    }
    return out
