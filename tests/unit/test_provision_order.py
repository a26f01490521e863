"""Provisioning from scratch (``make setup``): the order of its steps, and what overlaps."""

from __future__ import annotations

import threading
import time

import pytest

from actspec.tooling import provision

pytestmark = pytest.mark.unit


def test_provisioning_builds_the_image_beside_the_steps_that_need_neither_apt_nor_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    done: list[str] = []
    where: dict[str, str] = {}

    def step(name: str):  # type: ignore[no-untyped-def]
        def run() -> None:
            where[name] = threading.current_thread().name
            if name == "image":
                time.sleep(0.2)  # still building while the others run
            done.append(name)
        return run

    monkeypatch.setattr(provision, "STEPS", {name: step(name) for name in provision.ALL})
    provision.main(["all"])
    assert sorted(done) == sorted(provision.ALL)
    assert done[0] == "docker" and done.index("image") > done.index("goreleaser")
    assert done[-2:] == ["engines", "graphviz"]  # after the image, which the engines load
    assert where["image"] != where["act"] == where["docker"]


def test_a_failed_image_build_fails_provisioning(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise SystemExit("image: mmdebstrap | docker import failed (see the output above)")

    steps = {name: (lambda: None) for name in provision.ALL}
    monkeypatch.setattr(provision, "STEPS", {**steps, "image": broken})
    with pytest.raises(SystemExit, match="mmdebstrap"):
        provision.main(["all"])
