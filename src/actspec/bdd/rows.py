"""Rows an outline gets from the repository under test: an Examples block tagged ``@rows:<source>``.

A feature's Examples tables state the document's minimum, which a reviewer reads in the
feature.  A repository can hold more than the document lists: a job the gate needs outside
the document's jobs table, a path its change detection must count as a change to a
component.  A table tagged ``@rows:<source>`` gets one more row for each of those, computed
when the feature is collected from the binding of ``--repo`` (and, for the gate, the bound
workflow's YAML), so the outline covers the repository and not only the document's examples.
Test ids are built from the row's values as for any row, so each names what it is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pytest_bdd.parser import Feature, ScenarioTemplate

from actspec.errors import BindingError, SetupError
from actspec.repository import workflow as wf
from actspec.repository.binding import Binding
from actspec.repository.structure import GATE_IF

TAG = "rows:"
TOKEN = re.compile(r"`([^`]+)`")
WORKFLOW_STEP = re.compile(r"^the (?P<role>[\w-]+) workflow$")


@dataclass(frozen=True)
class Outline:
    """What a row source reads of the outline it extends: the workflow role its ``Given``
    names, the jobs its steps name outright (its fixed cast, not its subject), the columns
    of the tagged table and the rows the feature already lists (in any of its tables)."""

    scenario: str
    role: str | None
    named: frozenset[str]
    params: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


def gate_needs(binding: Binding, outline: Outline) -> list[dict[str, str]]:
    """Columns ``job`` and ``change``: every job the gate needs, and every job the binding
    lists outside the document's table (``extra_jobs:``, which the gate must need too), that
    the tables lack, with the change set the binding says makes it run.

    The binding's list makes the rows independent of the gate's ``needs``: a gate that stops
    needing an extra job loses no row, its row turns red.  The gate is read from the YAML as
    everywhere in the kit (the job whose ``if:`` runs it whatever happened upstream); the
    jobs the steps name outright (the gate, the change detection the outline keeps real) are
    the scenario's cast and get no row."""
    if outline.role is None:
        raise BindingError(f"{outline.scenario}: @rows:gate-needs needs a `Given the <role> workflow` step")
    try:
        path = binding.workflow_path(outline.role)
        workflow = wf.load(path)
    except SetupError:  # a missing or malformed workflow: preflight names it, with every other problem
        return []
    jobs = wf.raw(path).get("jobs") or {}
    gates = [j for j, job in jobs.items() if isinstance(job, dict) and GATE_IF.search(str(job.get("if") or ""))]
    listed = {row.get("job") for row in outline.rows}
    needed = [job for gate in gates for job in workflow.jobs[str(gate)].needs]
    out = []
    for job in dict.fromkeys(needed + list(binding.extra_jobs)):
        if job in listed or job in outline.named:
            continue
        change = binding.extra_job_changes.get(job)
        if change is None:
            raise BindingError(
                f"{binding.root / 'actspec.yaml'}: extra_jobs: `{job}` is a job the gate must need outside the "
                f"document's table, so \"{outline.scenario}\" has a row for it: name the change set that makes it "
                f"run, `extra_jobs: {{{job}: <change set>}}`")
        out.append({"job": job, "change": change})
    return out


def path_rules(binding: Binding, outline: Outline) -> list[dict[str, str]]:
    """Columns ``component`` and ``path``: every path the binding says must count as a change
    to a component (``path_rules:``).  They come from the binding, never from the change
    detection's own rules, so a rule dropped from the workflow keeps its row and turns it red."""
    listed = {(row.get("component"), row.get("path")) for row in outline.rows}
    return [{"component": component, "path": path} for component, paths in binding.path_rules.items()
            for path in paths if (component, path) not in listed]


SOURCES: dict[str, Callable[[Binding, Outline], list[dict[str, str]]]] = {
    "gate-needs": gate_needs,
    "path-rules": path_rules,
}


def sources(feature: Feature) -> bool:
    """Does the feature have a table that takes rows from the repository?"""
    return any(tag.startswith(TAG) for s in feature.scenarios.values() for ex in s.examples for tag in ex.tags)


def fill(feature: Feature, binding: Binding) -> dict[str, str]:
    """Add the computed rows to every ``@rows:<source>`` table of the parsed ``feature``, and
    drop the tag (pytest-bdd would make an unknown mark of it).  Returns the outlines left
    without any row, with why: they are skipped saying so, not errors, since a binding need
    not give every source (preflight reports what is wrong with it)."""
    empty: dict[str, str] = {}
    for template in feature.scenarios.values():
        for examples in template.examples:
            for tag in sorted(t for t in examples.tags if t.startswith(TAG)):
                name = tag[len(TAG):]
                if name not in SOURCES:
                    raise BindingError(f"{feature.filename}: unknown @{tag}; known: "
                                       f"{', '.join('@' + TAG + k for k in SOURCES)}")
                for row in SOURCES[name](binding, _outline(template, tuple(examples.example_params))):
                    examples.add_example([row[p] for p in examples.example_params])
                examples.tags.discard(tag)
                if not any(ex.examples for ex in template.examples):
                    empty[template.name] = (f"no rows: the table takes them from the repository under test "
                                            f"(@{tag}, see docs/binding.md), which gives none")
    return empty


def _outline(template: ScenarioTemplate, params: tuple[str, ...]) -> Outline:
    names = [str(step.name) for step in template._steps]
    role = next((m.group("role").lower() for m in map(WORKFLOW_STEP.match, names) if m), None)
    rows = tuple(ctx for examples in template.examples for ctx in examples.as_contexts())
    return Outline(scenario=template.name, role=role, named=frozenset(t for n in names for t in TOKEN.findall(n) if "<" not in t),
                   params=params, rows=rows)
