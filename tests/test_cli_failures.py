"""When something outside uelint fails (a full disk, a vanished directory) or uelint itself
does (a bug), the run says so and exits 2, never 1 (which means "problems found"), and what
can still be written is written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import write

SAMPLE = {"a.js": 'userengage("client.update", { user_id: 1 });\n'}


def run(
    *args: str, cwd: Path, stdout: object = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "uelint", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, check=False, timeout=60)


def test_standard_output_on_a_full_disk(tmp_path: Path) -> None:
    write(tmp_path, SAMPLE)
    with open("/dev/full", "w") as full:
        done = run("check", ".", cwd=tmp_path, stdout=full)
    assert done.returncode == 2
    assert "cannot write the text report to standard output: No space left" in done.stderr


def test_one_report_that_cannot_be_written_does_not_cost_the_others(tmp_path: Path) -> None:
    write(tmp_path, SAMPLE)
    done = run("check", ".", "--output-format", "json=/dev/full",
               "--output-format", f"sarif={tmp_path / 'out.sarif'}", cwd=tmp_path)
    assert done.returncode == 2 and "cannot write the json report to /dev/full" in done.stderr
    assert '"ruleId": "UE001"' in (tmp_path / "out.sarif").read_text()
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written into, never replaced


def test_a_report_through_a_symbolic_link_goes_to_its_target(tmp_path: Path) -> None:
    write(tmp_path, SAMPLE)
    (tmp_path / "reports").mkdir()
    (tmp_path / "latest.json").symlink_to(tmp_path / "reports" / "report.json")
    result = run("check", "a.js", "--format", "json", "-o", "latest.json", cwd=tmp_path)
    assert result.returncode == 1
    assert (tmp_path / "latest.json").is_symlink()
    assert '"UE001"' in (tmp_path / "reports" / "report.json").read_text()


def test_a_working_directory_that_was_removed(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.rmdir(os.getcwd()); sys.argv[1:] = "
         "['check', '.']; from uelint.cli import main; sys.exit(main())"],
        cwd=gone, capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "the current directory does not exist any more" in done.stderr


def test_a_bug_exits_2_with_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from uelint import cli, engine

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    write(tmp_path, SAMPLE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(engine, "run", broken)
    assert cli.main(["check", "--no-cache", "."]) == 2
    err = capsys.readouterr().err
    assert "ZeroDivisionError: a bug" in err and "internal error" in err
