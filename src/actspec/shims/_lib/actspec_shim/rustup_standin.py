#!/usr/bin/env python3
"""actspec's stand-in for ``rustup`` in a runner image that has none.

The image has one rust toolchain (its rustc/cargo).  This stand-in lets the usual workflow
lines run without changing anything: ``rustup default <tc>``, ``rustup toolchain install``,
``rustup component add``, ``rustup target add``, ``rustup show``, ``rustup run <tc> <cmd>``,
``rustup which <cmd>``, ``rustup override set``.  A component or target the image lacks is
reported with a warning line; the command still succeeds (the real rustup would have
installed it, and the step that uses it is the one that should fail).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

HOST = "x86_64-unknown-linux-gnu"
VERSION = "rustup 1.28.2 (actspec stand-in)"


def toolchain_name(tc: str) -> str:
    return tc if tc.count("-") >= 3 else f"{tc}-{HOST}"


def rustc_release() -> str:
    try:
        out = subprocess.run(["rustc", "-V"], capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return "(no rustc in the image)"
    return out.strip()


def component_present(name: str) -> bool | None:
    base = name.removesuffix("-preview")
    probes = {"rustfmt": ["cargo", "fmt", "--version"], "clippy": ["cargo", "clippy", "--version"]}
    if base in ("rustc", "cargo", "rust-std"):
        return shutil.which(base if base != "rust-std" else "rustc") is not None
    if base not in probes:
        return None
    if not shutil.which(probes[base][0]):
        return False
    proc = subprocess.run(probes[base], capture_output=True, text=True)
    return proc.returncode == 0


def info(msg: str) -> None:
    print(f"info: {msg}", file=sys.stderr)


def warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


def positional(args: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("--profile", "--toolchain", "-c", "--component", "-t", "--target", "--path"):
            skip = True
            continue
        if a.startswith("-"):
            continue
        out.append(a)
    return out


def option_values(args: list[str], *names: str) -> list[str]:
    vals: list[str] = []
    for i, a in enumerate(args):
        if a in names and i + 1 < len(args):
            vals.extend(re.split(r"[\s,]+", args[i + 1]))
    return [v for v in vals if v]


def add_components(names: list[str]) -> int:
    for c in names:
        present = component_present(c)
        if present is False:
            warn(f"component '{c}' for target '{HOST}' is not in the actspec runner image; steps that use it will fail")
        else:
            info(f"component '{c}' for target '{HOST}' is up to date")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(f"{VERSION}\nusage: rustup <default|toolchain|component|target|show|run|which|override> ...")
        return 0 if argv else 1
    cmd, rest = argv[0], argv[1:]
    if cmd in ("--version", "-V"):
        print(VERSION)
        return 0
    if cmd == "default":
        tcs = positional(rest)
        if not tcs:
            print(f"stable-{HOST} (default)")
            return 0
        info(f"using the runner image's toolchain for '{toolchain_name(tcs[0])}'")
        info(f"default toolchain set to '{toolchain_name(tcs[0])}'")
        return 0
    if cmd == "toolchain":
        sub, args = (rest[0], rest[1:]) if rest else ("list", [])
        if sub in ("install", "add", "update"):
            for tc in positional(args):
                info(f"using the runner image's toolchain for '{toolchain_name(tc)}' ({rustc_release()})")
            add_components(option_values(args, "-c", "--component"))
            for t in option_values(args, "-t", "--target"):
                if t != HOST:
                    warn(f"target '{t}' is not in the actspec runner image")
            return 0
        if sub in ("list", "ls"):
            print(f"stable-{HOST} (default)")
            return 0
        if sub in ("uninstall", "remove", "link"):
            return 0
    if cmd in ("update", "install"):
        for tc in positional(rest):
            info(f"using the runner image's toolchain for '{toolchain_name(tc)}' ({rustc_release()})")
        return 0
    if cmd == "component":
        sub, args = (rest[0], rest[1:]) if rest else ("list", [])
        if sub == "add":
            return add_components(positional(args))
        if sub == "list":
            for c in ("cargo", "rustc", "rust-std", "rustfmt", "clippy"):
                if component_present(c):
                    print(f"{c}-{HOST} (installed)")
            return 0
        if sub == "remove":
            return 0
    if cmd == "target":
        sub, args = (rest[0], rest[1:]) if rest else ("list", [])
        if sub == "add":
            for t in positional(args):
                if t != HOST:
                    warn(f"target '{t}' is not in the actspec runner image; building for it will fail")
                else:
                    info(f"component 'rust-std' for target '{t}' is up to date")
            return 0
        if sub == "list":
            print(f"{HOST} (installed)")
            return 0
        if sub == "remove":
            return 0
    if cmd == "show":
        print(f"Default host: {HOST}\n\nactive toolchain\n----------------\nstable-{HOST} (default)\n{rustc_release()}")
        return 0
    if cmd == "run":
        args = positional(rest[:1]) + rest[1:]
        if len(args) < 2:
            print("error: rustup run needs a toolchain and a command", file=sys.stderr)
            return 1
        exe = shutil.which(args[1])
        if not exe:
            print(f"error: command '{args[1]}' not found", file=sys.stderr)
            return 1
        os.execv(exe, args[1:])
    if cmd == "which":
        names = positional(rest)
        path = shutil.which(names[0]) if names else None
        if not path:
            print(f"error: unknown binary '{names[0] if names else ''}' in toolchain 'stable-{HOST}'", file=sys.stderr)
            return 1
        print(path)
        return 0
    if cmd in ("override", "self", "set"):
        return 0
    print(f"error: the actspec rustup stand-in does not implement 'rustup {cmd}'", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
