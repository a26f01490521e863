"""github/codeql-action shims: they analyse nothing and record what was asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .shim_support import entries, write

pytestmark = pytest.mark.unit

INIT = "github/codeql-action/init/init.py"
AUTOBUILD = "github/codeql-action/autobuild/autobuild.py"
ANALYZE = "github/codeql-action/analyze/analyze.py"
UPLOAD = "github/codeql-action/upload-sarif/upload_sarif.py"


def test_init_records_languages_and_analyze_the_category(job, ledger):
    write(job.workspace, {".github/codeql-config.yml": "name: cfg\n"})
    r = job.run(INIT, {"languages": "go, python", "config-file": "./.github/codeql-config.yml"})
    assert r.code == 0, r.log
    [init] = entries(ledger, "codeql.init")
    assert init.details["languages"] == ["go", "python"] and init.job == "build"
    assert init.details["config_file"] == "./.github/codeql-config.yml"
    assert job.run(AUTOBUILD).code == 0
    a = job.run(ANALYZE, {"category": "/language:go"})
    assert a.code == 0, a.log
    [analyze] = entries(ledger, "codeql.analyze")
    assert analyze.subject == "/language:go" and analyze.details["languages"] == ["go", "python"]
    assert analyze.details["upload"] == "always"
    sarif = Path(a.outputs["sarif-output"]) / "go.sarif"
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert [e.kind for e in ledger] == ["codeql.init", "codeql.autobuild", "codeql.analyze"]


def test_language_aliases(job, ledger):
    assert job.run(INIT, {"languages": "typescript c++ kotlin"}).code == 0
    assert entries(ledger, "codeql.init")[0].details["languages"] == ["javascript", "cpp", "java"]


def test_unknown_language(job, ledger):
    r = job.run(INIT, {"languages": "go,php"})
    assert r.code == 1 and r.errors() == ["Did not recognize the following languages: php"]
    assert entries(ledger, "codeql.init") == []


def test_missing_config_file(job):
    r = job.run(INIT, {"languages": "go", "config-file": "./.github/codeql-config.yml"})
    assert r.code == 1
    assert r.errors() == [f'The configuration file "{job.workspace}/.github/codeql-config.yml" does not exist']


def test_analyze_without_init(job, ledger):
    r = job.run(ANALYZE, {"category": "/language:go"})
    assert r.code == 1
    assert r.errors() == ["Config file could not be found at expected location. Has the 'init' action been called?"]
    assert entries(ledger, "codeql.analyze") == []


def test_upload_sarif(job, ledger):
    write(job.workspace, {"results.sarif": "{}"})
    assert job.run(UPLOAD, {"sarif_file": "results.sarif", "category": "x"}).code == 0
    assert entries(ledger, "codeql.upload-sarif")[0].details["sarif_file"] == "results.sarif"
    r = job.run(UPLOAD, {"sarif_file": "missing.sarif"})
    assert r.code == 1 and r.errors() == ["Path does not exist: missing.sarif"]
