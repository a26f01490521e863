"""Structure mode's plan, read from the workflow YAML (no act)."""

from __future__ import annotations

from pathlib import Path

import pytest

from actspec.repository import structure
from actspec.repository import workflow as wf

pytestmark = pytest.mark.unit

BUNDLED_CI = Path(__file__).resolve().parents[2] / "workflows_under_test" / ".github" / "workflows" / "ci.yaml"


@pytest.mark.parametrize("pattern, placeholder", [
    ("dist/cog-*.whl", "dist/cog-actspec.whl"),
    ("dist/coglet-*-cp310-abi3-*.whl", "dist/coglet-actspec-cp310-abi3-actspec.whl"),
    ("**/report.xml", "report.xml"),
    ("out/", "out/actspec-placeholder"),
    ("dist/v?.[0-9].tar.gz", "dist/vx.0.tar.gz"),
    ("!dist/*.txt", None),
    ("${{ env.OUT }}/x", None),
])
def test_placeholder_matches_the_declared_path(pattern: str, placeholder: str | None) -> None:
    assert structure.placeholder_for(pattern) == placeholder


def test_bundled_ci_plan_keeps_the_gate_and_change_detection() -> None:
    plan = structure.plan(wf.load(BUNDLED_CI))
    assert plan.jobs["ci-complete"].real
    assert plan.jobs["changes"].kept_steps == ("pythons", "filter")
    assert plan.jobs["build-sdk"].placeholders == ("dist/cog-actspec.whl", "dist/cog-actspec.tar.gz")
    assert plan.jobs["build-rust"].placeholders == ("dist/coglet-actspec-cp310-abi3-actspec.whl",)
    rows = plan.mock_rows()
    assert ("changes", "filter", structure.KEEP) in rows
    assert not [r for r in rows if r[0] == "ci-complete"]
    stub = next(cmd for job, step, cmd in rows if job == "build-sdk" and step == structure.TOP_LEVEL_RUN)
    assert ": > dist/cog-actspec.whl" in stub and stub.endswith("exit 0")


def test_an_upload_of_an_expression_path_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n"
                    "      - uses: actions/upload-artifact@v4\n        with: {name: a, path: '${{ env.OUT }}'}\n")
    with pytest.raises(structure.StructureError, match="job `b` uploads"):
        structure.plan(wf.load(path))
