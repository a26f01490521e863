"""The results folder (``--results-dir``): the kit removes only what it wrote there.

The folder may be one the user also keeps other files in, so a session does not sweep
``*.json``: each session lists the files it wrote in :data:`MANIFEST`, and the next session
removes exactly those (when they are still plain files directly in the folder) before it
writes its own.  ``tests.json`` is the kit's too and is simply overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

MANIFEST = ".actspec-written"


def clear(out: Path, older_than: float | None = None) -> None:
    """Remove the files an earlier session listed in the manifest, then the manifest.

    With ``older_than`` (an epoch time), files modified since then stay: under pytest-xdist
    another worker of the same invocation may have written them already.
    """
    manifest = out / MANIFEST
    try:
        names = manifest.read_text().splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        if not name or name != Path(name).name or name in (".", "..", MANIFEST):
            continue  # only plain names directly in the folder: never a path a user could plant
        path = out / name
        if path.is_file() and not path.is_symlink():
            if older_than is not None and path.stat().st_mtime >= older_than:
                continue
            path.unlink()
    manifest.unlink()


def remember(out: Path, names: Iterable[str]) -> None:
    """Add ``names`` (files just written directly in ``out``) to the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / MANIFEST, "a", encoding="utf-8") as fh:
        for name in names:
            fh.write(f"{name}\n")
