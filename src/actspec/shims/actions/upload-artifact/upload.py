"""actspec shim of actions/upload-artifact (v4 semantics): see README.md beside this file."""

from __future__ import annotations

import os
import re
import tempfile
import urllib.parse

from actspec_shim import archive, gha, kit
from ghrules import actions_glob
from ghrules.artifacts import artifact_name_error, file_path_error

NO_FILE_OPTIONS = ("warn", "error", "ignore")


def parse_int(text: str) -> int | None:
    """JavaScript ``parseInt``: the leading integer of ``text``, ``None`` for NaN."""
    match = re.match(r"\s*([+-]?\d+)", text)
    return int(match.group(1)) if match else None


def run() -> int:
    failed = False
    name = gha.get_input("name", "artifact")
    search_path = gha.get_input("path", required=True)
    if_no_files = gha.get_input("if-no-files-found", "warn")
    if if_no_files not in NO_FILE_OPTIONS:
        gha.set_failed(
            f"Unrecognized if-no-files-found input. Provided: {if_no_files}. "
            f"Available options: {','.join(NO_FILE_OPTIONS)}"
        )
        failed = True
    overwrite = gha.get_bool_input("overwrite", False)
    include_hidden = gha.get_bool_input("include-hidden-files", False)

    retention: int | None = None
    retention_text = gha.get_input("retention-days")
    if retention_text:
        retention = parse_int(retention_text)
        if retention is None:
            gha.set_failed("Invalid retention-days")
            failed = True

    level = 6
    level_text = gha.get_input("compression-level")
    if level_text:
        parsed = parse_int(level_text)
        if parsed is None:
            gha.set_failed("Invalid compression-level")
            failed = True
        elif parsed < 0 or parsed > 9:
            gha.set_failed("Invalid compression-level. Valid values are 0-9")
            failed = True
        else:
            level = parsed

    result = actions_glob.find_upload(search_path, cwd=os.getcwd(), include_hidden=include_hidden)
    if not result.files:
        message = f"No files were found with the provided path: {search_path}. No artifacts will be uploaded."
        if if_no_files == "error":
            gha.set_failed(message)
            return 1
        if if_no_files == "warn":
            gha.warning(message)
        elif if_no_files == "ignore":
            gha.info(message)
        return 1 if failed else 0

    count = len(result.files)
    gha.info(f"With the provided path, there will be {count} file{'' if count == 1 else 's'} uploaded")
    if len(result.search_paths) > 1:
        gha.info("Multiple search paths detected. Calculating the least common ancestor of all paths")
        gha.info(f"The least common ancestor is {result.root}. This will be the root directory of the artifact")
    gha.debug(f"Root artifact directory is {result.root}")

    invalid = artifact_name_error(name)
    if invalid:
        gha.fail(invalid)
    gha.info("Artifact name is valid!")
    if not os.path.isdir(result.root):
        gha.fail(f"The provided rootDirectory {result.root} does not exist")
    gha.info("Root directory input is valid!")

    members: list[tuple[str, str]] = []
    for path in result.files:
        rel = os.path.relpath(path, result.root)
        invalid = file_path_error(rel)
        if invalid:
            gha.fail(invalid)
        members.append((path, rel))

    with tempfile.TemporaryFile(dir=gha.temp_dir()) as tmp:
        archive.pack_artifact(members, tmp, level=level)
        size = tmp.tell()
        tmp.seek(0)
        params: dict[str, str] = {"compression-level": str(level)}
        if retention is not None:
            params["retention-days"] = str(retention)
        if overwrite:
            params["overwrite"] = "true"
        gha.info("Beginning upload of artifact content to blob storage")
        resp = kit.request(
            "PUT",
            "artifacts/" + urllib.parse.quote(name, safe=""),
            params=params,
            body=tmp,
            length=size,
            headers={"Content-Type": "application/gzip"},
        )
    if not resp.ok:
        gha.fail(resp.message())
    data = resp.json()
    digest = str(data["digest"]).removeprefix("sha256:")
    gha.info(f"Uploaded bytes {data['size']}")
    gha.info("Finished uploading artifact content to blob storage!")
    gha.info(f"SHA256 digest of uploaded artifact zip is {digest}")
    gha.info("Finalizing artifact upload")
    gha.info(f"Artifact {name}.zip successfully finalized. Artifact ID {data['id']}")
    gha.info(
        f"Artifact {name} has been successfully uploaded! Final size is {data['size']} bytes. Artifact ID is {data['id']}"
    )
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    run_id = os.environ.get("GITHUB_RUN_ID", "")
    url = f"{server}/{repo}/actions/runs/{run_id}/artifacts/{data['id']}"
    gha.info(f"Artifact download URL: {url}")
    gha.set_output("artifact-id", data["id"])
    gha.set_output("artifact-url", url)
    gha.set_output("artifact-digest", digest)
    return 1 if failed else 0


if __name__ == "__main__":
    gha.main(run)
