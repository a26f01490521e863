"""Post step of the Swatinem/rust-cache shim: save unless save-if says no (see README.md)."""

from __future__ import annotations

from actspec_shim import gha, rustcache


def run() -> int:
    return rustcache.post_save(gha.get_input("save-if", "true"))


if __name__ == "__main__":
    gha.main(run)
