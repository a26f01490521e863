"""Docker hygiene: whatever a run made in Docker is gone when the run is over.

act removes its job containers and their volumes when a run ends normally (``--rm``), but
not when it is killed, and never its shared ``act-toolcache`` volume.  The kit labels every
job container with ``actspec.run=<run id>`` and, after each run, removes what carries the
label, plus the ``act-*`` volumes and networks created since the run started that nothing
uses any more.  It runs on the run's own engine, under that engine's lock
(``actspec.engine.engines``), so no other run's volumes are there to be taken for this one's.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import docker
from docker.errors import APIError, NotFound

from actspec.profile import Event

LABEL = "actspec.run"
TOOLCACHE = "act-toolcache"


@dataclass
class Inventory:
    containers: set[str] = field(default_factory=set)
    volumes: set[str] = field(default_factory=set)
    networks: set[str] = field(default_factory=set)

    def minus(self, other: Inventory) -> Inventory:
        return Inventory(self.containers - other.containers, self.volumes - other.volumes, self.networks - other.networks)

    def empty(self) -> bool:
        return not (self.containers or self.volumes or self.networks)

    def describe(self) -> str:
        parts = [f"{kind}: {', '.join(sorted(names))}" for kind, names in
                 (("containers", self.containers), ("volumes", self.volumes), ("networks", self.networks)) if names]
        return "; ".join(parts) or "nothing"


def client() -> docker.DockerClient:
    return docker.from_env(timeout=60)


def inventory(cli: docker.DockerClient | None = None) -> Inventory:
    cli = cli or client()
    return Inventory(
        containers={c.name for c in cli.containers.list(all=True)},
        volumes={v.name for v in cli.volumes.list()},
        networks={n.name for n in cli.networks.list()} - {"bridge", "host", "none"},
    )


def _created(attrs: dict) -> dt.datetime | None:
    raw = attrs.get("CreatedAt") or attrs.get("Created")
    if not raw:
        return None
    try:
        return dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None


def cleanup_run(run_label: str, since: float, cli: docker.DockerClient | None = None) -> list[str]:
    """Remove what the run labelled ``run_label`` (started at epoch ``since``) left behind.

    Returns the names removed, for the run's log.
    """
    cli = cli or client()
    removed = remove_labelled(run_label, cli)
    start = dt.datetime.fromtimestamp(since - 2, tz=dt.timezone.utc)
    for v in cli.volumes.list():
        if not v.name.startswith("act-"):
            continue
        created = _created(v.attrs)
        if v.name != TOOLCACHE and (created is None or created < start):
            continue
        try:
            v.remove()
            removed.append(f"volume {v.name}")
        except (APIError, NotFound):
            pass  # in use by a run still going on: that run will remove it
    for n in cli.networks.list():
        if not n.name.startswith("act-"):
            continue
        try:
            n.remove()
            removed.append(f"network {n.name}")
        except (APIError, NotFound):
            pass
    return removed


def remove_labelled(run_label: str, cli: docker.DockerClient) -> list[str]:
    """Remove the run's job containers and their anonymous volumes: safe while other runs go on."""
    removed = []
    for c in cli.containers.list(all=True, filters={"label": f"{LABEL}={run_label}"}):
        try:
            c.remove(force=True, v=True)
            removed.append(f"container {c.name}")
        except NotFound:
            pass
    return removed


class ContainerWatch:
    """The engine's events for a run's job containers, read while the run goes on.

    Shims report the id of the container they run in; the run's containers are gone by the
    time the ledger is read, so their names (which identify the matrix leg) are collected
    from the ``create`` events.  Every other event of those containers (starts, execs, the
    archive copies act makes for each step, stops) is kept with its nanosecond time for
    :func:`actspec.profile.summarise`: the where-the-time-goes figures of ``make bench``.
    """

    def __init__(self, run_label: str, cli: docker.DockerClient | None = None) -> None:
        self.names: dict[str, str] = {}
        self.events: list[Event] = []
        self._stream = (cli or client()).events(
            decode=True, filters={"type": "container", "label": f"{LABEL}={run_label}"}
        )
        self._thread = threading.Thread(target=self._follow, name=f"watch-{run_label}", daemon=True)
        self._thread.start()

    def _follow(self) -> None:
        try:
            for raw in self._stream:
                actor = raw.get("Actor") or {}
                attrs = actor.get("Attributes") or {}
                cid = str(actor.get("ID", ""))
                action = str(raw.get("Action") or raw.get("status") or "")
                verb = action.partition(":")[0].strip()  # "exec_start: bash -c ..." -> exec_start
                if verb == "create" and attrs.get("name"):
                    self.names[cid] = attrs["name"]
                self.events.append(Event(cid, self.names.get(cid, cid[:12]), verb,
                                         int(raw.get("timeNano", 0)) / 1e9, attrs.get("execID", "")))
        except Exception:  # the stream ends with an error when closed; nothing to report
            return

    def close(self) -> dict[str, str]:
        """Stop reading; the run's container names by id."""
        self._stream.close()
        self._thread.join(timeout=5)
        return dict(self.names)
