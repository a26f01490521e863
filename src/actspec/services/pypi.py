"""Mock PyPI: the upload API twine uses, the simple index pip uses, trusted publishing.

Mounted at ``/pypi``; a job sees the base URL as ``ACTSPEC_PYPI_URL``.

* ``POST <base>/legacy/`` -- warehouse's upload endpoint (``twine upload --repository-url
  <base>/legacy/``).  Validation follows warehouse's ``file_upload`` view in order and
  wording: authentication (HTTP basic ``__token__`` + a token this mock minted), form and
  core-metadata validation (``packaging.metadata``, no local versions), token scope,
  digests, file-name reuse, one sdist per release, archive sanity, PEP 625 sdist names,
  wheel names and platform tags, the wheel's ``METADATA``.  Errors are warehouse's: the
  message is the HTTP reason phrase (which is what twine prints) and the body is the same
  text as HTML, JSON or plain text depending on ``Accept``.  As on PyPI, re-uploading a
  file byte-for-byte identical to one already there answers 200 and changes nothing
  (recorded with ``noop=True``); the same file name with other content is 400 ``File
  already exists ...``.  Two checks are the kit's own, on top of warehouse's: the wheel's
  ``METADATA`` ``Name`` and ``Version`` must equal the upload form's.
* ``GET <base>/simple/`` and ``<base>/simple/<project>/`` -- PEP 503 HTML, or PEP 691 JSON
  when asked (``Accept: application/vnd.pypi.simple.v1+json`` or ``?format=``); files are
  at ``<base>/files/<filename>`` with ``#sha256=`` fragments, ``data-requires-python`` and,
  for wheels, PEP 658/714 metadata files (``<file>.metadata``).
* ``GET <base>/pypi/<project>/json`` and ``<base>/pypi/<project>/<version>/json`` -- the
  JSON API's main fields.
* ``GET <base>/_/oidc/audience`` and ``POST <base>/_/oidc/mint-token`` -- trusted
  publishing.  The id token is verified by signature, ``iss``, ``aud`` (``pypi``) and
  expiry with the mock GitHub's :class:`~actspec.services.oidc.Verifier`; then the
  publisher is looked up as warehouse does (``repository``, the workflow file of
  ``job_workflow_ref``, whose ref must be the token's ``ref`` or ``sha``, and
  ``environment``: a publisher with the token's environment wins over one without).  The
  minted ``pypi-...`` token lives 15 minutes and may upload to every project that has that
  publisher.  A JWT is accepted once (``jti``).  The publisher's ``repository_owner_id``
  is not checked (the kit's configuration has none).

Run state (projects, files) is what :meth:`PyPIService.snapshot` / ``restore`` carry;
tokens (minted by :meth:`PyPIService.mint_token` or by trusted publishing) and the set of
exchanged JWT ids belong to the session and survive ``restore``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import secrets
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from packaging.metadata import Metadata
from packaging.utils import (
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version
from werkzeug.datastructures import FileStorage
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from actspec.errors import HTTPError, OIDCError, Refusal
from actspec.ledger import Ledger
from actspec.services import pypi_rules
from actspec.services._web import (
    RoutedApp,
    SessionState,
    base_url,
    caller,
    json_response,
    read_json,
    tar_gz,
)
from actspec.services.oidc import TrustedPublisher, Verifier, workflow_filename
from actspec.services.pypi_rules import HELP, MAX_FILESIZE

__all__ = ["PyPIService", "TrustedPublisher"]

TOKEN_LIFETIME = 900  # trusted-publishing tokens: 15 minutes
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
SIMPLE_HTML = "application/vnd.pypi.simple.v1+html"
EXPLANATIONS = {
    400: "The server could not comply with the request since it is either malformed or otherwise incorrect.",
    403: "Access was denied to this resource.",
    404: "The resource could not be found.",
    410: "This resource is no longer available.  No forwarding address is given.",
}

def _now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Uploaded:
    """What an accepted upload put on the index (``noop``: a byte-identical file was already there)."""

    project: str
    version: str
    filename: str
    filetype: str
    sha256: str
    size: int
    token: str
    noop: bool


@dataclass
class _Token:
    kind: str  # "api" (a user's token) or "oidc" (minted by trusted publishing)
    projects: frozenset[str] | None  # canonical names; None: the whole account
    expires: float | None
    job: str | None = None  # the job whose id token was exchanged for this token


def placeholder_wheel(name: str, version: str, tag: str = "py3-none-any", requires_python: str | None = None,
                      extra_metadata: str = "") -> tuple[str, bytes]:
    """A small but complete wheel (``(filename, bytes)``) -- used by seeds."""
    dist = canonicalize_name(name).replace("-", "_")
    ver = str(Version(version))
    info = f"{dist}-{ver}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {ver}\n"
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    metadata += extra_metadata
    files = {
        f"{dist}/__init__.py": f"__version__ = {ver!r}\n".encode(),
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: actspec\nRoot-Is-Purelib: true\nTag: {tag}\n".encode(),
    }
    record = "".join(
        f"{path},sha256={_b64(hashlib.sha256(data).digest())},{len(data)}\n" for path, data in files.items()
    ) + f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            zf.writestr(path, data)
    return f"{dist}-{ver}-{tag}.whl", buf.getvalue()


def placeholder_sdist(name: str, version: str) -> tuple[str, bytes]:
    """A small sdist (``(filename, bytes)``) with ``PKG-INFO`` -- used by seeds."""
    dist = canonicalize_name(name).replace("-", "_")
    ver = str(Version(version))
    top = f"{dist}-{ver}"
    pkg_info = f"Metadata-Version: 2.1\nName: {name}\nVersion: {ver}\n".encode()
    return f"{top}.tar.gz", tar_gz(((f"{top}/PKG-INFO", pkg_info), (f"{top}/README", b"seeded by actspec\n")))


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class PyPIService(RoutedApp, SessionState):
    """The mock PyPI.  See the module docstring for what is emulated.

    ``verifier``: the mock GitHub's :meth:`~actspec.services.github.GitHubService.verifier`
    (without one, trusted publishing answers ``not-enabled``).
    ``trusted_publishers``: ``{project: [TrustedPublisher, ...]}``.
    ``file_size_limit``: the per-file limit in bytes (PyPI's default, 100 MiB; tests use less).
    """

    name = "pypi"

    def __init__(self, ledger: Ledger, *, verifier: Verifier | None = None,
                 trusted_publishers: Mapping[str, Sequence[TrustedPublisher]] | None = None,
                 audience: str = "pypi", file_size_limit: int = MAX_FILESIZE) -> None:
        self.ledger = ledger
        self.file_size_limit = file_size_limit
        self.verifier = verifier
        self.audience = audience
        self.trusted_publishers: dict[str, list[TrustedPublisher]] = {
            canonicalize_name(k): list(v) for k, v in (trusted_publishers or {}).items()
        }
        self._lock = threading.RLock()
        self._tokens: dict[str, _Token] = {}
        self._used_jti: set[str] = set()
        self._state: dict[str, Any] = self._empty()
        self.url_map = Map([
            Rule("/legacy/", endpoint="upload", methods=["POST"]),
            Rule("/legacy", endpoint="upload_no_slash", methods=["POST"], strict_slashes=False),
            Rule("/simple/", endpoint="simple_index", methods=["GET", "HEAD"]),
            Rule("/simple/<project>/", endpoint="simple_project", methods=["GET", "HEAD"]),
            Rule("/files/<path:filename>", endpoint="file", methods=["GET", "HEAD"]),
            Rule("/pypi/<project>/json", endpoint="json_project", methods=["GET"]),
            Rule("/pypi/<project>/<version>/json", endpoint="json_release", methods=["GET"]),
            Rule("/_/oidc/audience", endpoint="oidc_audience", methods=["GET"]),
            Rule("/_/oidc/mint-token", endpoint="mint_token", methods=["POST"]),
            Rule("/_/oidc/github/mint-token", endpoint="mint_token", methods=["POST"]),
        ])

    # ------------------------------------------------------------------ Service protocol

    def job_env(self, base_url: str) -> dict[str, str]:
        return {"ACTSPEC_PYPI_URL": base_url.rstrip("/")}

    def seed(self, what: str, value: str) -> None:
        """Preconditions: ``version`` ``cog==0.17.0`` (the release exists, with a placeholder
        sdist ``cog-0.17.0.tar.gz``, so a real upload of that sdist collides); ``file``
        ``<filename>`` (a placeholder file of exactly that name: a wheel or an sdist);
        ``project`` ``cog`` (the project exists, without releases)."""
        with self._lock:
            if what == "version":
                name, sep, version = value.partition("==")
                if not sep:
                    raise ValueError(f"pypi seed version {value!r}: expected 'name==version'")
                filename, data = placeholder_sdist(name.strip(), version.strip())
                self._store(name.strip(), Version(version.strip()), filename, data, "sdist", "source", None, None)
            elif what == "file":
                if value.endswith(".whl"):
                    name, version, _build, tags = parse_wheel_filename(value)
                    tag = "-".join(sorted({f"{t.interpreter}-{t.abi}-{t.platform}" for t in tags})[:1])
                    _fn, data = placeholder_wheel(name, str(version), tag)
                    self._store(name, version, value, data, "bdist_wheel", value.split("-")[-3], None,
                                pypi_rules.wheel_metadata(data, value))
                else:
                    name, version = parse_sdist_filename(value)
                    _fn, data = placeholder_sdist(name, str(version))
                    self._store(name, version, value, data, "sdist", "source", None, None)
            elif what == "project":
                self._project(value)
            else:
                raise ValueError(f"pypi: unknown seed {what!r}")

    # ------------------------------------------------------------------ kit-side helpers

    def mint_token(self, project: str | Iterable[str] | None = None, *, expires_in: float | None = None) -> str:
        """A user API token (``pypi-...``): for ``project`` (or several), or the whole account."""
        if project is None:
            scope = None
        elif isinstance(project, str):
            scope = frozenset({canonicalize_name(project)})
        else:
            scope = frozenset(canonicalize_name(p) for p in project)
        token = "pypi-" + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = _Token("api", scope, time.time() + expires_in if expires_in else None)
        return token

    def projects(self) -> dict[str, list[str]]:
        """``{project: [version, ...]}`` of everything on the index."""
        with self._lock:
            return {p["name"]: sorted(p["releases"], key=Version) for p in self._state["projects"].values()}

    def files(self, project: str | None = None) -> list[dict[str, Any]]:
        """File records (without content) of ``project`` or of all projects, in upload order."""
        with self._lock:
            rows = [f for f in self._state["files"].values()
                    if project is None or f["project"] == canonicalize_name(project)]
            return [{k: v for k, v in f.items() if k not in ("data", "metadata")} for f in rows]

    # ------------------------------------------------------------------ state

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {"projects": {}, "files": {}, "serial": 0}

    def _project(self, name: str) -> dict[str, Any]:
        key = canonicalize_name(name)
        proj = self._state["projects"].get(key)
        if proj is None:
            proj = {"name": name, "releases": {}}
            self._state["projects"][key] = proj
        return proj

    def _project_exists(self, name: str) -> bool:
        key = canonicalize_name(name)
        return key in self._state["projects"] or key in self.trusted_publishers

    def _store(self, name: str, version: Version, filename: str, data: bytes, filetype: str, pyversion: str,
               meta: Metadata | None, wheel_metadata: bytes | None) -> dict[str, Any]:
        proj = self._project(name)
        if meta is not None and proj["name"] != meta.name:
            proj["name"] = meta.name
        rel = proj["releases"].setdefault(str(version), {"files": [], "created": _now_iso()})
        if meta is not None:
            rel.update({"summary": meta.summary, "requires_dist": [str(r) for r in meta.requires_dist or []],
                        "provides_extra": list(meta.provides_extra or []),
                        "requires_python": str(meta.requires_python) if meta.requires_python else None})
        rel["files"].append(filename)
        self._state["serial"] += 1
        record = {
            "filename": filename, "project": canonicalize_name(name), "version": str(version),
            "packagetype": filetype, "python_version": pyversion,
            "requires_python": str(meta.requires_python) if meta is not None and meta.requires_python else None,
            "size": len(data), "md5": hashlib.md5(data).hexdigest(), "sha256": hashlib.sha256(data).hexdigest(),
            "blake2_256": hashlib.blake2b(data, digest_size=32).hexdigest(), "upload_time": _now_iso(),
            "data": data, "metadata": wheel_metadata,
            "metadata_sha256": hashlib.sha256(wheel_metadata).hexdigest() if wheel_metadata else None,
            "serial": self._state["serial"],
        }
        self._state["files"][filename] = record
        return record

    # ------------------------------------------------------------------ errors

    def _error(self, request: Request, status: int, message: str) -> HTTPError:
        """Warehouse's ``_exc_with_message``: the message is the reason phrase and the body."""
        reason = message.replace("\r", " ").replace("\n", " ").encode("iso-8859-1", "replace").decode("iso-8859-1")
        status_line = f"{status} {reason}"
        explanation = EXPLANATIONS.get(status, HTTP_STATUS_CODES.get(status, ""))
        offers = ("text/html", "application/json", "text/plain")
        best = request.accept_mimetypes.best_match(offers, default="text/html")
        if best == "application/json":
            resp = json_response({"message": explanation + "\n\n" + message, "code": status_line,
                                  "title": HTTP_STATUS_CODES.get(status, "")}, status_line)
        elif best == "text/plain":
            resp = Response(f"{status_line}\n\n{explanation}\n\n{message}\n\n", status=status_line,
                            content_type="text/plain; charset=utf-8")
        else:
            text = html.escape(status_line)
            body = (f"<html>\n <head>\n  <title>{text}</title>\n </head>\n <body>\n  <h1>{text}</h1>\n"
                    f"  {html.escape(explanation)}<br/><br/>\n{html.escape(message)}\n\n\n </body>\n</html>")
            resp = Response(body, status=status_line, content_type="text/html; charset=UTF-8")
        return HTTPError(resp, message)

    def not_found(self, request: Request) -> Response:
        return self._error(request, 404, "Not Found").response

    # ------------------------------------------------------------------ upload

    def on_upload_no_slash(self, request: Request) -> Response:
        err = self._error(request, 308, "An upload was attempted to /legacy but the expected upload URL is "
                                        "/legacy/ (with a trailing slash)")
        err.response.headers["Location"] = base_url(request) + "/legacy/"
        return err.response

    def _identity(self, request: Request) -> _Token | None:
        auth = request.authorization
        if auth is None or auth.type != "basic":
            return None
        if auth.username != "__token__":
            if auth.username and auth.password:
                raise Refusal(403, "Username/Password authentication is no longer supported. Migrate to API Tokens "
                                   f"or Trusted Publishers instead. See {HELP}#apitoken and {HELP}#trusted-publishers")
            return None
        return self._tokens.get(auth.password or "")

    def _identity_quiet(self, request: Request) -> _Token | None:
        try:
            return self._identity(request)
        except Refusal:
            return None

    def on_upload(self, request: Request) -> Response:
        """Route: warehouse's ``file_upload``.  The multipart body is parsed before the lock."""
        who = caller(request)
        content = request.files.get("content")
        filename = content.filename if content is not None else None
        form_name, form_version = request.form.get("name"), request.form.get("version")
        subject = filename or f"{form_name}-{form_version}"
        token = self._identity_quiet(request)
        # twine sends no X-Actspec-Job; a trusted-publishing token knows the job it was minted for
        job = who["job"] or (token.job if token else None)
        try:
            with self._lock:
                uploaded = self._upload(request, content)
        except Refusal as refusal:
            self.ledger.record("pypi.upload", subject, job=job, ok=False, status=refusal.status,
                               message=refusal.message, project=canonicalize_name(form_name or ""),
                               version=form_version, token=token.kind if token else None,
                               container=who["container"])
            return self._error(request, refusal.status, refusal.message).response
        self.ledger.record("pypi.upload", subject, job=job, ok=True, status=200, message="",
                           container=who["container"], **asdict(uploaded))
        return Response("", 200)

    def _upload(self, request: Request, content: FileStorage | None) -> Uploaded:
        """Warehouse's checks in warehouse's order (:mod:`~actspec.services.pypi_rules`), then the store."""
        token = self._authorized(request)
        fields = pypi_rules.check_file_fields(request.form)
        meta = pypi_rules.core_metadata(request.form)
        if content is None:
            raise Refusal(400, "Upload payload does not have a file.")
        project = canonicalize_name(meta.name)
        display = self._state["projects"].get(project, {}).get("name", meta.name)
        self._check_scope(token, project, display)
        filename = content.filename or ""
        pypi_rules.check_filename(filename, fields.filetype, content.mimetype)
        data = pypi_rules.read_limited(content.stream, self.file_size_limit, display)
        hashes = pypi_rules.file_hashes(data)
        pypi_rules.check_digests(fields.digests, hashes)
        uploaded = Uploaded(project=project, version=str(meta.version), filename=filename, filetype=fields.filetype,
                            sha256=hashes["sha256"], size=len(data), token=token.kind, noop=False)
        if self._already_there(filename, hashes):
            return replace(uploaded, noop=True)
        self._check_one_sdist(project, str(meta.version), fields.filetype)
        pypi_rules.check_archive(data, filename)
        if fields.filetype == "sdist":
            pypi_rules.check_sdist_name(filename, meta)
            inner = None
        else:
            inner = pypi_rules.check_wheel(filename, meta, data)
        self._store(meta.name, meta.version, filename, data, fields.filetype, fields.pyversion or "source", meta, inner)
        return uploaded

    # ------------------------------------------------------------------ upload rules that read the state

    def _authorized(self, request: Request) -> _Token:
        token = self._identity(request)
        if token is None:
            raise Refusal(403, f"Invalid or non-existent authentication information. See {HELP}#invalid-auth for "
                               "more information.")
        if token.expires is not None and time.time() > token.expires:
            raise Refusal(403, "Invalid API Token: token is expired")
        return token

    def _check_scope(self, token: _Token, project: str, display: str) -> None:
        """A trusted publisher cannot create projects; a scoped token only uploads to its projects."""
        if not self._project_exists(project) and token.kind != "api":
            raise Refusal(400, "Non-user identities cannot create new projects. This was probably caused by "
                               "successfully using a pending publisher but specifying the project name incorrectly "
                               "(either in the publisher or in your project's metadata). Please ensure that both "
                               "match. See: https://docs.pypi.org/trusted-publishers/troubleshooting/")
        if token.projects is not None and project not in token.projects:
            if token.kind == "oidc":
                raise Refusal(403, f"Invalid API Token: OIDC scoped token is not valid for project '{display}'")
            raise Refusal(403, f"Invalid API Token: project-scoped token is not valid for project: {display!r}")

    def _already_there(self, filename: str, hashes: Mapping[str, str]) -> bool:
        """True for a byte-identical re-upload (PyPI answers 200); a reused name or content is 400."""
        existing = self._state["files"].get(filename) or next(
            (f for f in self._state["files"].values() if f["blake2_256"] == hashes["blake2_256"]), None)
        if existing is None:
            return False
        if existing["filename"] == filename and existing["sha256"] == hashes["sha256"]:
            return True
        raise Refusal(400, f"File already exists ({filename!r}, with blake2_256 hash {hashes['blake2_256']!r}). "
                           f"See {HELP}#file-name-reuse for more information.")

    def _check_one_sdist(self, project: str, version: str, filetype: str) -> None:
        release = self._state["projects"].get(project, {}).get("releases", {}).get(version)
        if filetype == "sdist" and release is not None and any(
                self._state["files"][f]["packagetype"] == "sdist" for f in release["files"]):
            raise Refusal(400, "Only one sdist may be uploaded per release.")

    # ------------------------------------------------------------------ simple index / files / JSON

    def _negotiate(self, request: Request) -> str:
        offers = (SIMPLE_JSON, SIMPLE_HTML, "text/html")
        fmt = request.args.get("format")
        if fmt in offers:
            return fmt
        best, best_q = "text/html", 0.0
        for value, quality in request.accept_mimetypes:
            if value in offers and quality > best_q:
                best, best_q = value, quality
        return best

    def _file_url(self, request: Request, filename: str) -> str:
        return f"{base_url(request)}/files/{filename}"

    def on_simple_index(self, request: Request) -> Response:
        fmt = self._negotiate(request)
        with self._lock:
            names = sorted((p["name"] for p in self._state["projects"].values()), key=str.lower)
            serial = self._state["serial"]
        headers = {"X-PyPI-Last-Serial": str(serial)}
        if fmt == SIMPLE_JSON:
            return json_response({"meta": {"api-version": "1.1", "_last-serial": serial},
                                  "projects": [{"name": n, "_last-serial": serial} for n in names]},
                                 200, headers, content_type=SIMPLE_JSON)
        links = "\n".join(f'    <a href="{html.escape(canonicalize_name(n))}/">{html.escape(n)}</a>' for n in names)
        body = ("<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n"
                f"    <title>Simple index</title>\n  </head>\n  <body>\n{links}\n  </body>\n</html>\n")
        return Response(body, 200, headers, content_type=(SIMPLE_HTML if fmt == SIMPLE_HTML else "text/html; charset=utf-8"))

    def on_simple_project(self, request: Request, project: str) -> Response:
        canonical = canonicalize_name(project)
        if canonical != project:
            return Response(status=301, headers={"Location": f"{base_url(request)}/simple/{canonical}/"})
        fmt = self._negotiate(request)
        with self._lock:
            proj = self._state["projects"].get(canonical)
            if proj is None:
                return self.not_found(request)
            files = [self._state["files"][f] for v in sorted(proj["releases"], key=Version)
                     for f in proj["releases"][v]["files"]]
            versions = sorted(proj["releases"], key=Version)
            serial = self._state["serial"]
            name = proj["name"]
        headers = {"X-PyPI-Last-Serial": str(serial)}
        if fmt == SIMPLE_JSON:
            out = []
            for f in files:
                meta: Any = {"sha256": f["metadata_sha256"]} if f["metadata_sha256"] else False
                out.append({"filename": f["filename"], "url": self._file_url(request, f["filename"]),
                            "hashes": {"sha256": f["sha256"]}, "requires-python": f["requires_python"],
                            "core-metadata": meta, "data-dist-info-metadata": meta, "size": f["size"],
                            "upload-time": f["upload_time"], "yanked": False})
            return json_response({"meta": {"api-version": "1.1", "_last-serial": serial}, "name": canonical,
                                  "versions": versions, "files": out}, 200, headers, content_type=SIMPLE_JSON)
        lines = []
        for f in files:
            attrs = f'href="{html.escape(self._file_url(request, f["filename"]))}#sha256={f["sha256"]}"'
            if f["requires_python"]:
                attrs += f' data-requires-python="{html.escape(f["requires_python"])}"'
            if f["metadata_sha256"]:
                attrs += (f' data-dist-info-metadata="sha256={f["metadata_sha256"]}"'
                          f' data-core-metadata="sha256={f["metadata_sha256"]}"')
            lines.append(f"    <a {attrs}>{html.escape(f['filename'])}</a><br />")
        body = ("<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n"
                f"    <title>Links for {html.escape(name)}</title>\n  </head>\n  <body>\n"
                f"    <h1>Links for {html.escape(name)}</h1>\n" + "\n".join(lines) + "\n  </body>\n</html>\n")
        return Response(body, 200, headers, content_type=(SIMPLE_HTML if fmt == SIMPLE_HTML else "text/html; charset=utf-8"))

    def on_file(self, request: Request, filename: str) -> Response:
        with self._lock:
            rec = self._state["files"].get(filename)
            if rec is not None:
                return Response(rec["data"], 200, content_type="application/octet-stream",
                                headers={"ETag": f'"{rec["sha256"]}"'})
            if filename.endswith(".metadata"):
                rec = self._state["files"].get(filename[: -len(".metadata")])
                if rec is not None and rec["metadata"] is not None:
                    return Response(rec["metadata"], 200, content_type="application/octet-stream")
        return self.not_found(request)

    def _file_json(self, request: Request, f: dict[str, Any]) -> dict[str, Any]:
        return {
            "comment_text": "", "digests": {"md5": f["md5"], "sha256": f["sha256"], "blake2b_256": f["blake2_256"]},
            "downloads": -1, "filename": f["filename"], "has_sig": False, "md5_digest": f["md5"],
            "packagetype": f["packagetype"], "python_version": f["python_version"],
            "requires_python": f["requires_python"], "size": f["size"], "upload_time": f["upload_time"][:19],
            "upload_time_iso_8601": f["upload_time"], "url": self._file_url(request, f["filename"]),
            "yanked": False, "yanked_reason": None,
        }

    def _json(self, request: Request, project: str, version: str | None) -> Response:
        all_releases = version is None
        canonical = canonicalize_name(project)
        with self._lock:
            proj = self._state["projects"].get(canonical)
            if proj is None or not proj["releases"]:
                return json_response({"message": "Not Found"}, 404)
            versions = sorted(proj["releases"], key=Version)
            if version is None:
                stable = [v for v in versions if not Version(v).is_prerelease]
                version = (stable or versions)[-1]
            else:
                try:
                    version = next(v for v in versions if Version(v) == Version(version))
                except (StopIteration, InvalidVersion):
                    return json_response({"message": "Not Found"}, 404)
            rel = proj["releases"][version]
            base = base_url(request)
            info = {
                "name": proj["name"], "version": version, "summary": rel.get("summary"),
                "requires_python": rel.get("requires_python"), "requires_dist": rel.get("requires_dist") or None,
                "provides_extra": rel.get("provides_extra") or None, "yanked": False, "yanked_reason": None,
                "package_url": f"{base}/project/{canonical}/", "project_url": f"{base}/project/{canonical}/",
                "release_url": f"{base}/project/{canonical}/{version}/",
            }
            body: dict[str, Any] = {
                "info": info, "last_serial": self._state["serial"],
                "urls": [self._file_json(request, self._state["files"][f]) for f in rel["files"]],
                "vulnerabilities": [],
            }
            if all_releases:  # /pypi/<project>/json also lists every release
                body["releases"] = {v: [self._file_json(request, self._state["files"][f])
                                        for f in proj["releases"][v]["files"]] for v in versions}
        return json_response(body)

    def on_json_project(self, request: Request, project: str) -> Response:
        return self._json(request, project, None)

    def on_json_release(self, request: Request, project: str, version: str) -> Response:
        return self._json(request, project, version)

    # ------------------------------------------------------------------ trusted publishing

    def on_oidc_audience(self, request: Request) -> Response:
        return json_response({"audience": self.audience})

    def _match_publishers(self, claims: dict[str, Any]) -> tuple[set[str], str]:
        """Projects whose publisher matches ``claims`` (warehouse's lookup), and why not."""
        repo = str(claims.get("repository") or "")
        jwr = str(claims.get("job_workflow_ref") or "")
        env = str(claims.get("environment") or "").lower()
        fname = workflow_filename(jwr, repo)
        sub = str(claims.get("sub") or "")
        if fname is None:
            return set(), f"job_workflow_ref {jwr!r} is not a workflow of repository {repo!r}"
        refs = {f"@{r}" for r in (claims.get("ref"), claims.get("sha")) if r}
        if not any(jwr.endswith(r) for r in refs):
            return set(), f"job_workflow_ref {jwr!r} does not end in the token's ref or sha"
        parts = sub.split(":")
        if len(parts) < 2 or parts[0] != "repo" or parts[1].lower() != repo.lower():
            return set(), f"sub {sub!r} does not name repository {repo!r}"

        def matching(want_env: str) -> set[str]:
            return {project for project, pubs in self.trusted_publishers.items() for p in pubs
                    if p.repository.lower() == repo.lower() and p.workflow_filename == fname and p.env == want_env}

        scope = matching(env) if env else set()
        if not scope:
            scope = matching("")
        if scope:
            return scope, ""
        configured = "; ".join(f"{proj}: {p.repository} {p.workflow_filename} environment={p.environment!r}"
                               for proj, pubs in sorted(self.trusted_publishers.items()) for p in pubs) or "none"
        return set(), (f"no trusted publisher for repository {repo!r}, workflow {fname!r}, environment "
                       f"{claims.get('environment')!r} (configured: {configured})")

    def on_mint_token(self, request: Request) -> Response:
        who = caller(request)
        data = read_json(request)
        used: dict[str, Any] = {}
        ctx: dict[str, str | None] = {"job": who["job"]}

        def invalid(code: str, description: str, reason: str = "") -> Response:
            self.ledger.record("oidc.exchange", "pypi", job=ctx["job"], ok=False, status=422, message=description,
                               reason=reason or description, registry="pypi", claims=used,
                               container=who["container"])
            return json_response({"message": "Token request failed",
                                  "errors": [{"code": code, "description": description}]}, 422)

        if not isinstance(data, dict) or not isinstance(data.get("token"), str):
            return invalid("invalid-payload", "1 validation error for TokenPayload\ntoken\n  Field required or "
                                              "not a string")
        if self.verifier is None:
            return invalid("not-enabled", "GitHub-based trusted publishing functionality not enabled")
        try:
            claims = self.verifier.verify(data["token"], self.audience)
        except OIDCError as exc:
            try:
                _h, unverified = self.verifier.unverified(data["token"])
                used.update({k: unverified.get(k) for k in ("iss", "aud", "sub", "repository")})
                ctx["job"] = ctx["job"] or self.verifier.job_of(unverified)
            except OIDCError:
                pass
            return invalid("invalid-token", "malformed or invalid token", exc.message)
        used.update({k: claims.get(k) for k in ("sub", "aud", "repository", "repository_owner", "ref", "sha",
                                                 "workflow_ref", "job_workflow_ref", "environment", "jti",
                                                 "run_id", "event_name")})
        ctx["job"] = ctx["job"] or self.verifier.job_of(claims)
        with self._lock:
            projects, reason = self._match_publishers(claims)
            if not projects:
                return invalid("invalid-publisher", "valid token, but no corresponding publisher (Publisher with "
                                                    "matching claims was not found)", reason)
            if claims["jti"] in self._used_jti:
                return invalid("invalid-reuse-token", "valid token, but already used",
                               f"jti {claims['jti']} was already exchanged")
            self._used_jti.add(claims["jti"])
            expires = int(time.time()) + TOKEN_LIFETIME
            token = "pypi-" + secrets.token_urlsafe(48)
            self._tokens[token] = _Token("oidc", frozenset(projects), expires, job=ctx["job"])
        self.ledger.record("oidc.exchange", "pypi", job=ctx["job"], ok=True, status=200, message="",
                           registry="pypi", claims=used, projects=sorted(projects), expires=expires,
                           container=who["container"])
        return json_response({"success": True, "token": token, "expires": expires})
