"""The document's release platforms, and how a repository may spell them.

"Release Workflow" names the release's platforms once: the coglet wheels are built for
"3 platforms: linux x64/arm64, macos arm64".  A repository spells them as it likes: a
matrix value (``linux-x64``, ``x86_64-unknown-linux-gnu``, ``darwin/arm64``), a wheel's
platform tag (``manylinux_2_28_aarch64``, ``macosx_11_0_arm64``), a CLI asset's name
(``cog_linux_amd64``, ``cog-Darwin-arm64``).  Checks and ``init`` compare what a repository
built with the document's list through :func:`spelled`, never through one repository's
spellings; a built program's platform is read from its executable header
(:func:`of_program`), whatever its file is called.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Platform:
    """An operating system family and a CPU, in the document's words (``linux x64``)."""

    os: str
    arch: str

    def __str__(self) -> str:
        return f"{self.os} {self.arch}"


# "3 platforms: linux x64/arm64, macos arm64" (ci-architecture.md, "Release Workflow").
DOCUMENT_PLATFORMS = (Platform("linux", "x64"), Platform("linux", "arm64"), Platform("macos", "arm64"))

# Only the families the document names: any other (windows, freebsd) is no platform of its list.
_OS = (("linux", re.compile(r"linux|ubuntu", re.I)), ("macos", re.compile(r"macos|darwin|apple|osx", re.I)))
_ARCH = (("x64", re.compile(r"x86[_-]?64|amd64|x64", re.I)), ("arm64", re.compile(r"aarch64|arm64", re.I)))

# Executable headers: ELF e_machine and Mach-O cputype -> the document's CPU names.
_ELF_MACHINES = {62: "x64", 183: "arm64"}
_MACHO_CPUS = {0x01000007: "x64", 0x0100000C: "arm64"}
_MACHO_MAGIC = b"\xcf\xfa\xed\xfe"  # 64-bit Mach-O, little-endian (every macOS CPU the document names)


def spelled(text: str) -> Platform | None:
    """The platform ``text`` names (one OS family and one CPU), or None when it names none or
    several: ``linux-x64`` and ``x86_64-unknown-linux-gnu`` are linux x64, ``macos-14`` none."""
    oses = {name for name, pattern in _OS if pattern.search(text)}
    arches = {name for name, pattern in _ARCH if pattern.search(text)}
    if len(oses) == 1 and len(arches) == 1:
        return Platform(oses.pop(), arches.pop())
    return None


def of_program(data: bytes) -> Platform | None:
    """The platform an executable was built for, from its header: ELF (taken as linux, the
    only ELF platform the document names) or 64-bit Mach-O (macos); None for any other file."""
    if data[:4] == b"\x7fELF" and len(data) >= 20:
        order = "<" if data[5] == 1 else ">"
        arch = _ELF_MACHINES.get(struct.unpack(order + "H", data[18:20])[0])
        return Platform("linux", arch) if arch else None
    if data[:4] == _MACHO_MAGIC and len(data) >= 8:
        arch = _MACHO_CPUS.get(struct.unpack("<I", data[4:8])[0])
        return Platform("macos", arch) if arch else None
    return None

