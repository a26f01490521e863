"""Run results shared by the pytest-xdist workers of one pytest invocation.

Identical specs must still cost one act run when ``pytest -n auto`` spreads the scenarios
over several worker processes, each with its own services and ledger.  This is the
pattern xdist's documentation gives for session-scoped data: a directory every worker of
the invocation sees (the parent of each worker's ``basetemp``), a file lock per key, and a
file holding the answer.  The first worker to take a spec's lock runs act and writes the
:class:`RunResult` (ledger entries included) and the services' state as JSON; the others
wait on the lock and read both.  Service state is what chained runs (``RunSpec.after``)
restore, so it must cross processes too: its bytes, int-keyed maps and the kit's cache
entries are tagged, and a cache entry's blob is hard-linked into the directory, since the
worker that made it may close its session (and its temp dir) before another reads it.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import fcntl
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from actspec.model import RunResult, RunSpec
from actspec.services.kit import CacheEntry

States = dict[str, Any]


@dataclass
class Shared:
    """What a worker finds under a spec's key: a result and its states, or act's error."""

    result: RunResult | None = None
    states: States = field(default_factory=dict)
    error: str | None = None


class SharedRuns:
    """One directory of ``<key>.lock`` / ``<key>.json`` files, shared by the workers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "blobs"
        self.blobs.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def claim(self, key: str, spec: RunSpec) -> Iterator[Shared | None]:
        """Hold ``key``'s lock; yields what another worker stored, or None: then run and :meth:`put`."""
        fd = os.open(self.root / f"{key}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            path = self.root / f"{key}.json"
            yield self._read(path, spec) if path.exists() else None
        finally:
            os.close(fd)

    def put(self, key: str, stored: Shared) -> None:
        doc = {
            "result": stored.result.to_json(logs=True) if stored.result is not None else None,
            "states": encode(stored.states, self.blobs),
            "error": stored.error,
        }
        tmp = self.root / f"{key}.json.tmp"
        tmp.write_text(json.dumps(doc, default=str))
        tmp.replace(self.root / f"{key}.json")

    @staticmethod
    def _read(path: Path, spec: RunSpec) -> Shared:
        doc = json.loads(path.read_text())
        result = RunResult.from_json(doc["result"], spec) if doc.get("result") else None
        return Shared(result=result, states=decode(doc.get("states") or {}), error=doc.get("error"))


def encode(value: Any, blobs: Path) -> Any:
    """JSON for a service snapshot: plain where JSON can say it, tagged where it cannot."""
    if isinstance(value, CacheEntry):
        fields = dataclasses.asdict(value)
        fields["blob"] = _keep(Path(value.blob), blobs)
        return {"__cache_entry__": encode(fields, blobs)}
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode()}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, blobs) for v in value]}
    if isinstance(value, list):
        return [encode(v, blobs) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: encode(v, blobs) for k, v in value.items()}
        return {"__map__": [[encode(k, blobs), encode(v, blobs)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a service snapshot holds a {type(value).__name__}, which cannot be shared between workers")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__cache_entry__" in value:
        return CacheEntry(**decode(value["__cache_entry__"]))
    if "__bytes__" in value:
        return base64.b64decode(value["__bytes__"])
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__map__" in value:
        return {_hashable(decode(k)): decode(v) for k, v in value["__map__"]}
    return {k: decode(v) for k, v in value.items()}


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def _keep(blob: Path, blobs: Path) -> str:
    """A copy of a cache blob that outlives the worker that wrote it (a hard link when it can)."""
    if not blob.exists():
        return str(blob)
    kept = blobs / f"{blob.parent.name}-{blob.name}"
    if not kept.exists():
        try:
            os.link(blob, kept)
        except OSError:
            shutil.copyfile(blob, kept)
    return str(kept)
