"""`python -m uelint` in a scanned repository must not import the repository's modules in
place of its own or the standard library's (issue #18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_hostile_files import CONTROL, UELINT

# Modules uelint imports after start-up (tomllib and difflib to read a configuration,
# pathspec for a .gitignore; pluggy, which importing the package itself once pulled in,
# before __main__ could take the directory off sys.path), and names a repository may have.
SHADOWS = ("rules.py", "tomllib.py", "difflib.py", "pathspec.py", "cli.py", "config.py",
           "pluggy.py", "linter/__init__.py", "rules/__init__.py")


def hostile(tmp_path: Path) -> Path:
    for name in SHADOWS:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        marker = tmp_path / ("MARK-" + name.replace("/", "-"))
        (tmp_path / name).write_text(f"open({str(marker)!r}, 'w')\n")
    (tmp_path / "uelint.toml").write_text("ignore = []\n")
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "ok.js").write_text(CONTROL)
    return tmp_path


@pytest.mark.parametrize("pythonpath", [None, "", ":", ".", ".:"])
def test_python_m_uelint_imports_nothing_from_the_working_directory(
    tmp_path: Path, pythonpath: str | None
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run([sys.executable, "-m", "uelint", "check", "--no-cache", "."],
                          cwd=hostile(tmp_path), env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert not list(tmp_path.glob("MARK-*")), done.stderr
    assert done.returncode == 1 and "ok.js:1:31: UE001" in done.stdout, done.stderr


def test_the_console_script_neither(tmp_path: Path) -> None:
    package = tmp_path / "uelint"
    package.mkdir()
    (package / "__init__.py").write_text(f"open({str(tmp_path / 'MARK-uelint')!r}, 'w')\n")
    done = subprocess.run([UELINT, "check", "--no-cache", "."], cwd=hostile(tmp_path),
                          capture_output=True, text=True, timeout=60, check=False)
    assert not list(tmp_path.glob("MARK-*")), done.stderr
    assert done.returncode == 1 and "ok.js:1:31: UE001" in done.stdout, done.stderr
