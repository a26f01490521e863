"""A careless binding gets one line per mistake, naming file, line and key, before any scenario (issue 10.6, 12.2-3)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from actspec.errors import SetupError
from actspec.repository import binding
from actspec.tooling import preflight

CI = """\
name: CI
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: compile
        run: make
      - run: make test
  matrix:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14]
    steps:
      - run: true
"""
GOOD = """\
repository: o/r
workflows:
  ci: .github/workflows/ci.yaml
runners: [ubuntu-latest, macos-14]
"""


def repo(tmp_path: Path, bound: str, ci: str = CI) -> Path:
    (tmp_path / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text(ci)
    (tmp_path / "actspec.yaml").write_text(textwrap.dedent(bound))
    return tmp_path


def problems(tmp_path: Path, bound: str, ci: str = CI, roles: tuple[str, ...] = ("ci",)) -> list[str]:
    try:
        preflight.check_repository(repo(tmp_path, bound, ci), roles)
    except SetupError as exc:
        return str(exc).splitlines()
    return []


def test_a_good_binding_passes(tmp_path: Path) -> None:
    assert problems(tmp_path, GOOD) == []


def test_the_bundled_binding_passes() -> None:
    root = Path(__file__).parents[2] / "workflows_under_test"
    preflight.check_repository(root, ("ci", "codeql", "release-build", "release-publish", "wheel-sourcing"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("repository: [unclosed\n", "actspec.yaml:2: malformed YAML: expected ',' or ']'"),
        ("just a string\n", "actspec.yaml: the binding must be a mapping of keys (repository, workflows, ...), not a string"),
        (GOOD.replace("[ubuntu-latest, macos-14]", "5"), "actspec.yaml:4: runners: must be a list, not a number"),
        (GOOD + "default_branch: [main]\n", "actspec.yaml:5: default_branch: must be a string, not a list"),
        (GOOD + "changes:\n  go:\n    - {op: write, text: x}\n", "actspec.yaml:7: changes.go[0]: missing key 'path'"),
        (GOOD + "changes:\n  go:\n    - {path: a, op: rewrite}\n", "changes.go[0].op: must be one of write, append, replace, delete, not 'rewrite'"),
        (GOOD + "step_mocks:\n  m: {job: build}\n", "actspec.yaml:6: step_mocks.m: missing key 'run'"),
        (GOOD + "step_mocks:\n  m: {job: build, run: \"a\\nb\"}\n", "step_mocks.m.run: 'a\\nb' is not valid: a step mock's command must be one line"),
        (GOOD + "trusted_publisher:\n  pypi: {}\n", "actspec.yaml:5: trusted_publisher: unknown key 'trusted_publisher'; did you mean trusted_publishers?"),
        (GOOD + "trusted_publishers:\n  pypi:\n    cog: [{workflow: r.yaml, enviroment: pypi}]\n",
         "trusted_publishers.pypi.cog[0].enviroment: unknown key 'enviroment'; did you mean environment?"),
        ("workflows:\n  ci: .github/workflows/ci.yaml\n", "actspec.yaml: (top level): missing key 'repository'"),
        (GOOD.replace("o/r", "just-a-name"), "repository: 'just-a-name' is not valid: write it as owner/name"),
        (GOOD + "environments:\n  pypi: {tags: v*}\n", "environments.pypi.tags: must be a list, not a string"),
        (GOOD + "step_mocks:\n  \"-\": {job: build, run: x}\n", "step_mocks: '-' is not valid: a step mock's name must be one line"),
    ],
)
def test_shape_errors_are_one_line_with_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    [line] = problems(tmp_path, text)
    assert expected in line
    assert str(tmp_path / "actspec.yaml") in line


def test_every_shape_error_is_reported_at_once(tmp_path: Path) -> None:
    lines = problems(tmp_path, GOOD + "runner: [x]\nshims: 3\n")
    assert len(lines) == 2
    assert "did you mean runners?" in lines[0] and "shims: must be a mapping" in lines[1]


def test_a_role_the_scenarios_use_must_be_bound(tmp_path: Path) -> None:
    [line] = problems(tmp_path, GOOD, roles=("ci", "codeql"))
    assert "workflows: no role 'codeql', which the selected scenarios use" in line


def test_a_role_file_that_does_not_exist(tmp_path: Path) -> None:
    text = GOOD.replace("  ci: .github/workflows/ci.yaml\n", "  ci: .github/workflows/ci.yaml\n  codeql: .github/workflows/codeql.yml\n")
    [line] = problems(tmp_path, text)
    assert "actspec.yaml:4: workflows.codeql: .github/workflows/codeql.yml does not exist" in line


def test_unlisted_runs_on_labels(tmp_path: Path) -> None:
    [line] = problems(tmp_path, GOOD.replace(", macos-14", ""))
    assert "runners: ci.yaml runs on macos-14, which the binding does not list" in line


def test_dynamic_runs_on_must_be_covered(tmp_path: Path) -> None:
    ci = CI + "  dyn:\n    runs-on: ${{ fromJson(needs.build.outputs.os) }}\n    steps: [{run: 'true'}]\n"
    [line] = problems(tmp_path, GOOD, ci)
    assert "job 'dyn' has runs-on '${{ fromJson(needs.build.outputs.os) }}', which the kit cannot read" in line
    assert "dynamic_runs_on: {dyn: [ubuntu-latest]}" in line
    assert problems(tmp_path, GOOD + "dynamic_runs_on: {dyn: [ubuntu-latest]}\n", ci) == []


def test_mocked_jobs_and_steps_must_exist(tmp_path: Path) -> None:
    lines = problems(tmp_path, GOOD + "step_mocks:\n  a: {job: buidl, run: 'true'}\n  b: {job: build, step: nope, run: 'true'}\n"
                                      "  c: {job: build, step: 2, run: 'true'}\n  d: {job: build, step: compile, run: 'true'}\n")
    assert len(lines) == 2
    assert "step_mocks.a.job: no job 'buidl' in the bound workflows; did you mean build?" in lines[0]
    assert "step_mocks.b.step: job 'build' has no step 'nope' (ci.yaml has step ids compile and 3 steps): name a step id" in lines[1]


def test_every_missing_shim_is_one_line_with_a_snippet(tmp_path: Path) -> None:
    ci = CI.replace("      - run: make test\n", "      - id: rel\n        uses: acme/publish-release@v2\n"
                    "      - uses: some/linter@v1\n      - run: echo ${{ steps.rel.outputs.url }}\n")
    lines = problems(tmp_path, GOOD, ci)
    assert lines == [
        f"ci.yaml: acme/publish-release@v2 has no shim: declare a stand-in in {tmp_path / 'actspec.yaml'}, "
        "e.g. `standins: {acme/publish-release: {outputs: {url: ''}}}`",
        f"ci.yaml: some/linter@v1 has no shim: declare a stand-in in {tmp_path / 'actspec.yaml'}, "
        "e.g. `standins: {some/linter: {}}`",
    ]
    declared = GOOD + "standins:\n  acme/publish-release: {outputs: {url: 'https://x'}}\n  some/linter: {}\n"
    assert problems(tmp_path, declared, ci) == []


def test_a_stand_in_for_an_action_nobody_uses(tmp_path: Path) -> None:
    [line] = problems(tmp_path, GOOD + "standins:\n  some/linter: {}\n")
    assert "standins.some/linter: no bound workflow uses some/linter" in line


def test_a_shim_with_broken_yaml_is_named(tmp_path: Path) -> None:
    shim = tmp_path / "shims" / "mine"
    shim.mkdir(parents=True)
    (shim / "action.yml").write_text("runs: [unclosed\n")
    ci = CI.replace("      - run: make test\n", "      - uses: my/action@v1\n")
    [line] = problems(tmp_path, GOOD + "shims:\n  my/action: ./shims/mine\n", ci)
    assert f"{shim / 'action.yml'}:2: malformed YAML" in line and "ci.yaml uses for my/action@v1" in line


def test_load_gives_typed_stand_ins(tmp_path: Path) -> None:
    bound = binding.load(repo(tmp_path, GOOD + "standins:\n  a/b: {outputs: {x: '1'}, files: {f.txt: hi}, run: echo}\n  c/d:\n"))
    assert bound.standins["a/b"] == binding.StandIn(outputs={"x": "1"}, files={"f.txt": "hi"}, run="echo")
    assert bound.standins["c/d"] == binding.StandIn()
