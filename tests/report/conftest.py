"""A built copy of the synthetic report data under ``tests/report/data/``.

``data/results`` holds two act runs (a CI push with an injected failure, a skipped job, a
matrix and artifacts; a release publish with OIDC, registry and release ledger entries and
a cancelled job) and a ``tests.json`` with one failed scenario.  The CI run's ``spec.repo``
is ``@REPO@``, replaced by the copied fixture repository so the graph reads its ``needs``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from actspec.report import Built, build

DATA = Path(__file__).parent / "data"
RUN_CI = "5eed00c1a0000001-a1b2c3"
RUN_RELEASE = "5eed00c1b0000002-d4e5f6"
# Every scenario of the synthetic features, as rendered (outline rows with their values).
SCENARIOS = [
    "Skipped jobs count as passing for the gate",
    "A failed build fails the gate",
    "A push to another branch does not run CI",
    "test-python runs on Python 3.10",
    "test-python runs on Python 3.11",
    "test-python runs on Python 3.12",
    "coglet reaches PyPI and crates.io before the SDK",
    "A pre-release is published as a pre-release",
]


@dataclass
class Site:
    root: Path
    built: Built

    @property
    def index(self) -> Path:
        return self.built.index

    @property
    def html(self) -> str:
        return self.built.index.read_text()

    def run_page(self, run_id: str) -> Path:
        return self.built.index.parent / "runs" / f"{run_id}.html"


def make_site(tmp: Path) -> Site:
    root = tmp / "fixture"
    shutil.copytree(DATA, root)
    for path in (root / "results").glob("*.json"):
        path.write_text(path.read_text().replace("@REPO@", str(root / "repo")))
    built = build(root / "results", tmp / "report" / "site", features_dir=root / "features", docs_dir=root / "docs",
                  generated=1795800000.0)
    return Site(root, built)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return make_site(tmp_path_factory.mktemp("report"))
