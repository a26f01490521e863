"""Main step of the Swatinem/rust-cache shim: compute the key and restore (see README.md)."""

from __future__ import annotations

from actspec_shim import gha, rustcache

INPUTS = (
    "prefix-key", "shared-key", "key", "add-job-id-key", "add-rust-environment-hash-key", "env-vars",
    "workspaces", "cache-directories", "cache-targets", "cache-on-failure", "cache-bin", "lookup-only",
)


def run() -> int:
    inputs = {name: gha.get_input(name) for name in INPUTS}
    if inputs["cache-on-failure"].lower() == "true":
        gha.export_variable("CACHE_ON_FAILURE", "true")
    gha.export_variable("CARGO_INCREMENTAL", "0")
    cfg = rustcache.build_config(inputs)
    _hit, exact, _matched = rustcache.restore(cfg)
    gha.set_output("cache-hit", exact)
    gha.save_state(rustcache.STATE, cfg.to_state())
    gha.save_state("RUST_CACHE_EXACT", exact)
    return 0


if __name__ == "__main__":
    gha.main(run)
