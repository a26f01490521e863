"""upload-artifact / download-artifact shims against a live kit service."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from .shim_support import CONTAINER, entries, run_info, write

pytestmark = pytest.mark.unit

UPLOAD = "actions/upload-artifact/upload.py"
DOWNLOAD = "actions/download-artifact/download.py"


def files_of(kit, name):  # type: ignore[no-untyped-def]
    return sorted(f["path"] for f in kit.artifacts()[name])


def test_glob_upload_roots_at_the_search_path(job, kit, ledger):
    write(job.workspace, {"dist/cog-0.1.0-py3-none-any.whl": "wheel", "dist/cog-0.1.0.tar.gz": "sdist", "dist/other.txt": "x"})
    r = job.run(UPLOAD, {"name": "CogPackage", "path": "dist/cog-*"})
    assert r.code == 0, r.log
    assert files_of(kit, "CogPackage") == ["cog-0.1.0-py3-none-any.whl", "cog-0.1.0.tar.gz"]
    assert "With the provided path, there will be 2 files uploaded" in r.stdout
    assert r.outputs["artifact-id"] == "1"
    assert r.outputs["artifact-url"] == "https://github.com/acme/widget/actions/runs/4242/artifacts/1"
    assert len(r.outputs["artifact-digest"]) == 64
    [entry] = entries(ledger, "artifact.upload")
    assert entry.ok and entry.subject == "CogPackage" and entry.job == "build"
    assert entry.details["container"] == CONTAINER
    wheel = next(f for f in entry.details["files"] if f["path"].endswith(".whl"))
    assert wheel == {"path": "cog-0.1.0-py3-none-any.whl", "sha256": hashlib.sha256(b"wheel").hexdigest(), "size": 5}


def test_single_file_root_is_its_directory(job, kit):
    write(job.workspace, {"cog": "binary"})
    r = job.run(UPLOAD, {"name": "CogBinary", "path": "cog"})
    assert r.code == 0, r.log
    assert files_of(kit, "CogBinary") == ["cog"]


def test_directory_upload_keeps_the_tree_below_it(job, kit):
    write(job.workspace, {"out/a.txt": "a", "out/sub/b.txt": "b", "out/.hidden": "h", "out/.git/config": "c"})
    r = job.run(UPLOAD, {"name": "out", "path": "out/"})
    assert r.code == 0, r.log
    assert files_of(kit, "out") == ["a.txt", "sub/b.txt"]


def test_include_hidden_files(job, kit):
    write(job.workspace, {"out/a.txt": "a", "out/.hidden": "h"})
    r = job.run(UPLOAD, {"name": "out", "path": "out", "include-hidden-files": "true"})
    assert r.code == 0, r.log
    assert files_of(kit, "out") == [".hidden", "a.txt"]


def test_multiple_paths_use_the_least_common_ancestor_and_exclusions(job, kit):
    write(job.workspace, {
        "build/linux/app": "l", "build/linux/app.debug": "d", "build/mac/app": "m",
        "build/logs/x.log": "log", "readme": "r",
    })
    r = job.run(UPLOAD, {"name": "apps", "path": "build/linux/*\nbuild/mac/\n!**/*.debug\n"})
    assert r.code == 0, r.log
    assert files_of(kit, "apps") == ["linux/app", "mac/app"]
    assert f"The least common ancestor is {job.workspace / 'build'}" in r.stdout


def test_globstar(job, kit):
    write(job.workspace, {"target/wheels/a.whl": "1", "target/x/y/b.whl": "2", "target/c.txt": "3"})
    r = job.run(UPLOAD, {"name": "wheels", "path": "target/**/*.whl"})
    assert r.code == 0, r.log
    assert files_of(kit, "wheels") == ["wheels/a.whl", "x/y/b.whl"]


@pytest.mark.parametrize("mode,code,annotation", [("warn", 0, "warning"), ("error", 1, "error"), ("ignore", 0, None)])
def test_no_files_found(job, kit, ledger, mode, code, annotation):
    r = job.run(UPLOAD, {"name": "none", "path": "dist/*.whl", "if-no-files-found": mode})
    message = "No files were found with the provided path: dist/*.whl. No artifacts will be uploaded."
    assert r.code == code
    if annotation == "warning":
        assert r.warnings() == [message]
    elif annotation == "error":
        assert r.errors() == [message]
    else:
        assert message in r.stdout and not r.errors() and not r.warnings()
    assert kit.artifacts() == {}
    assert entries(ledger, "artifact.upload") == []


def test_unrecognized_if_no_files_found(job):
    write(job.workspace, {"a": "a"})
    r = job.run(UPLOAD, {"path": "a", "if-no-files-found": "explode"})
    assert r.code == 1
    assert r.errors()[0].startswith("Unrecognized if-no-files-found input. Provided: explode.")


def test_duplicate_name_is_a_409_conflict(make_job, kit, ledger):
    first, second = make_job("build-a", "a" * 64), make_job("build-b", "b" * 64)
    write(first.workspace, {"x.txt": "1"})
    write(second.workspace, {"x.txt": "2"})
    assert first.run(UPLOAD, {"name": "same", "path": "x.txt"}).code == 0
    r = second.run(UPLOAD, {"name": "same", "path": "x.txt"})
    assert r.code == 1
    assert r.errors() == [
        "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: "
        "an artifact with this name already exists on the workflow run"
    ]
    ups = entries(ledger, "artifact.upload")
    assert [e.ok for e in ups] == [True, False]
    assert ups[1].job == "build-b" and ups[1].details["status"] == 409
    assert ups[1].details["container"] == "b" * 64
    # the first upload stands
    assert kit.artifacts()["same"][0]["sha256"] == hashlib.sha256(b"1").hexdigest()


def test_overwrite_replaces(job, kit):
    write(job.workspace, {"x.txt": "1"})
    assert job.run(UPLOAD, {"name": "same", "path": "x.txt"}).code == 0
    (job.workspace / "x.txt").write_text("22")
    r = job.run(UPLOAD, {"name": "same", "path": "x.txt", "overwrite": "true"})
    assert r.code == 0, r.log
    assert r.outputs["artifact-id"] == "2"
    assert kit.artifacts()["same"][0]["size"] == 2


def test_invalid_artifact_name(job):
    write(job.workspace, {"x.txt": "1"})
    r = job.run(UPLOAD, {"name": "a/b", "path": "x.txt"})
    assert r.code == 1
    assert r.errors()[0].startswith("The artifact name is not valid: a/b. Contains the following character:  Forward slash /")


def test_bad_compression_level(job):
    write(job.workspace, {"x.txt": "1"})
    r = job.run(UPLOAD, {"path": "x.txt", "compression-level": "12"})
    assert r.code == 1
    assert "Invalid compression-level. Valid values are 0-9" in r.errors()


def test_artifacts_are_per_run(job, kit):
    write(job.workspace, {"x.txt": "1"})
    assert job.run(UPLOAD, {"name": "a", "path": "x.txt"}).code == 0
    kit.begin_run(run_info())
    assert kit.artifacts() == {}
    assert job.run(UPLOAD, {"name": "a", "path": "x.txt"}).code == 0


# -- download ----------------------------------------------------------------------------------


def upload(job, name, files):  # type: ignore[no-untyped-def]
    src = job.root / "src" / name
    write(src, files)
    r = job.run(UPLOAD, {"name": name, "path": str(src)})
    assert r.code == 0, r.log


def test_download_by_name(make_job, ledger):
    producer, consumer = make_job("build-sdk"), make_job("lint-python", "d" * 64)
    upload(producer, "CogPackage", {"cog.whl": "w", "cog.tar.gz": "t"})
    r = consumer.run(DOWNLOAD, {"name": "CogPackage", "path": "dist"})
    assert r.code == 0, r.log
    dist = consumer.workspace / "dist"
    assert sorted(p.name for p in dist.iterdir()) == ["cog.tar.gz", "cog.whl"]
    assert r.outputs["download-path"] == str(dist)
    [entry] = entries(ledger, "artifact.download")
    assert entry.ok and entry.job == "lint-python" and entry.details["container"] == "d" * 64
    assert entry.details["path"] == str(dist)
    assert entry.details["uploaded_by"] == "build-sdk"
    assert [f["path"] for f in entry.details["files"]] == ["cog.tar.gz", "cog.whl"]


def test_download_default_path_is_the_workspace(make_job):
    producer, consumer = make_job("p"), make_job("c")
    upload(producer, "x", {"f.txt": "1"})
    r = consumer.run(DOWNLOAD, {"name": "x"})
    assert r.code == 0, r.log
    assert (consumer.workspace / "f.txt").read_text() == "1"


def test_download_drops_the_executable_bit(make_job):
    producer, consumer = make_job("p"), make_job("c")
    src = producer.root / "src"
    write(src, {"cog": "#!/bin/sh\n"})
    os.chmod(src / "cog", 0o755)
    assert producer.run(UPLOAD, {"name": "CogBinary", "path": str(src / "cog")}).code == 0
    assert consumer.run(DOWNLOAD, {"name": "CogBinary"}).code == 0
    assert not os.stat(consumer.workspace / "cog").st_mode & stat.S_IXUSR


def test_download_missing_artifact(job, ledger):
    r = job.run(DOWNLOAD, {"name": "CogletRustWheel", "path": "dist"})
    assert r.code == 1
    [error] = r.errors()
    assert error.startswith("Unable to download artifact(s): Artifact not found for name: CogletRustWheel%0A")
    assert "Please ensure that your artifact is not expired" in error
    [entry] = entries(ledger, "artifact.download")
    assert not entry.ok and entry.details["status"] == 404


def test_download_all_into_subdirectories(make_job):
    producer, consumer = make_job("p"), make_job("c")
    upload(producer, "CogPackage", {"cog.whl": "w"})
    upload(producer, "CogletRustWheel", {"coglet.whl": "c"})
    r = consumer.run(DOWNLOAD, {"path": "dist"})
    assert r.code == 0, r.log
    dist = consumer.workspace / "dist"
    assert (dist / "CogPackage" / "cog.whl").exists()
    assert (dist / "CogletRustWheel" / "coglet.whl").exists()
    assert "An extra directory with the artifact name will be created for each download" in r.stdout


def test_download_all_merge_multiple(make_job, ledger):
    producer, consumer = make_job("p"), make_job("c")
    upload(producer, "CogPackage", {"cog.whl": "w"})
    upload(producer, "CogletRustWheel", {"coglet.whl": "c"})
    r = consumer.run(DOWNLOAD, {"path": "dist", "merge-multiple": "true"})
    assert r.code == 0, r.log
    assert sorted(p.name for p in (consumer.workspace / "dist").iterdir()) == ["cog.whl", "coglet.whl"]
    assert sorted(e.subject for e in entries(ledger, "artifact.download")) == ["CogPackage", "CogletRustWheel"]


def test_download_by_pattern(make_job, ledger):
    producer, consumer = make_job("p"), make_job("c")
    upload(producer, "wheel-linux", {"l.whl": "l"})
    upload(producer, "wheel-mac", {"m.whl": "m"})
    upload(producer, "sdist", {"s.tar.gz": "s"})
    r = consumer.run(DOWNLOAD, {"pattern": "wheel-*", "path": "out"})
    assert r.code == 0, r.log
    out = consumer.workspace / "out"
    assert sorted(p.name for p in out.iterdir()) == ["wheel-linux", "wheel-mac"]
    assert sorted(e.subject for e in entries(ledger, "artifact.download")) == ["wheel-linux", "wheel-mac"]


def test_download_pattern_matching_nothing_succeeds(job):
    r = job.run(DOWNLOAD, {"pattern": "nope-*"})
    assert r.code == 0, r.log
    assert "Total of 0 artifact(s) downloaded" in r.stdout


def test_download_with_token_records_the_foreign_run(make_job, ledger):
    producer, consumer = make_job("p"), make_job("c")
    upload(producer, "x", {"f": "1"})
    r = consumer.run(DOWNLOAD, {"name": "x", "github-token": "t", "repository": "acme/other", "run-id": "77"})
    assert r.code == 0, r.log
    [entry] = entries(ledger, "artifact.download")
    assert entry.details["run_id"] == "77" and entry.details["repository"] == "acme/other"


def test_missing_kit_url_is_a_clear_error(job):
    write(job.workspace, {"x.txt": "1"})
    r = job.run(UPLOAD, {"path": "x.txt"}, env={"ACTSPEC_KIT_URL": ""})
    assert r.code == 1
    assert r.errors()[0].startswith("ACTSPEC_KIT_URL is not set")


def test_kit_extract_artifact(job, kit, tmp_path: Path):
    write(job.workspace, {"d/a.txt": "A"})
    assert job.run(UPLOAD, {"name": "d", "path": "d"}).code == 0
    [path] = kit.extract_artifact("d", tmp_path / "x")
    assert path.read_text() == "A"
    assert kit.artifact("d")["files"][0]["path"] == "a.txt"
