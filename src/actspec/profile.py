"""Where a run's time goes, from the Docker engine's own event stream.

act's log has second resolution and says nothing about what it asks of Docker; the engine
does.  While a run goes on, :class:`actspec.engine.hygiene.ContainerWatch` reads the engine's events
for the run's job containers (``create``, ``start``, ``exec_create``/``exec_start``/``exec_die``, the archive
copies ``extract-to-dir`` and ``archive-path`` act makes for every step's file commands,
``die``, ``destroy``) with their nanosecond times.  :func:`summarise` turns them into one
:class:`LegProfile` per container and a :class:`RunProfile` for the run: how long containers
took to come up and go away, how many execs and copies each leg paid for and how long the
execs themselves ran; the rest of a leg's life is act's own bookkeeping between calls.

Every :class:`~actspec.model.RunResult` carries its run's profile (one events stream per
run, which the kit reads anyway to trace containers to matrix legs); ``make bench`` reads
them back from the results directory.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ARCHIVE = {"extract-to-dir", "archive-path"}


@dataclass(frozen=True)
class Event:
    container: str
    name: str
    action: str
    at: float  # seconds since the epoch, nanosecond resolution
    exec_id: str = ""


@dataclass
class LegProfile:
    """One job container's life, in seconds."""

    name: str
    created: float
    job: str = ""  # the job id and matrix leg act ran in this container, when known
    leg: str = ""
    up: float = 0.0  # create -> start
    alive: float = 0.0  # start -> die
    down: float = 0.0  # die -> destroy
    execs: int = 0
    exec_seconds: float = 0.0
    copies: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def between_calls(self) -> float:
        """Time the container was alive with no exec running: act's work between calls."""
        return max(self.alive - self.exec_seconds, 0.0)


@dataclass
class RunProfile:
    legs: list[LegProfile] = field(default_factory=list)

    def to_json(self) -> list[dict[str, Any]]:
        return [leg.to_json() for leg in self.legs]

    @classmethod
    def from_json(cls, rows: list[dict[str, Any]] | None) -> RunProfile:
        return cls([LegProfile(**row) for row in rows or []])

    def totals(self) -> dict[str, float]:
        n = len(self.legs) or 1
        return {
            "legs": len(self.legs),
            "execs": sum(leg.execs for leg in self.legs),
            "copies": sum(leg.copies for leg in self.legs),
            "mean_up_s": round(sum(leg.up for leg in self.legs) / n, 3),
            "mean_alive_s": round(sum(leg.alive for leg in self.legs) / n, 3),
            "mean_exec_s": round(sum(leg.exec_seconds for leg in self.legs) / n, 3),
            "mean_between_calls_s": round(sum(leg.between_calls for leg in self.legs) / n, 3),
            "mean_down_s": round(sum(leg.down for leg in self.legs) / n, 3),
            "mean_execs_per_leg": round(sum(leg.execs for leg in self.legs) / n, 1),
            "mean_copies_per_leg": round(sum(leg.copies for leg in self.legs) / n, 1),
        }


def summarise(events: list[Event], legs_by_name: dict[str, tuple[str, str]] | None = None) -> RunProfile:
    """One :class:`LegProfile` per container, from its events in time order.

    ``legs_by_name`` maps a container name to the (job id, matrix leg) act ran in it.
    """
    legs: dict[str, LegProfile] = {}
    exec_started: dict[str, float] = {}
    marks: dict[str, dict[str, float]] = {}
    for e in sorted(events, key=lambda e: e.at):
        leg = legs.setdefault(e.container, LegProfile(name=e.name, created=e.at))
        seen = marks.setdefault(e.container, {})
        if e.action in ("create", "start", "die", "destroy"):
            seen.setdefault(e.action, e.at)
        elif e.action == "exec_start":
            leg.execs += 1
            exec_started[e.exec_id] = e.at
        elif e.action == "exec_die" and e.exec_id in exec_started:
            leg.exec_seconds += e.at - exec_started.pop(e.exec_id)
        elif e.action in ARCHIVE:
            leg.copies += 1
    for cid, leg in legs.items():
        leg.job, leg.leg = (legs_by_name or {}).get(leg.name, ("", ""))
        seen = marks[cid]
        if "create" in seen and "start" in seen:
            leg.up = seen["start"] - seen["create"]
        if "start" in seen and "die" in seen:
            leg.alive = seen["die"] - seen["start"]
        if "die" in seen and "destroy" in seen:
            leg.down = seen["destroy"] - seen["die"]
    return RunProfile(sorted(legs.values(), key=lambda leg: leg.created))
