"""The github/codeql-action shims: init, autobuild, analyze, upload-sarif.

They analyse nothing.  ``init`` checks its inputs the way the real action does (unknown
languages, a missing config file), records ``codeql.init`` and leaves its configuration in
``$RUNNER_TEMP`` for the later steps; ``autobuild``, ``analyze`` and ``upload-sarif`` fail
like the real ones when ``init`` did not run, and record ``codeql.autobuild``,
``codeql.analyze`` and ``codeql.upload-sarif``.  ``analyze`` writes an empty SARIF log per
language so that steps reading the output find a valid file.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from actspec_shim import gha, kit

NO_INIT = "Config file could not be found at expected location. Has the 'init' action been called?"
LANGUAGE_ALIASES = {
    "c": "cpp",
    "c++": "cpp",
    "c-cpp": "cpp",
    "cpp": "cpp",
    "c#": "csharp",
    "csharp": "csharp",
    "java": "java",
    "kotlin": "java",
    "java-kotlin": "java",
    "javascript": "javascript",
    "typescript": "javascript",
    "javascript-typescript": "javascript",
    "go": "go",
    "python": "python",
    "ruby": "ruby",
    "rust": "rust",
    "swift": "swift",
    "actions": "actions",
}


def config_path() -> str:
    return os.path.join(gha.temp_dir(), "actspec-codeql", "config.json")


def parse_languages(text: str) -> tuple[list[str], list[str]]:
    """(canonical languages in input order, unrecognised entries)."""
    langs: list[str] = []
    unknown: list[str] = []
    for raw in re.split(r"[\s,]+", text or ""):
        name = raw.strip().lower()
        if not name:
            continue
        canonical = LANGUAGE_ALIASES.get(name)
        if canonical is None:
            unknown.append(raw.strip())
        elif canonical not in langs:
            langs.append(canonical)
    return langs, unknown


def load_config() -> dict[str, Any]:
    try:
        with open(config_path(), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        gha.fail(NO_INIT)


def init() -> int:
    languages_input = gha.get_input("languages")
    languages, unknown = parse_languages(languages_input)
    if unknown:
        gha.fail(f"Did not recognize the following languages: {', '.join(unknown)}")
    if not languages:
        gha.fail(
            "Did not detect any languages to analyze. Please update input in workflow or check that GitHub "
            "detects the correct languages in your repository."
        )
    config_file = gha.get_input("config-file")
    resolved_config = None
    if config_file:
        if re.match(r"^[^/\s]+/[^/\s]+/.+@.+$", config_file):
            resolved_config = config_file  # a remote config: recorded, not fetched
        else:
            ws = gha.workspace()
            resolved_config = os.path.normpath(os.path.join(ws, config_file))
            if not (resolved_config + os.sep).startswith(ws.rstrip(os.sep) + os.sep):
                gha.fail(f'The configuration file "{resolved_config}" is outside of the workspace')
            if not os.path.exists(resolved_config):
                gha.fail(f'The configuration file "{resolved_config}" does not exist')
    details = {
        "languages": languages,
        "languages_input": languages_input,
        "queries": gha.get_input("queries") or None,
        "packs": gha.get_input("packs") or None,
        "config_file": config_file or None,
        "build_mode": gha.get_input("build-mode") or None,
        "tools": gha.get_input("tools") or None,
        "source_root": gha.get_input("source-root") or None,
    }
    os.makedirs(os.path.dirname(config_path()), exist_ok=True)
    with open(config_path(), "w", encoding="utf-8") as fh:
        json.dump(details, fh)
    kit.record("codeql.init", ",".join(languages), details)
    gha.info(f"actspec: CodeQL is not run; languages {', '.join(languages)} recorded")
    gha.set_output("codeql-path", "")
    gha.set_output("codeql-version", "0.0.0-actspec")
    return 0


def autobuild() -> int:
    cfg = load_config()
    kit.record("codeql.autobuild", ",".join(cfg["languages"]), {
        "languages": cfg["languages"],
        "working_directory": gha.get_input("working-directory") or None,
    })
    gha.info("actspec: CodeQL autobuild builds nothing")
    return 0


def analyze() -> int:
    cfg = load_config()
    category = gha.get_input("category")
    upload = gha.get_input("upload", "always")
    output = gha.get_input("output", "../results")
    out_dir = os.path.normpath(os.path.join(gha.workspace(), output))
    os.makedirs(out_dir, exist_ok=True)
    for lang in cfg["languages"]:
        with open(os.path.join(out_dir, f"{lang}.sarif"), "w", encoding="utf-8") as fh:
            json.dump({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}, fh)
    kit.record("codeql.analyze", category, {
        "category": category or None,
        "upload": upload,
        "languages": cfg["languages"],
        "output": out_dir,
        "config_file": cfg.get("config_file"),
    })
    gha.info("actspec: CodeQL analyzed nothing; empty SARIF logs written to " + out_dir)
    gha.set_output("sarif-output", out_dir)
    gha.set_output("db-locations", json.dumps({lang: "" for lang in cfg["languages"]}))
    gha.set_output("sarif-id", "")
    return 0


def upload_sarif() -> int:
    sarif = gha.get_input("sarif_file", "../results")
    path = os.path.normpath(os.path.join(gha.workspace(), sarif))
    if not os.path.exists(path):
        gha.fail(f"Path does not exist: {sarif}")
    category = gha.get_input("category")
    kit.record("codeql.upload-sarif", category, {"sarif_file": sarif, "category": category or None})
    gha.info("actspec: nothing is uploaded to code scanning")
    gha.set_output("sarif-id", "")
    return 0
