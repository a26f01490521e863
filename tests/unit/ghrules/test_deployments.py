"""Which refs an environment's deployment policies admit; the tag/branch kind is kept."""

from __future__ import annotations

import pytest
from ghrules.deployments import deployment_rules, ref_allowed



@pytest.mark.parametrize(("ref", "rules", "allowed"), [
    ("refs/tags/v0.17.0", ["tag:v*"], True),
    ("refs/heads/v-not-a-tag", ["tag:v*"], False),      # a branch named like a tag: refused
    ("refs/heads/v2", ["v*"], True),                     # no kind: a branch policy (GitHub's default)
    ("refs/tags/v2", ["v*"], False),
    ("refs/tags/v2", ["branch:v*"], False),
    ("refs/heads/main", ["branch:main", "tag:v*"], True),
    ("refs/tags/main", ["branch:main"], False),
    ("refs/heads/release/1.2", ["release/*"], True),
    ("refs/heads/release/1/2", ["release/*"], False),
    ("refs/heads/release/1/2", ["release/**"], True),
    ("refs/tags/0.17.0", ["tag:v*"], False),
    ("refs/tags/v1", [], False),
    ("refs/pull/7/merge", ["branch:*", "tag:*"], False),
])
def test_deployment_rules_keep_the_ref_kind(ref: str, rules: list[str], allowed: bool) -> None:
    assert ref_allowed(ref, rules) is allowed


def test_binding_tags_and_branches_become_typed_rules() -> None:
    assert deployment_rules(tags=["v*"], branches=["main"]) == ["tag:v*", "branch:main"]
