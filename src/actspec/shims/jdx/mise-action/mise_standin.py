#!/usr/bin/env python3
"""actspec's stand-in for the ``mise`` CLI: runs the tasks of the repository's mise.toml.

It installs and manages no tools: commands run with whatever the runner image has on PATH.
Implemented (see README.md of the jdx/mise-action shim for the details and the limits):

* ``mise run [-C DIR] [-n] [-q] <task> [args...] [::: <task> [args...]]`` (also ``mise r``
  and ``mise <task>``): runs ``[tasks.<task>]`` -- its ``depends`` first, each task once, then
  its ``run`` string(s) with bash (``-o errexit``) in the task's ``dir`` (default: the
  directory of the mise.toml that defines it), with the config's ``[env]`` and the task's
  ``env``.  Extra args are appended to the last command (or passed as ``$1``... to a
  ``#!`` script).  ``{ task = "x" }`` / ``{ tasks = [...] }`` entries of ``run`` run those
  tasks.  A failing command ends the run with its exit status.
* ``mise tasks [ls]``: the visible tasks and their descriptions.
* ``mise exec [tools...] -- <cmd>``, ``mise env``, ``mise version``, ``mise which``;
  ``install``, ``trust``, ``reshim``, ``use``, ``settings``, ``activate`` do nothing.

Errors read like mise's: ``mise ERROR no task <name> found``.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from typing import Any

VERSION = "2025.9.0 linux-x64 (actspec stand-in)"
CONFIG_NAMES = (
    ".config/mise/config.toml",
    ".config/mise.toml",
    "mise/config.toml",
    ".mise/config.toml",
    ".mise.toml",
    "mise.toml",
    ".mise.local.toml",
    "mise.local.toml",
)
TASK_DIRS = (".config/mise/tasks", "mise/tasks", ".mise/tasks", "mise-tasks", ".mise-tasks")
DEFAULT_SHELL = ["bash", "-o", "errexit", "-c"]


class MiseError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def error(message: str) -> None:
    print(f"mise ERROR {message}", file=sys.stderr, flush=True)


# -- templates (a small subset of Tera) --------------------------------------------------------

_EXPR = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.S)
_CALL = re.compile(r"^(arg|option|flag)\((.*)\)$", re.S)
_KWARG = re.compile(r"(\w+)\s*=\s*(\"[^\"]*\"|'[^']*'|[\w.]+)")


@dataclass
class ArgState:
    """Positional args/options of a task invocation, consumed by ``arg()``/``option()``/``flag()``."""

    args: list[str]
    used: bool = False

    def take_positional(self, default: str | None) -> str:
        self.used = True
        for i, a in enumerate(self.args):
            if not a.startswith("-"):
                return self.args.pop(i)
        return default or ""

    def take_option(self, name: str, default: str | None) -> str:
        self.used = True
        for i, a in enumerate(self.args):
            if a == f"--{name}" and i + 1 < len(self.args):
                value = self.args[i + 1]
                del self.args[i : i + 2]
                return value
            if a.startswith(f"--{name}="):
                del self.args[i]
                return a.split("=", 1)[1]
        return default or ""

    def take_flag(self, name: str) -> str:
        self.used = True
        if f"--{name}" in self.args:
            self.args.remove(f"--{name}")
            return "true"
        return "false"


def _atom(text: str, ctx: dict[str, Any]) -> str | None:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text.startswith("env."):
        return ctx["env"].get(text[4:])
    if text.startswith("vars."):
        value = ctx["vars"].get(text[5:])
        return None if value is None else str(value)
    if text in ("config_root", "cwd"):
        return ctx[text]
    return None


def _eval(expr: str, ctx: dict[str, Any], args: ArgState | None) -> str:
    head, *filters = [p.strip() for p in expr.split("|")]
    call = _CALL.match(head)
    if call:
        kwargs = {k: v.strip("\"'") for k, v in _KWARG.findall(call.group(2))}
        if args is None:
            return kwargs.get("default", "")
        if call.group(1) == "arg":
            value: str | None = args.take_positional(kwargs.get("default"))
        elif call.group(1) == "option":
            value = args.take_option(kwargs.get("name", ""), kwargs.get("default"))
        else:
            value = args.take_flag(kwargs.get("name", ""))
    else:
        value = _atom(head, ctx)
    for f in filters:
        m = re.match(r"default\((?:value\s*=\s*)?(.*)\)$", f)
        if m and not value:
            value = _atom(m.group(1), ctx)
    return "" if value is None else str(value)


def render(text: str, ctx: dict[str, Any], args: ArgState | None = None) -> str:
    if "{{" not in text:
        return text
    return _EXPR.sub(lambda m: _eval(m.group(1), ctx, args), text)


# -- configuration --------------------------------------------------------------------------


@dataclass
class Task:
    name: str
    config_root: str
    run: list[Any] = field(default_factory=list)
    file: str | None = None
    depends: list[str] = field(default_factory=list)
    depends_post: list[str] = field(default_factory=list)
    dir: str | None = None
    env: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    hide: bool = False
    aliases: list[str] = field(default_factory=list)
    shell: list[str] | None = None
    quiet: bool = False
    source: str = ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class Config:
    cwd: str
    files: list[str] = field(default_factory=list)
    tasks: dict[str, Task] = field(default_factory=dict)
    env_entries: list[tuple[str, str, Any]] = field(default_factory=list)  # (config_root, key, value)
    vars: dict[str, Any] = field(default_factory=dict)
    tools: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return os.path.dirname(self.files[-1]) if self.files else self.cwd

    def find(self, name: str) -> list[Task]:
        if name in self.tasks:
            return [self.tasks[name]]
        for task in self.tasks.values():
            if name in task.aliases:
                return [task]
        if any(c in name for c in "*?["):
            return [t for n, t in sorted(self.tasks.items()) if fnmatch.fnmatchcase(n, name)]
        return []


def _config_root(path: str) -> str:
    d = os.path.dirname(path)
    for suffix in ("/.config/mise", "/.config", "/mise", "/.mise"):
        if d.endswith(suffix):
            return d[: -len(suffix)] or "/"
    return d


def config_files(cwd: str) -> list[str]:
    """Config files from the outermost directory down to ``cwd`` (later ones win)."""
    dirs = []
    d = os.path.abspath(cwd)
    while True:
        dirs.append(d)
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    found: list[str] = []
    for d in reversed(dirs):
        for name in CONFIG_NAMES:
            p = os.path.join(d, name)
            if os.path.isfile(p):
                found.append(p)
    env_file = os.environ.get("MISE_CONFIG_FILE")
    if env_file and os.path.isfile(env_file):
        found.append(os.path.abspath(env_file))
    return found


def _task_from(name: str, spec: Any, root: str, source: str) -> Task:
    task = Task(name=name, config_root=root, source=source)
    if isinstance(spec, (str, list)):
        task.run = _as_list(spec)
        return task
    if not isinstance(spec, dict):
        raise MiseError(f"invalid task {name} in {source}")
    task.run = _as_list(spec.get("run"))
    if spec.get("file"):
        task.file = str(spec["file"])
    task.depends = [str(d) if not isinstance(d, dict) else str(d.get("task", "")) for d in _as_list(spec.get("depends"))]
    task.depends_post = [str(d) for d in _as_list(spec.get("depends_post"))]
    task.dir = spec.get("dir")
    task.env = dict(spec.get("env") or {})
    task.description = str(spec.get("description") or "")
    task.hide = bool(spec.get("hide", False))
    task.aliases = [str(a) for a in _as_list(spec.get("alias"))]
    if spec.get("shell"):
        task.shell = shlex.split(str(spec["shell"]))
    task.quiet = bool(spec.get("quiet", False) or spec.get("silent", False))
    return task


def _file_tasks(root: str, dirs: list[str]) -> dict[str, Task]:
    out: dict[str, Task] = {}
    for rel in dirs:
        base = os.path.join(root, rel)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for f in sorted(filenames):
                path = os.path.join(dirpath, f)
                if not os.access(path, os.X_OK):
                    continue
                parts = os.path.relpath(path, base).split(os.sep)
                if parts[-1] == "_default":
                    parts = parts[:-1]
                name = ":".join(parts)
                task = Task(name=name, config_root=root, file=path, source=path)
                try:
                    with open(path, encoding="utf-8", errors="replace") as fh:
                        head = fh.read(4096)
                except OSError:
                    head = ""
                m = re.search(r"^#\s*(?:MISE|mise)\s+description\s*=\s*\"([^\"]*)\"", head, re.M)
                if m:
                    task.description = m.group(1)
                m = re.search(r"^#\s*(?:MISE|mise)\s+depends\s*=\s*\[([^\]]*)\]", head, re.M)
                if m:
                    task.depends = re.findall(r"\"([^\"]+)\"", m.group(1))
                out[name] = task
    return out


def load(cwd: str) -> Config:
    cfg = Config(cwd=os.path.abspath(cwd))
    cfg.files = config_files(cwd)
    roots_done: set[str] = set()
    for path in cfg.files:
        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise MiseError(f"failed to parse {path}: {exc}") from exc
        root = _config_root(path)
        cfg.vars.update(data.get("vars") or {})
        cfg.tools.update(data.get("tools") or {})
        for key, value in (data.get("env") or {}).items():
            cfg.env_entries.append((root, key, value))
        includes = _as_list((data.get("task_config") or {}).get("includes"))
        if root not in roots_done:
            cfg.tasks.update(_file_tasks(root, [str(i) for i in includes] or list(TASK_DIRS)))
            roots_done.add(root)
        for name, spec in (data.get("tasks") or {}).items():
            cfg.tasks[name] = _task_from(name, spec, root, path)
    return cfg


def config_env(cfg: Config, base: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The environment after the config's ``[env]``, and the PATH entries it prepends."""
    env = dict(base)
    paths: list[str] = []
    for root, key, value in cfg.env_entries:
        ctx = {"env": env, "vars": cfg.vars, "config_root": root, "cwd": cfg.cwd}
        if key == "_" and isinstance(value, dict):
            for p in _as_list(value.get("path")):
                p = render(str(p), ctx)
                paths.append(os.path.normpath(os.path.join(root, os.path.expanduser(p))))
            for f in _as_list(value.get("file")):
                env.update(_dotenv(os.path.join(root, render(str(f), ctx))))
            continue
        if value is False:
            env.pop(key, None)
            continue
        if isinstance(value, dict):
            value = value.get("value", "")
        env[key] = render(str(value).lower() if isinstance(value, bool) else str(value), ctx)
    if paths:
        env["PATH"] = os.pathsep.join(paths + [env.get("PATH", "")])
    return env, paths


def _dotenv(path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.removeprefix("export ").split("=", 1)
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            out[key.strip()] = value
    return out


# -- running tasks ----------------------------------------------------------------------------


class Runner:
    def __init__(self, cfg: Config, *, dry_run: bool = False, quiet: bool = False) -> None:
        self.cfg = cfg
        self.dry_run = dry_run
        self.quiet = quiet
        self.done: set[str] = set()
        self.stack: list[str] = []
        self.env, _paths = config_env(cfg, dict(os.environ))

    def resolve(self, name: str) -> list[Task]:
        tasks = self.cfg.find(name)
        if not tasks:
            if not self.cfg.tasks:
                raise MiseError(f"no tasks defined in {self.cfg.cwd}. Are you in a project directory?")
            raise MiseError(f"no task {name} found")
        return tasks

    def run_spec(self, spec: str, args: list[str] | None = None) -> int:
        name, *spec_args = spec.split()
        for task in self.resolve(name):
            code = self.run_task(task, (args if args is not None else spec_args))
            if code:
                return code
        return 0

    def run_task(self, task: Task, args: list[str]) -> int:
        if task.name in self.done:
            return 0
        if task.name in self.stack:
            raise MiseError(f"circular dependency detected: {' -> '.join(self.stack + [task.name])}")
        self.stack.append(task.name)
        try:
            for dep in task.depends:
                code = self.run_spec(dep)
                if code:
                    return code
            code = self._execute(task, list(args))
            if code:
                print(f"[{task.name}] ERROR task failed", file=sys.stderr, flush=True)
                return code
            self.done.add(task.name)
            for dep in task.depends_post:
                code = self.run_spec(dep)
                if code:
                    return code
            return 0
        finally:
            self.stack.pop()

    def _execute(self, task: Task, args: list[str]) -> int:
        env = dict(self.env)
        ctx = {"env": env, "vars": self.cfg.vars, "config_root": task.config_root, "cwd": self.cfg.cwd}
        for key, value in task.env.items():
            if value is False:
                env.pop(key, None)
            else:
                env[key] = render(str(value).lower() if isinstance(value, bool) else str(value), ctx)
        env.update(
            {
                "MISE_TASK_NAME": task.name,
                "MISE_CONFIG_ROOT": task.config_root,
                "MISE_PROJECT_ROOT": self.cfg.root,
                "MISE_ORIGINAL_CWD": self.cfg.cwd,
            }
        )
        workdir = task.config_root
        if task.dir:
            workdir = os.path.normpath(os.path.join(task.config_root, os.path.expanduser(render(str(task.dir), ctx))))
        quiet = self.quiet or task.quiet
        state = ArgState(list(args))

        if task.file:
            return self._spawn(task, [task.file, *args], workdir, env, quiet, shown=os.path.relpath(task.file, task.config_root))

        entries = task.run
        for i, entry in enumerate(entries):
            last = i == len(entries) - 1
            if isinstance(entry, dict):
                names = _as_list(entry.get("task")) + _as_list(entry.get("tasks"))
                for name in names:
                    code = self.run_spec(str(name))
                    if code:
                        return code
                continue
            script = render(str(entry), ctx, state)
            extra = state.args if last and not state.used else []
            if script.startswith("#!"):
                code = self._run_script(task, script, extra, workdir, env, quiet)
            else:
                command = script + ("" if not extra else " " + shlex.join(extra))
                shell = task.shell or DEFAULT_SHELL
                code = self._spawn(task, [*shell, command], workdir, env, quiet, shown=command)
            if code:
                return code
        return 0

    def _run_script(self, task: Task, script: str, args: list[str], workdir: str, env: dict[str, str], quiet: bool) -> int:
        fd, path = tempfile.mkstemp(prefix="mise-task-", suffix=".sh")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(script if script.endswith("\n") else script + "\n")
            os.chmod(path, stat.S_IRWXU)
            return self._spawn(task, [path, *args], workdir, env, quiet, shown=script)
        finally:
            os.unlink(path)

    def _spawn(self, task: Task, argv: list[str], workdir: str, env: dict[str, str], quiet: bool, shown: str) -> int:
        if not quiet:
            first = shown.strip().splitlines()
            text = first[0] if len(first) == 1 else (first[0] + " ..." if first else "")
            if first and first[0].startswith("#!") and len(first) > 1:
                text = next((line for line in first[1:] if line.strip() and not line.startswith("#")), first[0])
            print(f"[{task.name}] $ {text}", file=sys.stderr, flush=True)
        if self.dry_run:
            return 0
        if not os.path.isdir(workdir):
            raise MiseError(f"task {task.name}: directory does not exist: {workdir}")
        try:
            return subprocess.run(argv, cwd=workdir, env=env).returncode
        except FileNotFoundError as exc:
            print(f"[{task.name}] {exc}", file=sys.stderr)
            return 127


# -- command line -------------------------------------------------------------------------------


def split_runs(args: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for a in args:
        if a == ":::":
            groups.append([])
        else:
            groups[-1].append(a)
    return [g for g in groups if g]


def cmd_run(argv: list[str]) -> int:
    cwd = os.getcwd()
    dry_run = quiet = False
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        a = argv[i]
        if a in ("-C", "--cd") and i + 1 < len(argv):
            cwd = os.path.abspath(argv[i + 1])
            i += 2
            continue
        if a.startswith("--cd="):
            cwd = os.path.abspath(a.split("=", 1)[1])
        elif a in ("-n", "--dry-run"):
            dry_run = True
        elif a in ("-q", "--quiet", "-S", "--silent"):
            quiet = True
        elif a in ("-j", "--jobs", "-o", "--output", "-t", "--tool") and i + 1 < len(argv):
            i += 1
        elif a == "--":
            i += 1
            break
        i += 1
    rest = argv[i:]
    cfg = load(cwd)
    runner = Runner(cfg, dry_run=dry_run, quiet=quiet)
    groups = split_runs(rest) or [["default"]]
    for group in groups:
        name, *args = group
        if args[:1] == ["--"]:
            args = args[1:]
        tasks = runner.resolve(name)
        for task in tasks:
            code = runner.run_task(task, args)
            if code:
                return code
    return 0


def cmd_tasks(argv: list[str]) -> int:
    if argv[:1] in (["ls"], ["list"]):
        argv = argv[1:]
    elif argv[:1] in (["run"], ["r"]):
        return cmd_run(argv[1:])
    show_hidden = "--hidden" in argv
    cfg = load(os.getcwd())
    tasks = [t for _n, t in sorted(cfg.tasks.items()) if show_hidden or not t.hide]
    if "--json" in argv or "-J" in argv:
        print(json.dumps([{"name": t.name, "description": t.description, "aliases": t.aliases, "source": t.source} for t in tasks], indent=2))
        return 0
    width = max((len(t.name) for t in tasks), default=0)
    for t in tasks:
        print(f"{t.name:<{width}}  {t.description}".rstrip())
    return 0


def cmd_exec(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    else:
        while argv and "@" in argv[0]:
            argv = argv[1:]
    if not argv:
        raise MiseError("exec: no command given")
    cfg = load(os.getcwd())
    env, _ = config_env(cfg, dict(os.environ))
    exe = shutil.which(argv[0], path=env.get("PATH"))
    if exe is None:
        raise MiseError(f"{argv[0]}: command not found", 127)
    os.execve(exe, argv, env)
    return 0  # pragma: no cover


def cmd_env(argv: list[str]) -> int:
    cfg = load(os.getcwd())
    env, _ = config_env(cfg, dict(os.environ))
    changed = {k: v for k, v in env.items() if os.environ.get(k) != v}
    if "--json" in argv or "-J" in argv:
        print(json.dumps(changed, indent=2, sort_keys=True))
    else:
        for k, v in sorted(changed.items()):
            print(f"export {k}={shlex.quote(v)}")
    return 0


NOOPS = {"install", "i", "trust", "reshim", "use", "u", "settings", "activate", "prune", "upgrade", "up", "self-update", "plugins", "cache", "sync", "hook-env"}


def main(argv: list[str]) -> int:
    if not argv:
        print("mise (actspec stand-in): usage: mise run <task> | mise tasks", file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    try:
        if cmd in ("--version", "-V", "-v", "version"):
            print(VERSION)
            return 0
        if cmd in ("run", "r"):
            return cmd_run(rest)
        if cmd in ("tasks", "task", "t"):
            return cmd_tasks(rest)
        if cmd in ("exec", "x"):
            return cmd_exec(rest)
        if cmd == "env":
            return cmd_env(rest)
        if cmd == "which":
            path = shutil.which(rest[0]) if rest else None
            if not path:
                raise MiseError(f"{rest[0] if rest else ''} is not a mise bin")
            print(path)
            return 0
        if cmd in NOOPS:
            print(f"mise (actspec stand-in): '{cmd}' does nothing here; the runner image's tools are used", file=sys.stderr)
            return 0
        if cmd.startswith("-"):
            raise MiseError(f"unexpected argument '{cmd}' found", 2)
        # `mise <task>` runs a task when no command has that name
        cfg = load(os.getcwd())
        if cfg.find(cmd):
            return cmd_run(argv)
        raise MiseError(f"unrecognized subcommand '{cmd}'", 2)
    except MiseError as exc:
        error(str(exc))
        error("Run with --verbose or MISE_VERBOSE=1 for more information")
        return exc.code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
