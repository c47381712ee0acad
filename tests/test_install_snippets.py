"""The README's CI snippets: valid against their schemas, and their shell steps run.

The schemas are the ones editors and `check-jsonschema` validate these files with
(tests/schemas/README.md). The shell steps run in a new virtual environment with the
placeholder URL pointed at a clone of this repository, in a git work tree holding the
examples, exactly as the CI service would run them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import validators

from tests.readme_snippets import (
    PLACEHOLDER,
    ROOT,
    clone,
    fresh_venv,
    git_repo,
    load,
    snippets,
    tool_env,
)

SCHEMAS = ROOT / "tests" / "schemas"
WORKFLOW = ".github/workflows/uelint.yml"


def _errors(document: Any, schema_file: str) -> list[str]:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    validator = validators.validator_for(schema)(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job["steps"]
            if "uses" in step]


def test_every_snippet_kind_is_in_the_readme() -> None:
    assert len(snippets(WORKFLOW)) == 2  # the plain job and the Action
    assert len(snippets(".gitlab-ci.yml")) == 1
    assert len(snippets(".pre-commit-config.yaml")) == 1


@pytest.mark.parametrize("text", snippets(WORKFLOW))
def test_github_snippets_are_valid_workflows_on_current_actions(text: str) -> None:
    workflow = load(text)
    assert _errors(workflow, "github-workflow.json") == []
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"security-events": "write", "contents": "read",
                                  "actions": "read"}
    for uses in _uses(workflow):
        name, _, version = uses.partition("@")
        current = {"actions/checkout": "v7", "actions/setup-python": "v7",
                   "github/codeql-action/upload-sarif": "v4"}
        if name in current:
            assert version == current[name], uses
    # No install that cannot work: uelint is not on a package index.
    assert "pip install uelint" not in text


def test_the_repository_workflow_and_action_are_valid() -> None:
    assert _errors(load((ROOT / WORKFLOW).read_text()), "github-workflow.json") == []
    action = load((ROOT / "action.yml").read_text())
    assert _errors(action, "github-action.json") == []
    assert set(action["inputs"]) >= {"paths", "args", "sarif-file", "category", "upload",
                                     "annotations"}


def test_the_gitlab_snippet_is_valid() -> None:
    (text,) = snippets(".gitlab-ci.yml")
    assert _errors(load(text), "gitlab-ci.json") == []


def test_the_schemas_reject_what_they_should() -> None:
    # The checks above can fail: a misspelt key is an error in each schema.
    (gitlab,) = snippets(".gitlab-ci.yml")
    broken = load(gitlab)
    broken["uelint"]["scripts"] = broken["uelint"].pop("script")
    assert _errors(broken, "gitlab-ci.json")
    workflow = load(snippets(WORKFLOW)[0])
    workflow["jobs"]["uelint"]["runs_on"] = workflow["jobs"]["uelint"].pop("runs-on")
    assert _errors(workflow, "github-workflow.json")


# --- the shell steps, for real ----------------------------------------------------------


@pytest.fixture(scope="module")
def installer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A new virtual environment (the CI image's Python) and the URL to install from."""
    base = tmp_path_factory.mktemp("ci")
    return fresh_venv(base / "env"), f"file://{clone(base / 'uelint')}"


def _workspace(where: Path, *, findings: bool) -> Path:
    repo = git_repo(where)
    if findings:
        shutil.copytree(ROOT / "examples", repo, dirs_exist_ok=True)
    else:
        (repo / "app.js").write_text('userengage("client.update", { first_name: "A" });\n')
    return repo


def _run(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # GitHub's `run:` default on Linux, and what GitLab's shell does per line: bash -e.
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=900)


def test_the_github_snippet_runs(installer: tuple[Path, str], tmp_path: Path) -> None:
    bin_dir, url = installer
    workflow = load(snippets(WORKFLOW)[0])
    (job,) = workflow["jobs"].values()
    env = tool_env(bin_dir, **{k: str(v) for k, v in job["env"].items()})
    assert env["UELINT_GIT"] == PLACEHOLDER
    env["UELINT_GIT"] = url
    repo = _workspace(tmp_path / "repo", findings=True)
    steps = [s for s in job["steps"] if "run" in s]
    assert len(steps) == 2
    for step in steps:
        done = _run(step["run"], repo, env)
        allowed = (0, 1) if step.get("continue-on-error") else (0,)
        assert done.returncode in allowed, (step["run"], done.stdout, done.stderr)
    sarif = json.loads((repo / "uelint.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"UE001", "UE002"}
    assert "::error title=UE001" in done.stdout  # the annotations, on standard output
    # What the upload step is given exists where the snippet says.
    (upload,) = [s for s in job["steps"] if s.get("uses", "").startswith("github/codeql")]
    assert (repo / upload["with"]["sarif_file"]).is_file()


@pytest.mark.parametrize("findings", [True, False])
def test_the_gitlab_snippet_runs(installer: tuple[Path, str], tmp_path: Path,
                                 findings: bool) -> None:
    bin_dir, url = installer
    (text,) = snippets(".gitlab-ci.yml")
    job = load(text)["uelint"]
    env = tool_env(bin_dir, **{k: str(v) for k, v in job["variables"].items()})
    assert env["UELINT_GIT"] == PLACEHOLDER
    env["UELINT_GIT"] = url
    repo = _workspace(tmp_path / "repo", findings=findings)
    *install, check = job["script"]
    for line in install:
        done = _run(line, repo, env)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    done = _run(check, repo, env)
    assert done.returncode == (1 if findings else 0), (check, done.stdout, done.stderr)
    for report in job["artifacts"]["reports"].values():
        assert (repo / report).is_file(), report
    quality = json.loads((repo / "gl-code-quality.json").read_text())
    assert bool(quality) is findings
