"""Path patterns the way ``@actions/glob`` reads them, and upload-artifact's root rule.

Pattern rules (the documented behaviour of ``@actions/glob`` with the options
``actions/upload-artifact`` v4 passes: follow symbolic links, implicit descendants, omit
broken links, exclude hidden files unless asked):

* one pattern per line; blank lines and lines starting with ``#`` are ignored;
* a leading ``!`` makes an exclude pattern (an even number of ``!`` cancels out);
* ``~`` at the start is the home directory; relative patterns are rooted at the cwd;
* ``*`` and ``?`` match within one path segment, ``[...]`` is a character class, a
  ``**`` segment matches any number of segments (zero included); dotfiles are matched by
  ``*`` like any other name;
* a pattern that matches a directory also matches everything below it;
* a pattern ending in ``/`` matches directories only (and so their contents);
* patterns apply in order: the last pattern that matches a path decides whether it is in.

Each include pattern has a *search path*: its leading segments up to the first one with a
glob character.  The artifact root is the least common ancestor of the search paths when
there are several, the parent directory when the only pattern names a single file, and the
search path otherwise.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass

GLOB_CHARS = re.compile(r"(?<!\\)[*?\[]")


@dataclass
class Pattern:
    negate: bool
    segments: tuple[str, ...]  # segments after the root "/"
    trailing_sep: bool
    search_path: str
    _regexes: tuple[re.Pattern[str] | None, ...] = ()

    def __post_init__(self) -> None:
        self._regexes = tuple(None if s == "**" else segment_regex(s) for s in self.segments)

    def with_descendants(self) -> Pattern:
        return Pattern(self.negate, self.segments + ("**",), False, self.search_path)

    def matches(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        if self.trailing_sep and not is_dir:
            return False
        return _match(self._regexes, 0, parts, 0)


def _match(regexes: tuple[re.Pattern[str] | None, ...], i: int, parts: tuple[str, ...], j: int) -> bool:
    while i < len(regexes):
        rx = regexes[i]
        if rx is None:  # globstar
            # collapse consecutive globstars
            while i + 1 < len(regexes) and regexes[i + 1] is None:
                i += 1
            if i + 1 == len(regexes):
                return True
            return any(_match(regexes, i + 1, parts, k) for k in range(j, len(parts) + 1))
        if j >= len(parts) or not rx.fullmatch(parts[j]):
            return False
        i += 1
        j += 1
    return j == len(parts)


def segment_regex(segment: str) -> re.Pattern[str]:
    """One pattern without ``**``: ``*`` and ``?`` stay within a ``/`` segment, ``[...]`` a class, ``\\`` escapes."""
    out: list[str] = []
    i = 0
    n = len(segment)
    while i < n:
        c = segment[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(segment[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < n and segment[j] in "!^":
                j += 1
            if j < n and segment[j] == "]":
                j += 1
            while j < n and segment[j] != "]":
                j += 1
            if j >= n:  # no closing bracket: literal
                out.append(re.escape(c))
            else:
                body = segment[i + 1 : j]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _unescape(segment: str) -> str:
    return re.sub(r"\\(.)", r"\1", segment)


def parse_patterns(text: str | list[str], cwd: str | None = None) -> list[Pattern]:
    """The patterns of a (multi-line) ``path`` input, implicit-descendant variants included."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    cwd = cwd or os.getcwd()
    patterns: list[Pattern] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = False
        while line.startswith("!"):
            negate = not negate
            line = line[1:].strip()
        if not line:
            continue
        if line == "~" or line.startswith("~/"):
            line = os.path.expanduser("~") + line[1:]
        trailing = line.endswith("/") and line.rstrip("/") != ""
        if not os.path.isabs(line):
            line = os.path.join(cwd, line)
        norm = os.path.normpath(line)
        if norm.startswith("//"):
            norm = "/" + norm.lstrip("/")
        segments = tuple(s for s in norm.split("/") if s)
        literal: list[str] = []
        for seg in segments:
            if GLOB_CHARS.search(seg):
                break
            literal.append(_unescape(seg))
        search_path = "/" + "/".join(literal)
        pattern = Pattern(negate, segments, trailing, search_path)
        patterns.append(pattern)
        if trailing or not segments or segments[-1] != "**":
            patterns.append(pattern.with_descendants())
    return patterns


def search_paths(patterns: list[Pattern]) -> list[str]:
    """Search paths of the include patterns, in order, without any that lies below another."""
    candidates = {p.search_path for p in patterns if not p.negate}
    out: list[str] = []
    for p in patterns:
        if p.negate or p.search_path in out:
            continue
        parent = os.path.dirname(p.search_path)
        child = p.search_path
        has_ancestor = False
        while parent != child:
            if parent in candidates:
                has_ancestor = True
                break
            child, parent = parent, os.path.dirname(parent)
        if not has_ancestor:
            out.append(p.search_path)
    return out


def is_included(patterns: list[Pattern], path: str, is_dir: bool = False) -> bool:
    parts = tuple(s for s in path.split("/") if s)
    result = False
    for p in patterns:
        if p.matches(parts, is_dir):
            result = not p.negate
    return result


def find_files(patterns: list[Pattern], *, include_hidden: bool = False) -> list[str]:
    """Absolute paths of the files (never directories) the patterns select, sorted."""
    found: set[str] = set()
    for root in search_paths(patterns):
        if not os.path.exists(root):  # also drops broken symbolic links
            continue
        if not include_hidden and os.path.basename(root).startswith("."):
            continue
        if not os.path.isdir(root):
            if is_included(patterns, root):
                found.add(root)
            continue
        seen_dirs: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen_dirs:  # a symbolic-link cycle
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            if not include_hidden:
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                filenames = [f for f in filenames if not f.startswith(".")]
            dirnames.sort()
            for name in filenames:
                full = os.path.join(dirpath, name)
                if not os.path.exists(full) or os.path.isdir(full):
                    continue
                if is_included(patterns, full):
                    found.add(full)
            # a symbolic link to a directory shows up in dirnames and is walked (followlinks)
    return sorted(found)


def hash_files(text: str | list[str], workspace: str) -> str:
    """``hashFiles()`` as GitHub and ``@actions/glob`` compute it, for caching actions' keys.

    The patterns are rooted at ``workspace``; only regular files inside it count (others are
    skipped, as the real function skips them).  ``""`` when no file matched, which each
    caller turns into its own action's message.
    """
    root = os.path.realpath(workspace) + os.sep
    files = find_files(parse_patterns(text, workspace), include_hidden=True)
    return hash_file_list([p for p in files if os.path.realpath(p).startswith(root)])


def hash_file_list(paths: list[str]) -> str:
    """The hex SHA-256 over the SHA-256 digests of the files' contents, in path order; ``""`` for none."""
    if not paths:
        return ""
    total = hashlib.sha256()
    for path in sorted(paths):
        with open(path, "rb") as fh:
            total.update(hashlib.sha256(fh.read()).digest())
    return total.hexdigest()


def least_common_ancestor(paths: list[str]) -> str:
    split = [[s for s in os.path.normpath(p).split("/") if s] for p in paths]
    common: list[str] = []
    for parts in zip(*split):
        if all(x == parts[0] for x in parts):
            common.append(parts[0])
        else:
            break
    return "/" + "/".join(common)


@dataclass
class SearchResult:
    files: list[str]
    root: str
    search_paths: list[str]


def find_upload(text: str | list[str], *, cwd: str | None = None, include_hidden: bool = False) -> SearchResult:
    """Files to upload for a ``path`` input and the artifact root they are stored relative to."""
    patterns = parse_patterns(text, cwd)
    files = find_files(patterns, include_hidden=include_hidden)
    roots = search_paths(patterns)
    if not roots:
        return SearchResult(files, cwd or os.getcwd(), roots)
    if len(roots) > 1:
        root = least_common_ancestor(roots)
    elif len(files) == 1 and roots[0] == files[0]:
        root = os.path.dirname(files[0])
    else:
        root = roots[0]
    return SearchResult(files, root, roots)


def expand_braces(pattern: str) -> list[str]:
    """``a{b,c}d`` -> ``abd``, ``acd`` (nested braces too); a brace without a comma is literal."""
    depth = 0
    start = -1
    escaped = False
    for i, c in enumerate(pattern):
        if escaped:
            escaped = False
            continue
        if c == "\\":
            escaped = True
            continue
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                body = pattern[start + 1 : i]
                options: list[str] = []
                level = 0
                cur = ""
                for ch in body:
                    if ch == "," and level == 0:
                        options.append(cur)
                        cur = ""
                        continue
                    level += ch == "{"
                    level -= ch == "}"
                    cur += ch
                options.append(cur)
                if len(options) < 2:
                    continue
                head, tail = pattern[:start], pattern[i + 1 :]
                out: list[str] = []
                for opt in options:
                    out.extend(expand_braces(head + opt + tail))
                return out
    return [pattern]


class NameMatcher:
    """minimatch (default options) for artifact names: download-artifact's ``pattern`` input.

    Braces expand, ``*``/``?``/``[...]`` stay within a ``/``-separated segment, ``**`` spans
    segments, and a leading ``.`` in a name is only matched by a pattern that spells it.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._alternatives = [self._compile(p) for p in expand_braces(pattern)]

    @staticmethod
    def _compile(pattern: str) -> re.Pattern[str]:
        parts = []
        for seg in pattern.split("/"):
            if seg == "**":
                parts.append("(?:[^/.][^/]*(?:/[^/.][^/]*)*)?")
            else:
                rx = segment_regex(seg).pattern
                if not seg.startswith("."):
                    rx = "(?!\\.)" + rx
                parts.append(rx)
        return re.compile("/".join(parts), re.DOTALL)

    def match(self, name: str) -> bool:
        return any(rx.fullmatch(name) for rx in self._alternatives)
