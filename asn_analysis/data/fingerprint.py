r"""SHA-256 fingerprints of data files: the bundled data's manifest, and recognising that data.

The bundled synthetic data (``data/synthetic/``) ships with a manifest, ``MANIFEST.sha256``
(the format of ``sha256sum``: one ``<hex digest>  <file name>`` line per shipped file), written
by the generator (:func:`asn_analysis.data.synthetic.write`). The published synthetic salt
applies to the bundled data only, and the bundled data is recognised **by content**: a folder
anywhere is the bundled data when every table file it holds is byte-for-byte one of the shipped
files (:func:`bundled_truth`). A flag inside a folder (``"synthetic": true`` in a
``ground_truth.json``) proves nothing, since anyone can copy it beside real rows: one changed
byte, an added or removed row, a table file the manifest does not list, or a workbook make a
dataset real data, keyed by the user's secret salt.

:func:`file_fingerprints` is also what a run records of its input (``run.json``): the SHA-256
of each file, never a value from it.

References
----------
UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (pseudonymisation with a secret key).

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "units.csv").write_text("unit_id,unit_name\nU01,Dinas\n", encoding="utf-8")
>>> manifest = write_manifest(folder, ["units.csv"])
>>> manifest.read_text(encoding="utf-8").split()[1]
'units.csv'
>>> read_manifest(folder) == file_fingerprints(folder / "units.csv")
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from asn_analysis.data.read import table_files

__all__ = [
    "MANIFEST_NAME",
    "TRUTH_NAME",
    "bundled_truth",
    "combined_digest",
    "file_fingerprints",
    "file_sha256",
    "read_manifest",
    "write_manifest",
]

#: File name of the manifest of the bundled data (``sha256sum`` format).
MANIFEST_NAME = "MANIFEST.sha256"
#: File name of the bundled data's true parameters.
TRUTH_NAME = "ground_truth.json"


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes as 64 hex characters.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    str
        The hex digest.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_bytes(b"abc")
    >>> file_sha256(f)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_fingerprints(*paths: str | Path) -> dict[str, str]:
    """Return the SHA-256 of each file, keyed by its name, in the order given.

    Parameters
    ----------
    *paths : str or pathlib.Path
        Files (names must be distinct).

    Returns
    -------
    dict of str to str
        File name -> hex digest.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_bytes(b"")
    >>> file_fingerprints(f)["a.txt"][:8]
    'e3b0c442'
    """
    return {Path(p).name: file_sha256(p) for p in paths}


def combined_digest(fingerprints: dict[str, str]) -> str:
    """Return one SHA-256 over a set of file fingerprints (names and digests, sorted by name).

    Parameters
    ----------
    fingerprints : dict of str to str
        File name -> hex digest (:func:`file_fingerprints`).

    Returns
    -------
    str
        The hex digest of the ``sha256sum`` listing of the files, sorted by name.

    Examples
    --------
    >>> combined_digest({"b": "2", "a": "1"}) == combined_digest({"a": "1", "b": "2"})
    True
    """
    text = "".join(f"{digest}  {name}\n" for name, digest in sorted(fingerprints.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_manifest(folder: str | Path, names: Iterable[str]) -> Path:
    """Write ``MANIFEST.sha256`` in ``folder`` for the named files (in the order given).

    Parameters
    ----------
    folder : str or pathlib.Path
        The folder holding the files.
    names : iterable of str
        File names inside ``folder``.

    Returns
    -------
    pathlib.Path
        The manifest (``sha256sum -c MANIFEST.sha256`` checks it).
    """
    folder = Path(folder)
    lines = [f"{file_sha256(folder / name)}  {name}\n" for name in names]
    path = folder / MANIFEST_NAME
    path.write_text("".join(lines), encoding="utf-8", newline="\n")
    return path


def read_manifest(folder: str | Path) -> dict[str, str]:
    """Return the manifest of ``folder`` as file name -> hex digest ({} when there is none).

    Parameters
    ----------
    folder : str or pathlib.Path
        A folder that may hold ``MANIFEST.sha256``.

    Returns
    -------
    dict of str to str
        The listed files; lines that are not ``<64 hex>  <name>`` are ignored.
    """
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name and all(c in "0123456789abcdef" for c in digest):
            out[name] = digest
    return out


def bundled_truth(path: str | Path, *, reference: str | Path, tables: Iterable[str]) -> dict | None:
    r"""Return the bundled data's ground truth if ``path`` is the bundled data, else None.

    ``path`` is the bundled data when it is a folder, holds at least one table file, and every
    table file it holds (``<table>.csv`` for each name in ``tables``) has the SHA-256 the
    manifest of ``reference`` lists for that name; the ground truth is then read from
    ``reference`` (checked against the manifest too), never from ``path``. Files that are not
    table files (the folder's own ``ground_truth.json``, notes, a manifest) are not read.

    Parameters
    ----------
    path : str or pathlib.Path
        A dataset: a folder of CSV files or a workbook (a workbook is never the bundled data).
    reference : str or pathlib.Path
        The shipped folder with its manifest (``asn_analysis.data.bundled_data_path()``).
    tables : iterable of str
        The table names (``asn_analysis.data.schema.TABLES``).

    Returns
    -------
    dict or None
        The true parameters, or None for anything else (real data).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text("unit_id\nU01\n", encoding="utf-8")
    >>> _ = (folder / TRUTH_NAME).write_text('{"synthetic": true}', encoding="utf-8")
    >>> _ = write_manifest(folder, ["units.csv", TRUTH_NAME])
    >>> bundled_truth(folder, reference=folder, tables=["units"])
    {'synthetic': True}
    >>> _ = (folder / "units.csv").write_text("unit_id\nU02\n", encoding="utf-8")
    >>> bundled_truth(folder, reference=folder, tables=["units"]) is None
    True
    """
    path, reference = Path(path), Path(reference)
    manifest = read_manifest(reference)
    if not path.is_dir() or TRUTH_NAME not in manifest:
        return None
    present = [file for t in tables for file in table_files(path, t)]
    if not present:
        return None
    for file in present:
        if manifest.get(file.name) != file_sha256(file):
            return None
    truth_file = reference / TRUTH_NAME
    if not truth_file.is_file() or file_sha256(truth_file) != manifest[TRUTH_NAME]:
        return None
    return json.loads(truth_file.read_text(encoding="utf-8"))
