"""Workflow filter patterns: ``on.<event>.branches``, ``tags``, ``paths`` and their ``-ignore`` lists.

The semantics are act's ``pkg/workflowpattern`` (GitHub's "filter pattern cheat sheet"), and
its test table is ported as ``tests/unit/ghrules/test_filters.py``:

* ``*`` matches any characters but ``/``; ``**`` matches any characters; ``**/`` matches
  zero or more leading directories, so ``**/README.md`` also matches ``README.md``;
* ``?`` and ``+`` repeat the character (or ``[...]`` class) before them zero-or-one and
  one-or-more times: ``*.jsx?`` matches ``page.js`` and ``page.jsx``; at the very start of a
  pattern they are literal;
* ``[...]`` is a class of letters and digits with ``a-z`` / ``0-9`` ranges;
* ``\\`` makes the next character literal; a leading ``!`` negates the pattern.

For a list of patterns the last one that matches an input decides whether that input is in
(:func:`skips`); an ``-ignore`` list ignores an input that any pattern ignores
(:func:`ignores`).  :func:`push_triggers` puts the two together the way GitHub decides
whether a push of a branch or a tag starts a workflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence


class PatternError(ValueError):
    """A filter pattern GitHub would refuse (empty ``[]``, a bad range, a dangling ``\\``)."""


@dataclass(frozen=True)
class FilterPattern:
    """One compiled pattern of a filter list; ``text`` is the pattern without its ``!``."""

    text: str
    negative: bool
    regex: re.Pattern[str]

    def matches(self, name: str) -> bool:
        return self.regex.fullmatch(name) is not None


def _in_class(c: str) -> bool:
    return "A" <= c <= "z" or "0" <= c <= "9"


def _class(pattern: str, pos: int, problems: list[str]) -> tuple[str, int]:
    """The regex of the ``[...]`` class opening at ``pattern[pos]`` and the position after it."""
    out = ["["]
    pos += 1
    if pattern[pos:pos + 1] == "]":
        problems.append(f"position {pos}: unexpected empty brackets '[]'")
        return "", pos + 1
    start = pos
    while pos < len(pattern) and pattern[pos] != "]":
        c = pattern[pos]
        if c == "-":
            before, after = pattern[pos - 1] if pos > start else "", pattern[pos + 1:pos + 2]
            in_range = before and after not in ("", "]") and before <= after and any(
                lo <= before <= hi and lo <= after <= hi for lo, hi in (("A", "z"), ("0", "9")))
            if not in_range:
                problems.append(f"position {pos}: ranges can only include a-z, A-Z, A-z and 0-9")
                pos += 1
                continue
            out.append("-" + re.escape(after))
            pos += 2
            continue
        if not _in_class(c):
            problems.append(f"position {pos}: classes can only include a-z, A-Z and 0-9")
        else:
            out.append(re.escape(c))
        pos += 1
    if pos >= len(pattern):
        problems.append(f"position {pos}: missing closing bracket ']' after '['")
    out.append("]")
    return "".join(out), pos + 1


def to_regex(pattern: str) -> str:
    """The regular expression (unanchored) for a pattern without its leading ``!``."""
    out: list[str] = []
    problems: list[str] = []
    pos = 0
    while pos < len(pattern):
        c = pattern[pos]
        if pattern.startswith("**/", pos):
            out.append("(?:.+/)?")
            pos += 3
        elif pattern.startswith("**", pos):
            out.append(".*")
            pos += 2
        elif c == "*":
            out.append("[^/]*")
            pos += 1
        elif c in "?+":
            out.append(c if pos > 0 else re.escape(c))
            pos += 1
        elif c == "[":
            rx, pos = _class(pattern, pos, problems)
            out.append(rx)
        elif c == "\\":
            if pos + 1 >= len(pattern):
                problems.append(f"position {pos}: missing character after '\\'")
                break
            out.append(re.escape(pattern[pos + 1]))
            pos += 2
        else:
            out.append(re.escape(c))
            pos += 1
    if problems:
        raise PatternError(f"invalid filter pattern {pattern!r}: {'; '.join(problems)}")
    return "".join(out)


def compile_pattern(raw: str) -> FilterPattern:
    negative = raw.startswith("!")
    text = raw[1:] if negative else raw
    return FilterPattern(text, negative, re.compile(to_regex(text), re.DOTALL))


def compile_patterns(raw: Iterable[str]) -> tuple[FilterPattern, ...]:
    return tuple(compile_pattern(str(p)) for p in raw)


def _compiled(patterns: Iterable[str | FilterPattern]) -> tuple[FilterPattern, ...]:
    return tuple(p if isinstance(p, FilterPattern) else compile_pattern(str(p)) for p in patterns)


def included(patterns: Iterable[str | FilterPattern], name: str) -> bool:
    """Whether ``name`` is in by a ``branches`` / ``tags`` / ``paths`` list: the last match decides."""
    decided = False
    for p in _compiled(patterns):
        if p.matches(name):
            decided = not p.negative
    return decided


def skips(patterns: Iterable[str | FilterPattern], inputs: Sequence[str]) -> bool:
    """Whether a ``branches`` / ``tags`` / ``paths`` list keeps the workflow from running:
    it has patterns and none of ``inputs`` is included.  (act's ``Skip``.)"""
    compiled = _compiled(patterns)
    return bool(compiled) and not any(included(compiled, name) for name in inputs)


def ignores(patterns: Iterable[str | FilterPattern], inputs: Sequence[str]) -> bool:
    """Whether a ``-ignore`` list keeps the workflow from running: every input is ignored, an
    input being ignored when a pattern matches it, or a negated pattern does not.  (act's
    ``Filter``.)"""
    compiled = _compiled(patterns)
    if not compiled:
        return False
    return all(any(p.matches(name) != p.negative for p in compiled) for name in inputs)


def push_triggers(trigger: Mapping[str, object] | None, ref: str) -> bool:
    """Whether a push of ``ref`` (``refs/heads/x`` or ``refs/tags/x``) passes the branch and tag
    filters of an ``on.push`` mapping.

    A trigger with only branch filters runs for no tag, one with only tag filters for no
    branch; one with neither runs for every ref.
    """
    trigger = trigger or {}
    if ref.startswith("refs/tags/"):
        mine, other, name = "tags", "branches", ref[len("refs/tags/"):]
    elif ref.startswith("refs/heads/"):
        mine, other, name = "branches", "tags", ref[len("refs/heads/"):]
    else:
        raise ValueError(f"not a branch or tag ref: {ref!r}")

    def listed(key: str) -> list[str] | None:
        value = trigger.get(key)
        return None if value is None else [str(v) for v in (value if isinstance(value, list) else [value])]

    include, ignore = listed(mine), listed(f"{mine}-ignore")
    if include is not None:
        return not skips(include, [name])
    if ignore is not None:
        return not ignores(ignore, [name])
    return listed(other) is None and listed(f"{other}-ignore") is None
