"""What the kit hands act about the job containers: the tools and the actions' Node runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from actspec.engine.act import ActInvocation

pytestmark = pytest.mark.unit


def invocation(tmp_path: Path, **kwargs: object) -> ActInvocation:
    return ActInvocation(
        act=Path("/usr/bin/act"), workdir=tmp_path, workflow=tmp_path / "ci.yaml", event="push",
        event_path=tmp_path / "event.json", image="img", labels={"ubuntu-latest"}, env={}, secrets={},
        local_repos={}, run_label="r", kit_mount=tmp_path, artifact_dir=tmp_path, artifact_port=1,
        cache_dir=tmp_path, action_cache=tmp_path, inputs_dir=tmp_path, **kwargs,  # type: ignore[arg-type]
    )


def container_options(inv: ActInvocation) -> str:
    cmd = inv.command()
    return cmd[cmd.index("--container-options") + 1]


def test_node_20_is_mounted_over_the_images_node(tmp_path: Path) -> None:
    """act starts the container's /usr/bin/node for every JavaScript action step."""
    node = tmp_path / "node" / "bin" / "node"
    options = container_options(invocation(tmp_path, tools_dir=tmp_path, node=node))
    assert f"-v {tmp_path}:/opt/actspec/tools:ro" in options
    assert f"-v {node}:/usr/bin/node:ro" in options


def test_without_provisioned_node_the_images_node_stays(tmp_path: Path) -> None:
    assert "/usr/bin/node" not in container_options(invocation(tmp_path, tools_dir=tmp_path))


def test_job_containers_run_without_a_seccomp_filter_like_the_hosted_runner(tmp_path: Path) -> None:
    """GitHub's hosted runner is a VM no seccomp filter confines; runc loads one per step otherwise."""
    assert "--security-opt seccomp=unconfined" in container_options(invocation(tmp_path))
