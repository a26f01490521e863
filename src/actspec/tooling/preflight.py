"""Checks made before any scenario runs, each failing with one line that names the fix."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Iterable

from actspec.engine.engines import Engine, primary
from actspec.errors import BindingError, PreflightError
from actspec.repository import binding, binding_schema
from actspec.tooling import provision


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
                             "(`python -m actspec.tooling.provision engines` starts the kit's engines)") from None


ACT_VERSION_TIMEOUT = 20  # seconds; `act --version` answers at once, a hung act must not hang pytest


def check_act(act: Path) -> None:
    """act exists, runs, and is the pinned version; each way it can fail is one line."""
    setup = f"run `make setup` (builds act v{provision.ACT_VERSION} with go install)"
    if not act.exists():
        raise PreflightError(f"act is missing at {act}: {setup}")
    if act.is_dir():
        raise PreflightError(f"act at {act} is a directory, not the act binary: remove it and {setup}")
    try:
        proc = subprocess.run([str(act), "--version"], capture_output=True, text=True, timeout=ACT_VERSION_TIMEOUT,
                              errors="replace")
    except subprocess.TimeoutExpired:
        raise PreflightError(f"act at {act} did not answer `act --version` within {ACT_VERSION_TIMEOUT}s: "
                             f"replace it ({setup})") from None
    except PermissionError:
        raise PreflightError(f"act at {act} is not executable: `chmod +x {act}` or {setup}") from None
    except OSError as exc:  # ENOEXEC and kin: not a program this machine can run
        raise PreflightError(f"act at {act} cannot be run ({exc.strerror or exc}): {setup}") from None
    out = proc.stdout.strip()
    version = out.rsplit(" ", 1)[-1] if out and proc.returncode == 0 else "unknown"
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


def check_runner_tools() -> None:
    """The real tools the shims hand to job containers are provisioned (existence only: quick)."""
    missing = [name for name in provision.RUNNER_TOOL_NAMES if not provision.runner_tool(name).is_file()]
    if missing:
        raise PreflightError(f"{', '.join(missing)} missing under {provision.RUNNER_TOOLS}: run `make setup` "
                             f"(or `python -m actspec.tooling.provision {' '.join(missing)}`)")


def check_tools(act: Path, image: str, engines: list[Engine] | None = None) -> None:
    check_act(act)  # local and quick: before asking any engine anything
    if shutil.which("setpriv") is None:
        raise PreflightError("setpriv (util-linux) is missing: install it with `apt-get install util-linux`")
    for engine in engines or [primary()]:
        check_docker(engine)
    for engine in engines or [primary()]:
        check_image(image, engine)
    check_runner_tools()
