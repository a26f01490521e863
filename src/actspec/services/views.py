"""Typed, read-only views of what the mocks held when a run ended.

The runner keeps each service's :meth:`snapshot` per run (``Runner.state_after``); checks
read those snapshots only through these views, so the layout of a mock's state stays the
mock's own business and a check names the document's things: releases, assets, files on
the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packaging.utils import canonicalize_name


@dataclass(frozen=True)
class Asset:
    """A file attached to a GitHub release."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Release:
    """A GitHub release of the mock, with its assets in upload order."""

    id: int
    tag_name: str
    draft: bool
    prerelease: bool
    assets: tuple[Asset, ...]

    def asset_names(self) -> list[str]:
        return sorted(a.name for a in self.assets)

    def asset(self, name: str) -> Asset | None:
        return next((a for a in self.assets if a.name == name), None)


@dataclass(frozen=True)
class DistFile:
    """A file on the mock PyPI: ``metadata`` is a wheel's ``METADATA`` (``None`` for an sdist)."""

    filename: str
    project: str
    version: str
    metadata: bytes | None


def releases(github_state: dict[str, Any], tag: str | None = None) -> list[Release]:
    """The releases of a GitHub snapshot (of ``tag`` only, when given), oldest first."""
    assets = github_state.get("assets", {})
    out = []
    for rel in sorted(github_state.get("releases", {}).values(), key=lambda r: r["id"]):
        if tag is None or rel["tag_name"] == tag:
            out.append(Release(int(rel["id"]), str(rel["tag_name"]), bool(rel["draft"]), bool(rel["prerelease"]),
                               tuple(Asset(str(assets[a]["name"]), bytes(assets[a]["data"])) for a in rel["assets"])))
    return out


def dist_files(pypi_state: dict[str, Any], project: str | None = None) -> list[DistFile]:
    """The files of a PyPI snapshot (of ``project`` only, when given), in upload order."""
    want = canonicalize_name(project) if project is not None else None
    return [DistFile(str(f["filename"]), str(f["project"]), str(f["version"]), f.get("metadata"))
            for f in pypi_state.get("files", {}).values() if want is None or f["project"] == want]
