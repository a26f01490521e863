"""softprops/action-gh-release shim: the release and its assets go to ``$GITHUB_API_URL`` (the mock GitHub).

The mock GitHub records ``release.create``, ``release.update``, ``release.asset`` and
``release.delete``; this script only speaks the REST calls the real action makes.
"""

from __future__ import annotations

import glob
import json
import os
import urllib.parse
from pathlib import Path
from typing import Any

from actspec_shim import gha
from actspec_shim.idtoken import call


class Failure(Exception):
    """The real action's failure, with its message."""


def _api(token: str) -> tuple[str, dict[str, str]]:
    api = os.environ.get("GITHUB_API_URL", "").rstrip("/")
    if not api:
        raise Failure("GITHUB_API_URL is not set (run the workflow through actspec)")
    return api, {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"}


def find(base: str, headers: dict[str, str], tag: str) -> dict[str, Any] | None:
    """The release of ``tag``, drafts included (``releases/tags`` does not return drafts)."""
    reply = call("GET", f"{base}/tags/{urllib.parse.quote(tag, safe='')}", headers=headers)
    if reply.ok:
        return reply.json()
    listed = call("GET", f"{base}?per_page=100", headers=headers)
    for rel in (listed.json() or []) if listed.ok else []:
        if rel.get("tag_name") == tag:
            return rel
    return None


def files(patterns: list[str], fail_unmatched: bool) -> list[Path]:
    out: list[Path] = []
    for pattern in patterns:
        matched = [Path(p) for p in sorted(glob.glob(os.path.join(gha.workspace(), pattern), recursive=True))
                   if Path(p).is_file()]
        if not matched:
            if fail_unmatched:
                raise Failure(f"\u26a0\ufe0f Pattern '{pattern}' does not match any files.")
            gha.warning(f"\U0001f914 Pattern '{pattern}' does not match any files.")
        out += [p for p in matched if p not in out]
    return out


def run() -> int:
    ref = os.environ.get("GITHUB_REF", "")
    tag = gha.get_input("tag_name") or (ref[len("refs/tags/"):] if ref.startswith("refs/tags/") else "")
    if not tag:
        raise Failure("\u26a0\ufe0f GitHub Releases requires a tag")
    repo = gha.get_input("repository") or os.environ.get("GITHUB_REPOSITORY", "")
    api, headers = _api(gha.get_input("token", required=True))
    base = f"{api}/repos/{repo}/releases"
    body = gha.get_input("body")
    if gha.get_input("body_path"):
        body = Path(gha.workspace(), gha.get_input("body_path")).read_text()
    assets = files([p for p in gha.get_multiline_input("files")], gha.get_bool_input("fail_on_unmatched_files"))
    release = find(base, headers, tag)
    if release is None:
        data: dict[str, Any] = {"tag_name": tag, "name": gha.get_input("name") or tag, "body": body,
                                "draft": gha.get_bool_input("draft"), "prerelease": gha.get_bool_input("prerelease")}
        if gha.get_input("target_commitish"):
            data["target_commitish"] = gha.get_input("target_commitish")
        reply = call("POST", base, json_body=data, headers=headers)
        verb = "Created"
    else:
        new_body = (str(release.get("body") or "") + "\n" + body) if gha.get_bool_input("append_body") and body else (body or release.get("body"))
        data = {"tag_name": tag, "name": gha.get_input("name") or release.get("name") or tag, "body": new_body,
                "draft": gha.get_bool_input("draft", bool(release.get("draft"))),
                "prerelease": gha.get_bool_input("prerelease", bool(release.get("prerelease")))}
        reply = call("PATCH", f"{base}/{release['id']}", json_body=data, headers=headers)
        verb = "Updated"
    if not reply.ok:
        raise Failure(f"\u26a0\ufe0f GitHub release failed with status: {reply.status}\n{reply.message()}")
    release = reply.json()
    gha.info(f"\U0001f389 {verb} release {release.get('html_url')}")
    uploaded = []
    existing = {a["name"]: a for a in release.get("assets") or []}
    upload_url = str(release["upload_url"]).split("{", 1)[0]
    for path in assets:
        name = path.name
        if name in existing:
            if not gha.get_bool_input("overwrite_files", True):
                gha.info(f"Skipping {name}: an asset of that name exists and overwrite_files is false")
                continue
            call("DELETE", f"{base}/assets/{existing[name]['id']}", headers=headers)
        reply = call("POST", f"{upload_url}?name={urllib.parse.quote(name)}", data=path.read_bytes(),
                     headers={**headers, "Content-Type": "application/octet-stream"})
        if not reply.ok:
            raise Failure(f"Failed to upload release asset {name}. received status code {reply.status}\n{reply.message()}")
        gha.info(f"\u2b06\ufe0f Uploaded {name}")
        uploaded.append(reply.json())
    gha.set_output("url", release.get("html_url", ""))
    gha.set_output("id", release.get("id", ""))
    gha.set_output("upload_url", release.get("upload_url", ""))
    gha.set_output("assets", json.dumps(uploaded))
    return 0


def main() -> int:
    try:
        return run()
    except Failure as exc:
        gha.fail(str(exc))


if __name__ == "__main__":
    gha.main(main)
