"""``python -m actspec init PATH``: a starter ``actspec.yaml`` read from the repository's own workflows.

Writing a binding by hand means knowing which workflow plays which role, every ``runs-on``
label, what "a change to go" is in this repository, and which actions have no shim.  Most
of it is written down in the workflows already: triggers and names give the roles, the
``changes`` job's path rules (or a paths-filter file) give the change sets, the release
workflow gives the environments and, from their URLs, the projects each publishes.  What
cannot be read (GitHub settings, expressions) is printed as "could not decide", and the
file says so in a comment.  A user's existing ``actspec.yaml`` is never overwritten
without ``--force``: the starter goes to ``actspec.yaml.new`` beside it.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actspec.repository import binding as binding_mod
from actspec.repository import platforms
from actspec.repository import standins
from actspec.repository import workflow as wf

CASE_RULE = re.compile(r"case\s+\"?\$\w+\"?\s+in\s+(?P<patterns>[^)]+)\)\s*(?P<var>\w+)=true")
CHANGE_OUTPUT = re.compile(r"needs\.[\w-]+\.outputs\.([\w-]+)\s*==\s*'true'")
OUTPUT_ECHO = re.compile(r"echo\s+\"?(?P<name>[\w-]+)=\$\{?(?P<var>\w+)\}?\"?")
GITHUB_URL = re.compile(r"github\.com[:/](?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?(?:[/\s\"']|$)")
PYPI_URL = re.compile(r"pypi\.org/(?:p|project)/(?P<name>[\w.-]+)")
CRATES_URL = re.compile(r"crates\.io/crates/(?P<name>[\w-]+)")
PYTHON_VERSION = re.compile(r"^3\.\d+$")
OS_LABEL = re.compile(r"ubuntu|macos|windows", re.I)
GLOB = re.compile(r"[*?\[\]{}!]")
EVERY_COMPONENT = ("all", "everything", "any_change")
# The document's words that init matches the repository against (ci-architecture.md,
# "Workflows": the ci.yaml jobs table; "Integration tests (matrix: cog, cog-rust)"; "GitHub
# Environment Setup": deployment pattern `v*`).  tests/unit/test_scaffold.py reads them back
# out of the document.
DOCUMENT_CI_JOBS = ("changes", "build-sdk", "build-rust", "fmt-go", "fmt-rust", "fmt-python", "lint-go",
                    "lint-rust", "lint-rust-deny", "lint-python", "test-go", "test-rust", "test-python",
                    "test-coglet-python", "test-integration", "ci-complete")
DOCUMENT_VARIANTS = ("cog", "cog-rust")
DOCUMENT_DEPLOY_PATTERN = "v*"
# The change sets the features name ("a pull request that changes <name>").
FEATURE_CHANGES = ("go", "rust", "python", "integration-tests", "docs", "ci-workflow")


@dataclass
class Starter:
    """What init decided, and what it could not."""

    repository: str = "OWNER/NAME"
    default_branch: str = "main"
    workflows: dict[str, str] = field(default_factory=dict)
    runners: list[str] = field(default_factory=list)
    dynamic_runs_on: dict[str, list[str]] = field(default_factory=dict)
    changes: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    environments: dict[str, list[str]] = field(default_factory=dict)
    trusted_publishers: dict[str, dict[str, list[dict[str, str]]]] = field(default_factory=dict)
    standins: dict[str, list[str]] = field(default_factory=dict)
    axes: list[str] = field(default_factory=list)
    matrix_axes: dict[str, str] = field(default_factory=dict)
    path_rules: dict[str, list[str]] = field(default_factory=dict)
    extra_jobs: dict[str, str | None] = field(default_factory=dict)  # job -> the change set that runs it
    undecided: list[str] = field(default_factory=list)


def _workflows(root: Path) -> list[wf.Workflow]:
    out = []
    for path in sorted((root / ".github" / "workflows").glob("*.y*ml")):
        try:
            out.append(wf.load(path))
        except wf.WorkflowError as exc:
            print(f"skipped {exc}")
    return out


def _uses(workflow: wf.Workflow, prefix: str) -> bool:
    return any(ref.startswith(prefix) for ref in workflow.action_refs())


def roles(flows: list[wf.Workflow], starter: Starter) -> dict[str, wf.Workflow]:
    """Role -> workflow, from triggers, actions and names."""
    def score(role: str, w: wf.Workflow) -> int:
        name, stem, on = w.name.lower(), w.path.stem.lower(), w.on
        if role == "wheel-sourcing":  # asks the CLI where it gets its wheels ("SDK Wheel Sourcing")
            named = "wheel" in name + stem and "sourc" in name + stem
            return 5 * named + named * ("workflow_dispatch" in on)
        if role == "codeql":
            return 5 * _uses(w, "github/codeql-action/") + 2 * ("codeql" in name + stem)
        if role == "release-publish":
            publishes = _uses(w, "pypa/gh-action-pypi-publish") or _uses(w, "rust-lang/crates-io-auth-action")
            return 4 * ("release" in on) + 3 * publishes + ("publish" in name + stem)
        if role == "release-build":
            tags = isinstance(on.get("push"), dict) and bool(on["push"].get("tags"))
            return 4 * tags + 2 * ("release" in name + stem) + ("build" in name + stem) - 4 * ("release" in on)
        return (3 * ("pull_request" in on) + ("push" in on) + 3 * (stem == "ci" or name == "ci")
                - 5 * _uses(w, "github/codeql-action/"))
    chosen: dict[str, wf.Workflow] = {}
    for role in ("wheel-sourcing", "codeql", "release-publish", "release-build", "ci"):
        ranked = sorted(((score(role, w), w.path.name, w) for w in flows if w not in chosen.values()),
                        key=lambda t: (-t[0], t[1]))
        if not ranked or ranked[0][0] <= 0:
            starter.undecided.append(f"workflows.{role}: no workflow looks like the {role} workflow; add it by hand")
            continue
        if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
            starter.undecided.append(f"workflows.{role}: {ranked[0][1]} and {ranked[1][1]} look alike; took {ranked[0][1]}")
        chosen[role] = ranked[0][2]
    return {role: chosen[role] for role in ("ci", "codeql", "release-build", "release-publish", "wheel-sourcing")
            if role in chosen}


def repository(root: Path, starter: Starter) -> str:
    """owner/name from the git remote, else from go.mod or package metadata URLs."""
    try:
        remote = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"],
                                capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        remote = ""
    candidates = [remote] + [p.read_text(errors="replace") for p in
                             (root / "go.mod", *root.glob("*/pyproject.toml"), root / "pyproject.toml",
                              *root.glob("**/Cargo.toml")) if p.is_file()]
    for text in candidates:
        m = GITHUB_URL.search(text)
        if m:
            return m.group("repo")
    starter.undecided.append("repository: no GitHub URL in the git remote, go.mod or package metadata; write owner/name")
    return starter.repository


def runners(flows: dict[str, wf.Workflow], starter: Starter) -> None:
    for workflow in flows.values():
        raw = wf.raw(workflow.path)
        for job_id, job in (raw.get("jobs") or {}).items():
            labels = workflow.jobs[str(job_id)].runs_on
            starter.runners += [label for label in labels if label not in starter.runners]
            dynamic = wf.dynamic_runs_on(job) if isinstance(job, dict) else None
            if dynamic:
                starter.dynamic_runs_on[str(job_id)] = ["ubuntu-latest"]
                starter.undecided.append(f"dynamic_runs_on.{job_id}: runs-on {dynamic!r} is an expression; "
                                         "list the labels it can take (ubuntu-latest written)")
    for label in (lbl for labels in starter.dynamic_runs_on.values() for lbl in labels):
        if label not in starter.runners:
            starter.runners.append(label)


def _rules(ci: wf.Workflow) -> tuple[dict[str, list[str]], list[str]]:
    """Component -> path patterns, and the patterns that mark every component, from the change detection."""
    raw = wf.raw(ci.path)
    components: dict[str, list[str]] = {}
    every: list[str] = []
    for job in (raw.get("jobs") or {}).values():
        for step in (job or {}).get("steps") or []:
            if not isinstance(step, dict):
                continue
            with_ = step.get("with") or {}
            if str(step.get("uses", "")).startswith("dorny/paths-filter") and with_.get("filters"):
                filters = str(with_["filters"])
                path = ci.path.parents[2] / filters
                table = yaml.safe_load(path.read_text() if path.is_file() else filters) or {}
                found = {str(name): [str(g) for g in (globs if isinstance(globs, list) else [globs])]
                         for name, globs in (table.items() if isinstance(table, dict) else [])}
                # A pattern every filter but docs lists (the workflow itself, say) marks every component.
                code = [globs for name, globs in found.items() if name != "docs"]
                shared = [g for g in code[0] if all(g in globs for globs in code[1:])] if len(code) > 1 else []
                every += [g for g in shared if g not in every]
                for name, globs in found.items():
                    components[name] = [g for g in globs if g not in shared]
            script = str(step.get("run") or "")
            rules = [(m.group("var"), [p.strip().strip("\"'") for p in m.group("patterns").split("|")])
                     for m in CASE_RULE.finditer(script)]
            if not rules:
                continue
            names = {m.group("var"): m.group("name") for m in OUTPUT_ECHO.finditer(script)}
            for var, patterns in rules:
                if var in EVERY_COMPONENT:
                    every += patterns
                else:
                    components.setdefault(names.get(var, var), []).extend(patterns)
    return components, every


def _dir_of(pattern: str) -> str | None:
    m = re.fullmatch(r"([\w.-]+(?:/[\w.-]+)*)/\*\*?(?:/\*\*?)*", pattern)
    return m.group(1) if m else None


def _feature_name(component: str) -> str | None:
    """The features' change-set name a component of the repository's change detection plays
    (``integration`` -> ``integration-tests``), or None when none fits."""
    if component in FEATURE_CHANGES:
        return component
    fits = [n for n in FEATURE_CHANGES if n.startswith(component) or component.startswith(n)]
    return fits[0] if len(fits) == 1 else None


def changes(root: Path, flows: dict[str, wf.Workflow], starter: Starter) -> None:
    ci = flows.get("ci")
    if ci is None:
        return
    components, every = _rules(ci)
    if not components:
        starter.undecided.append("changes: no `changes` job with path rules and no paths-filter found; "
                                 "write one edit per component by hand")
        return
    taken = {p for patterns in components.values() for p in patterns}
    for name, patterns in components.items():
        others = {p for other, ps in components.items() if other != name for p in ps}
        dirs = [d for d in map(_dir_of, patterns) if d and (root / d).is_dir()]
        unique = [d for d in dirs if f"{d}/*" not in others and f"{d}/**" not in others]
        if not (unique or dirs):
            starter.undecided.append(f"changes.{name}: none of its rules ({', '.join(patterns)}) names a directory")
            continue
        target = (unique or dirs)[0]
        feature = _feature_name(name)
        if feature is None:
            starter.undecided.append(f"changes.{name}: the features name the change sets {', '.join(FEATURE_CHANGES)}; "
                                     f"rename `{name}` if it is one of them, or drop it")
        starter.changes[feature or name] = [{"path": f"{target}/ACTSPEC_TOUCHED.md", "op": "write",
                                             "text": f"Touched by the {feature or name} change.\n"}]
    docs = [d for d in ("docs", "doc") if (root / d).is_dir() and f"{d}/*" not in taken and f"{d}/**" not in taken]
    if "docs" not in starter.changes and docs:
        starter.changes["docs"] = [{"path": f"{docs[0]}/ACTSPEC_TOUCHED.md", "op": "write", "text": "Touched by the docs change.\n"}]
    elif "docs" not in starter.changes:  # neither a docs rule of the change detection nor a docs/ folder
        starter.undecided.append("changes.docs: no docs/ directory outside the component rules; name a docs-only file")
    ci_rel = str(ci.path.relative_to(root))
    if ci_rel in every:
        starter.changes["ci-workflow"] = [{"path": ci_rel, "op": "append", "text": "# touched by a change to the workflow itself"}]
    else:
        starter.undecided.append(f"changes.ci-workflow: the change detection does not list {ci_rel} as touching every component")


def path_rules(root: Path, flows: dict[str, wf.Workflow], starter: Starter) -> None:
    """One path per rule of the change detection as it is today, per component (an output of
    the change detection): a starter for the user to review, since what must count as a
    change is the binding's claim, checked against the workflow's rules by the features."""
    ci = flows.get("ci")
    if ci is None:
        return
    components, every = _rules(ci)
    for name, patterns in components.items():
        paths = []
        for pattern in patterns + ([] if name == "docs" else every):
            folder = _dir_of(pattern)
            path = f"{folder}/ACTSPEC_TOUCHED.md" if folder else pattern if not GLOB.search(pattern) else None
            if path is None:
                starter.undecided.append(f"path_rules.{name}: `{pattern}` is not a folder or a file; "
                                         "name a path it must match")
            elif path not in paths:
                paths.append(path)
        if paths:
            starter.path_rules[name] = paths


def _list_kind(values: Any) -> str | None:
    """Which of the document's lists a matrix axis carries: ``python`` (its supported Python
    versions, literal or read from an expression naming Python), ``platform`` (the release's
    platforms, however spelled: ``linux-x64``, ``aarch64-apple-darwin``), ``os`` (runner labels)
    or ``variant`` (the integration variants the document names); None for any other axis."""
    if isinstance(values, str):
        return "python" if "${{" in values and "python" in values.lower() else None
    if not isinstance(values, list) or not values:
        return None
    words = [str(v) for v in values]
    if all(PYTHON_VERSION.match(w) for w in words):
        return "python"
    if {platforms.spelled(w) for w in words} == set(platforms.DOCUMENT_PLATFORMS):
        return "platform"
    if all(OS_LABEL.search(w) for w in words):
        return "os"
    return "variant" if set(words) == set(DOCUMENT_VARIANTS) else None


def _matrix_axes(matrix: Any) -> dict[str, Any]:
    """A literal matrix's axes with their values; a matrix of ``include`` rows only (a common
    way to list release targets) has one axis per key every row sets.  Keys that include rows
    add to a matrix with axes of its own are the legs' details, not a list of their own."""
    if not isinstance(matrix, dict):
        return {}
    out = {axis: values for axis, values in matrix.items() if axis not in ("include", "exclude")}
    rows = [row for row in matrix.get("include") or [] if isinstance(row, dict)]
    if out or not rows:
        return out
    return {key: [row[key] for row in rows] for key in dict.fromkeys(k for row in rows for k in row)
            if all(key in row for row in rows)}


# Where each of the document's lists is a matrix: the CI workflow's jobs table, and the
# release-build's coglet wheels ("3 platforms").
LIST_ROLES = {"ci": ("python", "os", "variant"), "release-build": ("platform",)}


def axes(flows: dict[str, wf.Workflow], starter: Starter) -> None:
    """The matrix axis of each of the document's lists (binding ``matrix_axes:``; only names
    other than the default are written), and the CI jobs outside the document's table
    (``extra_jobs:``)."""
    found: dict[str, list[str]] = {}
    for role, kinds in LIST_ROLES.items():
        flow = flows.get(role)
        for job in flow.jobs.values() if flow is not None else ():
            taken: set[str] = set()  # a job's legs carry a list once, however many of its keys spell it
            for axis, values in _matrix_axes(job.matrix).items():
                kind = _list_kind(values)
                if kind not in kinds or kind in taken:
                    continue
                taken.add(kind)
                starter.axes.append(f"{flow.path.name} {job.job_id}: axis `{axis}` carries the document's {kind} list")
                if axis not in found.setdefault(kind, []):
                    found[kind].append(axis)
    for kind, names in found.items():
        if len(names) > 1:
            starter.undecided.append(f"matrix_axes.{kind}: the axes {', '.join(names)} all carry it; took {names[0]}")
        if names[0] != binding_mod.MATRIX_AXES[kind]:
            starter.matrix_axes[kind] = names[0]
    ci = flows.get("ci")
    if ci is not None:
        raw = wf.raw(ci.path).get("jobs") or {}
        for job_id in (j for j in ci.jobs if j not in DOCUMENT_CI_JOBS):
            starter.extra_jobs[job_id] = _runs_on_change(job_id, raw.get(job_id), starter)


def _runs_on_change(job_id: str, job: Any, starter: Starter) -> str | None:
    """The change set an extra job runs on, read from the one change-detection output its
    ``if:`` compares (``needs.changes.outputs.docs == 'true'`` -> ``docs``): the gate outline's
    row for the job makes that change.  Anything else is left for the user to name."""
    cond = str((job or {}).get("if") or "") if isinstance(job, dict) else ""
    names = set(CHANGE_OUTPUT.findall(cond))
    feature = _feature_name(names.pop()) if len(names) == 1 else None
    if feature is None:
        starter.undecided.append(f"extra_jobs.{job_id}: its if: ({cond or 'none'}) names no one change output; "
                                 "write the change set that makes it run")
    return feature


def release(flows: dict[str, wf.Workflow], starter: Starter) -> None:
    build, publish = flows.get("release-build"), flows.get("release-publish")
    for workflow in (w for w in (build, publish) if w is not None):
        raw = wf.raw(workflow.path).get("jobs") or {}
        for job_id, decl in workflow.jobs.items():
            if not decl.environment:
                continue
            starter.environments.setdefault(decl.environment, [DOCUMENT_DEPLOY_PATTERN])
            env = (raw.get(job_id) or {}).get("environment")
            url = str(env.get("url", "")) if isinstance(env, dict) else ""
            text = workflow.path.read_text()
            refs = set(decl.uses)
            registry = ("pypi" if any(r.startswith("pypa/gh-action-pypi-publish") for r in refs) or PYPI_URL.search(url)
                        else "crates" if any(r.startswith("rust-lang/crates-io-auth-action") for r in refs) or CRATES_URL.search(url)
                        else None)
            m = PYPI_URL.search(url) or CRATES_URL.search(url)
            if registry is None or m is None:
                if registry is not None:
                    starter.undecided.append(f"trusted_publishers.{registry}: job {job_id} publishes, but its environment "
                                             "has no registry URL naming the project")
                continue
            entry = {"workflow": workflow.path.name, "environment": decl.environment}
            projects = starter.trusted_publishers.setdefault(registry, {}).setdefault(m.group("name"), [])
            if entry not in projects and text:
                projects.append(entry)
    if starter.environments:
        starter.undecided.append(f"environments: deployment rules are GitHub settings, not in the workflows; "
                                 f"assumed the document's tags {DOCUMENT_DEPLOY_PATTERN} for {', '.join(starter.environments)}")


def missing_shims(root: Path, flows: dict[str, wf.Workflow], starter: Starter) -> None:
    bound = binding_mod.Binding(root=root, repository=starter.repository, default_branch=starter.default_branch,
                                workflows={}, runners=[])
    uses = [u for w in flows.values() for u in standins.action_uses(w)]
    for use in standins.plan(bound, uses).missing:
        line = standins.snippet(use, uses)
        outputs = re.findall(r"(\w[\w-]*): ''", line)
        starter.standins.setdefault(use.name, outputs)
        starter.undecided.append(f"standins.{use.name}: no shim; a no-op stand-in is written"
                                 f"{' (outputs: ' + ', '.join(outputs) + ')' if outputs else ''}: say what it should do")


def decide(root: Path) -> Starter:
    starter = Starter()
    flows = roles(_workflows(root), starter)
    starter.workflows = {role: str(w.path.relative_to(root)) for role, w in flows.items()}
    starter.repository = repository(root, starter)
    ci = flows.get("ci")
    if ci is not None and isinstance(ci.on.get("push"), dict):
        branches = [b for b in ci.on["push"].get("branches") or [] if "*" not in str(b)]
        starter.default_branch = str(branches[0]) if branches else "main"
    runners(flows, starter)
    changes(root, flows, starter)
    path_rules(root, flows, starter)
    axes(flows, starter)
    release(flows, starter)
    missing_shims(root, flows, starter)
    return starter


def _flow(value: Any) -> str:
    """One-line YAML; strings that need it are JSON-quoted (JSON strings are YAML strings)."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(_flow, value)) + "]"
    text = str(value)
    plain = re.fullmatch(r"[\w./*@-]+", text) and yaml.safe_load(text) == text
    return text if plain else json.dumps(text)


def render(starter: Starter) -> str:
    out = ["# Binding written by `python -m actspec init`; see docs/binding.md for every key.",
           *[f"# could not decide: {line}" for line in starter.undecided],
           f"repository: {starter.repository}",
           f"default_branch: {starter.default_branch}",
           "workflows:"]
    out += [f"  {role}: {path}" for role, path in starter.workflows.items()]
    out.append(f"runners: {_flow(starter.runners)}")
    if starter.dynamic_runs_on:
        out.append(f"dynamic_runs_on: {_flow(starter.dynamic_runs_on)}")
    if starter.axes:
        out += ["# matrix axes carrying the document's lists:", *[f"#   {line}" for line in starter.axes]]
    if starter.matrix_axes:
        out.append(f"matrix_axes: {_flow(starter.matrix_axes)}")
    if starter.extra_jobs:
        out += ["# jobs of the CI workflow that the document's jobs table does not list, each with the change set",
                "# that makes it run (the gate outline's row for it makes that change)",
                f"extra_jobs: {_flow(starter.extra_jobs)}"]
    if starter.changes:
        out.append("changes:")
        for name, edits in starter.changes.items():
            out.append(f"  {name}:")
            out += [f"    - {_flow(edit)}" for edit in edits]
    if starter.path_rules:
        out += ["# paths that must count as a change to each component (an output of the change detection),",
                "# one per rule the change detection has today: review them",
                "path_rules:"]
        out += [f"  {name}: {_flow(paths)}" for name, paths in starter.path_rules.items()]
    if starter.environments:
        out.append("environments:")
        out += [f"  {name}: {_flow({'tags': tags})}" for name, tags in starter.environments.items()]
    if starter.trusted_publishers:
        out.append("trusted_publishers:")
        for registry, projects in starter.trusted_publishers.items():
            out.append(f"  {registry}:")
            out += [f"    {project}: {_flow(entries)}" for project, entries in sorted(projects.items())]
    if starter.standins:
        out.append("standins:")
        for name, outputs in starter.standins.items():
            out.append(f"  {name}: {_flow({'outputs': dict.fromkeys(outputs, '')} if outputs else {})}")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m actspec init", description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="the repository checkout (with .github/workflows/)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing actspec.yaml")
    args = parser.parse_args(argv)
    root: Path = args.path.resolve()
    if not (root / ".github" / "workflows").is_dir():
        print(f"actspec init: {root} has no .github/workflows/: point it at a repository checkout", file=sys.stderr)
        return 2
    starter = decide(root)
    target = root / binding_mod.FILE
    if target.exists() and not args.force:
        target = root / (binding_mod.FILE + ".new")
        print(f"{root / binding_mod.FILE} exists and is left as it is (--force overwrites it); "
              f"the starter is in {target}: compare and merge")
    elif target.exists():
        print(f"overwriting {target} (--force)")
    target.write_text(render(starter))
    print(f"wrote {target}: roles {', '.join(f'{r}={p}' for r, p in starter.workflows.items()) or 'none'}; "
          f"{len(starter.runners)} runner labels; change sets {', '.join(starter.changes) or 'none'}")
    for line in starter.axes:
        print(f"  {line}")
    for line in starter.undecided:
        print(f"could not decide: {line}")
    return 0
