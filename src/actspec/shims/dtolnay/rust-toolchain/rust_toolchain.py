"""actspec shim of dtolnay/rust-toolchain: records the toolchain request (see README.md)."""

from __future__ import annotations

import os

from actspec_shim import gha, rust


def run() -> int:
    toolchain = gha.get_input("toolchain")
    source = "input"
    if not toolchain:
        ref = os.environ.get("GITHUB_ACTION_REF", "")
        if rust.TOOLCHAIN.match(ref):
            toolchain, source = ref, "ref"
        else:
            gha.fail("Input required and not supplied: toolchain")
    targets = rust.split_list(gha.get_input("targets")) + rust.split_list(gha.get_input("target"))
    components = rust.split_list(gha.get_input("components"))
    facts = rust.setup_toolchain(toolchain, components, targets, source=source)
    for name, value in (
        ("CARGO_INCREMENTAL", "0"),
        ("CARGO_PROFILE_DEV_DEBUG", "0"),
        ("CARGO_TERM_COLOR", "always"),
        ("RUST_BACKTRACE", "short"),
    ):
        rust.export_if_unset(name, value)
    gha.set_output("cachekey", facts["cachekey"])
    gha.set_output("name", facts["provided"])
    return 0


if __name__ == "__main__":
    gha.main(run)
