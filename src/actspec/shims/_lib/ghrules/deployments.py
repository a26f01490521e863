"""Which refs may deploy to a GitHub environment: its "selected branches and tags" policies.

An environment's deployment policies each have a type.  A ``tag`` policy admits only
``refs/tags/<name>``, a ``branch`` policy only ``refs/heads/<name>``; a pattern written
without ``tag:``/``branch:`` is a branch policy (the REST API's default type).  A ref of any
other kind (``refs/pull/...``) matches no policy, and an empty list admits nothing.

Patterns are fnmatch-style, as GitHub documents them for deployment policies: ``*`` matches
within one ``/``-separated segment, ``**`` across segments, ``?`` one character, ``[...]`` a
character class (``[!...]`` negated).  The binding writes ``tags:`` and ``branches:`` per
environment; :func:`deployment_rules` turns them into typed policies so the kind is never
lost between the binding and the mock that enforces them.
"""

from __future__ import annotations

import re
from typing import Iterable

from ghrules.actions_glob import segment_regex


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """One deployment policy pattern as a regular expression for the whole name: ``**``
    crosses ``/``, and between them the glob pieces read as ``@actions/glob`` reads a segment."""
    return re.compile(".*".join(segment_regex(piece).pattern for piece in pattern.split("**")), re.DOTALL)


TAG_RULE, BRANCH_RULE = "tag:", "branch:"


def deployment_rules(*, tags: Iterable[str] = (), branches: Iterable[str] = ()) -> list[str]:
    """An environment's "selected branches and tags" policies as ``tag:<glob>`` / ``branch:<glob>``."""
    return [TAG_RULE + t for t in tags] + [BRANCH_RULE + b for b in branches]


def ref_allowed(ref: str, rules: Iterable[str]) -> bool:
    """Whether ``ref`` may deploy to an environment with these deployment policies.

    GitHub's policies each have a type: a ``tag`` policy admits only ``refs/tags/<name>``, a
    ``branch`` policy only ``refs/heads/<name>`` (a pattern without ``tag:``/``branch:`` is a
    branch policy, the REST API's default type).  Any other ref (``refs/pull/...``) matches no
    policy.  An empty list admits nothing.
    """
    for prefix, kind in (("refs/tags/", TAG_RULE), ("refs/heads/", BRANCH_RULE)):
        if ref.startswith(prefix):
            name, ref_kind = ref[len(prefix):], kind
            break
    else:
        return False
    for rule in rules:
        kind = TAG_RULE if rule.startswith(TAG_RULE) else BRANCH_RULE
        glob = rule.removeprefix(kind)
        if kind == ref_kind and _glob_regex(glob).fullmatch(name):
            return True
    return False
