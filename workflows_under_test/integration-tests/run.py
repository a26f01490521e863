#!/usr/bin/env python3
"""Integration test: install the built wheels into a fresh venv and use them.

    python3 integration-tests/run.py --variant cog        # SDK wheel only
    python3 integration-tests/run.py --variant cog-rust   # SDK wheel + coglet wheel

Wheels are taken from ``dist/`` (``--dist``): the CogPackage artifact provides
``cog-*.whl``, the CogletRustWheel artifact ``coglet-*-cp310-abi3-*.whl``.
Installation is offline (``uv pip install --no-index`` when uv is on PATH, else
``pip install --no-index``).  The ``cog-rust`` variant
installs ``cog[coglet]`` so the SDK's lockstep requirement on coglet is resolved
against the local coglet wheel.  The checks run from a scratch directory, so only
installed code is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("cog", "cog-rust")

CHECKS = textwrap.dedent(
    """
    import json, sys
    from importlib import metadata

    import cog
    from cog import BasePredictor, Input, ValidationError

    variant, expected = sys.argv[1], sys.argv[2]
    assert cog.__version__ == expected, (cog.__version__, expected)
    assert "site-packages" in cog.__file__, cog.__file__


    class Greeter(BasePredictor):
        def setup(self):
            try:
                import coglet
            except ImportError:
                coglet = None
            self.coglet = coglet

        def predict(self, name: str = Input(default="world"),
                    times: int = Input(default=1, ge=1, le=3)) -> str:
            if self.coglet is not None:
                text = self.coglet.greet(name)
                return " ".join([text] * self.coglet.add(times, 0))
            return " ".join([f"Hello, {name}!"] * times)


    p = Greeter()
    assert p.run(name="cog", times=2) == "Hello, cog! Hello, cog!"
    try:
        p.run(times=5)
    except ValidationError:
        pass
    else:
        raise AssertionError("times=5 was accepted")

    if variant == "cog-rust":
        import coglet
        assert p.coglet is coglet
        assert coglet.__version__ == cog.__version__, coglet.__version__
        assert cog.coglet_version() == cog.__version__
        assert coglet._coglet.__file__.endswith("_coglet.abi3.so")
        assert coglet.add(40, 2) == 42
        assert metadata.version("coglet") == expected
    else:
        assert p.coglet is None
        assert cog.coglet_version() is None
        try:
            metadata.version("coglet")
        except metadata.PackageNotFoundError:
            pass
        else:
            raise AssertionError("coglet is installed in the cog variant")

    print(json.dumps({"variant": variant, "cog": cog.__version__,
                      "coglet": cog.coglet_version()}))
    """
)


def one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise SystemExit(f"error: expected one {pattern} in {dist}, found: {names}")
    return found[0]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    shown = ["<checks>" if c is CHECKS else str(c) for c in cmd]
    print("+", " ".join(shown), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--variant",
        choices=VARIANTS,
        default=os.environ.get("COG_TEST_VARIANT", "cog"),
        help="default: $COG_TEST_VARIANT or cog",
    )
    parser.add_argument(
        "--dist", default=str(ROOT / "dist"), help="default: <repo>/dist"
    )
    args = parser.parse_args(argv)
    dist = Path(args.dist).resolve()

    cog_wheel = one(dist, "cog-*.whl")
    version = cog_wheel.name.split("-")[1]
    with tempfile.TemporaryDirectory(prefix="cog-integration-") as tmp:
        venv = Path(tmp) / "venv"
        python = venv / "bin" / "python"
        uv = shutil.which("uv")
        if uv:  # CI sets uv up (its cache is the document's Python/uv cache)
            run([uv, "venv", "--quiet", "--python", sys.executable, venv])
            install = [uv, "pip", "install", "--python", python, "--no-index"]
            check = [uv, "pip", "check", "--python", python]
        else:
            run([sys.executable, "-m", "venv", venv])
            install = [
                python,
                "-m",
                "pip",
                "--disable-pip-version-check",
                "install",
                "--no-index",
            ]
            check = [python, "-m", "pip", "--disable-pip-version-check", "check"]
        if args.variant == "cog":
            run(install + [cog_wheel])
        else:
            one(dist, "coglet-*-cp310-abi3-*.whl")
            run(install + ["--find-links", dist, f"cog[coglet]=={version}"])
        run(check)
        run([python, "-c", CHECKS, args.variant, version], cwd=tmp)
    print(f"PASS integration variant={args.variant} version={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
