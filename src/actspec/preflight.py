"""Checks made before any scenario runs, each failing with one line that names the fix."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Iterable

from actspec import binding, binding_schema, provision
from actspec.engines import Engine, primary
from actspec.errors import BindingError, PreflightError


def check_docker(engine: Engine | None = None) -> None:
    from docker.errors import DockerException

    engine = engine or primary()
    try:
        engine.client(timeout=10).ping()
    except DockerException:
        if engine.index == 0:
            raise PreflightError(
                "Docker does not answer: start the engine (`make setup` starts dockerd when none runs)") from None
        raise PreflightError(f"{engine.name} does not answer: run `make setup` "
                             "(`python -m actspec.provision engines` starts the kit's engines)") from None


def check_act(act: Path) -> None:
    if not act.exists():
        raise PreflightError(f"act is missing at {act}: run `make setup` (builds act v{provision.ACT_VERSION} with go install)")
    out = subprocess.run([str(act), "--version"], capture_output=True, text=True).stdout.strip()
    version = out.rsplit(" ", 1)[-1] if out else "unknown"
    if version != provision.ACT_VERSION:
        raise PreflightError(
            f"act at {act} is version {version}, actspec is pinned to {provision.ACT_VERSION}: run `make setup`"
        )


def check_image(image: str, engine: Engine | None = None) -> None:
    from docker.errors import ImageNotFound

    engine = engine or primary()
    try:
        engine.client(timeout=10).images.get(image)
    except ImageNotFound:
        where = "" if engine.index == 0 else f" on {engine.name}"
        raise PreflightError(f"runner image {image} is missing{where}: run `make setup` "
                             "(builds it locally with mmdebstrap and loads it into every engine)") from None


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


def check_tools(act: Path, image: str, engines: list[Engine] | None = None) -> None:
    for engine in engines or [primary()]:
        check_docker(engine)
    check_act(act)
    if shutil.which("setpriv") is None:
        raise PreflightError("setpriv (util-linux) is missing: install it with `apt-get install util-linux`")
    for engine in engines or [primary()]:
        check_image(image, engine)
