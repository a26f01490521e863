"""Main step of the actions-rust-lang/setup-rust-toolchain shim (see README.md)."""

from __future__ import annotations

import os
import tomllib

from actspec_shim import gha, rust, rustcache, setup


def toolchain_file() -> str:
    ws = gha.workspace()
    for name in ("rust-toolchain.toml", "rust-toolchain"):
        path = os.path.join(ws, name)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            return str(tomllib.loads(raw.decode()).get("toolchain", {}).get("channel", ""))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return raw.decode(errors="replace").strip()
    return ""


def run() -> int:
    toolchain = gha.get_input("toolchain")
    source = "input"
    if not toolchain:
        toolchain = toolchain_file()
        source = "rust-toolchain file" if toolchain else "default"
        toolchain = toolchain or "stable"
    targets = rust.split_list(gha.get_input("target"))
    components = rust.split_list(gha.get_input("components"))
    cache = gha.get_input("cache", "true").lower() == "true"
    # an explicit empty rustflags means "do not set RUSTFLAGS", so the raw value is read
    rustflags = os.environ.get("INPUT_RUSTFLAGS", "-D warnings")
    facts = rust.setup_toolchain(
        toolchain, components, targets, source=source,
        extra={"cache": cache, "rustflags": rustflags, "action": "actions-rust-lang/setup-rust-toolchain"},
    )
    for name, value in (("CARGO_INCREMENTAL", "0"), ("CARGO_PROFILE_DEV_DEBUG", "0"), ("CARGO_TERM_COLOR", "always"),
                        ("RUST_BACKTRACE", "short")):
        rust.export_if_unset(name, value)
    if rustflags.strip():
        gha.export_variable("RUSTFLAGS", rustflags.strip())

    gha.set_output("rustc-version", setup.command_output(["rustc", "--version"]).strip())
    gha.set_output("cargo-version", setup.command_output(["cargo", "--version"]).strip())
    rustup_out = setup.command_output(["rustup", "--version"]).strip().splitlines() if setup.which("rustup") else []
    gha.set_output("rustup-version", rustup_out[0] if rustup_out else "")
    gha.set_output("cachekey", facts["cachekey"])

    if cache:
        if gha.get_input("cache-on-failure").lower() == "true":
            gha.export_variable("CACHE_ON_FAILURE", "true")
        inputs = {
            "workspaces": gha.get_input("cache-workspaces"),
            "cache-directories": gha.get_input("cache-directories"),
            "cache-on-failure": gha.get_input("cache-on-failure"),
            "key": gha.get_input("cache-key"),
            "shared-key": gha.get_input("cache-shared-key"),
            "cache-bin": gha.get_input("cache-bin", "true"),
        }
        cfg = rustcache.build_config(inputs)
        _hit, exact, _matched = rustcache.restore(cfg)
        gha.save_state(rustcache.STATE, cfg.to_state())
        gha.save_state("RUST_CACHE_EXACT", exact)
    return 0


if __name__ == "__main__":
    gha.main(run)
