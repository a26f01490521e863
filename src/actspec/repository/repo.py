"""The repository under test, materialised per run as a real git repository.

Workflow steps run ``git diff`` against the event's base like on GitHub, so the copy has
history: a *base* commit on the base branch, and a *head* commit carrying the run's
changes on the run's branch.  Author, committer and dates are fixed so that the same
spec gives the same SHAs on every machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from actspec.errors import ChangeError
from actspec.model import Change

JUNK = {".git", "target", "dist", "__pycache__", ".venv", ".pytest_cache", "node_modules"}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "actspec",
    "GIT_AUTHOR_EMAIL": "actspec@example.invalid",
    "GIT_COMMITTER_NAME": "actspec",
    "GIT_COMMITTER_EMAIL": "actspec@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


@dataclass(frozen=True)
class RepoFacts:
    path: Path
    base_sha: str
    head_sha: str
    base_branch: str
    branch: str
    tag: str | None
    changed: tuple[str, ...]


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def source_files(source: Path) -> list[Path]:
    """Files of the source tree, honouring its git ignores when it lives in a checkout."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "."],
            cwd=source, check=True, capture_output=True, text=True,
        ).stdout.split("\0")
        files = [Path(p) for p in listed if p and (source / p).is_file()]
        if files:
            return files
    except (subprocess.CalledProcessError, FileNotFoundError):
        pass
    out = []
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames[:] = [d for d in dirnames if d not in JUNK]
        out += [Path(dirpath, f).relative_to(source) for f in filenames]
    return out


def apply_change(root: Path, change: Change) -> None:
    target = root / change.path
    if change.op == "delete":
        if not target.exists():
            raise ChangeError(f"cannot delete {change.path}: no such file")
        target.unlink()
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if change.op == "write":
        target.write_text(change.text)
    elif change.op == "append":
        before = target.read_text() if target.exists() else ""
        sep = "" if not before or before.endswith("\n") else "\n"
        target.write_text(before + sep + change.text + ("" if change.text.endswith("\n") else "\n"))
    elif change.op == "replace":
        if not target.exists():
            raise ChangeError(f"cannot edit {change.path}: no such file")
        text = target.read_text()
        if change.old not in text:
            raise ChangeError(f"cannot edit {change.path}: it does not contain {change.old!r}")
        target.write_text(text.replace(change.old, change.text))
    else:
        raise ChangeError(f"unknown change op {change.op!r}")


def materialise(
    source: Path,
    dest: Path,
    *,
    branch: str,
    base_branch: str,
    changes: tuple[Change, ...] = (),
    tag: str | None = None,
    remote_url: str | None = None,
) -> RepoFacts:
    """Copy ``source`` to ``dest`` and give it the history the run needs."""
    dest.mkdir(parents=True)
    for rel in source_files(source):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, dest / rel)
    git(dest, "init", "-q", "-b", base_branch)
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "--allow-empty", "-m", "base")
    base = git(dest, "rev-parse", "HEAD")
    if branch != base_branch:
        git(dest, "checkout", "-q", "-b", branch)
    changed: tuple[str, ...] = ()
    if changes:
        for change in changes:
            apply_change(dest, change)
        git(dest, "add", "-A")
        git(dest, "commit", "-q", "--allow-empty", "-m", "change under test")
        changed = tuple(filter(None, git(dest, "diff", "--name-only", base, "HEAD").splitlines()))
    head = git(dest, "rev-parse", "HEAD")
    if tag:
        git(dest, "tag", tag)
    if remote_url:
        git(dest, "remote", "add", "origin", remote_url)
    return RepoFacts(dest, base, head, base_branch, branch, tag, changed)
