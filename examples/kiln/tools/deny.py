"""License check of the kiln example (a cargo-deny stand-in): every crate declares Apache-2.0."""

import pathlib
import sys
import tomllib

workspace = tomllib.loads(pathlib.Path("crates/Cargo.toml").read_text())
license_ = workspace["workspace"]["package"]["license"]
if license_ != "Apache-2.0":
    sys.exit(f"license {license_!r} is not allowed")
print("licenses ok")
