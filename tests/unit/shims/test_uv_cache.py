"""setup-uv's cache against the live kit cache service: on by default on GitHub-hosted runners,
keyed as setup-uv keys it, saved by the post step after the real ``uv cache prune --ci``, a
missing cache folder failing the post step as the real action fails it."""

from __future__ import annotations

from pathlib import Path

import pytest

from actspec.tooling import provision

from .shim_support import entries, write

pytestmark = [
    pytest.mark.unit,
    pytest.mark.skipif(not provision.runner_tool("uv").is_file(),
                       reason="uv is not provisioned: `python -m actspec.tooling.provision uv`"),
]

HOSTED = {"RUNNER_ENVIRONMENT": "github-hosted"}


@pytest.fixture
def uvjob(make_job):  # type: ignore[no-untyped-def]
    def make(name: str = "test"):  # type: ignore[no-untyped-def]
        job = make_job(name)
        job.extra_env.update(ACTSPEC_TOOLS=str(provision.RUNNER_TOOLS), **HOSTED)
        write(job.workspace, {"python/pyproject.toml": "[project]\nname = 'x'\n"})
        return job

    return make


def fill_cache(result) -> None:  # type: ignore[no-untyped-def]
    """What a step running uv leaves in the cache folder the main step exported."""
    write(Path(result.env["UV_CACHE_DIR"]), {"CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n",
                                           "builds-v0/.gitignore": "*\n"})


@pytest.mark.parametrize(("enable", "runner_env", "on"), [
    ("auto", HOSTED, True),
    ("auto", {}, False),
    ("true", {}, True),
    ("false", HOSTED, False),
])
def test_auto_is_on_exactly_on_github_hosted_runners(make_job, ledger, enable, runner_env, on) -> None:  # type: ignore[no-untyped-def]
    job = make_job("test")
    job.extra_env["ACTSPEC_TOOLS"] = str(provision.RUNNER_TOOLS)
    r = job.run("astral-sh/setup-uv/setup_uv.py", {"enable-cache": enable}, env={"RUNNER_ENVIRONMENT": ""} | runner_env)
    assert r.code == 0, r.log
    [setup] = entries(ledger, "setup.uv")
    assert setup.details["cache"] is on
    assert ("UV_CACHE_DIR" in r.env) is on
    assert [e.kind for e in entries(ledger, "cache.restore")] == (["cache.restore"] if on else [])


def test_the_key_carries_python_the_dependency_hash_and_the_suffix(uvjob) -> None:  # type: ignore[no-untyped-def]
    job = uvjob()
    r = job.run("astral-sh/setup-uv/setup_uv.py", {"python-version": "3.12", "cache-suffix": "lint",
                                                   "cache-dependency-glob": "python/pyproject.toml"})
    assert r.code == 0, r.log
    key = r.outputs["cache-key"]
    assert key.startswith("setup-uv-1-x86_64-unknown-linux-gnu-3.12-pruned-") and key.endswith("-lint")
    assert r.env["UV_CACHE_DIR"] == str(job.temp / "setup-uv-cache")
    assert r.outputs["cache-hit"] == "false" and f"No GitHub Actions cache found for key: {key}" in r.log
    other = job.run("astral-sh/setup-uv/setup_uv.py", {"cache-dependency-glob": "nothing/*.lock", "prune-cache": "false"})
    assert other.outputs["cache-key"].endswith("-no-dependency-glob")
    assert "-pruned" not in other.outputs["cache-key"]
    assert other.warnings()[0].startswith("No file matched to [nothing/*.lock]. The cache will never get invalidated.")


def test_post_fails_when_nothing_used_the_cache_unless_told_to_ignore_it(uvjob) -> None:  # type: ignore[no-untyped-def]
    # With python-version given, the main step runs no `uv python find` (which would make
    # the cache folder for its interpreter info, as it does under the real action).
    job = uvjob()
    job.run("astral-sh/setup-uv/setup_uv.py", {"python-version": "3.12"})
    r = job.run("astral-sh/setup-uv/post.py")
    folder = job.temp / "setup-uv-cache"
    assert r.code == 1 and r.errors() == [
        f"Cache path {folder} does not exist on disk. This likely indicates that there are no dependencies to cache. "
        "Consider disabling the cache input if it is not needed."]
    assert job.run("astral-sh/setup-uv/post.py", {"ignore-nothing-to-cache": "true"}).code == 0
    structure = job.run("astral-sh/setup-uv/post.py", env={"ACTSPEC_RUN_MODE": "structure"})
    assert structure.code == 0 and "actspec structure mode" in structure.log


def test_post_prunes_and_saves_and_the_next_job_restores_the_files(uvjob, ledger, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # One folder for both jobs, as RUNNER_TEMP is the same path in every job container (the
    # cache version is derived from the paths, as @actions/cache derives it).
    shared = {"cache-local-path": str(tmp_path / "uv-cache")}
    first = uvjob("push")
    r = first.run("astral-sh/setup-uv/setup_uv.py", shared)
    fill_cache(r)
    post = first.run("astral-sh/setup-uv/post.py", shared)
    assert post.code == 0, post.log
    assert "Pruning cache..." in post.log
    [saved] = [e for e in entries(ledger, "cache.save") if e.details.get("saved")]
    assert saved.subject == r.outputs["cache-key"]

    second = uvjob("pr")
    again = second.run("astral-sh/setup-uv/setup_uv.py", shared)
    assert again.code == 0, again.log
    assert again.outputs["cache-hit"] == "true" and again.outputs["cache-key"] == saved.subject
    assert [e.details["files"] for e in entries(ledger, "cache.download")] and \
        all(e.details["files"] > 0 for e in entries(ledger, "cache.download"))
    done = second.run("astral-sh/setup-uv/post.py", shared)
    assert f"Cache hit occurred on key {saved.subject}, not saving cache." in done.log


def test_save_cache_false_skips_the_save(uvjob, ledger) -> None:  # type: ignore[no-untyped-def]
    job = uvjob()
    fill_cache(job.run("astral-sh/setup-uv/setup_uv.py"))
    r = job.run("astral-sh/setup-uv/post.py", {"save-cache": "false"})
    assert r.code == 0 and "save-cache is false. Skipping save cache step." in r.log
    assert not [e for e in entries(ledger, "cache.save") if e.details.get("saved")]
