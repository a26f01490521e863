"""A small YAML reader for tool configuration files read by shims (python3 stdlib only).

The runner image has no PyYAML, and the shims only read short hand-written configuration
files (``.goreleaser.yaml``).  This reads the common subset of YAML those use and refuses
the rest with a line number, so a configuration is never half understood:

* block mappings (``key: value``) and block sequences (``- item``, also ``- key: value``
  starting a mapping inside the item, and a sequence at the same indentation as its key);
* flow sequences ``[a, "b", 3]`` and flow mappings ``{a: 1, b: two}`` of scalars;
* scalars: plain, ``'single'`` and ``"double"`` quoted (with ``\\"``, ``\\\\``, ``\\n``,
  ``\\t`` escapes), ``true``/``false`` (YAML 1.2 core schema), ``null``/``~``, integers,
  floats; ``#`` comments.

Not supported (``YamlError``): anchors and aliases, tags, block scalars (``|`` / ``>``),
multi-line plain or quoted scalars, nested flow collections, multiple documents.
"""

from __future__ import annotations

import re
from typing import Any


class YamlError(ValueError):
    """A construct outside the supported subset, or malformed YAML (message names the line)."""


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_KEY = re.compile(r"""^(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}\[\],&*!|>%@`][^:#]*?)\s*:(?:\s+|$)(?P<rest>.*)$""")


def _strip_comment(text: str) -> str:
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"':
                continue
        elif ch in "'\"" and (i == 0 or text[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def _unquote(text: str, line: int) -> str:
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"'):
            raise YamlError(f"line {line}: unterminated double-quoted string")
        body = text[1:-1]
        out, i = [], 0
        escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "/": "/", "0": "\0"}
        while i < len(body):
            ch = body[i]
            if ch == "\\" and i + 1 < len(body):
                nxt = body[i + 1]
                if nxt not in escapes:
                    raise YamlError(f"line {line}: unsupported escape \\{nxt}")
                out.append(escapes[nxt])
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)
    if len(text) < 2 or not text.endswith("'"):
        raise YamlError(f"line {line}: unterminated single-quoted string")
    return text[1:-1].replace("''", "'")


def _split_flow(body: str, line: int) -> list[str]:
    parts, buf, quote = [], [], ""
    for ch in body:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            buf.append(ch)
        elif ch in "[]{}":
            raise YamlError(f"line {line}: nested flow collections are not supported")
        elif ch == ",":
            parts.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    if quote:
        raise YamlError(f"line {line}: unterminated string in a flow collection")
    last = "".join(buf).strip()
    if last:
        parts.append(last)
    return parts


def scalar(text: str, line: int = 0) -> Any:
    text = text.strip()
    if text == "":
        return None
    if text[0] in "&*!|>%@`":
        raise YamlError(f"line {line}: unsupported YAML construct {text[:20]!r}")
    if text.startswith("["):
        if not text.endswith("]"):
            raise YamlError(f"line {line}: multi-line flow sequences are not supported")
        return [scalar(p, line) for p in _split_flow(text[1:-1], line)]
    if text.startswith("{"):
        if not text.endswith("}"):
            raise YamlError(f"line {line}: multi-line flow mappings are not supported")
        out: dict[str, Any] = {}
        for part in _split_flow(text[1:-1], line):
            m = _KEY.match(part)
            if not m:
                raise YamlError(f"line {line}: expected 'key: value' in a flow mapping, got {part!r}")
            out[_key(m.group("key"), line)] = scalar(m.group("rest"), line)
        return out
    if text[0] in "'\"":
        return _unquote(text, line)
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if text in ("null", "Null", "NULL", "~"):
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _key(text: str, line: int) -> str:
    text = text.strip()
    return _unquote(text, line) if text[:1] in "'\"" else text


class _Lines:
    def __init__(self, text: str) -> None:
        self.items: list[tuple[int, str, int]] = []  # (indent, content, line number)
        for number, raw in enumerate(text.splitlines(), 1):
            if "\t" in raw[: len(raw) - len(raw.lstrip())]:
                raise YamlError(f"line {number}: tabs are not allowed for indentation")
            content = _strip_comment(raw)
            if not content.strip():
                continue
            if content.strip() in ("---", "...") and not raw.startswith(" "):
                if self.items:
                    raise YamlError(f"line {number}: multiple documents are not supported")
                continue
            indent = len(content) - len(content.lstrip(" "))
            self.items.append((indent, content.strip(), number))


def _is_item(content: str) -> bool:
    return content == "-" or content.startswith("- ")


def _block(lines: _Lines, i: int, indent: int) -> tuple[Any, int]:
    ind, content, number = lines.items[i]
    if ind != indent:
        raise YamlError(f"line {number}: bad indentation")
    if _is_item(content):
        return _sequence(lines, i, indent)
    if _KEY.match(content):
        return _mapping(lines, i, indent)
    value = scalar(content, number)
    if i + 1 < len(lines.items) and lines.items[i + 1][0] > indent:
        raise YamlError(f"line {lines.items[i + 1][2]}: multi-line scalars are not supported")
    return value, i + 1


def _nested(lines: _Lines, i: int, parent_indent: int, allow_same_indent_seq: bool) -> tuple[Any, int]:
    """The value on the lines after a ``key:`` or ``-`` with nothing after it."""
    if i >= len(lines.items):
        return None, i
    ind, content, _ = lines.items[i]
    if ind > parent_indent or (allow_same_indent_seq and ind == parent_indent and _is_item(content)):
        return _block(lines, i, ind)
    return None, i


def _mapping(lines: _Lines, i: int, indent: int) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    while i < len(lines.items):
        ind, content, number = lines.items[i]
        if ind < indent:
            break
        if ind > indent:
            raise YamlError(f"line {number}: bad indentation")
        if _is_item(content):
            break
        m = _KEY.match(content)
        if not m:
            raise YamlError(f"line {number}: expected 'key: value', got {content!r}")
        key = _key(m.group("key"), number)
        if key in out:
            raise YamlError(f"line {number}: duplicate key {key!r}")
        rest = m.group("rest").strip()
        if rest:
            out[key] = scalar(rest, number)
            i += 1
            if i < len(lines.items) and lines.items[i][0] > indent:
                raise YamlError(f"line {lines.items[i][2]}: multi-line scalars are not supported")
        else:
            out[key], i = _nested(lines, i + 1, indent, allow_same_indent_seq=True)
    return out, i


def _sequence(lines: _Lines, i: int, indent: int) -> tuple[list[Any], int]:
    out: list[Any] = []
    while i < len(lines.items):
        ind, content, number = lines.items[i]
        if ind < indent or (ind == indent and not _is_item(content)):
            break
        if ind > indent:
            raise YamlError(f"line {number}: bad indentation")
        rest = content[1:].lstrip(" ")
        if not rest:
            value, i = _nested(lines, i + 1, indent, allow_same_indent_seq=False)
            out.append(value)
            continue
        inner = indent + (len(content) - len(rest))
        if _is_item(rest) or _KEY.match(rest):
            lines.items[i] = (inner, rest, number)  # the item's content starts a block at `inner`
            value, i = _block(lines, i, inner)
            out.append(value)
            continue
        out.append(scalar(rest, number))
        i += 1
        if i < len(lines.items) and lines.items[i][0] > indent:
            raise YamlError(f"line {lines.items[i][2]}: multi-line scalars are not supported")
    return out, i


def loads(text: str) -> Any:
    """The document in ``text`` (``None`` for an empty one)."""
    lines = _Lines(text)
    if not lines.items:
        return None
    value, i = _block(lines, 0, lines.items[0][0])
    if i < len(lines.items):
        raise YamlError(f"line {lines.items[i][2]}: unexpected content (bad indentation?)")
    return value
