"""Write a synthetic data set: one CSV per table, ``ground_truth.json`` and the manifest.

The manifest (``MANIFEST.sha256``, :mod:`asn_analysis.data.fingerprint`) lists the SHA-256 of
every file written; the loader recognises the bundled data by it (content, not a flag).

Examples
--------
>>> _jsonable({"a": np.float64(0.1234567891), "b": (1, np.int64(2)), "c": float("nan")})
{'a': 0.123457, 'b': [1, 2], 'c': None}
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asn_analysis.data.fingerprint import TRUTH_NAME, write_manifest
from asn_analysis.data.synthetic.generator import SyntheticData

__all__ = ["write"]


def write(data: SyntheticData, out: str | Path) -> list[Path]:
    """Write a synthetic data set: one CSV per table, ``ground_truth.json``, the manifest.

    Output is byte-for-byte reproducible: UTF-8, Unix (LF) line ends, no index, dates as
    ``YYYY-MM-DD``, booleans as ``true``/``false``, blank cells for missing values, floats
    printed with ``%.10g`` (the stored values are already rounded), and JSON with sorted keys,
    ``indent=1`` and floats rounded to 6 decimals. ``MANIFEST.sha256`` lists the SHA-256 of
    each file written (``sha256sum -c MANIFEST.sha256`` checks them).

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
        The files written, tables first (codebook order), then ``ground_truth.json``, then
        ``MANIFEST.sha256``.

    Examples
    --------
    >>> import tempfile
    >>> from asn_analysis.data.synthetic import generate
    >>> paths = write(generate(n_employees=600), tempfile.mkdtemp())
    >>> [p.name for p in paths][-3:]
    ['survey_items.csv', 'ground_truth.json', 'MANIFEST.sha256']
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
    path = out / TRUTH_NAME
    text = json.dumps(_jsonable(data.ground_truth), sort_keys=True, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8", newline="\n")
    paths.append(path)
    paths.append(write_manifest(out, [p.name for p in paths]))
    return paths


# --------------------------------------------------------------------------------------- Formatting
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
