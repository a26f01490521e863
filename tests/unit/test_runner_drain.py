"""act's output is drained to the end even when the reader of it fails.

act blocks on a full pipe: a pump that stopped reading when the reader raised (a progress
line written to a terminal that had gone) left act and its job containers hanging.
"""

from __future__ import annotations

from pathlib import Path

from actspec.engine.runner import drain


def test_every_line_reaches_the_log_after_the_reader_fails(tmp_path: Path) -> None:
    log = tmp_path / "act.log"
    fed: list[str] = []

    def feed(line: str, when: float) -> None:
        fed.append(line)
        if len(fed) == 2:
            raise BrokenPipeError("the terminal is gone")

    lines = [f"line {i} secret\n" for i in range(5000)]
    error = drain(iter(lines), log, lambda s: s.replace("secret", "***"), feed)
    assert isinstance(error, BrokenPipeError)
    assert len(fed) == 2  # the reader is not asked again
    written = log.read_text().splitlines()
    assert len(written) == 5000 and written[-1] == "line 4999 ***"


def test_a_reader_that_keeps_up_gets_every_line_and_no_error(tmp_path: Path) -> None:
    fed: list[str] = []
    assert drain(iter(["a\n", "b\n"]), tmp_path / "log", str, lambda line, when: fed.append(line)) is None
    assert fed == ["a\n", "b\n"]
