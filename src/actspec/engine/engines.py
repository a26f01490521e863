"""The Docker engines the kit runs act on, and which run has which engine.

act names job containers after the workflow and the job, so one engine holds one act run at
a time.  Parallel runs need more engines: engine 0 is the daemon ``DOCKER_HOST`` (or the
default socket) names, which the kit uses but never starts or stops; engines 1..N-1 are
``dockerd`` instances the kit starts itself (``python -m actspec.tooling.provision engines``), each
with its own data-root, exec-root, pidfile and unix socket under
``/run/actspec/<hash of the checkout>/<i>/``, bridge and iptables off (job containers use
host networking).  The kit recognises an engine as its own only by the pidfile it wrote and
a daemon command line naming that pidfile, so it never stops a daemon it did not start.

A run leases a free engine: an exclusive ``flock`` on a file derived from the engine's
socket.  The lease's descriptor is inherited by act, so the lock is held as long as act
lives, even when the pytest process that started it is killed.

Stdlib only (``actspec.tooling.provision`` uses it before the virtualenv exists).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from actspec.errors import SetupError

DEFAULT_HOST = "unix:///var/run/docker.sock"
# Short on purpose: a unix socket path has at most 108 bytes, and dockerd puts containerd's
# sockets under the exec-root.
RUN_ROOT = Path("/run/actspec")
CHECKOUT = Path(__file__).resolve().parents[3]
# Where provisioning builds the engine the kit starts itself (``provision.ensure_engine_build``):
# dockerd, containerd and runc; the stamp is written once all three are there.
ENGINE_BIN = CHECKOUT / ".tools" / "engine" / "bin"
ENGINE_STAMP = ENGINE_BIN.parent / "built"


# Every daemon the kit starts sets up no networking of its own: job containers use the host's
# network, so no bridge, no iptables rules and no port-publishing proxy (with the proxy on,
# moby 2 refuses to start where no ``docker-proxy`` binary is installed, as on a fresh machine
# before Debian's docker.io).
NO_NETWORKING = ("--bridge=none", "--iptables=false", "--ip6tables=false", "--userland-proxy=false")


def dockerd_launch() -> tuple[str, dict[str, str]]:
    """The ``dockerd`` a daemon the kit starts runs, and its environment.

    The kit's own build when provisioning made one, with its containerd and runc first on
    ``PATH`` (dockerd finds both there); else the machine's ``dockerd``.
    """
    if ENGINE_STAMP.is_file() and (ENGINE_BIN / "dockerd").is_file():
        return str(ENGINE_BIN / "dockerd"), {**os.environ, "PATH": f"{ENGINE_BIN}:{os.environ.get('PATH', '')}"}
    return "dockerd", dict(os.environ)


class EngineError(SetupError):
    """An engine is missing, did not start or stopped answering; the message is one line."""


@dataclass(frozen=True)
class Engine:
    """One Docker engine: its index and the ``DOCKER_HOST`` value that reaches it."""

    index: int
    host: str

    @property
    def name(self) -> str:
        return f"Docker engine {self.index} ({self.host})"

    def lock_path(self) -> Path:
        """The engine's lock file: one per socket, in the directory every session shares."""
        digest = hashlib.sha256(self.host.encode()).hexdigest()[:12]
        return Path(os.environ.get("ACTSPEC_LOCK_DIR", "/tmp")) / f"actspec-engine-{digest}.lock"

    def env(self) -> dict[str, str]:
        return {"DOCKER_HOST": self.host}

    def client(self, timeout: int = 60):  # type: ignore[no-untyped-def]  # docker is not stdlib
        import docker

        return docker.DockerClient(base_url=self.host, timeout=timeout)

    def answers(self) -> bool:
        try:
            return subprocess.run(["docker", "info", "--format", "{{.ID}}"], env={**os.environ, **self.env()},
                                  capture_output=True, timeout=20).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False


def primary() -> Engine:
    """Engine 0: the daemon the environment names; the kit never starts or stops it."""
    return Engine(0, os.environ.get("DOCKER_HOST") or DEFAULT_HOST)


def default_count() -> int:
    """One engine per two cores and per 4 GiB of memory, at least one."""
    cores = os.cpu_count() or 1
    mem_gib = _mem_total_kib() // (1024 * 1024)
    return max(1, min(cores // 2, mem_gib // 4))


def _mem_total_kib() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def wanted(option: str | int | None = None) -> int | None:
    """The number of engines asked for (``--engines``, else ``ACTSPEC_ENGINES``), or None."""
    raw = option if option not in (None, "") else os.environ.get("ACTSPEC_ENGINES")
    if raw in (None, ""):
        return None
    try:
        count = int(str(raw))
    except ValueError:
        count = 0
    if count < 1:
        raise EngineError(f"the number of Docker engines must be a whole number of at least 1, not {raw!r} "
                          "(--engines / ACTSPEC_ENGINES)")
    return count


# -- the engines the kit starts ----------------------------------------------------------

@dataclass(frozen=True)
class KitEngine:
    """Where an engine the kit starts keeps everything: ``/run/actspec/<checkout>/<i>/``."""

    index: int
    base: Path

    @classmethod
    def at(cls, index: int, checkout: Path = CHECKOUT) -> KitEngine:
        digest = hashlib.sha256(str(checkout).encode()).hexdigest()[:10]
        return cls(index, RUN_ROOT / digest / str(index))

    @property
    def socket(self) -> Path:
        return self.base / "sock"

    @property
    def pidfile(self) -> Path:
        return self.base / "pid"

    @property
    def engine(self) -> Engine:
        return Engine(self.index, f"unix://{self.socket}")

    def command(self) -> list[str]:
        return [dockerd_launch()[0], "--data-root", str(self.base / "data"), "--exec-root", str(self.base / "exec"),
                "--pidfile", str(self.pidfile), "-H", f"unix://{self.socket}", *NO_NETWORKING]

    def pid(self) -> int | None:
        """The daemon's pid, only if it is alive and is the dockerd this kit started here."""
        try:
            pid = int(self.pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return None
        return pid if str(self.pidfile).encode() in cmdline and Path(cmdline[0].decode()).name == "dockerd" else None

    def start(self, say: Callable[[str], None]) -> None:
        if self.pid() is not None and self.engine.answers():
            say(f"{self.engine.name}: running")
            return
        self.base.mkdir(parents=True, exist_ok=True)
        self._forget_dead_containerd()
        log = self.base / "log"
        say(f"{self.engine.name}: starting dockerd (log: {log})")
        with open(log, "ab") as out:
            subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True, env=dockerd_launch()[1])
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.pid() is not None and self.engine.answers():
                return
            time.sleep(0.5)
        raise EngineError(f"{self.engine.name} did not answer within 90 s; see {log}")

    def stop(self, say: Callable[[str], None]) -> None:
        """Stop the daemon (SIGTERM, then SIGKILL) and remove everything it kept here."""
        pid = self.pid()
        if pid is not None:
            say(f"{self.engine.name}: stopping dockerd (pid {pid})")
            for sig, wait in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0)):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    break
                deadline = time.monotonic() + wait
                while time.monotonic() < deadline and _alive(pid):
                    time.sleep(0.2)
                if not _alive(pid):
                    break
        if self.pid() is None:
            self._kill_orphans()
            if self.base.is_dir():
                _unmount_below(self.base)
                shutil.rmtree(self.base, ignore_errors=True)
            try:  # the checkout's folder of engines, once its last engine is gone
                self.base.parent.rmdir()
            except OSError:
                pass  # another engine of this checkout still has its folder there

    def _forget_dead_containerd(self) -> None:
        """Remove the pidfile of a containerd that is gone, so a restarted dockerd starts its own.

        dockerd that is killed outright takes its containerd with it, but where nothing reaps
        orphans (pid 1 of a container or a micro-VM), that containerd stays a zombie; dockerd
        sees its pid "still running", waits for its socket and gives up ("timeout waiting for
        containerd to start").
        """
        pidfile = self.base / "exec" / "containerd" / "containerd.pid"
        try:
            pid = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            return
        if not _alive(pid):
            pidfile.unlink(missing_ok=True)

    def _kill_orphans(self) -> None:
        """Containers a killed daemon left running, and their shims, are killed.

        Once dockerd and containerd are gone nothing else would stop them.  A container's
        init is its shim's child, and killing a pid namespace's init ends the namespace, so
        the shim's children go first, then the shim.  Only shims that name this engine's
        exec-root are touched.
        """
        marker = str(self.base).encode() + b"/"
        shims, parents = [], {}
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            stat = proc_stat(int(proc.name))
            if stat is None:
                continue
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            parents[int(proc.name)] = stat[1]
            if marker in cmdline and cmdline.split(b"\0")[0].endswith(b"containerd-shim-runc-v2"):
                shims.append(int(proc.name))
        doomed = [pid for pid, ppid in parents.items() if ppid in shims] + shims
        for pid in doomed:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def proc_stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent pid from ``/proc/<pid>/stat``, or None if it is gone.

    The command name in that file is in parentheses and may itself hold spaces or ``)``, so
    the fields are read after the last ``)``.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def _alive(pid: int) -> bool:
    """Alive for our purposes: the process exists and is not a zombie."""
    stat = proc_stat(pid)
    return stat is not None and stat[0] != "Z"


def _unmount_below(base: Path) -> None:
    """A daemon that was killed can leave overlay and netns mounts in its roots."""
    try:
        mounts = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
    except OSError:
        return
    for point in sorted((m for m in mounts if m.startswith(f"{base}/")), key=len, reverse=True):
        subprocess.run(["umount", "-l", point], capture_output=True)


def kit_engines(checkout: Path = CHECKOUT) -> list[KitEngine]:
    """Every engine of this checkout that has a folder, running or not, by index."""
    root = KitEngine.at(1, checkout).base.parent
    found = [KitEngine.at(int(p.name), checkout) for p in root.glob("*") if p.name.isdigit()] if root.is_dir() else []
    return sorted(found, key=lambda k: k.index)


def running(count: int | None = None) -> list[Engine]:
    """Engine 0 and the kit's running engines; ``count`` engines exactly when given.

    Raises :class:`EngineError` when fewer than ``count`` are running.
    """
    engines = [primary()]
    extra = {k.index: k for k in kit_engines() if k.pid() is not None}
    if count is None:  # engines 1, 2, ... as far as they run without a gap
        index = 1
        while index in extra:
            engines.append(extra[index].engine)
            index += 1
        return engines
    missing = [i for i in range(1, count) if i not in extra]
    if missing:
        raise EngineError(
            f"{count} Docker engines were asked for but engine(s) {', '.join(map(str, missing))} are not running: "
            f"run `ACTSPEC_ENGINES={count} .venv/bin/python -m actspec.tooling.provision engines`")
    return engines + [extra[i].engine for i in range(1, count)]


# -- leases --------------------------------------------------------------------------------

class Lease:
    """An engine held by one run; ``fd`` is the locked descriptor act inherits."""

    def __init__(self, engine: Engine, fd: int) -> None:
        self.engine = engine
        self.fd = fd

    def release(self) -> None:
        """Close this process's descriptor.  The lock is never unlocked explicitly: act may
        still hold the same open file and with it the lock, until act is gone."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def open_lock(path: Path) -> int:
    """The lock file, opened without following a symlink, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise EngineError(f"the engine lock {path} is a symbolic link; remove it (the kit never follows one)") from None
        raise


def try_lock(engine: Engine) -> Lease | None:
    fd = open_lock(engine.lock_path())
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return Lease(engine, fd)


def lock(engine: Engine) -> Lease:
    """Wait for ``engine`` to be free (the sweep of a dead session's leftovers uses this)."""
    fd = open_lock(engine.lock_path())
    fcntl.flock(fd, fcntl.LOCK_EX)
    return Lease(engine, fd)


class Pool:
    """The engines a session may use; :meth:`acquire` takes the first free one."""

    def __init__(self, engines: list[Engine]) -> None:
        self.engines = engines

    def acquire(self, progress: Callable[[str], None]) -> Lease:
        said = False
        while True:
            for engine in self.engines:
                lease = try_lock(engine)
                if lease is not None:
                    return lease
            if not said:
                names = ", ".join(str(e.index) for e in self.engines)
                progress(f"waiting for a free Docker engine (engines {names} each run another act run)")
                said = True
            time.sleep(0.25)

    def by_host(self, host: str) -> Engine | None:
        return next((e for e in self.engines if e.host == host), None)
