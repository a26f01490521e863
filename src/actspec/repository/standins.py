"""Which local directory stands for each third-party action: a kit shim, a binding shim, or a stand-in.

act is run with ``--local-repository owner/repo@ref=<dir>`` for every action a workflow
uses, so nothing is downloaded.  The directory is, in this order: the binding's ``shims:``
entry, a composite action generated at run time from the binding's ``standins:`` entry
(outputs it sets, files it writes, a command it runs; nothing at all when the entry is
empty; it replaces a kit shim too), or the kit's shim under
``src/actspec/shims/<owner>/<repo>/``.  A generated stand-in
records ``standin.run`` in the ledger, so the report can say that a declared stand-in, not
the real action, ran.  Preflight and the runner share :func:`plan`, so an action preflight
accepts is one the runner can map.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from actspec.errors import BindingError
from actspec.repository import workflow as wf

if TYPE_CHECKING:
    from actspec.repository.binding import Binding, StandIn

SHIMS = Path(__file__).parents[1] / "shims"
CHECKOUT = "actions/checkout"  # act copies the local repository for a checkout of itself
KIND = "standin.run"


class ShimError(BindingError):
    """An action has no shim and no stand-in, or its shim's action.yml is unreadable."""


@dataclass(frozen=True)
class ActionUse:
    """One ``uses: owner/repo[/path]@ref`` of a step or job."""

    ref: str
    workflow: Path
    job: str
    step: str  # the step id, or its 0-based index (what act puts in $GITHUB_ACTION)
    with_keys: tuple[str, ...] = ()  # the inputs the caller passes

    @property
    def name(self) -> str:
        return self.ref.partition("@")[0]

    @property
    def version(self) -> str:
        return self.ref.partition("@")[2]

    @property
    def owner_repo(self) -> str:
        return "/".join(self.name.split("/")[:2])

    @property
    def subpath(self) -> str:
        return "/".join(self.name.split("/")[2:])

    @property
    def local_key(self) -> str:
        return f"{self.owner_repo}@{self.version}"


def action_uses(workflow: wf.Workflow) -> list[ActionUse]:
    """Every remote action the workflow's steps and jobs use (local ``./`` and ``docker://`` excluded)."""
    out = []
    for job_id, job in (wf.raw(workflow.path).get("jobs") or {}).items():
        if not isinstance(job, dict):
            continue
        if isinstance(job.get("uses"), str) and "@" in job["uses"] and not job["uses"].startswith("./"):
            out.append(ActionUse(job["uses"], workflow.path, str(job_id), "", _keys(job.get("with"))))
        for i, step in enumerate(job.get("steps") or []):
            ref = step.get("uses") if isinstance(step, dict) else None
            if isinstance(ref, str) and "@" in ref and not ref.startswith(("./", "docker://")):
                out.append(ActionUse(ref, workflow.path, str(job_id), str(step.get("id", i)), _keys(step.get("with"))))
    return out


def _keys(with_: Any) -> tuple[str, ...]:
    return tuple(str(k) for k in with_) if isinstance(with_, dict) else ()


@dataclass
class Plan:
    """Local directories by ``owner/repo@ref``, stand-ins to generate, and what has neither."""

    local: dict[str, Path] = field(default_factory=dict)
    generate: dict[str, dict[str, StandIn]] = field(default_factory=dict)  # local key -> subpath -> stand-in
    missing: list[ActionUse] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


def shim_dir(bound: Binding, use: ActionUse) -> Path | None:
    """The binding's ``shims:`` directory for ``use``, else (without a stand-in) the kit's shim."""
    rel = bound.shims.get(use.local_key) or bound.shims.get(use.owner_repo)
    if rel is not None:
        return (bound.root / rel) if rel.startswith(".") or (bound.root / rel).is_dir() else SHIMS / rel
    kit = SHIMS / use.owner_repo
    return kit if kit.is_dir() and standin_for(bound, use) is None else None


def standin_for(bound: Binding, use: ActionUse) -> StandIn | None:
    return bound.standins.get(f"{use.name}@{use.version}") or bound.standins.get(use.name)


def plan(bound: Binding, uses: list[ActionUse]) -> Plan:
    out = Plan()
    seen_missing: set[str] = set()
    checked: set[Path] = set()
    for use in uses:
        if use.owner_repo == CHECKOUT:
            continue
        directory = shim_dir(bound, use)
        if directory is not None:
            out.local[use.local_key] = directory
            action = _action_file(directory / use.subpath)
            if action not in checked:
                checked.add(action)
                problem = _unreadable(action)
                if problem:
                    out.broken.append(f"{problem} (the shim {use.workflow.name} uses for {use.ref})")
            continue
        standin = standin_for(bound, use)
        if standin is not None:
            out.generate.setdefault(use.local_key, {})[use.subpath] = standin
            continue
        if use.ref not in seen_missing:
            seen_missing.add(use.ref)
            out.missing.append(use)
    return out


def _action_file(directory: Path) -> Path:
    yaml_file = directory / "action.yaml"
    return yaml_file if yaml_file.is_file() else directory / "action.yml"


def _unreadable(action: Path) -> str | None:
    """Why act would refuse this action.yml, in one line, or None."""
    if not action.is_file():
        return f"{action}: no such file"
    try:
        data = yaml.safe_load(action.read_text())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return f"{action}{f':{mark.line + 1}' if mark else ''}: malformed YAML: {getattr(exc, 'problem', None) or exc}"
    if not isinstance(data, dict) or not isinstance(data.get("runs"), dict):
        return f"{action}: an action.yml needs a `runs:` mapping"
    return None


def local_repositories(bound: Binding, workflow: wf.Workflow, dest: Path) -> dict[str, Path]:
    """``owner/repo@ref`` -> directory for act, generating the stand-ins under ``dest``."""
    uses = action_uses(workflow)
    found = plan(bound, uses)
    if found.missing or found.broken:
        lines = found.broken + [f"{u.ref} has no shim: declare a stand-in in {bound.root / 'actspec.yaml'}, "
                                f"e.g. `standins: {snippet(u, uses)}`" for u in found.missing]
        raise ShimError(f"{workflow.path.name}: " + "; ".join(lines))
    inputs: dict[str, set[str]] = {}
    for use in uses:
        inputs.setdefault(use.name, set()).update(use.with_keys)
    for key, subpaths in found.generate.items():
        root = dest / re.sub(r"[^\w.-]", "_", key)
        for subpath, standin in subpaths.items():
            name = f"{key.partition('@')[0]}{'/' + subpath if subpath else ''}"
            target = root / subpath
            target.mkdir(parents=True, exist_ok=True)
            (target / "action.yml").write_text(render(f"{name}@{key.partition('@')[2]}", standin,
                                                      sorted(inputs.get(name, ()))))
        found.local[key] = root
    return found.local


def render(ref: str, standin: StandIn, inputs: list[str]) -> str:
    """The composite action.yml of a stand-in.

    Output and file values go through the step's ``env:``, so act evaluates any
    ``${{ inputs.<name> }}`` in them, as it would for a real action's inputs.
    """
    env: dict[str, str] = {
        "PYTHONPATH": "/actspec/lib",
        "ACTSPEC_STANDIN": ref,
        "ACTSPEC_STANDIN_OUTPUTS": json.dumps(list(standin.outputs)),
        "ACTSPEC_STANDIN_FILES": json.dumps(list(standin.files)),
        "ACTSPEC_STANDIN_RUN": standin.run or "",
    }
    env.update({f"ACTSPEC_STANDIN_OUTPUT_{i}": v for i, v in enumerate(standin.outputs.values())})
    env.update({f"ACTSPEC_STANDIN_FILE_{i}": v for i, v in enumerate(standin.files.values())})
    steps: list[dict[str, Any]] = [
        {"id": "standin", "shell": "bash", "run": "python3 -m actspec_shim.standin", "env": env},
    ]
    if standin.run:
        steps.append({"shell": "bash", "run": standin.run})
    action = {
        "name": f"actspec stand-in for {ref}",
        "description": "Generated from the standins: entry of actspec.yaml; the real action does not run.",
        "inputs": {name: {"description": "passed by the workflow; available as inputs.<name>"} for name in inputs},
        "outputs": {name: {"value": f"${{{{ steps.standin.outputs.{name} }}}}"} for name in standin.outputs},
        "runs": {"using": "composite", "steps": steps},
    }
    return "# Generated by actspec from the binding's standins: entry.\n" + yaml.safe_dump(action, sort_keys=False)


def snippet(use: ActionUse, uses: list[ActionUse]) -> str:
    """A one-line YAML stand-in for ``use``: the outputs the workflows read from it, else a no-op."""
    outputs: list[str] = []
    for other in uses:
        if other.name != use.name or other.step.isdigit() or not other.step:
            continue
        text = other.workflow.read_text()
        outputs += re.findall(rf"steps\.{re.escape(other.step)}\.outputs\.([\w-]+)", text)
    if use.step == "" and not outputs:
        text = use.workflow.read_text()
        outputs += re.findall(rf"needs\.{re.escape(use.job)}\.outputs\.([\w-]+)", text)
    names = list(dict.fromkeys(outputs))
    body = "{outputs: {" + ", ".join(f"{n}: ''" for n in names) + "}}" if names else "{}"
    return f"{{{use.name}: {body}}}"
