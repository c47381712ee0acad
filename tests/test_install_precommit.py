"""The README's pre-commit snippet, as printed, with real pre-commit and a real `git commit`.

Only the repository URL changes (to a clone of this repository): the `rev:` is used as
printed, so it must stay a commit of this repository's history that has the hooks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.readme_snippets import PLACEHOLDER, clone, git_repo, load, snippets, tool_env

VIOLATION = 'userengage("client.update", { user_id: customer.id });\n'
CLEAN = 'userengage("client.update", { first_name: customer.name });\n'
STALE = '// uelint-disable-next-line UE001 -- legacy\n' + CLEAN


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str]]:
    """A clone of uelint, the snippet pointed at it, and pre-commit's environment."""
    base = tmp_path_factory.mktemp("pre-commit")
    source = clone(base / "uelint")
    (text,) = snippets(".pre-commit-config.yaml")
    assert PLACEHOLDER in text
    config = text.replace(PLACEHOLDER, str(source))
    env = tool_env(PRE_COMMIT_HOME=str(base / "home"))
    return source, config, env


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          check=False, timeout=900)


def test_the_rev_is_a_commit_with_the_hooks(setup: tuple[Path, str, dict[str, str]]) -> None:
    source, config, env = setup
    (repo,) = load(config)["repos"]
    shown = _git(source, "show", f"{repo['rev']}:.pre-commit-hooks.yaml", env=env)
    assert shown.returncode == 0, (
        f"rev {repo['rev']} is not a commit of this repository with .pre-commit-hooks.yaml: "
        "point the README's rev at one (git log -1 --format=%H -- .pre-commit-hooks.yaml)")
    ids = {hook["id"] for hook in load(shown.stdout)}
    assert {hook["id"] for hook in repo["hooks"]} <= ids
    assert ids == {"uelint", "uelint-fix"}


def test_the_commit_is_blocked_and_a_clean_one_passes(
        setup: tuple[Path, str, dict[str, str]], tmp_path: Path) -> None:
    _, config, env = setup
    project = git_repo(tmp_path / "project")
    (project / ".pre-commit-config.yaml").write_text(config)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project,
                               env=env, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    (project / "tracking.js").write_text(VIOLATION)
    _git(project, "add", ".", env=env)
    blocked = _git(project, "commit", "-m", "track", env=env)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    said = blocked.stdout + blocked.stderr  # git runs the hook with its output on stderr
    assert "UE001" in said and "Failed" in said, said
    assert _git(project, "rev-parse", "--verify", "-q", "HEAD", env=env).returncode != 0

    (project / "tracking.js").write_text(CLEAN)
    _git(project, "add", ".", env=env)
    passed = _git(project, "commit", "-m", "track", env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout + passed.stderr


def test_the_fix_hook_changes_the_file_and_stops(
        setup: tuple[Path, str, dict[str, str]], tmp_path: Path) -> None:
    source, config, env = setup
    (repo,) = load(config)["repos"]
    project = git_repo(tmp_path / "project")
    target = project / "tracking.js"
    target.write_text(STALE)
    _git(project, "add", ".", env=env)
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(source), "uelint-fix", "--ref",
         repo["rev"], "--files", "tracking.js"],
        cwd=project, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "files were modified by this hook" in done.stdout, done.stdout
    assert target.read_text() == CLEAN
