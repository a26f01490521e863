"""Questions the features ask the session's services directly, without an act run.

Each probe talks to the session's own services -- the same instances the runs use, so what
a probe makes the mocks do goes to the session's ledger like a job's requests.  HTTP goes
through werkzeug's test client into the service host's WSGI app (no socket); pip, a real
client that needs a real index URL, talks to the host on 127.0.0.1.  A probe returns a
small typed answer; the assertions about it live in :mod:`actspec.bdd.checks`.

Probes run between scenarios' runs, never during one: the runner resets every service
(``restore`` and ``begin_run``) before each act run, so a probe's changes do not leak into
a run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.test import Client

from actspec.errors import SetupError
from actspec.ledger import Entry
from actspec.model import JobFacts, RunInfo, RunSpec
from actspec.services import views

if TYPE_CHECKING:
    from actspec.bdd.session import Session

JOB = "publish"  # the job name the token probe asks as
AUDIENCE = {"pypi": "pypi", "crates": "crates.io"}


@dataclass(frozen=True)
class TokenAnswer:
    """What asking a registry for an upload token came to.

    ``refused_by`` is ``""`` when the token was granted, else ``GitHub`` (no id token) or the
    registry (``pypi``, ``crates``); ``message`` is the refusal as that service worded it.
    ``ledger`` holds the entries the question left (``oidc.token``, ``oidc.exchange``).
    """

    granted: bool
    refused_by: str
    message: str
    ledger: tuple[Entry, ...]


@dataclass(frozen=True)
class PipInstall:
    """What ``pip install`` from the mock PyPI did: its output, the distributions it installed
    (``{name: version}``) and, per module asked for, the ``__version__`` it imports with."""

    ok: bool
    output: str
    installed: dict[str, str]
    imported: dict[str, str]
    import_error: str


def ask_upload_token(session: Session, registry: str, workflow: str, environment: str | None,
                     ref: str) -> TokenAnswer:
    """Ask ``registry`` (``pypi`` or ``crates``) for an upload token the way a job of
    ``workflow`` (a file under ``.github/workflows/``) in ``environment`` at ``ref`` would:
    the mock GitHub mints the job's id token (or refuses, e.g. for an environment whose
    deployment rules do not allow ``ref``), and the registry trades it (or refuses)."""
    if registry not in AUDIENCE:
        raise SetupError(f"unknown registry {registry!r}: ask pypi or crates")
    host = session.host
    env = host.job_env()
    client = Client(host.wsgi)
    mark = session.ledger.mark()
    host.services["github"].begin_run(RunInfo(
        run_id="trusted-publishing-check", repository=session.binding.repository, ref=ref, sha="0" * 40,
        workflow=f".github/workflows/{workflow}", event_name="release",
        jobs={JOB: JobFacts(environment or None, True, False)}, environments=session.binding.environments))

    def call(method: str, url: str, body: object = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        answer = client.open(url.removeprefix(host.url), method=method, json=body, headers=headers or {})
        try:
            return answer.status_code, json.loads(answer.get_data() or b"{}")
        except ValueError:
            return answer.status_code, {"message": answer.get_data(as_text=True)}

    def answer(granted: bool, refused_by: str = "", message: str = "") -> TokenAnswer:
        return TokenAnswer(granted, refused_by, message, tuple(session.ledger.since(mark)))

    audience = AUDIENCE[registry]
    if registry == "pypi":
        audience = str(call("GET", env["ACTSPEC_PYPI_URL"] + "/_/oidc/audience")[1].get("audience", audience))
    status, body = call("GET", env["ACTIONS_ID_TOKEN_REQUEST_URL"] + "&audience=" + audience,
                        headers={"Authorization": f"Bearer {env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']}",
                                 "X-Actspec-Job": JOB})
    if status != 200:
        return answer(False, "GitHub", str(body.get("message", body)))
    jwt = str(body["value"])
    if registry == "pypi":
        status, body = call("POST", env["ACTSPEC_PYPI_URL"] + "/_/oidc/mint-token", {"token": jwt})
        errors = "; ".join(f"{e.get('code')}: {e.get('description')}" for e in body.get("errors", []))
    else:
        status, body = call("POST", env["ACTSPEC_CRATES_URL"] + "/api/v1/trusted_publishing/tokens", {"jwt": jwt})
        errors = "; ".join(str(e.get("detail")) for e in body.get("errors", []))
    if status == 200 and body.get("token"):
        return answer(True)
    return answer(False, registry, errors or str(body))


def pip_install(session: Session, spec: RunSpec, requirement: str, modules: tuple[str, ...]) -> PipInstall:
    """``pip install requirement`` from the mock PyPI as the run of ``spec`` left it, into a
    temporary directory, from that index only; then import ``modules`` from there."""
    pypi = session.host.services["pypi"]
    pypi.restore(session.runner.state_after(spec)["pypi"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    with tempfile.TemporaryDirectory(prefix="actspec-pip-") as tmp:
        cmd = [sys.executable, "-m", "pip", "install", "--isolated", "--no-cache-dir", "--disable-pip-version-check",
               "--target", tmp, "--index-url", f"{session.host.base_url('pypi')}/simple/", requirement]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        installed = {}
        for info in Path(tmp).glob("*.dist-info"):
            name, _, version = info.name[: -len(".dist-info")].rpartition("-")
            installed[name.lower().replace("_", "-")] = version
        imported: dict[str, str] = {}
        error = ""
        if proc.returncode == 0 and modules:
            code = ("import importlib, json, sys; "
                    "print(json.dumps({m: importlib.import_module(m).__version__ for m in sys.argv[1:]}))")
            probe = subprocess.run([sys.executable, "-c", code, *modules], capture_output=True, text=True,
                                   env={**env, "PYTHONPATH": tmp}, timeout=60)
            if probe.returncode == 0:
                imported = json.loads(probe.stdout)
            else:
                error = probe.stderr.strip()
    return PipInstall(proc.returncode == 0, proc.stdout + proc.stderr, installed, imported, error)


def release_binary_output(session: Session, github_state: dict[str, Any], tag: str, asset: str, *args: str) -> str:
    """Run the release ``tag``'s asset ``asset`` (a linux/amd64 binary) with ``args``; its stdout.

    The binary is the workflow's build, so it runs in a container of the runner image
    (:meth:`Session.run_built`), never on the host.
    """
    release = next(iter(views.releases(github_state, tag)), None)
    if release is None:
        raise AssertionError(f"no release for {tag}")
    found = release.asset(asset)
    if found is None:
        raise AssertionError(f"release {tag} has no asset {asset}: {release.asset_names()}")
    return session.run_built(found.data, list(args))
