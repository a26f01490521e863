"""How the features' words become values: pytest-bdd ``converters=`` for the steps.

A step sentence names things the way the document does (```build-sdk`` and ``test-go```,
``"cog" 0.17.0 and "coglet" 0.17.0``, ``is not``); the step decorator converts each
parameter with one of these, so a step body only calls one library function.
"""

from __future__ import annotations

import re

from actspec.bdd.checks import quoted
from actspec.bdd.scenario import split_names

__all__ = ["split_names", "quoted", "job_result", "affirmed", "quoted_pairs", "quoted_versions", "environment",
           "registry", "first_column", "only_jobs"]

RESULTS = {"succeeds": "success", "fails": "failure", "is skipped": "skipped", "is cancelled": "cancelled"}
REGISTRIES = {"PyPI": "pypi", "crates.io": "crates"}


def job_result(outcome: str) -> str:
    """``succeeds`` / ``fails`` / ``is skipped`` / ``is cancelled`` -> act's job result."""
    return RESULTS[outcome]


def affirmed(word: str) -> bool:
    """``is`` / ``matches`` -> True; ``is not`` / ``does not match`` -> False."""
    return " not" not in f" {word}"


def quoted_pairs(text: str) -> dict[str, str]:
    """``version "0.17.0" and prerelease "false"`` -> {"version": "0.17.0", "prerelease": "false"}."""
    return dict(re.findall(r'([\w-]+) "([^"]*)"', text))


def quoted_versions(text: str) -> dict[str, str]:
    """``"cog" 0.17.0, "coglet" 0.17.0`` -> {"cog": "0.17.0", "coglet": "0.17.0"}."""
    return dict(re.findall(r'"([^"]+)" (\S+?)(?:,| and|$)', text))


def environment(text: str) -> str | None:
    """``the environment pypi`` -> "pypi"; ``no environment`` -> None."""
    return None if text == "no environment" else text.split()[-1]


def registry(name: str) -> str:
    """``PyPI`` / ``crates.io`` -> the kit's service name (``pypi`` / ``crates``)."""
    return REGISTRIES[name]


def first_column(datatable: list[list[str]]) -> list[str]:
    """The non-empty cells of a data table's first column, below its heading."""
    return [row[0].strip() for row in datatable[1:] if row and row[0].strip()]



def only_jobs(text: str) -> list[str]:
    """```only `a` and `b```` -> ["a", "b"]; ``no job`` -> []."""
    return [] if text == "no job" else split_names(text)
