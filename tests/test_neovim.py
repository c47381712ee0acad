"""A real editor: headless Neovim, configured with the README's snippet, shows what
`uelint check --format json` reports on the same file, and applies a code action."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EDITORS = Path(__file__).parent / "editors"
README = Path(__file__).parents[1] / "README.md"
BIN = Path(sys.executable).parent  # where `uelint` is installed beside this interpreter
NVIM = shutil.which("nvim")
SEVERITY = {"error": 1, "warning": 2, "note": 3}  # vim.diagnostic.severity

pytestmark = pytest.mark.skipif(
    NVIM is None, reason="nvim is not installed (CI installs Debian's neovim in .ci/run)")


def _snippet() -> str:
    """The README's Neovim configuration, as a user would paste it into init.lua."""
    section = README.read_text(encoding="utf-8").split("### Neovim", 1)[1]
    found = re.search(r"```lua\n(.*?)```", section, re.DOTALL)
    assert found is not None, "the README's Neovim section has no lua block"
    return found.group(1)


def _neovim(workdir: Path, file: str, action: str, line: int) -> dict[str, Any]:
    (workdir / "init.lua").write_text(_snippet())
    out = workdir / "nvim-out.json"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "UELINT_NVIM_OUT": str(out), "UELINT_NVIM_ACTION": action,
           "UELINT_NVIM_ACTION_LINE": str(line),
           **{name: str(workdir / name.lower()) for name in (
               "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")}}
    assert NVIM is not None
    done = subprocess.run(
        [NVIM, "--headless", "-u", "init.lua", "-i", "NONE", "--noplugin", file,
         "-c", f"luafile {EDITORS / 'nvim_driver.lua'}"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert out.exists(), f"nvim wrote nothing (exit {done.returncode}): {done.stderr}"
    result: dict[str, Any] = json.loads(out.read_text())
    assert not result.get("error"), result["error"]
    return result


def _cli(workdir: Path, file: str) -> list[dict[str, Any]]:
    done = subprocess.run([str(BIN / "uelint"), "check", "--no-cache", "--format", "json", file],
                          cwd=workdir, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    findings: list[dict[str, Any]] = json.loads(done.stdout)["findings"]
    return findings


def _as_neovim_shows(finding: dict[str, Any], lines: list[str]) -> dict[str, Any]:
    """A JSON finding (1-based lines, UTF-16 columns) as vim.diagnostic holds it (0-based
    lines, byte columns)."""
    def byte_col(line: int, utf16: int) -> int:
        text, units, index = lines[line - 1], 0, 0
        while units < utf16 - 1:
            units += len(text[index].encode("utf-16-le")) // 2
            index += 1
        return len(text[:index].encode())

    return {"code": finding["rule"], "source": "uelint", "message": finding["message"],
            "severity": SEVERITY[finding["level"]],
            "lnum": finding["line"] - 1, "col": byte_col(finding["line"], finding["column"]),
            "end_lnum": finding["end_line"] - 1,
            "end_col": byte_col(finding["end_line"], finding["end_column"])}


def _ordered(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(found, key=lambda d: (d["lnum"], d["col"], d["code"]))


def test_neovim_shows_what_the_cli_reports_and_applies_a_suppression(tmp_path: Path) -> None:
    shutil.copy(EDITORS / "checkout.js", tmp_path)
    lines = (tmp_path / "checkout.js").read_text(encoding="utf-8").split("\n")
    expected = _cli(tmp_path, "checkout.js")
    assert {f["rule"] for f in expected} == {"UE001", "UE003", "UE004"}
    assert any(not line.isascii() for line in lines)  # columns: UTF-16 in LSP, bytes in nvim

    shown = _neovim(tmp_path, "checkout.js", "Suppress UE001 on this line", 1)
    assert _ordered(shown["before"]) == _ordered([_as_neovim_shows(f, lines) for f in expected])

    edited = shown["lines"]
    assert edited[1].endswith("}); // uelint-disable-line UE001 -- reason")
    (tmp_path / "checkout.js").write_text("\n".join(edited) + "\n", encoding="utf-8")
    again = _cli(tmp_path, "checkout.js")
    assert "UE001" not in {f["rule"] for f in again}
    assert _ordered(shown["after"]) == _ordered([_as_neovim_shows(f, edited) for f in again])
