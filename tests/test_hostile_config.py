"""Configuration and baseline files a scanned repository holds, or a stranger left above
it, must give a clear error or no effect, never a traceback (issue #18)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_hostile_files import CONTROL, UELINT
from uelint import baseline, config

DEEP = 2_000  # deeper than Python recurses by default


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([UELINT, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.mark.parametrize("name, text", [
    ("uelint.toml", "x = " + "[" * DEEP + "]" * DEEP + "\n"),
    ("pyproject.toml",
     "[tool.uelint]\nrules = { UE001 = { x = " + "[" * DEEP + "]" * DEEP + " } }\n"),
    (".uelint.toml", "a = " + "{ b = " * DEEP + "1" + " }" * DEEP + "\n"),
])
def test_deeply_nested_toml_is_a_config_error(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "ok.js").write_text(CONTROL)
    with pytest.raises(config.ConfigError, match=f"{name}: .*nested too deeply"):
        config.load(config.find(tmp_path), ["UE001"])
    done = run(tmp_path, "check", "--no-cache", ".")
    assert done.returncode == 2 and "nested too deeply" in done.stderr


def test_a_malformed_pyproject_is_an_error_naming_file_line_and_what(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.uelint]\nselect = [UE001]\n')
    (tmp_path / "ok.js").write_text(CONTROL)
    done = run(tmp_path, "check", "--no-cache", ".")
    assert done.returncode == 2
    assert "pyproject.toml: not valid TOML" in done.stderr and "line 5" in done.stderr
    unrelated = tmp_path / "other"
    unrelated.mkdir()
    (unrelated / "pyproject.toml").write_text("[project\n")  # not ours: no effect
    assert config.find(unrelated) is None


@pytest.mark.parametrize("document", [
    "[" * 100_000 + "]" * 100_000,
    json.dumps({"version": 1, "tool": "uelint", "findings": None}),
    json.dumps({"version": 1, "tool": "uelint", "findings": 7}),
    json.dumps({"version": 1, "tool": "uelint", "findings": {"rule": "UE001"}}),
    json.dumps({"version": 1, "tool": "uelint", "findings": [7, None]}),
])
def test_a_broken_baseline_is_a_baseline_error(tmp_path: Path, document: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(document)
    with pytest.raises(baseline.BaselineError, match="baseline.json: "):
        baseline.read(path)
    (tmp_path / "ok.js").write_text(CONTROL)
    done = run(tmp_path, "check", "--no-cache", "--baseline", "baseline.json", ".")
    assert done.returncode == 2 and "baseline.json: " in done.stderr


def test_a_configuration_above_the_project_is_not_applied(tmp_path: Path) -> None:
    (tmp_path / ".uelint.toml").write_text('ignore = ["UE"]\n')  # a stranger's, in a shared place
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "src").mkdir()
    (project / "src" / "ok.js").write_text(CONTROL)
    done = run(project / "src", "check", "--no-cache", ".")
    assert done.returncode == 1 and "UE001" in done.stdout
    found = config.governing(project / "src")
    assert found.path is None and str(project) in found.describe()
    # A project's own configuration still governs, from any directory in it.
    (project / "uelint.toml").write_text('ignore = ["UE001"]\n')
    assert config.governing(project / "src").path == project / "uelint.toml"
    assert run(project / "src", "check", "--no-cache", ".").returncode == 0


def test_outside_git_a_pyproject_marks_the_top(tmp_path: Path) -> None:
    (tmp_path / ".uelint.toml").write_text('ignore = ["UE"]\n')
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "p"\n')
    assert config.find(project) is None


def test_never_from_the_temp_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    (tmp_path / ".uelint.toml").write_text('ignore = ["UE"]\n')
    (tmp_path / "checkout").mkdir()
    assert config.find(tmp_path / "checkout") is None


def test_python_m_uelint_config_shows_where_from(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    done = subprocess.run([sys.executable, "-m", "uelint", "config", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "defaults" in done.stdout


@pytest.mark.parametrize(("name", "prefix"), [("pyproject.toml", "[tool.uelint]\n"),
                                               (".uelint.toml", "")])
@pytest.mark.parametrize(("body", "key", "what"), [
    ('[{t}rules.UE003]\ntiers = {{ geo = "off" }}\n', "rules.UE003.tiers", "unknown tier 'geo'"),
    ('[{t}rules.UE002]\nwords = ["x"]\n', "rules.UE002", "UE002: unknown option(s) words"),
    ('[{t}per-file-ignores]\n"tests/**" = ["UE0O1"]\n', 'per-file-ignores."tests/**"',
     "unknown rule code 'UE0O1'; did you mean UE001?"),
    ('[{t}severity]\nUE001 = "fatal"\n', "severity.UE001", "must be one of"),
])
def test_configuration_errors_name_the_key_path_as_written(
    tmp_path: Path, name: str, prefix: str, body: str, key: str, what: str
) -> None:
    table = "tool.uelint." if prefix else ""
    (tmp_path / name).write_text(prefix + body.format(t=table))
    (tmp_path / "ok.js").write_text(CONTROL)
    done = run(tmp_path, "check", "--no-cache", ".")
    assert done.returncode == 2, done.stderr
    assert f"{tmp_path / name}: `{table}{key}`: {what}" in done.stderr


def test_a_pyproject_that_configures_uelint_but_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.uelint]\n# caf\xe9\nignore = ["UE001"]\n')
    (tmp_path / "ok.js").write_text(CONTROL)
    done = run(tmp_path, "check", "--no-cache", ".")
    assert done.returncode == 2 and "pyproject.toml: not valid TOML" in done.stderr
    assert "not UTF-8 (byte 0xe9 at line 2)" in done.stderr
