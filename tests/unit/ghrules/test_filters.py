"""act's table of workflow filter patterns (``pkg/workflowpattern/workflow_pattern_test.go``).

Each row: patterns, inputs, whether a ``branches``/``tags``/``paths`` list with those patterns
skips the workflow (act's ``Skip``), and whether an ``-ignore`` list does (act's ``Filter``).
"""

from __future__ import annotations

import pytest
from ghrules import filters

TABLE = [
    (["*"], ["path/with/slash"], True, False),
    (["path/a", "path/b", "path/c"], ["meta", "path/b", "otherfile"], False, False),
    (["path/a", "path/b", "path/c"], ["path/b"], False, True),
    (["path/a", "path/b", "path/c"], ["path/c", "path/b"], False, True),
    (["path/a", "path/b", "path/c"], ["path/c", "path/b", "path/a"], False, True),
    (["path/a", "path/b", "path/c"], ["path/c", "path/b", "path/d", "path/a"], False, False),
    ([], [], False, False),
    (["\\!file"], ["!file"], False, True),
    (["escape\\\\backslash"], ["escape\\backslash"], False, True),
    ([".yml"], ["fyml"], True, False),
    # patterns to match branches and tags
    (["feature/*"], ["feature/my-branch"], False, True),
    (["feature/*"], ["feature/your-branch"], False, True),
    (["feature/**"], ["feature/beta-a/my-branch"], False, True),
    (["feature/**"], ["feature/mona/the/octocat"], False, True),
    (["main", "releases/mona-the-octocat"], ["main"], False, True),
    (["main", "releases/mona-the-octocat"], ["releases/mona-the-octocat"], False, True),
    (["*"], ["main"], False, True),
    (["*"], ["releases"], False, True),
    (["**"], ["all/the/branches"], False, True),
    (["**"], ["every/tag"], False, True),
    (["*feature"], ["mona-feature"], False, True),
    (["*feature"], ["feature"], False, True),
    (["*feature"], ["ver-10-feature"], False, True),
    (["v2*"], ["v2"], False, True),
    (["v2*"], ["v2.0"], False, True),
    (["v2*"], ["v2.9"], False, True),
    (["v[12].[0-9]+.[0-9]+"], ["v1.10.1"], False, True),
    (["v[12].[0-9]+.[0-9]+"], ["v2.0.0"], False, True),
    # patterns to match file paths
    (["*"], ["README.md"], False, True),
    (["*"], ["server.rb"], False, True),
    (["*.jsx?"], ["page.js"], False, True),
    (["*.jsx?"], ["page.jsx"], False, True),
    (["**"], ["all/the/files.md"], False, True),
    (["*.js"], ["app.js"], False, True),
    (["*.js"], ["index.js"], False, True),
    (["**.js"], ["index.js"], False, True),
    (["**.js"], ["js/index.js"], False, True),
    (["**.js"], ["src/js/app.js"], False, True),
    (["docs/*"], ["docs/README.md"], False, True),
    (["docs/*"], ["docs/file.txt"], False, True),
    (["docs/**"], ["docs/README.md"], False, True),
    (["docs/**"], ["docs/mona/octocat.txt"], False, True),
    (["docs/**/*.md"], ["docs/README.md"], False, True),
    (["docs/**/*.md"], ["docs/mona/hello-world.md"], False, True),
    (["docs/**/*.md"], ["docs/a/markdown/file.md"], False, True),
    (["**/docs/**"], ["docs/hello.md"], False, True),
    (["**/docs/**"], ["dir/docs/my-file.txt"], False, True),
    (["**/docs/**"], ["space/docs/plan/space.doc"], False, True),
    (["**/README.md"], ["README.md"], False, True),
    (["**/README.md"], ["js/README.md"], False, True),
    (["**/*src/**"], ["a/src/app.js"], False, True),
    (["**/*src/**"], ["my-src/code/js/app.js"], False, True),
    (["**/*-post.md"], ["my-post.md"], False, True),
    (["**/*-post.md"], ["path/their-post.md"], False, True),
    (["**/migrate-*.sql"], ["migrate-10909.sql"], False, True),
    (["**/migrate-*.sql"], ["db/migrate-v1.0.sql"], False, True),
    (["**/migrate-*.sql"], ["db/sept/migrate-v1.sql"], False, True),
    (["*.md", "!README.md"], ["hello.md"], False, True),
    (["*.md", "!README.md"], ["README.md"], True, True),
    (["*.md", "!README.md"], ["docs/hello.md"], True, True),
    (["*.md", "!README.md", "README*"], ["hello.md"], False, True),
    (["*.md", "!README.md", "README*"], ["README.md"], False, True),
    (["*.md", "!README.md", "README*"], ["README.doc"], False, True),
]


@pytest.mark.parametrize(("patterns", "inputs", "skip", "ignore"), TABLE,
                         ids=[",".join(row[0]) + "|" + ",".join(row[1]) for row in TABLE])
def test_act_pattern_table(patterns: list[str], inputs: list[str], skip: bool, ignore: bool) -> None:
    assert filters.skips(patterns, inputs) is skip
    assert filters.ignores(patterns, inputs) is ignore


@pytest.mark.parametrize("pattern", ["v[]", "v[a-", "v[!a]", "trailing\\", "[9-0]"])
def test_invalid_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(filters.PatternError, match="invalid filter pattern"):
        filters.compile_pattern(pattern)


@pytest.mark.parametrize(("pattern", "name", "expected"), [
    ("?x", "?x", True),  # a leading ? or + is literal
    ("+x", "x", False),
    ("a+", "aaa", True),
    ("v[0-9]", "v10", False),
])
def test_quantifiers(pattern: str, name: str, expected: bool) -> None:
    assert filters.included([pattern], name) is expected


TRIGGERS = [
    ({"tags": ["v*"]}, "refs/tags/v1.2.3", True),
    ({"tags": ["v*"]}, "refs/heads/main", False),
    ({"tags": ["v*", "!v*-rc*"]}, "refs/tags/v1.0.0-rc1", False),
    ({"branches": ["main"]}, "refs/heads/main", True),
    ({"branches": ["main"]}, "refs/tags/v1", False),
    ({"branches-ignore": ["dependabot/**"]}, "refs/heads/dependabot/pip/x", False),
    ({"branches-ignore": ["dependabot/**"]}, "refs/heads/main", True),
    ({"tags-ignore": ["nightly"]}, "refs/tags/v1", True),
    ({"tags-ignore": ["nightly"]}, "refs/heads/main", False),
    ({"branches": ["main"], "tags": ["v*"]}, "refs/tags/v2", True),
    ({}, "refs/tags/anything", True),
    (None, "refs/heads/anything", True),
]


@pytest.mark.parametrize(("trigger", "ref", "expected"), TRIGGERS)
def test_push_triggers(trigger: dict | None, ref: str, expected: bool) -> None:
    assert filters.push_triggers(trigger, ref) is expected
