"""Cargo caching the way ``Swatinem/rust-cache@v2`` does it, on the kit's cache store.

Shared by the ``Swatinem/rust-cache`` shim and the ``actions-rust-lang/setup-rust-toolchain``
shim (which runs rust-cache internally).  Both are JavaScript actions (``runs.using: node20``)
whose ``main`` restores and whose ``post`` saves: act runs the post step of a JavaScript
action (honouring ``post-if``) but has no post step for a composite action.

The key (approximately the real one; the real action hashes parsed manifests, we hash the
files as they are)::

    <prefix-key>-<shared-key | [key-]job>-<os>-<arch>-<env hash>-<lock hash>
    \\_____________________ restore key _________________________/

* ``prefix-key`` defaults to ``v0-rust``; ``job`` is ``$GITHUB_JOB`` (left out with
  ``add-job-id-key: false``); ``os``/``arch`` are ``Linux``/``x64``.
* env hash: 8 hex digits of a SHA-1 over ``rustc -vV`` and every environment variable whose
  name starts with ``CARGO``, ``CC``, ``CFLAGS``, ``CXX``, ``CMAKE`` or ``RUST`` (plus the
  ``env-vars`` input); left out with ``add-rust-environment-hash-key: false``.
* lock hash: 8 hex digits of a SHA-1 over every ``Cargo.toml`` and ``Cargo.lock`` below each
  workspace root (target dirs excluded) and ``rust-toolchain``/``rust-toolchain.toml``/
  ``.cargo/config.toml`` at each root.

The restore key (everything before the lock hash) is the only restore-keys prefix, so a
lockfile change restores the previous cache as a partial hit.  ``cache-hit`` is ``true`` only
for an exact match; after an exact match the post step does not save ("Cache up-to-date.").

Cached paths: ``$CARGO_HOME/{bin,.crates.toml,.crates2.json,registry/index,registry/cache,git/db}``
(``bin`` and the two crate lists only with ``cache-bin``), each workspace's target directory
(with ``cache-targets``), and ``cache-directories``.  The target directories are NOT cleaned
of workspace crates before saving, as the real action does.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field

from actspec_shim import cache, gha, kit

DEFAULT_ENV_PREFIXES = ["CARGO", "CC", "CFLAGS", "CXX", "CMAKE", "RUST"]
STATE = "RUST_CACHE_CONFIG"
HASH_LEN = 8


@dataclass
class Config:
    key: str
    restore_key: str
    paths: list[str]
    workspaces: list[tuple[str, str]]
    cache_on_failure: bool
    lookup_only: bool = False
    details: dict[str, object] = field(default_factory=dict)

    def to_state(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_state(cls, text: str) -> Config:
        data = json.loads(text)
        data["workspaces"] = [tuple(w) for w in data["workspaces"]]
        return cls(**data)


def _bool(text: str, default: bool) -> bool:
    text = (text or "").strip().lower()
    if not text:
        return default
    return text == "true"


def parse_workspaces(text: str, base: str) -> list[tuple[str, str]]:
    """``crates -> target`` lines into (absolute root, absolute target dir) pairs."""
    out: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        root, _, target = line.partition("->")
        root = root.strip() or "."
        target = target.strip() or "target"
        root_abs = os.path.normpath(os.path.join(base, root))
        out.append((root_abs, os.path.normpath(os.path.join(root_abs, target))))
    return out or [(os.path.normpath(base), os.path.normpath(os.path.join(base, "target")))]


def _sha1(chunks: list[bytes]) -> str:
    h = hashlib.sha1()
    for c in chunks:
        h.update(c)
    return h.hexdigest()[:HASH_LEN]


def rustc_info() -> str:
    try:
        return subprocess.run(["rustc", "-vV"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def lock_files(workspaces: list[tuple[str, str]]) -> list[str]:
    found: list[str] = []
    for root, target in workspaces:
        for name in ("rust-toolchain", "rust-toolchain.toml", ".cargo/config.toml", ".cargo/config"):
            p = os.path.join(root, name)
            if os.path.isfile(p):
                found.append(p)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and os.path.join(dirpath, d) != target and d != "target"
            )
            for f in sorted(filenames):
                if f in ("Cargo.toml", "Cargo.lock"):
                    found.append(os.path.join(dirpath, f))
    return sorted(set(found))


def cargo_home() -> str:
    return os.environ.get("CARGO_HOME") or os.path.join(os.path.expanduser("~"), ".cargo")


def build_config(inputs: dict[str, str]) -> Config:
    """The cache key and paths for inputs named as rust-cache names them."""
    base = gha.workspace()
    prefix = inputs.get("prefix-key") or "v0-rust"
    shared = inputs.get("shared-key", "")
    user_key = inputs.get("key", "")
    job = os.environ.get("GITHUB_JOB", "")
    key = prefix
    if shared:
        key += f"-{shared}"
    else:
        if user_key:
            key += f"-{user_key}"
        if job and _bool(inputs.get("add-job-id-key", ""), True):
            key += f"-{job}"
    key += "-Linux-x64"

    rustc = rustc_info()
    prefixes = DEFAULT_ENV_PREFIXES + (inputs.get("env-vars", "") or "").split()
    env_keys = sorted(k for k in os.environ if any(k.startswith(p) for p in prefixes))
    env_hash = _sha1([rustc.encode()] + [f"{k}={os.environ[k]}\n".encode() for k in env_keys])
    if _bool(inputs.get("add-rust-environment-hash-key", ""), True):
        key += f"-{env_hash}"
    restore_key = key

    workspaces = parse_workspaces(inputs.get("workspaces", ""), base)
    files = lock_files(workspaces)
    chunks: list[bytes] = []
    for f in files:
        chunks.append(os.path.relpath(f, base).encode() + b"\0")
        with open(f, "rb") as fh:
            chunks.append(fh.read())
    lock_hash = _sha1(chunks)
    key = f"{restore_key}-{lock_hash}"

    home = cargo_home()
    paths: list[str] = []
    if _bool(inputs.get("cache-bin", ""), True):
        paths += [os.path.join(home, "bin"), os.path.join(home, ".crates.toml"), os.path.join(home, ".crates2.json")]
    paths += [os.path.join(home, "registry", "index"), os.path.join(home, "registry", "cache"), os.path.join(home, "git", "db")]
    if _bool(inputs.get("cache-targets", ""), True):
        paths += [target for _root, target in workspaces]
    for line in (inputs.get("cache-directories", "") or "").splitlines():
        if line.strip():
            paths.append(os.path.normpath(os.path.join(base, os.path.expanduser(line.strip()))))

    details = {
        "rustc": next((line.split(":", 1)[1].strip() for line in rustc.splitlines() if line.startswith("release:")), None),
        "env_vars": env_keys,
        "lock_files": [os.path.relpath(f, base) for f in files],
        "workspaces": [f"{os.path.relpath(r, base)} -> {os.path.relpath(t, r)}" for r, t in workspaces],
    }
    return Config(
        key=key,
        restore_key=restore_key,
        paths=paths,
        workspaces=workspaces,
        cache_on_failure=_bool(inputs.get("cache-on-failure", ""), False),
        lookup_only=_bool(inputs.get("lookup-only", ""), False),
        details=details,
    )


def restore(cfg: Config) -> tuple[bool, bool, str | None]:
    """Look up and unpack the cache: (hit, exact, matched key)."""
    gha.info("Cache Configuration")
    gha.info(f"  Cache key: {cfg.key}")
    gha.info(f"  Restore key: {cfg.restore_key}")
    gha.info("  Cache Paths:")
    for p in cfg.paths:
        gha.info(f"    {p}")
    gha.info("  Workspaces:")
    for root, target in cfg.workspaces:
        gha.info(f"    {root} -> {target}")
    gha.info("")
    gha.info("... Restoring cache ...")
    found = cache.restore(cfg.paths, cfg.key, [cfg.restore_key], lookup_only=cfg.lookup_only)
    if found is None:
        gha.info("No cache found.")
        return False, False, None
    gha.info(f"Restored from cache key \"{found.key}\" full match: {'true' if found.exact else 'false'}.")
    return True, found.exact, found.key


def save(cfg: Config) -> bool:
    """Pack the cache paths and save them under ``cfg.key``; a refusal is a warning, not a failure."""
    gha.info("... Saving cache ...")
    return cache.save(cfg.paths, cfg.key)


def record_skip(cfg: Config | None, reason: str, **details: object) -> None:
    kit.record("cache.save", cfg.key if cfg else "", {"saved": False, "skipped": True, "reason": reason, **details})


def post_save(save_if: str) -> int:
    """The post step shared by rust-cache and setup-rust-toolchain: save unless told not to."""
    state = gha.get_state(STATE)
    cfg = Config.from_state(state) if state else None
    if save_if.lower() != "true":
        record_skip(cfg, "save-if false", save_if=save_if)
        return 0
    if cfg is None:
        record_skip(None, "main step did not run")
        return 0
    if gha.get_state("RUST_CACHE_EXACT") == "true":
        gha.info("Cache up-to-date.")
        record_skip(cfg, "exact key hit")
        return 0
    save(cfg)
    return 0
