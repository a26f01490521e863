"""The artifact name and path checks answer with ``@actions/artifact``'s messages."""

from __future__ import annotations

import pytest
from ghrules.artifacts import artifact_name_error, file_path_error


@pytest.mark.parametrize("name", ["ok-name", "wheel.linux_x86_64", "a b"])
def test_valid_names(name: str) -> None:
    assert artifact_name_error(name) is None


@pytest.mark.parametrize(("name", "label"), [("a/b", "Forward slash /"), ('q"', 'Double quote "'),
                                             ("x:y", "Colon :"), ("back\\slash", "Backslash \\")])
def test_invalid_names_name_the_character(name: str, label: str) -> None:
    message = artifact_name_error(name)
    assert message is not None
    assert message.startswith(f"The artifact name is not valid: {name}. Contains the following character:  {label}\n")
    assert "Invalid characters include:" in message and "NTFS" in message


def test_empty_inputs() -> None:
    assert artifact_name_error("") == "Provided artifact name input during validation is empty"
    assert file_path_error("") == "Provided file path input during validation is empty"


def test_paths_may_hold_slashes_but_not_colons() -> None:
    assert file_path_error("dist/a.whl") is None
    message = file_path_error("dist/a:b")
    assert message is not None and message.startswith("The path for one of the files in artifact is not valid: dist/a:b.")
