"""Mock GitHub: the Releases REST subset and the Actions OIDC token service.

Mounted at ``/github``; a job's ``GITHUB_API_URL`` is the mount's base URL, so REST paths
are GitHub's (``/repos/{owner}/{repo}/releases`` ...).  GitHub serves asset uploads from a
separate host (``uploads.github.com``); here they are under ``<base>/uploads/...`` and every
release's ``upload_url`` points there, in GitHub's template form ``...assets{?name,label}``.

Authentication: writes need ``Authorization: Bearer|token <GITHUB_TOKEN>`` where the token is
:attr:`GitHubService.token` (the runner hands it to act as the ``GITHUB_TOKEN`` secret).
Missing credentials answer 401 ``Requires authentication``, wrong ones 401 ``Bad
credentials``; a write to a repository other than the run's answers 403 ``Resource not
accessible by integration`` (the token is scoped to the run's repository), as does a
write from a job whose :attr:`JobFacts.contents_write` is ``False`` (only checked when the
caller names its job with ``X-Actspec-Job``; real clients do not, and are not checked).

Releases follow GitHub's rules where they matter to a release pipeline:

* a *published* release owns its tag: creating (or publishing) another release with that
  ``tag_name`` is 422 ``already_exists``; drafts do not own tags, so several drafts may
  share one (which is why goreleaser can leave duplicate drafts behind);
* ``GET .../releases/tags/{tag}`` and ``.../releases/latest`` never return drafts (404);
  drafts are visible to authenticated callers in the list and by id only;
* a duplicate asset name in one release is 422 ``already_exists``;
* asset names are renamed as GitHub documents ("GitHub renames asset filenames that have
  special characters, non-alphanumeric characters, and leading or trailing periods"), see
  :func:`asset_name`: a ``name`` of ``../x`` or ``dir/x`` never becomes a path.

Request bodies are read before the state lock is taken, so a stalled upload blocks no one.

OIDC: ``ACTIONS_ID_TOKEN_REQUEST_URL`` is ``<base>/_oidc/token?api-version=2.0`` (callers
append ``&audience=...``), ``ACTIONS_ID_TOKEN_REQUEST_TOKEN`` a per-session secret.  The
caller names its job with ``X-Actspec-Job: $GITHUB_JOB``.  Tokens are RS256 with a
per-session key (``kid`` in the header); the JWKS is at ``<base>/.well-known/jwks`` and
``iss`` is ``<base>``.  The request is refused (403, JSON ``{"message": ...}`` meant to be
printed verbatim by the shim) when no run is in progress, when the job is unknown, when
the job lacks ``permissions: id-token: write`` (GitHub would not even set the two
variables for it), and when the job's environment has deployment rules that the run's ref
does not satisfy.  The last one is a partial emulation: GitHub would not start such a job
at all, but act runs it, so the kit refuses the first thing it would use the environment
for -- its id token -- and records why.

Environment deployment rules are ``{environment: [pattern, ...]}`` (constructor argument
``environments``, or :attr:`RunInfo.environments` for one run).  A pattern matches the
branch name (``refs/heads/<name>``) or the tag name (``refs/tags/<name>``) of the run's
ref, and keeps its kind: ``tag:v*`` admits tags only, ``branch:main`` (or plain ``main``,
GitHub's default policy type) branches only; see :func:`ghrules.deployments.ref_allowed`.
An environment absent from the mapping has no rules (GitHub creates environments
on first use without protection); an empty list allows no ref at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
import secrets
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from ghrules import deployments
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from actspec.errors import HTTPError
from actspec.ledger import Ledger
from actspec.model import JobFacts, RunInfo
from actspec.services._web import (
    RoutedApp,
    SessionState,
    base_url,
    caller,
    json_response,
    read_json,
)
from actspec.services.oidc import Issuer, Verifier

DOCS = "https://docs.github.com/rest"
DOC_CREATE = "https://docs.github.com/rest/releases/releases#create-a-release"
DOC_UPDATE = "https://docs.github.com/rest/releases/releases#update-a-release"
DOC_BY_TAG = "https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name"
DOC_UPLOAD = "https://docs.github.com/rest/releases/assets#upload-a-release-asset"
TOKEN_LIFETIME = 300  # GitHub's id tokens are valid for five minutes
NOT_BEFORE_SKEW = 600  # ... and carry an nbf ten minutes before iat, as in GitHub's examples


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fake_id(text: str) -> str:
    """A stable numeric id for a name (GitHub's ``*_id`` claims are numbers in strings)."""
    return str(int.from_bytes(hashlib.sha256(text.lower().encode()).digest()[:4], "big") % 10**9)


_ASSET_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def asset_name(requested: str) -> str:
    """The name GitHub stores for an uploaded asset called ``requested``.

    Each run of characters other than letters, digits, ``.``, ``_`` and ``-`` becomes one
    period (what uploads of names with spaces, ``~``, ``(`` or ``/`` show), runs of periods
    become one and leading and trailing periods go.  ``""`` when nothing is left.
    """
    dotted = re.sub(r"\.{2,}", ".", _ASSET_UNSAFE.sub(".", requested))
    return dotted.strip(".")


def _gh_error(status: int, message: str, documentation_url: str = DOCS,
              errors: list[dict[str, Any]] | None = None) -> Response:
    body: dict[str, Any] = {"message": message}
    if errors is not None:
        body["errors"] = errors
    body["documentation_url"] = documentation_url
    body["status"] = str(status)
    return json_response(body, status)


class GitHubService(RoutedApp, SessionState):
    """The mock GitHub.  See the module docstring for the emulated behaviour.

    ``environments``: deployment rules ``{environment: [pattern, ...]}``.
    ``token``: the ``GITHUB_TOKEN`` value writes must carry (random when not given).
    """

    name = "github"
    read_body_first = True

    def __init__(self, ledger: Ledger, *, environments: Mapping[str, Sequence[str]] | None = None,
                 token: str | None = None) -> None:
        self.ledger = ledger
        self.environments: dict[str, list[str]] = {k: list(v) for k, v in (environments or {}).items()}
        self.token = token or "ghs_" + secrets.token_urlsafe(27)
        self.id_token_request_token = secrets.token_urlsafe(32)
        self.issuer = Issuer()
        self._lock = threading.RLock()
        self._run: RunInfo | None = None
        self._base: str | None = None
        self._state: dict[str, Any] = self._empty()
        rest = [
            Rule("/repos/<owner>/<repo>/releases", endpoint="releases", methods=["GET", "POST"]),
            Rule("/repos/<owner>/<repo>/releases/latest", endpoint="latest_release", methods=["GET"]),
            Rule("/repos/<owner>/<repo>/releases/tags/<path:tag>", endpoint="release_by_tag", methods=["GET"]),
            Rule("/repos/<owner>/<repo>/releases/<int:release_id>", endpoint="release",
                 methods=["GET", "PATCH", "DELETE"]),
            Rule("/repos/<owner>/<repo>/releases/<int:release_id>/assets", endpoint="list_assets", methods=["GET"]),
            Rule("/repos/<owner>/<repo>/releases/assets/<int:asset_id>", endpoint="asset",
                 methods=["GET", "DELETE"]),
            Rule("/rate_limit", endpoint="rate_limit", methods=["GET"]),
        ]
        upload = "/repos/<owner>/<repo>/releases/<int:release_id>/assets"
        self.url_map = Map([
            *rest,
            # The same API laid out as GitHub Enterprise Server serves it (``<host>/api/v3/``,
            # uploads at ``<host>/api/uploads/``): where go-github clients such as goreleaser
            # send requests when their configuration names an API URL (``github_urls``).
            *[Rule("/api/v3" + r.rule, endpoint=r.endpoint, methods=sorted(r.methods or ())) for r in rest],
            Rule("/uploads" + upload, endpoint="upload_asset", methods=["POST"]),
            Rule("/api/uploads" + upload, endpoint="upload_asset", methods=["POST"]),
            Rule("/<owner>/<repo>/releases/download/<tag>/<asset_name>", endpoint="browser_download",
                 methods=["GET"]),
            Rule("/_oidc/token", endpoint="id_token", methods=["GET", "POST"]),
            Rule("/.well-known/jwks", endpoint="jwks", methods=["GET"]),
            Rule("/.well-known/openid-configuration", endpoint="openid_configuration", methods=["GET"]),
        ])

    # ------------------------------------------------------------------ Service protocol

    def job_env(self, base_url: str) -> dict[str, str]:
        base = base_url.rstrip("/")
        with self._lock:
            self._base = base
        self.issuer.issuer_url = base
        return {
            "GITHUB_API_URL": base,
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{base}/_oidc/token?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": self.id_token_request_token,
        }

    def begin_run(self, run: RunInfo) -> None:
        info = dataclasses.replace(run, workflow=run.workflow.removeprefix("./"))
        with self._lock:
            self._run = info
            for rel in self._state["releases"].values():
                if rel["repo"] is None:
                    rel["repo"] = info.repository

    def seed(self, what: str, value: str) -> None:
        """Preconditions: ``release``/``draft``/``prerelease`` ``[owner/repo@]tag`` create a
        release (published, draft, published prerelease); ``asset`` ``[owner/repo@]tag/name``
        adds a placeholder asset to the newest release with that tag.  Without ``owner/repo@``
        the release belongs to the run's repository."""
        repo, _, rest = value.rpartition("@")
        repo_or_none = repo or None
        with self._lock:
            if what in ("release", "draft", "prerelease"):
                self._new_release(repo_or_none, {"tag_name": rest, "name": rest, "draft": what == "draft",
                                                 "prerelease": what == "prerelease"})
            elif what == "asset":
                tag, _, name = rest.partition("/")
                rel = self._newest(repo_or_none, tag, drafts=True)
                if rel is None or not name:
                    raise ValueError(f"github seed asset {value!r}: no release {tag!r} to attach it to")
                self._new_asset(rel, name, None, "application/octet-stream", b"actspec seeded asset\n")
            else:
                raise ValueError(f"github: unknown seed {what!r}")

    # ------------------------------------------------------------------ kit-side helpers

    def verifier(self) -> Verifier:
        """A verifier for this mock's id tokens (signature, iss, aud, exp)."""
        return self.issuer.verifier()

    def public_jwks(self) -> dict[str, Any]:
        return self.issuer.public_jwks()

    def releases(self, repository: str | None = None) -> list[dict[str, Any]]:
        """All releases (drafts included) of ``repository`` (default: the run's), newest first."""
        with self._lock:
            repo = repository or (self._run.repository if self._run else None)
            return [self._release_json(r, self._base_or_default()) for r in self._repo_releases(repo)]

    def publish(self, tag: str, repository: str | None = None) -> dict[str, Any]:
        """Publish the newest draft with ``tag`` (what a maintainer's click does).

        Records ``release.publish`` and returns the release JSON that the ``release``
        event's payload carries (``payload["release"]``).
        """
        with self._lock:
            repo = repository or (self._run.repository if self._run else None)
            rel = next((r for r in self._repo_releases(repo) if r["draft"] and r["tag_name"] == tag), None)
            if rel is None:
                raise LookupError(f"github: no draft release {tag!r} in {repo!r}")
            if self._tag_owner(rel["repo"], tag, exclude=rel["id"]) is not None:
                raise ValueError(f"github: tag {tag!r} already has a published release")
            rel["draft"] = False
            rel["published_at"] = _now()
            out = self._release_json(rel, self._base_or_default())
        self.ledger.record("release.publish", tag, ok=True, release_id=rel["id"], via="kit",
                           prerelease=rel["prerelease"], assets=[a["name"] for a in out["assets"]])
        return out

    def asset_bytes(self, tag: str, name: str, repository: str | None = None) -> bytes:
        """Content of asset ``name`` of the newest release with ``tag`` (drafts included)."""
        with self._lock:
            repo = repository or (self._run.repository if self._run else None)
            for rel in self._repo_releases(repo):
                if rel["tag_name"] != tag:
                    continue
                for aid in rel["assets"]:
                    asset = self._state["assets"][aid]
                    if asset["name"] == name:
                        return asset["data"]
        raise LookupError(f"github: no asset {name!r} on release {tag!r}")

    # ------------------------------------------------------------------ state helpers

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {"releases": {}, "assets": {}, "next_id": 1001}

    def _next_id(self) -> int:
        nid = self._state["next_id"]
        self._state["next_id"] = nid + 1
        return nid

    def _base_or_default(self) -> str:
        return self._base or "http://127.0.0.1/github"

    def _repo_releases(self, repo: str | None) -> list[dict[str, Any]]:
        rels = [r for r in self._state["releases"].values()
                if repo is not None and r["repo"] is not None and r["repo"].lower() == repo.lower()]
        return sorted(rels, key=lambda r: (r["created_at"], r["id"]), reverse=True)

    def _newest(self, repo: str | None, tag: str, drafts: bool) -> dict[str, Any] | None:
        for rel in sorted(self._state["releases"].values(), key=lambda r: r["id"], reverse=True):
            same_repo = rel["repo"] is None if repo is None else (rel["repo"] or "").lower() == repo.lower()
            if same_repo and rel["tag_name"] == tag and (drafts or not rel["draft"]):
                return rel
        return None

    def _tag_owner(self, repo: str, tag: str, exclude: int | None = None) -> dict[str, Any] | None:
        for rel in self._repo_releases(repo):
            if rel["tag_name"] == tag and not rel["draft"] and rel["id"] != exclude:
                return rel
        return None

    def _new_release(self, repo: str | None, data: Mapping[str, Any]) -> dict[str, Any]:
        now = _now()
        rel = {
            "id": self._next_id(), "repo": repo, "tag_name": data["tag_name"],
            "target_commitish": data.get("target_commitish") or "main",
            "name": data.get("name"), "body": data.get("body"),
            "draft": bool(data.get("draft", False)), "prerelease": bool(data.get("prerelease", False)),
            "created_at": now, "published_at": None if data.get("draft") else now,
            "assets": [], "author": "github-actions[bot]",
        }
        self._state["releases"][rel["id"]] = rel
        return rel

    def _new_asset(self, rel: dict[str, Any], name: str, label: str | None, content_type: str,
                   data: bytes) -> dict[str, Any]:
        now = _now()
        asset = {"id": self._next_id(), "release_id": rel["id"], "name": name, "label": label or "",
                 "content_type": content_type, "data": data, "created_at": now, "updated_at": now,
                 "uploader": "github-actions[bot]"}
        self._state["assets"][asset["id"]] = asset
        rel["assets"].append(asset["id"])
        return asset

    @staticmethod
    def _user(login: str) -> dict[str, Any]:
        return {"login": login, "id": int(_fake_id(login)), "type": "Bot", "site_admin": False}

    def _asset_json(self, asset: dict[str, Any], rel: dict[str, Any], base: str) -> dict[str, Any]:
        repo = rel["repo"] or ""
        return {
            "url": f"{base}/repos/{repo}/releases/assets/{asset['id']}",
            "browser_download_url": f"{base}/{repo}/releases/download/{rel['tag_name']}/{asset['name']}",
            "id": asset["id"], "node_id": f"RA_{asset['id']}", "name": asset["name"], "label": asset["label"],
            "uploader": self._user(asset["uploader"]), "content_type": asset["content_type"],
            "state": "uploaded", "size": len(asset["data"]),
            "digest": "sha256:" + hashlib.sha256(asset["data"]).hexdigest(),
            "download_count": 0, "created_at": asset["created_at"], "updated_at": asset["updated_at"],
        }

    def _release_json(self, rel: dict[str, Any], base: str) -> dict[str, Any]:
        repo = rel["repo"] or ""
        rid = rel["id"]
        tag_path = rel["tag_name"] if not rel["draft"] else f"untagged-{rid}"
        return {
            "url": f"{base}/repos/{repo}/releases/{rid}",
            "assets_url": f"{base}/repos/{repo}/releases/{rid}/assets",
            "upload_url": f"{base}/uploads/repos/{repo}/releases/{rid}/assets{{?name,label}}",
            "html_url": f"{base}/{repo}/releases/tag/{tag_path}",
            "id": rid, "node_id": f"RE_{rid}", "author": self._user(rel["author"]),
            "tag_name": rel["tag_name"], "target_commitish": rel["target_commitish"],
            "name": rel["name"], "draft": rel["draft"], "immutable": False, "prerelease": rel["prerelease"],
            "created_at": rel["created_at"], "published_at": rel["published_at"],
            "assets": [self._asset_json(self._state["assets"][a], rel, base) for a in rel["assets"]],
            "tarball_url": f"{base}/repos/{repo}/tarball/{rel['tag_name']}",
            "zipball_url": f"{base}/repos/{repo}/zipball/{rel['tag_name']}",
            "body": rel["body"],
        }

    # ------------------------------------------------------------------ request helpers

    def not_found(self, request: Request) -> Response:
        return self._unserved(request)

    def method_not_allowed(self, request: Request, valid: Iterable[str]) -> Response:
        return self._unserved(request)

    def _unserved(self, request: Request) -> Response:
        """An endpoint this mock does not implement: 501 naming it, and a ``github.unserved`` entry.

        GitHub would answer 404 for a path it does not know; a client that treats 404 as
        "absent" (a release by tag) would then go on silently, so the mock says what it lacks.
        """
        endpoint = f"{request.method} {request.path}"
        message = f"actspec: the mock GitHub does not serve {endpoint}"
        self._record("github.unserved", endpoint, request, False, 501, message)
        return _gh_error(501, message)

    def on_rate_limit(self, request: Request) -> Response:
        """GitHub's rate limit answer for an installation token (goreleaser asks before its writes)."""
        self._authenticated(request, required=False)
        reset = int(time.time()) + 3600
        core = {"limit": 5000, "used": 0, "remaining": 5000, "reset": reset}
        return json_response({"resources": {"core": core, "search": {**core, "limit": 30, "remaining": 30}},
                              "rate": core})

    def _authenticated(self, request: Request, required: bool) -> bool:
        """True for a valid token; raises 401 for a wrong one (or a missing one if required)."""
        header = request.headers.get("Authorization", "")
        if not header:
            if required:
                raise HTTPError(_gh_error(401, "Requires authentication"), "Requires authentication")
            return False
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if scheme.lower() == "basic" and request.authorization is not None:
            value = request.authorization.password or ""
        elif scheme.lower() not in ("bearer", "token"):
            value = ""
        if not value or not hmac.compare_digest(value.encode(), self.token.encode()):
            raise HTTPError(_gh_error(401, "Bad credentials"), "Bad credentials")
        return True

    def _write_guard(self, request: Request, repo: str) -> None:
        """Auth, repository scope and the caller job's ``contents`` permission for a write."""
        self._authenticated(request, required=True)
        run = self._run
        if run is not None and repo.lower() != run.repository.lower():
            raise HTTPError(_gh_error(403, "Resource not accessible by integration"),
                            f"GITHUB_TOKEN of {run.repository} cannot write to {repo}")
        job = caller(request)["job"]
        if run is not None and job is not None:
            facts = run.jobs.get(job)
            if facts is not None and facts.contents_write is False:
                raise HTTPError(_gh_error(403, "Resource not accessible by integration"),
                                f"job {job!r} does not have 'contents: write'")

    def _record(self, kind: str, subject: str, request: Request, ok: bool, status: int,
                message: str = "", **details: Any) -> None:
        who = caller(request)
        self.ledger.record(kind, subject, job=who["job"], ok=ok, status=status, message=message,
                           container=who["container"], user_agent=request.headers.get("User-Agent"), **details)

    def _guarded(self, kind: str, subject: str, request: Request, fn: Any) -> Response:
        """Run a write; record success or the rejection (status + message) in the ledger."""
        try:
            response, details = fn()
        except HTTPError as exc:
            self._record(kind, subject, request, False, exc.response.status_code, exc.message)
            raise
        self._record(kind, subject, request, True, response.status_code, **details)
        return response

    def _release_or_404(self, repo: str, release_id: int, request: Request) -> dict[str, Any]:
        rel = self._state["releases"].get(release_id)
        if rel is None or (rel["repo"] or "").lower() != repo.lower():
            raise HTTPError(_gh_error(404, "Not Found"), f"no release {release_id} in {repo}")
        if rel["draft"] and not self._authenticated(request, required=False):
            raise HTTPError(_gh_error(404, "Not Found"), f"release {release_id} is a draft")
        return rel

    # ------------------------------------------------------------------ releases

    def on_releases(self, request: Request, owner: str, repo: str) -> Response:
        full = f"{owner}/{repo}"
        if request.method == "POST":
            with self._lock:
                return self._create_release(request, full)
        with self._lock:
            authed = self._authenticated(request, required=False)
            rels = [r for r in self._repo_releases(full) if authed or not r["draft"]]
            try:
                per_page = max(1, min(100, int(request.args.get("per_page", 30))))
                page = max(1, int(request.args.get("page", 1)))
            except ValueError:
                per_page, page = 30, 1
            chunk = rels[(page - 1) * per_page: page * per_page]
            base = base_url(request)
            body = [self._release_json(r, base) for r in chunk]
        headers = {}
        last = max(1, -(-len(rels) // per_page))
        if last > 1:
            url = f"{base}/repos/{full}/releases?per_page={per_page}"
            links = []
            if page < last:
                links.append(f'<{url}&page={page + 1}>; rel="next"')
                links.append(f'<{url}&page={last}>; rel="last"')
            if page > 1:
                links.append(f'<{url}&page={page - 1}>; rel="prev"')
                links.append(f'<{url}&page=1>; rel="first"')
            headers["Link"] = ", ".join(links)
        return json_response(body, 200, headers)

    def _create_release(self, request: Request, full: str) -> Response:
        data = read_json(request)
        tag = data.get("tag_name") if isinstance(data, dict) else None

        def run() -> tuple[Response, dict[str, Any]]:
            self._write_guard(request, full)
            if not isinstance(data, dict):
                raise HTTPError(_gh_error(400, "Problems parsing JSON", DOC_CREATE), "Problems parsing JSON")
            if not isinstance(tag, str) or not tag:
                raise HTTPError(_gh_error(422, "Validation Failed", DOC_CREATE,
                                          [{"resource": "Release", "code": "missing_field", "field": "tag_name"}]),
                                "tag_name is missing")
            if self._tag_owner(full, tag) is not None:
                raise HTTPError(_gh_error(422, "Validation Failed", DOC_CREATE,
                                          [{"resource": "Release", "code": "already_exists", "field": "tag_name"}]),
                                f"tag {tag!r} already has a published release")
            rel = self._new_release(full, data)
            body = self._release_json(rel, base_url(request))
            return json_response(body, 201, {"Location": body["url"]}), {
                "release_id": rel["id"], "draft": rel["draft"], "prerelease": rel["prerelease"],
                "name": rel["name"], "target_commitish": rel["target_commitish"]}

        return self._guarded("release.create", str(tag), request, run)

    def on_latest_release(self, request: Request, owner: str, repo: str) -> Response:
        with self._lock:
            self._authenticated(request, required=False)
            for rel in self._repo_releases(f"{owner}/{repo}"):
                if not rel["draft"] and not rel["prerelease"]:
                    return json_response(self._release_json(rel, base_url(request)))
        return _gh_error(404, "Not Found", "https://docs.github.com/rest/releases/releases#get-the-latest-release")

    def on_release_by_tag(self, request: Request, owner: str, repo: str, tag: str) -> Response:
        with self._lock:
            self._authenticated(request, required=False)
            rel = self._tag_owner(f"{owner}/{repo}", tag)
            if rel is None:
                return _gh_error(404, "Not Found", DOC_BY_TAG)
            return json_response(self._release_json(rel, base_url(request)))

    def on_release(self, request: Request, owner: str, repo: str, release_id: int) -> Response:
        full = f"{owner}/{repo}"
        with self._lock:
            if request.method == "GET":
                rel = self._release_or_404(full, release_id, request)
                return json_response(self._release_json(rel, base_url(request)))
            if request.method == "DELETE":
                return self._delete_release(request, full, release_id)
            return self._update_release(request, full, release_id)

    def _update_release(self, request: Request, full: str, release_id: int) -> Response:
        data = read_json(request)
        current = self._state["releases"].get(release_id)
        subject = str(current["tag_name"]) if current else str(release_id)
        publishing = bool(current and current["draft"] and isinstance(data, dict) and data.get("draft") is False)

        def run() -> tuple[Response, dict[str, Any]]:
            self._write_guard(request, full)
            rel = self._release_or_404(full, release_id, request)
            if not isinstance(data, dict):
                raise HTTPError(_gh_error(400, "Problems parsing JSON", DOC_UPDATE), "Problems parsing JSON")
            new_tag = data.get("tag_name", rel["tag_name"])
            will_be_draft = bool(data.get("draft", rel["draft"]))
            if not will_be_draft and self._tag_owner(full, new_tag, exclude=rel["id"]) is not None:
                raise HTTPError(_gh_error(422, "Validation Failed", DOC_UPDATE,
                                          [{"resource": "Release", "code": "already_exists", "field": "tag_name"}]),
                                f"tag {new_tag!r} already has a published release")
            for key in ("tag_name", "target_commitish", "name", "body"):
                if key in data:
                    rel[key] = data[key]
            if "prerelease" in data:
                rel["prerelease"] = bool(data["prerelease"])
            was_draft = rel["draft"]
            rel["draft"] = will_be_draft
            if was_draft and not will_be_draft:
                rel["published_at"] = _now()
            elif will_be_draft:
                rel["published_at"] = None
            body = self._release_json(rel, base_url(request))
            return json_response(body), {"release_id": rel["id"], "draft": rel["draft"],
                                         "prerelease": rel["prerelease"], "changed": sorted(data)}

        return self._guarded("release.publish" if publishing else "release.update", subject, request, run)

    def _delete_release(self, request: Request, full: str, release_id: int) -> Response:
        current = self._state["releases"].get(release_id)
        subject = str(current["tag_name"]) if current else str(release_id)

        def run() -> tuple[Response, dict[str, Any]]:
            self._write_guard(request, full)
            rel = self._release_or_404(full, release_id, request)
            for aid in rel["assets"]:
                self._state["assets"].pop(aid, None)
            del self._state["releases"][release_id]
            return Response(status=204), {"release_id": release_id, "what": "release"}

        return self._guarded("release.delete", subject, request, run)

    # ------------------------------------------------------------------ assets

    def on_list_assets(self, request: Request, owner: str, repo: str, release_id: int) -> Response:
        with self._lock:
            rel = self._release_or_404(f"{owner}/{repo}", release_id, request)
            base = base_url(request)
            return json_response([self._asset_json(self._state["assets"][a], rel, base) for a in rel["assets"]])

    def on_upload_asset(self, request: Request, owner: str, repo: str, release_id: int) -> Response:
        full = f"{owner}/{repo}"
        requested = request.args.get("name", "")
        name = asset_name(requested)
        with self._lock:
            current = self._state["releases"].get(release_id)
            subject = f"{current['tag_name'] if current else release_id}/{name}"

            def run() -> tuple[Response, dict[str, Any]]:
                self._write_guard(request, full)
                rel = self._release_or_404(full, release_id, request)
                if not name:
                    code = "invalid" if requested else "missing_field"
                    raise HTTPError(_gh_error(422, "Validation Failed", DOC_UPLOAD,
                                              [{"resource": "ReleaseAsset", "code": code, "field": "name"}]),
                                    f"name {requested!r} is invalid" if requested else "name is missing")
                if any(self._state["assets"][a]["name"] == name for a in rel["assets"]):
                    raise HTTPError(_gh_error(422, "Validation Failed", DOC_UPLOAD,
                                              [{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}]),
                                    f"asset {name!r} already exists on release {rel['tag_name']!r}")
                data = request.get_data()
                ctype = request.headers.get("Content-Type") or "application/octet-stream"
                asset = self._new_asset(rel, name, request.args.get("label"), ctype, data)
                return json_response(self._asset_json(asset, rel, base_url(request)), 201), {
                    "release_id": rel["id"], "asset_id": asset["id"], "size": len(data), "requested_name": requested,
                    "sha256": hashlib.sha256(data).hexdigest(), "content_type": ctype, "draft": rel["draft"]}

            return self._guarded("release.asset", subject, request, run)

    def _asset_or_404(self, full: str, asset_id: int, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        asset = self._state["assets"].get(asset_id)
        if asset is None:
            raise HTTPError(_gh_error(404, "Not Found"), f"no asset {asset_id}")
        rel = self._release_or_404(full, asset["release_id"], request)
        return asset, rel

    def on_asset(self, request: Request, owner: str, repo: str, asset_id: int) -> Response:
        full = f"{owner}/{repo}"
        with self._lock:
            if request.method == "DELETE":
                current = self._state["assets"].get(asset_id)
                rel0 = self._state["releases"].get(current["release_id"]) if current else None
                subject = f"{rel0['tag_name']}/{current['name']}" if current and rel0 else str(asset_id)

                def run() -> tuple[Response, dict[str, Any]]:
                    self._write_guard(request, full)
                    asset, rel = self._asset_or_404(full, asset_id, request)
                    rel["assets"].remove(asset_id)
                    del self._state["assets"][asset_id]
                    return Response(status=204), {"asset_id": asset_id, "what": "asset"}

                return self._guarded("release.delete", subject, request, run)
            asset, rel = self._asset_or_404(full, asset_id, request)
            if "application/octet-stream" in request.headers.get("Accept", ""):
                return Response(asset["data"], 200, content_type="application/octet-stream",
                                headers={"Content-Disposition": f"attachment; filename={asset['name']}"})
            return json_response(self._asset_json(asset, rel, base_url(request)))

    def on_browser_download(self, request: Request, owner: str, repo: str, tag: str, asset_name: str) -> Response:
        with self._lock:
            rel = self._tag_owner(f"{owner}/{repo}", tag)
            if rel is not None:
                for aid in rel["assets"]:
                    asset = self._state["assets"][aid]
                    if asset["name"] == asset_name:
                        return Response(asset["data"], 200, content_type="application/octet-stream")
        return Response("Not Found", 404, content_type="text/plain")

    # ------------------------------------------------------------------ OIDC

    def on_jwks(self, request: Request) -> Response:
        return json_response(self.issuer.public_jwks())

    def on_openid_configuration(self, request: Request) -> Response:
        base = self.issuer.issuer_url or base_url(request)
        return json_response({
            "issuer": base, "jwks_uri": f"{base}/.well-known/jwks",
            "subject_types_supported": ["public", "pairwise"], "response_types_supported": ["id_token"],
            "claims_supported": ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository",
                                 "repository_owner", "run_id", "workflow", "environment", "job_workflow_ref"],
            "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": ["openid"],
        })

    def _refuse_token(self, request: Request, status: int, message: str, audience: str | None) -> Response:
        who = caller(request)
        self.ledger.record("oidc.token", audience or "", job=who["job"], ok=False, status=status, message=message,
                           container=who["container"])
        return json_response({"message": message}, status)

    def on_id_token(self, request: Request) -> Response:
        if self.issuer.issuer_url is None:
            self.issuer.issuer_url = base_url(request)
        job = caller(request)["job"]
        run = self._run
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(),
                                                                 self.id_token_request_token.encode()):
            return self._refuse_token(request, 401, "Bad credentials: the Authorization header must be "
                                      "'Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN'", request.args.get("audience"))
        if run is None:
            return self._refuse_token(request, 403, "actspec: no workflow run is in progress", request.args.get("audience"))
        owner = run.repository.split("/")[0]
        audience = request.args.get("audience") or f"https://github.com/{owner}"
        if job is None:
            return self._refuse_token(request, 403, "actspec: the id-token request did not name its job "
                                      "(header X-Actspec-Job: $GITHUB_JOB)", audience)
        facts = run.jobs.get(job)
        if facts is None:
            return self._refuse_token(request, 403, f"actspec: job {job!r} is not a job of "
                                      f"{run.workflow}", audience)
        if not facts.id_token_write:
            return self._refuse_token(
                request, 403,
                f"job {job!r} lacks 'permissions: id-token: write'; GitHub does not give it "
                "ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN (actions/core reports: "
                "Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable)", audience)
        env = facts.environment
        if env:
            rules = run.environments if run.environments is not None else self.environments
            patterns = next((v for k, v in rules.items() if k.lower() == env.lower()), None)
            if patterns is not None and not deployments.ref_allowed(run.ref, patterns):
                return self._refuse_token(
                    request, 403,
                    f"job {job!r} uses environment {env!r}, whose deployment rules allow only "
                    f"{list(patterns)!r}; {run.ref} does not match, so GitHub would not have run this job "
                    f"(\"{run.ref.rsplit('/', 1)[-1]}\" is not allowed to deploy to {env} due to environment "
                    "protection rules)", audience)
        claims = self._claims(run, facts, audience)
        token = self.issuer.sign(claims, job=job)
        who = caller(request)
        self.ledger.record("oidc.token", audience, job=job, ok=True, status=200, sub=claims["sub"],
                           environment=env, ref=run.ref, jti=claims["jti"], container=who["container"])
        return json_response({"value": token})

    def _claims(self, run: RunInfo, facts: JobFacts, audience: str) -> dict[str, Any]:
        now = int(time.time())
        repo = run.repository
        owner = repo.split("/")[0]
        if facts.environment:
            sub = f"repo:{repo}:environment:{facts.environment}"
        elif run.event_name == "pull_request":
            sub = f"repo:{repo}:pull_request"
        else:
            sub = f"repo:{repo}:ref:{run.ref}"
        workflow_ref = f"{repo}/{run.workflow}@{run.ref}"
        claims: dict[str, Any] = {
            "jti": str(uuid.uuid4()), "sub": sub, "aud": audience,
            "ref": run.ref, "sha": run.sha, "repository": repo, "repository_owner": owner,
            "repository_owner_id": _fake_id(owner), "repository_id": _fake_id(repo),
            "repository_visibility": "public", "run_id": str(run.run_id), "run_number": str(run.run_number),
            "run_attempt": str(run.run_attempt), "actor": run.actor, "actor_id": _fake_id(run.actor),
            "workflow": run.workflow_name or run.workflow, "workflow_ref": workflow_ref, "workflow_sha": run.sha,
            "job_workflow_ref": workflow_ref, "job_workflow_sha": run.sha, "event_name": run.event_name,
            "ref_type": run.ref_type, "ref_protected": "false",
            "head_ref": run.head_ref or "", "base_ref": run.base_ref or "", "runner_environment": "github-hosted",
            "iss": self.issuer.issuer_url, "nbf": now - NOT_BEFORE_SKEW, "iat": now, "exp": now + TOKEN_LIFETIME,
        }
        if facts.environment:
            claims["environment"] = facts.environment
            claims["environment_node_id"] = "EN_" + _fake_id(f"{repo}:{facts.environment}")
        return claims
