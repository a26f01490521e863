"""Checks made before any scenario runs, each failing with one line that names the fix."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterable

from actspec import binding, binding_schema, provision
from actspec.errors import BindingError, PreflightError


def check_docker() -> None:
    import docker
    from docker.errors import DockerException

    try:
        docker.from_env(timeout=10).ping()
    except DockerException:
        raise PreflightError(
            "Docker does not answer: start the engine (`make setup` starts dockerd when none runs)"
        ) from None


def check_act(act: Path) -> None:
    if not act.exists():
        raise PreflightError(f"act is missing at {act}: run `make setup` (builds act v{provision.ACT_VERSION} with go install)")
    out = subprocess.run([str(act), "--version"], capture_output=True, text=True).stdout.strip()
    version = out.rsplit(" ", 1)[-1] if out else "unknown"
    if version != provision.ACT_VERSION:
        raise PreflightError(
            f"act at {act} is version {version}, actspec is pinned to {provision.ACT_VERSION}: run `make setup`"
        )


def check_image(image: str) -> None:
    import docker
    from docker.errors import ImageNotFound

    try:
        docker.from_env(timeout=10).images.get(image)
    except ImageNotFound:
        raise PreflightError(f"runner image {image} is missing: run `make setup` (builds it locally with mmdebstrap)") from None


def check_repository(root: Path, roles: Iterable[str] = ()) -> binding.Binding:
    """The binding at ``root``, checked against its schema and the workflows it names.

    ``roles`` are those the selected scenarios use.  Every problem is one line, and all of
    them are reported at once (a missing shim for each action): ``BindingError`` or
    ``WorkflowError``.
    """
    bound = binding.load(root)
    for role in bound.workflows:
        if (root / bound.workflows[role]).exists():
            bound.load_workflow(role)
    problems = binding_schema.check_against_workflows(bound, roles)
    if problems:
        raise BindingError("\n".join(problems))
    return bound


def check_tools(act: Path, image: str) -> None:
    check_docker()
    check_act(act)
    check_image(image)
