"""The one ordered record of everything a run moved across a boundary.

Artifact uploads and downloads, cache restores and saves, registry uploads, OIDC token
requests and exchanges, and GitHub release changes are all appended here, by the kit's
services, in the order the services saw them.  Ordering rules of the spec ("coglet reaches
PyPI before the SDK") are asserted from this sequence and from nothing else.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator


@dataclass(frozen=True)
class Entry:
    """One state-changing event.

    ``kind`` is a dotted verb such as ``artifact.upload`` or ``pypi.upload``; ``job`` and
    ``leg`` say which job (and which matrix leg, as ``key=value`` text) caused it, when the
    service can know; ``subject`` is what it was about (an artifact, a file, a release tag).
    """

    seq: int
    at: float
    kind: str
    subject: str
    job: str | None = None
    leg: str | None = None
    ok: bool = True
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "kind": self.kind,
            "subject": self.subject,
            "job": self.job,
            "leg": self.leg,
            "ok": self.ok,
            "details": self.details,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(data["seq"], data["at"], data["kind"], data["subject"], data["job"], data["leg"], data["ok"],
                   dict(data["details"]))


class Ledger:
    """Thread-safe, append-only list of :class:`Entry`, shared by every service of a session."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[Entry] = []
        self._seq = itertools.count(1)

    def record(
        self,
        kind: str,
        subject: str,
        *,
        job: str | None = None,
        leg: str | None = None,
        ok: bool = True,
        **details: Any,
    ) -> Entry:
        with self._lock:
            entry = Entry(next(self._seq), time.time(), kind, subject, job, leg, ok, dict(details))
            self._entries.append(entry)
            return entry

    def mark(self) -> int:
        """A position to slice from later: entries recorded after this call have a larger seq."""
        with self._lock:
            return self._entries[-1].seq if self._entries else 0

    def since(self, mark: int) -> list[Entry]:
        with self._lock:
            return [e for e in self._entries if e.seq > mark]

    def __iter__(self) -> Iterator[Entry]:
        with self._lock:
            return iter(list(self._entries))


def select(entries: Iterable[Entry], kind: str | None = None, **match: Any) -> list[Entry]:
    """Entries of ``kind`` (a prefix ending in ``.`` matches a family) whose fields match."""
    out = []
    for e in entries:
        if kind is not None and not (e.kind == kind or (kind.endswith(".") and e.kind.startswith(kind))):
            continue
        if all(getattr(e, k, e.details.get(k)) == v for k, v in match.items()):
            out.append(e)
    return out
