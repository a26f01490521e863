"""A small, safe Markdown-to-HTML reader for the kit's own docs (spec coverage, fidelity).

Every piece of text is HTML-escaped; only structure is recognised: ATX headings, pipe
tables, bullet and numbered lists, fenced code, paragraphs, and inline ``code``, **bold**,
*emphasis* and links (shown as their text followed by the target in brackets -- never a live link,
so the report references nothing outside itself).
"""

from __future__ import annotations

import html
import re

_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def inline(text: str) -> str:
    """Escape ``text`` and mark up code spans, bold and links (as text)."""
    out = []
    for i, part in enumerate(re.split(r"(`[^`]*`)", text)):
        if i % 2 == 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
            continue
        part = _LINK.sub(lambda m: f"{m.group(1)} [{m.group(2)}]", part)
        esc = html.escape(part)
        esc = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", esc)
        esc = re.sub(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])", r"<em>\1</em>", esc)
        out.append(esc)
    return "".join(out)


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells, cur, in_code = [], "", False
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line) and line[i + 1] == "|":
            cur += "|"
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            cells.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur.strip())
    return cells


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def to_html(text: str, id_prefix: str = "md", shift: int = 1) -> str:
    """Render ``text``; headings are shifted down by ``shift`` levels to nest in the page."""
    lines = text.splitlines()
    out: list[str] = []
    para: list[str] = []
    i = 0

    def flush() -> None:
        if para:
            out.append(f"<p>{inline(' '.join(x.strip() for x in para))}</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.strip().startswith("```"):
            flush()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            out.append(f"<pre>{html.escape(chr(10).join(body))}</pre>")
            i += 1
            continue
        m = _HEADING.match(line)
        if m:
            flush()
            level = min(6, len(m.group(1)) + shift)
            title = m.group(2)
            out.append(f'<h{level} id="{id_prefix}-{_slug(title)}">{inline(title)}</h{level}>')
            i += 1
            continue
        if "|" in line and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]):
            flush()
            head = _cells(line)
            i += 2
            rows = []
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_cells(lines[i]))
                i += 1
            out.append('<div class="tablewrap"><table class="md"><thead><tr>'
                       + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr></thead><tbody>")
            for r in rows:
                r = r + [""] * (len(head) - len(r))
                out.append("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>")
            out.append("</tbody></table></div>")
            continue
        if _LIST.match(line):
            flush()
            ordered = bool(re.match(r"^\s*\d", line))
            items: list[str] = []
            while i < len(lines) and lines[i].strip():
                lm = _LIST.match(lines[i])
                if lm:
                    items.append(lm.group(1))
                elif items:
                    items[-1] += " " + lines[i].strip()
                i += 1
            tag = "ol" if ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{inline(it)}</li>" for it in items) + f"</{tag}>")
            continue
        if not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return "\n".join(out)


def escape(text: str) -> str:
    """Text for a Markdown document, shown literally (no markup, no raw HTML)."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*_\[\]#|~])", r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return " ".join(text.split())
