"""Validation of ``actspec.yaml``: its shape against a JSON schema, then its names against the workflows.

A binding is written by hand by someone who has not read the kit's code, so every mistake
gets one line naming the file, the line and the key, and how to fix it -- before any
scenario runs.  The shape is checked with ``jsonschema`` (the schema below is the reference
for ``docs/binding.md``); what the schema cannot know (that a mocked job exists, that every
``runs-on`` label is listed, that every third-party action has a shim or a stand-in) is
checked against the workflows of the bound roles.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import jsonschema
import yaml

from actspec.repository import standins
from actspec.repository import workflow as wf

if TYPE_CHECKING:
    from actspec.repository.binding import Binding

_LABELS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_ONE_LINE = {"type": "string", "minLength": 1, "pattern": r"^[^\n\t]*$"}
_STRINGS = {"type": "object", "additionalProperties": {"type": "string"}}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["repository", "workflows"],
    "additionalProperties": False,
    "properties": {
        "repository": {"type": "string", "pattern": r"^[\w.-]+/[\w.-]+$"},
        "default_branch": {"type": "string", "minLength": 1},
        "workflows": {"type": "object", "minProperties": 1,
                      "additionalProperties": {"type": "string", "minLength": 1}},
        "runners": _LABELS,
        "dynamic_runs_on": {"type": "object", "additionalProperties": {**_LABELS, "minItems": 1}},
        "shims": _STRINGS,
        "standins": {
            "type": "object",
            "additionalProperties": {
                "type": ["object", "null"],
                "additionalProperties": False,
                "properties": {"outputs": _STRINGS, "files": _STRINGS, "run": {"type": "string"}},
            },
        },
        "environments": {
            "type": "object",
            "additionalProperties": {
                "type": ["object", "array"],
                "items": {"type": "string"},
                "additionalProperties": False,
                "properties": {"tags": _LABELS, "branches": _LABELS},
            },
        },
        "trusted_publishers": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                registry: {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["workflow"],
                            "additionalProperties": False,
                            "properties": {"workflow": {"type": "string"}, "environment": {"type": ["string", "null"]}},
                        },
                    },
                }
                for registry in ("pypi", "crates")
            },
        },
        "step_mocks": {
            "type": "object",
            "propertyNames": {"pattern": r"^(?!-$)[^\t\n]+$"},
            "additionalProperties": {
                "type": "object",
                "required": ["job", "run"],
                "additionalProperties": False,
                "properties": {"job": {"type": "string"}, "step": {"type": ["string", "integer"]}, "run": _ONE_LINE},
            },
        },
        "changes": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["path"],
                    "additionalProperties": False,
                    "properties": {
                        "path": {"type": "string", "minLength": 1},
                        "op": {"enum": ["write", "append", "replace", "delete"]},
                        "text": {"type": "string"},
                        "old": {"type": "string"},
                    },
                },
            },
        },
        "matrix_axes": {
            "type": "object",
            "propertyNames": {"enum": ["python", "os", "variant", "platform"]},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        # component (an output of the change detection) -> paths a change to which is a change to it
        "path_rules": {"type": "object", "additionalProperties": {**_LABELS, "minItems": 1}},
        # a list of job ids, or job id -> the change set that makes the job run
        "extra_jobs": {"type": ["array", "object"], "items": {"type": "string", "minLength": 1},
                       "additionalProperties": {"type": ["string", "null"]}},
    },
}

_WHY = {
    "repository": "write it as owner/name",
    "run": "a step mock's command must be one line (join commands with && or ;)",
    "step_mocks": "a step mock's name must be one line without tabs, and not '-'",
}
_TYPES = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "a number", "null": "empty"}


class _Lines:
    """YAML paths -> line numbers, from the composed node tree (keys point at their line)."""

    def __init__(self, text: str) -> None:
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            self.root = None

    def line(self, path: Iterable[Any]) -> int | None:
        node = self.root
        line = None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if k.value == str(part)]
                if not match:
                    return line
                line, node = match[0][0].start_mark.line + 1, match[0][1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def _key(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number",
            type(None): "empty"}.get(type(value), type(value).__name__)


def _message(err: jsonschema.ValidationError) -> tuple[list[Any], str]:
    """The path an error is about and what to say about it."""
    path = list(err.absolute_path)
    if err.validator == "additionalProperties":
        known = sorted(err.schema.get("properties") or {})
        extra = [k for k in err.instance if k not in known]
        key = extra[0] if extra else "?"
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known keys: {', '.join(known)}"
        return path + [key], f"unknown key {key!r}; {hint}"
    if err.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        return path, f"missing key {missing[0] if missing else err.message!r}"
    if err.validator == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return path, f"must be {' or '.join(_TYPES[w] for w in want)}, not {_type_name(err.instance)}"
    if err.validator == "enum":
        return path, f"must be one of {', '.join(map(str, err.validator_value))}, not {err.instance!r}"
    if err.validator == "pattern":
        return path, f"{err.instance!r} is not valid: {_WHY.get(str(path[-1]) if path else '', err.message)}"
    if err.validator in ("minLength", "minItems", "minProperties"):
        return path, "must not be empty"
    return path, err.message


def check_document(file: Path, text: str) -> tuple[Any, list[str]]:
    """The parsed binding and every problem of its shape, one line each (``file:line: key: what``)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [f"{file}{where}: malformed YAML: {problem}"]
    if not isinstance(data, dict):
        return data, [f"{file}: the binding must be a mapping of keys (repository, workflows, ...), not {_type_name(data)}"]
    lines = _Lines(text)
    out = []
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path, msg = _message(err)
        line = lines.line(path)
        out.append(f"{file}{f':{line}' if line else ''}: {_key(path)}: {msg}")
    return data, out


def check_against_workflows(bound: Binding, roles: Iterable[str] = ()) -> list[str]:
    """What the binding names that the workflows do not have, and what they use that it lacks."""
    file = bound.root / "actspec.yaml"
    lines = _Lines(file.read_text()) if file.is_file() else _Lines("")
    problems: list[str] = []

    def add(path: list[Any], text: str) -> None:
        line = lines.line(path)
        problems.append(f"{file}{f':{line}' if line else ''}: {_key(path)}: {text}")

    for role in sorted(set(roles) - set(bound.workflows)):
        close = difflib.get_close_matches(role, list(bound.workflows), n=1)
        hint = f" (is {close[0]!r} a typo?)" if close else ""
        add(["workflows"], f"no role {role!r}, which the selected scenarios use{hint}: "
                           f"add `{role}: .github/workflows/<file>.yaml`, or select only the features of "
                           f"the roles it binds (`features/ci` needs `ci` alone)")
    loaded: dict[str, tuple[wf.Workflow, dict[str, Any]]] = {}
    for role, rel in bound.workflows.items():
        path = bound.root / rel
        if not path.is_file():
            add(["workflows", role], f"{rel} does not exist in {bound.root}")
            continue
        loaded[role] = (wf.load(path), wf.raw(path))

    listed = set(bound.runners)
    for role, (workflow, raw) in loaded.items():
        name = workflow.path.name
        for job_id, job in (raw.get("jobs") or {}).items():
            if not isinstance(job, dict) or "runs-on" not in job:
                continue
            dynamic = wf.dynamic_runs_on(job)
            if dynamic and job_id not in bound.dynamic_runs_on:
                add(["dynamic_runs_on"], f"{name} job {job_id!r} has runs-on {dynamic!r}, which the kit cannot read: "
                                         f"list the labels it can take as `dynamic_runs_on: {{{job_id}: [ubuntu-latest]}}`")
        missing = sorted(workflow.runner_labels() - listed)
        if missing:
            add(["runners"], f"{name} runs on {', '.join(missing)}, which the binding does not list: "
                             f"add {'them' if len(missing) > 1 else 'it'} to `runners:`")

    all_jobs: dict[str, list[tuple[wf.Workflow, dict[str, Any]]]] = {}
    for workflow, raw in loaded.values():
        for job_id in workflow.jobs:
            all_jobs.setdefault(job_id, []).append((workflow, raw["jobs"][job_id]))
    for name, mock in bound.step_mocks.items():
        if mock.job not in all_jobs:
            close = difflib.get_close_matches(mock.job, list(all_jobs), n=1)
            add(["step_mocks", name, "job"], f"no job {mock.job!r} in the bound workflows"
                                             f"{f'; did you mean {close[0]}?' if close else ''}")
            continue
        if mock.step == "*":
            continue
        found = []  # a mock applies to the job of that id in every workflow: one of them must have the step
        for workflow, job in all_jobs[mock.job]:
            steps = [s for s in job.get("steps") or [] if isinstance(s, dict)]
            ids = [str(s["id"]) for s in steps if "id" in s]
            if mock.step in ids or (mock.step.isdigit() and int(mock.step) < len(steps)):
                break
            found.append(f"{workflow.path.name} has step ids {', '.join(ids) or '(none)'} and {len(steps)} steps")
        else:
            add(["step_mocks", name, "step"],
                f"job {mock.job!r} has no step {mock.step!r} ({'; '.join(found)}): name a step id, "
                f"a 0-based index, or * for every step")
    for job_id in bound.dynamic_runs_on:
        if job_id not in all_jobs:
            add(["dynamic_runs_on", job_id], f"no job {job_id!r} in the bound workflows")
    for key, rel in bound.shims.items():
        if not (bound.root / rel).is_dir() and not (standins.SHIMS / rel).is_dir():
            add(["shims", key], f"{rel} is not a directory (relative to {bound.root}, or a kit shim under {standins.SHIMS})")

    uses = [u for workflow, _ in loaded.values() for u in standins.action_uses(workflow)]
    used_names = {u.name for u in uses} | {u.owner_repo for u in uses}
    for key in bound.standins:
        if key.partition("@")[0] not in used_names:
            add(["standins", key], f"no bound workflow uses {key.partition('@')[0]}")
    plan = standins.plan(bound, uses)
    problems += plan.broken
    problems += [f"{use.workflow.name}: {use.ref} has no shim: declare a stand-in in {file}, "
                 f"e.g. `standins: {standins.snippet(use, uses)}`" for use in plan.missing]
    return problems
