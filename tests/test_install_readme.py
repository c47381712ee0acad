"""The README's "Installing" commands, as printed (the placeholder URL pointed at a clone):
`pip install` from git, with and without the language server, and the wheel route, and
`pipx install` of both (pipx installed from PyPI where the machine has none).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.readme_snippets import PLACEHOLDER, README, clone, fresh_venv, tool_env

_SECTION = re.compile(r"^## Installing\n(.*?)^## ", re.M | re.S)
_SH = re.compile(r"^```sh\n(.*?)^```$", re.M | re.S)


def commands() -> list[str]:
    """Each command of the section's sh blocks, comments dropped."""
    section = _SECTION.search(README.read_text())
    assert section, "README has no Installing section"
    lines = [line.split("  #", 1)[0].strip() for block in _SH.findall(section.group(1))
             for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_the_section_has_the_install_routes() -> None:
    found = commands()
    assert any(c.startswith("pip install 'uelint @ git+") for c in found)
    assert any(c.startswith("pip install 'uelint[lsp] @ git+") for c in found)
    assert any(c.startswith("pip wheel") for c in found)
    assert any(c.startswith("pipx install") for c in found)


def test_every_command_works_as_printed(tmp_path: Path) -> None:
    url = f"git+file://{clone(tmp_path / 'uelint')}"
    work = tmp_path / "uelint"  # the wheel is built in a clone, as the README says
    for command in commands():
        program = shlex.split(command)[0]
        bin_dir = fresh_venv(tmp_path / f"env{len(list(tmp_path.iterdir()))}")
        pipx_bin = tmp_path / "pipx-bin"
        env = tool_env(bin_dir, PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(pipx_bin))
        if program == "pipx" and shutil.which("pipx", path=env["PATH"]) is None:
            subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "pipx"],
                           check=True, capture_output=True, env=env)
        line = command.replace(f"git+{PLACEHOLDER}", url)
        done = subprocess.run(["bash", "-e", "-c", line], cwd=work, env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        if program == "pipx":
            version = subprocess.run([str(pipx_bin / "uelint"), "--version"], env=env,
                                     capture_output=True, text=True)
            assert version.stdout.startswith("uelint "), version
            shutil.rmtree(tmp_path / "pipx")  # the next pipx command installs it afresh
            shutil.rmtree(pipx_bin)
        if program == "pip" and "install" in line:
            version = subprocess.run([str(bin_dir / "uelint"), "--version"], env=env,
                                     capture_output=True, text=True)
            assert version.stdout.startswith("uelint "), version
            if "[lsp]" in line:
                server = subprocess.run([str(bin_dir / "python"), "-c", "import pygls"], env=env)
                assert server.returncode == 0


@pytest.fixture(autouse=True)
def _git_available() -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
