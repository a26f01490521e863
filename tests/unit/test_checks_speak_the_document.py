"""Checks decide from the document's rules, not from the bundled repository's incidental names."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from actspec.bdd import checks
from actspec.ledger import Entry
from actspec.model import JobRun, RunResult, RunSpec
from actspec.repository import platforms, scaffold
from actspec.repository import workflow as wf

pytestmark = pytest.mark.unit


def _result(jobs: list[JobRun], ledger: list[Entry]) -> RunResult:
    return RunResult(spec=RunSpec(workflow="ci"), repo=Path("."), run_id="r", jobs=jobs, ledger=ledger,
                     exit_code=0, started=0.0, finished=1.0)


def _commands(job: str, leg: str, *cmds: str, seq: int = 1) -> Entry:
    return Entry(seq=seq, at=0.0, kind="step.commands", subject="3", job=job, leg=leg, ok=True, details={"commands": list(cmds)})


def test_a_build_under_any_step_name_is_a_build() -> None:
    leg = JobRun("test-cli", "test-cli", {"platform": "linux"}, "success", ran=True)
    result = _result([leg], [_commands("test-cli", "platform=linux", "echo prepare", "go build -o bin/cog ./cmd/cog")])
    with pytest.raises(AssertionError, match="builds instead of reusing: it ran go build.*built once and reused"):
        checks.runs_no_build(result, "test-cli")


@pytest.mark.parametrize("command", ["go test ./...", "cargo test", "go run ./cmd/cog wheel-source",
                                     "mise run test:python", "pip install --no-index dist/cog-*.whl"])
def test_testing_and_installing_are_not_builds(command: str) -> None:
    leg = JobRun("test", "test", {}, "success", ran=True)
    checks.runs_no_build(_result([leg], [_commands("test", "", command)]), "test")


@pytest.mark.parametrize("command", ["python -m build --wheel", "uv build", "maturin build --release",
                                     "cargo build --release", "mise run build:sdk", "python crates/x/build_wheel.py"])
def test_build_commands(command: str) -> None:
    assert checks.BUILD_COMMAND.search(command)


def test_no_recorded_commands_is_no_evidence() -> None:
    leg = JobRun("test", "test", {}, "success", ran=True)
    with pytest.raises(AssertionError, match="recorded no command"):
        checks.runs_no_build(_result([leg], []), "test")


def test_the_recorder_keeps_first_runs_and_drops_its_own_lines() -> None:
    sys.path.insert(0, str(Path(checks.__file__).parent / "shims" / "_lib"))
    from actspec_shim import commands

    lines = ["trap 'x' DEBUG", "echo a", "echo a", "PYTHONPATH=/actspec/lib python3 -m actspec_shim.commands f", "", "b"]
    assert commands.distinct_commands(lines) == ["echo a", "b"]


def _workflow(tmp_path: Path, on: str) -> wf.Workflow:
    path = tmp_path / "ci.yaml"
    path.write_text(f"on:\n{on}\njobs:\n  a:\n    runs-on: x\n    steps: [{{run: 'true'}}]\n")
    return wf.load(path)


@pytest.mark.parametrize("on", ["  pull_request:\n  push: {branches: [main]}", "  pull_request: {branches: ['**']}",
                                "  pull_request: {types: [opened, synchronize]}"])
def test_all_pull_requests(tmp_path: Path, on: str) -> None:
    checks.runs_on_every_pull_request(_workflow(tmp_path, on))


@pytest.mark.parametrize("on, says", [("  pull_request: {branches: [main]}", "does not match PRs to develop"),
                                      ("  pull_request: {branches-ignore: [wip]}", "branches-ignore"),
                                      ("  push: {branches: [main]}", "no `pull_request` trigger")])
def test_narrowed_pull_requests_fail_with_the_rule(tmp_path: Path, on: str, says: str) -> None:
    with pytest.raises(AssertionError, match=f"{says}.*runs on all PRs|no `pull_request` trigger"):
        checks.runs_on_every_pull_request(_workflow(tmp_path, on))


def _setup_go(**details: object) -> Entry:
    return Entry(seq=1, at=0.0, kind="setup.go", subject="1.22", job="lint-go", leg="", ok=True, details=details)


def test_setup_go_default_key_is_the_document_s_cache() -> None:
    checks.setup_go_cache(_result([], [_setup_go(cache=True, cache_dependency_path=[], dependency_files=["go.sum"])]))


def test_setup_go_without_a_cache_fails_with_the_rule() -> None:
    with pytest.raises(AssertionError, match="cache off.*built into setup-go"):
        checks.setup_go_cache(_result([], [_setup_go(cache=False, dependency_files=[])]))
    with pytest.raises(AssertionError, match="no dependency file"):
        checks.setup_go_cache(_result([], [_setup_go(cache=True, dependency_files=[], cache_problem="not found")]))


def test_matrix_axis_comes_from_the_binding_name() -> None:
    legs = [JobRun("t", "t", {"python-version": v}, "success", ran=True) for v in ("3.10", "3.11")]
    checks.matrix_is(_result(legs, []), "t", "python-version", ["3.11", "3.10"], "python")
    with pytest.raises(AssertionError, match="no axis `python`.*its axes: python-version.*matrix_axes"):
        checks.matrix_is(_result(legs, []), "t", "python", ["3.10", "3.11"])
    with pytest.raises(AssertionError, match=r"one leg per python \(matrix axis `python-version`\) in \['3.12'\]; "
                                             r"act ran legs for \['3.10', '3.11'\]; the document: .* in SUPPORTED_PYTHONS"):
        checks.matrix_is(_result(legs, []), "t", "python-version", ["3.12"], "python")


def test_what_ran_is_judged_with_the_rule_in_the_message() -> None:
    legs = [JobRun(j, j, {}, "success", ran=True) for j in ("changes", "fmt-rust", "docs-check")]
    checks.ran_exactly(_result(legs, []), ["changes", "fmt-rust"], ("docs-check",), rule=checks.PATH_FILTERING)
    with pytest.raises(AssertionError, match=r"ran but should not: fmt-rust; the document: a job runs only when the files"):
        checks.ran_exactly(_result(legs, []), ["changes"], ("docs-check",), rule=checks.PATH_FILTERING)


def test_os_families() -> None:
    legs = [JobRun("t", "t", {"platform": v}, "success", ran=True) for v in ("ubuntu-24.04", "macos-14")]
    checks.os_families(_result(legs, []), "t", "platform", ["ubuntu", "macos"])
    with pytest.raises(AssertionError, match="should run on ubuntu and windows.*jobs table: Go tests run on ubuntu and macos"):
        checks.os_families(_result(legs, []), "t", "platform", ["ubuntu", "windows"])


def _cache(kind: str, job: str, *paths: str, saved: bool = True) -> Entry:
    details: dict = {"paths": list(paths), **({"saved": saved} if kind == "cache.save" else {"hit": False})}
    return Entry(seq=1, at=0.0, kind=kind, subject=f"{job}-key", job=job, leg="", ok=True, details=details)


RUST = ("/home/runner/.cargo/registry/index", "/run/actspec/work/k/k/crates/target")
PIP = ("/root/.cache/pip",)


def test_the_rust_cache_is_the_one_with_the_workspace_target() -> None:
    """A Rust job may cache other things too (pip, a linter's data); the Rust cache rule is
    about the entry holding the workspace's target directory ("Caching Strategy")."""
    legs = [JobRun("lint-rust", "lint-rust", {}, "success", ran=True)]
    result = _result(legs, [_cache("cache.restore", "lint-rust", *PIP), _cache("cache.restore", "lint-rust", *RUST),
                            _cache("cache.save", "lint-rust", *PIP)])
    checks.rust_cache_restored(result, ["lint-rust"], "crates -> target")
    checks.rust_cache_saves(result, "crates -> target", expect_saved=False)
    with pytest.raises(AssertionError, match="no job saved the Rust cache of crates/target"):
        checks.rust_cache_saves(result, "crates -> target", expect_saved=True)
    only_pip = _result(legs, [_cache("cache.restore", "lint-rust", *PIP), _cache("cache.save", "lint-rust", *RUST)])
    with pytest.raises(AssertionError, match="restored no cache with the workspace target crates/target"):
        checks.rust_cache_restored(only_pip, ["lint-rust"], "crates -> target")
    with pytest.raises(AssertionError, match="was saved by: lint-rust; the document: it is saved only on main"):
        checks.rust_cache_saves(only_pip, "crates -> target", expect_saved=False)


def test_a_refusal_is_judged_by_what_it_names_not_by_its_wording() -> None:
    """The repository words its errors as it likes; the refusal must name the tag and the branch."""
    leg = JobRun("verify-tag", "verify-tag", {}, "failure", ran=True,
                 log=["::error::v0.17.0 may only be released from main"])
    result = _result([leg], [])
    checks.job_log_names(result, "verify-tag", ["v0.17.0", "main"])
    with pytest.raises(AssertionError, match="does not name prerelease/"):
        checks.job_log_names(result, "verify-tag", ["v0.17.0", "prerelease/"])


# -- the release: platforms, assets and wheel sourcing read in the document's terms ----------

def _elf(machine: int) -> bytes:
    return b"\x7fELF\x02\x01\x01" + bytes(11) + machine.to_bytes(2, "little") + bytes(40)


MACHO_ARM64 = b"\xcf\xfa\xed\xfe" + (0x0100000C).to_bytes(4, "little") + bytes(40)


def _release(assets: dict[str, bytes]) -> dict:
    """A mock GitHub snapshot holding one draft for v2.3.1 with ``assets``."""
    return {"releases": {1: {"id": 1, "tag_name": "v2.3.1", "draft": True, "prerelease": False,
                             "assets": list(range(len(assets)))}},
            "assets": {i: {"name": name, "data": data} for i, (name, data) in enumerate(assets.items())}}


# Another repository's draft: goreleaser's default-ish names, manylinux_2_28 and macOS 12 tags,
# a checksums file of its own name.  It keeps every rule of "Release Workflow".
FAITHFUL = {"cog-Linux-x86_64": _elf(62), "cog-Linux-aarch64": _elf(183), "cog-Darwin-arm64": MACHO_ARM64,
            "cog_2.3.1_SHA256SUMS": b"abc  cog-Linux-x86_64\n",
            "coglet-2.3.1-cp310-abi3-manylinux_2_28_x86_64.whl": b"PK",
            "coglet-2.3.1-cp310-abi3-manylinux_2_28_aarch64.whl": b"PK",
            "coglet-2.3.1-cp310-abi3-macosx_12_0_arm64.whl": b"PK",
            "cog-2.3.1-py3-none-any.whl": b"PK", "cog-2.3.1.tar.gz": b"\x1f\x8b"}
ROWS = ["the CLI for linux x64", "the CLI for linux arm64", "the CLI for macos arm64",
        "coglet-2.3.1-cp310-abi3-*.whl for linux x64", "coglet-2.3.1-cp310-abi3-*.whl for linux arm64",
        "coglet-2.3.1-cp310-abi3-*.whl for macos arm64", "cog-2.3.1-py3-none-any.whl", "cog-2.3.1.tar.gz"]


@pytest.mark.parametrize(("text", "platform"), [
    ("linux-x64", "linux x64"), ("x86_64-unknown-linux-gnu", "linux x64"), ("aarch64-apple-darwin", "macos arm64"),
    ("darwin/arm64", "macos arm64"), ("manylinux_2_17_aarch64.manylinux2014_aarch64", "linux arm64"),
    ("cog_linux_amd64", "linux x64"), ("macos-14", None), ("ubuntu-latest", None), ("win_amd64", None)])
def test_a_platform_is_what_its_spelling_names(text: str, platform: str | None) -> None:
    found = platforms.spelled(text)
    assert (str(found) if found else None) == platform


def test_a_draft_with_other_names_keeps_the_release_rules() -> None:
    checks.draft_release_with(_release(FAITHFUL), "v2.3.1", ROWS)
    assert checks.cli_program(_release(FAITHFUL), "v2.3.1", "linux x64") == "cog-Linux-x86_64"


def test_a_cli_is_its_executable_not_its_name() -> None:
    """A program called ..._darwin_... that is an ELF for x86-64 is no macOS CLI."""
    draft = {**{k: v for k, v in FAITHFUL.items() if k != "cog-Darwin-arm64"}, "cog_darwin_arm64": _elf(62)}
    with pytest.raises(AssertionError, match=r"no single asset for \['the CLI for linux x64', 'the CLI for macos arm64'\]"
                                             r".*3 platforms, linux x64/arm64 and macos arm64"):
        checks.draft_release_with(_release(draft), "v2.3.1", ROWS)


def test_a_draft_without_a_platforms_wheel_breaks_the_rule() -> None:
    draft = {k: v for k, v in FAITHFUL.items() if "macosx" not in k}
    with pytest.raises(AssertionError, match=r"no single asset for \['coglet-2.3.1-cp310-abi3-\*.whl for macos arm64'\]"):
        checks.draft_release_with(_release(draft), "v2.3.1", ROWS)


def test_a_wheel_no_row_names_is_unexpected() -> None:
    draft = {**FAITHFUL, "coglet-2.3.1-cp310-abi3-win_amd64.whl": b"PK"}
    with pytest.raises(AssertionError, match=r"programs, wheels or sdists no row names: \['coglet-2.3.1-cp310-abi3-win_amd64"):
        checks.draft_release_with(_release(draft), "v2.3.1", ROWS)


def _legs(axis: str, values: list[str]) -> RunResult:
    return _result([JobRun("wheels", "wheels", {axis: v}, "success", ran=True) for v in values], [])


def test_platform_legs_under_another_axis_and_spelling() -> None:
    triples = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "aarch64-apple-darwin"]
    checks.legs_per_platform(_legs("target", triples), "wheels", "target", ["linux x64", "linux arm64", "macos arm64"])
    with pytest.raises(AssertionError, match=r"legs ran for the `target` values .*; the document \(\"Release Workflow\"\)"):
        checks.legs_per_platform(_legs("target", triples[:2]), "wheels", "target",
                                 ["linux x64", "linux arm64", "macos arm64"])
    with pytest.raises(AssertionError, match="no axis `platform` .* name the right one under `matrix_axes:`"):
        checks.legs_per_platform(_legs("target", triples), "wheels", "platform", ["linux x64"])


def test_init_finds_the_platform_axis_of_a_matrix_of_include_rows(tmp_path: Path) -> None:
    path = tmp_path / "release.yml"
    path.write_text("on: {push: {tags: ['v*']}}\njobs:\n  wheels:\n    runs-on: ubuntu-latest\n    strategy:\n"
                    "      matrix:\n        include:\n"
                    "          - {target: x86_64-unknown-linux-gnu, tag: manylinux_2_28_x86_64, runner: ubuntu-latest}\n"
                    "          - {target: aarch64-unknown-linux-gnu, tag: manylinux_2_28_aarch64, runner: ubuntu-latest}\n"
                    "          - {target: aarch64-apple-darwin, tag: macosx_12_0_arm64, runner: macos-14}\n"
                    "    steps: [{run: 'true'}]\n")
    starter = scaffold.Starter()
    scaffold.axes({"release-build": wf.load(path)}, starter)
    assert starter.matrix_axes == {"platform": "target"}
    assert not starter.undecided  # `tag` spells the same legs' platforms: one list, not a choice


def _sourcing(*answers: dict) -> RunResult:
    leg = JobRun("ask", "ask", {}, "success", ran=True, log=[f"wheel-source {json.dumps(a)}\n" for a in answers])
    return _result([leg], [])


ROW = {"cli": "released", "dist": "no wheel", "variable": "COG_WHEEL", "value": "(unset)", "setting": "",
       "source": "pypi", "spec": "cog==2.3.1rc1", "exit": 0}


def test_wheel_sourcing_answers_of_another_repository() -> None:
    """Version 2.3.1-rc1, a local wheel in /opt, a refusal in the CLI's own words: all faithful."""
    local = {**ROW, "cli": "dev", "value": "a local wheel file", "setting": "/opt/w/sdk.whl", "source": "file",
             "spec": "", "path": "/opt/w/sdk.whl"}
    dist = {**ROW, "cli": "dev", "dist": "a wheel", "source": "file", "spec": "", "path": "/src/dist/cog-2.3.1-py3-none-any.whl"}
    refused = {**ROW, "cli": "dev", "value": "dist", "source": "error", "spec": "", "error": "dist/ is empty", "exit": 2}
    result = _sourcing(ROW, local, dist, refused)
    row = {"variable": "COG_WHEEL", "version": "2.3.1-rc1"}
    checks.wheel_source(result, cli="released", dist="no wheel", value="(unset)", source="pypi", installs="cog==VERSION", **row)
    checks.wheel_source(result, cli="dev", dist="no wheel", value="a local wheel file", source="file",
                        installs="the local wheel file", **row)
    checks.wheel_source(result, cli="dev", dist="a wheel", value="(unset)", source="file", installs="dist/cog-*.whl", **row)
    checks.wheel_source(result, cli="dev", dist="no wheel", value="dist", source="error", installs="an error", **row)


def test_a_dev_cli_that_ignores_dist_breaks_the_rule() -> None:
    ignores = {**ROW, "cli": "dev", "dist": "a wheel", "spec": "cog"}
    rule = r"expected file; the document \(\"SDK Wheel Sourcing\"\): Dev CLI \(in repo\): Auto-detect"
    with pytest.raises(AssertionError, match=r"source is pypi .* " + rule):
        checks.wheel_source(_sourcing(ignores), cli="dev", dist="a wheel", variable="COG_WHEEL", value="(unset)",
                            source="file", installs="dist/cog-*.whl", version="2.3.1")


def test_a_wheel_source_line_without_a_key_names_it() -> None:
    broken = {k: v for k, v in ROW.items() if k != "source"}
    with pytest.raises(AssertionError, match=r"a wheel-source line has no .source.: .*docs/binding.md"):
        checks.wheel_sources(_sourcing(broken))


def test_pypi_receives_a_wheel_per_platform_by_its_tags() -> None:
    names = [n for n in FAITHFUL if n.startswith("coglet-")]
    uploads = [Entry(seq=i, at=0.0, kind="pypi.upload", subject=n, job="publish", leg="", ok=True,
                     details={"project": "coglet"}) for i, n in enumerate(names)]
    every = ["linux x64", "linux arm64", "macos arm64"]
    checks.pypi_received_for_platforms(_result([], uploads), "coglet-2.3.1-cp310-abi3-*.whl", every)
    with pytest.raises(AssertionError, match=r"none or several for macos arm64; .*3 platforms"):
        checks.pypi_received_for_platforms(_result([], uploads[:2]), "coglet-2.3.1-cp310-abi3-*.whl", every)
