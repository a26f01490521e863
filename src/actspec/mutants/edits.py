"""One mutant: one text edit on one file of a copy of the repository under test.

Edits are located through the YAML node tree (``yaml.compose`` keeps each node's start and
end offsets), so a mutant changes only the characters of the rule it breaks and keeps the
file's comments and layout: its diff is what a careless one-line change would look like.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from actspec.repository import workflow as wf
from actspec.repository.repo import source_files


@dataclass(frozen=True)
class Mutant:
    """A named break of one document rule.

    ``section`` is the document section (an ``@section:`` tag of the features) whose
    scenarios must notice the break; ``mode`` is the kit mode those scenarios run in
    (``structure`` when the rule is about what runs, ``full`` when it is about what the
    steps produce).  The edit replaces ``text[start:end]`` of ``path`` by ``replacement``.
    ``equivalent`` says why no run under act can tell the mutant from the original, when the
    operator knows (a result act never produces); such a mutant is not run and not counted.
    """

    name: str
    section: str
    rule: str
    path: str
    start: int
    end: int
    replacement: str
    mode: str = "structure"
    equivalent: str = ""

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]

    def diff(self, root: Path) -> str:
        """The edit as a unified diff against the repository's file."""
        before = (root / self.path).read_text()
        return "".join(difflib.unified_diff(
            before.splitlines(keepends=True), self.apply(before).splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}", n=1))

    def materialise(self, root: Path, dest: Path) -> Path:
        """A copy of the repository at ``dest`` with this one edit applied."""
        for rel in source_files(root):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, dest / rel)
        target = dest / self.path
        target.write_text(self.apply(target.read_text()))
        return dest


def compose(text: str) -> yaml.Node | None:
    """The node tree of a workflow, read as GitHub reads it (only true/false are booleans)."""
    return yaml.compose(text, Loader=wf._Loader)


def child(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) node pair of ``key`` in a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole lines from the one holding ``start`` to the one holding the last character
    before ``end`` (block nodes end at the start of the next line)."""
    first = text.rfind("\n", 0, start) + 1
    last = end
    while last > start and text[last - 1] in " \n":
        last -= 1
    stop = text.find("\n", last)
    return first, len(text) if stop < 0 else stop + 1


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"
