"""SARIF paths GitHub can map: relative to the repository's top, whatever directory ran uelint.

A monorepo's job runs with `working-directory: services/web`, where that part's own
`.uelint.toml` makes it the project root; GitHub still resolves `artifactLocation.uri` from
the repository's top, so the URIs must carry the `services/web/` prefix.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

VIOLATION = 'userengage("client.update", { user_id: 1 });\n'


def _sarif(cwd: Path, out: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "uelint", "check", "--no-cache", "--output-format",
         f"sarif={out}"], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    log: dict[str, Any] = json.loads(out.read_text())
    return log


def _locations(log: dict[str, Any]) -> list[dict[str, str]]:
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]
            for r in log["runs"][0]["results"]]


def _monorepo(top: Path) -> Path:
    part = top / "services" / "web"
    (part / "src").mkdir(parents=True)
    (part / ".uelint.toml").write_text("fail-on = \"error\"\n")
    (part / "src" / "a.js").write_text(VIOLATION)
    return part


def test_a_working_directory_in_a_git_repository_keeps_the_path_from_its_top(
        tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    part = _monorepo(top)
    log = _sarif(part, tmp_path / "out.sarif")
    run = log["runs"][0]
    assert _locations(log) == [{"uri": "services/web/src/a.js", "uriBaseId": "%SRCROOT%"}]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == top.resolve().as_uri() + "/"
    assert run["invocations"][0]["workingDirectory"]["uri"] == part.resolve().as_uri() + "/"


def test_outside_git_the_project_root_is_the_base(tmp_path: Path) -> None:
    part = _monorepo(tmp_path / "plain")
    log = _sarif(part, tmp_path / "out.sarif")
    assert _locations(log) == [{"uri": "src/a.js", "uriBaseId": "%SRCROOT%"}]
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (
        part.resolve().as_uri() + "/")
