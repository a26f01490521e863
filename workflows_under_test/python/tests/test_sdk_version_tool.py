"""tools/version.py: the one semver -> PEP 440 converter of the repository."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "_cog_version", ROOT / "tools" / "version.py"
)
version = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(version)


@pytest.mark.parametrize(
    "semver, pep440",
    [
        ("0.17.0", "0.17.0"),
        ("0.17.0-alpha3", "0.17.0a3"),
        ("0.17.0-alpha.3", "0.17.0a3"),
        ("0.17.0-beta1", "0.17.0b1"),
        ("0.17.0-beta.1", "0.17.0b1"),
        ("0.17.0-rc1", "0.17.0rc1"),
        ("0.17.0-rc.2", "0.17.0rc2"),
        ("0.17.0-dev1", "0.17.0.dev1"),
        ("0.17.0-dev.4", "0.17.0.dev4"),
        ("1.0.0-alpha10", "1.0.0a10"),
        ("10.20.30", "10.20.30"),
    ],
)
def test_converts(semver, pep440):
    assert version.semver_to_pep440(semver) == pep440


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "v0.17.0",
        "0.17",
        "0.17.0-alpha",
        "0.17.0-gamma1",
        "0.17.0-alpha3+build1",
        "0.17.0a3",
        "0.17.0-alpha-3",
        "01.2.3",
        "0.17.0-rc01",
    ],
)
def test_rejects(bad):
    with pytest.raises(version.VersionError, match="unsupported version"):
        version.semver_to_pep440(bad)


def test_reads_workspace_version(tmp_path):
    toml = tmp_path / "Cargo.toml"
    toml.write_text(
        '[workspace]\nmembers = ["a"]\n\n[workspace.package]\n'
        'version = "1.2.3-rc1"  # comment\nedition = "2021"\n'
    )
    assert version.read_cargo_version(toml) == "1.2.3-rc1"
    assert version.pep440_version(toml) == "1.2.3rc1"


def test_reads_package_version(tmp_path):
    toml = tmp_path / "Cargo.toml"
    toml.write_text('[package]\nname = "x"\nversion = "0.1.0"\n[dependencies]\n')
    assert version.read_cargo_version(toml) == "0.1.0"


def test_repository_version_is_valid():
    semver = version.read_cargo_version(ROOT / "crates" / "Cargo.toml")
    assert version.semver_to_pep440(semver)


def test_cli(capsys):
    assert version.main(["0.17.0-alpha3"]) == 0
    assert capsys.readouterr().out == "0.17.0a3\n"
    assert version.main(["0.17.0-omega"]) == 1
    assert "unsupported version" in capsys.readouterr().err
    semver = version.read_cargo_version()
    assert version.main(["--check-tag", f"v{semver}"]) == 0
    assert version.main(["--check-tag", "v99.0.0"]) == 1
