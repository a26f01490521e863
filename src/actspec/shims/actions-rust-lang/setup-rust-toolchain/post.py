"""Post step of the actions-rust-lang/setup-rust-toolchain shim: the rust-cache save."""

from __future__ import annotations

from actspec_shim import gha, rustcache


def run() -> int:
    if gha.get_input("cache", "true").lower() != "true":
        return 0
    return rustcache.post_save(gha.get_input("cache-save-if", "true"))


if __name__ == "__main__":
    gha.main(run)
