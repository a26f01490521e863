"""Static checks of every shim's action.yml: it parses, and what it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .shim_support import SHIMS

pytestmark = pytest.mark.unit

# the shims this suite is about (other shims in the tree have their own tests)
SHIM_DIRS = (
    "actions/upload-artifact", "actions/download-artifact", "Swatinem/rust-cache", "actions/setup-go",
    "actions/setup-python", "actions/setup-node", "astral-sh/setup-uv", "jdx/mise-action",
    "dtolnay/rust-toolchain", "actions-rust-lang/setup-rust-toolchain", "github/codeql-action/init",
    "github/codeql-action/analyze", "github/codeql-action/autobuild", "github/codeql-action/upload-sarif",
)
ACTIONS = [SHIMS / d / "action.yml" for d in SHIM_DIRS]
INPUT_REF = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")
STEP_OUTPUT = re.compile(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}")
SCRIPT = re.compile(r'python3 "\$GITHUB_ACTION_PATH/([\w.-]+\.py)"')


def ids(paths):  # type: ignore[no-untyped-def]
    return [str(p.parent.relative_to(SHIMS)) for p in paths]


def test_the_expected_shims_exist():
    missing = [str(a) for a in ACTIONS if not a.is_file()]
    assert not missing


@pytest.mark.parametrize("action", ACTIONS, ids=ids(ACTIONS))
def test_action_yml(action: Path):
    meta = yaml.safe_load(action.read_text())
    inputs = meta.get("inputs") or {}
    runs = meta["runs"]
    readme = action.parent / "README.md"
    if not readme.exists():
        readme = action.parent.parent / "README.md"
    assert readme.exists(), f"{action.parent} has no README.md"
    assert action.parent.name in readme.read_text() or action.parent.parent.name in readme.read_text()

    text = action.read_text()
    assert "matrix." not in text, "composite actions do not see the matrix context in act"
    for name in INPUT_REF.findall(text):
        assert name in inputs, f"{action}: ${{{{ inputs.{name} }}}} is not a declared input"

    if runs["using"] == "composite":
        steps = runs["steps"]
        step_ids = {s.get("id") for s in steps}
        for step in steps:
            assert step.get("shell") == "bash"
            scripts = SCRIPT.findall(step["run"])
            assert scripts, f"{action}: step does not run a script beside the action"
            for script in scripts:
                assert (action.parent / script).is_file()
            assert step["env"]["PYTHONPATH"] == "/actspec/lib"
        for name, out in (meta.get("outputs") or {}).items():
            for step_id, _out in STEP_OUTPUT.findall(out["value"]):
                assert step_id in step_ids, f"{action}: output {name} names unknown step {step_id}"
    else:
        assert runs["using"] == "node20"
        for key in ("main", "post"):
            if key in runs:
                assert (action.parent / runs[key]).is_file()
                entry = (action.parent / runs[key]).read_text()
                for script in re.findall(r'exec\.js"\)\(__dirname, "([\w.-]+)"\)', entry):
                    assert (action.parent / script).is_file(), f"{action}: {runs[key]} runs a missing {script}"
        if "post" in runs:
            assert runs["post-if"].startswith("success()"), f"{action}: the real action's post step runs on success"
        for name, out in (meta.get("outputs") or {}).items():
            assert "value" not in out, f"{action}: a JavaScript action's output {name} comes from $GITHUB_OUTPUT"

