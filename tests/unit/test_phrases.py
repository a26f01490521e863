"""The step converters, and a release check about the scenario itself."""

from __future__ import annotations

import pytest

from actspec.bdd import checks, phrases


def test_converters_turn_sentences_into_values() -> None:
    assert phrases.job_result("is skipped") == "skipped" and phrases.job_result("fails") == "failure"
    assert phrases.affirmed("is") and not phrases.affirmed("is not")
    assert phrases.affirmed("matches") and not phrases.affirmed("does not match")
    assert phrases.quoted_pairs('version "0.17.0" and prerelease ""') == {"version": "0.17.0", "prerelease": ""}
    assert phrases.quoted_versions('"cog" 0.17.0, "coglet" 0.17.0rc1 and "x" 1') == {
        "cog": "0.17.0", "coglet": "0.17.0rc1", "x": "1"}
    assert phrases.environment("the environment pypi") == "pypi" and phrases.environment("no environment") is None
    assert phrases.registry("crates.io") == "crates"
    assert phrases.only_jobs("only `a` and `b`") == ["a", "b"] and phrases.only_jobs("no job") == []
    assert phrases.first_column([["asset"], ["a.whl"], [" "], ["b.tar.gz"]]) == ["a.whl", "b.tar.gz"]


def test_publishing_needs_a_draft_named_first() -> None:
    with pytest.raises(AssertionError, match="name the draft first"):
        checks.publishing_a_draft(None)
