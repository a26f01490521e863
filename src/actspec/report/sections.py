"""The architecture document's sections, in the document's order, by ``@section:<slug>`` tag.

Features cite the section they check with ``@section:<slug>``; the report groups scenarios
by these, in the order the sections appear in ``ci-architecture.md``.  A tag this table
does not know is still shown, after the known sections, titled from its slug.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    aliases: tuple[str, ...] = ()


# Document order (headings of ci-architecture.md).  Aliases absorb spellings feature
# authors are likely to use for the same heading.
SECTIONS: tuple[Section, ...] = (
    Section("design-principles", "Design Principles"),
    Section("ci-yaml", "ci.yaml \u2013 Main CI Pipeline", ("ci", "main-ci-pipeline")),
    Section("ci-jobs", "ci.yaml Jobs", ("ci-yaml-jobs", "jobs")),
    Section("python-version-matrix", "Python Version Matrix"),
    Section("codeql", "codeql.yml \u2013 Security Analysis", ("codeql-yml", "security-analysis")),
    Section("deleted-workflows", "Deleted Workflows"),
    Section("caching-strategy", "Caching Strategy", ("caching", "cache")),
    Section("rust-cache", "Caching Strategy: Rust Cache"),
    Section("go-cache", "Caching Strategy: Go Cache"),
    Section("python-uv-cache", "Caching Strategy: Python/uv Cache", ("uv-cache", "python-cache")),
    Section("artifacts", "Artifacts"),
    Section("local-development", "Local Development"),
    Section("adding-new-checks", "Adding New Checks"),
    Section("branch-protection", "Branch Protection"),
    Section("release-workflow", "Release Workflow", ("release",)),
    Section("release-flow", "Release Flow"),
    Section("release-build", "release-build.yaml", ("release-build-yaml",)),
    Section("release-publish", "release-publish.yaml", ("release-publish-yaml",)),
    Section("package-versioning", "Package Versioning", ("versioning",)),
    Section("sdk-wheel-sourcing", "SDK Wheel Sourcing", ("wheel-sourcing",)),
    Section("github-environment-setup", "GitHub Environment Setup", ("environment-setup", "environments")),
    Section("stable-releases", "Stable Releases", ("stable-release",)),
    Section("pre-releases", "Pre-releases", ("prereleases", "pre-release", "prerelease",
                                             "pre-release-lifecycle", "branch-rules")),
)

_BY_NAME: dict[str, Section] = {}
for _s in SECTIONS:
    _BY_NAME[_s.slug] = _s
    for _a in _s.aliases:
        _BY_NAME.setdefault(_a, _s)

UNSECTIONED = Section("unsectioned", "Scenarios citing no section")


def normalise(tag_value: str) -> str:
    return "-".join(tag_value.strip().lower().replace("_", "-").replace(".", "-").split())


def lookup(tag_value: str) -> Section:
    """The section a ``@section:`` tag value names (an unknown slug gets a section of its own)."""
    slug = normalise(tag_value)
    known = _BY_NAME.get(slug)
    if known is not None:
        return known
    return Section(slug, slug.replace("-", " ").capitalize())


def order_key(section: Section) -> tuple[int, str]:
    """Document order; unknown sections after the known ones, by slug; unsectioned last."""
    if section.slug == UNSECTIONED.slug:
        return (len(SECTIONS) + 2, "")
    for i, s in enumerate(SECTIONS):
        if s.slug == section.slug:
            return (i, "")
    return (len(SECTIONS) + 1, section.slug)


def from_tags(tags: set[str] | list[str]) -> list[Section]:
    """The sections a tag set cites, deduplicated, in document order."""
    found: dict[str, Section] = {}
    for tag in tags:
        kind, _, value = tag.partition(":")
        if kind == "section" and value:
            sec = lookup(value)
            found.setdefault(sec.slug, sec)
    return sorted(found.values(), key=order_key)


def fidelity_ids(tags: set[str] | list[str]) -> list[str]:
    return sorted({value for kind, _, value in (t.partition(":") for t in tags) if kind == "fidelity" and value})
