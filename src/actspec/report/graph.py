"""The job graph of one act run, drawn by Graphviz ``dot`` and inlined as SVG.

Nodes are jobs (a matrix job is a box holding one node per leg), filled by result.  Solid
edges are ``needs`` read from the workflow YAML (through the repository's ``actspec.yaml``
binding when the repository is still there); dashed blue edges are artifacts, from the
ledger: an ``artifact.upload`` by job X and an ``artifact.download`` of the same name by
job Y make an edge X -> Y labelled with the artifact.  Without ``dot`` the graph is an HTML
list of the same nodes in ``needs`` order.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ghrules import results

from actspec.repository import binding, workflow

COLOURS: dict[str, tuple[str, str, str]] = {
    # result: (fill, border, style)
    "success": ("#d2f4d8", "#1a7f37", "rounded,filled"),
    "failure": ("#ffd7d5", "#cf222e", "rounded,filled,bold"),
    "skipped": ("#eef0f2", "#8c959f", "rounded,filled,dashed"),
    "cancelled": ("#fff1b8", "#9a6700", "rounded,filled"),
}
ARTIFACT_COLOUR = "#0969da"


@dataclass
class Node:
    id: str
    job: str
    leg: str
    label: str
    result: str
    ran: bool
    anchor: str


@dataclass
class Graph:
    """What is drawn: nodes grouped by job, needs edges between jobs, artifact edges between nodes."""

    run_id: str
    jobs: dict[str, list[Node]] = field(default_factory=dict)
    needs: list[tuple[str, str]] = field(default_factory=list)
    artifacts: list[tuple[str, str, str, bool]] = field(default_factory=list)  # (from node, to node, name, ok)
    external: dict[str, str] = field(default_factory=dict)  # node id -> artifact name (uploaded elsewhere)
    needs_source: str = ""


def _needs_from_workflow(spec: dict[str, Any]) -> tuple[dict[str, tuple[str, ...]] | None, str]:
    """``needs`` of every job, from the workflow the spec names, or None when it cannot be read."""
    repo, role = spec.get("repo"), spec.get("workflow")
    if not repo or not role:
        return None, "the run names no repository/workflow"
    root = Path(str(repo))
    try:
        wf = binding.load(root).load_workflow(str(role))
    except Exception as first:
        try:
            wf = workflow.load(root / str(role))
        except Exception:
            return None, f"workflow not readable: {str(first).splitlines()[0] if str(first) else first!r}"
    return {j: tuple(d.needs) for j, d in wf.jobs.items()}, str(wf.path)


def build(run: Any, anchor_prefix: str) -> Graph:
    """The graph of a :class:`actspec.report.data.RunView`."""
    g = Graph(run_id=run.run_id)
    counter = 0
    for job in run.jobs:
        job_id = str(job.get("job_id"))
        leg = str(job.get("leg") or "")
        counter += 1
        g.jobs.setdefault(job_id, []).append(Node(
            id=f"n{counter}", job=job_id, leg=leg, label=leg or job_id, result=str(job.get("result") or "skipped"),
            ran=bool(job.get("ran")), anchor=f"{anchor_prefix}-job-{_slug(job_id)}",
        ))
    needs, source = _needs_from_workflow(run.spec)
    if needs is not None:
        g.needs_source = source
        for job_id, deps in needs.items():
            for dep in deps:
                if job_id in g.jobs and dep in g.jobs:
                    g.needs.append((dep, job_id))
    else:
        g.needs_source = ""
        g.external["__why__"] = source
    _artifact_edges(g, run.ledger)
    return g


def _node_for(g: Graph, job: str | None, leg: str | None) -> str | None:
    if not job or job not in g.jobs:
        return None
    legs = g.jobs[job]
    if leg:
        for n in legs:
            if n.leg == leg:
                return n.id
    return legs[0].id if len(legs) == 1 else f"job:{job}"


def _artifact_edges(g: Graph, ledger: list[dict[str, Any]]) -> None:
    uploads: dict[str, list[str]] = {}
    for e in ledger:
        if e.get("kind") == "artifact.upload" and e.get("ok", True):
            node = _node_for(g, e.get("job"), e.get("leg"))
            if node:
                uploads.setdefault(str(e.get("subject")), [])
                if node not in uploads[str(e.get("subject"))]:
                    uploads[str(e.get("subject"))].append(node)
    seen: set[tuple[str, str, str]] = set()
    for e in ledger:
        if e.get("kind") != "artifact.download":
            continue
        name = str(e.get("subject"))
        dst = _node_for(g, e.get("job"), e.get("leg"))
        if not dst:
            continue
        sources = uploads.get(name)
        if not sources:
            ext = f"ext{len(g.external) + 1}"
            existing = [k for k, v in g.external.items() if v == name and k != "__why__"]
            if existing:
                ext = existing[0]
            else:
                g.external[ext] = name
            sources = [ext]
        for src in sources:
            key = (src, dst, name)
            if key not in seen:
                seen.add(key)
                g.artifacts.append((src, dst, name, bool(e.get("ok", True))))


# --------------------------------------------------------------------------- dot

def _q(text: str) -> str:
    """A DOT double-quoted string (backslashes doubled so Graphviz escapes like \\N stay literal)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def to_dot(g: Graph) -> str:
    gid = f"g-{_slug(g.run_id)}"
    out = [
        f"digraph {_q(gid)} {{",
        f'  graph [id={_q(gid)}, rankdir=LR, compound=true, nodesep=0.18, ranksep=0.45, '
        f'fontname="sans-serif", fontsize=10, bgcolor="transparent", pad=0.1];',
        '  node [shape=box, fontname="sans-serif", fontsize=12, margin="0.12,0.05", height=0.3, penwidth=1.3];',
        '  edge [color="#57606a", arrowsize=0.6, penwidth=1.1, fontname="sans-serif", fontsize=10];',
    ]
    cluster_of: dict[str, str] = {}
    for i, (job, legs) in enumerate(g.jobs.items(), 1):
        matrix = len(legs) > 1 or any(n.leg for n in legs)
        if matrix:
            cname = f"cluster_{i}"
            cluster_of[job] = cname
            agg = results.worst(n.result for n in legs)
            fill, border, _style = COLOURS.get(agg, COLOURS["skipped"])
            out.append(f"  subgraph {cname} {{")
            out.append(f'    graph [id={_q(f"{gid}-c{i}")}, label={_q(f"{job} (matrix: {agg})")}, '
                       f'style="rounded,dashed", color={_q(border)}, fontcolor="#24292f", labeljust=l, margin=6];')
            for n in legs:
                out.append("    " + _node_stmt(gid, n))
            out.append("  }")
        else:
            out.append("  " + _node_stmt(gid, legs[0], title=job))
    for k, ext in enumerate(sorted(x for x in g.external if x != "__why__"), 1):
        out.append(f'  {_q(ext)} [id={_q(f"{gid}-x{k}")}, label={_q("artifact " + g.external[ext] + chr(10) + "(from an earlier run)")}, '
                   f'shape=note, style=filled, fillcolor="#ddf4ff", color={_q(ARTIFACT_COLOUR)}, class="artifact-source"];')
    e = 0
    for dep, job in g.needs:
        e += 1
        src, dst = g.jobs[dep][0].id, g.jobs[job][0].id
        attrs = [f"id={_q(f'{gid}-e{e}')}", 'class="needs"']
        if dep in cluster_of:
            attrs.append(f"ltail={cluster_of[dep]}")
        if job in cluster_of:
            attrs.append(f"lhead={cluster_of[job]}")
        out.append(f"  {_q(src)} -> {_q(dst)} [{', '.join(attrs)}];")
    for src, dst, name, ok in g.artifacts:
        e += 1
        attrs = [f"id={_q(f'{gid}-e{e}')}", 'class="artifact"', 'style=dashed', 'constraint=false',
                 f"color={_q(ARTIFACT_COLOUR if ok else COLOURS['failure'][1])}",
                 f"fontcolor={_q(ARTIFACT_COLOUR if ok else COLOURS['failure'][1])}",
                 f"label={_q(name if ok else name + ' (refused)')}"]
        if not g.needs_source:
            attrs.remove("constraint=false")
        s_id, d_id = src, dst
        if src.startswith("job:"):
            job = src[4:]
            s_id = g.jobs[job][0].id
            attrs.append(f"ltail={cluster_of.get(job, '')}")
        if dst.startswith("job:"):
            job = dst[4:]
            d_id = g.jobs[job][0].id
            attrs.append(f"lhead={cluster_of.get(job, '')}")
        out.append(f"  {_q(s_id)} -> {_q(d_id)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _node_stmt(gid: str, n: Node, title: str | None = None) -> str:
    fill, border, style = COLOURS.get(n.result, COLOURS["skipped"])
    label = f"{title or n.label}\n{n.result}"
    return (f"{_q(n.id)} [id={_q(f'{gid}-{n.id}')}, label={_q(label)}, style={_q(style)}, "
            f"fillcolor={_q(fill)}, color={_q(border)}, fontcolor=\"#1f2328\", "
            f"class={_q(f'job {n.result}')}, URL={_q('#' + n.anchor)}, "
            f"tooltip={_q(n.job + (' [' + n.leg + ']' if n.leg else '') + ': ' + n.result)}];")


def dot_path() -> str | None:
    return shutil.which("dot")


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def render_svg(dot_source: str, timeout: float = 60.0) -> str:
    """``dot -Tsvg``, with the XML prolog, DOCTYPE and comments removed for inlining."""
    exe = dot_path()
    if exe is None:
        raise FileNotFoundError("Graphviz `dot` is not installed (python -m actspec.tooling.provision graphviz)")
    proc = subprocess.run([exe, "-Tsvg"], input=dot_source, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or "<svg" not in proc.stdout:
        raise RuntimeError(f"dot failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
    svg = _COMMENT.sub("", _PROLOG.sub("", proc.stdout, count=1))
    # The DTD/namespace URIs are names, never fetched; xlink is kept for the node links.
    return svg.strip()


def html_fallback(g: Graph) -> str:
    """Nodes in ``needs`` layers as coloured boxes, for a machine without Graphviz."""
    depth: dict[str, int] = {}

    def level(job: str, stack: tuple[str, ...] = ()) -> int:
        if job in depth:
            return depth[job]
        deps = [d for d, j in g.needs if j == job and d not in stack]
        depth[job] = 1 + max((level(d, stack + (job,)) for d in deps), default=-1)
        return depth[job]

    for job in g.jobs:
        level(job)
    layers: dict[int, list[str]] = {}
    for job, d in depth.items():
        layers.setdefault(d, []).append(job)
    parts = ['<div class="graph-fallback">']
    for d in sorted(layers):
        parts.append('<div class="layer">')
        for job in layers[d]:
            for n in g.jobs[job]:
                text = job + (f" [{n.leg}]" if n.leg else "")
                parts.append(f'<a class="jobbox {html.escape(n.result)}" href="#{html.escape(n.anchor)}">'
                             f'{html.escape(text)}<br><small>{html.escape(n.result)}</small></a>')
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)
