"""softprops/action-gh-release shim against the live mock GitHub: create, upload, update, overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..shims.shim_support import Job, write

pytestmark = pytest.mark.unit
SCRIPT = "softprops/action-gh-release/gh_release.py"


def job(tmp_path: Path, stack, name: str = "create-draft-release") -> Job:  # type: ignore[no-untyped-def]
    j = Job(tmp_path / name, "http://127.0.0.1:9/kit", name=name)
    j.extra_env.update(stack.env)
    j.extra_env.update(GITHUB_REPOSITORY="replicate/cog", GITHUB_REF="refs/tags/v0.17.0")
    return j


def test_creates_a_release_uploads_assets_and_updates_it(tmp_path: Path, stack) -> None:  # type: ignore[no-untyped-def]
    j = job(tmp_path, stack)
    write(j.workspace, {"dist/cog-0.17.0.tar.gz": b"sdist", "dist/cog-0.17.0-py3-none-any.whl": b"wheel"})
    r = j.run(SCRIPT, {"token": stack.github.token, "files": "dist/*", "draft": "true"})
    assert r.code == 0, r.log
    assert sorted(a["name"] for a in json.loads(r.outputs["assets"])) == ["cog-0.17.0-py3-none-any.whl", "cog-0.17.0.tar.gz"]
    kinds = [e.kind for e in stack.ledger if e.kind.startswith("release.")]
    assert kinds[0] == "release.create" and kinds.count("release.asset") == 2
    write(j.workspace, {"dist/cog-0.17.0.tar.gz": b"sdist v2"})
    r = j.run(SCRIPT, {"token": stack.github.token, "files": "dist/cog-0.17.0.tar.gz", "body": "notes"})
    assert r.code == 0, r.log
    assert "Updated release" in r.log
    assert [e.kind for e in stack.ledger if e.kind.startswith("release.")].count("release.create") == 1


@pytest.mark.parametrize(("inputs", "env", "message"), [
    ({"files": "nothing/*", "fail_on_unmatched_files": "true"}, {}, "\u26a0\ufe0f Pattern 'nothing/*' does not match any files."),
    ({}, {"GITHUB_REF": "refs/heads/main"}, "\u26a0\ufe0f GitHub Releases requires a tag"),
])
def test_the_real_actions_errors(tmp_path: Path, stack, inputs, env, message) -> None:  # type: ignore[no-untyped-def]
    r = job(tmp_path, stack).run(SCRIPT, {"token": stack.github.token, **inputs}, env=env)
    assert r.code == 1 and r.errors() == [message]


def test_a_bad_token_is_the_mocks_answer(tmp_path: Path, stack) -> None:  # type: ignore[no-untyped-def]
    r = job(tmp_path, stack).run(SCRIPT, {"token": "ghs_wrong"})
    assert r.code == 1 and r.errors()[0].startswith("\u26a0\ufe0f GitHub release failed with status: 401")


def test_release_downloader_fetches_what_the_release_holds(tmp_path: Path, stack) -> None:  # type: ignore[no-untyped-def]
    up = job(tmp_path, stack)
    write(up.workspace, {"dist/coglet-0.17.0-cp310-abi3-linux_x86_64.whl": b"wheel bytes", "dist/notes.txt": b"n"})
    assert up.run(SCRIPT, {"token": stack.github.token, "files": "dist/*"}).code == 0
    down = job(tmp_path, stack, "publish-pypi-coglet")
    r = down.run("robinraju/release-downloader/release_downloader.py",
                 {"token": stack.github.token, "tag": "v0.17.0", "fileName": "coglet-*.whl", "out-file-path": "wheels"})
    assert r.code == 0, r.log
    assert (down.workspace / "wheels/coglet-0.17.0-cp310-abi3-linux_x86_64.whl").read_bytes() == b"wheel bytes"
    assert not (down.workspace / "wheels/notes.txt").exists()
    assert r.outputs["tag_name"] == "v0.17.0" and len(json.loads(r.outputs["downloaded_files"])) == 1
    r = down.run("robinraju/release-downloader/release_downloader.py",
                 {"token": stack.github.token, "tag": "v0.17.0", "fileName": "*.tar.gz"})
    assert r.code == 1 and r.errors() == ["Asset with name *.tar.gz not found!"]
