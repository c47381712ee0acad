"""Issue #18: a warm run reports exactly what `--no-cache` reports, whatever changed on disk.

Each scenario changes the tree (or where it is, or where it is checked from) between runs
of the real command, and compares the cached runs (the first after the change, which updates
the cache, and the second, fully warm) with a `--no-cache` run of the same moment.

The stat index trusts nothing changed in the last two seconds (cache.RACY_NS), and a file's
ctime cannot be set back (`os.utime` ages the mtime only), so a test would have to sleep
before every run for the index and its spared walk to be used at all. The runs go through
`LAUNCH` instead: the real command with RACY_NS at 0, so that the index and the listing
take every change at its word (the stricter case: nothing is left to the racy rule).
`test_the_racy_rule_itself` runs the command unpatched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.test_cli import write

# The real command with the racy window closed (see the module's docstring); the working
# directory leaves sys.path as with `python -m uelint`.
LAUNCH = ("import sys; sys.path.pop(0); from uelint import cache, cli; cache.RACY_NS = 0; "
          "sys.argv[0] = 'uelint'; cli.run()")
UELINT = [sys.executable, "-c", LAUNCH]
UELINT_RACY = [sys.executable, "-m", "uelint"]  # exactly as installed

WRAPPER = "export function track(name, data) { window.userengage(name, data) }\n"
# A dozen files with findings in every language, a cross-file wrapper, a suppression, and
# files without findings (candidates and not).
PROJECT: dict[str, str] = {
    "src/track.js": WRAPPER,
    "src/profile.js": (
        'import { track } from "./track.js";\n'
        'export function save(user_id) { track("client.update", { user_id }) }\n'
    ),
    "src/app.ts": 'userengage("client.update", { user_id: 1, browser: "x" });\n',
    "src/login.tsx": (
        "export function handleLogin(user: User) {\n"
        '  window.userengage("client.update", { email: user.email });\n'
        "}\n"
    ),
    "src/widget.mjs": (
        "// uelint-disable-next-line UE003 -- our own field\n"
        'userengage("client.update", { browser: "y", timezone: "z" });\n'
    ),
    "src/clean.js": 'userengage("client.update", { first_name: name });\n',
    "src/quiet.js": "export const nothing = 1;\n",
    "py/events.py": 'from js import window\n\nwindow.userengage("client.update", {"user_id": 2})\n',
    "py/handlers.py": (
        "from js import window\n\n\ndef submit_registration(form):\n"
        '    window.userengage("client.update", {"email": form.email, "ip_address": "1"})\n'
    ),
    "py/plain.py": "VALUE = 3\n",
    "web/index.html": (
        '<html><script>userengage("client.update", { browser_language: "en" });</script>'
        "</html>\n"
    ),
    "web/form.html": (
        '<form id="login-form" onsubmit="userengage(\'client.update\', { user_id: 4 })">'
        "</form>\n"
    ),
    "tests/fixture.js": 'userengage("client.update", { user_id: 5 });\n',
    "legacy/old.js": 'userengage("client.update", { user_id: 6 });\n',
}
Report = dict[str, object]
CONFIG = """\
extend-exclude = ["legacy/"]

[per-file-ignores]
"tests/**" = ["UE001"]
"""


def environment(cache_dir: Path | None) -> dict[str, str]:
    """The test's environment (its own XDG_CACHE_HOME, from conftest), with `cache_dir` as
    UELINT_CACHE_DIR, or the default per-project cache directory when None."""
    env = {**os.environ, "NO_COLOR": "1", "UELINT_DISABLE_PLUGIN_AUTOLOAD": "1"}
    env.pop("UELINT_CACHE_DIR", None)
    if cache_dir is not None:
        env["UELINT_CACHE_DIR"] = str(cache_dir)
    return env


def command(*args: str, racy: bool = False) -> list[str]:
    return [*(UELINT_RACY if racy else UELINT), "check", "--format", "json", *args]


def parsed(done: subprocess.CompletedProcess[str], drop: Sequence[str] = ()) -> Report:
    """A run's JSON report with its exit code, less the keys in `drop`."""
    assert done.returncode in (0, 1, 2) and done.stdout, done.stderr  # 2: files not parsed
    found: Report = json.loads(done.stdout)
    for key in drop:
        found.pop(key)
    found["exit"] = done.returncode
    return found


def start(cwd: Path, *args: str, cache_dir: Path | None = None, cached: bool = True,
          racy: bool = False) -> subprocess.Popen[str]:
    """A run: with the cache (in `cache_dir`, else the project's default one) and --timing,
    or with `--no-cache`."""
    extra = ("--timing",) if cached else ("--no-cache",)
    return subprocess.Popen(command(*extra, *args, racy=racy), cwd=cwd,
                            env=environment(cache_dir), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(run: subprocess.Popen[str], drop: Sequence[str] = ()) -> tuple[Report, bool]:
    """The report of a run `start` started, and whether its walk was spared (the cache's
    index listed the files: --timing says so)."""
    stdout, stderr = run.communicate(timeout=120)
    done = subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)
    return parsed(done, drop), "listed by the cache's index: no walk" in stderr


def check(cwd: Path, *args: str, cache_dir: Path | None = None, cached: bool = True,
          racy: bool = False, drop: Sequence[str] = ()) -> Report:
    """One run's report (see `start`)."""
    return finish(start(cwd, *args, cache_dir=cache_dir, cached=cached, racy=racy), drop)[0]


def assert_warm_equals_cold(cwd: Path, *args: str, cache_dir: Path | None = None,
                            racy: bool = False, drop: Sequence[str] = (),
                            spared: bool | None = True) -> Report:
    """Two cached runs (the one that meets a change, then a warm one) report what a
    `--no-cache` run reports; that report. `spared`: whether the warm run must have been
    spared its walk (None: either), so that the index's listing is what is tested."""
    uncached = start(cwd, *args, cached=False, racy=racy)  # alongside: it touches no cache
    first, _ = finish(start(cwd, *args, cache_dir=cache_dir, racy=racy), drop)
    cold, _ = finish(uncached, drop)
    assert first == cold, "the first cached run after the change"
    second, listed = finish(start(cwd, *args, cache_dir=cache_dir, racy=racy), drop)
    assert second == cold, "a warm run"
    if spared is not None:
        assert listed is spared, "the warm run walked" if spared else "the warm run did not walk"
    return cold


def paths_of(report: Report, rule: str = "") -> set[str]:
    """The paths of the report's findings (of `rule`'s only, if given)."""
    findings = report["findings"]
    assert isinstance(findings, list)
    return {finding["path"] for finding in findings if finding["rule"].startswith(rule)}


def make_project(root: Path, files: dict[str, str] | None = None, in_git: bool = True) -> Path:
    """A project, in a git work tree of its own unless `in_git` is false. (Outside one, a
    walk depends on every directory up to /: see the last test.)"""
    write(root, dict(PROJECT if files is None else files))  # type: ignore[arg-type]
    if in_git:
        git(root, "init")
    return root


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, env=env,
                   check=True, capture_output=True)


def same_size_edit(path: Path, old: str, new: str, keep_mtime: bool = True) -> None:
    """Replace `old` by `new` (as long) in place, in the same inode, and put the mtime back."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text()
    assert old in text
    with open(path, "r+") as handle:  # in place: the same inode
        handle.write(text.replace(old, new))
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_ino) == (before.st_size, before.st_ino)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


# -- the configuration and the project moved ---------------------------------------------


def test_the_same_configuration_in_another_directory(project: Path, tmp_path: Path,
                                                      cache_dir: Path) -> None:
    """The same uelint.toml in the project, in config/ of the project (its paths are relative
    to config/, where they match nothing), outside it, chosen in turn with --config while the
    tree stays as it is (so that the index's listing would be used), twice."""
    outside = tmp_path / "elsewhere" / "uelint.toml"
    for config in [project / "uelint.toml", project / "config" / "uelint.toml", outside]:
        config.parent.mkdir(exist_ok=True)
        config.write_text(CONFIG)
    choices = {"nearest": (), "config/": ("--config", "config/uelint.toml"),
               "outside": ("--config", str(outside)), "same": ("--config", "uelint.toml")}
    first = {name: assert_warm_equals_cold(project, *args, ".", cache_dir=cache_dir)
             for name, args in choices.items()}
    assert "legacy/old.js" not in paths_of(first["nearest"]) and first["same"] == first["nearest"]
    assert {"legacy/old.js", "tests/fixture.js"} <= paths_of(first["config/"], "UE001")
    for name, args in reversed(choices.items()):
        assert assert_warm_equals_cold(project, *args, ".", cache_dir=cache_dir) == first[name]


@pytest.mark.parametrize("shared", [True, False], ids=["UELINT_CACHE_DIR", "default-cache"])
def test_the_same_project_copied_elsewhere(project: Path, tmp_path: Path, cache_dir: Path,
                                           shared: bool) -> None:
    (project / "uelint.toml").write_text(CONFIG)
    chosen = cache_dir if shared else None
    original = assert_warm_equals_cold(project, ".", cache_dir=chosen, drop=["root"])
    copy = tmp_path / "copy" / "project"
    shutil.copytree(project, copy, symlinks=True)
    assert assert_warm_equals_cold(copy, ".", cache_dir=chosen, drop=["root"]) == original
    same_size_edit(copy / "src" / "app.ts", "user_id", "user_ix")  # the copy drifts
    drifted = assert_warm_equals_cold(copy, ".", cache_dir=chosen, drop=["root"])
    assert drifted != original
    assert assert_warm_equals_cold(project, ".", cache_dir=chosen, drop=["root"]) == original
    shutil.rmtree(project)  # the original goes, the copy takes its place
    copy.rename(project)
    assert assert_warm_equals_cold(project, ".", cache_dir=chosen, drop=["root"]) == drifted


# -- a run from a subdirectory -------------------------------------------------------------


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("shared", [True, False], ids=["UELINT_CACHE_DIR", "default-cache"])
def test_a_run_from_a_subdirectory_shares_the_cache_with_the_root(
    tmp_path: Path, cache_dir: Path, shared: bool, in_git: bool
) -> None:
    repo = make_project(tmp_path / "repo", in_git=in_git)
    (repo / "uelint.toml").write_text(CONFIG)
    (repo / ".gitignore").write_text("web/form.html\n")
    chosen = cache_dir if shared else None
    spared = True if in_git else None  # outside git: see the last test
    app = repo / "src"

    def both() -> tuple[Report, Report]:
        return (assert_warm_equals_cold(repo, ".", cache_dir=chosen, spared=spared),
                assert_warm_equals_cold(app, ".", cache_dir=chosen, spared=spared))

    for _ in range(2):  # the second time, each run meets the other's entries
        root, sub = both()
        assert "src/app.ts" in paths_of(root) and "app.ts" in paths_of(sub)
        assert "web/form.html" not in paths_of(root)  # the walk reads .gitignore files
    # A change seen by one run first, then by the other.
    same_size_edit(app / "track.js", "window.userengage", "window.userengagX")
    root, sub = both()
    assert "src/profile.js" not in paths_of(root) and "profile.js" not in paths_of(sub)
    # An ignore file above the subdirectory, at the project's root (where uelint.toml is):
    # a run from the subdirectory reads the project, so it applies there too, in git or not.
    (repo / ".gitignore").write_text("src/app.ts\n")
    sub = assert_warm_equals_cold(app, ".", cache_dir=chosen, spared=spared)
    assert "app.ts" not in paths_of(sub)


# -- symbolic links whose target comes and goes --------------------------------------------


def linked_target(project: Path, tmp_path: Path, where: str) -> Path:
    """Where src/linked.js leads (the link is made, the target is not): a file outside the
    tree (never followed: a notice) or under node_modules/ (excluded from the walk, but in
    the scanned tree: followed), beside a file that is there."""
    package = (tmp_path / "outside") if where == "outside" else (project / "node_modules" / "pkg")
    package.mkdir(parents=True)
    (package / "other.js").write_text("export const other = 1;\n")
    (project / "src" / "linked.js").symlink_to(package / "lib.js")
    return package / "lib.js"


LINKED = 'userengage("client.update", { user_id: 7 });\n'


@pytest.mark.parametrize("where", ["outside", "node_modules"])
def test_a_link_whose_target_appears(project: Path, tmp_path: Path, cache_dir: Path,
                                     where: str) -> None:
    target = linked_target(project, tmp_path, where)
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)  # dangling: nothing to read
    target.write_text(LINKED)
    spared = True if where == "node_modules" else None  # a link out of the tree: a notice
    appeared = assert_warm_equals_cold(project, ".", cache_dir=cache_dir, spared=spared)
    assert ("src/linked.js" in paths_of(appeared)) is (where == "node_modules")
    same_size_edit(target, "user_id", "user_ix", keep_mtime=False)
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir, spared=spared)


@pytest.mark.parametrize("where", ["outside", "node_modules"])
@pytest.mark.parametrize("replaced_by", ["nothing", "a directory"])
def test_a_link_whose_target_disappears(project: Path, tmp_path: Path, cache_dir: Path,
                                        where: str, replaced_by: str) -> None:
    target = linked_target(project, tmp_path, where)
    target.write_text(LINKED)
    spared = True if where == "node_modules" else None
    before = assert_warm_equals_cold(project, ".", cache_dir=cache_dir, spared=spared)
    target.unlink()
    if replaced_by == "a directory":
        target.mkdir()
    gone = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    assert "src/linked.js" not in paths_of(gone) and not gone["errors"]
    assert before["files"] != gone["files"] or where == "outside"


# -- edits, renames, branches, ignore files, hard links --------------------------------------


def test_same_size_edits_with_the_mtime_restored(project: Path, cache_dir: Path) -> None:
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    for path, old, new in [
        ("src/app.ts", "user_id", "user_ix"),  # a finding goes
        ("src/quiet.js", "nothing", "civchat"),  # a file becomes a candidate
        ("src/track.js", "window.userengage", "window.userengagX"),  # a wrapper stops being one
        ("py/plain.py", "VALUE = 3", "pageHit=3"),
        ("src/app.ts", "user_ix", "user_id"),  # and back: entries of the first content
        ("src/track.js", "window.userengagX", "window.userengage"),
    ]:
        same_size_edit(project / path, old, new)
        assert_warm_equals_cold(project, ".", cache_dir=cache_dir)


def test_in_place_edits(project: Path, cache_dir: Path) -> None:
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    track = project / "src" / "track.js"
    with open(track, "a") as handle:  # appended to: the same inode, a new size
        handle.write('export const UPDATE = "client.update";\n')
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    with open(project / "py" / "events.py", "r+") as handle:  # shortened in place
        handle.truncate(len("from js import window\n"))
    report = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    assert "py/events.py" not in paths_of(report)


def test_a_file_that_comes_to_import_a_wrapper(project: Path, cache_dir: Path) -> None:
    """A file that did not name the wrapper's module, edited to call it: a warm run searches
    it again (the files that did not mention the module are known by their signatures)."""
    for args in ((".",), ("src/quiet.js",)):
        assert_warm_equals_cold(project, *args, cache_dir=cache_dir)
    quiet = project / "src" / "quiet.js"
    with open(quiet, "a") as handle:  # in place: its directory does not change
        handle.write('import { track } from "./track.js";\ntrack("client.update", { user_id });\n')
    for args in (("src/quiet.js",), (".",)):
        report = assert_warm_equals_cold(project, *args, cache_dir=cache_dir)
        assert "src/quiet.js" in paths_of(report, "UE001")
    with open(quiet, "r+") as handle:
        handle.truncate(len("export const nothing = 1;\n"))
    for args in (("src/quiet.js",), (".",)):
        report = assert_warm_equals_cold(project, *args, cache_dir=cache_dir)
        assert "src/quiet.js" not in paths_of(report)


def test_renames(project: Path, cache_dir: Path) -> None:
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    src = project / "src"
    (src / "app.ts").rename(src / "app2.ts")  # a file
    assert "src/app2.ts" in paths_of(assert_warm_equals_cold(project, ".", cache_dir=cache_dir))
    (src / "app2.ts").rename(src / "app.js")  # another language
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    (src / "clean.js").rename(src / "swap")  # two files of a directory swapped
    (src / "login.tsx").rename(src / "clean.js")
    (src / "swap").rename(src / "login.tsx")
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    (src / "track.js").rename(src / "tracking.js")  # the wrapper's module: the import breaks
    report = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    assert "src/profile.js" not in paths_of(report)
    (project / "py").rename(project / "python")  # a directory
    assert "python/events.py" in paths_of(assert_warm_equals_cold(project, ".",
                                                                  cache_dir=cache_dir))
    (project / "python").rename(project / "legacy" / "py")  # into an excluded one
    (project / "uelint.toml").write_text(CONFIG)
    assert not any(path.startswith("legacy/") for path in paths_of(
        assert_warm_equals_cold(project, ".", cache_dir=cache_dir)))


def test_branch_switches(project: Path, cache_dir: Path) -> None:
    git(project, "add", ".")
    git(project, "commit", "-m", "main")
    git(project, "checkout", "-b", "other")
    same_size_edit(project / "src" / "app.ts", "user_id", "user_ix", keep_mtime=False)
    (project / "src" / "track.js").write_text(WRAPPER.replace("window.userengage", "console.log"))
    (project / "py" / "events.py").unlink()
    write(project, {"src/new.js": 'userengage("client.update", { user_id: 8 });\n',
                    ".gitignore": "web/\n"})
    git(project, "add", "-A")
    git(project, "commit", "-m", "other")
    other = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    git(project, "checkout", "main")
    main = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    assert main != other
    for branch, expected in [("other", other), ("main", main), ("other", other)]:
        git(project, "checkout", branch)
        assert assert_warm_equals_cold(project, ".", cache_dir=cache_dir) == expected


def test_ignore_file_edits(project: Path, cache_dir: Path) -> None:
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    gitignore, nested = project / ".gitignore", project / "src" / ".gitignore"
    exclude = project / ".git" / "info" / "exclude"
    edits: list[Callable[[], object]] = [
        lambda: gitignore.write_text("py/\n"),
        lambda: gitignore.write_text("py/\n!py/events.py\n"),  # same directory listing
        lambda: same_size_edit(gitignore, "py/\n", "px/\n"),
        lambda: nested.write_text("app.ts\n"),
        lambda: same_size_edit(nested, "app.ts", "app.js"),
        lambda: exclude.write_text("web/*.html\n"),
        lambda: gitignore.write_text("*.js\n!src/\n"),
        lambda: nested.unlink(),
        lambda: gitignore.unlink(),
        lambda: exclude.write_text(""),
    ]
    for edit in edits:
        edit()
        assert_warm_equals_cold(project, ".", cache_dir=cache_dir)


def test_hard_links(project: Path, cache_dir: Path) -> None:
    app, twin = project / "src" / "app.ts", project / "web" / "twin.ts"
    os.link(app, twin)
    report = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    assert {"src/app.ts", "web/twin.ts"} <= paths_of(report)
    same_size_edit(app, "user_id", "user_ix")  # through one name, restored mtime
    report = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    assert not {"src/app.ts", "web/twin.ts"} & paths_of(report, "UE001")
    same_size_edit(twin, "user_ix", "user_id")  # through the other
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    os.link(project / "src" / "quiet.js", project / "src" / "quiet2.js")  # a new link
    assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    app.unlink()  # one name goes
    report = assert_warm_equals_cold(project, ".", cache_dir=cache_dir)
    assert "web/twin.ts" in paths_of(report, "UE001") and "src/app.ts" not in paths_of(report)


def test_the_racy_rule_itself(project: Path, cache_dir: Path) -> None:
    """The command as installed: a change within the racy window after a run, the same size
    and the mtime put back, is seen (by its ctime, or because nothing was trusted)."""
    for old, new in [("user_id", "user_ix"), ("user_ix", "user_id")]:
        assert_warm_equals_cold(project, ".", cache_dir=cache_dir, racy=True, spared=None)
        same_size_edit(project / "src" / "app.ts", old, new)
        report = assert_warm_equals_cold(project, ".", cache_dir=cache_dir, racy=True,
                                         spared=None)
        assert ("src/app.ts" in paths_of(report, "UE001")) is (new == "user_id")


# -- outside a git repository: what the stat index watches ----------------------------------


def walk_spared(cwd: Path, cache_dir: Path) -> bool:
    """Whether a cached run took the index's list of files instead of walking (--timing)."""
    return finish(start(cwd, ".", cache_dir=cache_dir))[1]


def test_outside_git_a_change_in_the_temporary_directory_spares_the_walk(
    tmp_path: Path, cache_dir: Path
) -> None:
    project = make_project(tmp_path / "project", in_git=False)
    walk_spared(project, cache_dir)
    assert walk_spared(project, cache_dir)  # the control: nothing changed, nothing walked
    with tempfile.NamedTemporaryFile(dir=tempfile.gettempdir()):  # /tmp changes
        pass
    assert walk_spared(project, cache_dir)
