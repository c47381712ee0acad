"""The persistent cache: hits, misses, invalidation, corrupt entries, concurrent runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import uelint
from uelint import cache, engine, parallel, plugins, scan, table
from uelint.analysis import Analysis
from uelint.cache import Cache
from uelint.diagnostic import RunResult
from uelint.discover import Exclude, discover
from uelint.rule import Rule
from uelint.timing import Timings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return list(plugins.load(autoload=False).rules.values())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "src" / "profile.js").write_text('userengage("client.update", { user_id: 1 });\n')
    (root / "src" / "login.py").write_text(
        'from js import window\n\nwindow.userengage("client.update", {"email": e, "browser": b})\n'
    )
    (root / "quiet.js").write_text("const nothing = 1;\n")
    return root


@pytest.fixture
def linked(project: Path) -> Path:
    """With files that call wrappers defined in other files."""
    shutil.copytree(FIXTURES / "projects" / "esm", project / "esm")
    shutil.copytree(FIXTURES / "javascript", project / "javascript")
    return project


@pytest.fixture(autouse=True)
def trust_fresh_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Index files just written (tests edit files after a sleep that changes their ctime)."""
    monkeypatch.setattr(cache, "RACY_NS", 0)


def check(project: Path, rules: list[Rule], store: Cache | None) -> tuple[RunResult, Timings]:
    timings = Timings()
    result = engine.run([project], rules, root=project, jobs=1, cache=store, timings=timings)
    return result, timings


def edit(path: Path, text: str) -> None:
    time.sleep(0.02)  # past the file system's timestamp granularity: a new ctime
    path.write_text(text)


def test_a_warm_run_parses_nothing_and_reports_the_same(
    project: Path, tmp_path: Path, rules: list[Rule]
) -> None:
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))
    cold, cold_timings = check(project, rules, store)
    warm, warm_timings = check(project, rules, store)
    assert warm == cold == check(project, rules, None)[0]
    assert cold_timings.counts["parsed"] > 0 and warm_timings.counts["parsed"] == 0
    assert warm_timings.counts["cached"] == cold_timings.counts["candidates"] > 0
    assert warm_timings.seconds["read"] == 0  # the index knew every file: nothing was read


def test_a_changed_file_is_checked_again(project: Path, tmp_path: Path, rules: list[Rule]) -> None:
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))
    check(project, rules, store)
    edit(project / "quiet.js", 'userengage("client.update", { user_id: 2 });\n')
    result, timings = check(project, rules, store)
    assert timings.counts["parsed"] == 1
    assert result == check(project, rules, None)[0]
    assert any(d.path == "quiet.js" for d in result.diagnostics)


def test_a_file_edited_in_place_with_the_same_size_is_read_again(
    project: Path, tmp_path: Path, rules: list[Rule]
) -> None:
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))
    path = project / "quiet.js"
    path.write_text("export const civchat_ = 1;\n")
    check(project, rules, store)
    stat = path.stat()
    edit(path, "export const nothing_ = 1;\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old mtime
    cached, fresh = check(project, rules, store)[1], check(project, rules, None)[1]
    assert cached.counts["candidates"] == fresh.counts["candidates"] == 2


def test_other_rules_or_another_version_never_see_old_results(
    project: Path, tmp_path: Path, rules: list[Rule], monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = cache.analysis_digest(rules)
    assert cache.analysis_digest(rules[:1]) != digest
    assert cache.analysis_digest(rules, {"config": "abc"}) != digest
    monkeypatch.setattr(uelint, "__version__", "99.0")
    assert cache.analysis_digest(rules) != digest

    check(project, rules, Cache(tmp_path / "cache", digest))
    fewer = rules[:1]
    result, timings = check(project, fewer, Cache(tmp_path / "cache", cache.analysis_digest(fewer)))
    assert timings.counts["cached"] == 0
    assert result == check(project, fewer, None)[0]


def test_files_checked_with_other_files_exports_follow_those_exports(
    linked: Path, tmp_path: Path, rules: list[Rule]
) -> None:
    project = linked
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))
    before, _ = check(project, rules, store)
    assert check(project, rules, store)[0] == before
    tracking = project / "esm" / "src" / "lib" / "tracking.ts"
    # The wrapper stops forwarding its payload: the callers' findings must go, although the
    # callers themselves did not change.
    edit(tracking, tracking.read_text().replace("userengage?.(method, attributes)",
                                                "userengage?.(method, {})"))
    after, _ = check(project, rules, store)
    assert after == check(project, rules, None)[0]
    assert after != before


def test_corrupt_entries_are_misses_and_get_rewritten(
    project: Path, tmp_path: Path, rules: list[Rule]
) -> None:
    directory = tmp_path / "cache"
    store = Cache(directory, cache.analysis_digest(rules))
    cold, _ = check(project, rules, store)
    entries = [p for p in directory.rglob("*") if p.is_file() and p.parent.name != "cache"]
    assert entries
    for n, path in enumerate(entries):
        path.write_bytes(b"" if n % 2 else b"\x80\x05garbage")
    result, timings = check(project, rules, store)
    assert result == cold and timings.counts["cached"] == 0
    assert check(project, rules, store)[1].counts["parsed"] == 0  # rewritten


def test_an_unwritable_cache_costs_nothing_but_speed(
    project: Path, tmp_path: Path, rules: list[Rule]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result, _ = check(project, rules, Cache(blocker / "cache", cache.analysis_digest(rules)))
    assert result == check(project, rules, None)[0]


def test_concurrent_runs_share_one_cache(linked: Path, tmp_path: Path) -> None:
    project = linked
    env = {**os.environ, cache.ENV_DIR: str(tmp_path / "cache"),
           "UELINT_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "uelint", "check", "--format", "json", "--jobs", "1"]
    expected = subprocess.run([*command, "--no-cache"], cwd=project, env=env,
                              capture_output=True, text=True, check=False).stdout
    runs = [subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(4)]
    outputs = [run.communicate()[0] for run in runs]
    warm = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                          check=False).stdout
    assert json.loads(expected)["findings"]
    assert outputs == [expected] * 4 and warm == expected
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_a_cache_directory_put_in_a_tree_is_never_checked_nor_committed(tmp_path: Path) -> None:
    store = Cache(tmp_path / "cache", "digest")  # UELINT_CACHE_DIR=cache, say
    store.put("ab" * 20, Analysis())
    (tmp_path / "cache" / "stray.js").write_text("userengage();\n")
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (tmp_path / "cache" / "CACHEDIR.TAG").exists()
    assert list(discover([tmp_path])) == []


def test_the_directory_is_the_users_one_per_project_unless_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "a" / "app").mkdir(parents=True)
    (tmp_path / "b" / "app").mkdir(parents=True)
    one, other = (cache.default_directory(tmp_path / d / "app") for d in "ab")
    assert one.parent == other.parent == tmp_path / "xdg" / "uelint" and one != other
    assert one.name.startswith("app-")
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "elsewhere"))
    assert cache.default_directory(tmp_path) == tmp_path / "elsewhere"


def test_identical_files_keep_their_own_paths(tmp_path: Path) -> None:
    """A cached outcome belongs to one path: two files with the same content are two findings."""
    from tests.test_cli import uelint, write

    body = 'userengage("client.update", { user_id: 1 });\n'
    write(tmp_path, {"a.js": body, "b.js": body})
    for _ in range(2):  # cold, then warm
        out = uelint("check", cwd=tmp_path).stdout
        assert "a.js:1:31: UE001" in out and "b.js:1:31: UE001" in out, out


def test_a_warm_run_takes_the_files_from_the_index_without_walking(
    project: Path, tmp_path: Path, rules: list[Rule], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))
    cold, _ = check(project, rules, store)
    check(project, rules, store)  # the first made the cache directory, in a directory it listed
    monkeypatch.setattr(scan, "discover", lambda *a, **k: pytest.fail("walked again"))
    warm, timings = check(project, rules, store)
    assert warm == cold and timings.counts["files"] == cold.files_checked == 3
    assert timings.counts["listed"] == 1


def test_the_index_reads_back_whole_or_not_at_all(
    project: Path, tmp_path: Path, rules: list[Rule]
) -> None:
    (project / "src" / "é ü.js").write_text("x;\n")
    with open(os.fsencode(project / "src") + b"/\xff.js", "w") as handle:  # not UTF-8
        handle.write("y;\n")
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))
    for _ in range(2):
        check(project, rules, store)
    [saved] = (tmp_path / "cache" / "index").iterdir()
    data = saved.read_bytes()
    loaded = table.loads(data)
    assert table.dumps(loaded) == data
    saved_digest = loaded.digest  # as saved, not computed again: it is the table's own
    del loaded.__dict__["digest"]
    assert loaded.digest == saved_digest
    assert loaded.watch is not None and str(project / "src") in loaded.watch.listed
    assert {"src/é ü.js", os.fsdecode(b"src/\xff.js")} <= {
        os.path.relpath(p, project) for p in loaded.paths}
    for damaged in (data[:-1], data[: len(data) // 2], data[:10], b"", data + b"x",
                    data.replace(b'"byteorder"', b'"byteorder_"'),
                    data.replace(b'"digest"', b'"digest_"')):
        with pytest.raises(ValueError):
            table.loads(damaged)


@pytest.mark.parametrize("change", [
    "add a file", "remove a file", "rename a directory", "edit .gitignore in place",
    "a virtualenv is no longer one", "create .gitignore",
])
def test_the_listing_is_not_trusted_once_what_the_walk_read_changed(
    project: Path, tmp_path: Path, rules: list[Rule], change: str
) -> None:
    (project / ".gitignore").write_text("# nothing ignored\n")
    (project / "env").mkdir()
    (project / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (project / "env" / "app.js").write_text('userengage("client.update", { user_id: 3 });\n')
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))
    for _ in range(3):  # listed from the second (the first made the cache directory)
        _, timings = check(project, rules, store)
    assert timings.counts["listed"] == 1
    time.sleep(0.02)  # past the file system's timestamp granularity
    if change == "add a file":
        (project / "src" / "new.js").write_text('userengage("client.update", { user_id: 2 });\n')
    elif change == "remove a file":
        (project / "src" / "profile.js").unlink()
    elif change == "rename a directory":
        (project / "src").rename(project / "lib")
    elif change == "edit .gitignore in place":
        with (project / ".gitignore").open("a") as handle:
            handle.write("src/profile.js\n")
    elif change == "a virtualenv is no longer one":
        (project / "env" / "pyvenv.cfg").unlink()
    else:
        (project / "src" / ".gitignore").write_text("login.py\n")
    result, timings = check(project, rules, store)
    assert result == check(project, rules, None)[0]
    assert timings.counts["listed"] == 0  # walked again


def test_a_warm_run_over_many_files_stats_them_in_two_processes(
    tmp_path: Path, rules: list[Rule], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "many"
    for n in range(60):
        (root / f"d{n % 6}").mkdir(parents=True, exist_ok=True)
        body = f'userengage("client.update", {{ user_id: {n} }});\n' if n % 7 == 0 else "x;\n"
        (root / f"d{n % 6}" / f"f{n}.js").write_text(body)
    monkeypatch.setattr(cache, "_FORK_FILES", 10)
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))

    def run() -> tuple[RunResult, Timings]:
        timings = Timings()
        return engine.run([root], rules, root=root, jobs=2, cache=store, timings=timings), timings

    for _ in range(2):  # listed from the second run
        run()
    time.sleep(0.02)
    (root / "d3" / "f3.js").write_text('userengage("client.update", { user_id: "edited" });\n')
    real, forks = parallel.forked, []
    monkeypatch.setattr(parallel, "forked", lambda *a: forks.append(a[1:]) or real(*a))
    warm, timings = run()
    assert forks == [(60, 2)] and timings.counts["listed"] == 1  # 60 files, two processes
    assert warm == check(root, rules, None)[0]
    assert timings.counts["parsed"] == 1  # only the edited file


def test_excludes_relative_to_another_directory_are_another_scan(
    project: Path, tmp_path: Path, rules: list[Rule]
) -> None:
    """The same patterns from a configuration elsewhere exclude other files: a listing made
    under one must not serve the other."""
    store = Cache(tmp_path / "cache", cache.analysis_digest(rules))

    def files(config_root: Path) -> int:
        exclude = Exclude(config_root, ("profile.js",), force=False)
        result = engine.run([project], rules, root=project, jobs=1, cache=store,
                            exclude=exclude)
        return result.files_checked

    for _ in range(3):
        assert files(project / "src") == 2  # src/profile.js excluded
    assert files(project / "elsewhere") == 3
