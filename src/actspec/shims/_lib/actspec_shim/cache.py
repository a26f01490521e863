"""The ``@actions/cache`` toolkit on the kit's cache service: what every caching shim shares.

The real caching actions (rust-cache, setup-go, setup-uv, actions/cache) all go through
``@actions/cache``: look a key up (exact key first, then restore-key prefixes, in the
scopes the job may read: its own ref, then the pull request's base, then the default
branch), download the archive and unpack it where the files were; later pack the paths and
reserve-and-upload under a key, which fails when the key exists in the job's own scope.
The scope rules and the ledger entries (``cache.restore``, ``cache.save``) are the kit
service's; this module is only the client.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass

from actspec_shim import archive, gha, kit


@dataclass(frozen=True)
class Restored:
    """What a lookup found: the matched key, whether it was the primary key, and the files unpacked."""

    key: str
    exact: bool
    files: int


def restore(paths: list[str], key: str, restore_keys: list[str] | None = None, *, lookup_only: bool = False) -> Restored | None:
    """Unpack the best entry for ``key`` (else a ``restore_keys`` prefix) over ``paths``; None on a miss.

    A service that cannot be reached or refuses is a warning, as with the real toolkit: a
    cache is an optimisation, never a reason to fail the job.
    """
    resp = kit.request("POST", "cache/lookup",
                       json_body={"key": key, "restore_keys": list(restore_keys or []), "paths": paths, "lookup_only": lookup_only})
    if not resp.ok:
        gha.warning(f"Failed to restore: {resp.message()}")
        return None
    found = resp.json()
    if not found.get("hit"):
        return None
    files = 0
    if not lookup_only:
        with tempfile.TemporaryFile(dir=gha.temp_dir()) as tmp:
            blob = kit.request("GET", f"cache/blob/{found['id']}", out=tmp)
            if not blob.ok:
                gha.warning(f"Failed to restore: {blob.message()}")
                return None
            tmp.seek(0)
            files = len(archive.extract(tmp, "/", keep_meta=True))
    return Restored(str(found["key"]), bool(found.get("exact")), files)


def save(paths: list[str], key: str, *, declared: list[str] | None = None) -> bool:
    """Pack the existing ``paths`` and save them under ``key``; a refusal is a warning, not a failure.

    ``declared`` is the ``path`` input as the workflow wrote it (patterns, before globbing),
    from which the cache version is derived as ``@actions/cache`` does; it defaults to ``paths``.
    """
    present = [p for p in paths if os.path.lexists(p)]
    started = time.time()
    with tempfile.TemporaryFile(dir=gha.temp_dir()) as tmp:
        counts = archive.pack_paths(present, tmp)
        size = tmp.tell()
        tmp.seek(0)
        resp = kit.request("PUT", "cache", params=[("key", key)] + [("path", p) for p in (declared or paths)],
                           body=tmp, length=size, headers={"Content-Type": "application/gzip"})
    if not resp.ok:
        gha.warning(f"Failed to save: {resp.message()}")
        return False
    gha.info(f"Cache saved with key: {key} ({counts['files']} files, {size} bytes, {time.time() - started:.1f}s)")
    return True
