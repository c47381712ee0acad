"""action.yml's shell step, run as the runner runs a composite step (bash -eo pipefail), with
the inputs' defaults and uelint from this environment standing in for the one it installs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.readme_snippets import ROOT, load

ACTION: dict[str, Any] = load((ROOT / "action.yml").read_text())


def _step(step_id: str) -> dict[str, Any]:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("id") == step_id]
    return step


def _env(step: dict[str, Any], inputs: dict[str, str]) -> dict[str, str]:
    """The step's env with `${{ inputs.x }}` replaced as the runner would."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    return {key: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], value)
            for key, value in step.get("env", {}).items()}


@pytest.mark.parametrize("annotations", ["true", "false"])
def test_the_check_step_writes_sarif_and_its_outputs(tmp_path: Path, annotations: str) -> None:
    runner = tmp_path / "runner"
    (runner / "uelint-venv" / "bin").mkdir(parents=True)
    (runner / "uelint-venv" / "bin" / "uelint").symlink_to(Path(sys.executable).with_name("uelint"))
    work = tmp_path / "work"
    shutil.copytree(ROOT / "examples", work)
    output = tmp_path / "github_output"
    step = _step("check")
    env = {"PATH": "/usr/bin:/bin", "RUNNER_TEMP": str(runner), "GITHUB_OUTPUT": str(output),
           **_env(step, {"annotations": annotations, "args": "--no-cache"})}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=work, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr  # the exit code is an output
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["exit-code"] == "1"
    assert Path(outputs["sarif-file"]) == (work / "uelint.sarif").resolve()
    assert '"id": "uelint/"' in (work / "uelint.sarif").read_text()
    assert ("::error title=UE001" in done.stdout) is (annotations == "true")
    result = _step_named("Result")
    failed = subprocess.run(["bash", "-c", result["run"]], env={"CODE": outputs["exit-code"]},
                            check=False)
    assert failed.returncode == 1


def _step_named(name: str) -> dict[str, Any]:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("name") == name]
    return step
