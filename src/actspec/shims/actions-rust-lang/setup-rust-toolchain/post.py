"""Post step of the actions-rust-lang/setup-rust-toolchain shim: the rust-cache save."""

from __future__ import annotations

from actspec_shim import gha, rustcache


def run() -> int:
    if gha.get_input("cache", "true").lower() != "true":
        return 0
    state = gha.get_state(rustcache.STATE)
    cfg = rustcache.Config.from_state(state) if state else None
    save_if = gha.get_input("cache-save-if", "true")
    if save_if.lower() != "true":
        rustcache.record_skip(cfg, "save-if false", save_if=save_if)
        return 0
    if cfg is None:
        rustcache.record_skip(None, "main step did not run")
        return 0
    if gha.get_state("RUST_CACHE_EXACT") == "true":
        gha.info("Cache up-to-date.")
        rustcache.record_skip(cfg, "exact key hit")
        return 0
    rustcache.save(cfg)
    return 0


if __name__ == "__main__":
    gha.main(run)
