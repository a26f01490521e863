"""actspec shim of dorny/paths-filter: which filters match the files the event changed (see README.md).

Changed files come from git in the job's checkout, never from GitHub's API: a pull request
compares its base commit with the head (``git diff base...head``, what GitHub lists as the
pull request's files), a push its ``before`` with its ``after``.  A base git does not know
(a new branch pushes ``before`` as zeros) counts every tracked file as changed.

Patterns are picomatch's with ``dot: true``, as the action uses them: ``*`` and ``?`` stay
within a path segment, ``**`` spans segments, ``[...]`` is a class, dotfiles match like any
name, and a pattern starting with ``!`` matches the files it does not match.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass

import yaml

from actspec_shim import gha, kit
from ghrules.actions_glob import Pattern

ZERO = "0" * 40


@dataclass(frozen=True)
class Rule:
    negate: bool
    pattern: Pattern

    def matches(self, path: str) -> bool:
        hit = self.pattern.matches(tuple(path.split("/")), False)
        return hit != self.negate


def rule(text: str) -> Rule:
    negate = text.startswith("!")
    body = text[1:] if negate else text
    return Rule(negate, Pattern(False, tuple(body.strip("/").split("/")), False, ""))


def _patterns(value: object) -> list[str]:
    """A filter's patterns: a string, a list (nested lists flattened), or change-type maps
    (``added|modified: pattern``; the change type is not checked, see README.md)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [p for item in value for p in _patterns(item)]
    if isinstance(value, dict):
        return [p for item in value.values() for p in _patterns(item)]
    return []


def parse_filters(text: str, workspace: str) -> dict[str, list[Rule]]:
    """The ``filters`` input: inline YAML, or the path of a YAML file in the repository."""
    candidate = os.path.join(workspace, text.strip())
    if "\n" not in text.strip() and os.path.isfile(candidate):
        with open(candidate, encoding="utf-8") as fh:
            text = fh.read()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        gha.fail(f"paths-filter: the filters are not valid YAML: {exc}")
    if not isinstance(data, dict):
        gha.fail("paths-filter: the filters must map filter names to path patterns")
    return {str(name): [rule(p) for p in _patterns(value)] for name, value in data.items()}


def matching(rules: list[Rule], files: list[str], quantifier: str) -> list[str]:
    test = all if quantifier == "every" else any
    return [f for f in files if rules and test(r.matches(f) for r in rules)]


def _git(repo: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", f"safe.directory={repo}", "-C", repo, *args],
                          capture_output=True, text=True)


def _known(repo: str, ref: str) -> bool:
    return bool(ref) and ref != ZERO and _git(repo, "cat-file", "-e", f"{ref}^{{commit}}").returncode == 0


def changed_files(repo: str, base: str, head: str, event: str) -> tuple[list[str], str]:
    """The changed files and how they were found (for the log)."""
    if not _known(repo, base):
        listed = _git(repo, "ls-files").stdout.splitlines()
        return listed, f"base {base or '(none)'} is unknown to git: every tracked file counts as changed"
    spec = f"{base}...{head}" if event.startswith("pull_request") else f"{base}..{head}"
    proc = _git(repo, "diff", "--name-only", spec)
    if proc.returncode != 0:
        gha.fail(f"paths-filter: git diff {spec} failed: {proc.stderr.strip()}")
    return [f for f in proc.stdout.splitlines() if f], f"git diff --name-only {spec}"


def _event() -> dict:
    try:
        with open(os.environ.get("GITHUB_EVENT_PATH", ""), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _listing(files: list[str], style: str) -> str | None:
    if style == "csv":
        return ",".join(files)
    if style == "json":
        return json.dumps(files)
    if style in ("shell", "escape"):
        return " ".join("'" + f.replace("'", "'\\''") + "'" for f in files)
    return None


def run() -> int:
    workspace = gha.workspace()
    repo = os.path.join(workspace, gha.get_input("working-directory"))
    filters = parse_filters(gha.get_input("filters", required=True), repo)
    event_name = os.environ.get("GITHUB_EVENT_NAME", "")
    event = _event()
    head = gha.get_input("ref") or "HEAD"
    if gha.get_input("base"):
        base = _git(repo, "rev-parse", gha.get_input("base")).stdout.strip()
    elif event_name.startswith("pull_request"):
        base = str((event.get("pull_request") or {}).get("base", {}).get("sha") or "")
    else:
        base = str(event.get("before") or "")
    files, how = changed_files(repo, base, head, event_name)
    gha.info(f"changed files ({how}): {len(files)}")
    for f in files:
        gha.info(f"  {f}")
    quantifier = gha.get_input("predicate-quantifier", "some")
    style = gha.get_input("list-files", "none")
    matched: list[str] = []
    results: dict[str, list[str]] = {}
    for name, rules in filters.items():
        hits = matching(rules, files, quantifier)
        results[name] = hits
        gha.set_output(name, "true" if hits else "false")
        gha.set_output(f"{name}_count", len(hits))
        listing = _listing(hits, style)
        if listing is not None:
            gha.set_output(f"{name}_files", listing)
        if hits:
            matched.append(name)
        gha.info(f"filter {name}: {'true' if hits else 'false'} ({len(hits)} file(s))")
    gha.set_output("changes", json.dumps(matched))
    kit.record("paths-filter.result", ",".join(matched) or "none",
               {"base": base, "head": head, "files": files[:200], "matched": {k: v[:50] for k, v in results.items()}})
    return 0


if __name__ == "__main__":
    gha.main(run)
