"""robinraju/release-downloader shim: release assets from ``$GITHUB_API_URL`` (the mock GitHub).

The same REST calls as the real action: the release by tag, id or latest, then each
matching asset through ``GET /repos/{repo}/releases/assets/{id}`` with
``Accept: application/octet-stream``.  The mock GitHub checks the token.
"""

from __future__ import annotations

import fnmatch
import json
import os
import urllib.parse
from pathlib import Path
from typing import Any

from actspec_shim import gha
from actspec_shim.idtoken import call


def release(base: str, headers: dict[str, str]) -> dict[str, Any]:
    tag, rid = gha.get_input("tag"), gha.get_input("releaseId")
    if gha.get_bool_input("latest"):
        if gha.get_bool_input("preRelease"):
            reply = call("GET", f"{base}?per_page=100", headers=headers)
            found = [r for r in (reply.json() or []) if not r.get("draft")] if reply.ok else []
            if found:
                return found[0]
            gha.fail("No prereleases found!")
        url = f"{base}/latest"
    elif tag:
        url = f"{base}/tags/{urllib.parse.quote(tag, safe='')}"
    elif rid:
        url = f"{base}/{rid}"
    else:
        gha.fail("Config error: Please input a valid tag or release ID, or specify `latest`")
    reply = call("GET", url, headers=headers)
    if not reply.ok:
        gha.fail(f"Error: Unable to fetch release: {reply.status} {reply.message()}")
    return reply.json()


def run() -> int:
    api = os.environ.get("GITHUB_API_URL", "").rstrip("/")
    if not api:
        gha.fail("GITHUB_API_URL is not set (run the workflow through actspec)")
    for unsupported in ("tarBall", "zipBall", "extract"):
        if gha.get_bool_input(unsupported):
            gha.fail(f"actspec shim: `{unsupported}: true` is not emulated; mock this step or use a stand-in")
    repo = gha.get_input("repository") or os.environ.get("GITHUB_REPOSITORY", "")
    headers = {"Authorization": f"Bearer {gha.get_input('token', required=True)}", "Accept": "application/vnd.github+json"}
    base = f"{api}/repos/{repo}/releases"
    rel = release(base, headers)
    pattern = gha.get_input("fileName")
    assets = [a for a in rel.get("assets") or [] if pattern and fnmatch.fnmatchcase(a["name"], pattern)]
    if pattern and not assets:
        gha.fail(f"Asset with name {pattern} not found!")
    out = Path(gha.workspace(), gha.get_input("out-file-path", "."))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for asset in assets:
        reply = call("GET", f"{base}/assets/{asset['id']}", headers={**headers, "Accept": "application/octet-stream"})
        if not reply.ok:
            gha.fail(f"Unexpected response: {reply.status} {reply.message()}")
        target = out / Path(asset["name"]).name
        target.write_bytes(reply.body)
        written.append(str(target))
        gha.info(f"Downloaded {asset['name']} to {target}")
    gha.set_output("tag_name", rel.get("tag_name", ""))
    gha.set_output("release_name", rel.get("name") or "")
    gha.set_output("downloaded_files", json.dumps(written))
    return 0


if __name__ == "__main__":
    gha.main(run)
