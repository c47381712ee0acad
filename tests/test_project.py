"""Issue #13: every file is judged in its project's context, however uelint is run.

The property: a file named alone (`uelint check FILE`, as pre-commit and editors run it) gets
exactly its part of a run over the whole project (`uelint check .`), on every multi-file fixture
project and example; configuration is per file (the nearest configuration file), whatever the
order of the arguments; a buffer on standard input stands for its file in the project.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import uelint, write
from uelint import cache, checker, cli, tsconfig

REPO = Path(__file__).resolve().parent.parent
PROJECTS = sorted((REPO / "tests/fixtures/projects").iterdir()) + sorted(
    p for p in (REPO / "examples").iterdir() if p.is_dir())

Finding = tuple[str, str, int, int, int, int]


def findings(project: Path, *paths: str, tmp: Path, cached: bool = False) -> set[Finding]:
    """The findings of `uelint check PATHS` run (in this process) from `project`."""
    out = tmp / "report.json"
    cwd = os.getcwd()
    os.chdir(project)
    try:
        options = [] if cached else ["--no-cache"]
        code = cli.main(["check", *options, "--format", "json", "-o", str(out), *paths])
    finally:
        os.chdir(cwd)
    assert code in (0, 1), f"exit {code}"
    report = json.loads(out.read_text())
    assert not report["errors"], report["errors"]
    return {(f["rule"], f["path"], f["line"], f["column"], f["end_line"], f["end_column"])
            for f in report["findings"]}


@pytest.mark.parametrize("source", PROJECTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_file_alone_gets_its_part_of_the_whole_run(source: Path, tmp_path: Path) -> None:
    project = tmp_path / source.name
    shutil.copytree(source, project)
    whole = findings(project, ".", tmp=tmp_path)
    assert whole, "a project without findings proves nothing"
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    cross_file = 0
    for name in files:
        alone = findings(project, name, tmp=tmp_path)
        assert alone == {f for f in whole if f[1] == name}, name
        cross_file += bool(alone)
    assert cross_file, "no file has a finding"


SPLIT = {
    "analytics.js": "export function track(name, data) { window.userengage(name, data) }\n",
    "settings.js": (
        'import { track } from "./analytics";\n'
        'export function save(user_id) { track("client.update", { user_id }) }\n'
    ),
}


def test_a_wrapper_in_a_file_not_named_is_seen(tmp_path: Path) -> None:
    write(tmp_path, SPLIT)
    result = uelint("check", "settings.js", cwd=tmp_path)
    assert result.returncode == 1 and "settings.js:2:" in result.stdout, result.stdout
    assert "UE001" in result.stdout


def test_a_buffer_on_standard_input_is_read_in_its_project(tmp_path: Path) -> None:
    write(tmp_path, {"analytics.js": SPLIT["analytics.js"], "settings.js": "// empty on disk\n"})
    for args in (["--stdin-filename", "settings.js"], ["--stdin-filename", "settings.js", "-"]):
        done = subprocess.run(
            [sys.executable, "-m", "uelint", "check", "--format", "json", *args],
            input=SPLIT["settings.js"], cwd=tmp_path, capture_output=True, text=True,
        )
        report = json.loads(done.stdout)
        assert [(f["rule"], f["path"], f["line"]) for f in report["findings"]] == [
            ("UE001", "settings.js", 2)], done.stdout + done.stderr


NESTED = {
    "uelint.toml": "",
    "src/.uelint.toml": 'ignore = ["UE003"]\n',
    "src/b.jsx": 'userengage("client.update", { browser: "x" });\n',
    "backend/a.py": 'from js import window\nwindow.userengage("client.update", {"browser": 1})\n',
}


def test_each_file_is_governed_by_its_nearest_configuration(tmp_path: Path) -> None:
    write(tmp_path, NESTED)
    whole = findings(tmp_path, ".", tmp=tmp_path)
    assert {(f[0], f[1]) for f in whole} == {("UE003", "backend/a.py")}
    one = findings(tmp_path, "backend/a.py", "src/b.jsx", tmp=tmp_path)
    other = findings(tmp_path, "src/b.jsx", "backend/a.py", tmp=tmp_path)
    assert one == other == whole
    # From inside the subtree, the same: the project's root is where the first configuration is.
    assert findings(tmp_path / "src", "b.jsx", tmp=tmp_path) == set()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_blocks_a_commit_of_the_caller_alone(tmp_path: Path) -> None:
    pre_commit = pytest.importorskip("pre_commit")
    del pre_commit
    repo = tmp_path / "repo"
    write(repo, {
        **SPLIT,
        ".pre-commit-config.yaml": (
            "repos:\n- repo: local\n  hooks:\n  - id: uelint\n    name: uelint\n"
            f"    entry: {sys.executable} -m uelint check --force-exclude\n"
            "    language: system\n    files: \\.js$\n"
        ),
    })
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)

    git("init", "-q")
    git("add", "analytics.js", ".pre-commit-config.yaml")
    assert git("commit", "-q", "--no-verify", "-m", "wrapper").returncode == 0
    hook = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert hook.returncode == 0, hook.stderr
    git("add", "settings.js")  # only the caller is staged: the wrapper is not passed
    blocked = git("commit", "-m", "caller")
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    said = blocked.stdout + blocked.stderr  # git shows a hook's output on either
    assert "settings.js:2:" in said and "UE001" in said, said


ALIASED = {
    "uelint.toml": "",
    "tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@lib/*": ["lib/*"]}}}\n',
    "lib/analytics.ts": SPLIT["analytics.js"],
    "app/settings.ts": SPLIT["settings.js"].replace('"./analytics"', '"@lib/analytics"'),
}


def test_path_aliases_of_the_project_from_a_subdirectory_and_after_an_edit(
    tmp_path: Path,
) -> None:
    write(tmp_path, ALIASED)
    assert "app/settings.ts:2:" in uelint("check", "app/settings.ts", cwd=tmp_path).stdout
    # From below the root, where the tsconfig is not: the project's aliases still apply.
    below = uelint("check", "settings.ts", cwd=tmp_path / "app")
    assert below.returncode == 1 and "settings.ts:2:" in below.stdout, below.stdout
    # The alias gone, the cached result of the caller is not reused.
    (tmp_path / "tsconfig.json").write_text('{ "compilerOptions": {} }\n')
    after = uelint("check", "settings.ts", cwd=tmp_path / "app")
    assert after.returncode == 0, after.stdout


def test_path_aliases_are_found_without_probing_every_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run with the cache knows where the tsconfig files are from what its walk listed
    (or what the walk its index stands for listed): it probes no directory for one, yet a
    config made or removed between warm runs is seen (its directory changed)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)  # files just written are indexed
    monkeypatch.setenv("UELINT_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    write(project, {**{f"d{i}/m.js": "export const x = 1;\n" for i in range(20)},
                    **{k: v for k, v in ALIASED.items() if k != "tsconfig.json"}})
    probed: list[str] = []
    isfile = os.path.isfile

    def spy(path: str | os.PathLike[str]) -> bool:
        if os.path.basename(path) in tsconfig.CONFIG_NAMES:
            probed.append(os.path.relpath(path, project))
        return isfile(path)

    monkeypatch.setattr(os.path, "isfile", spy)

    def run(*args: str) -> set[Finding]:
        probed.clear()
        return findings(project, *args, "app/settings.ts", tmp=tmp_path, cached=True)

    assert run() == set() and probed == []
    config = project / "app/tsconfig.json"
    config.write_text('{"compilerOptions": {"baseUrl": "..", "paths": {"@lib/*": ["lib/*"]}}}')
    for _ in range(2):  # the walk that sees it, then a warm run that does not walk
        assert {f[0] for f in run()} == {"UE001"} and probed == ["app/tsconfig.json"]
    config.unlink()
    assert run() == set() and probed == []
    run("--no-cache")  # without a walk's listing, each directory is probed: the spy sees it
    assert len(probed) > 20


def test_a_warm_run_of_one_file_reads_it_and_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Warm, one file named: the others are known by their signatures, and what they export
    by the last run's rounds (linking.Past). Read are the file named and those changed since,
    not the project's other candidates nor the other files that name the wrapper's module;
    a changed file that exports something new makes the run read them all again."""
    monkeypatch.setattr(cache, "RACY_NS", 0)  # files just written are indexed
    monkeypatch.setenv("UELINT_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    write(project, {**SPLIT, "profile.js": 'import { track } from "./analytics";\n',
                    **{f"direct{i}.js": 'userengage("client.update", { plan: 1 });\n'
                       for i in range(5)}})
    read: list[str] = []
    read_file = checker.read_file
    monkeypatch.setattr(checker, "read_file", lambda path: read.append(
        os.path.basename(path)) or read_file(path))
    expected = {("UE001", "settings.js", 2, 58, 2, 65)}
    for _ in range(2):
        assert findings(project, "settings.js", tmp=tmp_path, cached=True) == expected
    read.clear()
    assert findings(project, "settings.js", tmp=tmp_path, cached=True) == expected
    assert set(read) == {"settings.js"}
    (project / "direct0.js").write_text('userengage("client.update", { plan: 2 });\n')
    read.clear()
    assert findings(project, "settings.js", tmp=tmp_path, cached=True) == expected
    assert set(read) == {"direct0.js", "settings.js"}
    (project / "direct1.js").write_text(SPLIT["analytics.js"].replace("track", "send"))
    read.clear()
    assert findings(project, "settings.js", tmp=tmp_path, cached=True) == expected
    assert {"direct1.js", "direct2.js", "profile.js", "settings.js"} <= set(read)


def test_an_editors_buffer_leaves_no_rounds_for_the_files_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A buffer that differs from its file (the wrapper's module, being edited) is checked
    with the rounds its content gives; they are not kept for the next run, which reads the
    file: the caller still gets its finding through the wrapper on disk."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setenv("UELINT_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "project"
    write(project, SPLIT)
    expected = {("UE001", "settings.js", 2, 58, 2, 65)}
    for _ in range(2):
        assert findings(project, "settings.js", tmp=tmp_path, cached=True) == expected
    unwrapped = SPLIT["analytics.js"].replace("window.userengage", "console.log")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(unwrapped.encode())))
    assert findings(project, "--stdin-filename", "analytics.js", tmp=tmp_path,
                    cached=True) == set()
    assert findings(project, "settings.js", tmp=tmp_path, cached=True) == expected


# Each file's versions for the random edits below: wrappers that come and go, a wrapper of a
# wrapper (a second round), a barrel that re-exports them, constants, callers of each.
VERSIONS = {
    "analytics.js": [
        "export function track(name, data) { window.userengage(name, data) }\n",
        "export function track(name, data) { console.log(name, data) }\n",
        "export function track(name, data) { window.userengage(name, data) }\n"
        'export const UPDATE = "client.update";\n',
        "export const nothing = 1;\n",
    ],
    "outer.js": [
        'import { track } from "./analytics";\nexport function send(n, d) { track(n, d) }\n',
        "export function send(n, d) { console.log(n, d) }\n",
        'import { track } from "./analytics";\n'
        'export function send(d) { track("client.update", d) }\n',
    ],
    "index.js": [
        'export { track as emit } from "./analytics";\nexport * from "./outer";\n',
        'export * from "./outer";\n',
        "export const x = 1;\n",
    ],
    "settings.js": [
        'import { track } from "./analytics";\ntrack("client.update", { user_id: 1 });\n',
        'import { send } from "./outer";\nsend("client.update", { user_id: 2 });\n',
        'import { emit, send } from ".";\nemit("client.update", { user_id: 3 });\n'
        "send({ user_id: 4 });\n",
        'import { UPDATE, track } from "./analytics";\ntrack(UPDATE, { user_id: 5 });\n',
        "export const y = 2;\n",
    ],
    "profile.js": [
        'import { send } from "./outer";\nsend({ user_id: 6 });\n',
        'import { send } from "./index";\nsend("client.update", { user_id: 7 });\n',
        'userengage("client.update", { user_id: 8 });\n',
    ],
}


@pytest.mark.parametrize("seed", range(6))
def test_warm_runs_of_one_file_follow_random_edits(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After each random edit, files named one at a time with the cache (the last run's
    rounds holding, or not) get their part of a --no-cache run of the whole project."""
    monkeypatch.setattr(cache, "RACY_NS", 0)  # files just written are indexed
    monkeypatch.setenv("UELINT_CACHE_DIR", str(tmp_path / "cache"))
    chance = random.Random(seed)
    project = tmp_path / "project"
    write(project, {name: chance.choice(versions) for name, versions in VERSIONS.items()})
    (project / ".git").mkdir()
    for _ in range(20):
        name = chance.choice(sorted(VERSIONS))
        (project / name).write_text(chance.choice(VERSIONS[name]))
        whole = findings(project, ".", tmp=tmp_path)
        for named in chance.sample(sorted(VERSIONS), len(VERSIONS)):
            assert findings(project, named, tmp=tmp_path, cached=True) == {
                f for f in whole if f[1] == named}, (named, {
                    n: (project / n).read_text() for n in VERSIONS})


def test_a_file_outside_any_project_is_checked_alone(tmp_path: Path) -> None:
    """Named from elsewhere, a file with no configuration nor git work tree above it has no
    project: its directory's other files are not read (that directory may be /tmp)."""
    write(tmp_path, {"here/.keep": "", "loose/settings.js": SPLIT["settings.js"],
                     "loose/analytics.js": SPLIT["analytics.js"]})
    done = uelint("check", "--verbose", "--timing", str(tmp_path / "loose/settings.js"),
                  cwd=tmp_path / "here")
    assert "project: none" in done.stderr and "files: 1 found" in done.stderr, done.stderr
    assert done.returncode == 0, done.stdout  # the wrapper's file is not read
    # From its own directory, that directory is the project (the working directory's rule).
    assert uelint("check", "settings.js", cwd=tmp_path / "loose").returncode == 1
