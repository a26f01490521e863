"""Structure mode: the real workflow under act, with only what decides its graph doing work.

``--mode structure`` answers path filtering, the gate, dependencies, matrices and
parallelism without building, testing or linting anything.  act still plans and runs every
job (the kit decides nothing); what changes is what a job's ``run:`` steps do, through the
same BASH_ENV hook as the step mocks:

- the **gate** (a job whose ``if:`` runs it whatever happened upstream: ``always()``,
  ``!cancelled()``, ``failure()``) runs for real, it is what the graph ends in;
- a step whose outputs the job passes on (its id appears in the job's ``outputs:``: change
  detection, a matrix read from an output, a version) runs for real;
- every other ``run:`` step is stubbed: it succeeds at once, after writing a placeholder file
  for each path the job's ``actions/upload-artifact`` steps declare (``dist/cog-*.whl``
  becomes ``dist/cog-actspec.whl``), so artifacts are uploaded and downloaded with the
  declared names and the steps that move them run for real.

Actions (``uses:``) keep running: they are the kit's shims, quick, and they record what the
checks read (artifact transfers, cache requests, tool set-ups).  Scenarios whose answer
needs real work (artifact contents, wheel tags, test results, publishing) are tagged
``@real-work`` and skipped in this mode with the reason; they are never passed.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actspec.repository import workflow as wf

MODES = ("full", "structure")
GATE_IF = re.compile(r"\b(?:always|failure)\(\)|!\s*cancelled\(\)")
STEP_OUTPUT = re.compile(r"\bsteps\.([\w-]+)\.outputs\b")
UPLOAD = "actions/upload-artifact"
# In the hook's mock table: run the step as written (a kept step of a stubbed job), and
# "every top-level run: step of the job" (not the steps of the shims).
KEEP = "-"
TOP_LEVEL_RUN = "run"
PLACEHOLDER = "actspec"


class StructureError(ValueError):
    """The workflow cannot be run in structure mode (one line naming the job and what to do)."""


@dataclass(frozen=True)
class JobPlan:
    """What one job does in structure mode."""

    job: str
    real: bool                                 # the gate: every step runs as written
    kept_steps: tuple[str, ...] = ()           # step ids whose outputs the job passes on
    placeholders: tuple[str, ...] = ()         # files written for the job's artifact uploads


@dataclass(frozen=True)
class StructurePlan:
    jobs: dict[str, JobPlan] = field(default_factory=dict)

    def mock_rows(self) -> list[tuple[str, str, str]]:
        """Rows of the hook's mock table (job, step selector, command), in matching order."""
        rows: list[tuple[str, str, str]] = []
        for plan in self.jobs.values():
            if plan.real:
                continue
            rows += [(plan.job, step, KEEP) for step in plan.kept_steps]
            rows.append((plan.job, TOP_LEVEL_RUN, stub_command(plan.placeholders)))
        return rows


def placeholder_for(pattern: str) -> str | None:
    """A file name the artifact path ``pattern`` matches; None for exclusions and expressions."""
    pattern = pattern.strip()
    if not pattern or pattern.startswith("!") or "${{" in pattern:
        return None
    path = pattern.replace("**/", "").replace("**", PLACEHOLDER)
    path = re.sub(r"\[([^\]]+)\]", lambda m: m.group(1).lstrip("!^")[:1] or "x", path)
    path = path.replace("*", PLACEHOLDER).replace("?", "x")
    if path.endswith("/"):
        path += f"{PLACEHOLDER}-placeholder"
    return path


def stub_command(placeholders: tuple[str, ...]) -> str:
    """One shell line: write the placeholders (relative to the workspace), say so, succeed."""
    parts = ['cd "$GITHUB_WORKSPACE"']
    for p in placeholders:
        parts.append(f"mkdir -p {shlex.quote(str(Path(p).parent))} && : > {shlex.quote(p)}")
    note = "actspec structure mode: step stubbed" + (f", wrote {', '.join(placeholders)}" if placeholders else "")
    parts.append(f"echo {shlex.quote(note)}")
    return " && ".join(parts) + "; exit 0"


def plan(workflow: wf.Workflow) -> StructurePlan:
    """The structure-mode plan of ``workflow``, read from its YAML (never from a run)."""
    raw = yaml.load(workflow.path.read_text(), Loader=wf._Loader) or {}
    jobs: dict[str, JobPlan] = {}
    for job_id, job in (raw.get("jobs") or {}).items():
        job_id = str(job_id)
        decl = workflow.job(job_id)
        steps: list[Any] = [s for s in job.get("steps") or [] if isinstance(s, dict)]
        condition = job.get("if")
        if condition is not None and GATE_IF.search(str(condition)):
            jobs[job_id] = JobPlan(job_id, real=True)
            continue
        read = {m.group(1) for value in decl.outputs.values() for m in STEP_OUTPUT.finditer(value)}
        ids = [str(s["id"]) for s in steps if "id" in s and "run" in s]
        kept = tuple(i for i in ids if i in read)
        uploads = [s for s in steps if str(s.get("uses", "")).split("@")[0] == UPLOAD]
        files: list[str] = []
        for step in uploads:
            raw_path = str((step.get("with") or {}).get("path") or "")
            for line in raw_path.splitlines():
                ph = placeholder_for(line)
                if ph is not None:
                    files.append(ph)
            if raw_path and not any(placeholder_for(ln) for ln in raw_path.splitlines()):
                raise StructureError(
                    f"{workflow.path.name}: job `{job_id}` uploads {raw_path.strip()!r}, a path structure mode "
                    "cannot name a placeholder file for; run it in --mode full")
        jobs[job_id] = JobPlan(job_id, real=False, kept_steps=kept, placeholders=tuple(dict.fromkeys(files)))
    return StructurePlan(jobs)
