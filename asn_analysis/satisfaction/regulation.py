"""The fixed tables of PermenPANRB No. 14 Tahun 2017: the nine SKM elements and the IKM bands.

The Survei Kepuasan Masyarakat (SKM) asks service users to rate nine elements (*unsur*) of a
public service from 1 (tidak baik) to 4 (sangat baik); the converted IKM (25-100) is banded into
a quality grade (*mutu*) and a performance label (*kinerja unit pelayanan*). Everything here is a
constant of the regulation; the computations live in the sibling modules.

References
----------
.. [1] Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
   Masyarakat Unit Penyelenggara Pelayanan Publik.

Examples
--------
>>> ELEMENT_LABELS["waktu"], ALIASES["tarif"]
('Waktu Penyelesaian', 'biaya')
>>> CATEGORIES[1].mutu, CATEGORIES[1].kinerja, CATEGORIES[1].lower
('B', 'Baik', 76.61)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from asn_analysis.data.schema import SKM_ELEMENTS

__all__ = [
    "ALIASES",
    "ANSWER_MAX",
    "ANSWER_MIN",
    "CATEGORIES",
    "CONVERSION_FACTOR",
    "ELEMENTS",
    "ELEMENT_LABELS",
    "Category",
]

#: The nine SKM elements (unsur), keyed by name in the order of ``domain.md``.
ELEMENTS: tuple[str, ...] = SKM_ELEMENTS

#: Official name (unsur) of each element key.
ELEMENT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "persyaratan": "Persyaratan",
        "prosedur": "Sistem, Mekanisme, dan Prosedur",
        "waktu": "Waktu Penyelesaian",
        "biaya": "Biaya/Tarif",
        "produk": "Produk Spesifikasi Jenis Pelayanan",
        "kompetensi": "Kompetensi Pelaksana",
        "perilaku": "Perilaku Pelaksana",
        "pengaduan": "Penanganan Pengaduan, Saran dan Masukan",
        "sarana": "Sarana dan Prasarana",
    }
)

#: Common alternative column names, alias -> element key. Positional names (U1..U9) are
#: deliberately absent: their order differs between questionnaires.
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "sistem_mekanisme_prosedur": "prosedur",
        "waktu_penyelesaian": "waktu",
        "tarif": "biaya",
        "produk_layanan": "produk",
        "kompetensi_pelaksana": "kompetensi",
        "perilaku_pelaksana": "perilaku",
        "penanganan_pengaduan": "pengaduan",
        "sarana_prasarana": "sarana",
    }
)


class Category(NamedTuple):
    """One band of the IKM category table (PermenPANRB No. 14 Tahun 2017).

    Bounds are inclusive and apply to the converted value rounded to 2 decimals.
    ``ikm_lower`` / ``ikm_upper`` are the 1-4 bounds as printed in the regulation (display only).
    """

    mutu: str
    kinerja: str
    lower: float
    upper: float
    ikm_lower: float
    ikm_upper: float


#: The 14/2017 band table. Not the 2004 bands (43.75 / 62.50 / 81.25), and the C/B cut is 76.61,
#: not 76.00 as in some public calculators.
CATEGORIES: tuple[Category, ...] = (
    Category("A", "Sangat Baik", 88.31, 100.00, 3.5324, 4.00),
    Category("B", "Baik", 76.61, 88.30, 3.0644, 3.532),
    Category("C", "Kurang Baik", 65.00, 76.60, 2.60, 3.064),
    Category("D", "Tidak Baik", 25.00, 64.99, 1.00, 2.5996),
)

#: Lowest and highest answer of every element (1 tidak baik ... 4 sangat baik).
ANSWER_MIN = 1
ANSWER_MAX = 4
#: Factor from the 1-4 IKM to the converted 25-100 value.
CONVERSION_FACTOR = 25.0
