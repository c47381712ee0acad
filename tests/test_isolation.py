"""Native code that crashes on hostile input costs one file, never the run."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import uelint, write
from uelint import parallel

CONTROL = 'userengage("client.update", { user_id: 1 });\n'
# libcst's parser overflows its native stack on this (SIGSEGV), killing the process it runs in.
CRASHING = 'from js import window\nwindow.userengage("event.x")\nx = ' + "not " * 50_000 + "y\n"


def test_a_file_that_crashes_the_python_parser_costs_only_itself(tmp_path: Path) -> None:
    write(tmp_path, {"a.js": CONTROL, "crash.py": CRASHING,
                     "b.py": 'from js import window\nwindow.userengage("client.update", '
                             '{"user_id": 1})\n'})
    done = uelint("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    assert {(f["path"], f["rule"]) for f in report["findings"]} == {("a.js", "UE001"),
                                                                    ("b.py", "UE001")}
    (error,) = report["errors"]
    assert error["path"] == "crash.py" and "crashed (SIGSEGV)" in error["message"]


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
