"""Mocks that real (or careless) clients could break answer as the real service does."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from ghrules.artifacts import MAX_NAME as MAX_ARTIFACT_NAME
from ghrules.artifacts import artifact_name_error

from actspec.ledger import Ledger, select
from actspec.services.github import asset_name
from actspec.services.host import ServiceHost
from actspec.services.kit import KitService
from actspec.services.pypi import PyPIService
from actspec.services.pypi_rules import ONE_MIB
from tests.unit.services.conftest import Stack
from tests.unit.services.support import build_wheel, upload_form


def _draft(stack: Stack) -> int:
    r = requests.post(stack.base("github") + "/repos/replicate/cog/releases",
                      json={"tag_name": "v0.17.0", "draft": True},
                      headers={"Authorization": f"Bearer {stack.github.token}"}, timeout=10)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_a_stalled_upload_blocks_no_other_releases_call(stack: Stack) -> None:
    rid = _draft(stack)
    url = urlsplit(stack.base("github"))
    stalled = socket.create_connection((url.hostname, url.port), timeout=10)
    try:
        stalled.sendall((f"POST {url.path}/uploads/repos/replicate/cog/releases/{rid}/assets?name=cog HTTP/1.1\r\n"
                         f"Host: {url.netloc}\r\nAuthorization: Bearer {stack.github.token}\r\n"
                         "Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\npartial").encode())
        time.sleep(0.3)  # the server is now reading a body that will not come
        started = time.monotonic()
        r = requests.get(stack.base("github") + "/repos/replicate/cog/releases",
                         headers={"Authorization": f"Bearer {stack.github.token}"}, timeout=5)
        assert r.status_code == 200 and time.monotonic() - started < 2
    finally:
        stalled.close()


@pytest.mark.parametrize(("requested", "stored"), [
    ("cog_linux_amd64", "cog_linux_amd64"),
    ("coglet-0.17.0-cp310-abi3-manylinux_2_17_x86_64.whl", "coglet-0.17.0-cp310-abi3-manylinux_2_17_x86_64.whl"),
    ("../../etc/passwd", "etc.passwd"),
    ("dist/cog_linux_amd64", "dist.cog_linux_amd64"),
    ("my file (1).txt", "my.file.1.txt"),
    (".hidden.", "hidden"),
    ("a\\b", "a.b"),
    ("..", ""),
])
def test_asset_names_are_renamed_as_github_does(requested: str, stored: str) -> None:
    assert asset_name(requested) == stored


def test_an_asset_named_with_a_path_is_stored_renamed_and_an_empty_one_refused(stack: Stack) -> None:
    rid = _draft(stack)
    auth = {"Authorization": f"Bearer {stack.github.token}", "Content-Type": "application/octet-stream"}
    base = stack.base("github") + f"/uploads/repos/replicate/cog/releases/{rid}/assets"
    r = requests.post(base, params={"name": "../dist/cog"}, data=b"x", headers=auth, timeout=10)
    assert r.status_code == 201 and r.json()["name"] == "dist.cog"
    r = requests.post(base, params={"name": "../"}, data=b"x", headers=auth, timeout=10)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "invalid"
    assert [e.subject for e in select(stack.ledger, "release.asset", ok=True)] == ["v0.17.0/dist.cog"]


def _crate_body(meta: dict[str, object]) -> bytes:
    raw = json.dumps(meta).encode()
    return struct.pack("<I", len(raw)) + raw + struct.pack("<I", 0)


@pytest.mark.parametrize(("field", "value", "says"), [
    ("description", 5, "invalid type: integer `5`, expected a string"),
    ("license", ["MIT"], "invalid type: sequence, expected a string"),
    ("keywords", "cli", 'invalid type: string "cli", expected a sequence'),
    ("authors", [1], "invalid type: integer `1`, expected a string"),
    ("features", [], "invalid type: sequence, expected a map"),
    ("deps", {}, "invalid type: map, expected a sequence"),
    ("deps", [{"name": "serde", "optional": "no"}], 'invalid type: string "no", expected a boolean'),
    ("deps", ["serde"], 'invalid type: string "serde", expected struct EncodableCrateDependency'),
    ("name", 5, "invalid type: integer `5`, expected a string"),
    ("vers", None, "invalid type: null, expected a string"),
    ("rust_version", 1.7, "invalid type: floating point `1.7`, expected a string"),
])
def test_crates_metadata_of_the_wrong_type_is_400_with_a_detail(stack: Stack, field: str, value: object,
                                                                 says: str) -> None:
    meta = {"name": "coglet", "vers": "0.17.0", "description": "d", "license": "MIT", field: value}
    r = requests.put(stack.base("crates") + "/api/v1/crates/new", data=_crate_body(meta),
                     headers={"Authorization": stack.crates.mint_token("coglet")}, timeout=10)
    assert r.status_code == 400, r.text
    [error] = r.json()["errors"]
    assert error["detail"] == f"invalid upload request: {says}"


def test_pypi_refuses_a_file_over_the_limit_with_warehouses_words(tmp_path: Path) -> None:
    ledger = Ledger()
    pypi = PyPIService(ledger, file_size_limit=ONE_MIB)
    host = ServiceHost([pypi]).start()
    try:
        noise = base64.b64encode(os.urandom(2 * ONE_MIB)).decode()  # stays over 1 MiB once zipped
        wheel = build_wheel(tmp_path, "cog", "0.17.0", payload=f"# {noise}")
        fields, files = upload_form(wheel)
        r = requests.post(host.base_url("pypi") + "/legacy/", data=fields, files=files,
                          auth=("__token__", pypi.mint_token("cog")), timeout=30)
    finally:
        host.stop()
    assert r.status_code == 400
    assert r.reason == ("File too large. Limit for project 'cog' is 1 MB. See https://pypi.org/help/#file-size-limit "
                        "for more information.")
    assert pypi.files() == [] and select(ledger, "pypi.upload")[0].ok is False


@pytest.mark.parametrize("name", ["..", "a..b", "nul\x00byte", "bell\x07", "x" * (MAX_ARTIFACT_NAME + 1),
                                  'q"uote', "co:lon", "l<t", "g>t", "p|ipe", "st*r", "qu?", "cr\r", "lf\n", "back\\",
                                  "sl/ash", ""])
def test_kit_artifacts_refuse_what_upload_artifact_v4_refuses(tmp_path: Path, name: str) -> None:
    assert artifact_name_error(name)
    ledger = Ledger()
    kit = KitService(ledger, workdir=tmp_path)
    host = ServiceHost([kit]).start()
    try:
        url = host.base_url("kit") + "/artifacts/" + requests.utils.quote(name, safe="")
        r = requests.put(url, data=b"", timeout=10)
    finally:
        host.stop()
        kit.close()
    assert r.status_code in (400, 404, 405), r.text  # an empty name does not even route
    assert kit.artifacts() == {}


def test_an_ordinary_artifact_name_is_fine() -> None:
    assert artifact_name_error("wheel-coglet-linux-x86_64.v1") is None
    assert artifact_name_error("x" * MAX_ARTIFACT_NAME) is None


def test_many_concurrent_records_lose_nothing(tmp_path: Path) -> None:
    ledger = Ledger()
    kit = KitService(ledger, workdir=tmp_path)
    host = ServiceHost([kit]).start()
    try:
        def post(i: int) -> None:
            requests.post(host.base_url("kit") + "/record", json={"kind": "setup.go", "subject": str(i)}, timeout=10)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(60)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        host.stop()
        kit.close()
    assert sorted(int(e.subject) for e in ledger) == list(range(60))
