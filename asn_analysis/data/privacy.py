"""Keyed pseudonyms for employees, the salt that keys them, and the small-cell rule.

NIP and names are read by the loader (:mod:`asn_analysis.data.loader`) only. Everything
after it is keyed by ``employee_id``, a keyed hash (HMAC-SHA256) of the NIP. A plain hash of
a NIP is not a pseudonym: the NIP encodes a birth date, an appointment month and a gender
digit, so the space of plausible NIPs is small enough to enumerate. A secret key (the
*salt*) makes the pseudonym impossible to recompute without it. :data:`MIN_GROUP_SIZE` is
the small-cell rule every table a reader sees follows.

The salt rule (:func:`check_salt`), for real data, whether the salt comes from
``ASN_ANALYSIS_SALT`` or from ``salt=``. A salt is accepted when it

1. is not the published :data:`SYNTHETIC_SALT` (that key is for the bundled data only);
2. holds no whitespace (a space, tab or line break is a copy-and-paste accident);
3. has at least :data:`MIN_SALT_LENGTH` (32) characters;
4. has at least :data:`MIN_SALT_DISTINCT` (8) distinct characters;
5. is not one block repeated (``abcdabcd...``: some shift of at most half its length
   leaves it unchanged);
6. has an estimated entropy of at least :data:`MIN_SALT_BITS` (128) bits, estimated as
   ``length x log2(pool)``, where the pool is 16 for hexadecimal salts (digits and one case of
   ``a-f``), else the sum of the character classes used: digits 10, lower-case 26,
   upper-case 26, ASCII punctuation 32, anything else 32 (:func:`salt_entropy_bits`).

A key made by ``python3 -c 'import secrets; print(secrets.token_hex(32))'`` (64 hex
characters, 256 bits) passes with certainty, as does ``secrets.token_urlsafe(32)``; a
32-character hex key (128 bits) is the shortest hex key accepted. The rule is a screen
against accidents (a short, repeated or whitespace value), not a proof of secrecy: keep the
key secret and reuse it for every period, so ids stay stable.

References
----------
UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import string
from collections.abc import Iterable

import pandas as pd

from asn_analysis.errors import AsnAnalysisError

__all__ = [
    "ID_LENGTH",
    "MIN_GROUP_SIZE",
    "MIN_SALT_BITS",
    "MIN_SALT_DISTINCT",
    "MIN_SALT_LENGTH",
    "NEW_SALT_COMMAND",
    "SALT_ENV_VAR",
    "SYNTHETIC_SALT",
    "MissingSaltError",
    "WeakSaltError",
    "check_salt",
    "pseudonymize",
    "salt_entropy_bits",
    "salt_from_env",
]

SALT_ENV_VAR = "ASN_ANALYSIS_SALT"
#: Public salt of the bundled synthetic data. Safe only because that data is synthetic.
SYNTHETIC_SALT = "asn-analysis-synthetic-data"
#: Hex characters kept from the HMAC digest (64 bits: collisions are checked, never assumed away).
ID_LENGTH = 16
#: The salt rule (see the module docstring): at least 32 characters, 8 distinct characters
#: and an estimated 128 bits.
MIN_SALT_LENGTH = 32
MIN_SALT_DISTINCT = 8
MIN_SALT_BITS = 128
#: The small-cell rule: no count of 1-4 people and no statistic over fewer than this many people
#: leaves the library for a reader.
MIN_GROUP_SIZE = 5
#: The command that makes a good salt (quoted in every salt error).
NEW_SALT_COMMAND = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
_CLASSES = ((string.digits, 10), (string.ascii_lowercase, 26), (string.ascii_uppercase, 26))


class MissingSaltError(AsnAnalysisError, RuntimeError):
    """Raised when real data is loaded without a secret salt.

    It is also a :class:`RuntimeError`, as before the error hierarchy had one root.
    """


class WeakSaltError(MissingSaltError):
    """Raised when a salt is given but breaks the salt rule (:func:`check_salt`).

    It is a :class:`MissingSaltError`: a weak key is no key. The message names the rules
    broken, never the salt.
    """


def _how_to_fix(origin: str) -> str:
    return (
        "Real data is pseudonymised with a secret key so that NIPs cannot be recovered from "
        "employee_id. Create one once, keep it secret and reuse it for every period so ids "
        "stay stable, e.g.\n"
        f'  export {SALT_ENV_VAR}="$({NEW_SALT_COMMAND})"\n'
        f"/ {origin} wajib berisi kunci rahasia yang kuat (minimal {MIN_SALT_LENGTH} karakter "
        "acak, tanpa spasi) sebelum memuat data riil; buat dengan perintah di atas."
    )


def salt_entropy_bits(salt: str) -> float:
    """Estimate the entropy of a salt in bits: ``length x log2(pool)``.

    Parameters
    ----------
    salt : str
        The candidate key.

    Returns
    -------
    float
        The estimate. The pool is 16 for a hexadecimal salt (digits and one case of
        ``a-f``), else the sum of the character classes used: digits 10, lower-case 26,
        upper-case 26, ASCII punctuation 32, any other character (whitespace, non-ASCII) 32.
        0 for an empty salt.

    Notes
    -----
    An upper bound for a random key over that pool; :func:`check_salt` adds the rules that
    catch what the bound cannot see (repeated characters and blocks).

    Examples
    --------
    >>> salt_entropy_bits("0123456789abcdef" * 2)
    128.0
    >>> round(salt_entropy_bits("9" * 38), 1)
    126.2
    """
    if not salt:
        return 0.0
    chars = set(salt)
    if chars <= set("0123456789abcdef") or chars <= set("0123456789ABCDEF"):
        pool = 10 if chars <= set(string.digits) else 16
    else:
        pool = sum(size for members, size in _CLASSES if chars & set(members))
        pool += 32 if chars & set(string.punctuation) else 0
        pool += 32 if chars - set(string.ascii_letters + string.digits + string.punctuation) else 0
    return len(salt) * math.log2(pool)


def _periodic(salt: str) -> bool:
    """Tell whether some shift of at most half the length leaves the salt unchanged."""
    return any(salt[p:] == salt[:-p] for p in range(1, len(salt) // 2 + 1))


def check_salt(salt: str, *, origin: str = SALT_ENV_VAR) -> str:
    """Return ``salt`` if it may key real data, else raise naming every rule it breaks.

    Parameters
    ----------
    salt : str
        The candidate key.
    origin : str, default "ASN_ANALYSIS_SALT"
        Where the salt came from, named in the message (e.g. ``"the salt= argument"``).

    Returns
    -------
    str
        The salt, unchanged.

    Raises
    ------
    MissingSaltError
        ``salt`` is empty.
    WeakSaltError
        ``salt`` breaks the salt rule of this module: every broken rule is listed, with how
        to make a good key; the salt itself is never shown.

    Examples
    --------
    >>> check_salt("0123456789abcdef" * 2 + "x")[-1]
    'x'
    >>> check_salt("a" * 40)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asn_analysis.data.privacy.WeakSaltError: ASN_ANALYSIS_SALT is too weak ...: it has 1 ...
    """
    if not salt:
        raise MissingSaltError(f"{origin} is not set. " + _how_to_fix(origin))
    broken = []
    if salt == SYNTHETIC_SALT:
        broken.append("it is the published salt of the bundled synthetic data")
    if any(c.isspace() for c in salt):
        broken.append("it contains whitespace (a space, tab or line break)")
    if len(salt) < MIN_SALT_LENGTH:
        broken.append(f"it has {len(salt)} characters (at least {MIN_SALT_LENGTH} are needed)")
    distinct = len(set(salt))
    if distinct < MIN_SALT_DISTINCT:
        broken.append(
            f"it has {distinct} distinct characters (at least {MIN_SALT_DISTINCT} are needed)"
        )
    elif _periodic(salt):
        broken.append("it is one block of characters repeated")
    bits = salt_entropy_bits(salt)
    if bits < MIN_SALT_BITS:
        broken.append(f"its estimated entropy is {bits:.0f} bits (at least {MIN_SALT_BITS})")
    if broken:
        raise WeakSaltError(
            f"{origin} is too weak to key real data: {'; '.join(broken)}. " + _how_to_fix(origin)
        )
    return salt


def salt_from_env() -> str:
    """Return the secret salt from ``ASN_ANALYSIS_SALT``, checked by :func:`check_salt`.

    Returns
    -------
    str
        The salt.

    Raises
    ------
    MissingSaltError
        When the variable is unset or empty.
    WeakSaltError
        When it breaks the salt rule (:func:`check_salt`).

    Examples
    --------
    >>> from unittest import mock
    >>> key = "7f3a9c21e4b0d8f6a1c3e5b7d9f0a2c4"
    >>> with mock.patch.dict(os.environ, {SALT_ENV_VAR: key}):
    ...     salt_from_env() == key
    True
    """
    return check_salt(os.environ.get(SALT_ENV_VAR, ""), origin=SALT_ENV_VAR)


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
    values = [str(n) for n in (nips.tolist() if isinstance(nips, pd.Series) else nips)]
    # one HMAC per distinct NIP (a person has many rows), in order of first appearance
    digest = {
        v: hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()[:ID_LENGTH]
        for v in dict.fromkeys(values)
    }
    if len(set(digest.values())) < len(digest):
        raise AsnAnalysisError("employee_id collision between distinct NIPs; use a different salt")
    return pd.Series([digest[v] for v in values], name="employee_id", dtype="str")
