"""Citizen satisfaction index (IKM) from the SKM survey, PermenPANRB No. 14 Tahun 2017.

The Survei Kepuasan Masyarakat (SKM) asks service users to rate nine elements (*unsur*) of a
public service from 1 (tidak baik) to 4 (sangat baik). The Indeks Kepuasan Masyarakat (IKM) is the
weighted sum of the element means (*nilai rata-rata per unsur*, NRR), converted to a 25-100 scale
and banded into a quality grade (*mutu*) and a performance label (*kinerja unit pelayanan*).

Elements are recognised by name (key or alias, see :data:`ELEMENTS` and :data:`ALIASES`), never
by position: the order of the nine elements differs between sources and questionnaires.

Everything here is computed with grouped sums (``numpy.bincount``), so ten million answers are
summarised in about a second. Stored numbers are never rounded; the 2-decimal rounding of the
regulation is applied only to decide the category.

Modules
-------
- :mod:`~asn_analysis.satisfaction.regulation`: the elements, aliases and category bands;
- :mod:`~asn_analysis.satisfaction.inputs`: checks of the responses, groups and grouped sums;
- :mod:`~asn_analysis.satisfaction.ikm`: :func:`ikm`, :func:`mutu`, :func:`kinerja`;
- :mod:`~asn_analysis.satisfaction.ci`: bootstrap intervals, :func:`ikm_ci`;
- :mod:`~asn_analysis.satisfaction.sampling`: :func:`krejcie_morgan`, :func:`sample_adequacy`;
- :mod:`~asn_analysis.satisfaction.elements`: :func:`weakest_elements`, :func:`element_change`.

References
----------
.. [1] Peraturan Menteri PANRB No. 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan
   Masyarakat Unit Penyelenggara Pelayanan Publik.
.. [2] Krejcie, R. V., & Morgan, D. W. (1970). Determining sample size for research activities.
   *Educational and Psychological Measurement*, 30(3), 607-610.
"""

from asn_analysis.satisfaction.ci import CIMethod, ikm_ci
from asn_analysis.satisfaction.elements import element_change, weakest_elements
from asn_analysis.satisfaction.ikm import ikm, kinerja, mutu
from asn_analysis.satisfaction.inputs import (
    By,
    ElementSpec,
    OnEmpty,
    SatisfactionInputError,
    Weight,
)
from asn_analysis.satisfaction.regulation import (
    ALIASES,
    ANSWER_MAX,
    ANSWER_MIN,
    CATEGORIES,
    CONVERSION_FACTOR,
    ELEMENT_LABELS,
    ELEMENTS,
    Category,
)
from asn_analysis.satisfaction.sampling import (
    OnMissingPopulation,
    krejcie_morgan,
    sample_adequacy,
)

__all__ = [
    "ALIASES",
    "ANSWER_MAX",
    "ANSWER_MIN",
    "CATEGORIES",
    "CONVERSION_FACTOR",
    "ELEMENTS",
    "ELEMENT_LABELS",
    "By",
    "CIMethod",
    "Category",
    "ElementSpec",
    "OnEmpty",
    "OnMissingPopulation",
    "SatisfactionInputError",
    "Weight",
    "element_change",
    "ikm",
    "ikm_ci",
    "kinerja",
    "krejcie_morgan",
    "mutu",
    "sample_adequacy",
    "weakest_elements",
]
