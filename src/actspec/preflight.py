"""Checks made before any scenario runs, each failing with one line that names the fix."""

from __future__ import annotations

import subprocess
from pathlib import Path

from actspec import binding, provision
from actspec.errors import PreflightError


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


def check_repository(root: Path) -> binding.Binding:
    """The binding at ``root``, every workflow it names read once (``BindingError`` or
    ``WorkflowError`` when one cannot be)."""
    bound = binding.load(root)
    for role in bound.workflows:
        if (root / bound.workflows[role]).exists():
            bound.load_workflow(role)
    return bound


def check_tools(act: Path, image: str) -> None:
    check_docker()
    check_act(act)
    check_image(image)
