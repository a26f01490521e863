"""A test session's shared state: one service host, one ledger, one runner with its run cache."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from actspec import sandbox
from actspec.binding import Binding
from actspec.ledger import Ledger
from actspec.runner import Runner
from actspec.services import Service
from actspec.services.crates import CratesService
from actspec.services.github import GitHubService
from actspec.services.host import ServiceHost
from actspec.services.kit import KitService
from actspec.services.oidc import TrustedPublisher
from actspec.services.pypi import PyPIService


def make_services(bound: Binding, ledger: Ledger, workdir: Path) -> list[Service]:
    """The kit endpoints and the GitHub, PyPI and crates.io mocks, configured from the binding.

    ``trusted_publishers`` in the binding reads ``{registry: {project: [{workflow, environment}]}}``;
    the repository is the binding's.
    """
    github = GitHubService(ledger, environments=bound.environments)

    def publishers(registry: str) -> dict[str, list[TrustedPublisher]]:
        table = bound.trusted_publishers.get(registry) or {}
        return {
            project: [TrustedPublisher(bound.repository, str(p["workflow"]), p.get("environment"))
                      for p in (entries if isinstance(entries, list) else [entries])]
            for project, entries in table.items()
        }

    return [
        KitService(ledger, default_branch=bound.default_branch, workdir=workdir),
        github,
        PyPIService(ledger, verifier=github.verifier(), trusted_publishers=publishers("pypi")),
        CratesService(ledger, verifier=github.verifier(), trusted_publishers=publishers("crates")),
    ]


PREFIX = "actspec-"
OWNER = ".owner-pid"


def sweep_stale() -> list[Path]:
    """Remove session dirs whose pytest process is gone (killed before it could clean up)."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*/{OWNER}"):
        try:
            os.kill(int(path.read_text().strip()), 0)
        except (ProcessLookupError, ValueError):
            shutil.rmtree(path.parent, ignore_errors=True)
            removed.append(path.parent)
        except PermissionError:
            continue  # alive, another user's
    return removed


class Session:
    def __init__(
        self,
        bound: Binding,
        *,
        act: Path,
        image: str,
        keep: bool = False,
        progress: Callable[[str], None] | None = None,
        mode: str = "full",
    ) -> None:
        self.binding = bound
        self.mode = mode  # "full", or "structure" (actspec.structure): every run of the session
        self.ledger = Ledger()
        self.keep = keep
        sweep_stale()
        self.workdir = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.workdir / OWNER).write_text(str(os.getpid()))
        self.services = make_services(bound, self.ledger, self.workdir)
        self.host = ServiceHost(self.services).start()
        self.runner = Runner(bound, self.host, self.ledger, act=act, image=image, workdir=self.workdir,
                             progress=progress, keep=keep)

    def run_built(self, program: bytes, args: list[str]) -> str:
        """Run a program the workflow under test built, in a container of the runner image."""
        return sandbox.run_built(self.runner.image, program, args, workdir=self.workdir)

    def write_results(self, out: Path) -> list[str]:
        """Every run's machine-readable result and log, for the report; returns the file names."""
        out.mkdir(parents=True, exist_ok=True)
        written: list[str] = []
        for result in self.runner.results.values():
            (out / f"{result.run_id}.json").write_text(json.dumps(result.to_json(), indent=1, default=str))
            written.append(f"{result.run_id}.json")
            if result.log_path and result.log_path.exists():
                shutil.copy(result.log_path, out / f"{result.run_id}.log")
                written.append(f"{result.run_id}.log")
        return written

    def close(self) -> None:
        self.host.stop()
        for svc in self.services:
            svc.close()
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
