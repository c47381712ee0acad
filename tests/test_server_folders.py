"""The server's folder: its cache keeps what it served in memory (linter/server/folders.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from uelint.analysis import Analysis
from uelint.diagnostic import FileError
from uelint.server.folders import Memo


def _analysis(n: int) -> Analysis:
    return Analysis(errors=(FileError(f"f{n}.js", "syntax", "m"),), parsed=True)


def test_an_entry_served_once_is_served_from_memory(tmp_path: Path) -> None:
    Memo(tmp_path / "c", "digest").put("k" * 40, _analysis(1))
    memo = Memo(tmp_path / "c", "digest")  # a new server: the entry is on disk only
    found = memo.get("k" * 40)
    assert found == _analysis(1)
    shutil.rmtree(tmp_path / "c")
    assert memo.get("k" * 40) is found  # not read again


def test_the_least_recently_used_go_first(tmp_path: Path) -> None:
    memo = Memo(tmp_path / "c", "digest")
    memo.SIZE = 2
    for n in range(3):
        memo.put(f"{n:040d}", _analysis(n))
    shutil.rmtree(tmp_path / "c")
    assert memo.get(f"{0:040d}") is None  # evicted, and gone from disk
    assert memo.get(f"{2:040d}") == _analysis(2)
