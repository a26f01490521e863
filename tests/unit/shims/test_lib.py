"""The shims' shared library: container id, glob patterns, name patterns."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .shim_support import LIB, write

pytestmark = pytest.mark.unit

sys.path.insert(0, str(LIB))
from actspec_shim import kit  # noqa: E402
from ghrules import actions_glob  # noqa: E402

CID = "6437f18f3c5968114d9256f20f463aed80d068879d641eb2d77c3ee252241c90"


def test_container_id_from_mountinfo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ACTSPEC_CONTAINER_ID", raising=False)
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "90 74 0:60 / /proc rw - proc proc rw\n"
        f"92 74 254:0 /var/lib/docker/containers/{CID}/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw\n"
    )
    assert kit.container_id(str(mountinfo), str(tmp_path / "none")) == CID


def test_container_id_from_cgroup_v1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ACTSPEC_CONTAINER_ID", raising=False)
    (tmp_path / "mountinfo").write_text("1 0 0:1 / / rw - overlay overlay rw\n")
    (tmp_path / "cgroup").write_text(f"12:pids:/docker/{CID}\n0::/docker/{CID}\n")
    assert kit.container_id(str(tmp_path / "mountinfo"), str(tmp_path / "cgroup")) == CID


def test_container_id_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ACTSPEC_CONTAINER_ID", raising=False)
    assert kit.container_id(str(tmp_path / "a"), str(tmp_path / "b")) == ""


def test_search_paths_drop_descendants(tmp_path: Path):
    patterns = actions_glob.parse_patterns(["a/b/*", "a", "c/**/x", "!a/skip"], str(tmp_path))
    assert actions_glob.search_paths(patterns) == [str(tmp_path / "a"), str(tmp_path / "c")]


def test_single_file_without_wildcard_roots_at_its_directory(tmp_path: Path):
    write(tmp_path, {"dist/x/cog": "1"})
    r = actions_glob.find_upload("dist/x/cog", cwd=str(tmp_path))
    assert r.root == str(tmp_path / "dist/x") and r.files == [str(tmp_path / "dist/x/cog")]


def test_reinclusion_after_exclusion(tmp_path: Path):
    write(tmp_path, {"d/a.log": "", "d/keep.log": "", "d/b.txt": ""})
    r = actions_glob.find_upload("d\n!d/*.log\nd/keep.log", cwd=str(tmp_path))
    assert [Path(f).name for f in r.files] == ["b.txt", "keep.log"]


def test_character_class_and_question_mark(tmp_path: Path):
    write(tmp_path, {"w/a1.whl": "", "w/b2.whl": "", "w/c33.whl": ""})
    r = actions_glob.find_upload("w/[ab]?.whl", cwd=str(tmp_path))
    assert [Path(f).name for f in r.files] == ["a1.whl", "b2.whl"]


def test_missing_search_path_finds_nothing(tmp_path: Path):
    assert actions_glob.find_upload("nope/**", cwd=str(tmp_path)).files == []


@pytest.mark.parametrize("pattern,name,expected", [
    ("Cog*", "CogPackage", True),
    ("Cog*", "other", False),
    ("{CogPackage,CogBinary}", "CogBinary", True),
    ("wheel-?", "wheel-a", True),
    ("*", ".hidden", False),
    ("**", "a/b", True),
])
def test_name_matcher(pattern: str, name: str, expected: bool):
    assert actions_glob.NameMatcher(pattern).match(name) is expected


def test_hash_files_is_hashfiles_over_the_workspace(tmp_path: Path):
    """hashFiles(): SHA-256 over each matched file's SHA-256 in path order; files outside the
    workspace do not count; no match is "" (each caching action words its own warning)."""
    import hashlib

    ws = tmp_path / "ws"
    write(ws, {"b/go.sum": "b\n", "a/go.sum": "a\n"})
    write(tmp_path, {"outside/go.sum": "x\n"})
    expected = hashlib.sha256(hashlib.sha256(b"a\n").digest() + hashlib.sha256(b"b\n").digest()).hexdigest()
    assert actions_glob.hash_files("**/go.sum", str(ws)) == expected
    assert actions_glob.hash_files(["**/go.sum", f"{tmp_path}/outside/go.sum"], str(ws)) == expected
    assert actions_glob.hash_files("**/uv.lock", str(ws)) == ""
