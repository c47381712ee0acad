"""Native code that crashes on hostile input costs one file, never the run."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from tests.test_cli import write
from uelint import cli, parallel
from uelint.adapters import python as python_adapter

CONTROL = 'userengage("client.update", { user_id: 1 });\n'
CRASHING = 'from js import window\nwindow.userengage("event.x")\nx = crash\n'


def _crash_the_python_parser_on(word: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process that parses a Python file holding `word` dies of SIGSEGV."""
    extract = python_adapter.extract

    def crashing(source, path, language, linker=None):  # type: ignore[no-untyped-def]
        if word in source.data:
            os.kill(os.getpid(), signal.SIGSEGV)
        return extract(source, path, language, linker)

    monkeypatch.setattr(python_adapter, "extract", crashing)


def test_a_file_that_crashes_the_python_parser_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As libcst's native parser did on `not` x 50,000 (now refused before parsing): the
    process parsing the file dies of a signal."""
    _crash_the_python_parser_on(b"crash", monkeypatch)
    write(tmp_path, {"a.js": CONTROL, "crash.py": CRASHING,
                     "b.py": 'from js import window\nwindow.userengage("client.update", '
                             '{"user_id": 1})\n'})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-cache", "--jobs", "1", "--format", "json", "."]) == 2
    report = json.loads(capsys.readouterr().out)
    assert {(f["path"], f["rule"]) for f in report["findings"]} == {("a.js", "UE001"),
                                                                    ("b.py", "UE001")}
    (error,) = report["errors"]
    assert error["path"] == "crash.py" and "crashed (SIGSEGV" in error["message"]


def test_a_worker_that_crashes_costs_only_the_file_that_crashed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a pool, Python files are analysed in the worker itself: when one crashes it, the
    files of its chunk are checked again in this process, each isolated."""
    from uelint import schedule

    _crash_the_python_parser_on(b"crash", monkeypatch)
    monkeypatch.setattr(schedule, "_SCREEN_IN_POOL_BYTES", 0)  # workers from the first file
    files = {f"ok{i}.py": 'from js import window\nwindow.userengage("client.update", '
                         '{"user_id": 1})\n' for i in range(6)}
    write(tmp_path, {**files, "crash.py": CRASHING, "a.js": CONTROL})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-cache", "--jobs", "2", "--format", "json", "."]) == 2
    report = json.loads(capsys.readouterr().out)
    assert sorted(f["path"] for f in report["findings"]) == sorted([*files, "a.js"])
    assert [e["path"] for e in report["errors"]] == ["crash.py"]


def test_isolated_work_is_bounded_in_time_and_memory() -> None:
    def spin() -> None:
        while True:
            pass

    def hog() -> bytes:
        return b"x" * (2 << 30)

    assert parallel.isolated(lambda: 6 * 7, seconds=5, memory=1 << 30) == 42
    assert parallel.isolated(spin, seconds=1, memory=1 << 30) == parallel.Died(
        "took longer than 1 s")
    assert parallel.isolated(hog, seconds=5, memory=1 << 30) == parallel.Died(
        "ran out of memory (more than 1024 MB)")
