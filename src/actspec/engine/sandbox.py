"""Run a program that the workflow under test built: in a throwaway container, never on the host.

A check such as "the CLI attached to the release reports version 0.17.0" has to execute
what the workflow produced.  That code is the repository's, not the kit's, so it runs in
the runner image with no network, as ``nobody``, from a read-only mount, and the
container carries the kit's hygiene label so a sweep finds it if the kit dies meanwhile.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

from actspec.engine import hygiene

TIMEOUT = 60  # seconds for the program to finish


class SandboxError(RuntimeError):
    """The program could not be run in its container, or did not finish in time."""


def run_built(image: str, program: bytes, args: list[str], *, workdir: Path | None = None) -> str:
    """``program args...`` in a container of ``image``; its standard output, stripped."""
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    cli = hygiene.client()
    label = f"sandbox-{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix="actspec-sandbox-", dir=workdir) as tmp:
        path = Path(tmp) / "program"
        path.write_bytes(program)
        path.chmod(0o755)
        Path(tmp).chmod(0o755)
        container = None
        try:
            container = cli.containers.run(
                image, ["/sandbox/program", *args], detach=True, network_mode="none", user="65534:65534",
                read_only=True, volumes={tmp: {"bind": "/sandbox", "mode": "ro"}}, labels={hygiene.LABEL: label},
            )
            status = container.wait(timeout=TIMEOUT)
            out = container.logs(stdout=True, stderr=False).decode("utf-8", "replace")
        except DockerException as exc:
            raise SandboxError(f"could not run {args and args[0]!r} of the built program in {image}: {exc}") from None
        except RequestException as exc:  # wait() timed out: the program hung
            raise SandboxError(f"the built program did not finish within {TIMEOUT}s: {exc}") from None
        finally:
            if container is not None:
                container.remove(force=True)
    if status.get("StatusCode") not in (0, None):
        raise SandboxError(f"the built program exited with status {status.get('StatusCode')}: {out.strip()!r}")
    return out.strip()
