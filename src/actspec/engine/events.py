"""Event payloads shaped like the webhooks GitHub delivers to a workflow run.

act takes ``github.ref``, ``github.base_ref`` and friends from these payloads (a push's
``ref``, a pull request's ``number``, a release's ``tag_name``), so they must carry the
same fields GitHub's do.  Only the fields workflows commonly read are filled in.
:func:`refs` reads the run's ``github.ref`` / ``base_ref`` / ``head_ref`` back from the
final payload, the way act and GitHub derive them, so the services see the refs act uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from actspec.repository.repo import RepoFacts

ZERO_SHA = "0" * 40


def repository(full_name: str, default_branch: str) -> dict[str, Any]:
    owner, name = full_name.split("/", 1)
    return {
        "full_name": full_name,
        "name": name,
        "owner": {"login": owner},
        "default_branch": default_branch,
        "private": False,
        "html_url": f"https://github.com/{full_name}",
        "clone_url": f"https://github.com/{full_name}.git",
    }


def push(facts: RepoFacts, repo: dict[str, Any]) -> dict[str, Any]:
    """A push of the head commit: of the tag when the run has one, else of its branch."""
    if facts.tag:
        ref, before = f"refs/tags/{facts.tag}", ZERO_SHA
    else:
        ref = f"refs/heads/{facts.branch}"
        before = facts.base_sha if facts.head_sha != facts.base_sha else ZERO_SHA
    return {
        "ref": ref,
        "before": before,
        "after": facts.head_sha,
        "created": before == ZERO_SHA,
        "deleted": False,
        "forced": False,
        "base_ref": None,
        "head_commit": {"id": facts.head_sha, "message": "change under test"},
        "commits": [{"id": facts.head_sha, "message": "change under test"}],
        "pusher": {"name": "actspec"},
        "repository": repo,
    }


def pull_request(facts: RepoFacts, repo: dict[str, Any], number: int = 1, action: str = "opened") -> dict[str, Any]:
    return {
        "action": action,
        "number": number,
        "pull_request": {
            "number": number,
            "state": "open",
            "draft": False,
            "merged": False,
            "title": "change under test",
            "head": {"ref": facts.branch, "sha": facts.head_sha, "repo": repo},
            "base": {"ref": facts.base_branch, "sha": facts.base_sha, "repo": repo},
        },
        "repository": repo,
    }


def schedule(repo: dict[str, Any], cron: str) -> dict[str, Any]:
    return {"schedule": cron, "repository": repo}


def workflow_dispatch(facts: RepoFacts, repo: dict[str, Any], inputs: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"ref": f"refs/heads/{facts.branch}", "inputs": inputs or {}, "repository": repo}


def release(release_json: dict[str, Any], repo: dict[str, Any], action: str = "published") -> dict[str, Any]:
    return {"action": action, "release": release_json, "repository": repo}


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Apply ``a.b.c: value`` overrides (dotted keys) on top of a payload."""
    out = dict(base)
    for dotted, value in overrides.items():
        node = out
        *parents, leaf = dotted.split(".")
        for p in parents:
            node[p] = dict(node.get(p) or {})
            node = node[p]
        node[leaf] = value
    return out


@dataclass(frozen=True)
class Refs:
    """``github.ref``, ``github.base_ref`` and ``github.head_ref`` of a run."""

    ref: str
    base_ref: str | None = None
    head_ref: str | None = None


def refs(event_name: str, payload: dict[str, Any], branch: str) -> Refs:
    """The refs GitHub gives a run of ``event_name`` with ``payload``; ``branch`` is the
    checked-out branch, the ref of events whose payload names none (``schedule``)."""
    if event_name in ("pull_request", "pull_request_target"):
        pr = payload.get("pull_request") or {}
        base, head = (pr.get("base") or {}).get("ref"), (pr.get("head") or {}).get("ref")
        # pull_request runs on the merge ref; pull_request_target in the base branch's context.
        ref = f"refs/pull/{payload.get('number', 1)}/merge" if event_name == "pull_request" else f"refs/heads/{base}"
        return Refs(ref, base_ref=base, head_ref=head)
    if event_name == "release":
        return Refs(f"refs/tags/{(payload.get('release') or {}).get('tag_name')}")
    return Refs(str(payload.get("ref") or f"refs/heads/{branch}"))
