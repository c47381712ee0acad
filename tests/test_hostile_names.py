"""File names are the scanned repository's too: one that is not UTF-8, or holds a newline
or a terminal escape, must be reported (losslessly escaped) in every format, and must not
forge a finding in the text report (issue #18)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.test_hostile_files import CONTROL, UELINT
from uelint import fingerprints
from uelint.reporters import shown_path

BAD = b"bad\xff\\x.js"  # an undecodable byte, and a backslash that must not read as its escape
FORGED = "evil.js\nforged.js:1:1: UE001 forged finding \x1b[2K.js"
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "statistics")


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "ok.js").write_text(CONTROL)
    (tmp_path / os.fsdecode(BAD)).write_text(CONTROL)
    (tmp_path / FORGED).write_text(CONTROL)
    return tmp_path


def test_shown_path_is_lossless() -> None:
    assert shown_path(os.fsdecode(BAD)) == r"bad\xff\\x.js"
    assert shown_path("a\nb\x1b[2K") == r"a\x0ab\x1b[2K"
    assert shown_path("plain/é/漢.js") == "plain/é/漢.js"
    assert fingerprints.stable_fingerprint("UE001", os.fsdecode(BAD), "x", 0) != (
        fingerprints.stable_fingerprint("UE001", os.fsdecode(b"bad\xfe\\x.js"), "x", 0))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reports_such_names(project: Path, fmt: str) -> None:
    done = subprocess.run([UELINT, "check", "--no-cache", "--format", fmt, "."], cwd=project,
                          capture_output=True, timeout=60, check=False)
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")  # valid UTF-8, whatever the names
    assert "\x1b" not in out
    if fmt != "statistics":
        assert "ok.js" in out
        assert any(shown in out for shown in (r"bad\xff", r"bad\\xff", "bad%FF"))  # JSON: \\
    if fmt == "json":
        paths = {f["path"] for f in json.loads(out)["findings"]}
        assert paths == {"ok.js", r"bad\xff\\x.js", shown_path(FORGED)}
    if fmt == "text":
        starts = [line.split(":")[0] for line in out.splitlines() if ": UE001 " in line]
        assert sorted(starts) == sorted(["ok.js", r"bad\xff\\x.js", r"evil.js\x0aforged.js"])


def test_such_names_with_the_cache_cold_and_warm(project: Path) -> None:
    """The cache keys and the stat index hold the names too (a cache key crashed on one)."""
    runs = [subprocess.run([UELINT, "check", "--format", "json", "."], cwd=project,
                           capture_output=True, timeout=60, check=False) for _ in range(3)]
    assert all(b"Traceback" not in run.stderr and run.returncode == 1 for run in runs), (
        runs[0].stderr.decode(errors="replace"))
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert r"bad\\xff" in runs[2].stdout.decode()
