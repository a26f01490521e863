"""Mutation operators: every one-edit break of a document rule the bound workflows allow.

Each operator walks the YAML of the workflows the binding names (``actspec.yaml``: roles,
matrix axes) and yields one :class:`Mutant` per place the rule it breaks is written down:
each ``needs`` entry, the gate's ``if:`` and result rule, each matrix value, each trigger and
filter, each path rule of the change detection, each ``save-if``, ``environment`` and
``id-token: write``, each trusted-publishing step, each rule of the version converter the
release workflow calls.  Nothing here says what act would do with the broken copy: the
features run against it and tell.

Which job is the gate and which is the change detection is read from the YAML, not from
job names: the gate is the job whose ``if:`` runs it whatever happened upstream
(:data:`actspec.repository.structure.GATE_IF`); the change detection is every job whose
outputs other jobs' ``if:`` read.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from actspec.mutants.edits import Mutant, child, compose, flow_list, line_span
from actspec.repository.binding import Binding
from actspec.repository.structure import GATE_IF

# The document section each role's dependency and trigger rules belong to.
NEEDS_SECTION = {"ci": "ci-jobs", "release-build": "release-workflow", "release-publish": "release-workflow"}
TRIGGER_SECTION = {"ci": "ci-yaml", "codeql": "codeql", "release-build": "release-workflow",
                   "release-publish": "release-workflow"}
# Rules about which jobs run are checked in structure mode; rules about what a release
# builds and publishes need the steps' real work.
MODE = {"ci": "structure", "codeql": "structure", "release-build": "full", "release-publish": "full"}

RESULT_WORD = re.compile(r"""(["'])(failure|cancelled)\1""")
# Result words no job a gate needs ever carries under act, and why (the strict xfails named
# turn red the day act changes, and the equivalence must then be judged again).
UNDER_ACT = {
    "cancelled": "equivalent under act (docs/fidelity.md F15): act never gives a job the result `cancelled`; it "
                 "cancels only a whole run and then runs no step of a later job, so no gate step ever reads "
                 "`cancelled` (pinned by tests/calibration; the gate feature's @fidelity:F15 scenario is the check "
                 "that kills this mutant on GitHub)",
}
CASE_ARM = re.compile(r"^[ \t]*case\b[^\n]*?\bin[ \t]+(?P<arm>[^)\n]+)\)", re.MULTILINE)
OUTPUT_READ = re.compile(r"needs\.([\w-]+)\.outputs\.")
SCRIPT = re.compile(r"\bpython3?\s+(\S+\.py)\b")
LABEL_RULE = re.compile(r"""(["'])(?P<label>alpha|beta|rc|dev)\1\s*:\s*(["'])(?P<spelling>[^"']*)\3""")
PYPI_PUBLISH = "pypa/gh-action-pypi-publish"


@dataclass(frozen=True)
class PathRule:
    """One path rule of the change detection: ``pattern`` marks component ``label`` (the
    variable a ``case`` arm sets, or a paths-filter key), and the mutant that drops it."""

    job: str
    label: str
    pattern: str
    drop: Mutant


class _File:
    """One workflow's text and node tree, and the binding role it plays."""

    def __init__(self, root: Path, role: str, rel: str) -> None:
        self.role, self.rel = role, rel
        self.text = (root / rel).read_text()
        self.root_node = compose(self.text)

    def mutant(self, name: str, section: str, rule: str, start: int, end: int, replacement: str,
               mode: str | None = None) -> Mutant:
        return Mutant(name=name, section=section, rule=rule, path=self.rel, start=start, end=end,
                      replacement=replacement, mode=mode or MODE.get(self.role, "full"))

    def drop_lines(self, name: str, section: str, rule: str, first: yaml.Node, last: yaml.Node,
                   mode: str | None = None) -> Mutant:
        start, end = line_span(self.text, first.start_mark.index, last.end_mark.index)
        return self.mutant(name, section, rule, start, end, "", mode)

    def jobs(self) -> list[tuple[str, yaml.Node]]:
        pair = child(self.root_node, "jobs")
        if pair is None or not isinstance(pair[1], yaml.MappingNode):
            return []
        return [(k.value, v) for k, v in pair[1].value if isinstance(k, yaml.ScalarNode)]


def _gate(f: _File) -> str | None:
    for job_id, job in f.jobs():
        cond = child(job, "if")
        if cond is not None and isinstance(cond[1], yaml.ScalarNode) and GATE_IF.search(cond[1].value):
            return job_id
    return None


def _drop_item(f: _File, key: yaml.Node, seq: yaml.Node, index: int) -> tuple[int, int, str]:
    """The edit that removes item ``index`` of a sequence (the whole key when it is the last)."""
    items = seq.value
    if len(items) == 1:
        start, end = line_span(f.text, key.start_mark.index, seq.end_mark.index)
        return start, end, ""
    if seq.flow_style:
        kept = [f.text[i.start_mark.index:i.end_mark.index] for n, i in enumerate(items) if n != index]
        return seq.start_mark.index, seq.end_mark.index, flow_list(kept)
    start, end = line_span(f.text, items[index].start_mark.index, items[index].end_mark.index)
    return start, end, ""


def needs(f: _File) -> Iterator[Mutant]:
    """Drop one ``needs`` entry: the job no longer waits for (or, for the gate, counts) that job."""
    gate = _gate(f)
    for job_id, job in f.jobs():
        pair = child(job, "needs")
        if pair is None:
            continue
        key, value = pair
        entries = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for index, entry in enumerate(entries):
            need = entry.value
            if isinstance(value, yaml.SequenceNode):
                start, end, new = _drop_item(f, key, value, index)
            else:
                start, end = line_span(f.text, key.start_mark.index, value.end_mark.index)
                new = ""
            if job_id == gate:
                yield f.mutant(f"branch-protection/{job_id}-counts-{need}", "branch-protection",
                               f"the gate `{job_id}` depends on every other job, `{need}` too (Adding New Checks 3)",
                               start, end, new)
            else:
                yield f.mutant(f"{NEEDS_SECTION.get(f.role, f.role)}/{job_id}-waits-for-{need}",
                               NEEDS_SECTION.get(f.role, f.role),
                               f"`{job_id}` depends on `{need}` ({f.rel} jobs)", start, end, new)


def gate(f: _File) -> Iterator[Mutant]:
    """The gate's ``if:`` dropped, and its result rule blind to one result kind."""
    gate_id = _gate(f)
    if gate_id is None:
        return
    job = dict(f.jobs())[gate_id]
    cond = child(job, "if")
    assert cond is not None  # _gate found it
    yield f.drop_lines(f"branch-protection/{gate_id}-runs-whatever-happened", "branch-protection",
                       f"`{gate_id}` runs even when jobs it needs failed or were skipped", cond[0], cond[1])
    body = f.text[job.start_mark.index:job.end_mark.index]
    seen: dict[str, int] = {}
    for m in RESULT_WORD.finditer(body):
        word = m.group(2)
        seen[word] = seen.get(word, 0) + 1
        suffix = "" if seen[word] == 1 else f"-{seen[word]}"
        at = job.start_mark.index + m.start(2)
        mutant = f.mutant(f"branch-protection/{gate_id}-fails-on-{word}{suffix}", "branch-protection",
                          f"`{gate_id}` fails when a job it needs ended in {word}", at, at + len(word),
                          f"{word}-ignored")
        yield dataclasses.replace(mutant, equivalent=UNDER_ACT.get(word, ""))


def matrices(f: _File, binding: Binding) -> Iterator[Mutant]:
    """One value removed from a literal matrix axis (``include`` entries are left alone)."""
    python_axis = binding.axis("python")
    for job_id, job in f.jobs():
        strategy = child(job, "strategy")
        matrix = child(strategy[1], "matrix") if strategy else None
        if matrix is None or not isinstance(matrix[1], yaml.MappingNode):
            continue
        for key, values in matrix[1].value:
            if key.value in ("include", "exclude") or not isinstance(values, yaml.SequenceNode):
                continue
            if len(values.value) < 2:
                continue
            section = "python-version-matrix" if key.value == python_axis else NEEDS_SECTION.get(f.role, f.role)
            included = _included_values(matrix[1], key.value)
            for index, item in enumerate(values.value):
                start, end, new = _drop_item(f, key, values, index)
                mutant = f.mutant(f"{section}/{job_id}-{key.value}-{item.value}", section,
                                  f"`{job_id}` runs for every {key.value} of its list, {item.value} too",
                                  start, end, new)
                if item.value in included:
                    mutant = dataclasses.replace(mutant, equivalent=(
                        f"an `include:` entry of the matrix names {key.value}: {item.value}, and an include entry "
                        "that matches no combination becomes a leg of its own (GitHub's matrix rules, which act "
                        "follows), so the leg stays; to break the rule, the include entry would have to go too"))
                yield mutant


def _included_values(matrix: yaml.MappingNode, axis: str) -> set[str]:
    """The values the matrix's ``include`` entries give ``axis``."""
    pair = child(matrix, "include")
    if pair is None or not isinstance(pair[1], yaml.SequenceNode):
        return set()
    found = (child(entry, axis) for entry in pair[1].value)
    return {v.value for _, v in filter(None, found) if isinstance(v, yaml.ScalarNode)}


def env_lists(f: _File, binding: Binding) -> Iterator[Mutant]:
    """One value removed from a workflow-level JSON list (the one definition matrices read)."""
    pair = child(f.root_node, "env")
    if pair is None or not isinstance(pair[1], yaml.MappingNode):
        return
    for key, value in pair[1].value:
        raw = getattr(value, "value", None)
        if not isinstance(raw, str) or not raw.strip().startswith("["):
            continue
        items = re.findall(r'"([^"]*)"', raw)
        if len(items) < 2 or "fromJson" not in f.text:
            continue
        for item in items:
            kept = ", ".join(f'"{i}"' for i in items if i != item)
            new = f.text[value.start_mark.index:value.end_mark.index].replace(raw, f"[{kept}]")
            yield f.mutant(f"python-version-matrix/{key.value}-{item}", "python-version-matrix",
                           f"the one definition `{key.value}` lists {item}, so every matrix reading it tests it",
                           value.start_mark.index, value.end_mark.index, new)


def triggers(f: _File) -> Iterator[Mutant]:
    """A trigger dropped, a filter dropped, or a filter value narrowed to match nothing it did."""
    section = TRIGGER_SECTION.get(f.role, f.role)
    pair = child(f.root_node, "on")
    if pair is None or not isinstance(pair[1], yaml.MappingNode):
        return
    events = pair[1].value
    for event_key, event in events:
        if len(events) > 1:
            yield f.drop_lines(f"{section}/{f.role}-runs-on-{event_key.value}", section,
                               f"{f.rel} runs on `{event_key.value}`", event_key, event)
        if not isinstance(event, yaml.MappingNode):
            continue
        for fkey, fval in event.value:
            yield f.drop_lines(f"{section}/{f.role}-{event_key.value}-{fkey.value}-filter", section,
                               f"{f.rel} runs on `{event_key.value}` only for its `{fkey.value}`", fkey, fval)
            if isinstance(fval, yaml.SequenceNode):
                for item in fval.value:
                    at = item.end_mark.index - (1 if item.style in ("'", '"') else 0)
                    yield f.mutant(f"{section}/{f.role}-{event_key.value}-{fkey.value}-{item.value}", section,
                                   f"{f.rel} runs on `{event_key.value}` for {fkey.value} `{item.value}`",
                                   at, at, "-narrowed")


def _detectors(f: _File) -> set[str]:
    """The jobs whose outputs other jobs' ``if:`` read: the change detection."""
    found: set[str] = set()
    for _, job in f.jobs():
        cond = child(job, "if")
        if cond is not None and isinstance(cond[1], yaml.ScalarNode):
            found |= set(OUTPUT_READ.findall(cond[1].value))
    return found


def path_rules(f: _File, root: Path) -> Iterator[PathRule]:
    """One path rule of the change detection dropped: a ``case`` alternative of its script, or
    a pattern of a ``dorny/paths-filter`` filter (inline or in the file it names)."""
    detectors = _detectors(f)
    for job_id, job in f.jobs():
        if job_id not in detectors:
            continue
        steps = child(job, "steps")
        for step in steps[1].value if steps and isinstance(steps[1], yaml.SequenceNode) else []:
            run = child(step, "run")
            if run is not None and isinstance(run[1], yaml.ScalarNode):
                yield from _case_rules(f, job_id, run[1])
            uses = child(step, "uses")
            if uses is not None and str(uses[1].value).startswith("dorny/paths-filter"):
                filters = child(child(step, "with")[1] if child(step, "with") else None, "filters")
                if filters is not None:
                    yield from _filter_rules(f, root, job_id, filters[1])


def _case_rules(f: _File, job_id: str, run: yaml.ScalarNode) -> Iterator[PathRule]:
    """Block scalars keep their text verbatim in the file, so offsets inside the script are
    offsets of the file once the script is found there."""
    script = run.value
    base = f.text.find(script.splitlines()[0], run.start_mark.index) if script.strip() else -1
    if base < 0:
        return
    for line in script.splitlines():
        m = CASE_ARM.match(line)
        if m is None:
            continue
        alternatives = [a.strip() for a in m.group("arm").split("|")]
        if len(alternatives) < 2:
            continue
        line_at = f.text.find(line, base)
        arm_at = line_at + m.start("arm")
        # which variable the arm sets names the component the rule belongs to
        tail = line[m.end():]
        target = re.search(r"(\w+)=true", tail)
        component = target.group(1) if target else "component"
        for drop in alternatives:
            kept = "|".join(a for a in alternatives if a != drop)
            yield PathRule(job_id, component, drop, f.mutant(
                f"ci-jobs/{component}-change-includes-{drop}", "ci-jobs",
                f"a change to `{drop}` counts as a `{component}` change ({job_id})",
                arm_at, arm_at + len(m.group("arm")), kept))


def _filter_rules(f: _File, root: Path, job_id: str, filters: yaml.Node) -> Iterator[PathRule]:
    """Patterns of a paths-filter ``filters:``: the file it names, or the inline block, whose
    lines are the file's lines less their indentation (so each pattern is found by its line)."""
    value = str(getattr(filters, "value", ""))
    named = "\n" not in value and (root / value.strip()).is_file()
    rel, text, anchor = (value.strip(), (root / value.strip()).read_text(), 0) if named else \
        (f.rel, f.text, filters.start_mark.index)
    node = compose((root / rel).read_text() if named else value)
    if not isinstance(node, yaml.MappingNode):
        return
    lines = ((root / rel).read_text() if named else value).splitlines()
    for key, patterns in node.value:
        if not isinstance(patterns, yaml.SequenceNode) or len(patterns.value) < 2:
            continue
        for item in patterns.value:
            at = text.find(lines[item.start_mark.line].strip(), anchor)
            if at < 0:
                continue
            start, end = line_span(text, at, at + 1)
            yield PathRule(job_id, key.value, item.value, Mutant(
                name=f"ci-jobs/{key.value}-change-includes-{item.value}", section="ci-jobs",
                rule=f"a change to `{item.value}` counts as a `{key.value}` change ({job_id})",
                path=rel, start=start, end=end, replacement="", mode="structure"))


def save_if(f: _File) -> Iterator[Mutant]:
    """A cache's ``save-if`` flipped: saved from everywhere but where the document says."""
    for job_id, job in f.jobs():
        steps = child(job, "steps")
        for step in steps[1].value if steps and isinstance(steps[1], yaml.SequenceNode) else []:
            with_ = child(step, "with")
            save = child(with_[1], "save-if") if with_ else None
            if save is None:
                continue
            node = save[1]
            raw = f.text[node.start_mark.index:node.end_mark.index]
            m = re.fullmatch(r"\$\{\{\s*(.*?)\s*\}\}", raw.strip("'\""))
            flipped = f"${{{{ !({m.group(1)}) }}}}" if m else ("false" if raw == "true" else "true")
            yield f.mutant(f"caching-strategy/{job_id}-saves-only-from-main", "caching-strategy",
                           f"`{job_id}` saves its cache only from pushes to main", node.start_mark.index,
                           node.end_mark.index, flipped, mode="structure")


def environments(f: _File) -> Iterator[Mutant]:
    for job_id, job in f.jobs():
        pair = child(job, "environment")
        if pair is not None:
            yield f.drop_lines(f"github-environment-setup/{job_id}-deploys-from-its-environment",
                               "github-environment-setup", f"`{job_id}` publishes from a deployment environment",
                               pair[0], pair[1])


def id_tokens(f: _File) -> Iterator[Mutant]:
    for job_id, job in f.jobs():
        perms = child(job, "permissions")
        token = child(perms[1], "id-token") if perms else None
        if token is not None and getattr(token[1], "value", None) == "write":
            yield f.drop_lines(f"github-environment-setup/{job_id}-may-mint-an-id-token",
                               "github-environment-setup", f"`{job_id}` may ask GitHub for an OIDC id token",
                               token[0], token[1])


def secret_tokens(f: _File) -> Iterator[Mutant]:
    """A trusted-publishing step given a stored secret instead: a PyPI publish step gets a
    ``password`` from secrets; a token another step minted is replaced by a secret."""
    for job_id, job in f.jobs():
        steps = child(job, "steps")
        for step in steps[1].value if steps and isinstance(steps[1], yaml.SequenceNode) else []:
            uses = child(step, "uses")
            with_ = child(step, "with")
            if uses is not None and str(uses[1].value).startswith(PYPI_PUBLISH) and with_ is not None:
                first = with_[1].value[0][0] if isinstance(with_[1], yaml.MappingNode) and with_[1].value else None
                if first is None:
                    continue
                indent = " " * first.start_mark.column
                at = f.text.rfind("\n", 0, first.start_mark.index) + 1
                yield f.mutant(f"github-environment-setup/{job_id}-publishes-without-a-stored-token",
                               "github-environment-setup", f"`{job_id}` uploads by trusted publishing, no API token",
                               at, at, f"{indent}password: ${{{{ secrets.PYPI_API_TOKEN }}}}\n")
            env = child(step, "env")
            for key, value in env[1].value if env and isinstance(env[1], yaml.MappingNode) else []:
                m = re.search(r"steps\.[\w-]+\.outputs\.token", str(value.value))
                if m is None:
                    continue
                at = value.start_mark.index + f.text[value.start_mark.index:value.end_mark.index].find(m.group(0))
                yield f.mutant(f"github-environment-setup/{job_id}-publishes-without-a-stored-token",
                               "github-environment-setup", f"`{job_id}` uploads with a token minted for the run",
                               at, at + len(m.group(0)), f"secrets.{key.value}")


def converter(files: list[_File], root: Path) -> Iterator[Mutant]:
    """One pre-release spelling changed in the version converter the release workflows call."""
    scripts = dict.fromkeys(s for f in files if f.role.startswith("release") for s in SCRIPT.findall(f.text))
    for rel in scripts:
        path = root / rel
        if not path.is_file():
            continue
        text = path.read_text()
        for m in LABEL_RULE.finditer(text):
            label, spelling = m.group("label"), m.group("spelling")
            yield Mutant(name=f"package-versioning/{label}-spelled-{spelling.strip('.') or 'empty'}",
                         section="package-versioning",
                         rule=f"a `-{label}N` version is spelled `{spelling}N` on PyPI ({rel})", path=rel,
                         start=m.start("spelling"), end=m.end("spelling"), replacement=f"{spelling}x", mode="full")


def generate(binding: Binding) -> list[Mutant]:
    """Every mutant of the bound workflows, in a stable order, one per name."""
    root = binding.root
    files = [_File(root, role, rel) for role, rel in binding.workflows.items() if (root / rel).is_file()]
    found: list[Mutant] = []
    for f in files:
        found += needs(f)
        found += gate(f)
        found += matrices(f, binding)
        found += env_lists(f, binding)
        found += triggers(f)
        found += [rule.drop for rule in path_rules(f, root)]
        found += save_if(f)
        found += environments(f)
        found += id_tokens(f)
        found += secret_tokens(f)
    found += converter(files, root)
    unique: dict[str, Mutant] = {}
    for m in found:
        name, n = m.name, 2
        while name in unique:
            name, n = f"{m.name}-{n}", n + 1
        unique[name] = Mutant(**{**m.__dict__, "name": name})
    return list(unique.values())
