"""Keyed pseudonyms for employees, the salt that keys them, and the small-cell rule.

NIP and names are read by the loader (:mod:`asn_analysis.data.loader`) only. Everything
after it is keyed by ``employee_id``, a keyed hash (HMAC-SHA256) of the NIP. A plain hash of
a NIP is not a pseudonym: the NIP encodes a birth date, an appointment month and a gender
digit, so the space of plausible NIPs is small enough to enumerate. A secret key (the
*salt*) makes the pseudonym impossible to recompute without it. :data:`MIN_GROUP_SIZE` is
the small-cell rule every table a reader sees follows.

References
----------
UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable

import pandas as pd

from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "ID_LENGTH",
    "MIN_GROUP_SIZE",
    "MIN_SALT_LENGTH",
    "SALT_ENV_VAR",
    "SYNTHETIC_SALT",
    "MissingSaltError",
    "pseudonymize",
    "salt_from_env",
]

SALT_ENV_VAR = "ASN_ANALYSIS_SALT"
#: Public salt of the bundled synthetic data. Safe only because that data is synthetic.
SYNTHETIC_SALT = "asn-analysis-synthetic-data"
#: Hex characters kept from the HMAC digest (64 bits: collisions are checked, never assumed away).
ID_LENGTH = 16
MIN_SALT_LENGTH = 16
#: The small-cell rule: no count of 1-4 people and no statistic over fewer than this many people
#: leaves the library for a reader.
MIN_GROUP_SIZE = 5
_NEW_KEY = "import secrets; print(secrets.token_hex(32))"


class MissingSaltError(AsnAnalysisError, RuntimeError):
    """Raised when real data is loaded without a secret salt.

    It is also a :class:`RuntimeError`, as before the error hierarchy had one root.
    """


def salt_from_env() -> str:
    """Return the secret salt from ``ASN_ANALYSIS_SALT`` or explain how to set one.

    Returns
    -------
    str
        The salt.

    Raises
    ------
    MissingSaltError
        When the variable is unset, or shorter than 16 characters.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {SALT_ENV_VAR: "a-long-enough-secret-key"}):
    ...     salt_from_env()
    'a-long-enough-secret-key'
    """
    salt = os.environ.get(SALT_ENV_VAR, "")
    if len(salt) < MIN_SALT_LENGTH:
        problem = "is not set" if not salt else f"is shorter than {MIN_SALT_LENGTH} characters"
        raise MissingSaltError(
            f"The environment variable {SALT_ENV_VAR} {problem}. Real data is pseudonymised "
            "with a secret key so that NIPs cannot be recovered from employee_id. Create one "
            "once, keep it secret and reuse it for every period so ids stay stable, e.g.\n"
            f"  export {SALT_ENV_VAR}=\"$(python3 -c '{_NEW_KEY}')\"\n"
            "/ Variabel lingkungan ini wajib diisi kunci rahasia sebelum memuat data riil."
        )
    return salt


def pseudonymize(nips: Iterable[str], *, salt: str) -> pd.Series:
    """Map NIPs to keyed pseudonyms (``employee_id``).

    Parameters
    ----------
    nips : iterable of str
        NIPs (18 digits).
    salt : str
        Secret key; the same key gives the same ids across periods.

    Returns
    -------
    pandas.Series
        ``employee_id`` strings of 16 hex characters, aligned with ``nips``.

    Raises
    ------
    AsnAnalysisError
        If two distinct NIPs collide (never silently merged).

    Notes
    -----
    ``employee_id = HMAC-SHA256(key=salt, msg=nip)[:16]`` (hex).

    Examples
    --------
    >>> pseudonymize(["198503122010011001"], salt="example-salt-0123").iloc[0]
    '59e5330742e55771'
    """
    key = salt.encode("utf-8")
    values = [str(n) for n in nips]
    ids = [hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()[:ID_LENGTH] for v in values]
    pairs = pd.DataFrame({"nip": values, "id": ids}).drop_duplicates()
    if pairs["id"].duplicated().any():
        raise AsnAnalysisError("employee_id collision between distinct NIPs; use a different salt")
    return pd.Series(ids, name="employee_id", dtype="str")
