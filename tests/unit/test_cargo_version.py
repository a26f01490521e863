"""The release features read and set the version in crates/Cargo.toml ("Package Versioning"),
so they run against a repository at any version, not only the bundled repository's 0.17.0."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from actspec.bdd import scenario
from actspec.errors import BindingError
from actspec.model import Change
from actspec.repository.repo import apply_change

pytestmark = pytest.mark.unit

WORKSPACE = """[workspace]
members = ["coglet"]

[workspace.package]
edition = "2021"
version = "1.4.2"

[workspace.dependencies]
serde = { version = "1.4.2" }
"""


class _World:
    """What the version helpers use of a scenario's World: the repository and its edits."""

    def __init__(self, root: Path) -> None:
        self.session = SimpleNamespace(binding=SimpleNamespace(root=root))
        self.changes: list[Change] = []

    def edit(self, path: str, old: str, new: str) -> None:
        self.changes.append(Change(path, "replace", new, old))


def _repo(tmp_path: Path, text: str) -> _World:
    (tmp_path / "crates").mkdir()
    (tmp_path / "crates" / "Cargo.toml").write_text(text)
    return _World(tmp_path)


def test_the_workspace_version_is_read(tmp_path: Path) -> None:
    assert scenario.cargo_version(_repo(tmp_path, WORKSPACE)) == "1.4.2"


def test_a_single_crate_declares_it_in_package(tmp_path: Path) -> None:
    world = _repo(tmp_path, '[package]\nname = "coglet"\nversion = "0.3.0"\n\n[dependencies]\nx = "1"\n')
    assert scenario.cargo_version(world) == "0.3.0"


def test_setting_the_version_changes_only_the_package_line(tmp_path: Path) -> None:
    world = _repo(tmp_path, WORKSPACE)
    scenario.set_cargo_version(world, "0.17.0")
    for change in world.changes:
        apply_change(tmp_path, change)
    text = (tmp_path / "crates" / "Cargo.toml").read_text()
    assert 'version = "0.17.0"' in text and 'serde = { version = "1.4.2" }' in text


def test_the_version_already_held_costs_no_commit(tmp_path: Path) -> None:
    world = _repo(tmp_path, WORKSPACE)
    scenario.set_cargo_version(world, "1.4.2")
    assert world.changes == []


def test_no_version_is_one_line_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(BindingError, match=r"crates/Cargo.toml declares no version"):
        scenario.cargo_version(_repo(tmp_path, "[workspace]\nmembers = []\n"))


def test_a_tag_names_its_version() -> None:
    assert scenario.tag_version("v0.17.0-alpha3") == "0.17.0-alpha3"
