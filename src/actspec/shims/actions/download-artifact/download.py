"""actspec shim of actions/download-artifact (v4 semantics): see README.md beside this file."""

from __future__ import annotations

import os
import tempfile
import urllib.parse

from actspec_shim import archive, gha, kit
from ghrules import actions_glob

PREFIX = "Unable to download artifact(s): "


class DownloadError(Exception):
    pass


def fetch(name: str, dest: str, extra: dict[str, str]) -> dict[str, str]:
    """Download artifact ``name`` from the kit and unpack it into ``dest``."""
    with tempfile.TemporaryFile(dir=gha.temp_dir()) as tmp:
        resp = kit.request("GET", "artifacts/" + urllib.parse.quote(name, safe=""), params={"path": dest, **extra}, out=tmp)
        if not resp.ok:
            message = resp.message()
            raise DownloadError(message.removeprefix(PREFIX))
        tmp.seek(0)
        archive.extract(tmp, dest, keep_meta=False)
    return resp.headers


def run() -> int:
    name = gha.get_input("name")
    ids_text = gha.get_input("artifact-ids")
    path = gha.get_input("path") or os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    pattern = gha.get_input("pattern")
    merge = gha.get_bool_input("merge-multiple", False)
    token = gha.get_input("github-token")
    repository = gha.get_input("repository")
    run_id = gha.get_input("run-id")

    if path.startswith("~"):
        path = path.replace("~", os.path.expanduser("~"), 1)
    resolved = os.path.abspath(path)
    gha.debug(f"Resolved path is {resolved}")

    extra: dict[str, str] = {}
    if token:
        owner, _, repo = repository.partition("/")
        if not owner or not repo:
            gha.fail(f"{PREFIX}Invalid repository: '{repository}'. Must be in format owner/repo")
        # another run's artifacts cannot be reached: the kit serves this run's and records the ask
        extra = {"run-id": run_id, "repository": repository}

    single = bool(name)
    try:
        if single:
            gha.info("Downloading single artifact")
            headers = fetch(name, resolved, extra)
            artifacts = [{"name": name, "id": headers.get("x-actspec-artifact-id", ""), "size": headers.get("content-length", "")}]
            gha.info("Preparing to download the following artifacts:")
            gha.info(f"- {name} (ID: {artifacts[0]['id']}, Size: {artifacts[0]['size']})")
        else:
            resp = kit.request("GET", "artifacts")
            if not resp.ok:
                raise DownloadError(resp.message())
            listed = resp.json()["artifacts"]
            gha.debug(f"Found {len(listed)} artifacts in run")
            if ids_text:
                wanted = {i.strip() for i in ids_text.split(",") if i.strip()}
                artifacts = [a for a in listed if str(a["id"]) in wanted]
                missing = wanted - {str(a["id"]) for a in artifacts}
                if missing:
                    raise DownloadError(f"Artifact not found for id(s): {', '.join(sorted(missing))}")
            elif pattern:
                gha.info(f"Filtering artifacts by pattern '{pattern}'")
                matcher = actions_glob.NameMatcher(pattern)
                artifacts = [a for a in listed if matcher.match(a["name"])]
                gha.debug(f"Filtered from {len(listed)} to {len(artifacts)} artifacts")
            else:
                artifacts = listed
                gha.info("No input name or pattern filtered specified, downloading all artifacts")
                if not merge:
                    gha.info("An extra directory with the artifact name will be created for each download")
            if artifacts:
                gha.info("Preparing to download the following artifacts:")
                for a in artifacts:
                    gha.info(f"- {a['name']} (ID: {a['id']}, Size: {a['size']})")
            for a in artifacts:
                dest = resolved if merge else os.path.join(resolved, a["name"])
                fetch(a["name"], dest, extra)
    except DownloadError as exc:
        gha.fail(PREFIX + str(exc))

    gha.info(f"Total of {len(artifacts)} artifact(s) downloaded")
    gha.set_output("download-path", resolved)
    gha.info("Download artifact has finished successfully")
    return 0


if __name__ == "__main__":
    gha.main(run)
