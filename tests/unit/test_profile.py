"""The run profile is read off the engine's events: a synthetic stream pins the arithmetic."""

from __future__ import annotations

import pytest

from actspec.profile import Event, RunProfile, summarise

pytestmark = pytest.mark.unit


def leg_events(cid: str, name: str, t0: float) -> list[Event]:
    return [
        Event(cid, name, "create", t0),
        Event(cid, name, "start", t0 + 0.25),
        Event(cid, name, "extract-to-dir", t0 + 0.30),
        Event(cid, name, "exec_create", t0 + 0.40, "e1"),
        Event(cid, name, "exec_start", t0 + 0.41, "e1"),
        Event(cid, name, "exec_die", t0 + 1.41, "e1"),
        Event(cid, name, "archive-path", t0 + 1.45),
        Event(cid, name, "archive-path", t0 + 1.50),
        Event(cid, name, "die", t0 + 2.25),
        Event(cid, name, "destroy", t0 + 2.50),
    ]


def test_one_leg_per_container_with_its_phases():
    events = leg_events("b", "act-CI-b", 10.0) + leg_events("a", "act-CI-a", 5.0)
    profile = summarise(list(reversed(events)), {"act-CI-a": ("build-sdk", "")})
    assert [leg.name for leg in profile.legs] == ["act-CI-a", "act-CI-b"]  # by creation time
    a = profile.legs[0]
    assert (a.job, a.leg) == ("build-sdk", "")
    assert a.up == pytest.approx(0.25)
    assert a.alive == pytest.approx(2.0)
    assert a.down == pytest.approx(0.25)
    assert (a.execs, a.copies) == (1, 3)
    assert a.exec_seconds == pytest.approx(1.0)
    assert a.between_calls == pytest.approx(1.0)


def test_totals_and_json_round_trip():
    profile = summarise(leg_events("a", "x", 0.0) + leg_events("b", "y", 1.0))
    totals = profile.totals()
    assert totals["legs"] == 2 and totals["execs"] == 2 and totals["copies"] == 6
    assert totals["mean_alive_s"] == pytest.approx(2.0)
    assert RunProfile.from_json(profile.to_json()) == profile


def test_a_container_seen_only_in_part_has_no_invented_phases():
    profile = summarise([Event("c", "z", "exec_start", 1.0, "e"), Event("c", "z", "die", 2.0)])
    (leg,) = profile.legs
    assert leg.up == leg.alive == leg.down == 0.0
    assert leg.execs == 1 and leg.exec_seconds == 0.0
