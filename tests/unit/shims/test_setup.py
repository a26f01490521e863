"""setup-* shims: they record the request and expose the image's tools (fakes here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from actspec.tooling import provision

from .shim_support import CONTAINER, entries, write

pytestmark = pytest.mark.unit

FAKE_TOOLS = {
    "go": """#!/bin/sh
case "$1" in
  version) echo "go version go1.19.8 linux/amd64" ;;
  env) echo '{"GOPATH": "'"$HOME"'/go", "GOROOT": "/usr/lib/go", "GOCACHE": "/c", "GOMODCACHE": "/m"}' ;;
esac
""",
    "node": "#!/bin/sh\necho v18.20.4\n",
    "rustc": "#!/bin/sh\nif [ \"$1\" = -vV ]; then echo 'rustc 1.85.0 (4d91de4e4 2025-02-17)'; "
             "echo 'commit-hash: 4d91de4e48198da2e33413efdcd9cd2cc0c46688'; echo 'commit-date: 2025-02-17'; "
             "echo 'host: x86_64-unknown-linux-gnu'; echo 'release: 1.85.0'; else echo 'rustc 1.85.0 (4d91de4e4 2025-02-17)'; fi\n",
    "cargo": "#!/bin/sh\nif [ \"$1\" = fmt ]; then echo 'rustfmt 1.8.0'; exit 0; fi\n"
             "if [ \"$1\" = clippy ]; then echo \"error: no such command: clippy\" >&2; exit 101; fi\n"
             "echo 'cargo 1.85.0'\n",
}


@pytest.fixture
def tooljob(job):  # type: ignore[no-untyped-def]
    fakebin = job.root / "fakebin"
    write(fakebin, FAKE_TOOLS)
    for name in FAKE_TOOLS:
        os.chmod(fakebin / name, 0o755)
    # python3 stays reachable (the shims run with it), uv/rustup must not be found
    job.extra_env["PATH"] = f"{fakebin}:{Path(os.__file__).parents[2] / 'bin'}:/usr/bin:/bin"
    return job


def only(ledger, kind):  # type: ignore[no-untyped-def]
    found = entries(ledger, kind)
    assert len(found) == 1, found
    return found[0]


def test_setup_go_version_file_and_cache_dependency_path(tooljob, ledger):
    write(tooljob.workspace, {"go.mod": "module x\n\ngo 1.24.0\n\ntoolchain go1.24.4\n", "go.sum": "x h1:abc\n"})
    r = tooljob.run("actions/setup-go/setup_go.py", {"go-version-file": "go.mod", "cache-dependency-path": "go.sum"})
    assert r.code == 0, r.log
    assert r.outputs["go-version"] == "1.19.8" and r.outputs["cache-hit"] == "false"
    assert r.env["GOTOOLCHAIN"] == "local"
    assert r.path == [str(tooljob.home / "go" / "bin")]
    e = only(ledger, "setup.go")
    assert e.subject == "1.24.4" and e.job == "build" and e.details["container"] == CONTAINER
    assert e.details["version_file"] == "go.mod" and e.details["provided"] == "1.19.8"
    assert e.details["matches"] is False
    assert e.details["cache"] is True and e.details["dependency_files"] == ["go.sum"]


def test_setup_go_missing_version_file(tooljob):
    r = tooljob.run("actions/setup-go/setup_go.py", {"go-version-file": "go.mod"})
    assert r.code == 1
    assert r.errors() == ["The specified go version file at: go.mod does not exist"]


def test_setup_go_unresolved_dependency_path_warns(tooljob, ledger):
    r = tooljob.run("actions/setup-go/setup_go.py", {"go-version": "1.19", "cache-dependency-path": "nope/go.sum"})
    assert r.code == 0, r.log
    assert r.warnings() == ["Restore cache failed: Some specified paths were not resolved, unable to cache dependencies."]
    assert only(ledger, "setup.go").details["matches"] is True


def test_setup_python_records_and_exposes_image_python(tooljob, ledger):
    r = tooljob.run("actions/setup-python/setup_python.py", {"python-version": "3.13"})
    assert r.code == 0, r.log
    e = only(ledger, "setup.python")
    assert e.subject == "3.13" and e.details["requested"] == ["3.13"]
    assert e.details["provided"] == r.outputs["python-version"]
    bindir = Path(r.path[0])
    assert (bindir / "python").is_symlink()
    assert r.outputs["python-path"] == str(bindir / "python")
    assert r.env["PIP_BREAK_SYSTEM_PACKAGES"] == "1"
    assert "installs nothing here" in r.stdout


def test_setup_python_pip_cache_needs_a_requirements_file(tooljob):
    r = tooljob.run("actions/setup-python/setup_python.py", {"python-version": "3.11", "cache": "pip"})
    assert r.code == 1
    assert r.errors()[0].startswith(f"No file in {tooljob.workspace} matched to [**/requirements.txt,**/pyproject.toml]")


def test_setup_node(tooljob, ledger):
    r = tooljob.run("actions/setup-node/setup_node.py", {"node-version": "20", "registry-url": "https://registry.npmjs.org"})
    assert r.code == 0, r.log
    assert r.outputs["node-version"] == "v18.20.4"
    e = only(ledger, "setup.node")
    assert e.subject == "20" and e.details["matches"] is False
    npmrc = Path(r.env["NPM_CONFIG_USERCONFIG"]).read_text()
    assert "//registry.npmjs.org/:_authToken=${NODE_AUTH_TOKEN}" in npmrc


@pytest.mark.skipif(not provision.runner_tool("uv").is_file(),
                    reason="uv is not provisioned: `python -m actspec.tooling.provision uv`")
def test_setup_uv_puts_the_pinned_real_uv_on_path_offline(tooljob, ledger, tmp_path):
    tooljob.extra_env["ACTSPEC_TOOLS"] = str(provision.RUNNER_TOOLS)
    venv = tmp_path / "proj"
    venv.mkdir()
    r = tooljob.run("astral-sh/setup-uv/setup_uv.py", {"version": "0.9.26", "python-version": "3.11",
                                                        "enable-cache": "true", "activate-environment": "true",
                                                        "working-directory": str(venv)})
    assert r.code == 0, r.log
    assert f"uv 0.9.26 was requested; the kit's pinned uv {provision.UV_VERSION} is used" in r.stdout
    assert r.env["UV_PYTHON"] == "3.11" and r.env["UV_OFFLINE"] == "1" and r.env["UV_PYTHON_DOWNLOADS"] == "never"
    assert r.path[0] == str(provision.runner_tool("uv").parent)
    assert r.outputs["uv-version"] == provision.UV_VERSION and (venv / ".venv" / "bin" / "python").exists()
    e = only(ledger, "setup.uv")
    assert e.subject == "0.9.26" and e.details["provided"] == provision.UV_VERSION and e.details["matches"] is False


def test_setup_uv_without_the_provisioned_uv_fails_in_one_line(tooljob, tmp_path):
    tooljob.extra_env["ACTSPEC_TOOLS"] = str(tmp_path / "none")
    r = tooljob.run("astral-sh/setup-uv/setup_uv.py")
    assert r.code == 1
    assert r.errors() == [f"actspec: uv is not provisioned at {tmp_path / 'none'}/uv/bin: run `make setup` on the host"]


def test_dtolnay_toolchain_from_ref_and_components(tooljob, ledger):
    r = tooljob.run("dtolnay/rust-toolchain/rust_toolchain.py", {"components": "rustfmt, clippy"},
                    env={"GITHUB_ACTION_REF": "stable"})
    assert r.code == 0, r.log
    assert r.outputs["cachekey"] == "202502174d91" and r.outputs["name"] == "1.85.0"
    e = only(ledger, "setup.rust")
    assert e.subject == "stable" and e.details["toolchain_from"] == "ref"
    assert e.details["components"] == ["rustfmt", "clippy"]
    assert e.details["missing_components"] == ["clippy"]
    assert e.details["rustup"] == "stand-in"
    assert r.env["CARGO_INCREMENTAL"] == "0"
    rustup = next(Path(p) / "rustup" for p in r.path if (Path(p) / "rustup").exists())
    import subprocess

    out = subprocess.run([str(rustup), "default", "stable"], capture_output=True, text=True,
                         env={**os.environ, "PATH": tooljob.extra_env["PATH"]})
    assert out.returncode == 0 and "default toolchain set to 'stable-x86_64-unknown-linux-gnu'" in out.stderr


def test_dtolnay_needs_a_toolchain_on_master(tooljob):
    r = tooljob.run("dtolnay/rust-toolchain/rust_toolchain.py", {}, env={"GITHUB_ACTION_REF": "master"})
    assert r.code == 1 and r.errors() == ["Input required and not supplied: toolchain"]


def test_dtolnay_explicit_version(tooljob, ledger):
    r = tooljob.run("dtolnay/rust-toolchain/rust_toolchain.py", {"toolchain": "1.85"}, env={"GITHUB_ACTION_REF": "master"})
    assert r.code == 0, r.log
    assert only(ledger, "setup.rust").details["matches"] is True


def test_setup_go_restores_and_saves_the_go_caches(tooljob, ledger, tmp_path):
    """A miss restores nothing and the post step saves GOMODCACHE and GOCACHE; the next job
    with the same go.sum restores them (files back in place) and does not save again."""
    gomod, gocache = tmp_path / "gomod", tmp_path / "gocache"
    fake_go = FAKE_TOOLS["go"].replace('"/c"', f'"{gocache}"').replace('"/m"', f'"{gomod}"')
    write(tooljob.root / "fakebin", {"go": fake_go})
    write(tooljob.workspace, {"go.mod": "module x\n\ngo 1.19\n", "go.sum": "x h1:abc\n"})
    first = tooljob.run("actions/setup-go/setup_go.py", {"go-version": "1.19"}, env={"ImageOS": "ubuntu20"})
    assert first.code == 0, first.log
    assert first.outputs["cache-hit"] == "false" and "Cache is not found" in first.stdout
    key = first.state["CACHE_KEY"]
    assert key.startswith("setup-go-Linux-x64-") and "-go-1.19.8-" in key
    assert "ubuntu20" not in key  # act's ImageOS is the first leg's label (F16); the key names the image

    write(gomod, {"cache/download/x/@v/v1.0.0.zip": "module zip"})
    write(gocache, {"ab/abcdef-d": "compiled"})
    saved = tooljob.run("actions/setup-go/post.py")
    assert saved.code == 0, saved.log
    [entry] = entries(ledger, "cache.save")
    assert entry.ok and entry.subject == key

    (gomod / "cache/download/x/@v/v1.0.0.zip").unlink()
    second = tooljob.run("actions/setup-go/setup_go.py", {"go-version": "1.19"}, env={"ImageOS": "macoslatest"})
    assert second.code == 0, second.log
    assert second.outputs["cache-hit"] == "true" and second.state["CACHE_KEY"] == key
    assert (gomod / "cache/download/x/@v/v1.0.0.zip").read_text() == "module zip"
    again = tooljob.run("actions/setup-go/post.py")
    assert f"Cache hit occurred on the primary key {key}, not saving cache." in again.stdout
    assert len(entries(ledger, "cache.save")) == 1
def test_install_action_uses_the_images_tools(tooljob, ledger):
    r = tooljob.run("taiki-e/install-action/install_action.py", {"tool": "cargo@1.85, go"})
    assert r.code == 0, r.log
    cargo = only(ledger, "setup.cargo")
    assert (cargo.subject, cargo.details["provided"], cargo.details["matches"]) == ("1.85", "1.85.0", True)
    assert only(ledger, "setup.go").details["requested"] is None


def test_install_action_names_a_tool_the_image_lacks(tooljob):
    r = tooljob.run("taiki-e/install-action/install_action.py", {"tool": "cargo-nextest"})
    assert r.code == 1
    assert r.errors()[0].startswith("actspec shim: cargo-nextest not in the runner image")


def test_install_action_reads_the_tool_from_its_ref(tooljob, ledger):
    r = tooljob.run("taiki-e/install-action/install_action.py", env={"GITHUB_ACTION_REF": "cargo"})
    assert r.code == 0, r.log
    assert only(ledger, "setup.cargo").subject == ""
