"""asn-analysis: evaluate a civil-service (ASN) personnel system.

Competency fit (Job Person Match), training effects, citizen satisfaction (IKM,
PermenPANRB 14/2017) and resistance to evaluation, on data loaded and validated by
:func:`load_dataset`.
"""

from asn_analysis.data import (
    Dataset,
    DataValidationError,
    ValidationReport,
    bundled_data_path,
    load_dataset,
    validate,
)

__version__ = "0.1.0"

__all__ = [
    "DataValidationError",
    "Dataset",
    "ValidationReport",
    "__version__",
    "bundled_data_path",
    "load_dataset",
    "validate",
]
