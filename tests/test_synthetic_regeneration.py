from asn_analysis.cli import main
from asn_analysis.data import bundled_data_path
from asn_analysis.data.fingerprint import MANIFEST_NAME, file_sha256, read_manifest
from asn_analysis.data.synthetic import DEFAULT_SEED


def test_committed_data_equals_a_regeneration_byte_for_byte(tmp_path, capsys):
    assert main(["generate-data", "--seed", str(DEFAULT_SEED), "--out", str(tmp_path)]) == 0
    assert "synthetic" in capsys.readouterr().out
    committed = sorted(p.name for p in bundled_data_path().iterdir() if p.is_file())
    regenerated = sorted(p.name for p in tmp_path.iterdir())
    assert committed == regenerated
    for name in committed:
        same = (bundled_data_path() / name).read_bytes() == (tmp_path / name).read_bytes()
        assert same, f"{name} differs from a regeneration with seed {DEFAULT_SEED}"
    # the manifest (by which the loader recognises the bundled data) lists every other file
    manifest = read_manifest(tmp_path)
    assert sorted(manifest) == sorted(set(regenerated) - {MANIFEST_NAME})
    assert all(file_sha256(tmp_path / name) == digest for name, digest in manifest.items())
