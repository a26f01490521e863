"""The kit service: artifact store, cache store and generic ledger records for the shims.

Mounted at ``/kit``; jobs find it through ``ACTSPEC_KIT_URL``.  Every request names its
caller with ``X-Actspec-Job`` (``$GITHUB_JOB``) and ``X-Actspec-Container`` (the job
container's Docker id, kept in ``details["container"]`` so the runner can map it to a matrix
leg).  Everything that changes state is appended to the ledger, refusals included
(``ok=False`` with the ``status`` and ``message`` the kit answered).

Artifacts live for one workflow run, like GitHub's: :meth:`KitService.begin_run` empties the
store.  Caches outlive runs: :meth:`~KitService.snapshot` / :meth:`~KitService.restore` chain
them from run to run and ``seed("cache", key)`` plants an entry.  Cache entries are
immutable (saving an existing key is refused) and scoped to the ref that saved them; a run
can restore entries of its own ref, of the branch a pull request targets
(``RunInfo.base_ref``) and of the default branch, and saves only to its own ref, which is
GitHub's rule.

Endpoints (relative to the mount):

``PUT /artifacts/<name>``
    tar.gz body; query ``retention-days``, ``compression-level``, ``overwrite=true``.
    201 ``{id, name, size, digest, files}``; 409 when the run already has ``name`` (and
    ``overwrite`` is not set), with upload-artifact's wording; 400 for a name the real
    service refuses.  Ledger: ``artifact.upload``.
``GET /artifacts``
    ``{"artifacts": [{id, name, size, digest, files, job}]}`` of the current run.
``GET /artifacts/<name>``
    the tar.gz (query ``path``: where the caller unpacks it, recorded).  404 with
    download-artifact's wording.  Ledger: ``artifact.download``.
``POST /cache/lookup``
    JSON ``{key, restore_keys, paths, lookup_only}``: 200 ``{hit, exact, key, id, size}``.
    Ledger: ``cache.restore``.
``GET /cache/blob/<id>``
    the tar.gz of a cache entry found by a lookup.
``PUT /cache``
    tar.gz body; query ``key`` and ``path`` (repeated).  201, or 409 when the key exists
    in this scope.  Ledger: ``cache.save``.
``GET /caches``
    ``{"caches": [...]}``: every entry, for debugging.
``POST /record``
    JSON ``{kind, subject, details, ok}``: a ledger entry for what the kit cannot observe
    itself (``setup.*``, ``codeql.*``, a skipped ``cache.save``).  201 ``{seq}``.  Only the
    kinds in :data:`SHIM_KINDS` are accepted: every other kind (``pypi.upload``,
    ``release.publish``, ``oidc.exchange``, an ``artifact.*`` ...) is written by the service
    that observed it, so a step cannot forge evidence (403, GitHub's ``Resource not accessible
    by integration``).  A malformed record is 400, never 500.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import tarfile
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ghrules.artifacts import artifact_name_error
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from actspec.errors import KitError
from actspec.ledger import Ledger
from actspec.model import RunInfo

JOB_HEADER = "X-Actspec-Job"
CONTAINER_HEADER = "X-Actspec-Container"

ARTIFACT_CONFLICT = (
    "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: "
    "an artifact with this name already exists on the workflow run"
)
ARTIFACT_NOT_FOUND = (
    "Unable to download artifact(s): Artifact not found for name: {name}\n"
    "        Please ensure that your artifact is not expired and the artifact was uploaded using a "
    "compatible version of toolkit/upload-artifact.\n"
    "        For more information, visit the GitHub Artifacts FAQ: "
    "https://github.com/actions/toolkit/blob/main/packages/artifact/docs/faq.md"
)
CACHE_EXISTS = "Unable to reserve cache with key {key}, another job may be creating this cache."

_KIND = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$")
# What a shim may record through ``POST /record``: facts no service can observe (which
# toolchain a setup-* shim exposed, what CodeQL would have analysed, that a declared
# stand-in or a step mock ran).  A family ends in ".".
SHIM_KINDS = ("setup.", "codeql.", "standin.", "mock.", "step.commands", "paths-filter.")
# ``cache.save`` is the kit's own kind; a shim may record only that a save did NOT happen.
SKIPPED_SAVE = "cache.save"
# Fields of a ledger entry that a record's ``details`` may not overwrite.
_ENTRY_FIELDS = frozenset({"seq", "at", "kind", "subject", "job", "leg", "ok", "details", "container"})
_CHUNK = 1 << 20


def record_refusal(kind: str, details: dict[str, Any]) -> str | None:
    """Why a shim may not record ``kind`` through ``POST /record``, or ``None`` when it may.

    Evidence of publishes, uploads, token exchanges and artifact moves comes only from the
    service that handled them; a shim may add what no service can see (:data:`SHIM_KINDS`)
    and a ``cache.save`` that says no save happened.
    """
    if kind.startswith(SHIM_KINDS):
        return None
    if kind == SKIPPED_SAVE and details.get("saved") is False:
        return None
    return (f"Resource not accessible by integration: ledger kind {kind!r} is written only by the service "
            f"that observes it; shims may record {', '.join(k + '*' for k in SHIM_KINDS)} and a skipped "
            f"{SKIPPED_SAVE} (saved: false)")


@dataclass(frozen=True)
class Artifact:
    id: int
    name: str
    blob: str
    size: int
    digest: str
    files: tuple[dict[str, Any], ...]
    job: str | None
    container: str | None
    retention_days: int | None
    created: float

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "size": self.size,
            "digest": self.digest,
            "files": [dict(f) for f in self.files],
            "job": self.job,
            "retention_days": self.retention_days,
        }


@dataclass(frozen=True)
class CacheEntry:
    id: int
    key: str
    scope: str
    version: str | None
    paths: tuple[str, ...]
    blob: str
    size: int
    job: str | None
    seeded: bool = False
    created: float = field(default_factory=time.time)
    files: int = 0  # regular files in the archive: what a restore puts back

    def summary(self) -> dict[str, Any]:
        d = asdict(self)
        d["paths"] = list(self.paths)
        d.pop("blob")
        return d


def _version(paths: Iterable[str]) -> str | None:
    paths = [p for p in paths if p]
    if not paths:
        return None
    return hashlib.sha256("|".join(paths).encode()).hexdigest()


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers, content_type="application/json")


class KitService:
    """Artifacts (per run), caches (per session) and generic records.  See the module doc."""

    name = "kit"

    def __init__(self, ledger: Ledger, *, default_branch: str = "main", workdir: str | Path | None = None) -> None:
        self.ledger = ledger
        self.default_branch = default_branch
        self._dir = Path(tempfile.mkdtemp(prefix="actspec-kit-", dir=workdir))
        (self._dir / "artifacts").mkdir()
        (self._dir / "caches").mkdir()
        (self._dir / "incoming").mkdir()
        self._lock = threading.RLock()
        self._run: RunInfo | None = None
        self._artifacts: dict[str, Artifact] = {}
        self._caches: dict[int, CacheEntry] = {}
        self._artifact_ids = itertools.count(1)
        self._cache_ids = itertools.count(1)
        self.url_map = Map(
            [
                Rule("/artifacts", endpoint="list_artifacts", methods=["GET"]),
                Rule("/artifacts/<path:name>", endpoint="upload_artifact", methods=["PUT"]),
                Rule("/artifacts/<path:name>", endpoint="download_artifact", methods=["GET"]),
                Rule("/cache/lookup", endpoint="cache_lookup", methods=["POST"]),
                Rule("/cache/blob/<int:entry_id>", endpoint="cache_blob", methods=["GET"]),
                Rule("/cache", endpoint="cache_save", methods=["PUT"]),
                Rule("/caches", endpoint="list_caches", methods=["GET"]),
                Rule("/record", endpoint="record", methods=["POST"]),
            ],
            strict_slashes=False,
        )

    # -- Service protocol ------------------------------------------------------------------

    def job_env(self, base_url: str) -> dict[str, str]:
        return {"ACTSPEC_KIT_URL": base_url}

    def begin_run(self, run: RunInfo) -> None:
        """A new workflow run: its own (empty) artifact store, and the refs its caches use."""
        with self._lock:
            self._run = run
            for art in self._artifacts.values():
                self._unlink(art.blob)
            self._artifacts = {}

    def snapshot(self) -> Any:
        """The cache entries (immutable; their blobs stay on disk until :meth:`close`)."""
        with self._lock:
            return {"caches": dict(self._caches)}

    def restore(self, state: Any) -> None:
        with self._lock:
            self._caches = dict(state["caches"]) if state else {}

    def seed(self, what: str, value: str) -> None:
        """``seed("cache", key)``: an (empty) cache entry saved on the default branch."""
        if what != "cache":
            raise ValueError(f"kit: unknown seed {what!r} (known: 'cache')")
        blob = self._store_stream(_EmptyTarGz(), "caches")
        with self._lock:
            entry = CacheEntry(
                id=next(self._cache_ids),
                key=value,
                scope=f"refs/heads/{self.default_branch}",
                version=None,
                paths=(),
                blob=blob[0],
                size=blob[1],
                job=None,
                seeded=True,
            )
            self._caches[entry.id] = entry

    def close(self) -> None:
        """Remove the service's temporary directory (every blob)."""
        with self._lock:
            self._artifacts = {}
            self._caches = {}
        shutil.rmtree(self._dir, ignore_errors=True)

    # -- Python API ------------------------------------------------------------------------

    def artifacts(self) -> dict[str, list[dict[str, Any]]]:
        """Artifacts of the current run: name -> ``[{path, sha256, size}]``."""
        with self._lock:
            return {name: [dict(f) for f in art.files] for name, art in sorted(self._artifacts.items())}

    def artifact(self, name: str) -> dict[str, Any] | None:
        """``{id, name, size, digest, files, job, retention_days}`` of one artifact, or None."""
        with self._lock:
            art = self._artifacts.get(name)
            return art.summary() if art else None

    def extract_artifact(self, name: str, dest: str | Path) -> list[Path]:
        """Unpack artifact ``name`` of the current run into ``dest``; returns the files."""
        with self._lock:
            art = self._artifacts.get(name)
            if art is None:
                raise KeyError(f"no artifact {name!r} in this run; artifacts: {sorted(self._artifacts)}")
            blob = self._blob_path(art.blob)
        dest = Path(dest)
        out: list[Path] = []
        with tarfile.open(blob, mode="r:gz") as tar:
            for member in tar.getmembers():
                if not member.isreg():
                    continue
                parts = [p for p in member.name.split("/") if p not in ("", ".")]
                if not parts or ".." in parts or member.name.startswith("/"):
                    continue
                target = dest.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(member)
                with open(target, "wb") as fh:
                    if src is not None:
                        shutil.copyfileobj(src, fh)
                out.append(target)
        return out

    def caches(self) -> dict[str, dict[str, Any]]:
        """Cache entries: key -> ``{id, scope, paths, size, job, seeded, ...}``.

        A key saved in two scopes appears once per scope as ``key@scope`` after the first.
        """
        with self._lock:
            out: dict[str, dict[str, Any]] = {}
            for entry in sorted(self._caches.values(), key=lambda e: e.id):
                name = entry.key if entry.key not in out else f"{entry.key}@{entry.scope}"
                out[name] = entry.summary()
            return out

    # -- WSGI ------------------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, args = adapter.match()
            response = getattr(self, f"_on_{endpoint}")(request, **args)
        except KitError as exc:
            response = _json({"message": exc.message}, exc.status)
        except HTTPException as exc:
            response = _json({"message": f"actspec kit: {exc.name}: {request.method} {request.path}"}, exc.code or 500)
        return response(environ, start_response)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _caller(request: Request) -> tuple[str | None, str | None]:
        return request.headers.get(JOB_HEADER) or None, request.headers.get(CONTAINER_HEADER) or None

    def _record(self, kind: str, subject: str, request: Request, *, ok: bool = True, **details: Any) -> None:
        job, container = self._caller(request)
        details = {"container": container, **details}
        self.ledger.record(kind, subject, job=job, ok=ok, **details)

    def _blob_path(self, blob: str) -> Path:
        return self._dir / blob

    def _unlink(self, blob: str) -> None:
        try:
            self._blob_path(blob).unlink()
        except FileNotFoundError:
            pass

    def _store_stream(self, stream: Any, where: str) -> tuple[str, int, str]:
        """Copy ``stream`` into a new blob under ``where``: (blob name, size, sha256)."""
        fd, tmp = tempfile.mkstemp(dir=self._dir / "incoming")
        h = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    h.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            name = f"{where}/{next(_blob_names)}-{h.hexdigest()[:16]}.tar.gz"
            os.replace(tmp, self._dir / name)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return name, size, h.hexdigest()

    def _tar_files(self, blob: str) -> list[dict[str, Any]]:
        files: list[dict[str, Any]] = []
        try:
            with tarfile.open(self._blob_path(blob), mode="r:gz") as tar:
                for member in tar:
                    if not member.isreg():
                        continue
                    parts = [p for p in member.name.split("/") if p not in ("", ".")]
                    if not parts or ".." in parts or member.name.startswith("/"):
                        raise KitError(400, f"actspec kit: unsafe path in archive: {member.name!r}")
                    src = tar.extractfile(member)
                    h = hashlib.sha256()
                    size = 0
                    if src is not None:
                        for chunk in iter(lambda: src.read(_CHUNK), b""):
                            h.update(chunk)
                            size += len(chunk)
                    files.append({"path": "/".join(parts), "sha256": h.hexdigest(), "size": size})
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise KitError(400, f"actspec kit: the body is not a tar.gz archive: {exc}") from exc
        files.sort(key=lambda f: f["path"])
        return files

    def _count_files(self, blob: str) -> int:
        """Regular files in a cache archive (read through once; their contents are not kept)."""
        try:
            with tarfile.open(self._blob_path(blob), mode="r|gz") as tar:
                return sum(1 for member in tar if member.isreg())
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise KitError(400, f"actspec kit: the body is not a tar.gz archive: {exc}") from exc

    def _scopes(self) -> list[str]:
        """The cache scopes a run may restore from, in order: its own ref, the branch a pull
        request targets, the default branch (GitHub's cache access restrictions)."""
        scopes = [self._current_scope()]
        run = self._run
        if run is not None and run.base_ref:
            scopes.append(f"refs/heads/{run.base_ref}")
        scopes.append(f"refs/heads/{self.default_branch}")
        return list(dict.fromkeys(scopes))

    def _current_scope(self) -> str:
        """The one scope a run saves to: its own ref."""
        return self._run.ref if self._run is not None else f"refs/heads/{self.default_branch}"

    # -- artifacts -------------------------------------------------------------------------

    def _on_list_artifacts(self, request: Request) -> Response:
        with self._lock:
            arts = sorted(self._artifacts.values(), key=lambda a: a.id)
            return _json({"artifacts": [a.summary() for a in arts]})

    def _on_upload_artifact(self, request: Request, name: str) -> Response:
        job, container = self._caller(request)
        retention = request.args.get("retention-days")
        level = request.args.get("compression-level")
        overwrite = request.args.get("overwrite", "").lower() == "true"
        options = {
            "retention_days": int(retention) if retention and retention.lstrip("-").isdigit() else None,
            "compression_level": int(level) if level and level.isdigit() else None,
            "overwrite": overwrite,
        }
        invalid = artifact_name_error(name)
        if invalid:
            self._record("artifact.upload", name, request, ok=False, status=400, message=invalid, **options)
            raise KitError(400, invalid)
        with self._lock:
            if name in self._artifacts and not overwrite:
                self._record("artifact.upload", name, request, ok=False, status=409, message=ARTIFACT_CONFLICT, **options)
                raise KitError(409, ARTIFACT_CONFLICT)
        blob, size, digest = self._store_stream(request.stream, "artifacts")
        try:
            files = self._tar_files(blob)
        except KitError as exc:
            self._unlink(blob)
            self._record("artifact.upload", name, request, ok=False, status=exc.status, message=exc.message, **options)
            raise
        with self._lock:
            previous = self._artifacts.get(name)
            if previous is not None and not overwrite:  # lost a race with a concurrent upload
                self._unlink(blob)
                self._record("artifact.upload", name, request, ok=False, status=409, message=ARTIFACT_CONFLICT, **options)
                raise KitError(409, ARTIFACT_CONFLICT)
            art = Artifact(
                id=next(self._artifact_ids),
                name=name,
                blob=blob,
                size=size,
                digest=f"sha256:{digest}",
                files=tuple(files),
                job=job,
                container=container,
                retention_days=options["retention_days"],
                created=time.time(),
            )
            self._artifacts[name] = art
            if previous is not None:
                self._unlink(previous.blob)
            self._record(
                "artifact.upload",
                name,
                request,
                id=art.id,
                size=size,
                digest=art.digest,
                files=[dict(f) for f in files],
                replaced=previous.id if previous is not None else None,
                **options,
            )
        return _json(art.summary(), 201)

    def _on_download_artifact(self, request: Request, name: str) -> Response:
        dest = request.args.get("path")
        # download-artifact with github-token/run-id asks for another run: recorded, but the
        # kit only holds the current run's artifacts
        foreign = {k.replace("-", "_"): request.args[k] for k in ("run-id", "repository") if request.args.get(k)}
        with self._lock:
            art = self._artifacts.get(name)
            if art is None:
                message = ARTIFACT_NOT_FOUND.format(name=name)
                self._record("artifact.download", name, request, ok=False, status=404, message=message, path=dest, **foreign)
                raise KitError(404, message)
            try:
                fh = open(self._blob_path(art.blob), "rb")
            except FileNotFoundError as exc:  # removed by a concurrent begin_run
                raise KitError(404, ARTIFACT_NOT_FOUND.format(name=name)) from exc
            self._record(
                "artifact.download",
                name,
                request,
                id=art.id,
                digest=art.digest,
                size=art.size,
                files=[dict(f) for f in art.files],
                path=dest,
                uploaded_by=art.job,
                **foreign,
            )
        headers = {
            "X-Actspec-Artifact-Id": str(art.id),
            "X-Actspec-Artifact-Digest": art.digest,
            "Content-Length": str(art.size),
        }
        return Response(wrap_file(request.environ, fh), headers=headers, content_type="application/gzip", direct_passthrough=True)

    # -- caches ----------------------------------------------------------------------------

    def _on_cache_lookup(self, request: Request) -> Response:
        data = _read_json(request)
        key = str(data.get("key") or "")
        restore_keys = [str(k) for k in _str_list(data, "restore_keys") if str(k)]
        paths = [str(p) for p in _str_list(data, "paths")]
        lookup_only = bool(data.get("lookup_only"))
        if not key:
            raise KitError(400, "Input required and not supplied: key")
        version = _version(paths)
        with self._lock:
            entry = self._find(key, restore_keys, version)
            exact = entry is not None and entry.key == key
            self._record(
                "cache.restore",
                key,
                request,
                hit=entry is not None,
                exact=exact,
                matched_key=entry.key if entry else None,
                matched_scope=entry.scope if entry else None,
                restore_keys=restore_keys,
                paths=paths,
                lookup_only=lookup_only,
                scope=self._current_scope(),
            )
        if entry is None:
            return _json({"hit": False, "exact": False, "key": None})
        return _json({"hit": True, "exact": exact, "key": entry.key, "id": entry.id, "size": entry.size, "scope": entry.scope})

    def _find(self, key: str, restore_keys: list[str], version: str | None) -> CacheEntry | None:
        def usable(e: CacheEntry, scope: str) -> bool:
            return e.scope == scope and (e.version is None or version is None or e.version == version)

        for scope in self._scopes():
            entries = [e for e in self._caches.values() if usable(e, scope)]
            for candidate in [key, *restore_keys]:
                exact = [e for e in entries if e.key == candidate]
                if exact:
                    return max(exact, key=lambda e: e.id)
                prefixed = [e for e in entries if e.key.startswith(candidate)]
                if prefixed:
                    return max(prefixed, key=lambda e: e.id)
        return None

    def _on_cache_blob(self, request: Request, entry_id: int) -> Response:
        with self._lock:
            entry = self._caches.get(entry_id)
            if entry is None:
                raise KitError(404, f"actspec kit: no cache entry {entry_id}")
            fh = open(self._blob_path(entry.blob), "rb")
            # The archive leaving the service is the evidence that a job got the cached files,
            # before any step after the restore ran.
            self._record("cache.download", entry.key, request, size=entry.size, files=entry.files,
                         matched_scope=entry.scope, saved_by=entry.job, scope=self._current_scope())
        return Response(
            wrap_file(request.environ, fh),
            headers={"Content-Length": str(entry.size), "X-Actspec-Cache-Key": entry.key},
            content_type="application/gzip",
            direct_passthrough=True,
        )

    def _on_cache_save(self, request: Request) -> Response:
        job, _container = self._caller(request)
        key = request.args.get("key", "")
        paths = request.args.getlist("path")
        if not key:
            raise KitError(400, "Input required and not supplied: key")
        scope = self._current_scope()
        version = _version(paths)

        def exists() -> bool:
            return any(e.key == key and e.scope == scope and e.version == version for e in self._caches.values())

        with self._lock:
            if exists():
                message = CACHE_EXISTS.format(key=key)
                self._record("cache.save", key, request, ok=False, saved=False, status=409, message=message, paths=paths, scope=scope)
                raise KitError(409, message)
        blob, size, _digest = self._store_stream(request.stream, "caches")
        try:
            files = self._count_files(blob)
        except KitError as exc:
            self._unlink(blob)
            self._record("cache.save", key, request, ok=False, saved=False, status=exc.status, message=exc.message, paths=paths, scope=scope)
            raise
        with self._lock:
            if exists():
                self._unlink(blob)
                message = CACHE_EXISTS.format(key=key)
                self._record("cache.save", key, request, ok=False, saved=False, status=409, message=message, paths=paths, scope=scope)
                raise KitError(409, message)
            entry = CacheEntry(
                id=next(self._cache_ids),
                key=key,
                scope=scope,
                version=version,
                paths=tuple(paths),
                blob=blob,
                size=size,
                job=job,
                files=files,
            )
            self._caches[entry.id] = entry
            self._record("cache.save", key, request, saved=True, size=size, files=files, paths=paths, scope=scope)
        return _json({"key": key, "id": entry.id, "size": size, "scope": scope}, 201)

    def _on_list_caches(self, request: Request) -> Response:
        with self._lock:
            return _json({"caches": [e.summary() for e in sorted(self._caches.values(), key=lambda e: e.id)]})

    # -- records ---------------------------------------------------------------------------

    def _on_record(self, request: Request) -> Response:
        data = _read_json(request)
        kind = data.get("kind")
        subject = data.get("subject")
        details = data.get("details")
        details = {} if details is None else details
        if not isinstance(kind, str) or not _KIND.match(kind):
            raise KitError(400, f"actspec kit: record kind must be a dotted name like 'setup.go', got {kind!r}")
        if not isinstance(subject, str):
            raise KitError(400, "actspec kit: record subject must be a string")
        if not isinstance(details, dict):
            raise KitError(400, "actspec kit: record details must be an object")
        ok = data.get("ok", True)
        if not isinstance(ok, bool):
            raise KitError(400, f"actspec kit: record ok must be true or false, got {ok!r}")
        reserved = sorted(_ENTRY_FIELDS & set(details))
        if reserved:
            raise KitError(400, f"actspec kit: record details may not set the entry's own fields: {', '.join(reserved)}")
        refusal = record_refusal(kind, details)
        if refusal:
            raise KitError(403, refusal)
        job, container = self._caller(request)
        entry = self.ledger.record(kind, subject, job=job, ok=ok, container=container, **details)
        return _json({"seq": entry.seq}, 201)


_blob_names = itertools.count(1)


def _read_json(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(request.get_data() or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise KitError(400, f"actspec kit: body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise KitError(400, "actspec kit: body must be a JSON object")
    return data


def _str_list(data: dict[str, Any], key: str) -> list[str]:
    """``data[key]`` as a list of strings (missing: empty); anything else is a 400."""
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KitError(400, f"actspec kit: {key} must be a list of strings, got {value!r}")
    return value


class _EmptyTarGz:
    """A readable stream holding a valid, empty tar.gz (the content of a seeded cache)."""

    def __init__(self) -> None:
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w"):
            pass
        self._buf = io.BytesIO(buf.getvalue())

    def read(self, n: int = -1) -> bytes:
        return self._buf.read(n)


__all__ = ["KitService", "Artifact", "CacheEntry", "ARTIFACT_CONFLICT", "ARTIFACT_NOT_FOUND", "CACHE_EXISTS"]
