"""Static facts read from workflow YAML -- never a decision about what runs.

The kit needs a few facts before act starts: the job ids (so that a job act never mentions
is still listed, as ``skipped``), the ``runs-on`` labels to map to the local image, the
actions to replace with shims, and the permissions and environment each job declares (for
the OIDC mock).  Whether a job runs, and with which matrix, is left to act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actspec.errors import WorkflowError

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class _Loader(yaml.SafeLoader):
    """YAML as GitHub reads workflows: only true/false are booleans (``on``, ``off`` are keys)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class JobDecl:
    job_id: str
    name: str
    needs: tuple[str, ...]
    runs_on: tuple[str, ...]
    environment: str | None
    permissions: Any
    matrix: Any
    uses: tuple[str, ...]
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Workflow:
    path: Path
    name: str
    on: dict[str, Any]
    env: dict[str, Any]
    permissions: Any
    jobs: dict[str, JobDecl]

    def job(self, job_id: str) -> JobDecl:
        try:
            return self.jobs[job_id]
        except KeyError:
            raise KeyError(
                f"{self.path.name} has no job {job_id!r}; its jobs are: {', '.join(self.jobs)}"
            ) from None

    def grants(self, job_id: str, scope: str) -> bool:
        """Does the job's GITHUB_TOKEN carry ``<scope>: write``?  Job-level permissions win.

        With no ``permissions`` anywhere GitHub's default applies; for ``id-token`` that is
        no access, for the other scopes this repository-setting-dependent default is taken
        as write.
        """
        perms = self.job(job_id).permissions
        if perms is None:
            perms = self.permissions
        if perms is None:
            return scope != "id-token"
        if perms in ("write-all", "read-all"):
            return perms == "write-all"
        return isinstance(perms, dict) and perms.get(scope) == "write"

    def action_refs(self) -> set[str]:
        return {u for job in self.jobs.values() for u in job.uses}

    def runner_labels(self) -> set[str]:
        return {label for job in self.jobs.values() for label in job.runs_on}


def _normalise_on(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        return {raw: {}}
    if isinstance(raw, list):
        return {str(e): {} for e in raw}
    if isinstance(raw, dict):
        return {str(k): (v or {}) for k, v in raw.items()}
    return {}


def _labels(job: dict[str, Any]) -> tuple[str, ...]:
    """Literal runner labels, including matrix values a ``runs-on`` expression names."""
    runs_on = job.get("runs-on")
    items = runs_on if isinstance(runs_on, list) else [runs_on]
    out: list[str] = []
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    for item in items:
        if not isinstance(item, str):
            continue
        m = EXPR.fullmatch(item.strip())
        if not m:
            out.append(item)
            continue
        ref = re.fullmatch(r"matrix\.([\w-]+)", m.group(1))
        if ref and isinstance(matrix, dict):
            axis = ref.group(1)
            values = matrix.get(axis)
            if isinstance(values, list):
                out += [v for v in values if isinstance(v, str)]
            for entry in matrix.get("include") or []:
                if isinstance(entry, dict) and isinstance(entry.get(axis), str):
                    out.append(entry[axis])
    return tuple(out)


def _uses(job: dict[str, Any]) -> tuple[str, ...]:
    refs = []
    if isinstance(job.get("uses"), str):
        refs.append(job["uses"])
    for step in job.get("steps") or []:
        ref = step.get("uses") if isinstance(step, dict) else None
        if isinstance(ref, str) and not ref.startswith(("./", "docker://")):
            refs.append(ref)
    return tuple(refs)


# What GitHub accepts at the top of a workflow file ("Unexpected value" for anything else).
TOP_LEVEL_KEYS = ("name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs")


def _parse(path: Path) -> tuple[Any, yaml.Node | None]:
    """The document and its node tree (for line numbers); one line for malformed YAML."""
    try:
        loader = _Loader(path.read_text())
    except FileNotFoundError:
        raise WorkflowError(f"{path}: no such workflow file") from None
    try:
        node = loader.get_single_node()
        _refuse_duplicate_keys(path, node)
        return (loader.construct_document(node) if node is not None else None), node
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise WorkflowError(f"{path}{where}: malformed YAML: {problem}") from None
    finally:
        loader.dispose()


def _refuse_duplicate_keys(path: Path, node: yaml.Node | None) -> None:
    """GitHub refuses a key given twice in one mapping (PyYAML would keep the last silently)."""
    todo = [node] if node is not None else []
    while todo:
        current = todo.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        raise WorkflowError(f"{path}:{line}: '{key.value}' is already defined (line {seen[key.value]}); "
                                            "remove one of them")
                    seen[key.value] = line
                todo.append(value)
        elif isinstance(current, yaml.SequenceNode):
            todo.extend(current.value)


def _line(node: yaml.Node | None, *keys: str) -> str:
    """``:<line>`` of the value at ``keys`` (or of the deepest key found), ``""`` without a tree."""
    found = ""
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        if pair is None:
            break
        found, node = f":{pair[0].start_mark.line + 1}", pair[1]
    return found


def _needs(path: Path, root: yaml.Node | None, job_id: str, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list) and all(isinstance(n, str) for n in raw):
        return tuple(raw)
    raise WorkflowError(f"{path}{_line(root, 'jobs', job_id, 'needs')}: job '{job_id}': `needs` must be a job id "
                        f"or a list of job ids, not {raw!r}")


def _refuse_cycles(path: Path, root: yaml.Node | None, jobs: dict[str, JobDecl]) -> None:
    """A ``needs`` cycle would never start; GitHub refuses the workflow."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(job_id: str, trail: list[str]) -> None:
        state[job_id] = 1
        for need in jobs[job_id].needs:
            if state.get(need) == 1:
                cycle = " -> ".join([*trail[trail.index(need):], need]) if need in trail else f"{job_id} -> {need}"
                raise WorkflowError(f"{path}{_line(root, 'jobs', job_id, 'needs')}: job '{job_id}' depends on job "
                                    f"'{need}' which creates a cycle in the dependency graph ({cycle})")
            if state.get(need) is None:
                visit(need, [*trail, need])
        state[job_id] = 2

    for job_id in jobs:
        if state.get(job_id) is None:
            visit(job_id, [job_id])


def load(path: Path | str) -> Workflow:
    """The workflow's static facts; a workflow GitHub would refuse is one :class:`WorkflowError` line."""
    path = Path(path)
    data, root = _parse(path)
    if not isinstance(data, dict):
        raise WorkflowError(f"{path}: a workflow must be a mapping")
    unknown = [str(k) for k in data if k not in TOP_LEVEL_KEYS]
    if unknown:
        raise WorkflowError(f"{path}{_line(root, unknown[0])}: unexpected top-level key '{unknown[0]}' (a workflow "
                            f"has only {', '.join(TOP_LEVEL_KEYS)})")
    if "on" not in data:
        raise WorkflowError(f"{path}: required key `on` is missing (the events that trigger the workflow)")
    on = data.get("on")
    raw_jobs = data.get("jobs")
    if not isinstance(raw_jobs, dict) or not raw_jobs:
        raise WorkflowError(f"{path}{_line(root, 'jobs')}: no `jobs:` mapping")
    jobs: dict[str, JobDecl] = {}
    for job_id, job in raw_jobs.items():
        if not isinstance(job, dict):
            raise WorkflowError(f"{path}{_line(root, 'jobs', str(job_id))}: job {job_id!r} must be a mapping")
        steps = job.get("steps")
        if steps is not None and not isinstance(steps, list):
            raise WorkflowError(f"{path}{_line(root, 'jobs', str(job_id), 'steps')}: job '{job_id}': `steps` must "
                                "be a list")
        outputs = job.get("outputs") or {}
        if not isinstance(outputs, dict):
            raise WorkflowError(f"{path}{_line(root, 'jobs', str(job_id), 'outputs')}: job '{job_id}': `outputs` "
                                "must be a mapping of output names to expressions")
        env = job.get("environment")
        jobs[str(job_id)] = JobDecl(
            job_id=str(job_id),
            name=str(job.get("name") or job_id),
            needs=_needs(path, root, str(job_id), job.get("needs")),
            runs_on=_labels(job),
            environment=env.get("name") if isinstance(env, dict) else env,
            permissions=job.get("permissions"),
            matrix=(job.get("strategy") or {}).get("matrix") if isinstance(job.get("strategy"), dict) else None,
            uses=_uses(job),
            outputs={str(k): str(v) for k, v in outputs.items()},
        )
    for decl in jobs.values():
        for need in decl.needs:
            if need not in jobs:
                raise WorkflowError(f"{path}{_line(root, 'jobs', decl.job_id, 'needs')}: job {decl.job_id!r} needs "
                                    f"unknown job {need!r}")
    _refuse_cycles(path, root, jobs)
    return Workflow(
        path=path,
        name=str(data.get("name") or path.name),
        on=_normalise_on(on),
        env=dict(data.get("env") or {}),
        permissions=data.get("permissions"),
        jobs=jobs,
    )


def raw(path: Path) -> dict[str, Any]:
    """The workflow's YAML as read by :func:`load` (call it after ``load`` succeeded)."""
    data = yaml.load(Path(path).read_text(), Loader=_Loader)
    return data if isinstance(data, dict) else {}


OUTPUT_READ = re.compile(r"needs\.([\w-]+)\.outputs\.")


def change_detection(path: Path) -> list[str]:
    """The jobs whose outputs other jobs' ``if:`` read: what decides which jobs run (the
    change detection), found from the YAML rather than from a job's name."""
    found: dict[str, None] = {}
    for job in (raw(path).get("jobs") or {}).values():
        if isinstance(job, dict) and job.get("if") is not None:
            found.update(dict.fromkeys(OUTPUT_READ.findall(str(job["if"]))))
    return list(found)


def dynamic_runs_on(job: dict[str, Any]) -> str | None:
    """A ``runs-on`` expression whose labels cannot be read statically (not a plain ``matrix.<axis>``)."""
    runs_on = job.get("runs-on")
    items = runs_on if isinstance(runs_on, list) else [runs_on]
    for item in items:
        if isinstance(item, dict):
            return str(item)
        if not isinstance(item, str):
            continue
        m = EXPR.search(item)
        if not m:
            continue
        ref = re.fullmatch(r"matrix\.([\w-]+)", m.group(1))
        matrix = (job.get("strategy") or {}).get("matrix")
        if not (ref and EXPR.fullmatch(item.strip()) and isinstance(matrix, dict) and _axis_is_literal(matrix, ref.group(1))):
            return item
    return None


def _axis_is_literal(matrix: dict[str, Any], axis: str) -> bool:
    values = matrix.get(axis)
    included = [e.get(axis) for e in matrix.get("include") or [] if isinstance(e, dict) and axis in e]
    listed = values if isinstance(values, list) else []
    return (isinstance(values, list) or bool(included)) and all(isinstance(v, str) and not EXPR.search(v)
                                                                 for v in listed + included)
