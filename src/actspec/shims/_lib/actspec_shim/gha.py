"""The GitHub Actions runner protocol, as seen from inside a step.

Inputs arrive as environment variables.  A JavaScript action gets ``INPUT_<NAME>`` from the
runner (upper case, hyphens kept: ``INPUT_SAVE-IF``); a composite shim passes them itself in
its step's ``env:`` and, since a hyphen is awkward there, spells them with underscores
(``INPUT_SAVE_IF``).  :func:`get_input` accepts both.

Outputs, environment, PATH and state go to the files the runner names in ``GITHUB_OUTPUT``,
``GITHUB_ENV``, ``GITHUB_PATH`` and ``GITHUB_STATE``; messages are workflow commands on
stdout (``::error::`` ...), escaped the way ``@actions/core`` escapes them.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

TRUE_VALUES = ("true", "True", "TRUE")
FALSE_VALUES = ("false", "False", "FALSE")


class InputError(Exception):
    """An input has a value the real action would reject (message is the real one)."""


def _env_names(name: str) -> list[str]:
    upper = name.strip().upper().replace(" ", "_")
    names = [f"INPUT_{upper}"]
    if "-" in upper:
        names.append(f"INPUT_{upper.replace('-', '_')}")
    return names


def get_input(name: str, default: str = "", *, required: bool = False) -> str:
    """Trimmed value of input ``name`` (``default`` when unset or empty)."""
    for env in _env_names(name):
        value = os.environ.get(env)
        if value is not None and value.strip() != "":
            return value.strip()
    if required and not default:
        raise InputError(f"Input required and not supplied: {name}")
    return default


def get_bool_input(name: str, default: bool = False) -> bool:
    """YAML 1.2 core-schema boolean, like ``core.getBooleanInput`` (which rejects anything else)."""
    raw = get_input(name)
    if raw == "":
        return default
    if raw in TRUE_VALUES:
        return True
    if raw in FALSE_VALUES:
        return False
    raise InputError(
        f"Input does not meet YAML 1.2 \"Core Schema\" specification: {name}\n"
        "Support boolean input list: `true | True | TRUE | false | False | FALSE`"
    )


def get_multiline_input(name: str) -> list[str]:
    """Non-empty, trimmed lines of input ``name``."""
    return [line.strip() for line in get_input(name).splitlines() if line.strip()]


# -- files the runner reads after the step ----------------------------------------------


def _append_kv(env_var: str, key: str, value: str) -> None:
    path = os.environ.get(env_var)
    if not path:
        # Old-style command fallback, still understood by act and the runner.
        command = {"GITHUB_OUTPUT": "set-output", "GITHUB_STATE": "save-state"}.get(env_var)
        if command:
            print(f"::{command} name={key}::{escape_data(value)}", flush=True)
            return
        raise RuntimeError(f"{env_var} is not set: not running as a GitHub Actions step")
    value = str(value)
    with open(path, "a", encoding="utf-8") as fh:
        if "\n" in value or "\r" in value:
            # A random delimiter as @actions/core's (a UUID there); os.urandom, because
            # importing uuid costs every shim start about a fifth of its library import.
            delim = f"ghadelimiter_{os.urandom(16).hex()}"
            fh.write(f"{key}<<{delim}\n{value}\n{delim}\n")
        else:
            fh.write(f"{key}={value}\n")


def set_output(name: str, value: object) -> None:
    _append_kv("GITHUB_OUTPUT", name, _text(value))


def export_variable(name: str, value: object) -> None:
    """Set ``name`` for this process and for the job's later steps (``$GITHUB_ENV``)."""
    os.environ[name] = _text(value)
    _append_kv("GITHUB_ENV", name, _text(value))


def add_path(directory: str) -> None:
    """Prepend ``directory`` to PATH for the job's later steps (``$GITHUB_PATH``)."""
    path = os.environ.get("GITHUB_PATH")
    if not path:
        raise RuntimeError("GITHUB_PATH is not set: not running as a GitHub Actions step")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(directory + "\n")
    os.environ["PATH"] = directory + os.pathsep + os.environ.get("PATH", "")


def save_state(name: str, value: object) -> None:
    """State for the same action's post step (read there with :func:`get_state`)."""
    _append_kv("GITHUB_STATE", name, _text(value))


def get_state(name: str, default: str = "") -> str:
    return os.environ.get(f"STATE_{name}", default)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# -- workflow commands ------------------------------------------------------------------------


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def info(message: str) -> None:
    print(message, flush=True)


def debug(message: str) -> None:
    print(f"::debug::{escape_data(message)}", flush=True)


def notice(message: str) -> None:
    print(f"::notice::{escape_data(message)}", flush=True)


def warning(message: str) -> None:
    print(f"::warning::{escape_data(message)}", flush=True)


def error(message: str) -> None:
    print(f"::error::{escape_data(message)}", flush=True)


def set_failed(message: str) -> None:
    """Report ``message`` as an error annotation; the caller still decides the exit code."""
    error(message)


def fail(message: str, code: int = 1) -> NoReturn:
    """``core.setFailed(message)`` followed by the step's end with exit code ``code``."""
    set_failed(message)
    sys.stdout.flush()
    sys.exit(code)


def group(title: str) -> None:
    print(f"::group::{title}", flush=True)


def endgroup() -> None:
    print("::endgroup::", flush=True)


def workspace() -> str:
    return os.environ.get("GITHUB_WORKSPACE") or os.getcwd()


def temp_dir() -> str:
    path = os.environ.get("RUNNER_TEMP") or "/tmp"
    os.makedirs(path, exist_ok=True)
    return path


def main(fn) -> None:  # type: ignore[no-untyped-def]
    """Run a shim's ``fn()``; an :class:`InputError` (or a stray exception) fails the step."""
    try:
        code = fn()
    except InputError as exc:
        fail(str(exc))
    except SystemExit:
        raise
    except Exception as exc:  # the step must fail loudly, with the reason in the log
        fail(f"{type(exc).__name__}: {exc}")
    sys.exit(code or 0)
