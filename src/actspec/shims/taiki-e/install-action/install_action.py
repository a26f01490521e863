"""taiki-e/install-action shim: the tools come from the runner image (see README.md).

The real action downloads release binaries; an offline run cannot, so each requested tool
must already be on the image's PATH.  Each request is recorded as ``setup.<tool>`` with the
version asked for, the one the image has, and whether they agree.
"""

from __future__ import annotations

import os
import re

from actspec_shim import gha, setup

# refs of the action that are versions of the action itself, not tool names
ACTION_REF = re.compile(r"^(v\d+(\.\d+)*|main|master|[0-9a-f]{40})$")


def requests() -> list[tuple[str, str]]:
    text = gha.get_input("tool")
    if not text:
        ref = os.environ.get("GITHUB_ACTION_REF", "")
        if ref and not ACTION_REF.match(ref):
            text = ref
    if not text:
        gha.fail("no tool specified; this could be caused by a dependabot bump or a typo of the `tool` input")
    out = []
    for item in re.split(r"[,\n]", text):
        item = item.strip()
        if item:
            name, _, version = item.partition("@")
            out.append((name, version))
    return out


def run() -> int:
    missing = []
    for name, version in requests():
        path = setup.which(name)
        provided = setup.first_version(setup.command_output([path, "--version"])) if path else None
        setup.record(name, version, requested=version or None, provided=provided, path=path,
                     matches=setup.version_matches(version, provided))
        if path is None:
            missing.append(name)
        else:
            gha.info(f"actspec: {name} {provided or '(version unknown)'} from the runner image at {path}"
                     + (f" (requested {version})" if version else ""))
    if missing:
        gha.fail(f"actspec shim: {', '.join(missing)} not in the runner image (install-action downloads them; "
                 "offline runs cannot): add them to provision/runner-image.packages, or mock the steps that use them")
    return 0


if __name__ == "__main__":
    gha.main(run)
