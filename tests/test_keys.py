"""The right key (issue 13, point 1): the bundled data by content, the salt rule and its edges."""

import json
import random
import shutil
import string

import pandas as pd
import pytest
from conftest import TEST_SALT

from asn_analysis.cli import main
from asn_analysis.data import bundled_data_path, load_dataset
from asn_analysis.data.fingerprint import (
    MANIFEST_NAME,
    TRUTH_NAME,
    bundled_truth,
    file_sha256,
    read_manifest,
)
from asn_analysis.data.privacy import (
    MIN_SALT_LENGTH,
    NEW_SALT_COMMAND,
    SYNTHETIC_SALT,
    MissingSaltError,
    WeakSaltError,
    check_salt,
    salt_entropy_bits,
)
from asn_analysis.data.schema import TABLES
from asn_analysis.reporting.notebook import SYNTHETIC_WARNING, synthetic_banner

SHIPPED = [f"{t}.csv" for t in TABLES] + [TRUTH_NAME]


def copy_bundled(dest, names=SHIPPED):
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(bundled_data_path() / name, dest / name)
    return dest


def is_bundled(folder) -> bool:
    return bundled_truth(folder, reference=bundled_data_path(), tables=TABLES) is not None


@pytest.fixture(scope="module")
def small_units(tmp_path_factory):
    """Only the bundled units.csv: a valid dataset (only units is required) that loads fast."""
    return copy_bundled(tmp_path_factory.mktemp("units"), ["units.csv"])


@pytest.fixture(scope="module")
def real_units(tmp_path_factory):
    """The bundled units.csv with one byte more (a final blank line): real data."""
    folder = copy_bundled(tmp_path_factory.mktemp("real"), ["units.csv", TRUTH_NAME])
    (folder / "units.csv").write_bytes((folder / "units.csv").read_bytes() + b"\n")
    return folder


# ----------------------------------------------------------------- the manifest


def test_committed_manifest_lists_every_shipped_file_with_its_hash():
    manifest = read_manifest(bundled_data_path())
    assert list(manifest) == SHIPPED
    for name, digest in manifest.items():
        assert file_sha256(bundled_data_path() / name) == digest, name
    shipped = {p.name for p in bundled_data_path().iterdir() if p.is_file()}
    assert shipped == set(SHIPPED) | {MANIFEST_NAME}


# ----------------------------------------------------------------- recognised by content


def test_an_unmodified_copy_anywhere_is_the_bundled_data(tmp_path):
    folder = copy_bundled(tmp_path / "copy")
    assert is_bundled(folder)
    assert is_bundled(copy_bundled(tmp_path / "subset", ["units.csv", "survey_items.csv"]))
    # no ground_truth.json, an edited one, a forged manifest: not read, the tables decide
    (folder / TRUTH_NAME).unlink()
    (folder / MANIFEST_NAME).write_text("forged\n", encoding="utf-8")
    assert bundled_truth(folder, reference=bundled_data_path(), tables=TABLES) == json.loads(
        (bundled_data_path() / TRUTH_NAME).read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("change", ["one byte", "row added", "row removed", "line ends"])
def test_a_modified_copy_is_real_data(tmp_path, change):
    folder = copy_bundled(tmp_path / "copy")
    path = folder / "units.csv"
    data = path.read_bytes()
    if change == "one byte":
        i = data.index(b"Dinas") + 1
        data = data[:i] + b"I" + data[i + 1 :]
    elif change == "row added":
        data += data.splitlines(keepends=True)[-1]
    elif change == "row removed":
        data = b"".join(data.splitlines(keepends=True)[:-1])
    else:
        data = data.replace(b"\n", b"\r\n")
    path.write_bytes(data)
    assert not is_bundled(folder)


def test_a_table_file_the_manifest_does_not_list_is_real_data(tmp_path):
    folder = copy_bundled(tmp_path / "copy", ["units.csv", TRUTH_NAME])
    (folder / MANIFEST_NAME).write_text(
        f"{file_sha256(folder / 'units.csv')}  units.csv\n", encoding="utf-8"
    )
    assert is_bundled(folder)
    assert not bundled_truth(folder, reference=folder, tables=TABLES)  # no truth listed
    listed = f"{file_sha256(folder / 'units.csv')}  units.csv\n"
    listed += f"{file_sha256(folder / TRUTH_NAME)}  {TRUTH_NAME}\n"
    (folder / MANIFEST_NAME).write_text(listed, encoding="utf-8")
    assert bundled_truth(folder, reference=folder, tables=TABLES)
    shutil.copy(bundled_data_path() / "survey_items.csv", folder / "survey_items.csv")
    assert not bundled_truth(folder, reference=folder, tables=TABLES)  # an extra table


def test_a_workbook_or_an_empty_folder_is_never_the_bundled_data(tmp_path):
    book = tmp_path / "data.xlsx"
    shutil.copy(bundled_data_path() / "units.csv", book)
    assert not is_bundled(book)
    (tmp_path / "empty").mkdir()
    assert not is_bundled(tmp_path / "empty")


def test_the_flag_in_ground_truth_json_does_not_choose_the_key(tmp_path, monkeypatch):
    # the case: the bundled folder with a real row pasted in
    folder = copy_bundled(tmp_path / "copy", ["units.csv", TRUTH_NAME])
    units = pd.read_csv(folder / "units.csv", dtype=str, keep_default_na=False)
    units.loc[len(units)] = units.iloc[0].to_list()
    units.loc[len(units) - 1, "unit_id"] = "U99"
    units.to_csv(folder / "units.csv", index=False)
    monkeypatch.delenv("ASN_ANALYSIS_SALT")
    with pytest.raises(MissingSaltError, match="ASN_ANALYSIS_SALT is not set"):
        load_dataset(folder)
    with pytest.raises(WeakSaltError, match="published salt of the bundled synthetic data"):
        load_dataset(folder, salt=SYNTHETIC_SALT)
    monkeypatch.setenv("ASN_ANALYSIS_SALT", TEST_SALT)
    ds = load_dataset(folder)
    assert not ds.is_synthetic and ds.ground_truth is None
    banner = synthetic_banner(ds, data_path=str(folder))
    assert SYNTHETIC_WARNING["en"] not in banner and SYNTHETIC_WARNING["id"] not in banner


def test_bundled_data_keeps_the_public_key_and_its_truth(small_units, monkeypatch):
    monkeypatch.setenv("ASN_ANALYSIS_SALT", TEST_SALT)  # set or not, the bundled data is public
    ds = load_dataset(small_units)
    assert ds.is_synthetic and ds.ground_truth["salt"]["value"] == SYNTHETIC_SALT
    assert SYNTHETIC_WARNING["en"] in synthetic_banner(ds, lang="en")
    assert load_dataset(small_units, salt=SYNTHETIC_SALT).is_synthetic
    with pytest.raises(WeakSaltError, match="the salt= argument is too weak"):
        load_dataset(small_units, salt="short")


# ----------------------------------------------------------------- the salt rule


def random_key(alphabet: str, n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(n))


@pytest.mark.parametrize(
    "salt",
    [
        # what secrets.token_hex(32), token_hex(16), its upper case and token_urlsafe(32) give,
        # drawn once and written out so the test is the same on every run
        "6bb4bb61ec6cbf6723e25e864cf0a123cdff4c8a61363d1afd8be4a06fa93ebf",
        "e2ae44fa3fc5943288b2846735575efb",  # 32 hex characters: 128 bits, the shortest accepted
        "E147B4BBF9FCDDE48AC2D9216F319794",
        "YUC3becjWebgiVYw8nR7-9PMDB-zAw62Kv4igV5y2QU",
        random_key(string.digits, 39, seed=1),  # 39 x log2(10) = 129.6 bits
        "Kunci-Rahasia_BKPP-Mamuju-2025-x7Q",  # a long passphrase, no whitespace
    ],
)
def test_strong_salts_are_accepted(salt):
    assert check_salt(salt) == salt


@pytest.mark.parametrize(
    ("salt", "reason"),
    [
        ("a" * 64, "1 distinct characters"),
        ("ab" * 32, "2 distinct characters"),
        (" " * 40, "contains whitespace"),
        ("\t" * 40, "contains whitespace"),
        (
            "3097d6e650f173bc2e01b718443ab780d63be271f9060cbd01104f07e9819c82\n",
            "contains whitespace",
        ),
        ("e7120975d79935bc 799c7d9fc25d202b", "contains whitespace"),
        ("E6770E8769139EFD854E6BFC53A67A4", "31 characters (at least 32"),
        ("tests-only-salt-0123456789", "26 characters"),
        ("0123456789abcdef" * 4, "one block of characters repeated"),
        ("abcdefgh" * 4 + "abc", "one block of characters repeated"),
        (random_key(string.digits, 38, seed=2), "estimated entropy is 126 bits"),
        (SYNTHETIC_SALT, "published salt"),
    ],
)
def test_weak_salts_are_refused_without_echoing_them(salt, reason, real_units, monkeypatch):
    with pytest.raises(WeakSaltError) as info:
        check_salt(salt)
    message = str(info.value)
    assert reason in message
    assert NEW_SALT_COMMAND in message and "kunci rahasia" in message
    assert not salt.strip() or salt.strip() not in message
    with pytest.raises(WeakSaltError, match="the salt= argument is too weak"):
        load_dataset(real_units, salt=salt)
    monkeypatch.setenv("ASN_ANALYSIS_SALT", salt)
    with pytest.raises(WeakSaltError, match="ASN_ANALYSIS_SALT is too weak"):
        load_dataset(real_units)
    assert not load_dataset(real_units, salt=TEST_SALT).is_synthetic


def test_every_broken_rule_is_listed():
    message = str(pytest.raises(WeakSaltError, check_salt, "a a").value)
    assert "whitespace" in message and "3 characters" in message
    assert "2 distinct characters" in message and "entropy" in message


def test_entropy_estimate_edges():
    assert salt_entropy_bits("") == 0
    assert salt_entropy_bits("0" * 32) == pytest.approx(32 * 3.321928, rel=1e-6)
    assert salt_entropy_bits("f" * 32) == 128  # hexadecimal: pool 16
    assert salt_entropy_bits("g" * 32) == pytest.approx(32 * 4.70044, rel=1e-5)  # a-z
    assert salt_entropy_bits("aA0!" * 8) == pytest.approx(32 * 6.554589, rel=1e-6)  # 94
    assert salt_entropy_bits("é" * 32) == 32 * 5  # anything else: 32
    assert MIN_SALT_LENGTH == 32


def test_cli_run_names_the_weak_salt_without_a_traceback(tmp_path, monkeypatch, capsys):
    folder = copy_bundled(tmp_path / "copy", ["units.csv", "skm_responses.csv"])
    (folder / "units.csv").write_bytes((folder / "units.csv").read_bytes() + b"\n")
    assert not is_bundled(folder)
    monkeypatch.setenv("ASN_ANALYSIS_SALT", "aaaaaaaaaaaaaaaa")
    assert main(["run", "--data", str(folder), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "ASN_ANALYSIS_SALT is too weak" in err and "Traceback" not in err
    assert "aaaaaaaaaaaaaaaa" not in err
    assert not (tmp_path / "out").exists()
